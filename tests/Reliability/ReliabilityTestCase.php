<?php

/**
 * The base of the reliability suites: INI settings of the extension changed for one test and
 * restored after it, a test run in a PHP process of its own started with `sgwhmcs.ca_file` (which
 * only php.ini or `-d` can set), temporary files removed after it, faults cleared, and the few
 * setups they share (a customer that exists, the server fields of Test Connection).
 *
 * Everything still goes through the emulated WHMCS, so every message and log entry lands in
 * Evidence for the secrets suite, which runs after this one.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Secrets\SecretsTest;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\Sim;
use SgWhmcs\Tests\Support\TestModule;

abstract class ReliabilityTestCase extends ModuleTestCase
{
    /** The overall timeout these suites run the extension with, in seconds. */
    protected const TIMEOUT_SECONDS = 2;

    /**
     * The sgsim fault kinds the fault matrices arm (`Sim::fault()`), defined once for
     * `FaultMatrixTest`, `AdminFaultMatrixTest` and `SurfaceFaultMatrixTest`: fault kind => [the
     * fault to arm, the phrase the message and the log carry (null: the call succeeds), what
     * else the admin's message must say].
     */
    protected const SERVER_FAULTS = [
        'status 500' => [
            ['kind' => 'status', 'status' => 500],
            'injected fault',
            ['(INTERNAL)'],
        ],
        'status 503 with a JSON error' => [
            [
                'kind' => 'status',
                'status' => 503,
                'body' => '{"error":{"code":"MAINTENANCE","message":"down for maintenance until 02:00"}}',
            ],
            'down for maintenance until 02:00',
            ['(MAINTENANCE)'],
        ],
        'short delay' => [['kind' => 'delay', 'delay_ms' => 300], null, []],
        'drop' => [['kind' => 'drop'], 'broke before a complete answer arrived', []],
        'truncate' => [['kind' => 'truncate'], 'broke before a complete answer arrived', []],
        'garbage' => [['kind' => 'garbage'], 'not the expected JSON', ['not understood']],
        'oversize' => [['kind' => 'oversize'], 'larger than 1024 KiB', ['not understood']],
        'blackhole' => [
            ['kind' => 'blackhole'],
            'did not answer within ' . self::TIMEOUT_SECONDS . ' seconds',
            [],
        ],
    ];

    /** Set in the environment of a test run again by withCaFile(), to the ca_file it was given. */
    private const CA_FILE_RUN = 'SGWHMCS_TEST_CA_FILE';

    /** The tblconfiguration setting holding this install's id (core/src/whmcs/reference.rs). */
    protected const INSTALL_SETTING = 'SgWhmcsInstallId';

    /** @var array<string, string> INI values to restore after the test */
    private array $savedIni = [];

    /** @var list<string> files to remove after the test */
    private array $tempFiles = [];

    protected function setUp(): void
    {
        parent::setUp();
        // No test here may wait for the default 30 s: a hang fails the test instead.
        $this->setIni('sgwhmcs.timeout', (string) self::TIMEOUT_SECONDS);
        $this->setIni('sgwhmcs.connect_timeout', (string) self::TIMEOUT_SECONDS);
    }

    protected function tearDown(): void
    {
        foreach ($this->savedIni as $name => $value) {
            ini_set($name, $value);
        }
        $this->savedIni = [];
        foreach ($this->tempFiles as $file) {
            @unlink($file);
        }
        $this->tempFiles = [];
        parent::tearDown();
    }

    /** Sets an INI directive of the extension for this test only. */
    protected function setIni(string $name, string $value): void
    {
        if (!array_key_exists($name, $this->savedIni)) {
            $previous = ini_get($name);
            self::assertNotFalse($previous, "the extension declares $name");
            $this->savedIni[$name] = $previous;
        }
        self::assertNotFalse(ini_set($name, $value), "ini_set($name)");
    }

    /**
     * Runs the rest of the calling test with `sgwhmcs.ca_file` = PATH (a fresh temporary name
     * when null, for the test to write with writeTempFile()). The directive is PHP_INI_SYSTEM,
     * so this process cannot change it: here the test is run again by PHPUnit in a PHP process
     * of its own started with `-d sgwhmcs.ca_file=PATH`, together with the secrets suite (which
     * checks everything that process logged and returned); this answers null once that run
     * passed, and the caller returns. In that process, this answers PATH and the test goes on.
     */
    protected function withCaFile(?string $path = null): ?string
    {
        $given = getenv(self::CA_FILE_RUN);
        if (is_string($given) && $given !== '') {
            self::assertSame($given, ini_get('sgwhmcs.ca_file'), 'started with -d sgwhmcs.ca_file');
            return $given;
        }
        if ($path === null) {
            $path = sys_get_temp_dir() . '/sgwhmcs-ca-' . bin2hex(random_bytes(6)) . '.pem';
            $this->tempFiles[] = $path;
        }
        $name = static::class . '::' . $this->getName(true);
        $filter = '/^(' . preg_quote($name, '/') . '|' . preg_quote(SecretsTest::class, '/') . '::.*)$/';
        $command = [PHP_BINARY];
        if (!self::extensionInIni()) {
            array_push($command, '-d', 'extension=' . TestModule::extensionPath());
        }
        array_push(
            $command,
            '-d',
            "sgwhmcs.ca_file=$path",
            (string) realpath($_SERVER['SCRIPT_FILENAME']),
            '-c',
            TestModule::repoRoot() . '/phpunit.xml',
            '--debug',
            '--filter',
            $filter
        );

        $run = Process::run($command, 120.0, [self::CA_FILE_RUN => $path]);

        $output = $run['stdout'] . $run['stderr'];
        self::assertSame(0, $run['exit'], "the run with sgwhmcs.ca_file=$path failed:\n$output");
        self::assertStringContainsString("Test '$name", $output, 'the test ran there');
        self::assertStringContainsString("Test '" . SecretsTest::class . '::', $output, 'so did the secrets suite');
        return null;
    }

    /** Whether php.ini (or its scanned files) loads the extension, so `-d extension` would load it twice. */
    private static function extensionInIni(): bool
    {
        $files = array_filter(array_map('trim', explode(',', (string) php_ini_scanned_files())));
        $files[] = (string) php_ini_loaded_file();
        foreach ($files as $file) {
            if ($file !== '' && preg_match('/^\s*extension\s*=.*sgwhmcs/mi', (string) @file_get_contents($file))) {
                return true;
            }
        }
        return false;
    }

    /** Writes TEXT to PATH, removed after the test. */
    protected function writeTempFile(string $path, string $text): void
    {
        self::assertSame(strlen($text), file_put_contents($path, $text), "writing $path");
        $this->tempFiles[] = $path;
    }

    /** Drops the faults still pending on the shared simulator. */
    protected function clearFaults(): void
    {
        $this->sim->expect(200, 'DELETE', '/_sim/faults');
    }

    /**
     * A client with an Active customer service named NAME, made through WHMCS without faults.
     * Returns [service id, client id].
     *
     * @param array<int|string, mixed> $settings
     * @return array{0: int, 1: int}
     */
    protected function activeCustomer(string $name, array $settings = []): array
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct($settings), $name);
        $this->assertCreated($serviceId, $result);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    /**
     * The Setup › Servers fields that reach SIM, its certificate pinned in the access hash
     * (or ACCESS_HASH instead).
     *
     * @return array<string, mixed>
     */
    protected static function serverFields(Sim $sim, ?string $accessHash = null): array
    {
        $record = $sim->serverRecord($accessHash);
        Evidence::addSecret($record['accesshash']);
        return $record;
    }

    /** The Module Log entries written since entry number FROM. @return list<array<string, mixed>> */
    protected function logSince(int $from): array
    {
        return array_values(array_slice($this->whmcs->moduleLog()->entries(), $from));
    }

    /** How many Module Log entries there are now. */
    protected function logCount(): int
    {
        return count($this->whmcs->moduleLog()->entries());
    }

    /** The text a module function returned: the string, or Test Connection's error. */
    protected static function text(mixed $result): string
    {
        if (is_array($result)) {
            self::assertArrayHasKey('error', $result);
            return (string) $result['error'];
        }
        self::assertIsString($result);
        return $result;
    }

    /**
     * This install's external reference for service (WHAT 'service') or client ('client') ID:
     * `whmcs:<install>:<what>:<id>`. The install id is the module's setting in tblconfiguration;
     * when there is none yet, a known one is stored, as the module would store a random one.
     */
    protected function reference(string $what, int $id): string
    {
        return "whmcs:{$this->installId()}:$what:$id";
    }

    /** The module's install id in tblconfiguration, stored first when missing. */
    protected function installId(): string
    {
        $store = $this->whmcs->store();
        $known = $store->setting(self::INSTALL_SETTING);
        if ($known !== null) {
            return $known;
        }
        $store->setSetting(self::INSTALL_SETTING, 'reliability1');
        return 'reliability1';
    }

    /** @return list<array<string, mixed>> the ACCOUNTS of SIM (customers or resellers) */
    protected static function accounts(Sim $sim, string $collection = 'customers'): array
    {
        return $sim->expect(200, 'GET', "/api/v1/$collection")[$collection];
    }

    /** @return list<array<string, mixed>> the customers SIM holds whose contact e-mail is EMAIL */
    protected static function customersOf(Sim $sim, string $email): array
    {
        $all = $sim->expect(200, 'GET', '/api/v1/customers')['customers'];
        return array_values(array_filter(
            $all,
            fn (array $c): bool => strcasecmp((string) ($c['contact']['email'] ?? ''), $email) === 0
        ));
    }
}
