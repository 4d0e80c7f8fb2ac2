<?php

/**
 * WHMCS's Usage Billing cron task and single-tenant refresh
 * (https://developers.whmcs.com/provisioning-modules/usage-metrics): `<module>_MetricProvider`
 * gets the server params and must answer a ProviderInterface; usage() runs once per server and its
 * tenants are matched by MetaData `ListAccountsUniqueIdentifierField` (here `username`); metrics of
 * any other shape fail the task.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use WHMCS\UsageBilling\Metrics\Metric;
use WHMCS\UsageBilling\Metrics\Usage;

final class UsageBillingTest extends BillingTestCase
{
    public function testTheCronStoresEachTenantsMetricsOnTheServiceWithThatUsername(): void
    {
        $alice = $this->service('alice');
        $bob = $this->service('bob');
        $provider = new FakeProvider(['alice' => ['storage' => 12.5, 'machines' => 3], 'bob' => ['storage' => 0.25]]);
        FakeModule::$answers['MetricProvider'] = $provider;

        self::assertSame([$this->serverId => 2], $this->whmcs->runUsageCron());

        self::assertSame(['usage'], $provider->calls, 'usage() once per server, never per service');
        self::assertSame(12.5, $this->whmcs->serviceMetrics($alice)['storage']['value']);
        self::assertSame('GB', $this->whmcs->serviceMetrics($alice)['storage']['unit']);
        self::assertSame(3, $this->whmcs->serviceMetrics($alice)['machines']['value']);
        self::assertSame(['storage'], array_keys($this->whmcs->serviceMetrics($bob)));
        $params = FakeModule::callsOf('MetricProvider')[0]['params'];
        self::assertSame($this->serverId, $params['serverid']);
        self::assertSame('server-Secret-1', $params['serverpassword']);
        self::assertArrayNotHasKey('serviceid', $params, 'the provider is per server, not per service');
    }

    public function testTenantsKeyedByAnotherFieldBillNothing(): void
    {
        $service = $this->service('alice', null, ['domain' => 'alice.example.test']);
        FakeModule::$answers['MetricProvider'] = new FakeProvider(['alice.example.test' => ['storage' => 1.0]]);

        self::assertSame([$this->serverId => 0], $this->whmcs->runUsageCron());

        self::assertSame([], $this->whmcs->serviceMetrics($service));
        self::assertSame(
            ["server {$this->serverId}: alice.example.test"],
            $this->whmcs->usageBilling()->unmatchedTenants()
        );
    }

    public function testATerminatedServiceIsNotBilled(): void
    {
        $service = $this->service('alice');
        $this->whmcs->terminate($service);
        FakeModule::$answers['MetricProvider'] = new FakeProvider(['alice' => ['storage' => 1.0]]);

        self::assertSame([$this->serverId => 0], $this->whmcs->runUsageCron());
        self::assertSame([], $this->whmcs->serviceMetrics($service));
    }

    public function testAMetricProviderThatIsNoProviderInterfaceIsRefused(): void
    {
        $this->service('alice');
        FakeModule::$answers['MetricProvider'] = ['alice' => ['storage' => 1]];

        $this->expectException(\UnexpectedValueException::class);
        $this->expectExceptionMessage('not a WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface');
        $this->whmcs->runUsageCron();
    }

    public function testAMetricWithoutUsageIsRefused(): void
    {
        $this->service('alice');
        $provider = new class implements \WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface {
            public function metrics()
            {
                return ['storage' => new Metric('storage')];
            }

            public function usage()
            {
                return ['alice' => [new Metric('storage')]];
            }

            public function tenantUsage($tenant)
            {
                return [];
            }
        };
        FakeModule::$answers['MetricProvider'] = $provider;

        $this->expectException(\UnexpectedValueException::class);
        $this->expectExceptionMessage('carries no usage');
        $this->whmcs->runUsageCron();
    }

    public function testAMetricThatMetricsDoesNotListIsRefused(): void
    {
        $this->service('alice');
        $provider = new class implements \WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface {
            public function metrics()
            {
                return ['storage' => new Metric('storage')];
            }

            public function usage()
            {
                return ['alice' => [(new Metric('mcal'))->withUsage(new Usage(2))]];
            }

            public function tenantUsage($tenant)
            {
                return [];
            }
        };
        FakeModule::$answers['MetricProvider'] = $provider;

        $this->expectException(\UnexpectedValueException::class);
        $this->expectExceptionMessage('"mcal", which metrics() does not list');
        $this->whmcs->runUsageCron();
    }

    public function testTheValueClassesRefuseWhatWhmcsCannotStore(): void
    {
        $refused = 0;
        $makers = [
            fn () => new Usage('12'),
            fn () => new Metric('storage', 'Storage', 'hourly'),
            fn () => new Metric(''),
        ];
        foreach ($makers as $make) {
            try {
                $make();
            } catch (\InvalidArgumentException) {
                $refused++;
            }
        }
        self::assertSame(3, $refused);
    }

    public function testRefreshAsksTenantUsageForTheServicesUsernameOnly(): void
    {
        $alice = $this->service('alice');
        $provider = new FakeProvider(['alice' => ['storage' => 7.0], 'bob' => ['storage' => 9.0]]);
        FakeModule::$answers['MetricProvider'] = $provider;

        $metrics = $this->whmcs->refreshTenantUsage($alice);

        self::assertSame(['tenantUsage(alice)'], $provider->calls);
        self::assertSame(7.0, $metrics['storage']['value']);
        self::assertSame($metrics, $this->whmcs->serviceMetrics($alice));
    }

    public function testADisabledServerIsNotAsked(): void
    {
        $this->service('alice');
        $this->whmcs->disableServer($this->serverId);
        FakeModule::$answers['MetricProvider'] = new FakeProvider(['alice' => ['storage' => 1.0]]);

        self::assertSame([], $this->whmcs->runUsageCron());
        self::assertSame([], FakeModule::callsOf('MetricProvider'));
    }

    public function testAClassUnderTheModulesLibIsAutoloadedInItsWhmcsNamespace(): void
    {
        $lib = ROOTDIR . '/modules/servers/' . FakeModule::BILLING . '/lib/Usage';
        @mkdir($lib, 0777, true);
        file_put_contents(
            "$lib/Probe.php",
            "<?php\nnamespace WHMCS\\Module\\Server\\Emubill\\Usage;\nfinal class Probe\n{\n}\n"
        );
        try {
            self::assertTrue(class_exists('WHMCS\\Module\\Server\\Emubill\\Usage\\Probe'));
            self::assertFalse(class_exists('WHMCS\\Module\\Server\\Emubill\\Usage\\Missing'));
        } finally {
            unlink("$lib/Probe.php");
            rmdir($lib);
            rmdir(dirname($lib));
            @rmdir(dirname($lib, 2));
        }
    }
}
