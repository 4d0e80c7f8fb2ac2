<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\MegaBytes (extends FloatingPoint in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/megabytes).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class MegaBytes extends FloatingPoint
{
    protected const DEFAULT_NAME = 'MB';
    protected const VALUE_TYPE = self::TYPE_FLOAT;
}
