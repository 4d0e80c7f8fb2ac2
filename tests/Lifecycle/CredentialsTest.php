<?php

/**
 * The service's username and password in WHMCS are always the account's on the Backup Server,
 * whatever WHMCS's username settings are. MetaData opts out of WHMCS's own generation
 * ('AutoGenerateUsernameAndPassword' => false, as WHMCS's licensing and MarketConnect modules do),
 * so the account-name rule of the module runs; a service without a password gets a strong
 * generated one, stored as the service password before the account is made. sgsim's
 * `/_sim/login` proves the account has exactly the password WHMCS holds.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class CredentialsTest extends ModuleTestCase
{
    private const CLIENT = ['companyname' => 'Initech', 'email' => 'peter@initech.test'];

    public function testMetaDataOptsOutOfTheUsernameAndPasswordWhmcsWouldGenerate(): void
    {
        self::assertFalse($this->whmcs->metaData()['AutoGenerateUsernameAndPassword'] ?? null);
    }

    /** @return array<string, array{0: bool, 1: string}> random usernames setting, service domain */
    public function usernameSettings(): array
    {
        return [
            'random usernames on, no domain' => [true, ''],
            'random usernames on, a domain' => [true, 'backup.example.com'],
            'random usernames off, a domain' => [false, 'backup.example.com'],
            'random usernames off, no domain' => [false, ''],
        ];
    }

    /** @dataProvider usernameSettings */
    public function testTheAccountIsNamedAfterTheClientWhateverTheUsernameSettings(bool $random, string $domain): void
    {
        $this->whmcs->setting('GenerateRandomUsername', $random);
        $serviceId = $this->order(['domain' => $domain]);

        $result = $this->whmcs->createAccount($serviceId);

        $this->assertCreated($serviceId, $result);
        self::assertSame('Initech', $this->whmcs->service($serviceId)['username']);
        $this->assertServiceCredentialsAreTheAccounts($serviceId);
    }

    public function testAServiceWithoutAPasswordGetsAStrongOneStoredBackBeforeTheAccountIsMade(): void
    {
        $serviceId = $this->order(['password' => '']);
        $before = $this->sim->totalRequests();

        $result = $this->whmcs->createAccount($serviceId);

        $this->assertCreated($serviceId, $result);
        $password = $this->assertServiceCredentialsAreTheAccounts($serviceId);
        self::assertGreaterThanOrEqual(16, strlen($password));
        foreach (['/[a-z]/', '/[A-Z]/', '/[0-9]/', '/[^A-Za-z0-9]/'] as $class) {
            self::assertMatchesRegularExpression($class, $password, 'letters, digits and symbols');
        }
        self::assertDoesNotMatchRegularExpression('/[&<>"\'\s\\\\]/', $password, 'nothing WHMCS would HTML-encode');
        $updates = $this->updates($serviceId);
        self::assertSame(['servicepassword'], array_keys(array_diff_key($updates[0], ['serviceid' => 1])));
        self::assertSame($password, $updates[0]['servicepassword']);
        self::assertGreaterThan($before, $this->sim->totalRequests());
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            self::assertContains($password, $entry['raw']['replaceVars'], 'WHMCS is told to scrub it');
            foreach (['request', 'response', 'processed'] as $part) {
                self::assertStringNotContainsString($password, $entry[$part]);
            }
        }
        foreach ($this->whmcs->activity() as $line) {
            self::assertStringNotContainsString($password, $line['message']);
        }
    }

    public function testTwoServicesWithoutPasswordsGetDifferentOnes(): void
    {
        $first = $this->order(['password' => '', 'username' => 'initech-a']);
        $second = $this->order(['password' => '', 'username' => 'initech-b']);

        $this->assertCreated($first, $this->whmcs->createAccount($first));
        $this->assertCreated($second, $this->whmcs->createAccount($second));

        self::assertNotSame(
            $this->assertServiceCredentialsAreTheAccounts($first),
            $this->assertServiceCredentialsAreTheAccounts($second)
        );
    }

    public function testAPasswordWhmcsHoldsIsSentAsItIsAndNotStoredAgain(): void
    {
        $serviceId = $this->order(['password' => 'Given-Pa55word!', 'username' => 'initech-given']);

        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));

        self::assertSame('Given-Pa55word!', $this->assertServiceCredentialsAreTheAccounts($serviceId));
        self::assertSame([], $this->updates($serviceId), 'nothing to store back');
    }

    public function testWhenWhmcsCannotStoreTheGeneratedPasswordNothingIsCreated(): void
    {
        $serviceId = $this->order(['password' => '']);
        $this->whmcs->localApi()->fail('UpdateClientProduct', 'Database error: Lock wait timeout exceeded');
        $before = $this->sim->totalRequests();

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('could not store a generated one', $result);
        self::assertStringContainsString('Lock wait timeout exceeded', $result);
        self::assertStringContainsString('nothing was created', $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame($before, $this->sim->totalRequests(), 'no request was sent');
    }

    public function testCreateRunAgainAfterAFailureKeepsThePasswordWhmcsStored(): void
    {
        $serviceId = $this->order(['password' => '']);
        $this->sim->fault(['kind' => 'status', 'route' => 'POST /customers', 'count' => 1]);

        $first = $this->whmcs->createAccount($serviceId);
        self::assertNotSame('success', $first);
        $stored = (string) $this->whmcs->serviceParams($serviceId)['password'];
        self::assertNotSame('', $stored, 'the generated password was stored before the request');

        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));

        self::assertSame($stored, $this->assertServiceCredentialsAreTheAccounts($serviceId));
    }

    /**
     * Orders the customer product for a new client with CHOICES (placeOrder's) and returns the
     * service id; the order is not accepted yet.
     *
     * @param array<string, mixed> $choices
     */
    private function order(array $choices = []): int
    {
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), $choices);
        return $this->whmcs->orderService($orderId);
    }

    /**
     * Asserts that the username and password WHMCS now gives the module for SERVICE are the
     * account's on the Backup Server; returns the password.
     */
    private function assertServiceCredentialsAreTheAccounts(int $serviceId): string
    {
        $params = $this->whmcs->serviceParams($serviceId);
        $username = (string) $params['username'];
        $password = (string) $params['password'];
        Evidence::addSecret($password);
        self::assertNotSame('', $password, 'the service has a password');
        self::assertNotNull($this->sim->customer($username), "the account \"$username\" exists");
        $login = $this->sim->expect(200, 'POST', '/_sim/login', [
            'kind' => 'customer',
            'name' => $username,
            'password' => $password,
        ]);
        self::assertTrue($login['ok'], 'the account logs in with the password WHMCS holds');
        return $password;
    }

    /** @return list<array<string, mixed>> the values of the UpdateClientProduct calls for SERVICE */
    private function updates(int $serviceId): array
    {
        $found = [];
        foreach ($this->whmcs->localApi()->calls as $call) {
            $command = strtolower($call['command']);
            if ($command === 'updateclientproduct' && (int) $call['values']['serviceid'] === $serviceId) {
                $found[] = $call['values'];
            }
        }
        return $found;
    }
}
