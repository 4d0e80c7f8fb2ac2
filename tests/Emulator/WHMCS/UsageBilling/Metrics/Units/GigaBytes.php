<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\GigaBytes (extends FloatingPoint in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/gigabytes).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class GigaBytes extends FloatingPoint
{
    protected const DEFAULT_NAME = 'GB';
    protected const VALUE_TYPE = self::TYPE_FLOAT;
}
