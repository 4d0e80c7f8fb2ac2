<?php

/**
 * Upgrades, configurable option changes and password changes call the module after WHMCS has
 * stored the change, and WHMCS keeps the change when the module fails (no rollback); a client
 * edit runs ClientEdit with `userid`, the fields and `olddata`, HTML-encoded
 * (https://developers.whmcs.com/provisioning-modules/supported-functions/,
 * https://developers.whmcs.com/hooks-reference/client/#clientedit).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use SgWhmcs\Tests\Emulator\Crypto;
use WHMCS\Database\Capsule;

final class ServiceChangesTest extends BillingTestCase
{
    private function lastActivity(): string
    {
        $activity = $this->whmcs->activity();
        return (string) end($activity)['message'];
    }

    public function testAnUpgradeIsStoredBeforeChangePackageGetsTheNewProductsSettings(): void
    {
        $service = $this->service('alice');
        $platinum = $this->whmcs->addProduct('Platinum', ['Plan' => 'platinum'], ['servers' => [$this->serverId]]);

        self::assertSame('success', $this->whmcs->upgradeProduct($service, $platinum));

        $call = FakeModule::callsOf('ChangePackage')[0];
        self::assertSame('platinum', $call['params']['configoption1']);
        self::assertSame($platinum, $call['params']['pid']);
        self::assertSame($platinum, $call['stored']['packageid'], 'stored before the module runs');
        self::assertSame("Module Change Package Successful - Service ID: $service", $this->lastActivity());
    }

    public function testAFailedChangePackageKeepsTheNewProductAndIsLogged(): void
    {
        $service = $this->service('alice');
        $platinum = $this->whmcs->addProduct('Platinum', ['Plan' => 'platinum'], ['servers' => [$this->serverId]]);
        FakeModule::$answers['ChangePackage'] = 'Not enough storage left under the reseller';

        $shown = $this->whmcs->upgradeProduct($service, $platinum);

        self::assertSame('Not enough storage left under the reseller', $shown);

        self::assertSame($platinum, $this->whmcs->service($service)['packageid'], 'WHMCS does not roll back');
        self::assertSame(
            "Module Change Package Failed - Service ID: $service - Error: Not enough storage left under the reseller",
            $this->lastActivity()
        );
    }

    public function testConfigurableOptionsReachChangePackageByTheNameBeforeThePipe(): void
    {
        $this->whmcs->setConfigurableOptions($this->productId, ['Storage GB|Storage' => '100', 'MCAL|Machines' => '1']);
        $service = $this->service('alice');

        self::assertSame('success', $this->whmcs->changeConfigurableOptions($service, ['Storage GB' => 500]));

        $params = FakeModule::callsOf('ChangePackage')[0]['params'];
        self::assertSame(['Storage GB' => '500', 'MCAL' => '1'], $params['configoptions']);
        self::assertSame('500', $this->whmcs->service($service)['configoptions']['Storage GB|Storage']);
    }

    public function testAnOptionTheProductLacksIsRefused(): void
    {
        $service = $this->service('alice');

        $this->expectException(\InvalidArgumentException::class);
        $this->whmcs->changeConfigurableOptions($service, ['Storage GB' => 500]);
    }

    public function testChangePasswordGetsTheNewPasswordDecodedAndWhmcsKeepsItOnFailure(): void
    {
        $service = $this->service('alice');
        FakeModule::$answers['ChangePassword'] = 'Password too weak';

        self::assertSame('Password too weak', $this->whmcs->changePassword($service, 'N3w&<Pass>'));

        self::assertSame('N3w&<Pass>', FakeModule::callsOf('ChangePassword')[0]['params']['password']);
        self::assertSame('N3w&amp;&lt;Pass&gt;', $this->whmcs->service($service)['password']);
        $column = (string) Capsule::table('tblhosting')->where('id', $service)->value('password');
        self::assertNotSame('N3w&amp;&lt;Pass&gt;', $column, 'tblhosting.password is stored encrypted');
        self::assertSame('N3w&amp;&lt;Pass&gt;', Crypto::decrypt($column));
    }

    public function testClientEditPassesUseridFieldsAndOlddataHtmlEncoded(): void
    {
        $seen = [];
        $this->whmcs->hooks()->add('ClientEdit', 1, function (array $vars) use (&$seen): void {
            $seen[] = $vars;
        });

        $this->whmcs->editClient($this->clientId, ['companyname' => 'Smith & Sons', 'email' => 'new@example.test']);

        self::assertCount(1, $seen);
        self::assertSame($this->clientId, $seen[0]['userid']);
        self::assertSame('Smith &amp; Sons', $seen[0]['companyname']);
        self::assertSame('new@example.test', $seen[0]['email']);
        self::assertSame('', $seen[0]['olddata']['companyname']);
        self::assertSame("jane.doe.{$this->clientId}@example.test", $seen[0]['olddata']['email']);
        self::assertSame('Smith &amp; Sons', $this->whmcs->store()->client($this->clientId)['companyname']);
    }

    public function testAFieldTheProfileLacksIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        $this->whmcs->editClient($this->clientId, ['password' => 'x']);
    }
}
