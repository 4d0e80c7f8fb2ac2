<?php

/**
 * WHMCS stores request input HTML-encoded and hands it on that way: hook `$vars` and the
 * `localAPI` answers GetOrders / GetClientsDetails carry `&amp;`, `&#039;`, `&quot;`. The hooks
 * decode them exactly once before any use, so "Smith & Sons" becomes the account "Smith Sons"
 * (not "Smith amp Sons") with the contact company "Smith & Sons", and a company literally typed
 * as "A &amp; B" stays "A &amp; B".
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

final class EncodedDataTest extends HooksTestCase
{
    private const CLIENT_WITH_ENTITIES = [
        'firstname' => 'Zoë',
        'lastname' => "O'Neil",
        'companyname' => 'Smith & Sons "Backup"',
        'email' => 'zoe@smith-sons.test',
        'address1' => '1 <Main> St',
        'city' => "L'Aquila",
    ] + self::CLIENT;

    /** @return array<string, array{string}> */
    public function points(): array
    {
        return ['ClientAdd' => ['ClientAdd'], 'AcceptOrder' => ['AcceptOrder']];
    }

    /** @dataProvider points */
    public function testEncodedHookDataIsDecodedBeforeItIsUsed(string $point): void
    {
        $this->installHooks($point, 'SGSignupReseller');
        $seen = [];
        add_hook($point, 9, function (array $vars) use (&$seen): void {
            $seen[] = $vars;
        });

        [$clientId] = $this->fire($point, self::CLIENT_WITH_ENTITIES);

        if ($point === 'ClientAdd') {
            self::assertSame('Smith &amp; Sons &quot;Backup&quot;', $seen[0]['companyname'], 'WHMCS passed it encoded');
        } else {
            $details = localAPI('GetClientsDetails', ['clientid' => $clientId]);
            self::assertSame('O&#039;Neil', $details['lastname'], 'WHMCS answers encoded');
        }
        $account = $this->sim->reseller('Smith Sons Backup');
        self::assertNotNull($account, 'named after the decoded company');
        self::assertNull($this->sim->reseller('Smith amp Sons quotBackupquot'));
        self::assertSame('Smith & Sons "Backup"', $account['contact']['company']);
        self::assertSame("O'Neil", $account['contact']['last_name']);
        self::assertSame('Zoë', $account['contact']['first_name']);
        self::assertSame("L'Aquila", $account['contact']['city']);
        self::assertSame('1 <Main> St, Suite 2', $account['contact']['address']);
        $this->assertSuccessReported($point, $clientId, 'reseller', 'Smith Sons Backup');
    }

    /** @dataProvider points */
    public function testDataIsDecodedOnlyOnce(string $point): void
    {
        $this->installHooks($point, 'SGSignupReseller');

        $this->fire($point, ['companyname' => 'A &amp; B', 'lastname' => 'x &#039; y'] + self::CLIENT);

        $account = $this->sim->reseller('A amp B');
        self::assertNotNull($account, 'the literal "&amp;" is part of the name');
        self::assertSame('A &amp; B', $account['contact']['company']);
        self::assertSame('x &#039; y', $account['contact']['last_name']);
    }
}
