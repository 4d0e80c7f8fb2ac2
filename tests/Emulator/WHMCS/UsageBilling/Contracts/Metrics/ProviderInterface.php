<?php

/**
 * WHMCS's usage-billing provider contract, as documented at
 * https://developers.whmcs.com/classes/whmcs/usagebilling/contracts/metrics/providerinterface
 * (what `<module>_MetricProvider($params)` must return:
 * https://developers.whmcs.com/provisioning-modules/usage-metrics).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Contracts\Metrics;

interface ProviderInterface
{
    /** @return MetricInterface[] all metrics supported by the provider, keyed by metric system name */
    public function metrics();

    /** @return array all usage of the provider, keyed by tenant id: tenant => MetricInterface[] with usage */
    public function usage();

    /** @return MetricInterface[] the usage of one tenant */
    public function tenantUsage($tenant);
}
