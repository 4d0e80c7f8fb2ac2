<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\WholeNumber (extends AbstractUnit in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/wholenumber).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class WholeNumber extends AbstractUnit
{
    protected const DEFAULT_NAME = 'Number';
    protected const VALUE_TYPE = self::TYPE_INT;
}
