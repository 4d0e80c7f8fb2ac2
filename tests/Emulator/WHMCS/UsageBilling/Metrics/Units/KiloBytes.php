<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\KiloBytes (extends FloatingPoint in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/kilobytes).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class KiloBytes extends FloatingPoint
{
    protected const DEFAULT_NAME = 'KB';
    protected const VALUE_TYPE = self::TYPE_FLOAT;
}
