<?php

/**
 * CreateAccount on sites shaped like real WHMCS 8 installs, cases the other suites leave out:
 * required, regex-checked and admin-only required client fields together with a Pass Key field
 * an admin made as a Password field; every entity WHMCS's input encoding produces in the client's
 * details; usernames WHMCS already holds (an import) with random usernames and a domain; a
 * username the Backup Server would refuse; the Module Log switched off.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class RealInstallTest extends ModuleTestCase
{
    private const TEMPLATE = 'Backup Welcome Email';

    /** A strict site: what a hosting company typically has on its order form, and an admin-only one. */
    private function strictSite(): void
    {
        $this->whmcs->addClientCustomField('How did you find us?', ['required' => true, 'showorder' => true]);
        $this->whmcs->addClientCustomField('VAT number', [
            'regexpr' => '/^[A-Z]{2}[0-9]{8,12}$/',
            'required' => true,
            'showorder' => true,
        ]);
        $this->whmcs->addClientCustomField('Account manager', ['required' => true, 'adminonly' => true]);
    }

    /** @return array<string, array{bool}> whether the Pass Key field exists before the order */
    public function passKeyFieldExists(): array
    {
        return ['Pass Key field made by the admin as a Password field' => [true], 'no Pass Key field yet' => [false]];
    }

    /** @dataProvider passKeyFieldExists */
    public function testThePassKeyIsStoredAndMailedOnAStrictSite(bool $fieldExists): void
    {
        $this->strictSite();
        if ($fieldExists) {
            $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'password']);
        }
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $this->whmcs->loadHookFiles(ROOTDIR);
        $this->whmcs->editEmailTemplate(
            self::TEMPLATE,
            "Key: [{\$backup_pass_key}] WHMCS: [{\$client_custom_field_passkey}]"
        );
        $this->whmcs->setWelcomeEmail($productId, self::TEMPLATE);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'strict-site', [
            'customfields' => ['VAT number' => 'not a VAT', 'How did you find us?' => ''],
        ]);

        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('strict-site');
        Evidence::addSecret($passkey);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame('not a VAT', $this->whmcs->store()->clientFieldValue($clientId, 'VAT number'));
        $emails = $this->whmcs->emails();
        self::assertCount(1, $emails, 'the welcome email went out');
        self::assertSame("Key: [$passkey] WHMCS: [$passkey]", $emails[0]['message']);
    }

    public function testEveryEntityWhmcsProducesReachesTheServerDecoded(): void
    {
        $client = [
            'companyname' => 'Smith & Sons <"Backup"> \'Ltd\'',
            'firstname' => 'Zoë &amp;amp;',
            'lastname' => "O'Neil-&#233;",
            'email' => "o'neil+backup@smith-sons.test",
            'address1' => '1 <Main> & "High" St',
            'address2' => "Unit 'B'",
            'city' => "L'Aquila & Co",
            'phonenumber' => '555 & 0100',
        ];
        $productId = $this->customerProduct();
        $clientId = $this->whmcs->addClient($client);
        self::assertStringContainsString('&amp;', $this->whmcs->store()->client($clientId)['companyname']);
        $orderId = $this->whmcs->placeOrder($clientId, $productId);

        $result = $this->whmcs->acceptOrder($orderId);

        $serviceId = $this->whmcs->orderService($orderId);
        $this->assertCreated($serviceId, $result);
        $account = $this->sim->customer('Smith Sons Backup Ltd');
        self::assertNotNull($account, 'named after the company as typed, not after its entities');
        self::assertSame('Smith Sons Backup Ltd', $this->whmcs->service($serviceId)['username']);
        self::assertSame($client['companyname'], $account['contact']['company']);
        self::assertSame($client['firstname'], $account['contact']['first_name'], 'a typed entity stays');
        self::assertSame($client['lastname'], $account['contact']['last_name']);
        self::assertSame($client['email'], $account['contact']['email']);
        self::assertSame($client['address1'] . ', ' . $client['address2'], $account['contact']['address']);
        self::assertSame($client['city'], $account['contact']['city']);
        self::assertSame('success', $this->whmcs->suspend($serviceId), 'the stored name finds the account');
    }

    /** @return array<string, array{bool, string}> random usernames, service domain */
    public function usernameSettings(): array
    {
        return [
            'random usernames on' => [true, ''],
            'a domain' => [false, 'imported.example.com'],
            'both' => [true, 'imported.example.com'],
        ];
    }

    /** @dataProvider usernameSettings */
    public function testAUsernameWhmcsAlreadyHoldsIsTheAccountsNameAndKept(bool $random, string $domain): void
    {
        $this->whmcs->setting('GenerateRandomUsername', $random);
        $clientId = $this->whmcs->addClient(['companyname' => 'Imported Ltd']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), [
            'username' => 'legacy.user_01',
            'domain' => $domain,
        ]);

        $result = $this->whmcs->acceptOrder($orderId);

        $serviceId = $this->whmcs->orderService($orderId);
        $this->assertCreated($serviceId, $result);
        self::assertNotNull($this->sim->customer('legacy.user_01'));
        self::assertNull($this->sim->customer('Imported Ltd'));
        self::assertSame('legacy.user_01', $this->whmcs->service($serviceId)['username']);
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer('legacy.user_01')['active']);
    }

    /** @return array<string, array{string}> usernames the Backup Server refuses */
    public function refusedUsernames(): array
    {
        return [
            'a plus' => ['jane+backup'],
            'an apostrophe' => ["o'neil"],
            'an ampersand' => ['smith&sons'],
            'a slash' => ['acme/eu'],
        ];
    }

    /** @dataProvider refusedUsernames */
    public function testAUsernameTheServerRefusesIsNamedAndNothingIsSent(string $username): void
    {
        $productId = $this->customerProduct();

        [$serviceId, $result] = $this->orderAndAccept($productId, $username);

        self::assertStringContainsString('Username (service)', $result);
        self::assertStringContainsString($username, $result, 'the admin sees the username as typed');
        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent');
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testWithTheModuleLogOffEverythingStillWorks(): void
    {
        $this->whmcs->enableModuleLog(false);
        $this->whmcs->addClientCustomField('Pass Key');

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'no-log');

        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('no-log');
        Evidence::addSecret($passkey);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertSame('success', $this->whmcs->unsuspend($serviceId));
        self::assertSame('success', $this->whmcs->terminate($serviceId));
        self::assertSame('Terminated', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame([], $this->whmcs->moduleLog()->entries(), 'nothing was recorded');
    }

    /** @return array<string, array{string}> what clients type into a required company field */
    public function placeholderCompanies(): array
    {
        return ['a dash' => ['-'], 'a dot' => ['.'], 'dashes and a slash' => ['- / -']];
    }

    /** @dataProvider placeholderCompanies */
    public function testAPlaceholderCompanyCountsAsNoCompany(string $company): void
    {
        $clientId = $this->whmcs->addClient(['companyname' => $company, 'firstname' => 'Jane', 'lastname' => 'Doe']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct());

        $result = $this->whmcs->acceptOrder($orderId);

        $serviceId = $this->whmcs->orderService($orderId);
        $this->assertCreated($serviceId, $result);
        self::assertNotNull($this->sim->customer('Jane Doe'), 'named after the person');
        self::assertSame('Jane Doe', $this->whmcs->service($serviceId)['username']);
        self::assertSame($company, $this->sim->customer('Jane Doe')['contact']['company'], 'the contact as typed');
    }
}
