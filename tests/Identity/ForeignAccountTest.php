<?php

/**
 * Identity by reference, never by name (issue 16), through the WHMCS emulator against sgsim:
 * every function that reads, changes, deletes or shows an account refuses an account that is
 * not this service's (a name reused by another service, another WHMCS install's account, the
 * other kind of one name, an account without a reference, a hook-made client account), says
 * whose it is, and sends nothing beyond the read; the other account is proven unchanged through
 * sgsim (its state, `/_sim/login` with its password, its pass key, its machines).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Identity;

use SgWhmcs\Tests\Support\Labels;

final class ForeignAccountTest extends IdentityTestCase
{
    public function testDeletePressedAgainAfterTheNameWasReusedDeletesNothing(): void
    {
        [$old, $new] = $this->reusedName();
        $before = $this->serverView(self::NAME, $this->servicePassword($new));
        $deletes = $this->sim->stats()['routes']['DELETE /customers/{name}'] ?? 0;

        $result = $this->whmcs->adminScreens()->press($old, 'Delete on Backup Server');

        self::assertStringStartsWith(
            'Could not delete the customer "Acme": it is not this service\'s account: it belongs to service #'
            . $new . ' of this WHMCS',
            $result
        );
        self::assertStringContainsString('nothing was changed', $result);
        self::assertSame($deletes, $this->sim->stats()['routes']['DELETE /customers/{name}'] ?? 0, 'no DELETE');
        self::assertSame($before, $this->serverView(self::NAME, $this->servicePassword($new)));
        self::assertSame(2, $before['account']['clients'], 'the new owner keeps its machines');
        self::assertTrue($before['logs_in']);
    }

    public function testEveryFunctionOfTheOldServiceRefusesTheReusedName(): void
    {
        [$old, $new] = $this->reusedName();
        $password = $this->servicePassword($new);
        $before = $this->serverView(self::NAME, $password);
        $changes = $this->changes();
        // An admin sets the old service Active again by hand: the account functions run on it.
        $this->whmcs->store()->services[$old]['domainstatus'] = 'Active';
        $bigger = $this->customerProduct([Labels::PASS_KEY => 'on', Labels::STORAGE => '5368709120']);
        // The hook connects with the product's admin password: WHMCS is asked to scrub it.
        $this->whmcs->knowHookSecret($this->sim->password);
        $this->whmcs->loadHookFiles(ROOTDIR);
        $oldClient = (int) $this->whmcs->service($old)['userid'];

        $answers = [
            'Suspend' => $this->whmcs->suspend($old),
            'Unsuspend' => $this->whmcs->unsuspend($old),
            'Change Password' => $this->whmcs->changePassword($old, 'Taken-0ver-Pa55'),
            'Change Package' => $this->whmcs->upgradeProduct($old, $bigger),
            'Reset Pass Key' => $this->whmcs->adminScreens()->press($old, 'Reset Pass Key'),
            'Store Pass Key Again' => $this->whmcs->adminScreens()->press($old, 'Store Pass Key Again'),
            'Link Existing Account' => $this->whmcs->adminScreens()->press($old, 'Link Existing Account'),
            'Terminate' => $this->whmcs->terminate($old),
        ];
        foreach ($answers as $function => $answer) {
            self::assertStringContainsString("belongs to service #$new of this WHMCS", $answer, $function);
            self::assertStringContainsString('nothing was changed', $answer, $function);
        }

        // The screens: the admin tab says whose it is; the client sees one neutral line.
        $this->whmcs->store()->services[$old]['domainstatus'] = 'Active';
        $tab = $this->whmcs->adminScreens()->serviceTab($old);
        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringContainsString("belongs to service #$new of this WHMCS", $tab['Backup Server']);
        $page = $this->whmcs->clientArea()->productDetails($oldClient, $old);
        self::assertTrue($page['vars']['sgwhmcs']['error']);
        self::assertStringContainsString('contact support', $page['html']);
        $revealed = $this->whmcs->clientArea()->customAction($oldClient, $old, 'RevealPassKey');
        foreach ([$page, $revealed] as $shown) {
            self::assertStringNotContainsString('new-owner-web', $shown['html']);
            self::assertStringNotContainsString($before['passkey'], $shown['html']);
            self::assertStringNotContainsString($before['passkey'], json_encode($shown['vars']));
        }

        // The old client's contact is not synced onto the new owner's account.
        $this->whmcs->editClient($oldClient, ['companyname' => 'Takeover Ltd', 'email' => 'mallory@evil.test']);
        $synced = array_values(array_filter(
            array_column($this->whmcs->activity(), 'message'),
            fn (string $line): bool => str_starts_with($line, 'sgwhmcs ClientEdit')
        ));
        self::assertCount(1, $synced);
        self::assertStringContainsString("service #$old skipped: the customer \"Acme\"", $synced[0]);

        self::assertSame($changes, $this->changes(), 'nothing but reads was sent');
        self::assertSame($before, $this->serverView(self::NAME, $password), 'the new owner\'s account unchanged');
        self::assertFalse($this->logsIn('customer', self::NAME, 'Taken-0ver-Pa55'));
        self::assertArrayNotHasKey('GET /customers/{name}/clients', $this->sim->stats()['routes'] ?? []);

        // The new owner's own service still works on it.
        self::assertSame('success', $this->whmcs->suspend($new));
        self::assertFalse($this->sim->customer(self::NAME)['active']);
    }

    public function testAnAccountOfAnotherInstallIsNeverTouched(): void
    {
        [$serviceId] = $this->activeCustomer('acme-elsewhere', [Labels::PASS_KEY => 'on']);
        // The same service id, written by another WHMCS install.
        $this->sim->expect(200, 'PATCH', '/api/v1/customers/acme-elsewhere', [
            'reference' => "whmcs:other-install:service:$serviceId", 'password' => 'Elsewhere-Pa55',
        ]);
        $before = $this->serverView('acme-elsewhere', 'Elsewhere-Pa55');
        $changes = $this->changes();
        self::assertStringContainsString('another WHMCS install', $this->whmcs->terminate($serviceId));
        $this->whmcs->store()->services[$serviceId]['domainstatus'] = 'Terminated';

        foreach (
            [
                $this->whmcs->adminScreens()->press($serviceId, 'Delete on Backup Server'),
                $this->whmcs->changePassword($serviceId, 'Mine-Now-Pa55'),
                $this->whmcs->adminScreens()->press($serviceId, 'Reset Pass Key'),
                $this->whmcs->adminScreens()->press($serviceId, 'Link Existing Account'),
            ] as $answer
        ) {
            self::assertStringContainsString('belongs to another WHMCS install (id "other-install")', $answer);
        }
        self::assertSame($changes, $this->changes());
        self::assertSame($before, $this->serverView('acme-elsewhere', 'Elsewhere-Pa55'));
    }

    public function testAResellerAndACustomerOfOneNameAreTwoAccounts(): void
    {
        $resellers = $this->resellerProduct();
        [$resellerService, $result] = $this->orderAndAccept($resellers, 'Twin Co');
        $this->assertCreated($resellerService, $result);
        $clientId = (int) $this->whmcs->service($resellerService)['userid'];
        $orderId = $this->whmcs->placeOrder($clientId, $this->productId, ['username' => 'Twin Co']);
        self::assertSame('success', $this->whmcs->acceptOrder($orderId));
        $customerService = $this->whmcs->orderService($orderId);
        $reseller = $this->sim->reseller('Twin Co');
        self::assertSame($this->reference('service', $resellerService), $reseller['reference']);

        // The customer service switched to the reseller product: that reseller is the other
        // service's, so nothing changes and the message says so.
        $result = $this->whmcs->upgradeProduct($customerService, $resellers);

        self::assertStringContainsString('a change of package cannot turn a customer into a reseller', $result);
        self::assertStringContainsString("belongs to service #$resellerService of this WHMCS", $result);
        self::assertSame($reseller, $this->sim->reseller('Twin Co'));
        self::assertArrayNotHasKey('PATCH /resellers/{name}', $this->sim->stats()['routes'] ?? []);

        // Suspending the reseller's service leaves the customer of that name active.
        self::assertSame('success', $this->whmcs->suspend($resellerService));
        self::assertFalse($this->sim->reseller('Twin Co')['active']);
        self::assertTrue($this->sim->customer('Twin Co')['active']);
    }

    public function testAnAccountWithoutAReferenceIsRefusedUntilLinked(): void
    {
        $this->sim->createDirectly('customers', ['name' => 'acme-by-hand', 'password' => 'By-Hand-Pa55',
            'storage' => ['allotted_bytes' => 1073741824]]);
        $byHand = ['username' => 'acme-by-hand'];
        $orderId = $this->whmcs->placeOrder($this->whmcs->addClient(), $this->productId, $byHand);
        self::assertSame('success', $this->whmcs->acceptOrder($orderId, false));
        $serviceId = $this->whmcs->orderService($orderId);
        $changes = $this->changes();

        $refused = $this->whmcs->suspend($serviceId);
        $password = $this->whmcs->changePassword($serviceId, 'Not-Yet-Pa55');

        foreach ([$refused, $password] as $answer) {
            self::assertStringContainsString('carries no external reference', $answer);
            self::assertStringContainsString('press Link Existing Account to adopt it', $answer);
        }
        self::assertSame($changes, $this->changes());
        self::assertTrue($this->logsIn('customer', 'acme-by-hand', 'By-Hand-Pa55'));

        self::assertSame('success', $this->whmcs->adminScreens()->press($serviceId, 'Link Existing Account'));
        self::assertSame($this->reference('service', $serviceId), $this->sim->customer('acme-by-hand')['reference']);
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer('acme-by-hand')['active']);
        self::assertSame('success', $this->whmcs->changePassword($serviceId, 'Now-Mine-Pa55'));
        self::assertTrue($this->logsIn('customer', 'acme-by-hand', 'Now-Mine-Pa55'));
    }

    public function testAHookMadeClientAccountIsAdoptedOnlyByItsOwnClientsService(): void
    {
        $clientId = $this->whmcs->addClient();
        $this->sim->createDirectly('customers', ['name' => 'acme-hooked', 'password' => 'Hooked-Pa55',
            'reference' => $this->reference('client', $clientId), 'storage' => ['allotted_bytes' => 1073741824]]);
        $hooked = ['username' => 'acme-hooked'];
        $stranger = $this->whmcs->placeOrder($this->whmcs->addClient(), $this->productId, $hooked);
        $this->whmcs->acceptOrder($stranger, false);
        $strangerService = $this->whmcs->orderService($stranger);
        $own = $this->whmcs->placeOrder($clientId, $this->productId, ['username' => 'acme-hooked']);
        $this->whmcs->acceptOrder($own, false);
        $ownService = $this->whmcs->orderService($own);

        $result = $this->whmcs->adminScreens()->press($strangerService, 'Link Existing Account');
        self::assertStringContainsString("made it for client #$clientId, not for this service's client", $result);
        $result = $this->whmcs->suspend($ownService);
        self::assertStringContainsString("the signup hooks made it for this service's client #$clientId", $result);
        self::assertTrue($this->sim->customer('acme-hooked')['active']);

        self::assertSame('success', $this->whmcs->adminScreens()->press($ownService, 'Link Existing Account'));
        self::assertSame($this->reference('service', $ownService), $this->sim->customer('acme-hooked')['reference']);
        self::assertSame('success', $this->whmcs->suspend($ownService));
        self::assertFalse($this->sim->customer('acme-hooked')['active']);
    }
}
