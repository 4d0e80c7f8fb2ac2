<?php

/**
 * A usage-billing provider for the emulator's own tests: storage (GigaBytes, snapshot) and machines
 * (WholeNumber), with the usage the test gives per tenant; counts its calls.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use WHMCS\UsageBilling\Contracts\Metrics\MetricInterface;
use WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface;
use WHMCS\UsageBilling\Metrics\Metric;
use WHMCS\UsageBilling\Metrics\Units\GigaBytes;
use WHMCS\UsageBilling\Metrics\Units\WholeNumber;
use WHMCS\UsageBilling\Metrics\Usage;

final class FakeProvider implements ProviderInterface
{
    /** @var list<string> the methods called, in order (tenantUsage with its tenant) */
    public array $calls = [];

    /**
     * @param array<string, array<string, int|float>> $usage tenant => metric system name => value
     */
    public function __construct(public array $usage = [])
    {
    }

    public function metrics()
    {
        return [
            'storage' => new Metric('storage', 'Storage used', MetricInterface::TYPE_SNAPSHOT, new GigaBytes()),
            'machines' => new Metric(
                'machines',
                'Machines',
                MetricInterface::TYPE_SNAPSHOT,
                new WholeNumber('Machines')
            ),
        ];
    }

    public function usage()
    {
        $this->calls[] = 'usage';
        $all = [];
        foreach ($this->usage as $tenant => $values) {
            $all[$tenant] = $this->withValues($values);
        }
        return $all;
    }

    public function tenantUsage($tenant)
    {
        $this->calls[] = "tenantUsage($tenant)";
        return $this->withValues($this->usage[$tenant] ?? []);
    }

    /**
     * @param array<string, int|float> $values
     * @return list<MetricInterface>
     */
    private function withValues(array $values): array
    {
        $metrics = $this->metrics();
        $out = [];
        foreach ($values as $name => $value) {
            $out[] = $metrics[$name]->withUsage(new Usage($value));
        }
        return $out;
    }
}
