<?php

/**
 * Retrieve Customer Pass Key through the hooks: the new customer's pass key lands in the client
 * custom field "Pass Key" (created admin-only when missing), written through UpdateClient; a
 * hook's account has no service, so no product field is made or written. When
 * WHMCS cannot store it, the account is kept, the failure is reported (whmcs_error.log and the
 * Activity Log for a hook; the returned message for the module's CreateAccount, field 23), and a
 * second run adopts the account and stores the key.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;

final class PassKeyStorageTest extends HooksTestCase
{
    private const NAME = 'Acme Widgets';
    private const STORE_ERROR = 'Database error: Deadlock found when trying to get lock';

    /** @return array<string, array{string}> */
    public function points(): array
    {
        return ['ClientAdd' => ['ClientAdd'], 'AcceptOrder' => ['AcceptOrder']];
    }

    /** @dataProvider points */
    public function testThePassKeyLandsInTheExistingPassKeyField(string $point): void
    {
        $this->whmcs->addClientCustomField('Notes');
        $fieldId = $this->whmcs->addClientCustomField('Pass Key');
        $this->installHooks($point, 'SGSignupCustomer', [Labels::PASS_KEY => 'on']);

        [$clientId] = $this->fire($point);

        $passkey = $this->sim->passkey(self::NAME);
        Evidence::addSecret($passkey);
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Notes'), 'other fields untouched');
        self::assertSame($fieldId, $this->whmcs->store()->clientFieldId('Pass Key'), 'no second field');
        self::assertCount(2, $this->whmcs->store()->customFields, 'no product field either');
        self::assertSame([], $this->whmcs->store()->serviceFieldValues, 'no service: the client field only');
        $updates = $this->updateClientCalls();
        self::assertCount(1, $updates);
        self::assertSame(
            [$fieldId => $passkey],
            unserialize(base64_decode((string) $updates[0]['values']['customfields'], true))
        );
        $this->assertSuccessReported($point, $clientId, 'customer', self::NAME);
        self::assertStringContainsString('pass key stored', $this->hookActivity()[0]['message']);
        self::assertStringNotContainsString($passkey, $this->hookActivity()[0]['message']);
    }

    /** @dataProvider points */
    public function testAMissingPassKeyFieldIsCreatedAdminOnly(string $point): void
    {
        $this->whmcs->addClientCustomField('Notes');
        $this->installHooks($point, 'SGSignupCustomer', [Labels::PASS_KEY => 'on']);

        [$clientId] = $this->fire($point);

        $fieldId = $this->whmcs->store()->clientFieldId('Pass Key');
        self::assertNotNull($fieldId, 'the client custom field "Pass Key" was created');
        $field = $this->whmcs->store()->customFields[$fieldId];
        self::assertSame('client', $field['type']);
        self::assertSame('text', $field['fieldtype']);
        self::assertSame('on', $field['adminonly'], 'only admins see it');
        self::assertSame('', $field['showorder'], 'not on the order form');
        $passkey = $this->sim->passkey(self::NAME);
        Evidence::addSecret($passkey);
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
    }

    public function testWithRetrieveOffNoPassKeyIsReadOrStored(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [Labels::PASS_KEY => '']);

        [$clientId] = $this->fire('ClientAdd');

        self::assertNotNull($this->sim->customer(self::NAME));
        self::assertArrayNotHasKey('GET /customers/{name}/passkey', $this->sim->stats()['routes']);
        self::assertNull($this->whmcs->store()->clientFieldId('Pass Key'));
        self::assertSame([], $this->updateClientCalls());
        $this->assertSuccessReported('ClientAdd', $clientId, 'customer', self::NAME);
    }

    public function testAResellerGetsNoPassKey(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [Labels::PASS_KEY => 'on']);

        $this->fire('ClientAdd');

        self::assertNotNull($this->sim->reseller(self::NAME));
        self::assertArrayNotHasKey('GET /customers/{name}/passkey', $this->sim->stats()['routes']);
        self::assertNull($this->whmcs->store()->clientFieldId('Pass Key'));
    }

    public function testAHookThatCannotStoreThePassKeyKeepsTheAccountAndReportsIt(): void
    {
        $this->whmcs->addClientCustomField('Pass Key');
        $this->installHooks('AcceptOrder', 'SGSignupCustomer', [Labels::PASS_KEY => 'on']);
        $this->whmcs->localApi()->fail('UpdateClient', self::STORE_ERROR);

        [$clientId, $orderId] = $this->fire('AcceptOrder');

        $passkey = $this->sim->passkey(self::NAME);
        Evidence::addSecret($passkey);
        self::assertNotNull($this->sim->customer(self::NAME), 'the account is kept');
        $message = $this->assertFailureReported(
            'AcceptOrder',
            $clientId,
            '/^The customer "Acme Widgets" was created, but its pass key was not stored: .*Deadlock found/',
            [$passkey]
        );
        self::assertStringContainsString('Pass Key', $message);
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));

        $this->whmcs->localApi()->fail('UpdateClient', null);
        self::assertSame('success', $this->whmcs->acceptOrder((int) $orderId));

        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'), 'stored on retry');
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers'], 'the retry adopted the account');
    }

    public function testCreateAccountThatCannotStoreThePassKeyKeepsTheAccountAndSaysSo(): void
    {
        $this->whmcs->addClientCustomField('Pass Key');
        $this->whmcs->localApi()->fail('UpdateClient', self::STORE_ERROR);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-keep');

        $passkey = $this->sim->passkey('acme-keep');
        Evidence::addSecret($passkey);
        self::assertStringContainsString('"acme-keep" was created, but its pass key was not stored', $result);
        self::assertStringContainsString('Deadlock found', $result);
        self::assertStringNotContainsString($passkey, $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertNotNull($this->sim->customer('acme-keep'), 'the account is kept');

        $this->whmcs->localApi()->fail('UpdateClient', null);
        $again = $this->whmcs->createAccount($serviceId);

        $this->assertCreated($serviceId, $again);
        $clientId = $this->whmcs->service($serviceId)['userid'];
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        $customers = $this->sim->expect(200, 'GET', '/api/v1/customers')['customers'];
        self::assertSame(
            ['acme-keep'],
            array_values(array_diff(array_column($customers, 'name'), ['Default Customer', 'Trial Customer'])),
            'Create again made no second account'
        );
    }

    /** @return list<array<string, mixed>> the UpdateClient calls that answered success */
    private function updateClientCalls(): array
    {
        return array_values(array_filter(
            $this->whmcs->localApi()->calls,
            fn (array $call): bool => $call['command'] === 'UpdateClient' && $call['answer']['result'] === 'success'
        ));
    }
}
