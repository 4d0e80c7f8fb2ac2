<?php

/**
 * Product custom fields as WHMCS 8 keeps them: a tblcustomfields row of type 'product' whose
 * relid is the product, one tblcustomfieldsvalues row per service (relid the SERVICE id); module
 * $params['customfields'] carries the service's values by field name (the part before `|`)
 * (https://developers.whmcs.com/provisioning-modules/module-parameters/); UpdateClientProduct
 * saves its `customfields` (base64 of a serialized [field id => value]) into the fields of the
 * service's product only (https://developers.whmcs.com/api-reference/updateclientproduct/); a
 * password field is stored encrypted. Each test fails against the old emulator, which kept
 * product fields as a list of names outside tblcustomfields.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Crypto;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;
use WHMCS\Database\Capsule;

final class ProductFieldsTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
    }

    public function testAProductFieldIsATblcustomfieldsRowOfItsProductWithAValuePerService(): void
    {
        $productId = $this->whmcs->addProduct('Backup', [], ['customfields' => ['Notes']]);
        $other = $this->whmcs->addProduct('Other');
        $fieldId = (int) Capsule::table('tblcustomfields')->where('type', 'product')
            ->where('relid', $productId)->where('fieldname', 'Notes')->value('id');
        $clientId = $this->whmcs->addClient();
        $choices = ['customfields' => ['Notes' => 'a & b']];
        $one = $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $productId, $choices));
        $two = $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $productId));

        self::assertGreaterThan(0, $fieldId);
        self::assertNull(Capsule::table('tblcustomfields')->where('type', 'product')
            ->where('relid', $other)->value('id'));
        self::assertSame('a &amp; b', Capsule::table('tblcustomfieldsvalues')->where('fieldid', $fieldId)
            ->where('relid', $one)->value('value'), 'relid is the service; stored HTML-encoded');
        self::assertNull(Capsule::table('tblcustomfieldsvalues')->where('fieldid', $fieldId)
            ->where('relid', $two)->value('value'));
        self::assertSame(['Notes' => 'a & b'], $this->whmcs->serviceParams($one)['customfields'], 'by name, decoded');
        self::assertSame(['Notes' => ''], $this->whmcs->serviceParams($two)['customfields']);
    }

    public function testParamsKeyAFieldByTheNameBeforeTheBarAndShowAPasswordFieldDecrypted(): void
    {
        $productId = $this->whmcs->addProduct('Backup');
        $fieldId = $this->whmcs->addProductCustomField(
            $productId,
            'Pass Key|Backup pass key',
            ['fieldtype' => 'password']
        );
        $serviceId = $this->whmcs->orderService($this->whmcs->placeOrder($this->whmcs->addClient(), $productId));

        $answer = localAPI('UpdateClientProduct', [
            'serviceid' => $serviceId,
            'customfields' => base64_encode(serialize([$fieldId => 'K7Q2SECRET'])),
        ]);

        self::assertSame('success', $answer['result']);
        $raw = (string) Capsule::table('tblcustomfieldsvalues')->where('fieldid', $fieldId)
            ->where('relid', $serviceId)->value('value');
        self::assertNotSame('K7Q2SECRET', $raw, 'stored encrypted');
        self::assertSame('K7Q2SECRET', Crypto::decrypt($raw));
        self::assertSame(['Pass Key' => 'K7Q2SECRET'], $this->whmcs->serviceParams($serviceId)['customfields']);
    }

    public function testUpdateClientProductSavesOnlyTheFieldsOfTheServicesProduct(): void
    {
        $productId = $this->whmcs->addProduct('Backup', [], ['customfields' => ['Notes']]);
        $other = $this->whmcs->addProduct('Other', [], ['customfields' => ['Elsewhere']]);
        $clientField = $this->whmcs->addClientCustomField('Pass Key');
        $clientId = $this->whmcs->addClient();
        $serviceId = $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $productId));
        $notes = (int) $this->whmcs->store()->productFieldId($productId, 'Notes');
        $elsewhere = (int) $this->whmcs->store()->productFieldId($other, 'Elsewhere');

        $answer = localAPI('UpdateClientProduct', [
            'serviceid' => $serviceId,
            'customfields' => base64_encode(serialize([$notes => 'kept', $elsewhere => 'no', $clientField => 'no'])),
        ]);

        self::assertSame('success', $answer['result']);
        self::assertSame('kept', $this->whmcs->store()->serviceFieldValue($serviceId, 'Notes'));
        self::assertSame([$serviceId => [$notes => 'kept']], $this->whmcs->store()->serviceFieldValues);
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'), 'not a client field');
        $bad = localAPI('UpdateClientProduct', ['serviceid' => $serviceId, 'customfields' => 'not base64 %%']);
        self::assertSame('error', $bad['result']);
    }

    public function testAModuleMayAddAProductFieldAndRemoveARowItJustMade(): void
    {
        $productId = $this->whmcs->addProduct('Backup');
        $row = ['type' => 'product', 'relid' => $productId, 'fieldname' => 'Pass Key', 'fieldtype' => 'password',
            'adminonly' => 'on'];
        $first = Capsule::table('tblcustomfields')->insertGetId($row);
        $second = Capsule::table('tblcustomfields')->insertGetId($row);

        Capsule::table('tblcustomfields')->where('id', $second)->delete();

        self::assertSame([$first => 'Pass Key'], $this->whmcs->store()->productFields($productId));
    }
}
