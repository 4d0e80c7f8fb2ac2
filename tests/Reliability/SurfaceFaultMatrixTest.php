<?php

/**
 * Every sgsim fault kind against the rest of the module's surface, as FaultMatrixTest does for
 * the first five functions: Change Package, Change Password, UsageUpdate (the daily cron),
 * ListAccounts (Server Sync), the MetricProvider's usage() (the usage cron) and tenantUsage()
 * (a tenant refresh), the client area and its RevealPassKey, the four admin buttons and the
 * contact sync (the ClientEdit hook).
 *
 * Every account is made through the module's CreateAccount, so it carries the service's reference
 * (`whmcs:<install>:service:<id>`); a function may read the account before it acts, so no row
 * counts the requests of a call exactly. Each row arms one fault that spoils requests before they
 * are handled (`after: false`), on any route or only on the route of the acting request (so a
 * read before it passes), runs the function as WHMCS does, and checks:
 * - the answer has the function's normal shape, and what the admin is told names the failure
 *   (the server's own text when it sent one); the client area tells the client one line and the
 *   admin the details in the Module Log;
 * - at least one request reached the server, and the Module Log has one entry per request the
 *   server saw, each saying what went wrong;
 * - no secret (the server password, the service password, the pass key) is in the message or the
 *   log, whatever the server quotes back;
 * - the server's account (and pass key) is as it was, and so is WHMCS (stored key, disk usage,
 *   service status, billed metrics);
 * - the NEXT call, with the fault gone, works, and the server shows it (a new password logs in,
 *   the new size is set, the figures are written).
 *
 * A black-holed server costs the timeout (2 s here); it is tried on four functions only, and the
 * test asserts the message names the timeout, never how long the call took.
 * `testAFaultAfterTheWorkLeavesWhmcsAndTheServerConsistent` spoils the answer of a request the
 * server DID handle (`after: true`): whatever the function answers, WHMCS and the server agree
 * once it (or the next call) is done.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\Html;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\TestModule;

final class SurfaceFaultMatrixTest extends ReliabilityTestCase
{
    private const NAME = 'acme-surface';
    private const OLD_PASSWORD = 'Old-Surface-Pa55!';
    private const NEW_PASSWORD = 'N3w-Surface-Pa55&<x>';
    private const GIB = 1073741824;
    private const MIB = 1048576;
    private const USED_MIB = 300;

    /**
     * Fault kind => [the fault (spoiling requests before they are handled), the phrase told]: the
     * shared kinds of ReliabilityTestCase::SERVER_FAULTS (a drop or truncate armed before the
     * request is handled), then the kinds only these functions are tried with.
     */
    private const FAULTS = [
        'status 500' => self::SERVER_FAULTS['status 500'],
        'status 503 with a JSON error' => self::SERVER_FAULTS['status 503 with a JSON error'],
        'drop' => [self::SERVER_FAULTS['drop'][0] + ['after' => false], self::SERVER_FAULTS['drop'][1]],
        'truncate' => [self::SERVER_FAULTS['truncate'][0] + ['after' => false], self::SERVER_FAULTS['truncate'][1]],
        'garbage' => self::SERVER_FAULTS['garbage'],
        'oversize' => self::SERVER_FAULTS['oversize'],
        'not UTF-8' => [['kind' => 'nonutf8', 'after' => false], 'not UTF-8 text'],
        'gzip' => [['kind' => 'gzip', 'after' => false], 'encoded as "gzip"'],
        'headers too large' => [
            ['kind' => 'bigheader', 'size' => 131072, 'after' => false],
            'its headers are too large',
        ],
        'malformed JSON' => [['kind' => 'malformed', 'after' => false], 'not the expected JSON'],
        'echo of the request' => [['kind' => 'echo', 'status' => 500], 'INTERNAL'],
    ];

    /** The kinds also tried on the acting request only (a read before it passes). */
    private const ACTING_ROUTE_KINDS = ['status 500', 'drop', 'garbage', 'echo of the request'];

    /** The functions a black-holed server is tried on (each costs the timeout). */
    private const BLACKHOLED = ['ChangePackage', 'ChangePassword', 'UsageUpdate', 'Reset Pass Key'];

    /** Function => [its Module Log action, the route of its acting request]. */
    private const FUNCTIONS = [
        'ChangePackage' => ['ChangePackage', 'PATCH /customers/{name}'],
        'ChangePassword' => ['ChangePassword', 'PATCH /customers/{name}'],
        'UsageUpdate' => ['UsageUpdate', 'GET /customers'],
        'ListAccounts' => ['ListAccounts', 'GET /customers'],
        'MetricProvider usage()' => ['MetricProvider', 'GET /customers'],
        'MetricProvider tenantUsage()' => ['MetricProvider', 'GET /customers/{name}'],
        'ClientArea' => ['ClientArea', 'GET /customers/{name}/clients'],
        'RevealPassKey' => ['RevealPassKey', 'GET /customers/{name}/passkey'],
        'Reset Pass Key' => ['ResetPassKey', 'POST /customers/{name}/passkey/reset'],
        'Store Pass Key Again' => ['StorePassKey', 'GET /customers/{name}/passkey'],
        'Link Existing Account' => ['LinkAccount', 'PATCH /customers/{name}'],
        'Delete on Backup Server' => ['DeleteOnServer', 'DELETE /customers/{name}'],
        'Contact sync' => ['ClientEdit', 'PATCH /customers/{name}'],
    ];

    /**
     * Where a function says a fault in its own words (row => the phrase told and logged, or
     * [told, logged]): a pass key
     * answer is never quoted, not even in the log; a delete answers 204 without a body.
     */
    private const PHRASES = [
        'garbage × RevealPassKey (acting route)' => 'a pass key answer that is not',
        'garbage × Reset Pass Key (acting route)' => 'a pass key answer that is not',
        'garbage × Store Pass Key Again (acting route)' => 'a pass key answer that is not',
        'malformed JSON × Reset Pass Key (acting route)' => 'a pass key answer that is not',
        'malformed JSON × Store Pass Key Again (acting route)' => 'a pass key answer that is not',
        'garbage × Delete on Backup Server (acting route)' => [
            'where a delete answers 204 without a body',
            'not the expected JSON',
        ],
    ];

    /**
     * The contacts the contact-sync rows save: the first save meets the fault, the next one is
     * another change (a save of the unchanged profile retries too: see
     * testSavingTheUnchangedProfileAgainRetriesAFailedContactSync).
     */
    private const CONTACTS = [
        ['companyname' => 'Smith & Sons <"Surface">', 'email' => 'surface@acme.test'],
        ['companyname' => 'Smith &amp; Daughters', 'email' => 'next.surface@acme.test'],
    ];

    /** How many times the contact-sync rows saved the profile. */
    private int $saves = 0;

    /** @var array<string, string> the contact saved last */
    private array $savedContact = [];

    private int $serverId = 0;
    private int $serviceId = 0;
    private int $clientId = 0;
    private int $biggerProduct = 0;

    /** @return array<string, array{0: string, 1: string, 2: bool}> every row */
    private static function allRows(): array
    {
        $rows = [];
        foreach (array_keys(self::FAULTS) as $kind) {
            foreach (array_keys(self::FUNCTIONS) as $function) {
                $rows["$kind (any route) × $function"] = [$kind, $function, false];
                if (in_array($kind, self::ACTING_ROUTE_KINDS, true)) {
                    $rows["$kind (acting route) × $function"] = [$kind, $function, true];
                }
            }
        }
        foreach (self::BLACKHOLED as $function) {
            $rows["blackhole (acting route) × $function"] = ['blackhole', $function, true];
        }
        return $rows;
    }

    /** @return array<string, array{0: string, 1: string, 2: bool}> */
    public static function faultsAndFunctions(): array
    {
        return self::allRows();
    }

    /** @dataProvider faultsAndFunctions */
    public function testAFaultIsNamedLoggedHarmlessAndForgottenByTheNextCall(
        string $kind,
        string $function,
        bool $actingRouteOnly
    ): void {
        $this->checkRow($kind, $function, $actingRouteOnly);
    }

    private function checkRow(string $kind, string $function, bool $actingRouteOnly): void
    {
        [$fault, $phrase] = $kind === 'blackhole'
            ? [self::SERVER_FAULTS['blackhole'][0] + ['count' => 1], self::SERVER_FAULTS['blackhole'][1]]
            : self::FAULTS[$kind];
        $phrase = self::PHRASES["$kind × $function" . ($actingRouteOnly ? ' (acting route)' : '')]
            ?? self::PHRASES["$kind × $function"]
            ?? $phrase;
        [$phrase, $logged] = is_array($phrase) ? $phrase : [$phrase, $phrase];
        [$action, $route] = self::FUNCTIONS[$function];
        $this->prepare($function);
        $serverBefore = $this->sim->customer(self::NAME);
        $keyBefore = $this->sim->passkey(self::NAME);
        $whmcsBefore = $this->whmcsState($function);
        $seenBefore = $this->sim->totalRequests();
        $logBefore = $this->logCount();
        $activityBefore = count($this->whmcs->activity());
        $this->sim->fault($fault + ['count' => 10] + ($actingRouteOnly ? ['route' => $route] : []));

        [$ok, $told] = $this->perform($function);
        $this->clearFaults();

        $seen = $this->sim->totalRequests() - $seenBefore;
        $entries = $this->logSince($logBefore);
        $activity = array_slice(array_column($this->whmcs->activity(), 'message'), $activityBefore);
        self::assertGreaterThan(0, $seen, 'the call reached the server');
        self::assertFalse($ok, "$function answered success despite the fault: $told");
        // The client is told one line; the admin reads the details in the Module Log.
        $admin = in_array($function, ['ClientArea', 'RevealPassKey'], true) ? '' : $told;
        if ($function === 'ClientArea' || $function === 'RevealPassKey') {
            self::assertStringContainsString('cannot be shown right now', $told, 'the client is told');
        } else {
            self::assertStringContainsString($phrase, $admin, "$function names the failure");
        }
        self::assertCount($seen, $entries, 'one Module Log entry per request the server saw');
        $failed = 0;
        foreach ($entries as $i => $entry) {
            self::assertSame($action, $entry['action'], "log entry #$i");
            $failed += str_contains($entry['response'] . "\n" . $entry['processed'], $logged) ? 1 : 0;
        }
        self::assertGreaterThan(0, $failed, 'the Module Log says what went wrong');
        $this->assertNoSecret($told . "\n" . implode("\n", $activity), $entries);
        $this->assertAccountUnchanged($serverBefore);
        self::assertSame($keyBefore, $this->sim->passkey(self::NAME), 'the pass key unchanged');
        self::assertSame($whmcsBefore, $this->whmcsState($function), 'WHMCS unchanged');

        [$ok, $told] = $this->perform($function);
        self::assertTrue($ok, "$function works again: $told");
        $this->assertDone($function);
    }

    /** @return array<string, array{0: string, 1: string}> */
    public static function unreachableServers(): array
    {
        $rows = [];
        foreach (['connection refused', 'a certificate that is not the pinned one'] as $kind) {
            foreach (array_keys(self::FUNCTIONS) as $function) {
                $rows["$kind × $function"] = [$kind, $function];
            }
        }
        return $rows;
    }

    /**
     * The two failures sgsim's faults cannot make, on the WHMCS server record every function
     * uses: nothing listens at the port (refused), or the server's certificate is not the one
     * pinned in the access hash (bad TLS). No request reaches the server; the admin is told
     * which it was (the client one line, the admin the Module Log); nothing changes; with the
     * record put right, the next call works.
     *
     * @dataProvider unreachableServers
     */
    public function testAnUnreachableServerIsNamedAndNothingChanges(string $kind, string $function): void
    {
        $this->prepare($function);
        $serverBefore = $this->sim->customer(self::NAME);
        $whmcsBefore = $this->whmcsState($function);
        $record = $this->whmcs->store()->servers[$this->serverId];
        [$column, $value, $phrase] = $kind === 'connection refused'
            ? ['port', (string) self::closedPort(), 'could not connect']
            : ['accesshash', str_repeat('0123456789abcdef', 4), 'does not match'];
        $this->whmcs->store()->servers[$this->serverId][$column] = $value;
        $seen = $this->sim->totalRequests();
        $logBefore = $this->logCount();
        $activityBefore = count($this->whmcs->activity());

        [$ok, $told] = $this->perform($function);

        self::assertFalse($ok, "$function: $told");
        self::assertSame($seen, $this->sim->totalRequests(), 'no request reached the server');
        $logged = '';
        foreach ($this->logSince($logBefore) as $entry) {
            $logged .= $entry['response'] . "\n" . $entry['processed'] . "\n";
        }
        $activity = implode("\n", array_slice(array_column($this->whmcs->activity(), 'message'), $activityBefore));
        if ($function === 'ClientArea' || $function === 'RevealPassKey') {
            self::assertStringContainsString('cannot be shown right now', $told, 'the client is told');
            self::assertStringNotContainsString($this->sim->host, $told, 'no connection detail for the client');
            self::assertStringContainsString($phrase, $logged . $activity, 'the admin can read why');
        } else {
            self::assertStringContainsString($phrase, $told, "$function names the failure");
        }
        $this->assertNoSecret($told . "\n" . $activity, $this->logSince($logBefore));
        $this->assertAccountUnchanged($serverBefore);
        self::assertSame($whmcsBefore, $this->whmcsState($function), 'WHMCS unchanged');

        $this->whmcs->store()->servers[$this->serverId] = $record;
        [$ok, $told] = $this->perform($function);
        self::assertTrue($ok, "$function works again: $told");
        $this->assertDone($function);
    }

    /** A local TCP port nothing listens on (bound, then closed). */
    private static function closedPort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        self::assertNotFalse($socket, $error);
        $name = (string) stream_socket_get_name($socket, false);
        fclose($socket);
        return (int) substr($name, (int) strrpos($name, ':') + 1);
    }

    /** @return array<string, array{0: string, 1: array<string, mixed>}> */
    public static function answersLostAfterTheWork(): array
    {
        $rows = [];
        $faults = [
            'dropped' => ['kind' => 'drop', 'after' => true],
            'status 500' => ['kind' => 'status', 'status' => 500, 'after' => true],
            'garbage' => ['kind' => 'garbage', 'after' => true],
        ];
        foreach ($faults as $kind => $fault) {
            foreach (
                ['ChangePackage', 'ChangePassword', 'Reset Pass Key', 'Link Existing Account',
                    'Delete on Backup Server', 'Contact sync'] as $function
            ) {
                $rows["$kind × $function"] = [$function, $fault];
            }
        }
        return $rows;
    }

    /**
     * @dataProvider answersLostAfterTheWork
     * @param array<string, mixed> $fault
     */
    public function testAFaultAfterTheWorkLeavesWhmcsAndTheServerConsistent(string $function, array $fault): void
    {
        $this->prepare($function);
        $logBefore = $this->logCount();
        $this->sim->fault($fault + ['route' => self::FUNCTIONS[$function][1], 'count' => 1]);

        [$ok, $told] = $this->perform($function);
        $this->clearFaults();

        $this->assertNoSecret($told, $this->logSince($logBefore));
        if ($ok) {
            // Answered success after reading the work back: it must be true.
            $this->assertDone($function);
        } else {
            self::assertNotSame('', $told, 'a failure says what happened');
            [$ok, $told] = $this->perform($function);
            self::assertTrue($ok, "$function works again: $told");
            $this->assertDone($function);
        }
    }

    /**
     * The lies a server can tell each function (sgsim `rewrite`, `after: true`: the request is
     * handled, its answer changed): row => [function, the fault, whether the lie comes after the
     * work was done]. A lie is never a success: the account read belongs to another install (the
     * function refuses; a usage run writes and bills nothing from it); a list names this
     * service's account with another install's reference and a figure (not listed as this
     * install's, nothing written or billed); a change is answered with the state it was meant
     * to change.
     *
     * @return array<string, array{0: string, 1: array<string, mixed>, 2: bool}>
     */
    private static function allLies(): array
    {
        $foreign = ['reference' => 'whmcs:another-install:service:1'];
        $rows = [];
        foreach (
            ['ChangePackage', 'ChangePassword', 'MetricProvider tenantUsage()', 'ClientArea', 'RevealPassKey',
                'Reset Pass Key', 'Store Pass Key Again', 'Link Existing Account', 'Delete on Backup Server',
                'Contact sync'] as $function
        ) {
            $rows["the account read belongs to another install × $function"] = [
                $function,
                ['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => $foreign],
                false,
            ];
        }
        $listed = ['customers' => [[
            'name' => self::NAME,
            'kind' => 'customer',
            'reference' => $foreign['reference'],
            'active' => true,
            'storage' => ['allotted_bytes' => 10 * self::GIB, 'used_bytes' => 777 * self::MIB, 'location' => null],
            'mcal' => ['auto' => true, 'allotted' => null, 'used' => 0],
        ]], 'next' => null];
        foreach (['UsageUpdate', 'MetricProvider usage()', 'ListAccounts'] as $function) {
            $rows["the list gives the account to another install × $function"] = [
                $function,
                ['kind' => 'rewrite', 'route' => 'GET /customers', 'set' => $listed],
                false,
            ];
        }
        $rows['the change is answered with the old size × ChangePackage'] = [
            'ChangePackage',
            ['kind' => 'rewrite', 'route' => 'PATCH /customers/{name}', 'set' => [
                'storage' => ['allotted_bytes' => 10 * self::GIB, 'used_bytes' => 0, 'location' => null],
            ]],
            true,
        ];
        $rows['the adoption is answered with another reference × Link Existing Account'] = [
            'Link Existing Account',
            ['kind' => 'rewrite', 'route' => 'PATCH /customers/{name}', 'set' => $foreign],
            true,
        ];
        $rows['the contact change is answered with the old contact × Contact sync'] = [
            'Contact sync',
            ['kind' => 'rewrite', 'route' => 'PATCH /customers/{name}', 'set' => [
                'contact' => ['company' => 'Acme Surface', 'email' => 'old@acme.test'],
            ]],
            true,
        ];
        return $rows;
    }

    /** @return array<string, array{0: string, 1: array<string, mixed>, 2: bool}> */
    public static function lies(): array
    {
        return self::allLies();
    }

    /**
     * @dataProvider lies
     * @param array<string, mixed> $fault
     */
    public function testALyingServerIsNeverASuccess(string $function, array $fault, bool $afterTheWork): void
    {
        $this->checkLie($function, $fault, $afterTheWork);
    }

    /** @param array<string, mixed> $fault */
    private function checkLie(string $function, array $fault, bool $afterTheWork): void
    {
        $this->prepare($function);
        $serverBefore = $this->sim->customer(self::NAME);
        $keyBefore = $this->sim->passkey(self::NAME);
        $whmcsBefore = $this->whmcsState($function);
        $logBefore = $this->logCount();
        $this->sim->fault($fault + ['count' => 10]);

        [$ok, $told] = $this->perform($function);
        $this->clearFaults();

        if (in_array($function, ['UsageUpdate', 'MetricProvider usage()'], true)) {
            // A run over the whole server goes on; the foreign account is simply not this
            // service's: nothing written or billed from it (checked below).
            self::assertStringNotContainsString('777', $told);
        } else {
            // ListAccounts: the foreign account is not listed as this install's, so it does not
            // match this service (nothing to tell); every other function refuses and says why.
            self::assertFalse($ok, "$function took the lie for the truth: $told");
            if ($function !== 'ListAccounts') {
                self::assertNotSame('', $told, 'the admin is told');
            }
        }
        $this->assertNoSecret($told, $this->logSince($logBefore));
        self::assertSame($whmcsBefore, $this->whmcsState($function), 'WHMCS unchanged');
        if (!$afterTheWork) {
            $this->assertAccountUnchanged($serverBefore);
            self::assertSame($keyBefore, $this->sim->passkey(self::NAME), 'the pass key unchanged');
        }
    }

    /** @return array<string, array{0: string, 1: string, 2: bool}> every row */
    private static function allAttackedUsernames(): array
    {
        // Name => whether it must be refused before any request. A name that is not UTF-8 may
        // instead be sent decoded as Windows-1252 (an old install's data; see
        // tests/Hardening/OldInstallDataAttackTest.php), never with U+FFFD in it.
        $names = [
            'not UTF-8' => ["acme-surf\xE9", false],
            'huge' => [str_repeat('acme-', 20000), true],
            'control characters' => ["acme\x00surface\r\n", true],
        ];
        $functions = ['ChangePackage', 'ChangePassword', 'MetricProvider tenantUsage()', 'ClientArea',
            'RevealPassKey', 'Reset Pass Key', 'Store Pass Key Again', 'Link Existing Account',
            'Delete on Backup Server'];
        $rows = [];
        foreach ($names as $attack => [$name, $refused]) {
            foreach ($functions as $function) {
                // Deleting the account of a decoded name that does not exist may rightly answer
                // that it is gone: only the refused names are tried on Delete.
                if ($refused || $function !== 'Delete on Backup Server') {
                    $rows["$attack × $function"] = [$function, $name, $refused];
                }
            }
        }
        return $rows;
    }

    /** @return array<string, array{0: string, 1: string, 2: bool}> */
    public static function attackedUsernames(): array
    {
        return self::allAttackedUsernames();
    }

    /**
     * A service whose stored username no Backup Server account can have (100 KB, control
     * characters: an old install's data, a careless import) costs nothing: refused before any
     * request, with a message that is valid text and does not quote the bytes; one that is not
     * UTF-8 is refused or looked up decoded, and fails as an account that does not exist.
     *
     * @dataProvider attackedUsernames
     */
    public function testAnImpossibleUsernameIsRefusedBeforeAnyRequest(
        string $function,
        string $username,
        bool $refused
    ): void {
        $this->checkUsername($function, $username, $refused);
    }

    private function checkUsername(string $function, string $username, bool $refused): void
    {
        $this->prepare($function);
        $serverBefore = $this->sim->customer(self::NAME);
        $this->whmcs->store()->services[$this->serviceId]['username'] = Html::encode($username);
        $whmcsBefore = $this->whmcsState($function);
        $seen = $this->sim->totalRequests();
        $logBefore = $this->logCount();

        [$ok, $told] = $this->perform($function);

        self::assertFalse($ok, "$function ran for an impossible username: $told");
        if ($refused) {
            self::assertSame($seen, $this->sim->totalRequests(), 'nothing was sent');
        }
        foreach ($this->logSince($logBefore) as $i => $entry) {
            self::assertStringNotContainsString("\u{FFFD}", $entry['request'], "request #$i: never altered");
            self::assertStringNotContainsString('%EF%BF%BD', $entry['request'], "request #$i: never altered");
        }
        self::assertNotSame('', $told, 'the admin or client is told');
        self::assertTrue(mb_check_encoding($told, 'UTF-8'), 'the message is text');
        self::assertLessThan(2000, strlen($told), 'the message does not quote 100 KB');
        self::assertStringNotContainsString("\x00", $told);
        $this->assertAccountUnchanged($serverBefore);
        self::assertSame($whmcsBefore, $this->whmcsState($function), 'WHMCS unchanged');
    }

    /**
     * A failed contact sync tells the admin "saving the profile again retries it"; the save
     * again (the profile unchanged, so `olddata` equals the new data) then sends the contact:
     * the hook compares the contact with the server's account only, never with `olddata`.
     */
    public function testSavingTheUnchangedProfileAgainRetriesAFailedContactSync(): void
    {
        $this->prepare('Contact sync');
        $contact = self::CONTACTS[0];
        $this->sim->fault(['kind' => 'status', 'status' => 500, 'route' => self::FUNCTIONS['Contact sync'][1]]);

        $this->whmcs->editClient($this->clientId, $contact);
        $failed = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('saving the profile again retries it', $failed);

        $this->whmcs->editClient($this->clientId, $contact);

        $account = $this->sim->customer(self::NAME);
        self::assertSame($contact['email'], $account['contact']['email'] ?? null, 'the retry sent the contact');
    }

    /** Makes the service FUNCTION acts on (through CreateAccount, with its reference). */
    private function prepare(string $function): void
    {
        Evidence::addSecret(self::OLD_PASSWORD);
        Evidence::addSecret(self::NEW_PASSWORD);
        $this->serverId = $this->whmcs->addServer(['name' => 'Backup'] + self::serverFields($this->sim));
        $productId = $this->serverProduct(10 * self::GIB);
        $this->biggerProduct = $this->serverProduct(20 * self::GIB);
        if ($function === 'Contact sync') {
            // WHMCS loads a module's hooks.php once a product uses the module.
            $this->whmcs->knowHookSecret($this->sim->password);
            self::assertNotSame([], $this->whmcs->loadHookFiles(ROOTDIR));
        }
        $this->clientId = $this->whmcs->addClient(['companyname' => 'Acme Surface']);
        $orderId = $this->whmcs->placeOrder(
            $this->clientId,
            $productId,
            ['username' => self::NAME, 'password' => self::OLD_PASSWORD]
        );
        $this->serviceId = $this->whmcs->orderService($orderId);
        $this->assertCreated($this->serviceId, $this->whmcs->acceptOrder($orderId));
        if ($function !== 'RevealPassKey') {
            // RevealPassKey shows the key to its owner: there it is the answer, not a leak.
            Evidence::addSecret($this->sim->passkey(self::NAME));
        }
        $account = $this->sim->customer(self::NAME);
        self::assertSame($this->reference('service', $this->serviceId), $account['reference'] ?? null);
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'customer', 'name' => self::NAME, 'used_bytes' => self::USED_MIB * self::MIB,
        ]);
        if ($function === 'Link Existing Account') {
            // A service made before this module: its account carries no reference yet.
            $this->sim->expect(200, 'PATCH', '/api/v1/customers/' . self::NAME, ['reference' => '']);
        }
        if ($function === 'Delete on Backup Server') {
            self::assertSame('success', $this->whmcs->terminate($this->serviceId));
        }
    }

    private function serverProduct(int $bytes): int
    {
        return $this->whmcs->addProduct('Backup ' . ($bytes / self::GIB) . ' GiB', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => (string) $bytes,
            Labels::PASS_KEY => 'on',
        ], ['servers' => [$this->serverId]]);
    }

    /**
     * Runs FUNCTION as WHMCS does; answers whether it worked and what it told (the admin's
     * message; the client's page for the client area).
     *
     * @return array{0: bool, 1: string}
     */
    private function perform(string $function): array
    {
        $activityBefore = count($this->whmcs->activity());
        $activity = fn (): string => implode("\n", array_slice(
            array_column($this->whmcs->activity(), 'message'),
            $activityBefore
        ));
        switch ($function) {
            case 'ChangePackage':
                $result = $this->whmcs->upgradeProduct($this->serviceId, $this->biggerProduct);
                return [$result === 'success', $result];
            case 'ChangePassword':
                $result = $this->whmcs->changePassword($this->serviceId, self::NEW_PASSWORD);
                return [$result === 'success', $result];
            case 'UsageUpdate':
                $results = $this->whmcs->runUsageUpdate();
                self::assertSame([$this->serverId], array_keys($results), 'once per server');
                self::assertIsString($results[$this->serverId]);
                return [$results[$this->serverId] === 'success', $results[$this->serverId]];
            case 'ListAccounts':
                $sync = $this->whmcs->serverSync($this->serverId);
                return [$sync['error'] === '' && isset($sync['matched'][self::NAME]), $sync['error']];
            case 'MetricProvider usage()':
                $billed = $this->whmcs->runUsageCron();
                self::assertSame([$this->serverId], array_keys($billed));
                return [$billed[$this->serverId] === 1, $activity()];
            case 'MetricProvider tenantUsage()':
                $metrics = $this->whmcs->refreshTenantUsage($this->serviceId);
                return [$metrics !== [], $activity()];
            case 'ClientArea':
                $page = $this->whmcs->clientArea()->productDetails($this->clientId, $this->serviceId);
                self::assertSame('clientarea', $page['templatefile']);
                return [$page['vars']['sgwhmcs']['error'] === false, self::pageText($page['html'])];
            case 'RevealPassKey':
                $page = $this->whmcs->clientArea()->customAction($this->clientId, $this->serviceId, 'RevealPassKey');
                self::assertSame('clientarea', $page['templatefile']);
                return [($page['vars']['sgwhmcs']['passkey_shown'] ?? false) === true, self::pageText($page['html'])];
            case 'Contact sync':
                // Every failure of the hook is one Activity Log line naming the service; a save
                // with nothing left to change writes none. A service skipped (its account is
                // not this service's, or the time was used up) is not synced either.
                $this->savedContact = self::CONTACTS[min($this->saves++, 1)];
                $this->whmcs->editClient($this->clientId, $this->savedContact);
                $told = $activity();
                return [!str_contains($told, ' failed: ') && !str_contains($told, ' skipped: '), $told];
            default:
                $result = $this->whmcs->adminScreens()->press($this->serviceId, $function);
                return [$result === 'success', $result];
        }
    }

    /** What WHMCS holds that FUNCTION may change (compared before and after a failed call). */
    private function whmcsState(string $function): mixed
    {
        $service = $this->whmcs->service($this->serviceId);
        return match ($function) {
            'UsageUpdate' => array_intersect_key($service, array_flip(['diskusage', 'disklimit', 'lastupdate'])),
            'MetricProvider usage()', 'MetricProvider tenantUsage()' => $this->whmcs->serviceMetrics($this->serviceId),
            'Reset Pass Key', 'Store Pass Key Again' => $this->storedKey(),
            default => $service['domainstatus'],
        };
    }

    /** FUNCTION's work is visible on the server and, where it writes, in WHMCS. */
    private function assertDone(string $function): void
    {
        $account = $this->sim->customer(self::NAME);
        $reference = $this->reference('service', $this->serviceId);
        switch ($function) {
            case 'ChangePackage':
                self::assertSame(20 * self::GIB, $account['storage']['allotted_bytes'], 'the new size is set');
                return;
            case 'ChangePassword':
                self::assertTrue($this->logsIn(self::NEW_PASSWORD), 'the new password logs in');
                self::assertFalse($this->logsIn(self::OLD_PASSWORD), 'the old one no longer does');
                return;
            case 'UsageUpdate':
                $written = $this->whmcs->service($this->serviceId)['diskusage'] ?? null;
                self::assertSame((string) self::USED_MIB, (string) $written, 'the server\'s figure is written');
                return;
            case 'MetricProvider usage()':
            case 'MetricProvider tenantUsage()':
                $metrics = $this->whmcs->serviceMetrics($this->serviceId);
                self::assertArrayHasKey('storage_used', $metrics);
                self::assertEqualsWithDelta(self::USED_MIB / 1024, $metrics['storage_used']['value'], 0.01);
                return;
            case 'Reset Pass Key':
            case 'Store Pass Key Again':
            case 'RevealPassKey':
                if ($function !== 'RevealPassKey') {
                    Evidence::addSecret($this->sim->passkey(self::NAME));
                    self::assertSame($this->sim->passkey(self::NAME), $this->storedKey(), 'WHMCS holds the key in use');
                }
                return;
            case 'Link Existing Account':
                self::assertSame($reference, $account['reference'] ?? null, 'adopted by reference');
                return;
            case 'Delete on Backup Server':
                self::assertNull($account, 'the account is gone');
                return;
            case 'Contact sync':
                self::assertSame($this->savedContact['companyname'], $account['contact']['company'] ?? null);
                self::assertSame($this->savedContact['email'], $account['contact']['email'] ?? null);
                return;
            default:
                self::assertSame($reference, $account['reference'] ?? null, 'still this service\'s account');
        }
    }

    /**
     * No form of a secret in TEXT or the log ENTRIES: the server's and the service's passwords,
     * the pass key.
     *
     * @param list<array<string, mixed>> $entries
     */
    private function assertNoSecret(string $text, array $entries): void
    {
        $secrets = [$this->sim->password, self::OLD_PASSWORD, self::NEW_PASSWORD];
        $key = $this->sim->customer(self::NAME) === null ? null : $this->sim->passkey(self::NAME);
        if ($key !== null && $key !== '') {
            $secrets[] = $key;
        }
        $logged = '';
        foreach ($entries as $entry) {
            $logged .= $entry['request'] . "\n" . $entry['response'] . "\n" . $entry['processed'] . "\n";
        }
        foreach ($secrets as $secret) {
            foreach ([$secret, base64_encode($secret), rawurlencode($secret), htmlspecialchars($secret)] as $form) {
                self::assertStringNotContainsString($form, $text, 'no secret in the message');
                self::assertStringNotContainsString($form, $logged, 'no secret in the Module Log');
            }
        }
        self::assertStringNotContainsString(
            base64_encode($this->sim->user . ':' . $this->sim->password),
            $text . $logged,
            'no Authorization header quoted'
        );
    }

    /**
     * The account is as BEFORE (size, state, reference, contact), and its web console password is
     * still the old one (a failed password change left it working).
     *
     * @param array<string, mixed>|null $before
     */
    private function assertAccountUnchanged(?array $before): void
    {
        self::assertSame($before, $this->sim->customer(self::NAME), 'the account unchanged');
        self::assertTrue($this->logsIn(self::OLD_PASSWORD), 'the old password still logs in');
        self::assertFalse($this->logsIn(self::NEW_PASSWORD), 'the new one does not');
    }

    private function logsIn(string $password): bool
    {
        return $this->sim->expect(200, 'POST', '/_sim/login', [
            'kind' => 'customer', 'name' => self::NAME, 'password' => $password,
        ])['ok'] === true;
    }

    private function storedKey(): string
    {
        return $this->whmcs->store()->clientFieldValue($this->clientId, 'Pass Key');
    }

    /** The text of an HTML page, tags dropped and entities decoded, spaces collapsed. */
    private static function pageText(string $html): string
    {
        return trim((string) preg_replace('/\s+/', ' ', html_entity_decode(strip_tags($html), ENT_QUOTES)));
    }

    /** Whether TestModule is the module the emulator runs (a guard for the hook rows). */
    public function testTheHookRowsRunTheGeneratedModulesHooks(): void
    {
        $this->prepare('Contact sync');
        self::assertSame(1, $this->whmcs->hooks()->count('ClientEdit'), TestModule::NAME . ' registers ClientEdit');
    }
}
