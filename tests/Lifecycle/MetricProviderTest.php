<?php

/**
 * Usage Billing through the emulated cron (https://developers.whmcs.com/provisioning-modules/usage-metrics):
 * `<module>_MetricProvider` returns the generated `WHMCS\Module\Server\Sgtest\MetricProvider`
 * (modules/servers/sgtest/lib/), whose metrics are storage used (GB), machines and MCAL used, all
 * snapshots. `usage()` reads the server's paged lists once per server, keyed by the username
 * (MetaData ListAccountsUniqueIdentifierField); `tenantUsage()` reads one account. Values are
 * checked against what sgsim was told.
 *
 * Round 3 (issue 17): WHMCS calls `metrics()` on every admin service page and client product page
 * and `tenantUsage()` before TerminateAccount catching only \Exception (observed in WHMCS 8.12):
 * the provider names every unit (WHMCS's WholeNumber has no default name) and never lets
 * anything out, so those pages render and the termination goes on.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;
use WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface;

/** @group glue */
final class MetricProviderTest extends ModuleTestCase
{
    use SimServerSetup;

    private int $serverId;
    private int $productId;

    protected function setUp(): void
    {
        parent::setUp();
        $this->serverId = $this->addSimServer();
        $this->productId = $this->addSimProduct('Customers', 'Signup Customer', '10737418240', $this->serverId);
    }

    public function testTheProviderIsTheGeneratedClassWithThreeSnapshotMetrics(): void
    {
        $provider = $this->whmcs->call('MetricProvider', ['serverid' => $this->serverId]);

        self::assertInstanceOf(ProviderInterface::class, $provider);
        self::assertSame('WHMCS\Module\Server\Sgtest\MetricProvider', get_class($provider));
        self::assertFileExists(ROOTDIR . '/modules/servers/sgtest/lib/MetricProvider.php');
        $metrics = $provider->metrics();
        self::assertSame(['storage_used', 'machines', 'mcal_used'], array_keys($metrics));
        self::assertSame('Gigabytes', $metrics['storage_used']->units()->name());
        self::assertSame('GB', $metrics['storage_used']->units()->suffix());
        self::assertSame('Machines', $metrics['machines']->units()->name());
        self::assertSame('machine', $metrics['machines']->units()->perUnitName(1));
        self::assertSame('licences', $metrics['mcal_used']->units()->perUnitName(2));
        self::assertSame('Storage used', $metrics['storage_used']->displayName());
        foreach ($metrics as $metric) {
            self::assertSame(\WHMCS\UsageBilling\Metrics\Metric::TYPE_SNAPSHOT, $metric->type());
        }
    }

    public function testTheCronBillsEveryServiceFromOneListingPerServer(): void
    {
        [$alpha] = $this->orderAndAccept($this->productId, 'alpha');
        [$bravo] = $this->orderAndAccept($this->productId, 'Bravo');
        $this->sim->expect(200, 'POST', '/_sim/usage', ['accounts' => [
            ['kind' => 'customer', 'name' => 'alpha', 'used_bytes' => 3 << 29, 'mcal_used' => 4, 'clients' => 2],
            ['kind' => 'customer', 'name' => 'bravo', 'used_bytes' => 0, 'mcal_used' => 0, 'clients' => 0],
        ]]);
        $before = $this->sim->stats()['routes'];

        self::assertSame([$this->serverId => 2], $this->whmcs->runUsageCron());

        $alphaMetrics = $this->whmcs->serviceMetrics($alpha);
        self::assertSame(1.5, $alphaMetrics['storage_used']['value']);
        self::assertSame('Gigabytes', $alphaMetrics['storage_used']['unit']);
        self::assertSame(2, $alphaMetrics['machines']['value']);
        self::assertSame(4, $alphaMetrics['mcal_used']['value']);
        self::assertSame(0, $this->whmcs->serviceMetrics($bravo)['machines']['value']);
        self::assertSame(1, $this->whmcs->usageBilling()->usageCalls($this->serverId));
        $routes = $this->sim->stats()['routes'];
        self::assertSame(1, $routes['GET /customers'] - ($before['GET /customers'] ?? 0), 'one page of customers');
        self::assertSame(1, $routes['GET /resellers'] - ($before['GET /resellers'] ?? 0), 'one page of resellers');
        $reads = 'GET /customers/{name}';
        self::assertSame($before[$reads] ?? 0, $routes[$reads] ?? 0, 'no read per tenant');
    }

    public function testATenantRefreshReadsItsNameOnceOfEachKind(): void
    {
        [$alpha] = $this->orderAndAccept($this->productId, 'alpha');
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'customer', 'name' => 'alpha', 'used_bytes' => 1 << 30, 'clients' => 7,
        ]);
        $before = $this->sim->totalRequests();

        $metrics = $this->whmcs->refreshTenantUsage($alpha);

        self::assertSame(1.0, $metrics['storage_used']['value']);
        self::assertSame(7, $metrics['machines']['value']);
        self::assertSame($before + 2, $this->sim->totalRequests(), 'the customer and the reseller of that name');
    }

    public function testAnotherInstallsAccountIsNotBilledHere(): void
    {
        $this->sim->createDirectly('customers', [
            'name' => 'theirs', 'reference' => 'whmcs:0123456789abcdef:service:1',
            'storage' => ['allotted_bytes' => 1073741824], 'mcal' => ['auto' => true],
        ]);
        $params = ['serverid' => $this->serverId] + $this->serverParams();
        $provider = $this->whmcs->call('MetricProvider', $params);

        // As WHMCS's cron and service page call them (the emulator's UsageBilling does the same).
        $usage = $this->whmcs->inCall('MetricProvider', $params, fn () => $provider->usage());
        $theirs = $this->whmcs->inCall('MetricProvider', $params, fn () => $provider->tenantUsage('theirs'));

        self::assertArrayNotHasKey('theirs', $usage);
        self::assertArrayNotHasKey('Default Customer', $usage, 'no service owns an account without a reference');
        self::assertSame([], $theirs);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('belongs to another WHMCS install', $log);
    }

    public function testAResellerIsBilledWithTheResellersFiguresNeverACustomersOfItsName(): void
    {
        $resellers = $this->addSimProduct('Resellers', 'Signup Reseller', '1099511627776', $this->serverId);
        [$reseller] = $this->orderAndAccept($resellers, 'bravo');
        $this->sim->createDirectly('customers', [
            'name' => 'Bravo', 'storage' => ['allotted_bytes' => 1073741824], 'mcal' => ['auto' => true],
        ]);
        $this->sim->expect(200, 'POST', '/_sim/usage', ['accounts' => [
            ['kind' => 'reseller', 'name' => 'bravo', 'used_bytes' => 5 << 30, 'mcal_used' => 3],
            ['kind' => 'customer', 'name' => 'Bravo', 'used_bytes' => 1 << 30, 'mcal_used' => 9, 'clients' => 4],
        ]]);

        self::assertSame([$this->serverId => 1], $this->whmcs->runUsageCron());

        $metrics = $this->whmcs->serviceMetrics($reseller);
        self::assertSame(5.0, $metrics['storage_used']['value']);
        self::assertSame(3, $metrics['mcal_used']['value']);
        self::assertArrayNotHasKey('machines', $metrics, 'a reseller has no machine count: unknown, not 0');
        self::assertSame([], $this->whmcs->usageBilling()->unmatchedTenants());
        $refreshed = $this->whmcs->refreshTenantUsage($reseller);
        self::assertSame(5.0, $refreshed['storage_used']['value'], 'tenantUsage reads the reseller too');
        self::assertSame(3, $refreshed['mcal_used']['value']);
    }

    public function testTwoServicesWhmcsWouldMatchToOneTenantAreNeitherBilled(): void
    {
        $resellers = $this->addSimProduct('Resellers', 'Signup Reseller', '1099511627776', $this->serverId);
        [$reseller] = $this->orderAndAccept($resellers, 'delta');
        [$customer] = $this->orderAndAccept($this->productId, 'DELTA');
        [$echo] = $this->orderAndAccept($this->productId, 'echo');

        self::assertSame([$this->serverId => 1], $this->whmcs->runUsageCron());

        self::assertSame([], $this->whmcs->serviceMetrics($reseller));
        self::assertSame([], $this->whmcs->serviceMetrics($customer));
        self::assertArrayHasKey('storage_used', $this->whmcs->serviceMetrics($echo));
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        $said = 'customer "DELTA" and reseller "delta": WHMCS would match these services to one tenant';
        self::assertStringContainsString($said, $log);
    }

    public function testAFigureTheServerDoesNotGiveIsUnknownNotZero(): void
    {
        [$alpha] = $this->orderAndAccept($this->productId, 'alpha');
        $reference = (string) $this->sim->customer('alpha')['reference'];
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers', 'set' => ['customers' => [
            ['name' => 'alpha', 'kind' => 'customer', 'reference' => $reference, 'mcal' => ['used' => 1]],
        ], 'next' => null]]);

        self::assertSame([$this->serverId => 1], $this->whmcs->runUsageCron());

        $metrics = $this->whmcs->serviceMetrics($alpha);
        self::assertSame(['mcal_used'], array_keys($metrics), 'storage and machines unknown: left out, never 0');
        self::assertSame(1, $metrics['mcal_used']['value']);

        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => [
            'storage' => ['allotted_bytes' => 1073741824], 'clients' => null,
        ]]);
        $refreshed = $this->whmcs->refreshTenantUsage($alpha);
        self::assertSame(['mcal_used'], array_keys($refreshed));
    }

    public function testATenantWhoseAccountNoServiceOfThisInstallOwnsIsRefusedSayingWhose(): void
    {
        $params = ['serverid' => $this->serverId] + $this->serverParams();
        [$alpha] = $this->orderAndAccept($this->productId, 'alpha');
        $install = (string) $this->whmcs->store()->setting('SgWhmcsInstallId');
        $gib = ['allotted_bytes' => 1073741824];
        $this->sim->createDirectly('customers', ['name' => 'legacy', 'storage' => $gib, 'mcal' => ['auto' => true]]);
        $this->sim->createDirectly('customers', [
            'name' => 'stolen', 'storage' => $gib, 'mcal' => ['auto' => true],
            'reference' => "whmcs:$install:service:$alpha",
        ]);
        $provider = $this->whmcs->call('MetricProvider', $params);

        foreach (
            [
                'legacy' => 'has no reference, so no service owns it yet: link it to its service with Link '
                    . 'Existing Account',
                'stolen' => "names service $alpha, whose username is \"alpha\"",
                'Default Customer' => 'has no reference',
                'nobody' => 'the Backup Server has no account "nobody"',
            ] as $tenant => $says
        ) {
            $usage = $this->whmcs->inCall('MetricProvider', $params, fn () => $provider->tenantUsage($tenant));
            self::assertSame([], $usage, $tenant);
            $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
            self::assertStringContainsString($says, $log, $tenant);
        }
        $usage = $this->whmcs->inCall('MetricProvider', $params, fn () => $provider->usage());
        self::assertSame(['alpha'], array_keys($usage), 'only the account the service owns is billed');
    }

    public function testAFailingServerBillsNothingAndSaysWhy(): void
    {
        [$alpha] = $this->orderAndAccept($this->productId, 'alpha');
        $this->sim->fault(['kind' => 'status', 'route' => 'GET /customers', 'status' => 503, 'count' => 1]);

        self::assertSame([$this->serverId => 0], $this->whmcs->runUsageCron());

        self::assertSame([], $this->whmcs->serviceMetrics($alpha));
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('sgwhmcs usage billing: the usage of', $log);
        self::assertStringNotContainsString($this->sim->password, $log);
    }

    public function testAServerThatEchoesTheRequestNeverGetsTheCredentialsShown(): void
    {
        [$alpha] = $this->orderAndAccept($this->productId, 'alpha');
        $this->sim->fault(['kind' => 'echo', 'route' => 'GET /customers']);
        $this->sim->fault(['kind' => 'echo', 'route' => 'GET /customers/{name}']);

        self::assertSame([$this->serverId => 0], $this->whmcs->runUsageCron());
        self::assertSame([], $this->whmcs->refreshTenantUsage($alpha));

        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('the usage of', $log);
        self::assertStringNotContainsString($this->sim->password, $log);
        $credential = base64_encode($this->sim->user . ':' . $this->sim->password);
        self::assertStringNotContainsString($credential, $log);
    }

    public function testABadTenantIsRefusedWithoutARequest(): void
    {
        $params = ['serverid' => $this->serverId] + $this->serverParams();
        $provider = $this->whmcs->call('MetricProvider', $params);
        $before = $this->sim->totalRequests();

        foreach (["a/../b", "x\xff", str_repeat('a', 100000), '&lt;b&gt;', ''] as $tenant) {
            $usage = $this->whmcs->inCall('MetricProvider', $params, fn () => $provider->tenantUsage($tenant));
            self::assertSame([], $usage);
        }

        self::assertSame($before, $this->sim->totalRequests());
        self::assertStringContainsString('tenant', implode("\n", array_column($this->whmcs->activity(), 'message')));
    }

    /** @return array<string, mixed> the test server's params as WHMCS passes them */
    private function serverParams(): array
    {
        return ['serversecure' => true] + $this->sim->serverParams();
    }

    public function testTheServicePagesAndTheTerminationRunTheProviderAsWhmcsDoes(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->productId, ['username' => 'alpha']);
        self::assertSame('success', $this->whmcs->acceptOrder($orderId));
        $alpha = $this->whmcs->orderService($orderId);
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'customer', 'name' => 'alpha', 'used_bytes' => 1 << 31, 'mcal_used' => 2, 'clients' => 3,
        ]);
        $billing = $this->whmcs->usageBilling();

        $this->whmcs->adminScreens()->serviceTab($alpha);
        $this->whmcs->clientArea()->productDetails($clientId, $alpha);
        self::assertSame(2, $billing->pageCalls($alpha), 'both pages called metrics() and rendered');

        self::assertSame('success', $this->whmcs->terminate($alpha));

        self::assertSame([], $billing->terminationFailures());
        $metrics = $this->whmcs->serviceMetrics($alpha);
        self::assertSame(2.0, $metrics['storage_used']['value'], 'the usage so far, read before the termination');
        self::assertSame(3, $metrics['machines']['value']);
        self::assertSame('Machines', $metrics['machines']['unit']);
        self::assertSame('Licences', $metrics['mcal_used']['unit']);
        self::assertSame('Terminated', $this->whmcs->service($alpha)['domainstatus']);
        // The terminated service's page still calls metrics(): it renders.
        $this->whmcs->adminScreens()->serviceTab($alpha);
        self::assertSame(3, $billing->pageCalls($alpha));
    }

    /**
     * Whatever WHMCS's classes do, the provider lets nothing out of metrics(), usage() or
     * tenantUsage() (WHMCS catches only \Exception around tenantUsage() and nothing on its pages):
     * in a PHP process whose unit and Metric classes throw \Errors, each answers its empty shape.
     */
    public function testTheProviderLetsNothingOutEvenWhenWhmcsClassesThrowErrors(): void
    {
        $command = array_merge(Process::php(TestModule::extensionPath()), [
            __DIR__ . '/fixtures/provider-with-broken-units.php',
            ROOTDIR . '/modules/servers/sgtest/lib/MetricProvider.php',
        ]);

        $run = Process::run($command, 30.0);

        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertSame(
            ['metrics' => [], 'usage' => [], 'tenantUsage' => []],
            json_decode($run['stdout'], true),
            $run['stdout'] . $run['stderr']
        );
    }
}
