<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\WholeNumber (extends AbstractUnit in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/wholenumber). It declares no
 * constructor, as in WHMCS: a name must be given (`new WholeNumber()` throws ArgumentCountError).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class WholeNumber extends AbstractUnit
{
    protected const VALUE_TYPE = self::TYPE_INT;
}
