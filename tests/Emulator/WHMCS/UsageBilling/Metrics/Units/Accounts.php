<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\Accounts (extends WholeNumber in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/accounts).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class Accounts extends WholeNumber
{
    protected const DEFAULT_NAME = 'Accounts';
    protected const VALUE_TYPE = self::TYPE_INT;
}
