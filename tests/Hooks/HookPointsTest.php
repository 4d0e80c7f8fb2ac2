<?php

/**
 * The emulator's side of the hooks, faithful to docs/whmcs.md ("Hooks"): what ClientAdd
 * and AcceptOrder pass and when they fire, the localAPI commands a hook uses to find the order's
 * client and store a custom field, and the Capsule queries it makes. (No Backup Server needed.)
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;
use WHMCS\Database\Capsule;

final class HookPointsTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
    }

    public function testAcceptOrderFiresWithTheOrderIdBeforeAnyServiceIsCreated(): void
    {
        $productId = $this->whmcs->addProduct('Backup', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($this->whmcs->addClient(), $productId);
        $serviceId = $this->whmcs->orderService($orderId);
        $seen = [];
        add_hook('AcceptOrder', 1, function (array $vars) use (&$seen, $orderId, $serviceId): void {
            $seen[] = [
                'vars' => $vars,
                'order' => localAPI('GetOrders', ['id' => $orderId])['orders']['order'][0]['status'],
                'service' => $this->whmcs->service($serviceId)['domainstatus'],
            ];
        });

        self::assertSame('success', $this->whmcs->acceptOrder($orderId));

        self::assertSame([['vars' => ['orderid' => $orderId], 'order' => 'Pending', 'service' => 'Pending']], $seen);
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus'], 'accepted afterwards');
    }

    public function testAcceptOrderCallsTheModuleOnlyForItsOwnProducts(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->whmcs->addProduct('Hosting', [], ['servertype' => '']));

        $result = $this->whmcs->acceptOrder($orderId);

        self::assertSame('success', $result);
        self::assertSame([], $this->whmcs->moduleLog()->entries(), 'no module function ran');
    }

    public function testClientAddPassesTheClientAndItsPassword(): void
    {
        $seen = [];
        add_hook('ClientAdd', 0, function (array $vars) use (&$seen): void {
            $seen[] = $vars;
        });

        $clientId = $this->whmcs->addClientThroughApi(['companyname' => 'Acme', 'password' => 'Pw-12345']);
        // An admin adding the client (or a signup) passes no password to ClientAdd in WHMCS 8.
        $this->whmcs->addClient(['companyname' => 'Acme', 'password' => 'Pw-67890']);

        self::assertCount(2, $seen);
        self::assertSame($clientId, $seen[0]['client_id']);
        self::assertSame('Acme', $seen[0]['companyname']);
        self::assertSame('Pw-12345', $seen[0]['password']);
        self::assertSame('', $seen[1]['password']);
        foreach (['firstname', 'lastname', 'email', 'address1', 'city', 'country', 'phonenumber'] as $key) {
            self::assertArrayHasKey($key, $seen[0]);
        }
    }

    public function testTheOrdersClientIsFoundThroughGetOrdersThenGetClientsDetails(): void
    {
        $this->whmcs->addClient();
        $clientId = $this->whmcs->addClient(['firstname' => 'Ann', 'email' => 'ann@example.test']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->whmcs->addProduct('Backup'));

        $orders = localAPI('GetOrders', ['id' => $orderId]);
        $userId = $orders['orders']['order'][0]['userid'];
        $details = localAPI('GetClientsDetails', ['clientid' => $userId, 'stats' => false]);

        self::assertSame(1, $orders['totalresults']);
        self::assertSame($clientId, $userId);
        self::assertSame('success', $details['result']);
        self::assertSame('ann@example.test', $details['email']);
        self::assertSame('ann@example.test', $details['client']['email']);
        self::assertSame(0, localAPI('GetOrders', ['id' => 999])['totalresults'], 'an unknown order: none');
    }

    public function testUpdateClientTakesCustomFieldsAsBase64OfASerializedArray(): void
    {
        $notes = $this->whmcs->addClientCustomField('Notes');
        $key = $this->whmcs->addClientCustomField('Pass Key');
        $clientId = $this->whmcs->addClient(['customfields' => ['Notes' => 'vip']]);

        $answer = localAPI('UpdateClient', [
            'clientid' => $clientId,
            'customfields' => base64_encode(serialize([$key => 'K7Q2', 999 => 'ignored'])),
        ]);
        $bad = localAPI('UpdateClient', ['clientid' => $clientId, 'customfields' => 'not base64 at all!']);

        self::assertSame(['result' => 'success', 'clientid' => $clientId], $answer);
        self::assertSame('error', $bad['result']);
        self::assertSame([$notes => 'vip', $key => 'K7Q2'], $this->whmcs->store()->clientFieldValues[$clientId]);
    }

    public function testACommandMadeToFailAnswersAnErrorAndChangesNothing(): void
    {
        $key = $this->whmcs->addClientCustomField('Pass Key');
        $clientId = $this->whmcs->addClient();
        $this->whmcs->localApi()->fail('UpdateClient', 'Database error');

        $answer = localAPI('UpdateClient', [
            'clientid' => $clientId,
            'customfields' => base64_encode(serialize([$key => 'K7Q2'])),
        ]);
        $this->whmcs->localApi()->fail('updateclient', null);
        $healed = localAPI('UpdateClient', ['clientid' => $clientId]);

        self::assertSame(['result' => 'error', 'message' => 'Database error'], $answer);
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame('success', $healed['result']);
    }

    public function testCapsuleAnswersTheQueriesOfThePassKeyAndTheMergeField(): void
    {
        $productId = $this->whmcs->addProduct('Backup');
        $clientId = $this->whmcs->addClient();
        $serviceId = $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $productId));
        $id = Capsule::table('tblcustomfields')->insertGetId([
            'type' => 'client', 'relid' => 0, 'fieldname' => 'Pass Key', 'fieldtype' => 'text',
            'description' => '', 'fieldoptions' => '', 'regexpr' => '', 'adminonly' => 'on', 'required' => '',
            'showorder' => '', 'showinvoice' => '', 'sortorder' => 0,
        ]);
        localAPI('UpdateClient', ['clientid' => $clientId, 'customfields' => base64_encode(serialize([$id => 'K1']))]);

        self::assertSame($id, Capsule::table('tblcustomfields')->where('type', 'client')
            ->where('fieldname', 'Pass Key')->value('id'));
        self::assertSame($productId, Capsule::table('tblhosting')->where('id', "$serviceId")->value('packageid'));
        self::assertSame($clientId, Capsule::table('tblhosting')->where('id', $serviceId)->value('userid'));
        self::assertSame(TestModule::NAME, Capsule::table('tblproducts')->where('id', $productId)->value('servertype'));
        self::assertSame('K1', Capsule::table('tblcustomfieldsvalues')->where('fieldid', $id)
            ->where('relid', (string) $clientId)->value('value'));
        self::assertSame('product', Capsule::table('tblemailtemplates')
            ->where('name', 'Other Product/Service Welcome Email')->value('type'));
    }

    /** @return array<string, array{callable(): mixed, string}> */
    public function wrongColumns(): array
    {
        return [
            'where' => [fn () => Capsule::table('tblhosting')->where('serviceid', 1)->value('id'), 'where clause'],
            'value' => [fn () => Capsule::table('tblhosting')->where('id', 1)->value('productid'), 'field list'],
            'insert' => [fn () => Capsule::table('tblcustomfields')->insertGetId(['name' => 'x']), 'field list'],
            'a store-only key' => [fn () => Capsule::table('tblhosting')->value('configoptions'), 'field list'],
        ];
    }

    /** @dataProvider wrongColumns */
    public function testAColumnTheTableLacksFailsLikeMysql(callable $query, string $clause): void
    {
        $this->expectException(\RuntimeException::class);
        $this->expectExceptionMessageMatches(
            "/^SQLSTATE\\[42S22\\]: Column not found: 1054 Unknown column '\\w+' in '$clause'$/"
        );

        $query();
    }
}
