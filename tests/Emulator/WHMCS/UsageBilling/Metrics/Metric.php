<?php

/**
 * WHMCS\UsageBilling\Metrics\Metric, with the constructor documented at
 * https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/metric:
 * `__construct($systemName, $displayName = null, $type = null, UnitInterface $units = null,
 * UsageInterface $usage = null)`.
 * A type other than a MetricInterface::TYPE_* constant is refused, as the cron could not bill it.
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics;

use WHMCS\UsageBilling\Contracts\Metrics\MetricInterface;
use WHMCS\UsageBilling\Contracts\Metrics\UnitInterface;
use WHMCS\UsageBilling\Contracts\Metrics\UsageInterface;

class Metric implements MetricInterface
{
    private string $systemName;
    private string $displayName;
    private string $type;
    private UnitInterface $units;

    public function __construct(
        $systemName,
        $displayName = null,
        $type = null,
        ?UnitInterface $units = null,
        private ?UsageInterface $usageValue = null
    ) {
        if (!is_string($systemName) || $systemName === '') {
            throw new \InvalidArgumentException('a metric needs a non-empty system name');
        }
        $type ??= self::TYPE_SNAPSHOT;
        if (!in_array($type, [self::TYPE_SNAPSHOT, self::TYPE_PERIOD_DAY, self::TYPE_PERIOD_MONTH], true)) {
            throw new \InvalidArgumentException("metric $systemName: unknown type " . var_export($type, true));
        }
        $this->systemName = $systemName;
        $this->displayName = (string) ($displayName ?? $systemName);
        $this->type = $type;
        // Without units a metric counts in nameless whole numbers (not documented; a name is given
        // here because WholeNumber has no default one).
        $this->units = $units ?? new Units\WholeNumber('');
    }

    public function usage()
    {
        return $this->usageValue;
    }

    public function withUsage(?UsageInterface $usage = null)
    {
        $copy = clone $this;
        $copy->usageValue = $usage;
        return $copy;
    }

    public function units()
    {
        return $this->units;
    }

    public function systemName()
    {
        return $this->systemName;
    }

    public function displayName()
    {
        return $this->displayName;
    }

    public function type()
    {
        return $this->type;
    }
}
