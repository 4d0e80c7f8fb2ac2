<?php

/**
 * Where the connection comes from: the product's own fields 2/4/5, else the WHMCS server
 * assigned to the product (with the certificate fingerprint in its access hash), else a message
 * naming both ways to configure one.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Connection;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Sim;

final class AssignedServerTest extends ModuleTestCase
{
    private const NO_CONNECTION = 'No Backup Server connection: fill in HostName or IP Address, UserName and '
        . "Password in the product's Module Settings, or assign a WHMCS server to the product";

    public function testAProductWithoutItsOwnConnectionUsesTheAssignedServer(): void
    {
        $serverId = $this->whmcs->addServer(self::serverFields($this->sim));
        $productId = $this->productWithoutConnection([$serverId]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-via-server');

        $this->assertCreated($serviceId, $result);
        self::assertSame($serverId, $this->whmcs->service($serviceId)['server']);
        self::assertNotNull($this->sim->customer('acme-via-server'));
        $requests = $this->whmcs->moduleLog()->requests('POST', '/customers');
        self::assertCount(1, $requests);
        self::assertStringStartsWith($this->sim->url . '/api/v1/', $requests[0]['url']);
    }

    public function testTheServerIpIsUsedWhenTheServerHasNoHostname(): void
    {
        $fields = ['hostname' => '', 'ipaddress' => $this->sim->host] + self::serverFields($this->sim);
        $serverId = $this->whmcs->addServer($fields);
        $productId = $this->productWithoutConnection([$serverId]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-via-ip');

        $this->assertCreated($serviceId, $result);
        self::assertNotNull($this->sim->customer('acme-via-ip'));
    }

    public function testAPlainHttpServerIsReachedOverHttp(): void
    {
        $plain = $this->startSim(false);
        $serverId = $this->whmcs->addServer(self::serverFields($plain));
        $productId = $this->productWithoutConnection([$serverId]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-plain');

        $this->assertCreated($serviceId, $result);
        self::assertNotNull($plain->customer('acme-plain'));
        self::assertNull($this->sim->customer('acme-plain'));
        self::assertStringStartsWith('http://', $this->whmcs->moduleLog()->requests('POST')[0]['url']);
    }

    public function testServerSecureGivenAsOnSelectsHttps(): void
    {
        $serverId = $this->whmcs->addServer(self::serverFields($this->sim));
        $productId = $this->productWithoutConnection([$serverId]);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'acme-on']);
        $serviceId = $this->whmcs->orderService($orderId);
        $params = ['serversecure' => 'on', 'serverhttpprefix' => ''] + $this->whmcs->serviceParams($serviceId);

        $result = $this->whmcs->call('CreateAccount', $params);

        self::assertSame('success', $result);
        self::assertNotNull($this->sim->customer('acme-on'));
    }

    public function testTheProductsOwnFieldsWinOverTheAssignedServer(): void
    {
        $elsewhere = ['port' => '1', 'password' => 'not-the-password'] + self::serverFields($this->sim);
        $serverId = $this->whmcs->addServer($elsewhere);
        $productId = $this->customerProduct();
        $this->whmcs->assignServers($productId, [$serverId]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-own-fields');

        $this->assertCreated($serviceId, $result);
        self::assertNotNull($this->sim->customer('acme-own-fields'));
    }

    public function testNeitherSaysHowToConfigureAConnectionAndSendsNothing(): void
    {
        $productId = $this->productWithoutConnection([]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-nowhere');

        self::assertStringContainsString(self::NO_CONNECTION, $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testSuspendWithNeitherSaysTheSame(): void
    {
        $productId = $this->productWithoutConnection([]);
        [$serviceId] = $this->orderAndAccept($productId, 'acme-nowhere');

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString(self::NO_CONNECTION, $result);
        self::assertSame(0, $this->sim->totalRequests());
    }

    /**
     * The Setup › Servers fields of a server record for SIM (access hash = its fingerprint).
     *
     * @return array<string, mixed>
     */
    private static function serverFields(Sim $sim): array
    {
        return ['name' => 'Backup Server ' . $sim->port, 'ipaddress' => ''] + $sim->serverRecord();
    }

    /** @param list<int> $serverIds */
    private function productWithoutConnection(array $serverIds): int
    {
        return $this->whmcs->addProduct('Backup via server', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ], ['servers' => $serverIds]);
    }
}
