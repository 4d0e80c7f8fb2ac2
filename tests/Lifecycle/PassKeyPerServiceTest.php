<?php

/**
 * A pass key per service: a client with two customer services gets each service's own key in
 * that service's product custom field "Pass Key" (type 'product', relid the product, a Password
 * field, admin-only; one value per service), in that service's welcome email
 * ({$backup_pass_key}) and after Reset Pass Key of the other service; the client field "Pass
 * Key" of the product documentation holds the most recently created or reset key. Checked
 * against sgsim's real keys and the emulator's tables; no key in any log.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class PassKeyPerServiceTest extends ModuleTestCase
{
    private const TEMPLATE = 'Backup Welcome Email';

    private int $productId;

    protected function setUp(): void
    {
        parent::setUp();
        $this->productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $this->whmcs->loadHookFiles(ROOTDIR);
        $this->whmcs->editEmailTemplate(self::TEMPLATE, "Key: [{\$backup_pass_key}]\n");
        $this->whmcs->setWelcomeEmail($this->productId, self::TEMPLATE);
    }

    /**
     * Client CLIENT orders NAME of PRODUCT (this test's customer product by default) and it is
     * accepted; answers the service id.
     */
    private function order(int $clientId, string $name, ?int $productId = null): int
    {
        $orderId = $this->whmcs->placeOrder($clientId, $productId ?? $this->productId, ['username' => $name]);
        $result = $this->whmcs->acceptOrder($orderId);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->assertCreated($serviceId, $result);
        return $serviceId;
    }

    /** The server's current key of customer NAME, registered as a secret. */
    private function key(string $name): string
    {
        $key = $this->sim->passkey($name);
        Evidence::addSecret($key);
        return $key;
    }

    /** @return array{int, int, int} the client and its two services 'acme-one', 'acme-two' */
    private function twoServices(): array
    {
        $clientId = $this->whmcs->addClient();
        return [$clientId, $this->order($clientId, 'acme-one'), $this->order($clientId, 'acme-two')];
    }

    /** @return array<int, array<string, mixed>> the product fields named Pass Key of PRODUCT */
    private function productFields(int $productId): array
    {
        return array_filter(
            $this->whmcs->store()->customFields,
            fn (array $f): bool => $f['type'] === 'product' && (int) $f['relid'] === $productId
        );
    }

    private function passKeyIn(int $serviceId): string
    {
        return $this->whmcs->store()->serviceFieldValue($serviceId, 'Pass Key');
    }

    public function testEachServiceHoldsItsOwnKeyAndGetsItInItsWelcomeEmail(): void
    {
        [$clientId, $one, $two] = $this->twoServices();
        [$keyOne, $keyTwo] = [$this->key('acme-one'), $this->key('acme-two')];

        self::assertNotSame($keyOne, $keyTwo);
        self::assertSame($keyOne, $this->passKeyIn($one));
        self::assertSame($keyTwo, $this->passKeyIn($two));
        $fields = $this->productFields($this->productId);
        self::assertCount(1, $fields, 'one product field, made once for both services');
        $field = array_values($fields)[0];
        self::assertSame('Pass Key', $field['fieldname']);
        self::assertSame('password', $field['fieldtype']);
        self::assertSame('on', $field['adminonly'], 'clients do not see it in forms');
        $raw = $this->whmcs->store()->serviceFieldValues[$one][$field['id']];
        self::assertStringNotContainsString($keyOne, $raw, 'WHMCS keeps it encrypted');
        self::assertSame($keyOne, $this->whmcs->serviceParams($one)['customfields']['Pass Key'], 'in $params, by name');
        self::assertSame($keyTwo, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'), 'the latest');

        $emails = $this->whmcs->emails();
        self::assertCount(2, $emails);
        self::assertSame([$one, $two], [$emails[0]['relid'], $emails[1]['relid']]);
        self::assertSame("Key: [$keyOne]\n", $emails[0]['message']);
        self::assertSame("Key: [$keyTwo]\n", $emails[1]['message']);
        $this->assertNowhereLogged($keyOne);
        $this->assertNowhereLogged($keyTwo);
    }

    public function testResettingOneServicesKeyLeavesTheOthersEmailWithItsOwnKey(): void
    {
        [$clientId, $one, $two] = $this->twoServices();
        [$oldOne, $keyTwo] = [$this->key('acme-one'), $this->key('acme-two')];

        self::assertSame('success', $this->whmcs->adminScreens()->press($one, 'Reset Pass Key'));

        $newOne = $this->key('acme-one');
        self::assertNotSame($oldOne, $newOne);
        self::assertSame($newOne, $this->passKeyIn($one));
        self::assertSame($keyTwo, $this->passKeyIn($two), 'the other service is untouched');
        self::assertSame($newOne, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'), 'most recent');
        self::assertSame("Key: [$keyTwo]\n", $this->whmcs->sendEmail(self::TEMPLATE, $two)['message']);
        self::assertSame("Key: [$newOne]\n", $this->whmcs->sendEmail(self::TEMPLATE, $one)['message']);

        $this->whmcs->store()->setServiceField($two, (int) array_key_first($this->productFields($this->productId)), '');
        self::assertSame('success', $this->whmcs->adminScreens()->press($two, 'Store Pass Key Again'));
        self::assertSame($keyTwo, $this->passKeyIn($two));
        self::assertSame($keyTwo, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        foreach ([$oldOne, $newOne, $keyTwo] as $key) {
            $this->assertNowhereLogged($key);
        }
    }

    public function testWithSeveralServicesAServiceWithoutItsOwnKeyGetsNoneAndTheLogSaysWhy(): void
    {
        [, $one, $two] = $this->twoServices();
        $keyTwo = $this->key('acme-two');
        // The client field now holds service one's key: it must not reach service two's email.
        self::assertSame('success', $this->whmcs->adminScreens()->press($one, 'Reset Pass Key'));
        $keyOne = $this->key('acme-one');
        unset($this->whmcs->store()->serviceFieldValues[$two]);

        $email = $this->whmcs->sendEmail(self::TEMPLATE, $two);

        self::assertArrayNotHasKey('backup_pass_key', $email['mergefields'], 'never another service\'s key');
        self::assertSame("Key: []\n", $email['message']);
        $why = array_values(array_filter(
            $this->whmcs->activity(),
            fn (array $line): bool => str_contains($line['message'], 'backup_pass_key')
        ));
        self::assertCount(1, $why);
        self::assertStringContainsString(
            "service $two has no pass key in its own \"Pass Key\" field",
            $why[0]['message']
        );
        self::assertStringContainsString('Store Pass Key Again', $why[0]['message']);
        $this->assertNowhereLogged($keyOne);
        $this->assertNowhereLogged($keyTwo);
    }

    public function testAClientWithOneServiceWithoutItsOwnKeyGetsTheClientFieldsKey(): void
    {
        $clientId = $this->whmcs->addClient();
        $serviceId = $this->order($clientId, 'acme-single');
        $key = $this->key('acme-single');
        // As on an install from before the product field: the key only in the client field.
        unset($this->whmcs->store()->serviceFieldValues[$serviceId]);

        self::assertSame("Key: [$key]\n", $this->whmcs->sendEmail(self::TEMPLATE, $serviceId)['message']);
    }

    public function testAResellerServiceStoresNothing(): void
    {
        $clientId = $this->whmcs->addClient();
        $serviceId = $this->order($clientId, 'acme-cust');
        $key = $this->key('acme-cust');
        $reseller = $this->resellerProduct([Labels::PASS_KEY => 'on']);
        $this->order($clientId, 'Acme Key Resellers', $reseller);

        self::assertSame([], $this->productFields($reseller), 'no field on the reseller product');
        $clientKey = $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
        self::assertSame($key, $clientKey, 'client field untouched');
        self::assertSame($key, $this->passKeyIn($serviceId));
    }

    public function testAProductFieldOfAnotherTypeIsRefusedAndNotOverwritten(): void
    {
        $fieldId = $this->whmcs->addProductCustomField($this->productId, 'Pass Key', [
            'fieldtype' => 'dropdown',
            'fieldoptions' => 'Yes,No',
        ]);
        $before = $this->whmcs->store()->customFields[$fieldId];
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->productId, ['username' => 'acme-drop']);

        $result = $this->whmcs->acceptOrder($orderId);

        $this->key('acme-drop');
        self::assertNotNull($this->sim->customer('acme-drop'), 'the account is kept');
        self::assertStringContainsString('its pass key was not stored', $result);
        self::assertStringContainsString(
            "the custom field \"Pass Key\" of product #{$this->productId} is a dropdown field, "
                . 'which cannot hold a pass key',
            $result
        );
        self::assertStringContainsString('change its Field Type to Password', $result);
        self::assertSame($before, $this->whmcs->store()->customFields[$fieldId], 'the field is as it was');
        self::assertCount(1, $this->productFields($this->productId), 'no second field');
        self::assertSame([], $this->whmcs->store()->serviceFieldValues);
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'), 'nothing written');
    }

    public function testAFieldNameAsWhmcsStoresItIsFound(): void
    {
        $fieldId = $this->whmcs->addProductCustomField($this->productId, 'Pass&#x20;Key|Backup pass key', [
            'fieldtype' => 'password',
            'adminonly' => true,
        ]);
        $clientId = $this->whmcs->addClient();
        $serviceId = $this->order($clientId, 'acme-encoded');
        $key = $this->key('acme-encoded');

        self::assertCount(1, $this->productFields($this->productId), 'the existing field is used');
        self::assertSame($key, $this->whmcs->store()->serviceFieldShown($serviceId, $fieldId));
    }

    public function testTwoFieldsLeftByARaceAreReadAndWrittenAsOne(): void
    {
        // Two creates racing on a new product may each make the field; both then use the first.
        $first = $this->whmcs->addProductCustomField($this->productId, 'Pass Key', ['fieldtype' => 'password']);
        $second = $this->whmcs->addProductCustomField($this->productId, 'Pass Key', ['fieldtype' => 'password']);
        [, $one, $two] = $this->twoServices();

        self::assertSame($this->key('acme-one'), $this->whmcs->store()->serviceFieldShown($one, $first));
        self::assertSame($this->key('acme-two'), $this->whmcs->store()->serviceFieldShown($two, $first));
        self::assertSame('', $this->whmcs->store()->serviceFieldShown($one, $second));
        self::assertCount(2, $this->productFields($this->productId), 'no third');
    }

    public function testAStoredValueThatIsNotTextIsNeverMailed(): void
    {
        $fieldId = $this->whmcs->addProductCustomField($this->productId, 'Pass Key', ['adminonly' => true]);
        [, $one] = $this->twoServices();
        $this->key('acme-one');
        $this->key('acme-two');
        // An old install's Latin-1 bytes (or a hand edit) in the service's value.
        $this->whmcs->store()->serviceFieldValues[$one][$fieldId] = "K\xE4Y\xFF";

        $email = $this->whmcs->sendEmail(self::TEMPLATE, $one);

        self::assertArrayNotHasKey('backup_pass_key', $email['mergefields']);
        self::assertSame("Key: []\n", $email['message'], 'the email still goes out');
        $why = json_encode(array_column($this->whmcs->activity(), 'message'), JSON_INVALID_UTF8_SUBSTITUTE);
        self::assertStringContainsString('is not a pass key', $why);
    }
}
