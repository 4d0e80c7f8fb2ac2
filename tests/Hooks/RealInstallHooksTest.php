<?php

/**
 * The hooks on sites shaped like real WHMCS 8 installs, cases the other hook suites leave out:
 * required, regex-checked and admin-only required client fields with the Pass Key field present
 * (as a Password field) or not yet; every entity WHMCS's input encoding produces in each field
 * the account takes, through ClientAdd `$vars` and through GetOrders / GetClientsDetails; the
 * Module Log switched off.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\EchoServer;
use SgWhmcs\Tests\Support\Labels;

final class RealInstallHooksTest extends HooksTestCase
{
    /** Every character WHMCS encodes, a typed entity, and a double-encoded one, in each field. */
    private const ENCODED_CLIENT = [
        'companyname' => 'Smith & Sons <"Backup"> \'Ltd\'',
        'firstname' => 'Zoë &amp;amp;',
        'lastname' => "O'Neil-&#233;",
        'email' => "o'neil+backup@smith-sons.test",
        'address1' => '1 <Main> & "High" St',
        'address2' => "Unit 'B'",
        'city' => "L'Aquila & Co",
        'postcode' => '<62701>',
    ] + self::CLIENT;

    /** @return array<string, array{string, bool}> hook point, Pass Key field present first */
    public function pointsAndFields(): array
    {
        return [
            'ClientAdd, Password-type Pass Key field' => ['ClientAdd', true],
            'ClientAdd, no Pass Key field yet' => ['ClientAdd', false],
            'AcceptOrder, Password-type Pass Key field' => ['AcceptOrder', true],
            'AcceptOrder, no Pass Key field yet' => ['AcceptOrder', false],
        ];
    }

    /** @dataProvider pointsAndFields */
    public function testThePassKeyIsStoredOnAStrictSite(string $point, bool $fieldExists): void
    {
        $this->whmcs->addClientCustomField('How did you find us?', ['required' => true, 'showorder' => true]);
        $this->whmcs->addClientCustomField('VAT number', [
            'regexpr' => '/^[A-Z]{2}[0-9]{8,12}$/',
            'required' => true,
            'showorder' => true,
        ]);
        $this->whmcs->addClientCustomField('Account manager', ['required' => true, 'adminonly' => true]);
        if ($fieldExists) {
            $this->whmcs->addClientCustomField('Pass Key', ['fieldtype' => 'password']);
        }
        $this->installHooks($point, 'SGSignupCustomer', [Labels::PASS_KEY => 'on']);

        [$clientId] = $this->fire($point, self::CLIENT + ['customfields' => ['VAT number' => 'not a VAT']]);

        $passkey = $this->sim->passkey('Acme Widgets');
        Evidence::addSecret($passkey);
        self::assertSame($passkey, $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        $fieldId = (int) $this->whmcs->store()->clientFieldId('Pass Key');
        if ($fieldExists) {
            $raw = (string) $this->whmcs->store()->clientFieldValues[$clientId][$fieldId];
            self::assertStringNotContainsString($passkey, $raw, 'WHMCS keeps a Password field encrypted');
        } else {
            self::assertSame('on', $this->whmcs->store()->customFields[$fieldId]['adminonly']);
        }
        self::assertSame('not a VAT', $this->whmcs->store()->clientFieldValue($clientId, 'VAT number'));
        $this->assertSuccessReported($point, $clientId, 'customer', 'Acme Widgets');
    }

    /** @return array<string, array{string}> */
    public function points(): array
    {
        return ['ClientAdd' => ['ClientAdd'], 'AcceptOrder' => ['AcceptOrder']];
    }

    /** @dataProvider points */
    public function testEveryEntityIsDecodedOnceInEveryField(string $point): void
    {
        $this->installHooks($point, 'SGSignupCustomer');

        [$clientId] = $this->fire($point, self::ENCODED_CLIENT);

        $account = $this->sim->customer('Smith Sons Backup Ltd');
        self::assertNotNull($account, 'named after the company as typed');
        $contact = $account['contact'];
        self::assertSame(self::ENCODED_CLIENT['companyname'], $contact['company']);
        self::assertSame(self::ENCODED_CLIENT['firstname'], $contact['first_name']);
        self::assertSame(self::ENCODED_CLIENT['lastname'], $contact['last_name']);
        self::assertSame(self::ENCODED_CLIENT['email'], $contact['email']);
        self::assertSame(
            self::ENCODED_CLIENT['address1'] . ', ' . self::ENCODED_CLIENT['address2'],
            $contact['address']
        );
        self::assertSame(self::ENCODED_CLIENT['city'], $contact['city']);
        self::assertSame(self::ENCODED_CLIENT['postcode'], $contact['postcode']);
        $this->assertSuccessReported($point, $clientId, 'customer', 'Smith Sons Backup Ltd');
    }

    /** @dataProvider points */
    public function testWithTheModuleLogOffTheHookStillWorks(string $point): void
    {
        $this->whmcs->enableModuleLog(false);
        $this->installHooks($point, 'SGSignupReseller');

        [$clientId] = $this->fire($point);

        self::assertNotNull($this->sim->reseller('Acme Widgets'));
        $this->assertSuccessReported($point, $clientId, 'reseller', 'Acme Widgets');
        self::assertSame([], $this->whmcs->moduleLog()->entries());
    }

    public function testAClientAddedThroughTheApiKeepsItsPasswordWithEntities(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller');
        $password = 'a&b<c>"d\'e&amp;f';
        Evidence::addSecret($password);

        $this->fire('ClientAdd', ['password' => $password] + self::CLIENT, true);

        self::assertTrue($this->login('reseller', 'Acme Widgets', $password), 'the password as typed');
    }

    /** @dataProvider points */
    public function testAHookOverPlainHttpWarnsTheAdminInItsActivityLogLine(string $point): void
    {
        $this->whmcs->enableModuleLog(false);
        $plain = $this->startSim(false);
        $this->installHooks($point, 'SGSignupReseller', [], [], $plain);

        [$clientId] = $this->fire($point);

        self::assertNotNull($plain->reseller('Acme Widgets'));
        $this->assertSuccessReported($point, $clientId, 'reseller', 'Acme Widgets');
        $line = $this->hookActivity()[0]['message'];
        self::assertStringContainsString('travel in clear', $line);
        self::assertStringContainsString("$plain->host:$plain->port", $line);
        self::assertStringNotContainsString($plain->password, $line);
    }

    /** @dataProvider points */
    public function testAHookOverHttpsHasNoWarning(string $point): void
    {
        $this->installHooks($point, 'SGSignupReseller');

        $this->fire($point);

        self::assertStringNotContainsString('travel in clear', $this->hookActivity()[0]['message']);
    }

    public function testAUserIdIsNeverTakenForAClientId(): void
    {
        // WHMCS 8's ClientAdd passes the User (login) id as `user_id`, a different number from the
        // client's (tests/Whmcs/ClientAddTest.php): without `client_id` and `userid` the hook
        // cannot know the client, and client USER_ID's number may be another client's.
        $other = $this->whmcs->addClient(['companyname' => 'Other Client'] + self::CLIENT);
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [Labels::PASS_KEY => 'on']);
        $vars = ['user_id' => $other] + self::CLIENT;

        $this->whmcs->runHooks('ClientAdd', $vars);

        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent');
        self::assertSame('', $this->whmcs->store()->clientFieldValue($other, 'Pass Key'));
        $activity = $this->hookActivity();
        self::assertCount(1, $activity);
        self::assertStringContainsString('no client_id', $activity[0]['message']);
    }

    /** @dataProvider points */
    public function testAPlaceholderCompanyCountsAsNoCompany(string $point): void
    {
        $this->installHooks($point, 'SGSignupReseller');

        [$clientId] = $this->fire($point, ['companyname' => '-'] + self::CLIENT);

        self::assertNotNull($this->sim->reseller('Jane Doe'), 'named after the person');
        self::assertNull($this->sim->reseller('-'));
        $this->assertSuccessReported($point, $clientId, 'reseller', 'Jane Doe');
    }

    /** @return array<string, array{string}> echo-router.php modes that quote the body sent */
    public function echoes(): array
    {
        return [
            'the body quoted in JSON' => ['quote-body'],
            'the body re-encoded by PHP' => ['reencode-body'],
            'the body HTML-escaped' => ['html'],
        ];
    }

    /** @dataProvider echoes */
    public function testAServerQuotingTheContactPutsNoFormOfItInTheErrorLog(string $mode): void
    {
        // whmcs_error.log is in a web-served folder: a server (or proxy) that quotes the request
        // must not get the client's details into it, whatever escaping the quote uses.
        $echo = EchoServer::start($mode);
        try {
            $this->installHooks('ClientAdd', 'SGSignupCustomer', [], [
                'protocal' => 'http',
                'serverName' => $echo->host,
                'port' => (string) $echo->port,
                'certificateSha256' => '',
            ]);

            $this->whmcs->addClient(self::ENCODED_CLIENT);
        } finally {
            $echo->stop();
        }

        $lines = $this->newErrorLines();
        self::assertCount(1, $lines);
        foreach (['Smith', 'Sons', 'Neil', 'Aquila', 'Main', 'High', 'smith-sons', 'Unit', '62701'] as $part) {
            self::assertStringNotContainsString($part, $lines[0], "no part of the client's details: $part");
        }
    }
}
