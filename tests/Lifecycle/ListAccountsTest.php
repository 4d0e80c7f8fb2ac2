<?php

/**
 * Server Sync (https://developers.whmcs.com/provisioning-modules/server-sync) through the
 * emulator's Setup › Servers › Sync Accounts: ListAccounts answers every account of the server in
 * WHMCS's shape (checked key by key by tests/Emulator/ServerSync.php), matched to services by the
 * username (MetaData ListAccountsUniqueIdentifierField), and an import picks the product whose
 * Action (MetaData ListAccountsProductField) makes that kind of account.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\EchoServer;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ListAccountsTest extends ModuleTestCase
{
    use SimServerSetup;

    private int $serverId;
    private int $customerProduct;
    private int $resellerProduct;

    protected function setUp(): void
    {
        parent::setUp();
        $this->serverId = $this->addSimServer();
        $this->customerProduct = $this->addSimProduct('Customers', 'Signup Customer', '10737418240', $this->serverId);
        $this->resellerProduct = $this->addSimProduct('Resellers', 'Signup Reseller', '1099511627776', $this->serverId);
    }

    public function testEveryAccountIsListedAndExistingServicesMatch(): void
    {
        [$acme] = $this->orderAndAccept($this->customerProduct, 'Acme-1');
        $before = $this->sim->stats()['routes'];

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertSame('', $sync['error']);
        self::assertSame(['Acme-1' => $acme], $sync['matched']);
        self::assertSame([], $sync['missing']);
        foreach (['Default Customer', 'Trial Customer', 'Default Reseller'] as $builtIn) {
            self::assertNotContains($builtIn, $sync['importable'], 'the server\'s built-in accounts are no service');
        }
        $routes = $this->sim->stats()['routes'];
        self::assertSame(1, $routes['GET /customers'] - ($before['GET /customers'] ?? 0), 'one page of customers');
        self::assertSame(1, $routes['GET /resellers'] - ($before['GET /resellers'] ?? 0), 'one page of resellers');
    }

    public function testTheAnswerHasWhmcsShapeWithEmailCreationTimeAndStatus(): void
    {
        $this->orderAndAccept($this->customerProduct, 'shape-1', ['email' => 'shape@example.test']);
        $params = ['serverid' => $this->serverId] + $this->serverParams();

        $answer = $this->whmcs->call('ListAccounts', $params);

        self::assertTrue($answer['success']);
        $byName = array_column($answer['accounts'], null, 'uniqueIdentifier');
        $account = $byName['shape-1'];
        self::assertSame('shape@example.test', $account['email']);
        self::assertSame('shape-1', $account['username']);
        self::assertSame('Signup Customer', $account['product']);
        self::assertSame('Active', $account['status']);
        self::assertMatchesRegularExpression('/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/', $account['created']);
        self::assertSame(
            str_replace(['T', 'Z'], [' ', ''], (string) $this->sim->customer('shape-1')['created_at']),
            $account['created']
        );
        self::assertArrayNotHasKey('Default Reseller', $byName);
    }

    public function testAnImportedDeactivatedAccountIsSuspendedInItsKindsProduct(): void
    {
        $gib = ['allotted_bytes' => 1073741824];
        $this->sim->createDirectly('customers', ['name' => 'legacy', 'storage' => $gib, 'mcal' => ['auto' => true]]);
        $this->sim->expect(200, 'POST', '/api/v1/customers/legacy/deactivate');
        $auto = ['auto' => true];
        $this->sim->createDirectly('resellers', ['name' => 'Old Reseller', 'storage' => $gib, 'mcal' => $auto]);
        self::assertContains('legacy', $this->whmcs->serverSync($this->serverId)['importable']);
        $clientId = $this->whmcs->addClient();
        $before = $this->sim->totalRequests();

        $legacy = $this->whmcs->importAccount($this->serverId, 'legacy', $clientId);
        $reseller = $this->whmcs->importAccount($this->serverId, 'Old Reseller', $clientId);

        self::assertSame('Suspended', $this->whmcs->service($legacy)['domainstatus']);
        self::assertSame($this->customerProduct, $this->whmcs->service($legacy)['packageid']);
        self::assertSame('Active', $this->whmcs->service($reseller)['domainstatus']);
        self::assertSame($this->resellerProduct, $this->whmcs->service($reseller)['packageid']);
        self::assertFalse($this->sim->customer('legacy')['active'], 'the import changed nothing on the server');
        $matched = $this->whmcs->serverSync($this->serverId)['matched'];
        self::assertSame($legacy, $matched['legacy']);
        self::assertGreaterThan($before, $this->sim->totalRequests(), 'only listings were sent');
        self::assertArrayNotHasKey('POST /customers/{name}/activate', $this->sim->stats()['routes']);
    }

    public function testOnlyThisInstallsServiceAccountsAndUnclaimedOnesAreOffered(): void
    {
        [$mine] = $this->orderAndAccept($this->customerProduct, 'mine-1');
        $install = $this->installId();
        foreach (
            [
                'theirs' => 'whmcs:0123456789abcdef:service:' . $mine,
                'their-client' => 'whmcs:0123456789abcdef:client:1',
                'hooked' => "whmcs:$install:client:1",
                'crm' => 'crm-77',
                'legacy' => null,
            ] as $name => $reference
        ) {
            $this->createCustomer($name, $reference);
        }

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertSame('', $sync['error']);
        self::assertSame(['mine-1' => $mine], $sync['matched']);
        $why = 'no other install\'s, client\'s, system\'s or built-in account';
        self::assertSame(['legacy'], $sync['importable'], $why);
        $answer = $this->whmcs->call('ListAccounts', ['serverid' => $this->serverId] + $this->serverParams());
        self::assertSame(['legacy', 'mine-1'], array_column($answer['accounts'], 'uniqueIdentifier'));
    }

    public function testAResellerAndACustomerOfOneNameGiveOneIdentifierOrNone(): void
    {
        [$reseller] = $this->orderAndAccept($this->resellerProduct, 'bravo');
        $this->createCustomer('BRAVO', null);
        [$delta] = $this->orderAndAccept($this->resellerProduct, 'delta');
        [$deltaCustomer, $made] = $this->orderAndAccept($this->customerProduct, 'DELTA');
        self::assertSame('success', $made);

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertSame('', $sync['error'], 'a clash never fails the whole sync');
        self::assertSame(['bravo' => $reseller], $sync['matched'], 'the account a service owns is the identifier');
        self::assertSame([], $sync['importable']);
        self::assertEqualsCanonicalizing([$delta, $deltaCustomer], $sync['missing']);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString(
            "customer \"DELTA\" (service $deltaCustomer's) and reseller \"delta\" (service $delta's)",
            $log
        );
        self::assertStringNotContainsString('"BRAVO"', $log, 'the owned account decided that clash');
    }

    public function testALyingListLeavesOutRepeatsAndForeignAccountsAndSyncsTheRest(): void
    {
        [$mine] = $this->orderAndAccept($this->customerProduct, 'mine-2');
        $install = $this->installId();
        $this->customerPages([
            ['customers' => [
                self::item('aab'),
                self::item('a_b'),
                self::item('dup'),
                self::item('DUP'),
                self::item('foreign', 'whmcs:0123456789abcdef:service:' . $mine),
                self::item('mine-2', "whmcs:$install:service:$mine"),
                self::item('Mine-2', "whmcs:$install:service:$mine"),
            ], 'next' => null],
        ]);

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertSame('', $sync['error']);
        self::assertSame([], $sync['matched'], 'a name listed twice is not believed either way');
        self::assertSame(['aab', 'a_b'], $sync['importable'], 'MySQL\'s order (aab before a_b) is accepted');
        self::assertSame([$mine], $sync['missing']);
        $log = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('listed customer "dup", customer "mine-2" more than once', $log);
    }

    public function testAMySqlOrderedListOfTwoPagesIsAcceptedAndAnOutOfOrderOneIsNot(): void
    {
        $this->customerPages([
            ['customers' => [self::item('aab')], 'next' => 'aab'],
            ['customers' => [self::item('a_b'), self::item('B-1')], 'next' => null],
        ]);
        self::assertSame(['aab', 'a_b', 'B-1'], $this->whmcs->serverSync($this->serverId)['importable']);

        $this->customerPages([
            ['customers' => [self::item('m')], 'next' => 'm'],
            ['customers' => [self::item('c')], 'next' => null],
        ]);
        $error = $this->whmcs->serverSync($this->serverId)['error'];
        self::assertStringContainsString('"c" comes after "m": no case-insensitive order puts it there', $error);
    }

    public function testEveryValidRfc3339TimeBecomesUtcAndAnUnreadableOneIsUnknown(): void
    {
        $times = [
            'leap' => ['2016-12-31T23:59:60Z', '2016-12-31 23:59:59'],
            'minus' => ['2026-12-31T20:00:00-05:30', '2027-01-01 01:30:00'],
            'never' => ['yesterday at noon', '1970-01-01 00:00:00'],
            'plus' => ['2026-11-29T15:02:03+01:00', '2026-11-29 14:02:03'],
            'small' => ['2026-11-29t15:02:03.123456z', '2026-11-29 15:02:03'],
        ];
        $items = [];
        foreach ($times as $name => [$sent]) {
            $items[] = ['created_at' => $sent] + self::item($name);
        }
        $this->customerPages([['customers' => $items, 'next' => null]]);

        $answer = $this->whmcs->call('ListAccounts', ['serverid' => $this->serverId] + $this->serverParams());

        self::assertTrue($answer['success']);
        $created = array_column($answer['accounts'], 'created', 'uniqueIdentifier');
        foreach ($times as $name => [$sent, $shown]) {
            self::assertSame($shown, $created[$name], $sent);
        }
    }

    public function testHugeAndMarkupNamesFailTheListWithABoundedMessage(): void
    {
        foreach ([str_repeat('x', 100000), '&lt;b&gt;bold', '<script>'] as $name) {
            $this->customerPages([['customers' => [self::item($name)], 'next' => null]]);

            $error = $this->whmcs->serverSync($this->serverId)['error'];

            self::assertStringStartsWith('Could not list the accounts:', $error);
            self::assertStringContainsString('not a valid account name', $error);
            self::assertLessThan(1000, strlen($error), 'the name is cut');
            self::assertStringNotContainsString($this->sim->password, $error);
        }
    }

    public function testBadServerSettingsAreNamedAndNothingIsSent(): void
    {
        $bad = $this->whmcs->addServer(
            ['hostname' => '', 'username' => 'admin', 'password' => "pw-\xff-Bad", 'secure' => true]
        );
        $before = $this->sim->totalRequests();

        $sync = $this->whmcs->serverSync($bad);

        self::assertStringStartsWith('Server settings are invalid', $sync['error']);
        self::assertStringContainsString('Server Hostname', $sync['error']);
        self::assertStringContainsString('Server Password', $sync['error']);
        self::assertStringNotContainsString("pw-\xff-Bad", $sync['error']);
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testAnUnreachableServerFailsWithAMessage(): void
    {
        $this->sim->fault(['kind' => 'status', 'route' => 'GET /customers', 'status' => 503, 'count' => 1]);

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertStringStartsWith('Could not list the accounts:', $sync['error']);
        self::assertStringNotContainsString($this->sim->password, $sync['error']);
    }

    public function testAServerThatEchoesTheCredentialsNeverGetsThemShown(): void
    {
        $password = 'Echo-Secret-Pa55';
        Evidence::addSecret($password);
        foreach (['echo-headers', 'url-echo', 'base64-body'] as $mode) {
            $echo = EchoServer::start($mode);
            try {
                $serverId = $this->whmcs->addServer([
                    'hostname' => $echo->host, 'username' => 'admin', 'password' => $password,
                    'secure' => false, 'port' => (string) $echo->port,
                ]);

                $error = $this->whmcs->serverSync($serverId)['error'];

                self::assertStringStartsWith('Could not list the accounts:', $error, $mode);
                self::assertStringNotContainsString($password, $error, $mode);
                self::assertStringNotContainsString(base64_encode("admin:$password"), $error, $mode);
                foreach ($this->whmcs->moduleLog()->entries() as $entry) {
                    // replaceVars holds it on purpose: WHMCS scrubs those values.
                    $shown = json_encode([$entry['request'], $entry['response'], $entry['processed']]);
                    self::assertStringNotContainsString($password, $shown, $mode);
                }
            } finally {
                $echo->stop();
            }
        }
    }

    /** @return array<string, mixed> the test server's params as WHMCS passes them */
    private function serverParams(): array
    {
        $sim = $this->sim;
        return [
            'serverip' => '', 'serverhostname' => $sim->host, 'serverusername' => $sim->user,
            'serverpassword' => $sim->password, 'serveraccesshash' => (string) $sim->sha256,
            'serversecure' => true, 'serverport' => (string) $sim->port, 'serverhttpprefix' => '',
        ];
    }

    /** This install's id, made by the first Create or sync. */
    private function installId(): string
    {
        $install = (string) $this->whmcs->store()->setting('SgWhmcsInstallId');
        self::assertNotSame('', $install);
        return $install;
    }

    /** A customer made on the server directly (by hand), with REFERENCE when given. */
    private function createCustomer(string $name, ?string $reference): void
    {
        $account = ['name' => $name, 'storage' => ['allotted_bytes' => 1073741824], 'mcal' => ['auto' => true]];
        if ($reference !== null) {
            $account['reference'] = $reference;
        }
        $this->sim->createDirectly('customers', $account);
    }

    /** @return array<string, mixed> a list item as the API answers it */
    private static function item(string $name, ?string $reference = null): array
    {
        return [
            'name' => $name, 'kind' => 'customer', 'reference' => $reference, 'active' => true,
            'effective_active' => true, 'created_at' => '2026-01-02T03:04:05Z',
            'storage' => ['allotted_bytes' => 1073741824, 'used_bytes' => 0],
        ];
    }

    /**
     * The next customer list answers PAGES, one request each (sgsim's `status` fault with a
     * JSON body: a server that says what it likes).
     *
     * @param list<array<string, mixed>> $pages
     */
    private function customerPages(array $pages): void
    {
        foreach ($pages as $page) {
            $this->sim->fault([
                'kind' => 'status', 'route' => 'GET /customers', 'status' => 200,
                'body' => json_encode($page, JSON_THROW_ON_ERROR),
            ]);
        }
    }
}
