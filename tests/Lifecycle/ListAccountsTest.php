<?php

/**
 * Server Sync (https://developers.whmcs.com/provisioning-modules/server-sync,
 * https://docs.whmcs.com/servers/sync-accounts) through the emulator's Setup › Servers › Sync
 * Accounts: ListAccounts answers every account of the server in WHMCS's shape (checked key by key
 * by tests/Emulator/ServerSync.php), matched to services by the username (MetaData
 * ListAccountsUniqueIdentifierField), each row an exact match (primary IP = the server's IP,
 * created in WHMCS's local time), and an import, which offers no choice, lands on the first
 * product whose Storage Allotted (MetaData ListAccountsProductField) is the account's storage, else
 * on WHMCS's auto-created product (observed in WHMCS 8.12, not documented; modelled strict).
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
        $this->whmcs->store()->servers[$this->serverId]['ipaddress'] = '192.0.2.44';
    }

    /** Runs RUN with PHP's default time zone ZONE (WHMCS's local time), restoring it after. */
    private static function inZone(string $zone, callable $run): mixed
    {
        $before = date_default_timezone_get();
        date_default_timezone_set($zone);
        try {
            return $run();
        } finally {
            date_default_timezone_set($before);
        }
    }

    /**
     * A time zone whose date differs from UTC's now (UTC-12 before 11:00 UTC, UTC+14 from then
     * on; either holds an hour beyond its switch), so a `created` in UTC would show another DATE
     * whatever the hour the test runs at.
     */
    private static function zoneOfAnotherDate(): string
    {
        $zone = (int) gmdate('G') < 11 ? 'Etc/GMT+12' : 'Pacific/Kiritimati';
        $local = (new \DateTimeImmutable('now', new \DateTimeZone($zone)))->format('Y-m-d');
        self::assertNotSame(gmdate('Y-m-d'), $local, 'the zone must change the date');
        return $zone;
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
        $params = ['serverid' => $this->serverId, 'serverip' => '198.51.100.3'] + $this->serverParams();

        $answer = self::inZone('Asia/Kolkata', fn () => $this->whmcs->call('ListAccounts', $params));

        self::assertTrue($answer['success']);
        $byName = array_column($answer['accounts'], null, 'uniqueIdentifier');
        $account = $byName['shape-1'];
        self::assertSame('shape@example.test', $account['email']);
        self::assertSame('shape-1', $account['username']);
        self::assertSame('10737418240', $account['product'], 'the storage, as Storage Allotted holds it');
        self::assertSame('198.51.100.3', $account['primaryip'], 'the server\'s IP');
        self::assertSame('Active', $account['status']);
        $created = new \DateTimeImmutable((string) $this->sim->customer('shape-1')['created_at']);
        $kolkata = $created->setTimezone(new \DateTimeZone('Asia/Kolkata'))->format('Y-m-d H:i:s');
        self::assertSame($kolkata, $account['created'], 'WHMCS local time (PHP\'s default time zone)');
        self::assertArrayNotHasKey('Default Reseller', $byName);
    }

    /**
     * Green rows (https://docs.whmcs.com/servers/sync-accounts): every compared field agrees for
     * the module's own services and for imported ones, in a zone where UTC would give another
     * date; and many accounts (two pages of customers) are listed, each with its storage.
     */
    public function testTheModulesRowsAreExactMatchesInWhmcsLocalTime(): void
    {
        $this->sim->expect(200, 'POST', '/_sim/seed', ['kind' => 'customer', 'prefix' => 'bulk-', 'count' => 1100,
            'storage_bytes' => 10737418240]);
        $zone = self::zoneOfAnotherDate();
        [$ordered] = self::inZone($zone, fn () => $this->orderAndAccept($this->customerProduct, 'green-1'));
        [$reseller] = self::inZone($zone, fn () => $this->orderAndAccept($this->resellerProduct, 'green-r'));

        $sync = self::inZone($zone, fn () => $this->whmcs->serverSync($this->serverId));

        self::assertSame('', $sync['error']);
        self::assertSame(['green-1' => $ordered, 'green-r' => $reseller], $sync['matched']);
        self::assertSame(['green-1', 'green-r'], $sync['exact'], json_encode($sync['differs']));
        self::assertCount(1100, $sync['importable']);

        $bulk = self::inZone($zone, fn () => $this->whmcs->importAccount($this->serverId, 'bulk-1'));
        self::assertSame($this->customerProduct, $this->whmcs->service($bulk)['packageid']);
        $before = $this->sim->stats()['routes']['GET /customers'];
        $again = self::inZone($zone, fn () => $this->whmcs->serverSync($this->serverId));
        $why = json_encode($again['differs']);
        self::assertEqualsCanonicalizing(['bulk-1', 'green-1', 'green-r'], $again['exact'], (string) $why);
        self::assertSame(2, $this->sim->stats()['routes']['GET /customers'] - $before, 'two pages of customers');
    }

    /**
     * WHMCS picks the product by one column: the first product (lowest id) of the module whose
     * Storage Allotted is the account's storage; an account of a storage no product has lands on
     * WHMCS's auto-created hidden free product; a reseller and a customer product of one storage
     * are one match, the first wins (docs/whmcs.md, Server Sync).
     */
    public function testAnImportLandsOnTheProductOfItsStorage(): void
    {
        $twenty = $this->addSimProduct('Customers 20 GiB', 'Signup Customer', '21474836480', $this->serverId);
        $auto = ['auto' => true];
        foreach (['ten' => 10737418240, 'twenty' => 21474836480, 'odd' => 12345678901] as $name => $bytes) {
            $this->sim->createDirectly('customers', ['name' => $name, 'storage' => ['allotted_bytes' => $bytes],
                'mcal' => $auto, 'contact' => ['email' => "$name@import.test"]]);
        }
        $this->whmcs->serverSync($this->serverId);
        $products = array_keys($this->whmcs->store()->products);

        $ten = $this->whmcs->importAccount($this->serverId, 'ten');
        $twentyService = $this->whmcs->importAccount($this->serverId, 'twenty');
        $odd = $this->whmcs->importAccount($this->serverId, 'odd');

        self::assertSame($this->customerProduct, $this->whmcs->service($ten)['packageid']);
        self::assertSame($twenty, $this->whmcs->service($twentyService)['packageid']);
        $made = $this->whmcs->store()->product($this->whmcs->service($odd)['packageid']);
        self::assertNotContains($made['id'], $products, 'WHMCS made a product for it');
        self::assertSame([1, 'free', '12345678901'], [$made['hidden'], $made['paytype'], $made['configoption10']]);
        $client = $this->whmcs->store()->client($this->whmcs->service($odd)['userid']);
        self::assertSame(['Name', 'Placeholder', 'odd@import.test'], [$client['firstname'], $client['lastname'],
            $client['email']]);
        self::assertEqualsCanonicalizing(['odd', 'ten', 'twenty'], $this->whmcs->serverSync($this->serverId)['exact']);
        // Adopted (the project's way to make an imported account the service's), a Change Package
        // to its own product keeps its storage.
        self::assertSame('success', $this->whmcs->adminScreens()->press($twentyService, 'Link Existing Account'));
        self::assertSame('success', $this->whmcs->upgradeProduct($twentyService, $twenty));
        self::assertSame(21474836480, $this->sim->customer('twenty')['storage']['allotted_bytes']);
    }

    /**
     * A server that lies about storage: a number no product can hold (0, 2^64-1) is written as it
     * is and lands on an auto-created product; a negative, fractional, textual or too-big number is
     * no account at all, so the whole list is refused with a bounded message. Its e-mails: entity
     * text is passed as it is (never decoded into markup), anything that is no e-mail address
     * (markup, a control character, 100,000 bytes) is left empty.
     */
    public function testAServerThatLiesAboutStorageOrEmails(): void
    {
        $items = [];
        $emails = ['s-enc' => '&lt;b&gt;@x.test', 's-max' => '<script>x</script>@x.test', 's-nul' => "a\0b@x.test",
            's-zero' => str_repeat('e', 100000) . '@x.test'];
        foreach (['s-enc' => 5, 's-max' => 'U64_MAX', 's-nul' => 7, 's-zero' => 0] as $name => $bytes) {
            $items[] = ['storage' => ['allotted_bytes' => $bytes, 'used_bytes' => 0],
                'contact' => ['email' => $emails[$name]]] + self::item($name);
        }
        $page = json_encode(['customers' => $items, 'next' => null], JSON_THROW_ON_ERROR);
        foreach (['ListAccounts', 'the sync', 'the import\'s sync'] as $read) {
            $this->sim->fault(['kind' => 'status', 'route' => 'GET /customers', 'status' => 200,
                'body' => str_replace('"U64_MAX"', '18446744073709551615', $page)]);
        }
        $answer = $this->whmcs->call('ListAccounts', ['serverid' => $this->serverId] + $this->serverParams());
        self::assertSame(['5', '18446744073709551615', '7', '0'], array_column($answer['accounts'], 'product'));
        self::assertSame(['&lt;b&gt;@x.test', '', '', ''], array_column($answer['accounts'], 'email'));
        $this->whmcs->serverSync($this->serverId);
        $enc = $this->whmcs->importAccount($this->serverId, 's-enc');
        $client = $this->whmcs->store()->client($this->whmcs->service($enc)['userid']);
        self::assertSame('&amp;lt;b&amp;gt;@x.test', $client['email'], 'the text itself, stored as WHMCS encodes it');

        foreach ([-1, 1.5, '10737418240', 1e30] as $bytes) {
            $item = ['storage' => ['allotted_bytes' => $bytes, 'used_bytes' => 0]] + self::item('liar');
            $this->customerPages([['customers' => [$item], 'next' => null]]);

            $error = $this->whmcs->serverSync($this->serverId)['error'];

            self::assertStringStartsWith('Could not list the accounts:', $error, var_export($bytes, true));
            self::assertLessThan(1000, strlen($error));
            self::assertStringNotContainsString($this->sim->password, $error);
        }
    }

    public function testAnImportedDeactivatedAccountIsSuspendedInTheProductOfItsStorage(): void
    {
        $auto = ['auto' => true];
        $this->sim->createDirectly('customers', ['name' => 'legacy', 'storage' => ['allotted_bytes' => 10737418240],
            'mcal' => $auto, 'contact' => ['email' => 'Legacy@Example.test']]);
        $this->sim->expect(200, 'POST', '/api/v1/customers/legacy/deactivate');
        $this->sim->createDirectly('resellers', ['name' => 'Old Reseller',
            'storage' => ['allotted_bytes' => 1099511627776], 'mcal' => $auto]);
        self::assertContains('legacy', $this->whmcs->serverSync($this->serverId)['importable']);
        $clientId = $this->whmcs->addClient(['email' => 'legacy@example.test']);
        $before = $this->sim->totalRequests();

        $legacy = $this->whmcs->importAccount($this->serverId, 'legacy');
        $reseller = $this->whmcs->importAccount($this->serverId, 'Old Reseller');

        self::assertSame($clientId, $this->whmcs->service($legacy)['userid'], 'the client of that e-mail');

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

    public function testEveryValidRfc3339TimeBecomesWhmcsLocalTimeAndAnUnreadableOneIsUnknown(): void
    {
        // In Asia/Kolkata (UTC+05:30), WHMCS's local time.
        $times = [
            'leap' => ['2016-12-31T23:59:60Z', '2017-01-01 05:29:59'],
            'minus' => ['2026-12-31T20:00:00-05:30', '2027-01-01 07:00:00'],
            'never' => ['yesterday at noon', '1970-01-01 00:00:00'],
            'plus' => ['2026-11-29T15:02:03+01:00', '2026-11-29 19:32:03'],
            'small' => ['2026-11-29t15:02:03.123456z', '2026-11-29 20:32:03'],
        ];
        $items = [];
        foreach ($times as $name => [$sent]) {
            $items[] = ['created_at' => $sent] + self::item($name);
        }
        $this->customerPages([['customers' => $items, 'next' => null]]);
        $params = ['serverid' => $this->serverId] + $this->serverParams();

        $answer = self::inZone('Asia/Kolkata', fn () => $this->whmcs->call('ListAccounts', $params));

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
        return ['serversecure' => true] + $this->sim->serverParams();
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
