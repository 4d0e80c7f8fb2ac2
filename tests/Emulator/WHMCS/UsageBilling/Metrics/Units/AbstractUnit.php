<?php

/**
 * The base of WHMCS's units (https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/abstractunit):
 * a name and whether values are whole numbers. Each concrete unit gives its default name.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

use WHMCS\UsageBilling\Contracts\Metrics\UnitInterface;

abstract class AbstractUnit implements UnitInterface
{
    protected const DEFAULT_NAME = '';
    protected const VALUE_TYPE = self::TYPE_FLOAT;

    private string $name;

    public function __construct($name = null)
    {
        $this->name = (string) ($name ?? static::DEFAULT_NAME);
    }

    public function name()
    {
        return $this->name;
    }

    public function type()
    {
        return static::VALUE_TYPE;
    }
}
