<?php

/**
 * The emulator's orders and servers as WHMCS 8 has them (docs/whmcs-compatibility.md, "The hooks
 * file and orders"): an order may hold several products, one service each, and GetOrders lists
 * them as line items of type `product` whose `relid` is the service's tblhosting id (which
 * names the order in `orderid`); a product's module is `tblproducts.servertype`; a server has
 * its Module in `tblservers.type`, is enabled (`disabled` 0) until disabled, and keeps its
 * password encrypted.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;
use WHMCS\Database\Capsule;

final class OrderLineItemsTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
    }

    public function testAnOrderOfTwoProductsHasTwoProductLineItemsNamingItsServices(): void
    {
        $clientId = $this->whmcs->addClient();
        $hosting = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $backup = $this->whmcs->addProduct('Backup');
        $orderId = $this->whmcs->placeOrder($clientId, [$hosting, $backup]);
        $services = $this->whmcs->orderServices($orderId);

        $answer = localAPI('GetOrders', ['id' => $orderId]);

        self::assertSame('success', $answer['result']);
        $order = $answer['orders']['order'][0];
        self::assertSame($clientId, $order['userid']);
        $items = $order['lineitems']['lineitem'];
        self::assertCount(2, $items);
        self::assertSame(['product', 'product'], array_column($items, 'type'));
        self::assertSame($services, array_column($items, 'relid'), 'relid is the tblhosting id');
        foreach ($services as $i => $serviceId) {
            self::assertSame(
                $orderId,
                Capsule::table('tblhosting')->where('id', $serviceId)->value('orderid'),
                'the service names its order'
            );
            self::assertSame(
                [$hosting, $backup][$i],
                Capsule::table('tblhosting')->where('id', $serviceId)->value('packageid')
            );
        }
        self::assertSame('', Capsule::table('tblproducts')->where('id', $hosting)->value('servertype'));
        self::assertSame(TestModule::NAME, Capsule::table('tblproducts')->where('id', $backup)->value('servertype'));
    }

    public function testAServerHasItsModuleIsEnabledUntilDisabledAndKeepsItsPasswordEncrypted(): void
    {
        $own = $this->whmcs->addServer(['hostname' => 'b.test', 'password' => 'Pa&ss']);
        $other = $this->whmcs->addServer(['hostname' => 'c.test', 'type' => 'cpanel']);

        self::assertSame(TestModule::NAME, Capsule::table('tblservers')->where('id', $own)->value('type'));
        self::assertSame('cpanel', Capsule::table('tblservers')->where('id', $other)->value('type'));
        self::assertSame(0, Capsule::table('tblservers')->where('id', $own)->value('disabled'));
        $this->whmcs->disableServer($own);
        self::assertSame(1, Capsule::table('tblservers')->where('id', $own)->value('disabled'));
        $stored = (string) Capsule::table('tblservers')->where('id', $own)->value('password');
        self::assertNotSame('Pa&ss', $stored);
        self::assertSame('Pa&amp;ss', decrypt($stored), 'typed input is stored HTML-encoded, then encrypted');
        self::assertNull(Capsule::table('tblservers')->where('id', 99)->value('type'), 'no such server');
    }
}
