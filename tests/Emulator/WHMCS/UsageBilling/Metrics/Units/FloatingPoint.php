<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\FloatingPoint (extends AbstractUnit in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/floatingpoint).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class FloatingPoint extends AbstractUnit
{
    protected const DEFAULT_NAME = 'Number';
    protected const VALUE_TYPE = self::TYPE_FLOAT;
}
