<?php

/**
 * Assigned WHMCS servers as a real WHMCS 8 passes them: an IPv6 server with no hostname (WHMCS
 * falls back to the IP in brackets, `[::1]`), `serversecure` false with integer ids, a Test
 * Connection of an unsaved form (serverid 0); and the plain-http warning reaching the admin where
 * WHMCS shows it when the Module Log is off (WHMCS's default), from Test Connection and from a
 * product whose own fields say http (such a product has no Test Connection button at all).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Connection;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Sim;

final class RealInstallServerTest extends ModuleTestCase
{
    /** @return array<string, mixed> the Setup › Servers form for SIM, reached by IP only */
    private static function serverByIp(Sim $sim): array
    {
        return ['hostname' => '', 'ipaddress' => $sim->host] + $sim->serverRecord();
    }

    public function testAnIpv6ServerWithoutAHostnameIsReachedThroughItsBracketedIp(): void
    {
        $sim = $this->startSim(true, ['--listen', '[::1]:0']);
        self::assertSame('::1', $sim->host);
        $serverId = $this->whmcs->addServer(self::serverByIp($sim));
        $productId = $this->whmcs->addProduct('Backup Customer', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ]);
        $this->whmcs->assignServers($productId, [$serverId]);

        $params = $this->whmcs->serviceParams($this->orderOnly($productId, 'v6-other'));
        self::assertSame('[::1]', $params['serverhostname'], 'WHMCS falls back to the bracketed IP');
        [$serviceId, $result] = $this->orderAndAccept($productId, 'v6-acme');

        $this->assertCreated($serviceId, $result);
        self::assertNotNull($sim->customer('v6-acme'));
        self::assertTrue($this->whmcs->testConnection($serverId)['success'] ?? null);
    }

    public function testAPlainHttpServerWithIdsAsIntegersWorksAndUnsavedFormsConnect(): void
    {
        $plain = $this->startSim(false);
        $fields = self::serverByIp($plain);
        $serverId = $this->whmcs->addServer($fields);
        $productId = $this->whmcs->addProduct('Backup Customer', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ]);
        $this->whmcs->assignServers($productId, [$serverId]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'plain-acme');
        $params = $this->whmcs->serviceParams($serviceId);

        self::assertFalse($params['serversecure']);
        self::assertIsInt($params['serverid']);
        $this->assertCreated($serviceId, $result);
        self::assertNotNull($plain->customer('plain-acme'));
        self::assertTrue($this->whmcs->testUnsavedServer($fields)['success'] ?? null);
        self::assertSame('Successful!', $this->whmcs->testConnectionShown());
    }

    public function testWithTheModuleLogOffTheTestConnectionWarningStillReachesTheAdmin(): void
    {
        $this->whmcs->enableModuleLog(false);
        $plain = $this->startSim(false);

        $this->whmcs->testUnsavedServer(self::serverByIp($plain));

        self::assertSame('Successful!', $this->whmcs->testConnectionShown());
        self::assertCount(1, $this->warnings());
    }

    public function testAProductWhoseOwnFieldsSayHttpWarnsTheAdminWithTheModuleLogOff(): void
    {
        $this->whmcs->enableModuleLog(false);
        $plain = $this->startSim(false);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([], $plain), 'plain-product');

        $this->assertCreated($serviceId, $result);
        $warnings = $this->warnings();
        self::assertCount(1, $warnings, 'one Activity Log line');
        self::assertStringContainsString("$plain->host:$plain->port", $warnings[0]['message']);
        self::assertStringNotContainsString($plain->password, $warnings[0]['message']);
        self::assertSame((int) $this->whmcs->service($serviceId)['userid'], $warnings[0]['clientId']);
    }

    public function testAnHttpsProductLeavesNoWarning(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'tls-product');

        $this->assertCreated($serviceId, $result);
        self::assertSame([], $this->warnings());
    }

    /** Places an order for PRODUCT without accepting it; returns its service. */
    private function orderOnly(int $productId, string $username): int
    {
        $orderId = $this->whmcs->placeOrder($this->whmcs->addClient(), $productId, ['username' => $username]);
        return $this->whmcs->orderService($orderId);
    }

    /** @return list<array{message: string, clientId: int}> Activity Log lines with the plain-http warning */
    private function warnings(): array
    {
        return array_values(array_filter(
            $this->whmcs->activity(),
            fn (array $line): bool => str_contains($line['message'], 'travel in clear')
        ));
    }

    /** @return array<string, array{string, string}> the form's hostname and IP address */
    public function ipv6Forms(): array
    {
        return [
            'hostname an unbracketed IPv6 address' => ['::1', ''],
            'hostname a bracketed IPv6 address' => ['[::1]', ''],
            'both' => ['::1', '::1'],
        ];
    }

    /** @dataProvider ipv6Forms */
    public function testAnIpv6AddressTypedAsTheHostnameConnects(string $hostname, string $ip): void
    {
        $sim = $this->startSim(true, ['--listen', '[::1]:0']);
        $fields = ['hostname' => $hostname, 'ipaddress' => $ip] + self::serverByIp($sim);

        $result = $this->whmcs->testUnsavedServer($fields);

        self::assertTrue($result['success'] ?? null, (string) json_encode($result));
    }
}
