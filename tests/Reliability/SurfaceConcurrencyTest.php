<?php

/**
 * The rest of the module's surface called concurrently, each call in a PHP process of its own
 * (fixtures/call-in-shared-whmcs.php) on ONE shared WHMCS database (Emulator/SharedDatabase: the
 * emulator's tables in a file, each query one atomic statement under a lock, as concurrent WHMCS
 * requests share MySQL), against the shared sgsim. Every account is made through the module's
 * CreateAccount first, so it carries its service's reference. Checked on the server and in the
 * shared tables afterwards:
 * - two Change Packages of one service end on the plan, with at most one PATCH each;
 * - two password changes: the server holds one of the two passwords, WHMCS one of the two;
 * - two Reset Pass Key presses: both answer, and a Store Pass Key Again makes WHMCS hold the
 *   server's key (that WHMCS holds it right after the race is held, with the interleaving
 *   forced, by testALateResetPassKeyAnswerNeverOverwritesTheNewerKey);
 * - the client area while a Suspend runs: a normal page either way, the service suspended after;
 * - three profile saves (HTML-encoded text, a Windows-1252 company): the account's contact is
 *   one of the three whole contacts, decoded once, never a mix;
 * - two UsageUpdate runs at once, and UsageUpdate racing a Create: every service's disk usage is
 *   the server's figure (huge ones too), no row lost, added or changed beyond the usage columns,
 *   and the newly created service either written with its own figure or left untouched.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\Html;
use SgWhmcs\Tests\Emulator\ServiceChanges;
use SgWhmcs\Tests\Emulator\SharedDatabase;
use SgWhmcs\Tests\Support\ChildProcesses;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\TestModule;

final class SurfaceConcurrencyTest extends ReliabilityTestCase
{
    private const NAME = 'acme-concurrent';
    private const GIB = 1073741824;
    private const MIB = 1048576;
    private const PATCH = 'PATCH /customers/{name}';

    private int $serverId = 0;
    private int $productId = 0;

    /** @var list<string> files to remove after the test */
    private array $files = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->serverId = $this->whmcs->addServer(['name' => 'Backup'] + self::serverFields($this->sim));
        $this->productId = $this->serverProduct(10 * self::GIB);
    }

    protected function tearDown(): void
    {
        foreach ($this->files as $file) {
            @unlink($file);
        }
        parent::tearDown();
    }

    public function testTwoChangePackagesOfOneServiceAtOnceEndOnThePlan(): void
    {
        [$serviceId] = $this->service(self::NAME);
        $gold = $this->serverProduct(50 * self::GIB);
        // WHMCS stores the upgrade before it calls the module; both requests then run it.
        $this->whmcs->store()->services[$serviceId]['packageid'] = $gold;
        $patches = $this->routeCount(self::PATCH);

        $answers = $this->runAtOnce(array_fill(0, 2, [['call' => 'ChangePackage', 'service' => $serviceId]]));

        foreach ($answers as $i => $answer) {
            self::assertSame(['success'], $answer['results'], "request $i");
        }
        self::assertSame(50 * self::GIB, $this->sim->customer(self::NAME)['storage']['allotted_bytes']);
        $sent = $this->routeCount(self::PATCH) - $patches;
        self::assertGreaterThanOrEqual(1, $sent);
        self::assertLessThanOrEqual(2, $sent, 'at most one PATCH per request');
        self::assertSame($this->reference('service', $serviceId), $this->sim->customer(self::NAME)['reference']);
    }

    public function testTwoPasswordChangesAtOnceLeaveOneOfThemOnTheServerAndInWhmcs(): void
    {
        [$serviceId] = $this->service(self::NAME);
        $old = Html::decode((string) $this->whmcs->store()->service($serviceId)['password']);
        $passwords = ['First-Pa55 &amp; <one>', 'Second-Pa55 "two"'];
        $jobs = [];
        foreach ($passwords as $password) {
            Evidence::addSecret($password);
            // WHMCS stores the new password (HTML-encoded, as typed) first, then calls the module.
            $jobs[] = [
                ['set' => 'services', 'id' => $serviceId, 'values' => ['password' => Html::encode($password)]],
                ['call' => 'ChangePassword', 'service' => $serviceId],
            ];
        }

        $answers = $this->runAtOnce($jobs);

        foreach ($answers as $i => $answer) {
            self::assertSame(['success'], $answer['results'], "request $i");
            $this->assertNoSecret($answer, [...$passwords, $old]);
        }
        $working = array_values(array_filter($passwords, fn (string $p): bool => $this->logsIn(self::NAME, $p)));
        self::assertCount(1, $working, 'exactly one of the two passwords logs in');
        self::assertFalse($this->logsIn(self::NAME, $old), 'the old password no longer does');
        // What the module cannot make equal: WHMCS stored both before either call, in an order
        // the module never sees; WHMCS holds one of the two, not necessarily the working one.
        $this->shared()->into($this->whmcs);
        $held = Html::decode((string) $this->whmcs->service($serviceId)['password']);
        self::assertContains($held, $passwords, 'WHMCS holds one of the two');
    }

    public function testTwoResetPassKeyPressesAtOnceAnswerAndStoringAgainHoldsTheServersKey(): void
    {
        [$serviceId, $clientId] = $this->service(self::NAME);
        $first = $this->sim->passkey(self::NAME);

        $answers = $this->runAtOnce(array_fill(0, 2, [['call' => 'ResetPassKey', 'service' => $serviceId]]));

        $current = $this->sim->passkey(self::NAME);
        Evidence::addSecret($current);
        self::assertNotSame($first, $current, 'the key was reset');
        foreach ($answers as $i => $answer) {
            self::assertSame(['success'], $answer['results'], "press $i");
            $this->assertNoSecret($answer, [$first, $current]);
        }
        $this->shared()->into($this->whmcs);
        self::assertNotSame('', $this->storedKey($clientId), 'a key is stored');
        self::assertSame('success', $this->whmcs->adminScreens()->press($serviceId, 'Store Pass Key Again'));
        self::assertSame($current, $this->storedKey($clientId), 'WHMCS holds the server\'s key');
    }

    /**
     * Two Reset Pass Key presses whose answers arrive in the other order: the first reset is
     * handled by the server first but its answer is late (sgsim `delay`, `after: true`), so the
     * second press stores the newer key before the first stores the older one. WHMCS must end
     * with the key the server holds, in the service's field and the client's: each press reads
     * the server's key back after storing and stores that while they differ
     * (core/src/whmcs/passkey.rs `store_current`), so the late press replaces its stale key.
     */
    public function testALateResetPassKeyAnswerNeverOverwritesTheNewerKey(): void
    {
        [$serviceId, $clientId] = $this->service(self::NAME);
        $this->sim->fault([
            'kind' => 'delay', 'delay_ms' => 1500, 'after' => true, 'count' => 1,
            'route' => 'POST /customers/{name}/passkey/reset',
        ]);
        $reads = $this->routeCount('GET /customers/{name}/passkey');

        $answers = $this->runAtOnce(array_fill(0, 2, [['call' => 'ResetPassKey', 'service' => $serviceId]]));

        $readBacks = $this->routeCount('GET /customers/{name}/passkey') - $reads;
        foreach ($answers as $i => $answer) {
            self::assertSame(['success'], $answer['results'], "press $i");
        }
        $current = $this->sim->passkey(self::NAME);
        Evidence::addSecret($current);
        foreach ($answers as $i => $answer) {
            $this->assertNoSecret($answer, [$current]);
        }
        $this->shared()->into($this->whmcs);
        self::assertSame($current, $this->storedKey($clientId), 'the client field holds the server\'s key');
        self::assertSame(
            $current,
            $this->whmcs->store()->serviceFieldValue($serviceId, 'Pass Key'),
            'the service field holds the server\'s key'
        );
        // One read-back per press, and at most one more: by the press whose reset came first, when
        // it found its key stale (the last reset's press reads back the final key at once).
        self::assertGreaterThanOrEqual(2, $readBacks);
        self::assertLessThanOrEqual(3, $readBacks);
    }

    public function testTheClientAreaWhileASuspendRunsShowsANormalPage(): void
    {
        [$serviceId] = $this->service(self::NAME);
        $suspend = [
            ['call' => 'SuspendAccount', 'service' => $serviceId],
            ['ifSuccess' => ['set' => 'services', 'id' => $serviceId, 'values' => ['domainstatus' => 'Suspended']]],
        ];
        $area = [['call' => 'ClientArea', 'service' => $serviceId]];

        $answers = $this->runAtOnce([$suspend, $area, $area]);

        self::assertSame(['success'], $answers[0]['results']);
        self::assertFalse($this->sim->customer(self::NAME)['active'], 'suspended on the server');
        $this->shared()->into($this->whmcs);
        self::assertSame('Suspended', $this->whmcs->service($serviceId)['domainstatus']);
        foreach ([1, 2] as $i) {
            $page = $answers[$i]['results'][0];
            self::assertIsArray($page, "page $i");
            self::assertSame('clientarea', $page['templatefile'], "page $i");
            self::assertFalse($page['vars']['sgwhmcs']['error'], "page $i is not an error");
            if (($page['vars']['sgwhmcs']['inactive'] ?? false) === true) {
                // Called after WHMCS stored "Suspended": answered at once, no request (WHMCS
                // shows module output for Active services only).
                self::assertArrayNotHasKey('status_key', $page['vars']['sgwhmcs'], "page $i");
                continue;
            }
            // Called while the service was still Active: the account's state before or after.
            self::assertContains(
                $page['vars']['sgwhmcs']['status_key'] ?? null,
                ['status_active', 'status_inactive'],
                "page $i shows the state before or after"
            );
        }
    }

    public function testThreeProfileSavesAtOnceLeaveOneWholeContactNeverAMix(): void
    {
        [, $clientId] = $this->service(self::NAME);
        // As typed: HTML-encoded text kept as text, and a company in Windows-1252 (WHMCS's old
        // default charset), which reaches the server decoded (tests/Hardening/NonUtf8Test.php).
        $typed = [
            ['companyname' => 'Tom &amp; Jerry <Ltd>', 'email' => 'first@acme.test', 'city' => "O'Fallon"],
            ['companyname' => 'Smith & Sons', 'email' => 'second@acme.test', 'city' => 'Zürich'],
            ['companyname' => "Caf\xE9 Latin-1", 'email' => 'third@acme.test', 'city' => 'Paris'],
        ];
        $expected = [$typed[0], $typed[1], ['companyname' => 'Café Latin-1'] + $typed[2]];
        $old = $this->whmcs->store()->client($clientId);
        $jobs = [];
        foreach ($typed as $contact) {
            // WHMCS saves the profile (HTML-encoded), then runs ClientEdit with the old data.
            $jobs[] = [
                ['set' => 'clients', 'id' => $clientId, 'values' => Html::encode($contact)],
                ['hook' => 'ClientEdit', 'vars' => $this->clientEditVars($old, $contact)],
            ];
        }
        $patches = $this->routeCount(self::PATCH);

        $answers = $this->runAtOnce($jobs);

        foreach ($answers as $i => $answer) {
            self::assertMatchesRegularExpression(
                '/^sgwhmcs ClientEdit: contact of client \d+: updated for service #\d+$/',
                $answer['results'][0],
                "save $i"
            );
        }
        $sent = $this->routeCount(self::PATCH) - $patches;
        self::assertGreaterThanOrEqual(1, $sent);
        self::assertLessThanOrEqual(3, $sent, 'at most one PATCH per save');
        $contact = $this->sim->customer(self::NAME)['contact'];
        $seen = ['companyname' => $contact['company'] ?? null, 'email' => $contact['email'] ?? null,
            'city' => $contact['city'] ?? null];
        self::assertContains($seen, $expected, 'one of the whole contacts, decoded once, never a mix');
        $reference = $this->reference('service', $this->serviceOf($clientId));
        self::assertSame($reference, $this->sim->customer(self::NAME)['reference'], 'still the service\'s account');
    }

    public function testTwoUsageUpdateRunsAtOnceWriteEveryServerFigureOnce(): void
    {
        $used = [
            'alpha-usage' => 300 * self::MIB,
            'bravo-usage' => 1536 * self::MIB,
            'charlie-usage' => 0,
            'delta-usage' => (2 ** 40) * self::MIB,
            'echo-usage' => 7 * self::MIB,
        ];
        $ids = [];
        foreach (array_keys($used) as $name) {
            [$ids[$name]] = $this->service($name);
        }
        self::assertSame('success', $this->whmcs->suspend($ids['echo-usage']));
        $this->sim->setCustomerUsage($used);
        $before = $this->whmcs->store()->services;

        $answers = $this->runAtOnce(array_fill(0, 2, [['call' => 'UsageUpdate', 'server' => $this->serverId]]));

        foreach ($answers as $i => $answer) {
            self::assertSame(['success'], $answer['results'], "run $i");
        }
        $this->shared()->into($this->whmcs);
        $this->assertUsageWritten($before, $this->whmcs->store()->services, $ids, $used);
    }

    public function testUsageUpdateRacingACreateNeverWritesTheNewServiceWrong(): void
    {
        $used = ['alpha-race' => 300 * self::MIB, 'bravo-race' => 42 * self::MIB, 'charlie-race' => 5 * self::MIB];
        $ids = [];
        foreach (array_keys($used) as $name) {
            [$ids[$name]] = $this->service($name);
        }
        $this->sim->setCustomerUsage($used);
        $clientId = $this->whmcs->addClient(['companyname' => 'Newcomer']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->productId, ['username' => 'new-race']);
        $newId = $this->whmcs->orderService($orderId);
        // A figure the new service must keep or have replaced by its own, never by another's.
        $this->whmcs->store()->services[$newId]['diskusage'] = '99';
        $before = $this->whmcs->store()->services;
        $create = [
            ['call' => 'CreateAccount', 'service' => $newId],
            ['ifSuccess' => ['set' => 'services', 'id' => $newId, 'values' => ['domainstatus' => 'Active']]],
        ];
        $usage = [['call' => 'UsageUpdate', 'server' => $this->serverId]];

        $answers = $this->runAtOnce([$usage, $create, $usage]);

        self::assertSame(['success'], $answers[1]['results'], 'the create');
        self::assertSame(['success'], $answers[0]['results'], 'a usage run');
        self::assertSame(['success'], $answers[2]['results'], 'the other usage run');
        $this->shared()->into($this->whmcs);
        $new = $this->whmcs->service($newId);
        self::assertSame('Active', $new['domainstatus']);
        self::assertSame($this->reference('service', $newId), $this->sim->customer('new-race')['reference']);
        $usedByNew = intdiv((int) $this->sim->customer('new-race')['storage']['used_bytes'], self::MIB);
        self::assertContains((string) $new['diskusage'], ['99', (string) $usedByNew], 'untouched or its own figure');
        unset($before[$newId]);
        $after = $this->whmcs->store()->services;
        unset($after[$newId]);
        $this->assertUsageWritten($before, $after, $ids, $used);
    }

    /**
     * Every service of IDS has its figure of USED (bytes) as diskusage (MiB) and a lastupdate;
     * the rows AFTER are exactly those of BEFORE, each unchanged but for the usage columns.
     *
     * @param array<int, array<string, mixed>> $before
     * @param array<int, array<string, mixed>> $after
     * @param array<string, int> $ids
     * @param array<string, int> $used
     */
    private function assertUsageWritten(array $before, array $after, array $ids, array $used): void
    {
        self::assertSame(array_keys($before), array_keys($after), 'no row lost or added');
        $usage = ['diskusage' => true, 'disklimit' => true, 'lastupdate' => true];
        foreach ($before as $id => $row) {
            self::assertSame(array_diff_key($row, $usage), array_diff_key($after[$id], $usage), "service $id");
        }
        foreach ($ids as $name => $id) {
            // tblhosting.diskusage is a signed 32-bit column: a larger figure is written as its
            // largest value (core/src/functions/usage.rs MAX_MB), never wrapped or cut to another number.
            $figure = min(intdiv($used[$name], self::MIB), 2147483647);
            self::assertSame((string) $figure, (string) $after[$id]['diskusage'], $name);
            self::assertNotSame('', (string) ($after[$id]['lastupdate'] ?? ''), "$name: lastupdate");
        }
    }

    /**
     * A client with an Active service of the test's product named NAME, made through WHMCS and
     * the module's CreateAccount. Answers [service id, client id].
     *
     * @return array{0: int, 1: int}
     */
    private function service(string $name): array
    {
        [$serviceId, $result] = $this->orderAndAccept($this->productId, $name);
        $this->assertCreated($serviceId, $result);
        Evidence::addSecret($this->sim->passkey($name));
        self::assertSame($this->reference('service', $serviceId), $this->sim->customer($name)['reference']);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    /** The one service of CLIENT. */
    private function serviceOf(int $clientId): int
    {
        $ids = array_keys(array_filter(
            $this->whmcs->store()->services,
            fn (array $service): bool => (int) $service['userid'] === $clientId
        ));
        self::assertCount(1, $ids);
        return $ids[0];
    }

    private function serverProduct(int $bytes): int
    {
        return $this->whmcs->addProduct('Backup ' . intdiv($bytes, self::GIB) . ' GiB', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => (string) $bytes,
            Labels::PASS_KEY => 'on',
        ], ['servers' => [$this->serverId]]);
    }

    /**
     * The ClientEdit vars of saving CHANGES (as typed) over the profile OLD (as stored): the
     * profile fields and `olddata`, HTML-encoded as WHMCS passes them (as ServiceChanges does).
     *
     * @param array<string, mixed> $old
     * @param array<string, string> $changes
     * @return array<string, mixed>
     */
    private function clientEditVars(array $old, array $changes): array
    {
        $fields = fn (array $row): array => array_intersect_key(
            $row + array_fill_keys(ServiceChanges::CLIENT_FIELDS, ''),
            array_flip(ServiceChanges::CLIENT_FIELDS)
        );
        $new = array_merge($old, Html::encode($changes));
        return ['userid' => (int) $old['id']] + $fields($new) + ['olddata' => $fields($old)];
    }

    private function shared(): SharedDatabase
    {
        return new SharedDatabase($this->databaseFile());
    }

    private function databaseFile(): string
    {
        return sys_get_temp_dir() . '/sgwhmcs-shared-' . getmypid() . '-' . spl_object_id($this) . '.db';
    }

    /**
     * Shares this test's WHMCS tables, then runs each JOB (a list of steps, see the fixture) in a
     * PHP process of its own, all starting at the same moment; answers their outputs in order.
     *
     * @param list<list<array<string, mixed>>> $jobs
     * @return list<array{results: list<mixed>, activity: list<string>, log: list<array<string, mixed>>}>
     */
    private function runAtOnce(array $jobs): array
    {
        $database = $this->databaseFile();
        $this->files[] = $database;
        SharedDatabase::create($this->whmcs->store(), $database);
        $start = microtime(true) + 0.5;
        $files = [];
        foreach ($jobs as $steps) {
            $job = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-job-');
            $this->files[] = $job;
            $files[] = $job;
            // serialize(), not JSON: a step may carry bytes that are not UTF-8.
            file_put_contents($job, serialize([
                'module' => TestModule::NAME,
                'database' => $database,
                'start' => $start,
                'steps' => $steps,
            ]));
        }
        $answers = ChildProcesses::runAtOnce(
            __DIR__ . '/fixtures/call-in-shared-whmcs.php',
            $files,
            self::sharedExtensions()
        );
        foreach ($answers as $answer) {
            $this->assertNoSecret($answer, [$this->sim->password]);
        }
        return $answers;
    }

    /**
     * The `-d extension=` arguments for the PHP extensions the emulator uses that this PHP has as
     * shared objects (loaded by php.ini, so `-n` would leave them out).
     *
     * @return list<string>
     */
    private static function sharedExtensions(): array
    {
        $arguments = [];
        foreach (['mbstring', 'ctype'] as $extension) {
            if (is_file(ini_get('extension_dir') . "/$extension.so")) {
                array_push($arguments, '-d', "extension=$extension");
            }
        }
        return $arguments;
    }

    /**
     * No SECRETS (nor the Authorization header) in what a process answered, logged or wrote to
     * the Activity Log.
     *
     * @param array<string, mixed> $answer
     * @param list<string> $secrets
     */
    private function assertNoSecret(array $answer, array $secrets): void
    {
        $text = json_encode($answer, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE)
            . "\n" . print_r($answer, true);
        $secrets[] = base64_encode($this->sim->user . ':' . $this->sim->password);
        foreach ($secrets as $secret) {
            if ($secret !== '') {
                self::assertStringNotContainsString($secret, $text, 'a secret in what a process answered');
            }
        }
    }

    private function routeCount(string $route): int
    {
        return (int) ($this->sim->stats()['routes'][$route] ?? 0);
    }

    private function logsIn(string $name, string $password): bool
    {
        return $this->sim->expect(200, 'POST', '/_sim/login', [
            'kind' => 'customer', 'name' => $name, 'password' => $password,
        ])['ok'] === true;
    }

    private function storedKey(int $clientId): string
    {
        return $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
    }
}
