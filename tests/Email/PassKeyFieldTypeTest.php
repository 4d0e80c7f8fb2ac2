<?php

/**
 * The `Pass Key` client field as an admin may have made it. As a Password field WHMCS stores it
 * encrypted: {$backup_pass_key} reads it back through WHMCS's decrypt(), and WHMCS's own
 * {$client_custom_field_passkey} shows it too. A field that cannot hold a pass key (dropdown,
 * tick box, link) is refused with a message saying what to change; the email still goes out.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Email;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class PassKeyFieldTypeTest extends ModuleTestCase
{
    private const TEMPLATE = 'Backup Welcome Email';
    private const MESSAGE = "Key: [{\$backup_pass_key}]\nWHMCS: [{\$client_custom_field_passkey}]\n";

    private int $productId;

    protected function setUp(): void
    {
        parent::setUp();
        // A product of the module first: WHMCS loads the module's hooks.php only then.
        $this->productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $this->whmcs->loadHookFiles(ROOTDIR);
        self::assertSame(1, $this->whmcs->hooks()->count('EmailPreSend'));
        $this->whmcs->editEmailTemplate(self::TEMPLATE, self::MESSAGE);
        $this->whmcs->setWelcomeEmail($this->productId, self::TEMPLATE);
    }

    public function testAPasswordFieldIsStoredEncryptedAndTheEmailShowsTheKey(): void
    {
        $fieldId = $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'password', 'adminonly' => true]);

        [$serviceId, $result] = $this->orderAndAccept($this->productId, 'acme-secret');

        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('acme-secret');
        Evidence::addSecret($passkey);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        $raw = (string) $this->whmcs->store()->clientFieldValues[$clientId][$fieldId];
        self::assertNotSame('', $raw);
        self::assertStringNotContainsString($passkey, $raw, 'WHMCS keeps it encrypted');
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        $emails = $this->whmcs->emails();
        self::assertCount(1, $emails);
        self::assertSame($passkey, $emails[0]['mergefields']['backup_pass_key']);
        self::assertSame("Key: [$passkey]\nWHMCS: [$passkey]\n", $emails[0]['message']);
    }

    public function testATextFieldWorksAsBefore(): void
    {
        $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'textarea']);

        [$serviceId, $result] = $this->orderAndAccept($this->productId, 'acme-text');

        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('acme-text');
        Evidence::addSecret($passkey);
        self::assertSame("Key: [$passkey]\nWHMCS: [$passkey]\n", $this->whmcs->emails()[0]['message']);
    }

    /** @return array<string, array{string}> */
    public function unusableTypes(): array
    {
        return ['dropdown' => ['dropdown'], 'tickbox' => ['tickbox'], 'link' => ['link']];
    }

    /** @dataProvider unusableTypes */
    public function testAFieldThatCannotHoldTheKeyIsRefusedWithWhatToChange(string $type): void
    {
        $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => $type, 'fieldoptions' => 'Yes,No']);

        [$serviceId, $result] = $this->orderAndAccept($this->productId, 'acme-' . $type);

        Evidence::addSecret($this->sim->passkey('acme-' . $type));
        self::assertNotNull($this->sim->customer('acme-' . $type), 'the account is kept');
        self::assertStringContainsString('its pass key was not stored', $result);
        self::assertStringContainsString("\"Pass Key\" is a $type field, which cannot hold a pass key", $result);
        self::assertStringContainsString('change its Field Type to Password', $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus'], 'the admin sees the message');
        self::assertSame([], array_filter(
            $this->whmcs->localApi()->calls,
            fn (array $call): bool => strcasecmp($call['command'], 'UpdateClient') === 0
        ), 'nothing was written into the field');

        $email = $this->whmcs->sendEmail(self::TEMPLATE, $serviceId);

        self::assertArrayNotHasKey('backup_pass_key', $email['mergefields']);
        self::assertStringStartsWith("Key: []\n", $email['message'], 'the email still goes out');
        $why = array_values(array_filter(
            $this->whmcs->activity(),
            fn (array $line): bool => str_contains($line['message'], 'backup_pass_key')
        ));
        self::assertCount(1, $why, 'the Activity Log says why the key is missing');
        self::assertStringContainsString('change its Field Type to Password', $why[0]['message']);
    }
}
