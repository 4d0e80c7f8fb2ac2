<?php

/**
 * Client custom fields as WHMCS 8 keeps them: UpdateClient validates every field that is not
 * admin-only (required, regex; WHMCS\Validate::validateCustomFields, messages "<field> is
 * required" and "<field> value is not valid" from the English lang file) unless `skipvalidation`
 * is passed; a field of type password is stored encrypted (WHMCS's encrypt(), which a module may
 * call, as decrypt()); emails offer `{$client_custom_field_<name>}` (lowercase, only a-z0-9),
 * `client_custom_fields` (0-based list) and `client_custom_fields_by_name` (Mail merge data).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;
use WHMCS\Database\Capsule;

final class ClientFieldsTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
    }

    /** @param array<int, string> $fields */
    private static function encoded(array $fields): string
    {
        return base64_encode(serialize($fields));
    }

    public function testARequiredFieldMakesUpdateClientFailUnlessValidationIsSkipped(): void
    {
        $this->whmcs->addClientCustomField('How did you find us?', ['required' => true]);
        $passKey = $this->whmcs->addClientCustomField('Pass Key');
        $clientId = $this->whmcs->addClient(['customfields' => ['How did you find us?' => 'A friend']]);
        $update = ['clientid' => $clientId, 'customfields' => self::encoded([$passKey => 'K1'])];

        $refused = localAPI('UpdateClient', $update);
        $skipped = localAPI('UpdateClient', $update + ['skipvalidation' => true]);

        self::assertSame(['result' => 'error', 'message' => 'How did you find us? is required'], $refused);
        self::assertSame('success', $skipped['result']);
        self::assertSame('K1', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
    }

    public function testARefusedUpdateChangesNothing(): void
    {
        $this->whmcs->addClientCustomField('VAT', ['required' => 'on']);
        $clientId = $this->whmcs->addClient(['companyname' => 'Before']);

        $refused = localAPI('UpdateClient', ['clientid' => $clientId, 'companyname' => 'After']);

        self::assertSame('VAT is required', $refused['message']);
        self::assertSame('Before', $this->whmcs->store()->client($clientId)['companyname']);
    }

    public function testARegexFieldIsCheckedWhenGiven(): void
    {
        $vat = $this->whmcs->addClientCustomField('VAT number', ['regexpr' => '/^[A-Z]{2}[0-9]{8,12}$/']);
        $clientId = $this->whmcs->addClient();

        $bad = localAPI('UpdateClient', ['clientid' => $clientId, 'customfields' => self::encoded([$vat => 'no'])]);
        $good = localAPI('UpdateClient', [
            'clientid' => $clientId,
            'customfields' => self::encoded([$vat => 'DE123456789']),
        ]);
        $absent = localAPI('UpdateClient', ['clientid' => $clientId, 'companyname' => 'X']);
        $skipped = localAPI('UpdateClient', [
            'clientid' => $clientId,
            'customfields' => self::encoded([$vat => 'nope']),
            'skipvalidation' => true,
        ]);

        self::assertSame(['result' => 'error', 'message' => 'VAT number value is not valid'], $bad);
        self::assertSame('success', $good['result']);
        self::assertSame('success', $absent['result'], 'an optional field not given is not checked');
        self::assertSame('success', $skipped['result']);
    }

    public function testAdminOnlyFieldsAreNotValidated(): void
    {
        $this->whmcs->addClientCustomField('Internal', ['required' => true, 'adminonly' => true]);
        $clientId = $this->whmcs->addClient();

        $update = localAPI('UpdateClient', ['clientid' => $clientId, 'companyname' => 'X']);
        self::assertSame('success', $update['result']);
    }

    public function testAPasswordFieldIsStoredEncryptedAndShownDecrypted(): void
    {
        $fieldId = $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'password']);
        $clientId = $this->whmcs->addClient();

        localAPI('UpdateClient', ['clientid' => $clientId, 'customfields' => self::encoded([$fieldId => 'SECRET123'])]);

        $raw = Capsule::table('tblcustomfieldsvalues')->where('fieldid', $fieldId)->where('relid', $clientId)
            ->value('value');
        self::assertNotSame('SECRET123', $raw);
        self::assertStringNotContainsString('SECRET123', (string) $raw);
        self::assertSame('SECRET123', decrypt($raw), 'a module can decrypt it with WHMCS\'s decrypt()');
        $details = localAPI('GetClientsDetails', ['clientid' => $clientId]);
        self::assertSame([['id' => $fieldId, 'value' => 'SECRET123']], $details['customfields']);
    }

    public function testPlaintextWrittenStraightIntoAPasswordFieldIsNotReadable(): void
    {
        $fieldId = $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'password']);
        $clientId = $this->whmcs->addClient();

        Capsule::table('tblcustomfieldsvalues')
            ->insert(['fieldid' => $fieldId, 'relid' => $clientId, 'value' => 'PLAIN']);
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));

        Capsule::table('tblcustomfieldsvalues')->where('fieldid', $fieldId)->where('relid', $clientId)
            ->update(['value' => encrypt('PLAIN')]);
        self::assertSame('PLAIN', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
    }

    public function testEncryptAndDecryptRoundTrip(): void
    {
        $cipher = encrypt('pa55 & word');

        self::assertNotSame('pa55 & word', $cipher);
        self::assertSame('pa55 & word', decrypt($cipher));
        self::assertNotSame($cipher, encrypt('pa55 & word'), 'a fresh IV each time');
        self::assertSame('', decrypt('not ciphertext'));
    }

    public function testEmailsOfferTheFieldsByNameAndAsLists(): void
    {
        $this->whmcs->addClientCustomField('How did you find us?');
        $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'password']);
        $clientId = $this->whmcs->addClient([
            'customfields' => ['How did you find us?' => 'Ads', 'Pass Key' => 'K-9'],
        ]);
        $this->whmcs->editEmailTemplate(
            'Hello',
            '{$client_custom_field_passkey}/{$client_custom_field_howdidyoufindus}/'
                . '{$client_custom_fields.1}/{$client_custom_fields_by_name.1.name}',
            'general'
        );

        $email = $this->whmcs->sendEmail('Hello', $clientId);

        self::assertSame('K-9/Ads/K-9/Pass Key', $email['message']);
        self::assertSame(['Ads', 'K-9'], $email['mergefields']['client_custom_fields']);
        self::assertSame(
            [['name' => 'How did you find us?', 'value' => 'Ads'], ['name' => 'Pass Key', 'value' => 'K-9']],
            $email['mergefields']['client_custom_fields_by_name']
        );
    }
}
