<?php

/**
 * The Server Sync tool (https://developers.whmcs.com/provisioning-modules/server-sync,
 * https://docs.whmcs.com/servers/sync-accounts): ListAccounts' answer is checked key by key,
 * accounts are matched to the server's services by MetaData `ListAccountsUniqueIdentifierField`
 * (`username` here), a match is exact (green) only when identifier, primary IP, product, username,
 * status and creation date agree; an import offers no choice: the client by e-mail else "Name
 * Placeholder", the FIRST product whose `ListAccountsProductField` (`configoption1`) column equals
 * the account's product else a new hidden free product (observed in WHMCS 8.12, not documented;
 * modelled strict), and nothing is provisioned.
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

    /**
     * Green only when everything agrees (https://docs.whmcs.com/servers/sync-accounts: "highlights
     * differences in red and highlights exact matches in green"): the primary IP is the service's
     * dedicated IP, else its server's; the date is the service's registration date.
     */
    public function testARowIsExactOnlyWhenIdentifierIpProductUsernameStatusAndDateAgree(): void
    {
        $alice = $this->service('alice');
        $bob = $this->service('bob');
        $this->whmcs->store()->servers[$this->serverId]['ipaddress'] = '192.0.2.10';
        $this->whmcs->store()->services[$bob]['dedicatedip'] = '198.51.100.9';
        $today = $this->whmcs->service($alice)['regdate'];
        $exactAlice = ['primaryip' => '192.0.2.10', 'created' => "$today 23:59:59"] + self::account('alice');
        $exactBob = ['primaryip' => '198.51.100.9', 'created' => "$today 00:00:00"] + self::account('bob');
        FakeModule::$answers['ListAccounts'] = ['success' => true, 'accounts' => [$exactAlice, $exactBob]];

        $sync = $this->whmcs->serverSync($this->serverId);

        self::assertSame(['alice', 'bob'], $sync['exact']);
        self::assertSame([], $sync['differs']);

        $cases = [
            'uniqueIdentifier' => ['uniqueIdentifier' => 'ALICE'],
            'primaryip' => ['primaryip' => ''],
            'product' => ['product' => 'silver'],
            'username' => ['username' => 'alice2'],
            'status' => ['status' => Status::SUSPENDED],
            'created' => ['created' => '2025-06-01 10:20:30'],
        ];
        foreach ($cases as $field => $change) {
            FakeModule::$answers['ListAccounts'] = ['success' => true, 'accounts' => [$change + $exactAlice]];

            $sync = $this->whmcs->serverSync($this->serverId);

            self::assertSame([], $sync['exact'], $field);
            $red = array_values($sync['differs'])[0] ?? [];
            self::assertCount(1, $red, $field);
            self::assertStringStartsWith("$field: ", $red[0]);
        }
    }

    public function testImportTakesTheClientByEmailAndTheFirstProductWithThatField(): void
    {
        $silver = $this->whmcs->addProduct('Silver', ['Plan' => 'silver'], ['servers' => [$this->serverId]]);
        $this->whmcs->addProduct('Silver too', ['Plan' => 'silver'], ['servers' => [$this->serverId]]);
        $owner = $this->whmcs->addClient(['email' => 'Owner@Example.test']);
        $newbie = self::account('newbie', Status::SUSPENDED);
        $newbie['product'] = 'silver';
        $newbie['email'] = 'owner@example.TEST';
        FakeModule::$answers['ListAccounts'] = ['success' => true, 'accounts' => [$newbie]];
        $this->whmcs->serverSync($this->serverId);
        $clients = count($this->whmcs->store()->clients);

        $serviceId = $this->whmcs->importAccount($this->serverId, 'newbie');

        $service = $this->whmcs->service($serviceId);
        self::assertSame($silver, $service['packageid'], 'the first product (lowest id) of that field');
        self::assertSame($owner, $service['userid'], 'the client whose e-mail it is, case-insensitively');
        self::assertCount($clients, $this->whmcs->store()->clients, 'no client made');
        self::assertSame('newbie', $service['username']);
        self::assertSame('Suspended', $service['domainstatus']);
        self::assertSame('2025-06-01', $service['regdate']);
        self::assertSame([], FakeModule::callsOf('CreateAccount'), 'an import provisions nothing');
        self::assertSame(['newbie' => $serviceId], $this->whmcs->serverSync($this->serverId)['matched']);
    }

    public function testImportWithoutAClientOrProductMakesNamePlaceholderAndAHiddenFreeProduct(): void
    {
        $stray = self::account('stray');
        $stray['product'] = 'platinum & <b>more</b>';
        $stray['email'] = 'nobody@example.test';
        FakeModule::$answers['ListAccounts'] = ['success' => true, 'accounts' => [$stray]];
        $this->whmcs->serverSync($this->serverId);
        $products = array_keys($this->whmcs->store()->products);

        $serviceId = $this->whmcs->importAccount($this->serverId, 'stray');

        $service = $this->whmcs->service($serviceId);
        $client = $this->whmcs->store()->client($service['userid']);
        self::assertNotSame($this->clientId, $service['userid']);
        self::assertSame(['Name', 'Placeholder', 'nobody@example.test'], [$client['firstname'], $client['lastname'],
            $client['email']]);
        self::assertNotContains($service['packageid'], $products, 'a new product');
        $product = $this->whmcs->store()->product($service['packageid']);
        self::assertSame([1, 'free', FakeModule::BILLING], [$product['hidden'], $product['paytype'],
            $product['servertype']]);
        self::assertSame('platinum &amp; &lt;b&gt;more&lt;/b&gt;', $product['configoption1'], 'stored as WHMCS stores');
        self::assertSame(['stray'], $this->whmcs->serverSync($this->serverId)['exact'], 'now it matches exactly');
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
