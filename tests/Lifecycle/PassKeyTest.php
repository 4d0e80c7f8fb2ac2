<?php

/**
 * Retrieve Customer Pass Key (field 23): after creating a customer, its pass key is read from the
 * Backup Server and stored in the client's custom field "Pass Key" (created when missing), and it
 * never appears in any log.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ModuleLog;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class PassKeyTest extends ModuleTestCase
{
    private const ROUTE = 'GET /customers/{name}/passkey';

    public function testThePassKeyIsStoredInTheClientsPassKeyField(): void
    {
        $this->whmcs->addClientCustomField('Notes');
        $fieldId = $this->whmcs->addClientCustomField('Pass Key');
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-key');
        $this->assertCreated($serviceId, $result);
        $clientId = $this->whmcs->service($serviceId)['userid'];

        $stored = $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
        Evidence::addSecret($stored);

        self::assertMatchesRegularExpression('/^[A-Z0-9]{16}$/', $stored);
        self::assertSame($this->sim->passkey('acme-key'), $stored);
        self::assertSame($fieldId, $this->whmcs->store()->clientFieldId('Pass Key'), 'the existing field is used');
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Notes'), 'other fields untouched');
    }

    public function testTheFieldIsCreatedAdminOnlyWhenMissing(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-new');
        $this->assertCreated($serviceId, $result);
        $clientId = $this->whmcs->service($serviceId)['userid'];

        $fieldId = $this->whmcs->store()->clientFieldId('Pass Key');
        $stored = $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
        Evidence::addSecret($stored);

        self::assertNotNull($fieldId, 'the client custom field "Pass Key" was created');
        self::assertSame('client', $this->whmcs->store()->customFields[$fieldId]['type']);
        self::assertSame('on', $this->whmcs->store()->customFields[$fieldId]['adminonly']);
        self::assertSame($this->sim->passkey('acme-new'), $stored);
    }

    public function testThePassKeyIsScrubbedFromTheModuleLog(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-log');
        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('acme-log');
        Evidence::addSecret($passkey);

        $scrubbed = false;
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            foreach (['request', 'response', 'processed'] as $part) {
                self::assertStringNotContainsString($passkey, $entry[$part]);
                self::assertStringNotContainsString($passkey, ModuleLog::render($entry['raw'][$part]));
            }
            $scrubbed = $scrubbed || in_array($passkey, (array) $entry['raw']['replaceVars'], true);
        }
        self::assertTrue($scrubbed, 'the pass key is handed to WHMCS in $replaceVars');
    }

    public function testWhenOffNoPassKeyIsReadOrStored(): void
    {
        $this->whmcs->addClientCustomField('Pass Key');
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => '']), 'acme-off');
        $this->assertCreated($serviceId, $result);

        self::assertArrayNotHasKey(self::ROUTE, $this->sim->stats()['routes']);
        $clientId = $this->whmcs->service($serviceId)['userid'];
        self::assertSame('', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
    }

    public function testAResellerHasNoPassKey(): void
    {
        $productId = $this->resellerProduct([Labels::PASS_KEY => 'on']);
        [$serviceId, $result] = $this->orderAndAccept($productId, 'Acme Key Resellers');
        $this->assertCreated($serviceId, $result);

        self::assertArrayNotHasKey(self::ROUTE, $this->sim->stats()['routes']);
        self::assertNull($this->whmcs->store()->clientFieldId('Pass Key'));
    }
}
