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
            self::assertContains($builtIn, $sync['importable']);
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
        self::assertSame('Signup Reseller', $byName['Default Reseller']['product']);
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
}
