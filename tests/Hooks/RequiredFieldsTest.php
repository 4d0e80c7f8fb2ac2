<?php

/**
 * A site with required and regex-validated client custom fields ("How did you find us?", a VAT
 * number) the client never filled in: WHMCS's UpdateClient refuses such a client unless told to
 * skip validation, so the pass key is stored with `'skipvalidation' => true`, from the hooks and
 * from CreateAccount (field 23) alike.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;

final class RequiredFieldsTest extends HooksTestCase
{
    private const NAME = 'Acme Widgets';

    protected function setUp(): void
    {
        parent::setUp();
        $this->whmcs->addClientCustomField('How did you find us?', ['required' => true, 'showorder' => true]);
        $this->whmcs->addClientCustomField('VAT number', ['regexpr' => '/^[A-Z]{2}[0-9]{8,12}$/', 'showorder' => true]);
        $this->whmcs->addClientCustomField('Pass Key');
    }

    /** @return array<string, array{string}> */
    public function points(): array
    {
        return ['ClientAdd' => ['ClientAdd'], 'AcceptOrder' => ['AcceptOrder']];
    }

    public function testWhmcsRefusesAnUpdateWithoutSkipValidationOnThisSite(): void
    {
        $clientId = $this->whmcs->addClient(self::CLIENT + ['customfields' => ['VAT number' => 'not a VAT']]);

        $answer = localAPI('UpdateClient', ['clientid' => $clientId, 'companyname' => 'Acme Widgets']);

        self::assertSame('error', $answer['result'], 'the site is as strict as WHMCS: ' . json_encode($answer));
    }

    /** @dataProvider points */
    public function testTheHookStoresThePassKeyDespiteRequiredAndValidatedFields(string $point): void
    {
        $this->installHooks($point, 'SGSignupCustomer', [Labels::PASS_KEY => 'on']);

        [$clientId] = $this->fire($point, self::CLIENT + ['customfields' => ['VAT number' => 'not a VAT']]);

        $passkey = $this->sim->passkey(self::NAME);
        Evidence::addSecret($passkey);
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame('not a VAT', $this->whmcs->store()->clientFieldValue($clientId, 'VAT number'), 'untouched');
        $this->assertSuccessReported($point, $clientId, 'customer', self::NAME);
        $update = $this->lastUpdateClient();
        self::assertTrue($update['values']['skipvalidation'] ?? null);
        self::assertSame('success', $update['answer']['result']);
    }

    public function testCreateAccountStoresThePassKeyDespiteRequiredAndValidatedFields(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-required', [
            'customfields' => ['VAT number' => 'not a VAT'],
        ]);

        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('acme-required');
        Evidence::addSecret($passkey);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertTrue($this->lastUpdateClient()['values']['skipvalidation'] ?? null);
    }

    /** @return array<string, mixed> the last UpdateClient call */
    private function lastUpdateClient(): array
    {
        $calls = array_values(array_filter(
            $this->whmcs->localApi()->calls,
            fn (array $call): bool => strcasecmp($call['command'], 'UpdateClient') === 0
        ));
        self::assertNotEmpty($calls, 'UpdateClient was called');
        return $calls[count($calls) - 1];
    }
}
