<?php

/**
 * The admin's buttons on a service (AdminCustomButtonArray), pressed through the emulated service
 * page against sgsim: Reset Pass Key, Store Pass Key Again, Link Existing Account and Delete on
 * Backup Server. Each answers "success" or says what to do; refusals decided by the service or
 * the settings send nothing; no pass key or password appears in a message or the logs.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class AdminButtonsTest extends ModuleTestCase
{
    private function customer(string $name, array $overrides = []): int
    {
        [$serviceId, $result] = $this->orderAndAccept(
            $this->customerProduct([Labels::PASS_KEY => 'on'] + $overrides),
            $name
        );
        $this->assertCreated($serviceId, $result);
        return $serviceId;
    }

    private function storedKey(int $serviceId): string
    {
        $clientId = $this->whmcs->service($serviceId)['userid'];
        return $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
    }

    private function press(int $serviceId, string $label): string
    {
        return $this->whmcs->adminScreens()->press($serviceId, $label);
    }

    public function testTheButtonsAreListedAndEachIsAFunctionOfTheModule(): void
    {
        self::assertSame([
            'Reset Pass Key' => 'ResetPassKey',
            'Store Pass Key Again' => 'StorePassKey',
            'Link Existing Account' => 'LinkAccount',
            'Delete on Backup Server' => 'DeleteOnServer',
        ], $this->whmcs->adminScreens()->buttons());
    }

    public function testResetPassKeyMakesANewKeyAndStoresItWithoutLoggingIt(): void
    {
        $serviceId = $this->customer('acme-reset');
        $old = $this->storedKey($serviceId);
        Evidence::addSecret($old);
        $reads = $this->sim->stats()['routes']['GET /customers/{name}/passkey'] ?? 0;

        self::assertSame('success', $this->press($serviceId, 'Reset Pass Key'));

        // One read-back, confirming the stored key is the server's current one.
        self::assertSame(1, $this->sim->stats()['routes']['GET /customers/{name}/passkey'] - $reads);
        $new = $this->sim->passkey('acme-reset');
        Evidence::addSecret($new);
        self::assertNotSame($old, $new, 'the server made a new key');
        self::assertSame($new, $this->storedKey($serviceId));
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers/{name}/passkey/reset']);
        self::assertSame('Module Command Success', $this->whmcs->adminScreens()->shown);
        $this->assertNowhereLogged($new);
        self::assertStringContainsString('was reset', json_encode($this->whmcs->activity()));
    }

    public function testAResetWhoseStoringFailsSaysTheKeyWasMadeAndHowToFetchIt(): void
    {
        $serviceId = $this->customer('acme-unstored');
        $this->whmcs->localApi()->fail('UpdateClient', 'Database error: Deadlock found');

        $result = $this->press($serviceId, 'Reset Pass Key');

        $new = $this->sim->passkey('acme-unstored');
        Evidence::addSecret($new);
        self::assertStringContainsString('A new pass key was made', $result);
        self::assertStringContainsString('Deadlock found', $result);
        self::assertStringContainsString('Store Pass Key Again', $result);
        self::assertStringNotContainsString($new, $result);
        $this->assertNowhereLogged($new);

        // As the message says: once WHMCS can store again, Store Pass Key Again fetches it.
        $this->whmcs->localApi()->fail('UpdateClient', null);
        self::assertSame('success', $this->press($serviceId, 'Store Pass Key Again'));
        self::assertSame($new, $this->storedKey($serviceId));
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers/{name}/passkey/reset'], 'not reset again');
    }

    /**
     * After storing it, a press reads the server's key back (another press may have reset it
     * meanwhile: tests/Reliability/SurfaceConcurrencyTest.php). When that read fails, the new key
     * is stored but not confirmed: the message says so and what to press, without the key.
     */
    public function testAResetWhoseReadBackFailsSaysTheKeyIsStoredButNotConfirmed(): void
    {
        $serviceId = $this->customer('acme-unconfirmed');
        $this->sim->fault([
            'kind' => 'status', 'status' => 500, 'count' => 1, 'after' => false,
            'route' => 'GET /customers/{name}/passkey',
        ]);

        $result = $this->press($serviceId, 'Reset Pass Key');

        $new = $this->sim->passkey('acme-unconfirmed');
        Evidence::addSecret($new);
        self::assertStringStartsWith('A new pass key was made (the old one no longer works)', $result);
        self::assertStringContainsString('and stored in the service\'s and the client\'s "Pass Key" fields', $result);
        self::assertStringContainsString('reading it back to confirm', $result);
        self::assertStringContainsString('injected fault', $result);
        self::assertStringContainsString('Press Store Pass Key Again', $result);
        self::assertSame($new, $this->storedKey($serviceId), 'stored, though not confirmed');
        $this->assertNowhereLogged($new);

        self::assertSame('success', $this->press($serviceId, 'Store Pass Key Again'));
        self::assertSame($new, $this->storedKey($serviceId));
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers/{name}/passkey/reset'], 'not reset again');
    }

    public function testStorePassKeyAgainReadsTheCurrentKey(): void
    {
        $serviceId = $this->customer('acme-again');
        $clientId = $this->whmcs->service($serviceId)['userid'];
        $fieldId = (int) $this->whmcs->store()->clientFieldId('Pass Key');
        $this->whmcs->store()->setClientField($clientId, $fieldId, 'overwritten');

        self::assertSame('success', $this->press($serviceId, 'Store Pass Key Again'));

        $key = $this->sim->passkey('acme-again');
        Evidence::addSecret($key);
        self::assertSame($key, $this->storedKey($serviceId));
        self::assertArrayNotHasKey('POST /customers/{name}/passkey/reset', $this->sim->stats()['routes']);
        $this->assertNowhereLogged($key);
    }

    public function testPassKeyButtonsOnAResellerRefuseWithoutARequest(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->resellerProduct(), 'Acme Button Resellers');
        $this->assertCreated($serviceId, $result);
        $before = $this->sim->totalRequests();

        foreach (['Reset Pass Key', 'Store Pass Key Again'] as $button) {
            $result = $this->press($serviceId, $button);
            self::assertStringContainsString('is for customers', $result);
            self::assertStringContainsString('reseller "Acme Button Resellers" has no pass key', $result);
        }
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testAnUnreachableServerSaysSoAndStoresNothing(): void
    {
        $serviceId = $this->customer('acme-down');
        $old = $this->storedKey($serviceId);
        Evidence::addSecret($old);
        $this->sim->fault(['kind' => 'blackhole', 'route' => 'POST /customers/{name}/passkey/reset', 'after' => false]);
        $previous = ini_set('sgwhmcs.timeout', '2');
        try {
            $result = $this->press($serviceId, 'Reset Pass Key');
        } finally {
            ini_set('sgwhmcs.timeout', (string) $previous);
        }

        self::assertStringStartsWith('Could not reset the pass key of the customer "acme-down"', $result);
        self::assertStringContainsString('did not answer within 2 seconds', $result);
        self::assertSame($old, $this->storedKey($serviceId));
    }

    public function testAnEchoingServerShowsNoSecret(): void
    {
        $serviceId = $this->customer('acme-echo');
        $this->sim->fault(['kind' => 'echo', 'route' => 'GET /customers/{name}/passkey']);

        $result = $this->press($serviceId, 'Store Pass Key Again');

        self::assertStringStartsWith('Could not read the pass key', $result);
        self::assertStringNotContainsString($this->sim->password, $result);
        self::assertStringNotContainsString(base64_encode($this->sim->user . ':' . $this->sim->password), $result);
    }

    public function testLinkExistingAccountAdoptsAnAccountWithoutReference(): void
    {
        $this->sim->createDirectly('customers', ['name' => 'Old Acme', 'contact' => ['email' => 'old@acme.test'],
            'active' => true, 'auto_authorization' => false, 'storage' => ['allotted_bytes' => 1073741824],
            'mcal' => ['auto' => true], 'throttle' => null, 'send_mail' => false]);
        // A service made before this module ran: accepted without "Run Module Create".
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'Old Acme']);
        $this->whmcs->acceptOrder($orderId, false);
        $serviceId = $this->whmcs->orderService($orderId);

        self::assertSame('success', $this->press($serviceId, 'Link Existing Account'));

        $reference = (string) $this->sim->customer('Old Acme')['reference'];
        self::assertMatchesRegularExpression('/^whmcs:[0-9a-f]+:service:' . $serviceId . '$/', $reference);
        self::assertSame(1, $this->sim->stats()['routes']['PATCH /customers/{name}']);
        $activity = json_encode($this->whmcs->activity());
        self::assertStringContainsString('is now linked to service #' . $serviceId, $activity);

        // Pressed again: already this service's, nothing changed.
        self::assertSame('success', $this->press($serviceId, 'Link Existing Account'));
        self::assertSame(1, $this->sim->stats()['routes']['PATCH /customers/{name}']);
    }

    public function testLinkRefusesAnAccountOfAnotherService(): void
    {
        $this->sim->createDirectly('customers', ['name' => 'Taken Acme', 'reference' => 'whmcs:other:service:9',
            'contact' => ['email' => 'taken@acme.test'], 'active' => true, 'auto_authorization' => false,
            'storage' => ['allotted_bytes' => 1073741824], 'mcal' => ['auto' => true], 'throttle' => null,
            'send_mail' => false]);
        $serviceId = $this->customer('acme-mine');
        $this->whmcs->store()->services[$serviceId]['username'] = 'Taken Acme';

        $result = $this->press($serviceId, 'Link Existing Account');

        self::assertStringContainsString('belongs to another WHMCS install (id "other")', $result);
        self::assertStringContainsString('nothing was changed', $result);
        self::assertSame('whmcs:other:service:9', $this->sim->customer('Taken Acme')['reference']);
        self::assertArrayNotHasKey('PATCH /customers/{name}', $this->sim->stats()['routes']);
    }

    public function testLinkOfAMissingAccountSaysWhatToDo(): void
    {
        $serviceId = $this->customer('acme-link');
        $this->whmcs->store()->services[$serviceId]['username'] = 'Nobody Else';

        $result = $this->press($serviceId, 'Link Existing Account');

        self::assertStringContainsString('there is no customer "Nobody Else"', $result);
        self::assertStringContainsString('set the service\'s username', $result);
    }

    public function testLinkOfANameTheServerCannotHoldSendsNothing(): void
    {
        // No account can be named with "&": the name is refused before any request.
        $serviceId = $this->customer('acme-link-amp');
        $this->whmcs->store()->services[$serviceId]['username'] = 'Nobody &amp; Co';
        $before = $this->sim->totalRequests();

        $result = $this->press($serviceId, 'Link Existing Account');

        self::assertStringContainsString('"Nobody & Co" contains \'&\'', $result);
        self::assertSame($before, $this->sim->totalRequests(), 'nothing was sent');
    }

    public function testDeleteIsRefusedForAServiceThatIsNotTerminatedWithoutARequest(): void
    {
        $serviceId = $this->customer('acme-keep');
        $before = $this->sim->totalRequests();

        $result = $this->press($serviceId, 'Delete on Backup Server');

        self::assertStringContainsString('only for a Terminated service, and this one is "Active"', $result);
        self::assertStringContainsString('nothing was sent', $result);
        self::assertSame($before, $this->sim->totalRequests());
        self::assertNotNull($this->sim->customer('acme-keep'));
    }

    public function testDeleteOfATerminatedServiceDeletesAndGoneIsSuccess(): void
    {
        $serviceId = $this->customer('acme-delete');
        self::assertSame('success', $this->whmcs->terminate($serviceId));

        self::assertSame('success', $this->press($serviceId, 'Delete on Backup Server'));
        self::assertNull($this->sim->customer('acme-delete'));
        self::assertSame('success', $this->press($serviceId, 'Delete on Backup Server'), 'already gone');
        // Already gone is seen by the identity read: no second DELETE is sent.
        self::assertSame(1, $this->sim->stats()['routes']['DELETE /customers/{name}']);
        self::assertStringContainsString('was already deleted', json_encode($this->whmcs->activity()));
    }

    public function testDeletingAResellerRetainsItsCustomers(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->resellerProduct(), 'Acme Delete Resellers');
        $this->assertCreated($serviceId, $result);
        [$customerService, $result] = $this->orderAndAccept(
            $this->customerProduct([Labels::RESELLER => 'Acme Delete Resellers']),
            'acme-child'
        );
        $this->assertCreated($customerService, $result);
        self::assertSame('success', $this->whmcs->terminate($serviceId));

        self::assertSame('success', $this->press($serviceId, 'Delete on Backup Server'));

        self::assertNull($this->sim->reseller('Acme Delete Resellers'));
        self::assertSame('Default Reseller', $this->sim->customer('acme-child')['reseller'], 'retained');
        self::assertStringContainsString('customers were kept', json_encode($this->whmcs->activity()));
    }

    public function testARunningBackupHasItsOwnMessage(): void
    {
        $serviceId = $this->customer('acme-busy');
        self::assertSame('success', $this->whmcs->terminate($serviceId));
        $running = ['kind' => 'customer', 'name' => 'acme-busy', 'running' => true];
        $this->sim->expect(200, 'POST', '/_sim/backup-running', $running);

        $result = $this->press($serviceId, 'Delete on Backup Server');

        self::assertStringContainsString('a backup of it is running', $result);
        self::assertStringContainsString('again when the backup has ended', $result);
        self::assertNotNull($this->sim->customer('acme-busy'));
    }

    public function testALostAnswerToADeleteIsSettledByReadingBack(): void
    {
        $serviceId = $this->customer('acme-lost');
        self::assertSame('success', $this->whmcs->terminate($serviceId));
        $this->sim->fault(['kind' => 'drop', 'route' => 'DELETE /customers/{name}']);

        self::assertSame('success', $this->press($serviceId, 'Delete on Backup Server'));
        self::assertNull($this->sim->customer('acme-lost'));
    }

    public function testAHugeUsernameGivesShortMessages(): void
    {
        $serviceId = $this->customer('acme-huge');
        $this->whmcs->store()->services[$serviceId]['username'] = str_repeat('a', 200000);
        $this->whmcs->terminate($serviceId);
        $this->whmcs->store()->services[$serviceId]['domainstatus'] = 'Terminated';

        foreach (array_keys($this->whmcs->adminScreens()->buttons()) as $button) {
            $result = $this->press($serviceId, $button);
            self::assertNotSame('success', $result, $button);
            self::assertLessThan(2000, strlen($result), "$button: $result");
        }
        self::assertNotNull($this->sim->customer('acme-huge'), 'the real account untouched');
    }

    public function testABrokenSettingIsNamedAndNothingIsSent(): void
    {
        $serviceId = $this->customer('acme-setting');
        $this->whmcs->configureProduct($this->whmcs->service($serviceId)['packageid'], [Labels::PORT => '99999']);
        $before = $this->sim->totalRequests();

        foreach (['Reset Pass Key', 'Store Pass Key Again', 'Link Existing Account'] as $button) {
            $result = $this->press($serviceId, $button);
            self::assertStringStartsWith('Module settings are invalid', $result);
            self::assertStringContainsString(Labels::PORT, $result);
        }
        self::assertSame($before, $this->sim->totalRequests());
    }
}
