<?php

/**
 * The base of the reliability suites: INI settings of the extension changed for one test and
 * restored after it, temporary files removed after it, faults cleared, and the few setups they
 * share (a customer that exists, the server fields of Test Connection).
 *
 * Everything still goes through the emulated WHMCS, so every message and log entry lands in
 * Evidence for the secrets suite, which runs after this one.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\PeerCertificate;
use SgWhmcs\Tests\Support\Sim;

abstract class ReliabilityTestCase extends ModuleTestCase
{
    /** The overall timeout these suites run the extension with, in seconds. */
    protected const TIMEOUT_SECONDS = 2;

    /** The tblconfiguration setting holding this install's id (core/src/reference.rs). */
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

    /** A temporary file holding TEXT, removed after the test. */
    protected function tempFile(string $text): string
    {
        $path = PeerCertificate::tempFile($text);
        $this->tempFiles[] = $path;
        return $path;
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
        Evidence::addSecret($sim->password);
        Evidence::addSecret((string) $sim->sha256);
        $accessHash ??= (string) $sim->sha256;
        Evidence::addSecret($accessHash);
        return [
            'hostname' => $sim->host,
            'username' => $sim->user,
            'password' => $sim->password,
            'accesshash' => $accessHash,
            'secure' => $sim->scheme === 'https',
            'port' => (string) $sim->port,
        ];
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
