<?php

/**
 * One account per service, provably (issue 8, item 3): every account carries its service's
 * external reference `whmcs:<install>:service:<id>`, and only an account carrying it is adopted.
 * Two services of one client get two accounts; lost answers and retries end with one; a derived
 * name taken while the create runs falls back to `-<service id>`. Each test counts the accounts
 * on the server.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

final class OneAccountPerServiceTest extends ReliabilityTestCase
{
    private const COMPANY = 'Acme Twice';

    /** @return list<array<string, mixed>> the customers this install made (a reference of ours) */
    private function ours(): array
    {
        $prefix = "whmcs:{$this->installId()}:";
        return array_values(array_filter(
            self::accounts($this->sim),
            fn (array $a): bool => str_starts_with((string) ($a['reference'] ?? ''), $prefix)
        ));
    }

    public function testTheAccountCarriesItsServicesReferenceAndTheInstallIdIsMadeOnce(): void
    {
        self::assertNull($this->whmcs->store()->setting(self::INSTALL_SETTING), 'no install id yet');

        [$first, $result] = $this->orderAndAccept($this->customerProduct(), 'acme-ref-1');
        $this->assertCreated($first, $result);
        [$second, $result] = $this->orderAndAccept($this->customerProduct(), 'acme-ref-2');
        $this->assertCreated($second, $result);

        $rows = array_values(array_filter(
            $this->whmcs->store()->configuration,
            fn (array $row): bool => $row['setting'] === self::INSTALL_SETTING
        ));
        self::assertCount(1, $rows, 'made once, kept in tblconfiguration');
        self::assertSame(self::INSTALL_SETTING, $rows[0]['setting']);
        self::assertMatchesRegularExpression('/^[0-9a-f]{16}$/', $rows[0]['value'], 'random');
        self::assertSame("whmcs:{$rows[0]['value']}:service:$first", $this->sim->customer('acme-ref-1')['reference']);
        self::assertSame("whmcs:{$rows[0]['value']}:service:$second", $this->sim->customer('acme-ref-2')['reference']);
        $posts = $this->whmcs->moduleLog()->requests('POST', '/customers');
        self::assertSame($this->reference('service', $first), $posts[0]['body']['reference'], 'sent, and logged');
    }

    public function testTwoServicesOfOneClientGetTwoAccounts(): void
    {
        $clientId = $this->whmcs->addClient(['companyname' => self::COMPANY]);
        $productId = $this->customerProduct();
        $services = [];
        foreach ([1, 2] as $ignored) {
            $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => '']);
            self::assertSame('success', $this->whmcs->acceptOrder($orderId));
            $services[] = $this->whmcs->orderService($orderId);
        }

        [$first, $second] = $services;
        self::assertSame(self::COMPANY, $this->whmcs->service($first)['username']);
        self::assertSame(self::COMPANY . "-$second", $this->whmcs->service($second)['username'], 'its own account');
        self::assertCount(2, $this->ours(), 'two accounts on the server');
        $secondAccount = $this->sim->customer(self::COMPANY . "-$second");
        self::assertSame($this->reference('service', $second), $secondAccount['reference']);

        // Suspending the second service for non-payment leaves the first one's account alone.
        self::assertSame('success', $this->whmcs->suspend($second));
        self::assertTrue($this->sim->customer(self::COMPANY)['active']);
        self::assertFalse($this->sim->customer(self::COMPANY . "-$second")['active']);
    }

    /** @return array<string, array{0: string}> */
    public static function usernames(): array
    {
        return ['a given username' => ['acme-lost'], 'a derived username' => ['']];
    }

    /** @dataProvider usernames */
    public function testALostCreateAnswerIsAdoptedByReference(string $username): void
    {
        $this->sim->fault(['kind' => 'drop', 'route' => 'POST /customers', 'after' => true]);

        $client = ['companyname' => 'Acme Lost'];
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), $username, $client);

        $this->assertCreated($serviceId, $result);
        $ours = $this->ours();
        self::assertCount(1, $ours, 'one account on the server');
        self::assertSame($this->reference('service', $serviceId), $ours[0]['reference']);
        self::assertSame($ours[0]['name'], $this->whmcs->service($serviceId)['username']);
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers'], 'never sent twice');
    }

    /** @dataProvider usernames */
    public function testRunningCreateAgainNeverMakesASecondAccount(string $username): void
    {
        $client = ['companyname' => 'Acme Again'];
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), $username, $client);
        $this->assertCreated($serviceId, $result);
        $name = $this->whmcs->service($serviceId)['username'];

        foreach ([1, 2] as $ignored) {
            self::assertSame('success', $this->whmcs->call('CreateAccount', $this->whmcs->serviceParams($serviceId)));
        }

        $ours = $this->ours();
        self::assertCount(1, $ours, 'one account on the server');
        self::assertSame($name, $ours[0]['name']);
    }

    public function testADerivedNameTakenWhileTheCreateRunsFallsBackToTheServiceId(): void
    {
        // Another client's account appears between the module's look-up and its create: the
        // look-up still says "not found", the create meets 409 ALREADY_EXISTS.
        $this->sim->createDirectly('customers', [
            'name' => 'Acme Race',
            'contact' => ['email' => 'someone.else@example.test'],
            'storage' => ['allotted_bytes' => 5],
        ]);
        $this->sim->fault([
            'kind' => 'status',
            'status' => 404,
            'route' => 'GET /customers/{name}',
            'body' => '{"error":{"code":"NOT_FOUND","message":"no customer named \"Acme Race\""}}',
        ]);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', ['companyname' => 'Acme Race']);

        $this->assertCreated($serviceId, $result);
        self::assertSame("Acme Race-$serviceId", $this->whmcs->service($serviceId)['username']);
        $other = $this->sim->customer('Acme Race');
        self::assertSame('someone.else@example.test', $other['contact']['email'], 'untouched');
        self::assertCount(1, $this->ours());
    }
}
