<?php

/**
 * whmcs_error.log lives in the admin folder, which the web server serves: a failing hook writes
 * only ids and the reason there (no names, e-mail, company, address, phone, nor the account
 * names made from them), while the Activity Log, inside WHMCS, keeps the whole message. When the
 * folder is not writable (often so), the failure still reaches the Activity Log and nothing
 * throws into WHMCS.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\WhmcsTree;

/** @group glue */
final class ErrorLogTest extends HooksTestCase
{
    private const PERSON = [
        'firstname' => 'Maximilian',
        'lastname' => 'Privatperson',
        'companyname' => 'Privatperson Holdings',
        'email' => 'max@privat.test',
        'address1' => '77 Hidden Lane',
        'city' => 'Geheimstadt',
        'postcode' => '99999',
        'phonenumber' => '5559876',
    ] + self::CLIENT;

    protected function tearDown(): void
    {
        WhmcsTree::makeAdminFolderWritable(ROOTDIR);
        parent::tearDown();
    }

    public function testTheFileHoldsIdsAndTheReasonButNoPersonalData(): void
    {
        $this->sim->createDirectly('resellers', [
            'name' => 'Privatperson Holdings',
            'contact' => ['email' => 'someone@else.test'],
            'storage' => ['allotted_bytes' => 1024],
        ]);
        $this->sim->createDirectly('resellers', [
            'name' => 'Privatperson Holdings-' . ($this->nextClientId()),
            'contact' => ['email' => 'someone@else.test'],
            'storage' => ['allotted_bytes' => 1024],
        ]);
        $this->installHooks('ClientAdd', 'SGSignupReseller');

        [$clientId] = $this->fire('ClientAdd', self::PERSON);

        $full = $this->assertFailureReported('ClientAdd', $clientId, '/Privatperson Holdings-\d+" is already taken/');
        $line = $this->newErrorLines()[0];
        self::assertStringContainsString(
            "ClientAdd client $clientId: Could not create reseller: the name \"[client data]\" is already taken",
            $line
        );
        self::assertNoPersonalData($line, self::PERSON);
        self::assertStringContainsString('Privatperson Holdings', $full, 'the Activity Log keeps the name');
    }

    public function testAnUnwritableAdminFolderStillReachesTheActivityLogAndNothingThrows(): void
    {
        WhmcsTree::makeAdminFolderUnwritable(ROOTDIR);
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['loginPassword' => 'Wr0ng-Admin-Pass']);

        [$clientId] = $this->fire('ClientAdd', self::PERSON);

        $activity = $this->hookActivity();
        self::assertCount(1, $activity, 'one Activity Log line');
        self::assertSame($clientId, $activity[0]['clientId']);
        self::assertMatchesRegularExpression(
            '/^sgwhmcs ClientAdd failed: .*AUTH_FAILED.* \(and whmcs_error\.log could not be written: .+\)$/',
            $activity[0]['message']
        );
        self::assertStringNotContainsString('Wr0ng-Admin-Pass', $activity[0]['message']);
        self::assertFalse(is_file(self::errorLogPath()), 'nothing was written');
    }

    /** The id the next client will get. */
    private function nextClientId(): int
    {
        return max(array_merge([0], array_keys($this->whmcs->store()->clients))) + 1;
    }
}
