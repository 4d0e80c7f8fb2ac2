<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\Domains (extends WholeNumber in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/domains), with WHMCS's
 * defaults: the one kind of unit that may be built without arguments.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class Domains extends WholeNumber
{
    /**
     * @param mixed $name
     * @param mixed $singlePerUnitName
     * @param mixed $pluralPerUnitName
     * @param mixed $prefix
     * @param mixed $suffix
     */
    public function __construct(
        $name = 'Domains',
        $singlePerUnitName = 'Domain',
        $pluralPerUnitName = 'Domains',
        $prefix = null,
        $suffix = null
    ) {
        parent::__construct($name, $singlePerUnitName, $pluralPerUnitName, $prefix, $suffix);
    }
}
