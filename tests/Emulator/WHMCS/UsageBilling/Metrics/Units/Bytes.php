<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\Bytes (extends FloatingPoint in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/bytes), with WHMCS's
 * defaults: the one kind of unit that may be built without arguments.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class Bytes extends FloatingPoint
{
    /**
     * @param mixed $name
     * @param mixed $singlePerUnitName
     * @param mixed $pluralPerUnitName
     * @param mixed $prefix
     * @param mixed $suffix
     */
    public function __construct(
        $name = 'Bytes',
        $singlePerUnitName = 'Byte',
        $pluralPerUnitName = 'Bytes',
        $prefix = null,
        $suffix = 'B'
    ) {
        parent::__construct($name, $singlePerUnitName, $pluralPerUnitName, $prefix, $suffix);
    }
}
