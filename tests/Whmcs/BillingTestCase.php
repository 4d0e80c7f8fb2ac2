<?php

/**
 * An emulated WHMCS running the fake module `emubill` with one server, one product (Plan
 * "gold") and a way to add Active services of a client by username.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;

abstract class BillingTestCase extends TestCase
{
    protected Whmcs $whmcs;
    protected int $serverId;
    protected int $productId;
    protected int $clientId;

    protected function setUp(): void
    {
        FakeModule::load();
        $this->whmcs = Whmcs::fresh(FakeModule::BILLING);
        $this->serverId = $this->whmcs->addServer([
            'hostname' => 'backup.example.test',
            'username' => 'admin',
            'password' => 'server-Secret-1',
            'secure' => true,
            'port' => '8443',
        ]);
        $this->productId = $this->whmcs->addProduct('Backup', ['Plan' => 'gold'], ['servers' => [$this->serverId]]);
        $this->clientId = $this->whmcs->addClient();
    }

    /**
     * An Active service of the client, of PRODUCT (default the gold one), with USERNAME.
     *
     * @param array<string, mixed> $choices more order choices (configoptions, domain, ...)
     */
    protected function service(string $username, ?int $productId = null, array $choices = []): int
    {
        $orderId = $this->whmcs->placeOrder(
            $this->clientId,
            $productId ?? $this->productId,
            ['username' => $username, 'password' => 'pw-' . $username . '-9'] + $choices
        );
        $this->whmcs->acceptOrder($orderId, false);
        return $this->whmcs->orderService($orderId);
    }
}
