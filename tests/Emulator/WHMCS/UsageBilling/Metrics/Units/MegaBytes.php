<?php

/**
 * WHMCS\UsageBilling\Metrics\Units\MegaBytes (extends Bytes in WHMCS:
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/megabytes), with WHMCS's
 * defaults: the one kind of unit that may be built without arguments.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

class MegaBytes extends Bytes
{
    /**
     * @param mixed $name
     * @param mixed $singlePerUnitName
     * @param mixed $pluralPerUnitName
     * @param mixed $prefix
     * @param mixed $suffix
     */
    public function __construct(
        $name = 'Megabytes',
        $singlePerUnitName = null,
        $pluralPerUnitName = null,
        $prefix = null,
        $suffix = 'MB'
    ) {
        parent::__construct($name, $singlePerUnitName, $pluralPerUnitName, $prefix, $suffix);
    }
}
