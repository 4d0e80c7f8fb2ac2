<?php

/**
 * The Server Sync tool (https://developers.whmcs.com/provisioning-modules/server-sync):
 * ListAccounts' answer is checked key by key, accounts are matched to the server's services by
 * MetaData `ListAccountsUniqueIdentifierField` (`username` here), new ones can be imported with the
 * product named by `ListAccountsProductField` (`configoption1`), and nothing is provisioned.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use WHMCS\Service\Status;

final class ServerSyncTest extends BillingTestCase
{
    /** @return array<string, string> one account as the sample module lists it */
    private static function account(string $username, string $status = Status::ACTIVE): array
    {
        return [
            'email' => "$username@example.test",
            'username' => $username,
            'domain' => '',
            'uniqueIdentifier' => $username,
            'product' => 'gold',
            'primaryip' => '',
            'created' => '2025-06-01 10:20:30',
            'status' => $status,
        ];
    }

    public function testMatchedImportableAndMissingAccounts(): void
    {
        $alice = $this->service('alice');
        $gone = $this->service('gone');
        FakeModule::$answers['ListAccounts'] = [
            'success' => true,
            'accounts' => [self::account('ALICE'), self::account('newbie', Status::SUSPENDED)],
        ];

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertSame('', $sync['error']);
        self::assertSame(['ALICE' => $alice], $sync['matched']);
        self::assertSame(['newbie'], $sync['importable']);
        self::assertSame([$gone], $sync['missing']);
        $params = FakeModule::callsOf('ListAccounts')[0]['params'];
        self::assertSame($this->serverId, $params['serverid']);
        self::assertArrayNotHasKey('serviceid', $params);
    }

    public function testImportMakesTheServiceOfTheProductNamedByListAccountsProductField(): void
    {
        $silver = $this->whmcs->addProduct('Silver', ['Plan' => 'silver'], ['servers' => [$this->serverId]]);
        $newbie = self::account('newbie', Status::SUSPENDED);
        $newbie['product'] = 'silver';
        FakeModule::$answers['ListAccounts'] = ['success' => true, 'accounts' => [$newbie]];
        $this->whmcs->serverSync($this->serverId);

        $serviceId = $this->whmcs->importAccount($this->serverId, 'newbie', $this->clientId);

        $service = $this->whmcs->service($serviceId);
        self::assertSame($silver, $service['packageid']);
        self::assertSame('newbie', $service['username']);
        self::assertSame('Suspended', $service['domainstatus']);
        self::assertSame('2025-06-01', $service['regdate']);
        self::assertSame([], FakeModule::callsOf('CreateAccount'), 'an import provisions nothing');
        self::assertSame(['newbie' => $serviceId], $this->whmcs->serverSync($this->serverId)['matched']);
    }

    /** @return array<string, array{0: mixed, 1: string}> */
    public static function badAnswers(): array
    {
        $missing = self::account('a');
        unset($missing['uniqueIdentifier']);
        $date = self::account('a');
        $date['created'] = '2025-06-01T10:20:30Z';
        $status = self::account('a');
        $status['status'] = 'active';
        $number = self::account('a');
        $number['product'] = 7;
        return [
            'a string' => ['success', 'boolean "success"'],
            'no success' => [['accounts' => []], 'boolean "success"'],
            'accounts not a list' => [['success' => true, 'accounts' => ['a' => self::account('a')]], 'as a list'],
            'a key missing' => [['success' => true, 'accounts' => [$missing]], 'accounts[0] lacks "uniqueIdentifier"'],
            'an ISO date' => [['success' => true, 'accounts' => [$date]], 'is not Y-m-d H:i:s'],
            'a lowercase status' => [['success' => true, 'accounts' => [$status]], 'not a WHMCS\Service\Status value'],
            'a number' => [['success' => true, 'accounts' => [$number]], 'accounts[0][product] is int'],
            'a failure without error' => [['success' => false], 'without an "error" string'],
            'twice' => [['success' => true, 'accounts' => [self::account('a'), self::account('A')]], 'listed twice'],
        ];
    }

    /** @dataProvider badAnswers */
    public function testAnAnswerOfAnotherShapeIsRefused(mixed $answer, string $message): void
    {
        FakeModule::$answers['ListAccounts'] = $answer;

        $this->expectException(\UnexpectedValueException::class);
        $this->expectExceptionMessage($message);
        $this->whmcs->serverSync($this->serverId);
    }

    public function testAFailureShowsTheModulesError(): void
    {
        FakeModule::$answers['ListAccounts'] = ['success' => false, 'error' => 'Backup Server unreachable'];

        self::assertSame('Backup Server unreachable', $this->whmcs->serverSync($this->serverId)['error']);
    }
}
