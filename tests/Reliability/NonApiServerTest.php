<?php

/**
 * A server entry that points at something that is not the Backup Server API (a web server on the
 * wrong port, another JSON service, a stock console asking for a login): only the API's own
 * answers count (issue 16, item 5). Every module function run against such a server
 * (tests/Support/non-api-router.php, a real PHP built-in web server on 127.0.0.1) answers its
 * normal failure shape saying "this is not a Backup Server API endpoint" and never "success";
 * WHMCS (service status, stored pass key) and the real accounts on sgsim stay as they were.
 * Before the fix, an HTML or plain JSON 404 was read as the API's "not found", and Terminate took
 * that for "already gone": WHMCS marked the service Terminated while nothing changed.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\EchoServer;
use SgWhmcs\Tests\Support\Labels;

final class NonApiServerTest extends ReliabilityTestCase
{
    private const NOT_API = 'this is not a Backup Server API endpoint';
    private const ADMIN_PASSWORD = 'NonApi-Admin-Pa55';

    private ?EchoServer $server = null;

    protected function tearDown(): void
    {
        $this->server?->stop();
        $this->server = null;
        parent::tearDown();
    }

    /** @return array<string, array{0: string, 1: string}> mode => [mode, what the message says came] */
    public static function servers(): array
    {
        return [
            'an HTML 404 page' => ['html-404', 'answered HTTP 404 with an HTML page'],
            'a plain JSON 404' => ['json-404', 'answered HTTP 404 with JSON that is not the API\'s JSON error'],
            'a JSON 404 whose error is a string' => [
                'json-error-string-404',
                'answered HTTP 404 with JSON that is not the API\'s JSON error',
            ],
            'a text 404' => ['text-404', 'answered HTTP 404 with plain text'],
            'an HTML 200 page' => ['html-200', 'answered HTTP 200 with an HTML page'],
            'GET /server answering {}' => ['server-empty-json', 'answered HTTP '],
            'GET /server answering {"product":"nginx"}' => ['server-nginx-json', 'answered HTTP '],
            'a console asking for a login (HTML 401)' => ['html-401', 'answered HTTP 401 with an HTML page'],
        ];
    }

    /** @dataProvider servers */
    public function testTestConnectionSaysItIsNotTheApi(string $mode, string $came): void
    {
        $fields = $this->startServer($mode);

        $result = $this->whmcs->testUnsavedServer($fields);

        self::assertFalse($result['success']);
        self::assertStringStartsWith(
            'Connection failed: ' . self::NOT_API . ': the server at 127.0.0.1:',
            $result['error']
        );
        $expected = str_starts_with($mode, 'server-')
            ? 'answered HTTP 200 with JSON that does not identify itself as the Backup Server API '
                . '(no "api": "backup-server/1")'
            : $came;
        self::assertStringContainsString($expected, $result['error']);
        self::assertStringContainsString('6060 for http and 6061 for https', $result['error']);
        self::assertStringNotContainsString(self::ADMIN_PASSWORD, $result['error']);
        self::assertStringContainsString('request: GET /api/v1/server', $this->server?->log() ?? '', 'it was asked');
    }

    /**
     * Services made on sgsim, then their product pointed at the server that is not the API; every
     * function run against it.
     *
     * @dataProvider servers
     */
    public function testEveryFunctionFailsClearlyAndChangesNothing(string $mode, string $came): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $active = $this->service($productId, 'nonapi-active');
        $suspended = $this->service($productId, 'nonapi-suspended');
        self::assertSame('success', $this->whmcs->suspend($suspended));
        $terminated = $this->service($productId, 'nonapi-gone');
        self::assertSame('success', $this->whmcs->terminate($terminated));
        $names = ['nonapi-active', 'nonapi-suspended', 'nonapi-gone'];
        $accountsBefore = array_map(fn (string $n): ?array => $this->sim->customer($n), $names);
        $keyBefore = $this->storedKey($active);

        $fields = $this->startServer($mode);
        $connection = [
            Labels::PROTOCOL => 'http',
            Labels::HOST => $fields['hostname'],
            Labels::PORT => $fields['port'],
            Labels::USERNAME => $fields['username'],
            Labels::PASSWORD => $fields['password'],
            Labels::FINGERPRINT => '',
        ];
        $this->whmcs->configureProduct($productId, $connection);
        $bigger = $this->customerProduct($connection + [Labels::STORAGE => '21474836480', Labels::PASS_KEY => 'on']);
        $serverId = $this->whmcs->addServer($fields);
        $viaServer = $this->whmcs->addProduct('Backup via a server', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ], ['servers' => [$serverId]]);
        $clientId = $this->whmcs->addClient();
        $cronOrder = $this->whmcs->placeOrder($clientId, $viaServer, ['username' => 'nonapi-cron']);
        $this->whmcs->acceptOrder($cronOrder, false);
        $pendingOrder = $this->whmcs->placeOrder($this->whmcs->addClient(), $productId, ['username' => 'nonapi-new']);
        $pending = $this->whmcs->orderService($pendingOrder);
        $statuses = fn (): array => array_map(
            fn (int $id): string => (string) $this->whmcs->service($id)['domainstatus'],
            [$active, $suspended, $terminated, $pending]
        );
        $statusesBefore = $statuses();
        $routesBefore = $this->sim->totalRequests();

        $logBefore = $this->logCount();
        $area = $this->whmcs->clientArea()->productDetails(
            (int) $this->whmcs->service($active)['userid'],
            $active
        );
        $areaLog = implode("\n", array_map(
            fn (array $e): string => $e['response'] . "\n" . $e['processed'],
            $this->logSince($logBefore)
        ));
        $results = [
            'CreateAccount' => $this->whmcs->acceptOrder($pendingOrder),
            'SuspendAccount' => $this->whmcs->suspend($active),
            'UnsuspendAccount' => $this->whmcs->unsuspend($suspended),
            'TerminateAccount' => $this->whmcs->terminate($active),
            'ChangePassword' => $this->whmcs->changePassword($active, 'Changed-Passw0rd-42'),
            'Delete on Backup Server' => $this->whmcs->adminScreens()->press($terminated, 'Delete on Backup Server'),
            'Reset Pass Key' => $this->whmcs->adminScreens()->press($active, 'Reset Pass Key'),
            'UsageUpdate' => $this->whmcs->runUsageUpdate()[$serverId] ?? 'not run',
            'ListAccounts' => $this->whmcs->serverSync($serverId)['error'],
            // Last: WHMCS stores the new product first, whatever the module answers.
            'ChangePackage' => $this->whmcs->upgradeProduct($active, $bigger),
        ];

        foreach ($results as $function => $text) {
            self::assertIsString($text, $function);
            self::assertNotSame('success', $text, $function);
            self::assertStringContainsString(self::NOT_API, $text, $function);
            self::assertStringContainsString('the server at 127.0.0.1:' . $fields['port'], $text, $function);
            self::assertStringNotContainsString(self::ADMIN_PASSWORD, $text, $function);
            if (!str_starts_with($mode, 'server-')) {
                self::assertStringContainsString($came, $text, $function);
            }
        }
        self::assertStringStartsWith('Could not list the accounts:', $results['ListAccounts']);
        self::assertStringStartsWith('Could not deactivate customer "nonapi-active": ', $results['TerminateAccount']);
        self::assertStringStartsWith('Could not create customer: ', $results['CreateAccount']);
        self::assertTrue($area['vars']['sgwhmcs']['error'], 'the client area shows its one error line');
        self::assertStringContainsString('cannot be shown right now', $area['html']);
        self::assertStringContainsString(self::NOT_API, $areaLog, 'the Module Log says why');

        self::assertSame($statusesBefore, $statuses(), 'WHMCS: no service changed status');
        self::assertSame(['Active', 'Suspended', 'Terminated', 'Pending'], $statusesBefore);
        self::assertSame($keyBefore, $this->storedKey($active), 'the stored pass key unchanged');
        self::assertSame($routesBefore, $this->sim->totalRequests(), 'sgsim was not asked');
        self::assertSame(
            $accountsBefore,
            array_map(fn (string $n): ?array => $this->sim->customer($n), $names),
            'the accounts on the Backup Server unchanged'
        );
        self::assertNull($this->sim->customer('nonapi-new'));
        self::assertGreaterThanOrEqual(
            count($results),
            substr_count($this->server?->log() ?? '', 'request: '),
            'every function asked the server that is not the API'
        );
    }

    /**
     * The real API's "not found" still means what it says: Terminate of an account that is no
     * longer on the Backup Server is done, as before.
     */
    public function testTheApisOwnNotFoundStillMeansGone(): void
    {
        $productId = $this->customerProduct();
        $serviceId = $this->service($productId, 'nonapi-deleted');
        $this->sim->expect(204, 'DELETE', '/api/v1/customers/nonapi-deleted');

        self::assertSame('success', $this->whmcs->terminate($serviceId));
        self::assertSame('Terminated', $this->whmcs->service($serviceId)['domainstatus']);
    }

    /**
     * Starts the server in MODE for this test; answers its Setup › Servers fields.
     *
     * @return array<string, mixed>
     */
    private function startServer(string $mode): array
    {
        $this->server?->stop();
        $this->server = EchoServer::routed(
            dirname(__DIR__) . '/Support/non-api-router.php',
            ['SGWHMCS_NONAPI_MODE' => $mode]
        );
        return [
            'hostname' => $this->server->host,
            'username' => 'admin',
            'password' => self::ADMIN_PASSWORD,
            'accesshash' => '',
            'secure' => false,
            'port' => (string) $this->server->port,
        ];
    }

    /** An Active service of PRODUCT whose account NAME was made on sgsim. */
    private function service(int $productId, string $name): int
    {
        [$serviceId, $result] = $this->orderAndAccept($productId, $name);
        $this->assertCreated($serviceId, $result);
        return $serviceId;
    }

    private function storedKey(int $serviceId): string
    {
        $clientId = $this->whmcs->service($serviceId)['userid'];
        return $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
    }
}
