<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\FloatingPoint (extends AbstractUnit in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/floatingpoint). It declares no
 * constructor, as in WHMCS: a name must be given (`new FloatingPoint()` throws ArgumentCountError).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class FloatingPoint extends AbstractUnit
{
    protected const VALUE_TYPE = self::TYPE_FLOAT;
}
