<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\Accounts (extends WholeNumber in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/accounts), with WHMCS's
 * defaults: the one kind of unit that may be built without arguments.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class Accounts extends WholeNumber
{
    /**
     * @param mixed $name
     * @param mixed $singlePerUnitName
     * @param mixed $pluralPerUnitName
     * @param mixed $prefix
     * @param mixed $suffix
     */
    public function __construct(
        $name = 'Accounts',
        $singlePerUnitName = 'Account',
        $pluralPerUnitName = 'Accounts',
        $prefix = null,
        $suffix = null
    ) {
        parent::__construct($name, $singlePerUnitName, $pluralPerUnitName, $prefix, $suffix);
    }
}
