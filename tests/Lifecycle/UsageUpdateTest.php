<?php

/**
 * Disk usage into WHMCS through the emulated daily cron: `<module>_UsageUpdate` once per server
 * (server params only; https://developers.whmcs.com/provisioning-modules/usage-update, "the
 * database update should be a single call") and the module's DailyCronJob hook for products
 * with their own connection fields. Each run reads the server's paged lists (never one request per
 * service) and writes tblhosting in batched queries; the server's state is checked through sgsim.
 *
 * Round 3 (issue 17): `lastupdate` is WHMCS's local time (PHP's default time zone, as WHMCS
 * stores and shows dates); only Active and Suspended services are updated, the others neither
 * matched nor named in the Activity Log (as WHMCS's bundled modules do); the module's DailyCronJob
 * pass honours Automation Settings › "Update Usage Statistics" (`UpdateStatsAuto`) as WHMCS's
 * daily task does (https://docs.whmcs.com/Automation_Settings).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Process;
use WHMCS\Database\Capsule;

/** @group glue */
final class UsageUpdateTest extends ModuleTestCase
{
    private const MIB = 1048576;

    private int $serverId;

    protected function setUp(): void
    {
        parent::setUp();
        $this->serverId = $this->whmcs->addServer(
            ['name' => 'Backup Server ' . $this->sim->port, 'ipaddress' => ''] + $this->sim->serverRecord()
        );
    }

    public function testEveryServiceOfTheServerIsWrittenFromOnePagedListInOneQuery(): void
    {
        $productId = $this->serverProduct();
        $ids = [];
        foreach (['Alpha', 'bravo', 'charlie'] as $name) {
            [$ids[$name], $result] = $this->orderAndAccept($productId, $name);
            self::assertSame('success', $result);
        }
        $this->sim->setCustomerUsage(['Alpha' => 300 * self::MIB, 'bravo' => 1536 * self::MIB, 'charlie' => 0]);
        $before = $this->sim->stats()['routes'];
        $this->whmcs->database()->resetQueryCount();

        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());

        self::assertSame('300', (string) $this->whmcs->service($ids['Alpha'])['diskusage']);
        self::assertSame('1536', (string) $this->whmcs->service($ids['bravo'])['diskusage']);
        self::assertSame('0', (string) $this->whmcs->service($ids['charlie'])['diskusage']);
        self::assertSame('10240', (string) $this->whmcs->service($ids['bravo'])['disklimit']);
        self::assertMatchesRegularExpression(
            '/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/',
            (string) $this->whmcs->service($ids['Alpha'])['lastupdate']
        );
        self::assertSame(1, $this->whmcs->database()->queryCount('tblhosting', 'update'), 'one batched write');
        $routes = $this->sim->stats()['routes'];
        self::assertSame(1, ($routes['GET /customers'] ?? 0) - ($before['GET /customers'] ?? 0), 'one page');
        $reads = 'GET /customers/{name}';
        self::assertSame($before[$reads] ?? 0, $routes[$reads] ?? 0, 'no read per service');
        self::assertArrayNotHasKey('GET /resellers', $routes, 'no reseller product: resellers are not listed');
    }

    /**
     * A WHMCS bigger than one page of services and the server bigger than one page of accounts:
     * both are read a page at a time (services by id through `tblhosting`'s primary key, as
     * `->where('id', '>', …)->orderBy('id')->limit(1000)`), never whole, and every service is
     * still written from its own account.
     */
    public function testServicesAndAccountsAreReadAPageAtATimeAndEveryServiceIsWritten(): void
    {
        $productId = $this->serverProduct();
        [$firstId, $result] = $this->orderAndAccept($productId, 'first');
        self::assertSame('success', $result);
        $install = (string) Capsule::table('tblconfiguration')->where('setting', 'SgWhmcsInstallId')->value('value');
        $clientId = (int) $this->whmcs->service($firstId)['userid'];
        $count = 2345;
        // Service ids are "5" followed by i, so the seeded reference prefix ends in ":5".
        $this->sim->expect(200, 'POST', '/_sim/seed', [
            'kind' => 'customer', 'prefix' => 'page-', 'count' => $count, 'storage_bytes' => 2048 * self::MIB,
            'reference_prefix' => "whmcs:$install:service:5", 'email_domain' => 'page.example',
        ]);
        $usage = [];
        for ($i = 1; $i <= $count; $i++) {
            $usage["page-$i"] = $i * self::MIB;
            $this->whmcs->store()->services[(int) "5$i"] = [
                'id' => (int) "5$i", 'userid' => $clientId, 'packageid' => $productId, 'server' => $this->serverId,
                'username' => "page-$i", 'password' => '', 'domain' => '', 'domainstatus' => 'Active',
                'configoptions' => [], 'customfields' => [], 'regdate' => '2026-01-01',
                'diskusage' => '0', 'disklimit' => '0', 'lastupdate' => '0000-00-00 00:00:00',
            ];
        }
        $this->sim->setCustomerUsage($usage);
        $before = $this->sim->stats()['routes'];
        $this->whmcs->database()->resetQueryCount();

        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());

        foreach ([1, 999, 1000, 1001, 2345] as $i) {
            self::assertSame((string) $i, (string) $this->whmcs->service((int) "5$i")['diskusage'], "page-$i");
            self::assertSame('2048', (string) $this->whmcs->service((int) "5$i")['disklimit'], "page-$i");
        }
        $written = array_filter(
            $this->whmcs->store()->services,
            fn (array $s): bool => str_starts_with((string) $s['username'], 'page-') && $s['diskusage'] !== '0'
        );
        self::assertCount($count, $written, 'every service written');
        // 2346 services: pages of 1000, 1000 and 346; written 1000 per query.
        self::assertSame(3, $this->whmcs->database()->queryCount('tblhosting', 'get'), 'services in pages');
        self::assertSame(3, $this->whmcs->database()->queryCount('tblhosting', 'update'), 'batched writes');
        $routes = $this->sim->stats()['routes'];
        $pages = ($routes['GET /customers'] ?? 0) - ($before['GET /customers'] ?? 0);
        self::assertSame(3, $pages, '2348 customers (with the two built-in ones) in pages of 1000');
    }

    public function testServicesOfProductsWithTheirOwnConnectionGetUsageFromDailyCronJob(): void
    {
        $own = $this->customerProduct();
        $reseller = $this->resellerProduct();
        [$customerService] = $this->orderAndAccept($own, 'own-conn');
        [$resellerService] = $this->orderAndAccept($reseller, 'Own Reseller');
        $this->sim->setCustomerUsage(['own-conn' => 5 * self::MIB]);
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'reseller', 'name' => 'Own Reseller', 'used_bytes' => 7 * self::MIB,
        ]);

        // No WHMCS server of the module: UsageUpdate is never called; the hook still runs. The
        // cron's page load includes the module's hooks.php (a product uses the module).
        $this->whmcs->disableServer($this->serverId);
        // The products' own passwords are what the hook's Module Log entries must scrub.
        $this->whmcs->knowHookSecret($this->sim->password);
        self::assertContains(ROOTDIR . '/modules/servers/sgtest/hooks.php', $this->whmcs->loadHookFiles(ROOTDIR));
        $before = $this->sim->stats()['routes'];
        self::assertSame([], $this->whmcs->runUsageUpdate());

        self::assertSame('5', (string) $this->whmcs->service($customerService)['diskusage']);
        self::assertSame('10240', (string) $this->whmcs->service($customerService)['disklimit']);
        self::assertSame('7', (string) $this->whmcs->service($resellerService)['diskusage']);
        self::assertSame('1048576', (string) $this->whmcs->service($resellerService)['disklimit']);
        $routes = $this->sim->stats()['routes'];
        foreach (['GET /customers', 'GET /resellers'] as $list) {
            self::assertSame(1, ($routes[$list] ?? 0) - ($before[$list] ?? 0), "one listing: $list");
        }
    }

    public function testAProductWithBadOwnConnectionFieldsIsNamedAndNothingIsSent(): void
    {
        $productId = $this->customerProduct();
        [$serviceId] = $this->orderAndAccept($productId, 'bad-conn');
        $this->whmcs->configureProduct($productId, [Labels::PORT => '99999', Labels::PASSWORD => "pw-\xff"]);
        $this->whmcs->disableServer($this->serverId);
        $this->whmcs->loadHookFiles(ROOTDIR);
        $before = $this->sim->totalRequests();

        $this->whmcs->runUsageUpdate();

        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString("sgwhmcs usage update: product $productId: Module settings are invalid", $log);
        self::assertStringContainsString(Labels::PORT, $log);
        self::assertStringContainsString(Labels::PASSWORD, $log);
        self::assertStringNotContainsString("pw-\xff", $log);
        self::assertSame($before, $this->sim->totalRequests());
        self::assertSame('0', (string) $this->whmcs->service($serviceId)['diskusage']);
    }

    public function testAnotherInstallsAccountOfTheSameNameIsNeverWritten(): void
    {
        $productId = $this->serverProduct();
        [$mine] = $this->orderAndAccept($productId, 'mine');
        // An account of the same name made by another WHMCS install sharing this Backup Server.
        $clientId = $this->whmcs->addClient();
        $choices = ['username' => 'theirs', 'password' => 'pw-Theirs-99'];
        $orderId = $this->whmcs->placeOrder($clientId, $productId, $choices);
        $this->whmcs->acceptOrder($orderId, false);
        $theirs = $this->whmcs->orderService($orderId);
        $this->sim->createDirectly('customers', [
            'name' => 'theirs', 'reference' => "whmcs:0123456789abcdef:service:$theirs",
            'storage' => ['allotted_bytes' => 999 * self::MIB], 'mcal' => ['auto' => true],
        ]);
        $this->sim->setCustomerUsage(['mine' => 2 * self::MIB, 'theirs' => 50 * self::MIB]);

        $this->whmcs->runUsageUpdate();

        self::assertSame('2', (string) $this->whmcs->service($mine)['diskusage']);
        self::assertSame('0', (string) $this->whmcs->service($theirs)['diskusage']);
        self::assertSame('0', (string) $this->whmcs->service($theirs)['disklimit']);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        $said = 'it belongs to another WHMCS install, service or client, or carries no reference';
        self::assertStringContainsString("(service ids $theirs)", $log);
        self::assertStringContainsString($said, $log);
        $used = $this->sim->customer('theirs')['storage']['used_bytes'];
        self::assertSame(50 * self::MIB, $used, 'the server is unchanged');
    }

    /**
     * Identity, never a name (issue 16): an account of the service's name without a reference
     * (made by hand) is not the service's until an admin adopts it with Link Existing Account.
     */
    public function testAnUnclaimedAccountIsWrittenOnlyAfterLinkExistingAccount(): void
    {
        $productId = $this->serverProduct();
        $clientId = $this->whmcs->addClient();
        $choices = ['username' => 'handmade', 'password' => 'pw-Hand-99'];
        $orderId = $this->whmcs->placeOrder($clientId, $productId, $choices);
        $this->whmcs->acceptOrder($orderId, false);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->sim->createDirectly('customers', [
            'name' => 'handmade', 'storage' => ['allotted_bytes' => 20 * self::MIB], 'mcal' => ['auto' => true],
        ]);
        $this->sim->setCustomerUsage(['handmade' => 3 * self::MIB]);

        $this->whmcs->runUsageUpdate();

        self::assertSame('0', (string) $this->whmcs->service($serviceId)['diskusage'], 'not by name alone');
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('or carries no reference (Link Existing Account adopts', $log);

        self::assertSame('success', $this->whmcs->adminScreens()->press($serviceId, 'Link Existing Account'));
        $this->whmcs->runUsageUpdate();

        self::assertSame('3', (string) $this->whmcs->service($serviceId)['diskusage'], 'adopted, then written');
        self::assertSame('20', (string) $this->whmcs->service($serviceId)['disklimit']);
    }

    public function testBadServerSettingsAreNamedAndNothingIsSent(): void
    {
        $this->serverProduct();
        $bad = $this->whmcs->addServer(
            ['hostname' => "bad host\x01", 'username' => '', 'password' => 'pw-Bad-1234', 'secure' => true]
        );
        $this->whmcs->disableServer($this->serverId);
        $before = $this->sim->totalRequests();

        $result = $this->whmcs->runUsageUpdate()[$bad];

        self::assertIsString($result);
        self::assertStringStartsWith('Server settings are invalid', $result);
        self::assertStringContainsString('Server Hostname', $result);
        self::assertStringContainsString('Server Username', $result);
        self::assertStringNotContainsString('pw-Bad-1234', $result);
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testOneProductWithAStalePasswordFailsAloneAndIsNamed(): void
    {
        $good = $this->customerProduct();
        $stale = $this->customerProduct();
        $resellers = $this->resellerProduct();
        [$goodService] = $this->orderAndAccept($good, 'good-1');
        [$staleService] = $this->orderAndAccept($stale, 'stale-1');
        [$resellerService] = $this->orderAndAccept($resellers, 'Reseller-1');
        // The stale password is a product password the hook sends too: its entries must scrub it.
        $this->whmcs->knowHookSecret('pw-Stale-12345');
        $this->whmcs->configureProduct($stale, [Labels::PASSWORD => 'pw-Stale-12345']);
        $this->sim->setCustomerUsage(['good-1' => 5 * self::MIB, 'stale-1' => 6 * self::MIB]);
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'reseller', 'name' => 'Reseller-1', 'used_bytes' => 7 * self::MIB,
        ]);
        $this->whmcs->disableServer($this->serverId);
        $this->whmcs->knowHookSecret($this->sim->password);
        $this->whmcs->loadHookFiles(ROOTDIR);

        $this->whmcs->runUsageUpdate();

        self::assertSame('5', (string) $this->whmcs->service($goodService)['diskusage']);
        self::assertSame('7', (string) $this->whmcs->service($resellerService)['diskusage']);
        self::assertSame('0', (string) $this->whmcs->service($staleService)['diskusage']);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString("(product $stale \"Backup Customer\"): ", $log);
        self::assertStringContainsString('the other products\' usage was still updated', $log);
        self::assertStringNotContainsString('pw-Stale-12345', $log);
        self::assertStringNotContainsString("product $good ", $log, 'the good group is not named as failing');
    }

    public function testAnAccountThatDoesNotSayItsUsageIsNotWrittenAsZero(): void
    {
        $productId = $this->serverProduct();
        [$alpha] = $this->orderAndAccept($productId, 'alpha');
        [$bravo] = $this->orderAndAccept($productId, 'bravo');
        $this->sim->setCustomerUsage(['alpha' => 300 * self::MIB, 'bravo' => 400 * self::MIB]);
        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());
        self::assertSame('300', (string) $this->whmcs->service($alpha)['diskusage']);
        $reference = (string) $this->sim->customer('alpha')['reference'];
        $bravoReference = (string) $this->sim->customer('bravo')['reference'];
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers', 'set' => ['customers' => [
            ['name' => 'alpha', 'kind' => 'customer', 'reference' => $reference,
                'storage' => ['allotted_bytes' => 20480 * self::MIB]],
            ['name' => 'bravo', 'kind' => 'customer', 'reference' => $bravoReference,
                'storage' => ['allotted_bytes' => 20480 * self::MIB, 'used_bytes' => 0]],
        ], 'next' => null]]);

        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());

        self::assertSame('300', (string) $this->whmcs->service($alpha)['diskusage'], 'unknown is not 0');
        self::assertSame('10240', (string) $this->whmcs->service($alpha)['disklimit'], 'nothing written for it');
        self::assertSame('0', (string) $this->whmcs->service($bravo)['diskusage'], 'a said 0 is 0');
        self::assertSame('20480', (string) $this->whmcs->service($bravo)['disklimit']);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        $said = "did not say the account's used or allotted storage (unknown, not 0; the last figures stay)";
        self::assertStringContainsString("$said (service ids $alpha)", $log);
    }

    public function testAMySqlOrderedListIsReadAndARepeatedNameIsLeftOut(): void
    {
        $productId = $this->serverProduct();
        $ids = [];
        foreach (['aab', 'a_b', 'dup', 'zulu'] as $name) {
            [$ids[$name]] = $this->orderAndAccept($productId, $name);
        }
        // Each item carries its service's reference, as the accounts the module made do: only
        // that makes an account the service's.
        $references = [];
        foreach ($ids as $name => $id) {
            $references[$name] = $this->sim->customer($name)['reference'];
        }
        $item = fn (string $name, int $mib): array => ['name' => $name, 'kind' => 'customer',
            'reference' => $references[strtolower($name)],
            'storage' => ['allotted_bytes' => 10240 * self::MIB, 'used_bytes' => $mib * self::MIB]];
        foreach (
            [
                ['customers' => [$item('aab', 5), $item('a_b', 6)], 'next' => 'a_b'],
                ['customers' => [$item('dup', 7), $item('DUP', 8), $item('zulu', 9)], 'next' => null],
            ] as $page
        ) {
            $this->sim->fault(['kind' => 'status', 'route' => 'GET /customers', 'status' => 200,
                'body' => json_encode($page, JSON_THROW_ON_ERROR)]);
        }

        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());

        self::assertSame('5', (string) $this->whmcs->service($ids['aab'])['diskusage']);
        self::assertSame('6', (string) $this->whmcs->service($ids['a_b'])['diskusage']);
        self::assertSame('9', (string) $this->whmcs->service($ids['zulu'])['diskusage']);
        self::assertSame('0', (string) $this->whmcs->service($ids['dup'])['diskusage']);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString("listed the account's name more than once (service ids {$ids['dup']})", $log);
    }

    public function testAResellerServiceGetsTheResellersUsageNeverTheNamesakeCustomers(): void
    {
        $resellers = $this->whmcs->addProduct('Resellers via server', [
            Labels::ACTION => 'Signup Reseller', Labels::STORAGE => '1099511627776',
        ], ['servers' => [$this->serverId]]);
        [$kilo] = $this->orderAndAccept($resellers, 'kilo');
        $this->sim->createDirectly('customers', [
            'name' => 'KILO', 'storage' => ['allotted_bytes' => self::MIB], 'mcal' => ['auto' => true],
        ]);
        $this->sim->expect(200, 'POST', '/_sim/usage', ['accounts' => [
            ['kind' => 'reseller', 'name' => 'kilo', 'used_bytes' => 11 * self::MIB],
            ['kind' => 'customer', 'name' => 'KILO', 'used_bytes' => 99 * self::MIB],
        ]]);

        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());

        self::assertSame('11', (string) $this->whmcs->service($kilo)['diskusage']);
        self::assertSame('1048576', (string) $this->whmcs->service($kilo)['disklimit']);
    }

    public function testALyingServerStopsTheRunAndNothingIsWritten(): void
    {
        $lies = [
            'repeat' => 'next cursor',
            'unordered' => 'no case-insensitive order puts it there',
            'huge' => 'not a valid account name',
        ];
        foreach ($lies as $lie => $says) {
            [$url, $stop, $log] = self::lyingServer($lie);
            try {
                $whmcs = $this->whmcs;
                $port = (int) parse_url($url, PHP_URL_PORT);
                Evidence::addSecret('pw-Lying-123');
                $fields = [
                    'name' => 'Backup Server ' . $port, 'hostname' => '127.0.0.1', 'ipaddress' => '',
                    'username' => 'admin', 'password' => 'pw-Lying-123', 'accesshash' => '', 'secure' => false,
                    'port' => (string) $port,
                ];
                $serverId = $whmcs->addServer($fields);
                $settings = [Labels::ACTION => 'Signup Customer', Labels::STORAGE => '10737418240'];
                $productId = $this->whmcs->addProduct('Lying ' . $lie, $settings, ['servers' => [$serverId]]);
                $clientId = $whmcs->addClient();
                $choices = ['username' => 'a1', 'password' => 'pw-A1-123456'];
                $orderId = $whmcs->placeOrder($clientId, $productId, $choices);
                $whmcs->acceptOrder($orderId, false);
                $service = $whmcs->orderService($orderId);
                $whmcs->disableServer($this->serverId);

                $result = $whmcs->runUsageUpdate()[$serverId];

                self::assertIsString($result);
                self::assertStringContainsString($says, $result, $lie);
                self::assertStringNotContainsString('pw-Lying-123', $result);
                self::assertSame('0', (string) $whmcs->service($service)['diskusage'], $lie);
                self::assertLessThanOrEqual(3, substr_count($log(), 'GET /api/v1/customers'), "$lie: the walk stopped");
                $whmcs->disableServer($serverId);
            } finally {
                $stop();
            }
        }
    }

    public function testLastUpdateIsWhmcsLocalTimeNotUtc(): void
    {
        $productId = $this->serverProduct();
        [$alpha] = $this->orderAndAccept($productId, 'alpha');
        [$own] = $this->orderAndAccept($this->customerProduct(), 'own-local');
        $this->sim->setCustomerUsage(['alpha' => 3 * self::MIB, 'own-local' => 4 * self::MIB]);
        $this->whmcs->loadHookFiles(ROOTDIR);
        $this->whmcs->knowHookSecret($this->sim->password);
        $zone = date_default_timezone_get();
        // Hours away from UTC all year round, so a UTC time can never pass for the local one.
        date_default_timezone_set('Asia/Kolkata');
        try {
            $before = time();
            self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());
            $after = time();
        } finally {
            date_default_timezone_set($zone);
        }

        self::assertSame('3', (string) $this->whmcs->service($alpha)['diskusage']);
        self::assertSame('4', (string) $this->whmcs->service($own)['diskusage'], 'the DailyCronJob pass too');
        foreach ([$alpha, $own] as $id) {
            $stored = (string) $this->whmcs->service($id)['lastupdate'];
            $local = \DateTimeImmutable::createFromFormat('Y-m-d H:i:s', $stored, new \DateTimeZone('Asia/Kolkata'));
            self::assertNotFalse($local, $stored);
            self::assertGreaterThanOrEqual($before - 1, $local->getTimestamp(), "$stored is Kolkata time");
            self::assertLessThanOrEqual($after + 1, $local->getTimestamp(), "$stored is Kolkata time");
        }
    }

    public function testOnlyActiveAndSuspendedServicesAreUpdatedAndEndedOnesAreNeverNamed(): void
    {
        $productId = $this->serverProduct();
        $ids = [];
        foreach (['act', 'susp', 'term', 'canc', 'pend', 'frau', 'comp'] as $name) {
            [$ids[$name]] = $this->orderAndAccept($productId, $name);
        }
        self::assertSame('success', $this->whmcs->suspend($ids['susp']));
        self::assertSame('success', $this->whmcs->terminate($ids['term']));
        // Statuses set by WHMCS without a module call: the accounts stay on the server, and a
        // lying (or slow) server still lists them with the service's own reference.
        $statuses = ['canc' => 'Cancelled', 'pend' => 'Pending', 'frau' => 'Fraud', 'comp' => 'Completed'];
        foreach ($statuses as $name => $status) {
            $this->whmcs->store()->services[$ids[$name]]['domainstatus'] = $status;
        }
        // One ended service whose username is not UTF-8 (an old install's data).
        $this->whmcs->store()->services[$ids['canc']]['username'] = "canc-\xff";
        $this->sim->setCustomerUsage(['act' => 5 * self::MIB, 'susp' => 6 * self::MIB, 'canc' => 7 * self::MIB,
            'pend' => 8 * self::MIB, 'frau' => 9 * self::MIB, 'comp' => 10 * self::MIB]);
        $activityBefore = count($this->whmcs->activity());

        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());

        self::assertSame('5', (string) $this->whmcs->service($ids['act'])['diskusage']);
        self::assertSame('6', (string) $this->whmcs->service($ids['susp'])['diskusage'], 'Suspended still bills');
        foreach (['term', 'canc', 'pend', 'frau', 'comp'] as $name) {
            self::assertSame('0', (string) $this->whmcs->service($ids[$name])['diskusage'], $name);
            self::assertEmpty($this->whmcs->service($ids[$name])['lastupdate'] ?? null, $name);
        }
        $said = array_column(array_slice($this->whmcs->activity(), $activityBefore), 'message');
        self::assertSame([], $said, 'nothing worth a daily line: ended services are not named');
    }

    public function testTheDailyCronJobPassHonoursUpdateUsageStatistics(): void
    {
        [$own] = $this->orderAndAccept($this->customerProduct(), 'own-conn');
        $this->sim->setCustomerUsage(['own-conn' => 5 * self::MIB]);
        $this->whmcs->disableServer($this->serverId);
        $this->whmcs->knowHookSecret($this->sim->password);
        $this->whmcs->loadHookFiles(ROOTDIR);
        $this->whmcs->setting('UpdateStatsAuto', false);
        $before = $this->sim->totalRequests();

        self::assertSame([], $this->whmcs->runUsageUpdate());

        self::assertSame($before, $this->sim->totalRequests(), 'off: nothing sent');
        self::assertSame('0', (string) $this->whmcs->service($own)['diskusage']);
        $this->whmcs->setting('UpdateStatsAuto', true);
        $this->whmcs->runUsageUpdate();
        self::assertSame('5', (string) $this->whmcs->service($own)['diskusage'], 'on: written');
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A customer product without connection fields, on the test's WHMCS server. */
    private function serverProduct(): int
    {
        return $this->whmcs->addProduct('Backup via server', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ], ['servers' => [$this->serverId]]);
    }

    /**
     * A server whose customer list lies in way LIE: `repeat` (the same page and cursor forever),
     * `unordered` (page 2 starts before page 1 ended), `huge` (an item with a 100 KB name).
     *
     * @return array{0: string, 1: callable(): void, 2: callable(): string} url, stop, request log
     */
    private static function lyingServer(string $lie): array
    {
        $router = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-lie-') . '.php';
        $item = fn (string $name): string => '{"name":"' . $name . '","kind":"customer","storage":{"used_bytes":'
            . (5 * self::MIB) . ',"allotted_bytes":1}}';
        $pages = match ($lie) {
            'repeat' => [
                '' => '{"customers":[' . $item('a1') . '],"next":"a1"}',
                'a1' => '{"customers":[],"next":"a1"}',
            ],
            'unordered' => [
                '' => '{"customers":[' . $item('b1') . '],"next":"b1"}',
                'b1' => '{"customers":[' . $item('a1') . '],"next":null}',
            ],
            default => ['' => '{"customers":[' . $item('a1') . ',' . $item(str_repeat('x', 100000)) . '],"next":null}'],
        };
        file_put_contents($router, '<?php $pages = ' . var_export($pages, true) . ';'
            . 'header("Content-Type: application/json");'
            . 'if (str_starts_with($_SERVER["REQUEST_URI"], "/api/v1/resellers")) {'
            . ' echo "{\"resellers\":[],\"next\":null}"; return; }'
            . 'echo $pages[$_GET["after"] ?? ""] ?? "{\"customers\":[],\"next\":null}";');
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $address = (string) stream_socket_get_name($socket, false);
        $port = (int) substr($address, strrpos($address, ':') + 1);
        fclose($socket);
        $logFile = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-lie-log-');
        $process = proc_open(
            array_merge(Process::php(), ['-S', "127.0.0.1:$port", $router]),
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', $logFile, 'a'], 2 => ['file', $logFile, 'a']],
            $pipes
        );
        $deadline = microtime(true) + 10;
        while (
            microtime(true) < $deadline
            && !is_resource(@stream_socket_client("tcp://127.0.0.1:$port", $e, $m, 0.2))
        ) {
            usleep(20000);
        }
        $stop = function () use ($process, $router, $logFile): void {
            proc_terminate($process, 9);
            proc_close($process);
            @unlink($router);
            @unlink($logFile);
        };
        return ["http://127.0.0.1:$port", $stop, fn (): string => (string) file_get_contents($logFile)];
    }
}
