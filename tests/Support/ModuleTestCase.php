<?php

/**
 * The base of every test that drives the module: a fresh emulated WHMCS per test, the shared
 * TLS simulator reset before each test, extra simulators stopped after it, and the usual
 * products, clients and orders a person would set up.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ModuleLog;
use SgWhmcs\Tests\Emulator\Whmcs;

abstract class ModuleTestCase extends TestCase
{
    protected Sim $sim;
    protected Whmcs $whmcs;

    /** @var list<Sim> simulators started by this test */
    private array $extraSims = [];

    protected function setUp(): void
    {
        $this->sim = Sim::shared();
        $this->sim->reset();
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
        // The module suites read the Module Log (requests sent, scrubbing): switched on as an
        // admin does; WHMCS ships with it off (tests/Whmcs/ModuleLogTest.php).
        $this->whmcs->enableModuleLog();
    }

    /** Fails when KEY is in any Module Log entry or Activity Log line. */
    protected function assertNowhereLogged(string $key): void
    {
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            foreach (['request', 'response', 'processed'] as $part) {
                self::assertStringNotContainsString($key, $entry[$part]);
                self::assertStringNotContainsString($key, ModuleLog::render($entry['raw'][$part]));
            }
        }
        self::assertStringNotContainsString($key, json_encode($this->whmcs->activity()));
    }

    protected function tearDown(): void
    {
        foreach ($this->extraSims as $sim) {
            $sim->stop();
        }
        $this->extraSims = [];
    }

    /**
     * Starts another simulator for this test only (stopped in tearDown), with EXTRA_ARGS.
     *
     * @param list<string> $extraArgs
     */
    protected function startSim(bool $tls, array $extraArgs = []): Sim
    {
        $sim = Sim::start($tls, $extraArgs);
        $this->extraSims[] = $sim;
        return $sim;
    }

    /**
     * The connection fields (1-5, 24) of a product that talks to SIM directly.
     *
     * @return array<string, string>
     */
    protected static function connection(Sim $sim): array
    {
        Evidence::addSecret($sim->password);
        Evidence::addSecret((string) $sim->sha256);
        return [
            Labels::PROTOCOL => $sim->scheme,
            Labels::HOST => $sim->host,
            Labels::PORT => (string) $sim->port,
            Labels::USERNAME => $sim->user,
            Labels::PASSWORD => $sim->password,
            Labels::FINGERPRINT => (string) $sim->sha256,
        ];
    }

    /**
     * A valid customer product on the shared simulator; OVERRIDES by label or position.
     *
     * @param array<int|string, mixed> $overrides
     */
    protected function customerProduct(array $overrides = [], ?Sim $sim = null): int
    {
        $settings = self::connection($sim ?? $this->sim) + [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ];
        return $this->whmcs->addProduct('Backup Customer', array_replace($settings, $overrides));
    }

    /**
     * A not yet created customer service named USERNAME of a product without connection fields
     * of its own, on the shared simulator added as the product's WHMCS server.
     */
    protected function serviceOnAssignedServer(string $username): int
    {
        $record = ['name' => 'backup', 'ipaddress' => '', 'secure' => 'on'] + $this->sim->serverRecord();
        $serverId = $this->whmcs->addServer($record);
        $productId = $this->whmcs->addProduct('Backup', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ]);
        $this->whmcs->assignServers($productId, [$serverId]);
        $clientId = $this->whmcs->addClient();
        return $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $productId, ['username' => $username]));
    }

    /**
     * A valid reseller product on the shared simulator; OVERRIDES by label or position.
     *
     * @param array<int|string, mixed> $overrides
     */
    protected function resellerProduct(array $overrides = [], ?Sim $sim = null): int
    {
        $settings = self::connection($sim ?? $this->sim) + [
            Labels::ACTION => 'Signup Reseller',
            Labels::STORAGE => '1099511627776',
        ];
        return $this->whmcs->addProduct('Backup Reseller', array_replace($settings, $overrides));
    }

    /**
     * A client orders PRODUCT (account name USERNAME) and the admin accepts the order with
     * "Run Module Create". Returns [service id, what the admin saw].
     *
     * @param array<string, mixed> $client
     * @return array{0: int, 1: string}
     */
    protected function orderAndAccept(int $productId, string $username, array $client = []): array
    {
        $clientId = $this->whmcs->addClient($client);
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => $username]);
        $result = $this->whmcs->acceptOrder($orderId);
        return [$this->whmcs->orderService($orderId), $result];
    }

    /**
     * Asserts that ACTUAL has exactly the fields of EXPECTED with identical values, in any order.
     *
     * @param array<string, mixed> $expected
     */
    protected static function assertSameFields(array $expected, mixed $actual, string $message = ''): void
    {
        self::assertIsArray($actual, $message);
        ksort($expected);
        ksort($actual);
        self::assertSame($expected, $actual, $message);
    }

    /** Asserts that SERVICE was created ("success", Active). */
    protected function assertCreated(int $serviceId, string $result): void
    {
        self::assertSame('success', $result, 'CreateAccount answered');
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
    }
}
