<?php

/**
 * WHMCS's Usage Billing, emulated (https://developers.whmcs.com/provisioning-modules/usage-metrics,
 * https://docs.whmcs.com/Usage_Billing): the cron task that collects tenant usage (TenantUsageMetrics)
 * and the single-tenant refresh of a service page. For each enabled server of the module whose module
 * file defines `<module>_MetricProvider`, the provider is built with the server's params; it must be a
 * `WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface`. `usage()` is called ONCE per server and
 * must answer `[tenant => MetricInterface[] each with a UsageInterface]`; every metric must be one
 * that `metrics()` lists (keyed by system name). Tenants are matched to the server's services by the
 * field MetaData names in `ListAccountsUniqueIdentifierField` (`domain`, `username` or
 * `customfield.<Name>`; `domain` when MetaData names none, as in WHMCS's sample), compared
 * case-insensitively like MySQL, among services that are not Terminated, Cancelled or Fraud. A
 * wrong shape throws UnexpectedValueException naming what is wrong: the cron task fails, nothing
 * of that server is stored.
 *
 * Where else WHMCS runs the provider (observed in WHMCS 8.12, not documented; modelled as seen):
 * - servicePage(): the admin's service page (Clients › Products/Services) and the client area's
 *   product details page of EVERY service whose server's module has a provider call `metrics()`
 *   to show the usage table; nothing is caught, so a provider that throws (an \Error such as
 *   the ArgumentCountError of `new WholeNumber()`, or an \Exception: modelled strict) breaks
 *   the page.
 * - beforeTermination(): TerminateAccount first invoices the usage so far: `tenantUsage(<the
 *   service's tenant>)` inside `try { } catch (\Exception $e) { }` ONLY, so an \Exception is
 *   swallowed and the termination goes on, while an \Error stops the termination (and the cron
 *   run that terminates overdue services).
 * The units' constructors are WHMCS's (WHMCS/UsageBilling/Metrics/Units/AbstractUnit.php).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

use WHMCS\UsageBilling\Contracts\Metrics\MetricInterface;
use WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface;
use WHMCS\UsageBilling\Contracts\Metrics\UsageInterface;

final class UsageBilling
{
    /** Statuses of services that no longer bill: a tenant is never matched to one of them. */
    public const ENDED = ['Terminated', 'Cancelled', 'Fraud'];

    /** @var array<int, array<string, array{value: int|float, type: string, unit: string, displayName: string}>> */
    private array $metrics = [];

    /** @var list<string> tenants usage() named that no service matched, as "server N: tenant" */
    private array $unmatched = [];

    /** @var array<int, int> server id => how many times usage() ran on its provider */
    private array $usageCalls = [];

    /** @var array<int, int> service id => how many service pages called metrics() */
    private array $pageCalls = [];

    /** @var list<string> \Exceptions beforeTermination() swallowed */
    private array $terminationFailures = [];

    public function __construct(private Whmcs $whmcs, private Store $store, private ParamsBuilder $params)
    {
    }

    /**
     * The cron task: every enabled server of the module with a MetricProvider.
     *
     * @return array<int, int> server id => how many services got metrics
     */
    public function runCron(): array
    {
        $updated = [];
        if (!function_exists($this->whmcs->module . '_MetricProvider')) {
            return $updated;
        }
        foreach ($this->store->servers as $serverId => $server) {
            if ($server['type'] !== $this->whmcs->module || !empty($server['disabled'])) {
                continue;
            }
            $provider = $this->provider($serverId);
            $metrics = $this->declaredMetrics($provider);
            $this->usageCalls[$serverId] = ($this->usageCalls[$serverId] ?? 0) + 1;
            $usage = $this->whmcs->inCall(
                'MetricProvider',
                $this->serverParams($serverId),
                fn (): mixed => $provider->usage()
            );
            if (!is_array($usage)) {
                throw new \UnexpectedValueException('usage() returned ' . get_debug_type($usage) . ', not an array');
            }
            $byService = [];
            foreach ($usage as $tenant => $tenantMetrics) {
                $values = $this->values($tenantMetrics, $metrics, "usage()[$tenant]");
                $serviceId = $this->serviceOfTenant($serverId, (string) $tenant);
                if ($serviceId === null) {
                    $this->unmatched[] = "server $serverId: $tenant";
                    continue;
                }
                if (isset($byService[$serviceId])) {
                    throw new \UnexpectedValueException("usage() names service $serviceId twice (tenant $tenant)");
                }
                $byService[$serviceId] = $values;
            }
            foreach ($byService as $serviceId => $values) {
                $this->metrics[$serviceId] = $values;
            }
            $updated[$serverId] = count($byService);
        }
        return $updated;
    }

    /**
     * The service page's "refresh" of one service: `tenantUsage(<its tenant>)` on its server's
     * provider.
     *
     * @return array<string, array{value: int|float, type: string, unit: string, displayName: string}>
     */
    public function refreshTenant(int $serviceId): array
    {
        $service = $this->store->service($serviceId);
        if ((int) $service['server'] === 0) {
            throw new \LogicException("service $serviceId has no server: WHMCS has no provider to ask");
        }
        $provider = $this->provider((int) $service['server']);
        $metrics = $this->declaredMetrics($provider);
        $tenant = $this->tenantOf($serviceId);
        $usage = $this->whmcs->inCall(
            'MetricProvider',
            $this->serverParams((int) $service['server']),
            fn (): mixed => $provider->tenantUsage($tenant)
        );
        $this->metrics[$serviceId] = $this->values($usage, $metrics, "tenantUsage($tenant)");
        return $this->metrics[$serviceId];
    }

    /**
     * A service page of SERVICE (the admin's service page or the client's product details page)
     * renders: `metrics()` of its server's provider, when that server's module has one. Nothing
     * is caught: whatever the provider throws breaks the page.
     *
     * @return array<string, MetricInterface> what the page shows (empty: no provider)
     */
    public function servicePage(int $serviceId): array
    {
        $serverId = $this->providerServer($serviceId);
        if ($serverId === null) {
            return [];
        }
        $this->pageCalls[$serviceId] = ($this->pageCalls[$serviceId] ?? 0) + 1;
        $provider = $this->provider($serverId);
        $metrics = $this->whmcs->inCall(
            'MetricProvider',
            $this->serverParams($serverId),
            fn (): mixed => $provider->metrics()
        );
        if (!is_array($metrics)) {
            throw new \UnexpectedValueException('metrics() returned ' . get_debug_type($metrics) . ', not an array');
        }
        foreach ($metrics as $key => $metric) {
            if (!$metric instanceof MetricInterface) {
                throw new \UnexpectedValueException(
                    "metrics()[$key] is " . get_debug_type($metric) . ', not a MetricInterface'
                );
            }
            // The usage table prints each metric's unit as its name and a decorated value.
            $metric->units()->name();
            $metric->units()->decorate(0);
        }
        return $metrics;
    }

    /** How many service pages of SERVICE called metrics(). */
    public function pageCalls(int $serviceId): int
    {
        return $this->pageCalls[$serviceId] ?? 0;
    }

    /**
     * TerminateAccount of SERVICE is about to run: the usage so far is collected first
     * (`tenantUsage()` of its tenant, stored as the refresh stores it), inside
     * `catch (\Exception)` only: an \Exception is noted and swallowed, an \Error propagates and
     * the termination does not happen.
     */
    public function beforeTermination(int $serviceId): void
    {
        if ($this->providerServer($serviceId) === null) {
            return;
        }
        try {
            $this->refreshTenant($serviceId);
        } catch (\Exception $e) {
            $this->terminationFailures[] = "service $serviceId: " . $e->getMessage();
        }
    }

    /** @return list<string> the \Exceptions swallowed by beforeTermination(), as "service N: message" */
    public function terminationFailures(): array
    {
        return $this->terminationFailures;
    }

    /** The server of SERVICE when its module (this one) has a MetricProvider, else null. */
    private function providerServer(int $serviceId): ?int
    {
        $serverId = (int) $this->store->service($serviceId)['server'];
        if ($serverId === 0 || !function_exists($this->whmcs->module . '_MetricProvider')) {
            return null;
        }
        return $this->store->server($serverId)['type'] === $this->whmcs->module ? $serverId : null;
    }

    /** @return array<string, array{value: int|float, type: string, unit: string, displayName: string}> */
    public function serviceMetrics(int $serviceId): array
    {
        return $this->metrics[$serviceId] ?? [];
    }

    /** @return list<string> */
    public function unmatchedTenants(): array
    {
        return $this->unmatched;
    }

    /** How many times the cron called usage() for SERVER. */
    public function usageCalls(int $serverId): int
    {
        return $this->usageCalls[$serverId] ?? 0;
    }

    /** The value of the unique identifier field of SERVICE (its tenant key). */
    public function tenantOf(int $serviceId): string
    {
        $field = (string) ($this->whmcs->metaData()['ListAccountsUniqueIdentifierField'] ?? 'domain');
        $service = $this->store->service($serviceId);
        if (str_starts_with($field, 'customfield.')) {
            $name = substr($field, strlen('customfield.'));
            return Html::decode((string) ($this->store->serviceFields($serviceId)[$name] ?? ''));
        }
        if (!in_array($field, ['domain', 'username'], true)) {
            throw new \UnexpectedValueException(
                "ListAccountsUniqueIdentifierField \"$field\" is not domain, username or customfield.<Name>"
            );
        }
        return Html::decode((string) $service[$field]);
    }

    private function serviceOfTenant(int $serverId, string $tenant): ?int
    {
        foreach ($this->store->services as $id => $service) {
            if ((int) $service['server'] !== $serverId || in_array($service['domainstatus'], self::ENDED, true)) {
                continue;
            }
            $product = $this->store->product($service['packageid']);
            if ($product['servertype'] !== $this->whmcs->module) {
                continue;
            }
            if ($tenant !== '' && strcasecmp($this->tenantOf($id), $tenant) === 0) {
                return $id;
            }
        }
        return null;
    }

    /** @return array<string, mixed> the params WHMCS builds the provider of SERVER with */
    private function serverParams(int $serverId): array
    {
        return ['serverid' => $serverId] + Html::decode($this->params->serverFields($this->store->server($serverId)));
    }

    private function provider(int $serverId): ProviderInterface
    {
        $provider = $this->whmcs->call('MetricProvider', $this->serverParams($serverId));
        if (!$provider instanceof ProviderInterface) {
            throw new \UnexpectedValueException(
                'MetricProvider returned ' . get_debug_type($provider) . ', not a ' . ProviderInterface::class
            );
        }
        return $provider;
    }

    /** @return array<string, MetricInterface> metrics(), checked: MetricInterface objects keyed by system name */
    private function declaredMetrics(ProviderInterface $provider): array
    {
        $metrics = $provider->metrics();
        if (!is_array($metrics) || $metrics === []) {
            throw new \UnexpectedValueException('metrics() must return a non-empty array of MetricInterface');
        }
        foreach ($metrics as $key => $metric) {
            if (!$metric instanceof MetricInterface) {
                throw new \UnexpectedValueException(
                    "metrics()[$key] is " . get_debug_type($metric) . ', not a MetricInterface'
                );
            }
            if ($key !== $metric->systemName()) {
                throw new \UnexpectedValueException(
                    "metrics() keys metric {$metric->systemName()} as \"$key\", not by its system name"
                );
            }
        }
        return $metrics;
    }

    /**
     * @param array<string, MetricInterface> $declared
     * @return array<string, array{value: int|float, type: string, unit: string, displayName: string}>
     */
    private function values(mixed $metrics, array $declared, string $where): array
    {
        if (!is_array($metrics)) {
            throw new \UnexpectedValueException(
                "$where is " . get_debug_type($metrics) . ', not an array of MetricInterface'
            );
        }
        $values = [];
        foreach ($metrics as $key => $metric) {
            if (!$metric instanceof MetricInterface) {
                throw new \UnexpectedValueException(
                    "{$where}[$key] is " . get_debug_type($metric) . ', not a MetricInterface'
                );
            }
            $name = $metric->systemName();
            if (!isset($declared[$name])) {
                throw new \UnexpectedValueException("$where has metric \"$name\", which metrics() does not list");
            }
            $usage = $metric->usage();
            if (!$usage instanceof UsageInterface) {
                throw new \UnexpectedValueException(
                    "$where: metric \"$name\" carries no usage (withUsage() not called)"
                );
            }
            $value = $usage->value();
            if (!is_int($value) && !is_float($value)) {
                throw new \UnexpectedValueException(
                    "$where: metric \"$name\" has a " . get_debug_type($value) . ' value, not a number'
                );
            }
            $values[$name] = [
                'value' => $value,
                'type' => $metric->type(),
                'unit' => $metric->units()->name(),
                'displayName' => $metric->displayName(),
            ];
        }
        return $values;
    }
}
