<?php

/**
 * Hidden-case attack on issue 8, items 1 and 2, with cases the issue did not describe: keys that
 * are not UTF-8 in every module function (not only CreateAccount), in nested lists and in
 * email_merge_fields; a user name that is not UTF-8 (it travels in the Basic credential, so it is
 * never altered: refused by name, nothing sent); passwords with spaces at either end reach the
 * account as given (sgsim's `/_sim/login` proves it).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

/** @group glue */
final class OldInstallDataAttackTest extends ModuleTestCase
{
    /** Adds keys and values that are not UTF-8 at every level a WHMCS 8 `$params` has. */
    private static function spoil(array $params): array
    {
        $params["\xC0\xC1"] = ["\xF5" => ["\xFF\xFE" => "\x80"]];
        $params['configoptions']["Gr\xF6\xDFe"] = "10\xA0GB";
        $params['customfields']["Notiz \xE4"] = "\xE4\xF6\xFC";
        $params['customfields'][] = ["\xE9t\xE9", 5, ["\x9F" => null]];
        $params['clientsdetails']['customfields'][] = ['id' => 1, 'value' => "\xE8"];
        $params['clientsdetails']["\xDF"] = true;
        $params['model'] = null;
        return $params;
    }

    /** @return array<string, array{0: string}> */
    public static function stateChanges(): array
    {
        return [
            'suspend' => ['SuspendAccount'],
            'unsuspend' => ['UnsuspendAccount'],
            'terminate' => ['TerminateAccount'],
        ];
    }

    /** @dataProvider stateChanges */
    public function testNonUtf8KeysNeverCostAStateChange(string $function): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'latin-state');
        $this->assertCreated($serviceId, $result);
        $before = $this->sim->totalRequests();

        $answer = $this->whmcs->call($function, self::spoil($this->whmcs->serviceParams($serviceId)));

        self::assertSame('success', $answer);
        self::assertGreaterThan($before, $this->sim->totalRequests(), 'the server was asked');
        $active = $function === 'UnsuspendAccount';
        self::assertSame($active, $this->sim->customer('latin-state')['active']);
    }

    public function testNonUtf8KeysNeverCostTestConnection(): void
    {
        $params = self::spoil($this->whmcs->serviceParams($this->serviceOnAssignedServer('srv')));
        $params['serverhostname'] = $this->sim->host;

        $answer = $this->whmcs->call('TestConnection', $params);

        self::assertSame(['success' => true, 'error' => ''], $answer);
    }

    public function testANonUtf8ProductUserNameIsRefusedByNameAndNothingIsSent(): void
    {
        $productId = $this->customerProduct([Labels::USERNAME => "adm\xEDn"]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'latin-admin');

        self::assertStringContainsString(Labels::USERNAME, $result);
        self::assertStringContainsString('not UTF-8', $result);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing sent with an altered user name');
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testANonUtf8ServerUserNameIsRefusedByNameAndNothingIsSent(): void
    {
        $params = $this->whmcs->serviceParams($this->serviceOnAssignedServer('srv-user'));
        $params['serverusername'] = "r\xF6ot";

        $result = $this->whmcs->call('TestConnection', $params);

        self::assertFalse($result['success']);
        self::assertStringContainsString('Server Username', $result['error']);
        self::assertStringContainsString('not UTF-8', $result['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    /** @return array<string, array{0: string}> */
    public static function spacedPasswords(): array
    {
        return [
            'leading' => ['  Lead1ng-Spaces'],
            'trailing' => ['Tra1ling-Spaces   '],
            'both' => ['  Both-S1des  '],
            'only spaces' => ['        '],
        ];
    }

    /** @dataProvider spacedPasswords */
    public function testAServicePasswordWithOuterSpacesLogsInExactlyAsGiven(string $password): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'spaced-login']);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->whmcs->store()->services[$serviceId]['password'] = $password;

        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));

        self::assertTrue($this->login('spaced-login', $password), 'the password as given logs in');
        if (trim($password) !== '') {
            self::assertFalse($this->login('spaced-login', trim($password)), 'the trimmed one does not');
        }
    }

    public function testEmailMergeFieldsTakeNonUtf8KeysAndValues(): void
    {
        $vars = [
            'messagename' => "Willkommen \xFC",
            'relid' => 1,
            "\xFF\xFE" => ["\x80" => "\x81", 3 => [["\xE4"]]],
            'mergefields' => ["client_name\xA0" => "M\xFCller"],
        ];

        $fields = \SgWhmcs\email_merge_fields('sgtest', $vars);

        self::assertSame([], $fields);
    }

    public function testANonUtf8ServiceUserNameIsNotSentAltered(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'x']);
        $serviceId = $this->whmcs->orderService($orderId);
        $params = $this->whmcs->serviceParams($serviceId);
        $params['username'] = "M\xFCller";

        $result = $this->whmcs->call('CreateAccount', $params);

        // Either refused (the ü is no account name character) or sent decoded: never with U+FFFD.
        foreach (['customers', 'resellers'] as $collection) {
            $names = array_column($this->sim->expect(200, 'GET', '/api/v1/' . $collection)[$collection], 'name');
            foreach ($names as $name) {
                self::assertStringNotContainsString("\u{FFFD}", (string) $name);
            }
        }
        self::assertIsString($result);
    }

    public function testANonUtf8ServicePasswordNeverBlocksASuspend(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'old-password');
        $this->assertCreated($serviceId, $result);
        // An old install's service password: Suspend sends no password, so it must not care.
        $this->whmcs->store()->services[$serviceId]['password'] = "Gr\xFC\xDF";

        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer('old-password')['active']);
        self::assertSame('success', $this->whmcs->unsuspend($serviceId));
    }

    public function testANonUtf8ResellerNameIsNotSentAltered(): void
    {
        $productId = $this->customerProduct([Labels::RESELLER => "M\xFCller Reseller"]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'under-latin');

        self::assertNotSame('success', $result);
        self::assertStringContainsString(Labels::RESELLER, $result, $result);
        self::assertStringNotContainsString("\u{FFFD}", $result);
        self::assertNull($this->sim->customer('under-latin'));
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testALatin1ReportEmailReachesTheServerDecodedAsWindows1252(): void
    {
        $productId = $this->customerProduct([
            Labels::REPORT => 'on',
            Labels::REPORT_EMAIL => "m\xFCller@example.test",
        ]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'latin-mail');

        $this->assertCreated($serviceId, $result);
        self::assertSame(['müller@example.test'], $this->sim->customer('latin-mail')['consolidated_report']['emails']);
    }

    public function testAnAdminPasswordWithOuterSpacesIsSentAsGiven(): void
    {
        $spaced = $this->startSim(true, ['--password', '  Admin Spaced 1  ']);
        self::assertSame('  Admin Spaced 1  ', $spaced->password);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([], $spaced), 'admin-spaced');

        $this->assertCreated($serviceId, $result);
        self::assertNotNull($spaced->customer('admin-spaced'));
    }

    public function testAHugeNumberOfKeysInAStateChangeIsRefusedClearlyAndNothingIsSent(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'many-keys');
        $this->assertCreated($serviceId, $result);
        $params = $this->whmcs->serviceParams($serviceId);
        for ($i = 0; $i < 150000; $i++) {
            $params['customfields']["Feld\xE4$i"] = '';
        }
        $before = $this->sim->totalRequests();

        $answer = $this->whmcs->call('SuspendAccount', $params);

        self::assertStringStartsWith('$params is too large to read: more than 100000 values', $answer);
        self::assertStringContainsString('/customfields', $answer, 'where it was passed');
        self::assertLessThan(400, strlen($answer));
        self::assertSame($before, $this->sim->totalRequests(), 'nothing sent');
        self::assertTrue($this->sim->customer('many-keys')['active']);
    }

    private function login(string $name, string $password): bool
    {
        $answer = $this->sim->expect(
            200,
            'POST',
            '/_sim/login',
            ['kind' => 'customer', 'name' => $name, 'password' => $password]
        );
        return $answer['ok'] === true;
    }
}
