<?php

/**
 * WHMCS's Usage Billing cron task and single-tenant refresh
 * (https://developers.whmcs.com/provisioning-modules/usage-metrics): `<module>_MetricProvider`
 * gets the server params and must answer a ProviderInterface; usage() runs once per server and its
 * tenants are matched by MetaData `ListAccountsUniqueIdentifierField` (here `username`); metrics of
 * any other shape fail the task.
 *
 * Round 3 (issue 17): the units have WHMCS's constructors
 * (https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/abstractunit: `$name`
 * without a default; WholeNumber and FloatingPoint declare no constructor); `metrics()` runs on
 * every admin service page and client product page, `tenantUsage()` before TerminateAccount
 * under `catch (\Exception)` only (observed in WHMCS 8.12, not documented; modelled as seen).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface;
use WHMCS\UsageBilling\Metrics\Metric;
use WHMCS\UsageBilling\Metrics\Units;
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
        self::assertSame('Gigabytes', $this->whmcs->serviceMetrics($alice)['storage']['unit']);
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

    // ---- round 3: units, service pages, termination ------------------------------------------

    public function testAWholeNumberOrFloatingPointWithoutANameThrowsArgumentCountError(): void
    {
        foreach ([fn () => new Units\WholeNumber(), fn () => new Units\FloatingPoint()] as $make) {
            try {
                $make();
                self::fail('a unit without a name was built');
            } catch (\ArgumentCountError $e) {
                self::assertNotInstanceOf(\Exception::class, $e, 'an \Error: catch (\Exception) misses it');
            }
        }
        $named = new Units\WholeNumber('Machines', 'machine', 'machines');
        self::assertSame('Machines', $named->name());
        self::assertSame('machine', $named->perUnitName(1));
        self::assertSame('machines', $named->perUnitName(3));
        self::assertSame('int', $named->type());
    }

    public function testTheNamedUnitsHaveWhmcsDefaults(): void
    {
        $giga = new Units\GigaBytes();
        self::assertSame(['Gigabytes', 'GB', 'float'], [$giga->name(), $giga->suffix(), $giga->type()]);
        self::assertInstanceOf(Units\Bytes::class, $giga);
        self::assertSame('1.50GB', $giga->decorate(1.5));
        self::assertSame('Byte', (new Units\Bytes())->perUnitName(1));
        self::assertSame('Megabytes', (new Units\MegaBytes())->name());
        self::assertSame('Kilobytes', (new Units\KiloBytes())->name());
        self::assertSame('Account', (new Units\Accounts())->perUnitName(1));
        $domains = new Units\Domains();
        self::assertSame(['Domains', 'int'], [$domains->name(), $domains->type()]);
        self::assertInstanceOf(Units\WholeNumber::class, $domains);
    }

    public function testTheAdminServicePageCallsMetricsAndAnErrorInItBreaksThePage(): void
    {
        $alice = $this->service('alice');
        FakeModule::$answers['MetricProvider'] = new FakeProvider();

        self::assertSame([], $this->whmcs->adminScreens()->serviceTab($alice));
        self::assertSame(1, $this->whmcs->usageBilling()->pageCalls($alice));
        self::assertSame($this->serverId, FakeModule::callsOf('MetricProvider')[0]['params']['serverid']);

        FakeModule::$answers['MetricProvider'] = self::provider(metrics: fn () => [
            'machines' => new Metric('machines', 'Machines', Metric::TYPE_SNAPSHOT, new Units\WholeNumber()),
        ]);
        $this->expectException(\ArgumentCountError::class);
        $this->whmcs->adminScreens()->serviceTab($alice);
    }

    public function testTheClientProductPageCallsMetricsAndAnErrorInItBreaksThePage(): void
    {
        $alice = $this->service('alice');
        $dir = ROOTDIR . '/modules/servers/' . FakeModule::BILLING . '/templates';
        @mkdir($dir, 0777, true);
        file_put_contents("$dir/emubill-page.tpl", "<p>page</p>\n");
        try {
            FakeModule::$answers['MetricProvider'] = new FakeProvider();
            $this->whmcs->clientArea()->productDetails($this->clientId, $alice);
            self::assertSame(1, $this->whmcs->usageBilling()->pageCalls($alice));

            FakeModule::$answers['MetricProvider'] = self::provider(metrics: function (): never {
                throw new \Error('a provider that breaks');
            });
            $this->expectExceptionMessage('a provider that breaks');
            $this->whmcs->clientArea()->productDetails($this->clientId, $alice);
        } finally {
            unlink("$dir/emubill-page.tpl");
        }
    }

    public function testTerminationAsksTenantUsageFirstAndStoresIt(): void
    {
        $alice = $this->service('alice');
        $provider = new FakeProvider(['alice' => ['storage' => 4.5]]);
        FakeModule::$answers['MetricProvider'] = $provider;

        self::assertSame('success', $this->whmcs->terminate($alice));

        self::assertSame(['tenantUsage(alice)'], $provider->calls);
        self::assertSame(4.5, $this->whmcs->serviceMetrics($alice)['storage']['value']);
        self::assertSame('Terminated', $this->whmcs->service($alice)['domainstatus']);
        self::assertCount(1, FakeModule::callsOf('TerminateAccount'));
    }

    public function testAnExceptionFromTenantUsageIsSwallowedButAnErrorStopsTheTermination(): void
    {
        $alice = $this->service('alice');
        $bob = $this->service('bob');
        FakeModule::$answers['MetricProvider'] = self::provider(tenantUsage: function (): never {
            throw new \RuntimeException('usage not read');
        });

        self::assertSame('success', $this->whmcs->terminate($alice));
        self::assertSame('Terminated', $this->whmcs->service($alice)['domainstatus']);
        self::assertSame(["service $alice: usage not read"], $this->whmcs->usageBilling()->terminationFailures());

        FakeModule::$answers['MetricProvider'] = self::provider(tenantUsage: fn () => [
            (new Metric('machines', 'Machines', Metric::TYPE_SNAPSHOT, new Units\WholeNumber()))
                ->withUsage(new Usage(1)),
        ]);
        try {
            $this->whmcs->terminate($bob);
            self::fail('an \Error in tenantUsage() did not stop the termination');
        } catch (\ArgumentCountError) {
        }
        self::assertSame('Active', $this->whmcs->service($bob)['domainstatus']);
        self::assertCount(1, FakeModule::callsOf('TerminateAccount'), 'TerminateAccount never ran for bob');
    }

    /**
     * A provider whose methods run the given closures (metrics(): storage in GB by default).
     *
     * @param (callable(): mixed)|null $metrics
     * @param (callable(): mixed)|null $tenantUsage
     */
    private static function provider(?callable $metrics = null, ?callable $tenantUsage = null): ProviderInterface
    {
        return new class ($metrics, $tenantUsage) implements ProviderInterface {
            /** @var callable(): mixed */
            private $metrics;
            /** @var callable(): mixed */
            private $tenantUsage;

            public function __construct(?callable $metrics, ?callable $tenantUsage)
            {
                $this->metrics = $metrics ?? fn () => (new FakeProvider())->metrics();
                $this->tenantUsage = $tenantUsage ?? fn () => [];
            }

            public function metrics()
            {
                return ($this->metrics)();
            }

            public function usage()
            {
                return [];
            }

            public function tenantUsage($tenant)
            {
                return ($this->tenantUsage)();
            }
        };
    }
}
