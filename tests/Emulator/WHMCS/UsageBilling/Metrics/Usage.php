<?php

/**
 * WHMCS\UsageBilling\Metrics\Usage, with the constructor documented at
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/usage:
 * `__construct($value, $collectedAt = null, $startAt = null, $endAt = null)`. The value must be a
 * number (int or float): anything else is refused here, as WHMCS stores it in a numeric column.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics;

use WHMCS\UsageBilling\Contracts\Metrics\UsageInterface;

class Usage implements UsageInterface
{
    private int|float $value;

    public function __construct($value, private $collectedAt = null, private $startAt = null, private $endAt = null)
    {
        if (!is_int($value) && !is_float($value)) {
            throw new \InvalidArgumentException(
                'a usage value must be an int or a float, not ' . get_debug_type($value)
            );
        }
        $this->value = $value;
        $this->collectedAt ??= time();
    }

    public function collectedAt()
    {
        return $this->collectedAt;
    }

    public function startAt()
    {
        return $this->startAt;
    }

    public function endAt()
    {
        return $this->endAt;
    }

    public function value()
    {
        return $this->value;
    }
}
