<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\Bytes (extends FloatingPoint in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/bytes).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class Bytes extends FloatingPoint
{
    protected const DEFAULT_NAME = 'Bytes';
    protected const VALUE_TYPE = self::TYPE_FLOAT;
}
