<?php

/**
 * ChangePassword: the service's new password (stored by WHMCS first, passed decoded as
 * `$params['password']`: https://developers.whmcs.com/api-reference/modulechangepw/) becomes the
 * account's web console password with one PATCH; a password the Backup Server cannot hold (empty,
 * control characters, too long, not UTF-8) is refused naming the field with nothing sent; the
 * password appears in no message and no log.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\ClientAreaDenied;
use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ServiceChanges;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ChangePasswordTest extends ModuleTestCase
{
    private const NAME = 'acme-login';
    private const OLD = 'Old-Pa55word!';

    private int $serviceId;

    protected function setUp(): void
    {
        parent::setUp();
        Evidence::addSecret(self::OLD);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder(
            $clientId,
            $this->customerProduct(),
            ['username' => self::NAME, 'password' => self::OLD]
        );
        $this->assertCreated($this->whmcs->orderService($orderId), $this->whmcs->acceptOrder($orderId));
        $this->serviceId = $this->whmcs->orderService($orderId);
        self::assertTrue($this->logsIn(self::OLD), 'created with the old password');
    }

    private function logsIn(string $password): bool
    {
        $answer = $this->sim->expect(200, 'POST', '/_sim/login', [
            'kind' => 'customer', 'name' => self::NAME, 'password' => $password,
        ]);
        return $answer['ok'] === true;
    }

    private function patches(): int
    {
        return (int) ($this->sim->stats()['routes']['PATCH /customers/{name}'] ?? 0);
    }

    /** Asserts PASSWORD is in no message, Activity Log line or Module Log text. */
    private function assertNowhere(string $password, string $shown): void
    {
        self::assertStringNotContainsString($password, $shown);
        foreach ($this->whmcs->activity() as $line) {
            self::assertStringNotContainsString($password, (string) $line['message']);
        }
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            $text = $entry['request'] . $entry['response'] . $entry['processed'];
            self::assertStringNotContainsString($password, $text);
        }
    }

    public function testTheNewPasswordBecomesTheWebConsolePassword(): void
    {
        $new = 'N3w&<Pass> "x" \'y\'';
        Evidence::addSecret($new);

        $shown = $this->whmcs->changePassword($this->serviceId, $new);

        self::assertSame('success', $shown);
        self::assertTrue($this->logsIn($new), 'decoded, exactly as typed');
        self::assertFalse($this->logsIn(self::OLD));
        self::assertSame(1, $this->patches());
        $sent = $this->whmcs->moduleLog()->requests('PATCH');
        self::assertSame(['password' => '********'], $sent[0]['body'], 'only the password, masked in the log');
        $this->assertNowhere($new, $shown);
    }

    public function testSpacesAroundThePasswordAreKept(): void
    {
        self::assertSame('success', $this->whmcs->changePassword($this->serviceId, '  spaced out  '));

        self::assertTrue($this->logsIn('  spaced out  '));
        self::assertFalse($this->logsIn('spaced out'));
    }

    /** @return array<string, array{0: string, 1: string}> */
    public static function refusedPasswords(): array
    {
        return [
            'empty' => ['', 'is empty'],
            'line break' => ["new\nline-Pa55", 'contains a control character'],
            'tab' => ["tab\there-Pa55", 'contains a control character'],
            'NUL' => ["nul\0byte-Pa55", 'contains a control character'],
            'too long' => [str_repeat('L0ng!', 52), 'is 260 characters long where the Backup Server takes at most 256'],
        ];
    }

    /** @dataProvider refusedPasswords */
    public function testAPasswordTheServerCannotHoldIsRefusedWithNothingSent(string $password, string $why): void
    {
        $this->sim->reset();
        $params = $this->whmcs->serviceParams($this->serviceId);
        $params['password'] = $password;

        $shown = $this->whmcs->call('ChangePassword', $params);

        self::assertStringStartsWith('Module settings are invalid: Password (service): ' . $why, $shown);
        self::assertSame(0, $this->sim->totalRequests());
        if ($password !== '') {
            $this->assertNowhere($password, $shown);
        }
    }

    public function testAPasswordThatIsNotUtf8IsRefusedNotConverted(): void
    {
        $this->sim->reset();
        $params = $this->whmcs->serviceParams($this->serviceId);
        $params['password'] = "Pa\xDF-w\xF6rt-1";

        $shown = $this->whmcs->call('ChangePassword', $params);

        self::assertStringStartsWith('Module settings are invalid: Password (service): is not UTF-8 text', $shown);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testAnEmptyUsernameIsNamed(): void
    {
        $this->sim->reset();
        $params = $this->whmcs->serviceParams($this->serviceId);
        $params['username'] = '';

        $shown = $this->whmcs->call('ChangePassword', $params);

        self::assertStringContainsString('Username (service): is empty', $shown);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testAMissingAccountIsNamedAndWhmcsKeepsThePassword(): void
    {
        $this->sim->reset();

        $shown = $this->whmcs->changePassword($this->serviceId, 'An0ther-Pass');

        self::assertStringContainsString('"acme-login": it does not exist on the Backup Server', $shown);
        self::assertStringContainsString('a change made by an admin stays stored in WHMCS', $shown);
        self::assertSame('An0ther-Pass', $this->whmcs->service($this->serviceId)['password']);
        $this->assertNowhere('An0ther-Pass', $shown);
    }

    /**
     * The client area's Change Password: on failure WHMCS puts the old stored password back, so
     * the account must keep the old one too (the refusal sends nothing), and the client sees
     * only WHMCS's own words, never the module's message (ServiceChanges::clientChangePassword).
     */
    public function testAClientsFailedChangeLeavesWhmcsAndTheAccountOnTheOldPassword(): void
    {
        $clientId = (int) $this->whmcs->service($this->serviceId)['userid'];
        $bad = "Tab\there";
        Evidence::addSecret($bad);

        $shown = $this->whmcs->clientChangePassword($clientId, $this->serviceId, $bad);

        self::assertSame(ServiceChanges::CLIENT_PASSWORD_FAILED, $shown);
        self::assertSame(self::OLD, $this->whmcs->service($this->serviceId)['password'], 'WHMCS put it back');
        self::assertTrue($this->logsIn(self::OLD), 'and the account kept it: the two agree');
        self::assertSame(0, $this->patches(), 'refused before anything was sent');
        $logged = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('Password (service): contains a control character', $logged);
        $this->assertNowhere($bad, $shown);
    }

    public function testAClientSeesWhmcsWordsAndTheLogSaysTheChangeWasUndone(): void
    {
        $clientId = (int) $this->whmcs->service($this->serviceId)['userid'];
        $this->sim->fault(['kind' => 'status', 'route' => 'PATCH /customers/{name}', 'status' => 503]);

        $shown = $this->whmcs->clientChangePassword($clientId, $this->serviceId, 'Refus3d-Pass');

        self::assertSame(ServiceChanges::CLIENT_PASSWORD_FAILED, $shown, 'no server words for the client');
        self::assertSame(self::OLD, $this->whmcs->service($this->serviceId)['password']);
        self::assertTrue($this->logsIn(self::OLD));
        $logged = implode("\n", array_column($this->whmcs->activity(), 'message'));
        self::assertStringContainsString('one made by the client is undone by WHMCS', $logged);
    }

    public function testAClientsChangeReachesTheAccount(): void
    {
        $clientId = (int) $this->whmcs->service($this->serviceId)['userid'];
        $new = 'Cl1ent-Chosen-Pass';
        Evidence::addSecret($new);

        self::assertSame(
            ServiceChanges::CLIENT_PASSWORD_CHANGED,
            $this->whmcs->clientChangePassword($clientId, $this->serviceId, $new)
        );
        self::assertSame($new, $this->whmcs->service($this->serviceId)['password']);
        self::assertTrue($this->logsIn($new));
    }

    public function testAnotherClientCannotChangeThePassword(): void
    {
        $other = $this->whmcs->addClient(['email' => 'other@example.test']);

        try {
            $this->whmcs->clientChangePassword($other, $this->serviceId, 'N0t-Mine-Pass');
            self::fail('another client changed the password');
        } catch (ClientAreaDenied) {
            self::assertSame(0, $this->patches());
            self::assertTrue($this->logsIn(self::OLD));
        }
    }

    public function testAServerThatEchoesTheRequestShowsNoFormOfThePassword(): void
    {
        $new = 'Ech0ed-Secret-Pass';
        Evidence::addSecret($new);
        $this->sim->fault(['kind' => 'echo', 'route' => 'PATCH /customers/{name}', 'status' => 400]);

        $shown = $this->whmcs->changePassword($this->serviceId, $new);

        self::assertStringStartsWith(
            'Could not change the web console password of the customer "acme-login": ',
            $shown
        );
        foreach ([$new, base64_encode($new), $this->sim->password, json_encode($new)] as $form) {
            $this->assertNowhere(trim((string) $form, '"'), $shown);
        }
        self::assertTrue($this->logsIn(self::OLD), 'the fault replaced the request: nothing changed');
    }

    public function testALostAnswerSaysRunningItAgainIsSafe(): void
    {
        $this->sim->fault(['kind' => 'drop', 'route' => 'PATCH /customers/{name}']);

        $shown = $this->whmcs->changePassword($this->serviceId, 'L0st-Answer-Pass');

        self::assertStringContainsString('whether the password was changed is unknown', $shown);
        self::assertSame('success', $this->whmcs->changePassword($this->serviceId, 'L0st-Answer-Pass'));
        self::assertTrue($this->logsIn('L0st-Answer-Pass'));
    }
}
