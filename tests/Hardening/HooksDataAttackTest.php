<?php

/**
 * Hidden-case attack on issue 8, items 1, 2, 8 and 9 through whmcsHooks.php, with cases the issue
 * did not describe: a hooks file whose `$userName` is not UTF-8 (part of the Basic credential:
 * refused by name, nothing sent), keys that are not UTF-8 in the hook's `$vars` and in the hooks
 * file's policy, a client password with spaces at either end (logs in exactly as given), and
 * `$vars` with a huge number of keys or deep nesting (a clear message, WHMCS never interrupted).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\CapturesErrorLog;
use SgWhmcs\Tests\Hooks\HooksTestCase;

/** @group glue */
final class HooksDataAttackTest extends HooksTestCase
{
    use CapturesErrorLog;

    public function testANonUtf8UserNameInTheHooksFileIsRefusedByNameAndNothingIsSent(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['userName' => "adm\xEDn"]);

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported('ClientAdd', $clientId, '/\$userName: is not UTF-8/');
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testNonUtf8KeysInHookVarsNeverCostTheAccount(): void
    {
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $vars = [
            'client_id' => $clientId,
            "\xC4nderung" => ["\xFF" => "\xFE", 7 => ["\x80" => [null, 1.5, true]]],
            'customfields' => ["Kundennr.\xA0" => "\xE4"],
            'firstname' => 'Jane',
            'lastname' => 'Doe',
            'companyname' => 'Latin Keys AG',
            'email' => 'latin.keys@example.test',
            'password' => '',
        ];
        $config = $this->config() + ["\xDCberfl\xFCssig" => "\xE9"];

        $answer = $this->signup('reseller', $vars, $config);

        self::assertStringContainsString('is on the Backup Server', $answer);
        self::assertNotNull($this->sim->reseller('Latin Keys AG'));
    }

    public function testAClientPasswordWithOuterSpacesLogsInExactlyAsGiven(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller');
        $password = '  Spaced Out 99  ';

        [$clientId] = $this->fire('ClientAdd', ['password' => $password] + self::CLIENT, true);

        $this->assertSuccessReported('ClientAdd', $clientId, 'reseller', 'Acme Widgets');
        self::assertTrue($this->login('reseller', 'Acme Widgets', $password));
        self::assertFalse($this->login('reseller', 'Acme Widgets', trim($password)));
    }

    public function testHookVarsWithAMillionKeysAreRefusedClearlyAndQuickly(): void
    {
        $vars = ['client_id' => 1];
        for ($i = 0; $i < 1000000; $i++) {
            $vars["k$i"] = $i;
        }

        // Refused at the bound (100,000 values), not read whole: the answer says so. (No timing
        // is asserted: tests never depend on the machine's speed.)
        $answer = $this->signup('customer', $vars, $this->config());

        self::assertStringStartsWith('sgwhmcs hooks: no account was created: ', $answer);
        self::assertStringContainsString('$vars', $answer);
        self::assertLessThan(600, strlen($answer), 'a short message');
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testDeeplyNestedHookVarsNeverCrash(): void
    {
        $deep = 'bottom';
        for ($i = 0; $i < 5000; $i++) {
            $deep = [$deep];
        }
        $clientId = $this->whmcs->addClient(self::CLIENT);

        $answer = $this->signup('customer', ['client_id' => $clientId, 'deep' => $deep], $this->config());

        // Either too deep to be read (said so) or read with the depth cut: never a crash.
        self::assertNotSame('', $answer);
        self::assertLessThan(600, strlen($answer), 'a short message');
    }

    public function testAHooksFileMistakeNamesTheVariableToFix(): void
    {
        $config = ['port' => '99999', 'protocal' => 'ftp', 'serverName' => 'backup server'] + $this->config();

        $answer = $this->signup('customer', ['client_id' => 1], $config);

        self::assertStringContainsString('$protocal: "ftp" is not one of: https, http', $answer);
        self::assertStringContainsString('$serverName: "backup server" must not contain spaces', $answer);
        self::assertStringContainsString('$port: "99999" is not a port number', $answer);
        self::assertStringNotContainsString('WebConsole Port', $answer, 'no module label for a hooks variable');
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testAWrongLoginInTheHooksFileNamesItsVariables(): void
    {
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $config = ['loginPassword' => 'not-the-password'] + $this->config();

        $answer = $this->signup('customer', ['client_id' => $clientId], $config);

        self::assertStringContainsString('AUTH_FAILED', $answer);
        self::assertStringContainsString('$userName', $answer);
        self::assertStringContainsString('$loginPassword', $answer);
    }

    public function testASelfSignedServerWithoutAPinNamesTheHooksVariable(): void
    {
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $config = ['certificateSha256' => ''] + $this->config();

        $answer = $this->signup('customer', ['client_id' => $clientId], $config);

        self::assertStringContainsString('$certificateSha256 at the top of whmcsHooks.php', $answer);
        self::assertStringNotContainsString('"Server Certificate SHA-256"', $answer);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testTheClientAddHookAndTheModuleMakeTwoAccountsThatStayApart(): void
    {
        // ClientAdd: AcceptOrder makes no account for an order of the module (ModuleOrdersTest).
        $this->installHooks('ClientAdd', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);

        self::assertSame('success', $this->whmcs->acceptOrder($orderId));

        $serviceId = $this->whmcs->orderService($orderId);
        $install = (string) $this->whmcs->store()->setting('SgWhmcsInstallId');
        $byReference = [];
        foreach ($this->sim->expect(200, 'GET', '/api/v1/customers')['customers'] as $account) {
            $byReference[(string) $account['reference']][] = $account['name'];
        }
        $serviceAccounts = $byReference["whmcs:$install:service:$serviceId"] ?? [];
        $clientAccounts = $byReference["whmcs:$install:client:$clientId"] ?? [];
        self::assertCount(1, $serviceAccounts, 'one account for the service');
        self::assertCount(1, $clientAccounts, 'one account for the client, made by the hook');
        self::assertNotSame($serviceAccounts[0], $clientAccounts[0]);
        self::assertSame($serviceAccounts[0], $this->whmcs->service($serviceId)['username']);

        // Suspending the service leaves the hook's account alone.
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer($serviceAccounts[0])['active']);
        self::assertTrue($this->sim->customer($clientAccounts[0])['active']);
    }

    /**
     * Calls the extension's hook function as a hook WHMCS runs (so the emulator knows which call
     * logged what, for the secrets suite), with VARS and CONFIG of this test's choosing.
     *
     * @param array<mixed> $vars
     * @param array<mixed> $config
     */
    private function signup(string $kind, array $vars, array $config): string
    {
        $this->whmcs->knowHookSecret((string) ($config['loginPassword'] ?? ''));
        $this->whmcs->knowHookSecret($this->sim->password);
        $point = 'SgWhmcsAttack' . bin2hex(random_bytes(4));
        $this->whmcs->hooks()->add(
            $point,
            1,
            fn (array $given): string => \SgWhmcs\hook_signup($kind, $given, $config)
        );
        $returned = $this->whmcs->runHooks($point, $vars);
        self::assertCount(1, $returned);
        return (string) $returned[0];
    }

    /** @return array<string, mixed> a hooks file's configuration reaching the shared simulator */
    private function config(): array
    {
        return [
            'protocal' => $this->sim->scheme,
            'serverName' => $this->sim->host,
            'port' => (string) $this->sim->port,
            'userName' => $this->sim->user,
            'loginPassword' => $this->sim->password,
            'certificateSha256' => (string) $this->sim->sha256,
            'policy' => ['Storage Allotted' => '107374182400', 'Is Auto MCAL' => 'on'],
        ];
    }
}
