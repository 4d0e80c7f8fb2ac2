<?php

/**
 * The unit of a metric (https://developers.whmcs.com/classes/whmcs/usagebilling/contracts/metrics/unitinterface).
 * The emulator reproduces the unit's name and whether its values are whole numbers or not, which is
 * what the usage cron checks; WHMCS's formatting helpers are not reproduced.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Contracts\Metrics;

interface UnitInterface
{
    public const TYPE_INT = 'int';
    public const TYPE_FLOAT = 'float';

    /** @return string */
    public function name();

    /** @return string one of the TYPE_* constants */
    public function type();
}
