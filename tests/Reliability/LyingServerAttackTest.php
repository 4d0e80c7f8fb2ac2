<?php

/**
 * Hidden-case attack on issue 8, items 3 and 4, with cases the issue did not describe: two
 * services of one client with given names, a service created again after terminate, a reference
 * search answered with foreign accounts, state changes answered about another kind or name, a
 * read-back of another kind, a create answer with an empty reference. Each counts the accounts on
 * the server or proves nothing was stored.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

final class LyingServerAttackTest extends ReliabilityTestCase
{
    private const ANOTHER = 'the Backup Server answered about another account: ';

    public function testTwoServicesOfOneClientWithGivenNamesKeepTheirOwnAccounts(): void
    {
        $clientId = $this->whmcs->addClient(['companyname' => 'Acme Given']);
        $productId = $this->customerProduct();
        $services = [];
        foreach (['given-one', 'given-two'] as $name) {
            $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => $name]);
            self::assertSame('success', $this->whmcs->acceptOrder($orderId));
            $services[$name] = $this->whmcs->orderService($orderId);
        }

        foreach ($services as $name => $serviceId) {
            self::assertSame($this->reference('service', $serviceId), $this->sim->customer($name)['reference']);
        }
        self::assertSame('success', $this->whmcs->terminate($services['given-two']));
        self::assertTrue($this->sim->customer('given-one')['active'], 'the other service is untouched');
        self::assertFalse($this->sim->customer('given-two')['active']);
        self::assertCount(2, $this->ours());
    }

    public function testAServiceCreatedAgainAfterTerminateHasOneAccount(): void
    {
        [$serviceId] = $this->activeCustomer('again-after-end');
        self::assertSame('success', $this->whmcs->terminate($serviceId));

        $result = $this->whmcs->call('CreateAccount', $this->whmcs->serviceParams($serviceId));

        self::assertSame('success', $result);
        self::assertCount(1, $this->ours(), 'the terminated account was adopted, not doubled');
        // The first create and the one met by 409 ALREADY_EXISTS, adopted by its reference.
        self::assertSame(2, $this->sim->stats()['routes']['POST /customers'] ?? 0);
        self::assertSame('again-after-end', $this->whmcs->service($serviceId)['username']);
        // WHMCS now shows the service Active: the account it adopted is switched on again.
        self::assertTrue($this->sim->customer('again-after-end')['active']);
    }

    public function testAReferenceSearchAnsweringForeignAccountsAdoptsNone(): void
    {
        $this->sim->createDirectly('customers', [
            'name' => 'Victim Corp',
            'reference' => 'whmcs:otherinstall:service:1',
            'contact' => ['email' => 'victim@example.test'],
            'storage' => ['allotted_bytes' => 5],
        ]);
        $victim = $this->sim->customer('Victim Corp');
        // A server that ignores ?reference= and lists everything it holds.
        $this->sim->fault([
            'kind' => 'rewrite',
            'route' => 'GET /customers',
            'set' => ['customers' => [$victim]],
        ]);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', ['companyname' => 'Search Lie']);

        $this->assertCreated($serviceId, $result);
        self::assertSame('Search Lie', $this->whmcs->service($serviceId)['username']);
        self::assertSame('whmcs:otherinstall:service:1', $this->sim->customer('Victim Corp')['reference']);
        self::assertSame($this->reference('service', $serviceId), $this->sim->customer('Search Lie')['reference']);
    }

    public function testAReferenceSearchNamingAnAccountOfAnotherKindIsNotAdopted(): void
    {
        $clientId = $this->whmcs->addClient(['companyname' => 'Kind Lie']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->sim->fault([
            'kind' => 'rewrite',
            'route' => 'GET /customers',
            'set' => ['customers' => [[
                'name' => 'Default Reseller',
                'kind' => 'reseller',
                'reference' => $this->reference('service', $serviceId),
            ]]],
        ]);

        $result = $this->whmcs->acceptOrder($orderId);

        self::assertSame('success', $result);
        self::assertSame('Kind Lie', $this->whmcs->service($serviceId)['username']);
        self::assertNotNull($this->sim->customer('Kind Lie'));
    }

    /** @return array<string, array{0: string, 1: string, 2: array<string, mixed>, 3: string}> */
    public static function stateLies(): array
    {
        return [
            'suspend answered as a reseller' => [
                'suspend', 'deactivate', ['kind' => 'reseller'],
                'it names the reseller "lied-to" where the customer "lied-to" was asked for',
            ],
            'unsuspend answered about another name' => [
                'unsuspend', 'activate', ['name' => 'Trial Customer'],
                'it names the customer "Trial Customer" where the customer "lied-to" was asked for',
            ],
            'terminate answered about another name' => [
                'terminate', 'deactivate', ['name' => 'Default Customer', 'active' => false],
                'it names the customer "Default Customer" where the customer "lied-to" was asked for',
            ],
        ];
    }

    /**
     * @dataProvider stateLies
     * @param array<string, mixed> $set
     */
    public function testAStateChangeAnsweredAboutAnotherAccountFails(
        string $operation,
        string $verb,
        array $set,
        string $says
    ): void {
        [$serviceId] = $this->activeCustomer('lied-to');
        if ($operation === 'unsuspend') {
            self::assertSame('success', $this->whmcs->suspend($serviceId));
        }
        $this->sim->fault(['kind' => 'rewrite', 'route' => "POST /customers/{name}/$verb", 'set' => $set]);

        $result = match ($operation) {
            'suspend' => $this->whmcs->suspend($serviceId),
            'unsuspend' => $this->whmcs->unsuspend($serviceId),
            default => $this->whmcs->terminate($serviceId),
        };

        self::assertStringContainsString(self::ANOTHER . $says, $result);
        self::assertNotSame('success', $result);
    }

    public function testALostCreateWhoseReadBackIsAnotherKindIsNotAdopted(): void
    {
        $this->sim->fault(['kind' => 'drop', 'route' => 'POST /customers', 'after' => true]);
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => ['kind' => 'reseller']]);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'kind-readback');

        self::assertNotSame('success', $result);
        self::assertStringContainsString('it names the reseller "kind-readback"', $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        // The next Create, honestly answered, adopts the one account.
        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));
        self::assertCount(1, $this->ours());
    }

    public function testACreateAnswerWithAnEmptyReferenceIsAFailure(): void
    {
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'POST /customers', 'set' => ['reference' => '']]);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'empty-ref');

        self::assertStringContainsString(self::ANOTHER, $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testAPassKeyAnswerForAnotherAccountIsNotStoredBlindly(): void
    {
        // The pass key answer has no name to check; what matters is that a rewritten member
        // holding a key never reaches a log in clear.
        $this->sim->fault([
            'kind' => 'rewrite',
            'route' => 'GET /customers/{name}/passkey',
            'set' => ['passkey' => 'FOREIGNKEY-1234567890', 'password' => 'AlsoSecret-987'],
        ]);
        $productId = $this->customerProduct([\SgWhmcs\Tests\Support\Labels::PASS_KEY => 'on']);

        $this->orderAndAccept($productId, 'pk-lie');

        // What WHMCS stores of each entry (replaceVars only tells it what to mask).
        $stored = array_map(
            fn (array $e): array => [$e['request'], $e['response'], $e['processed']],
            $this->whmcs->moduleLog()->entries()
        );
        $log = json_encode($stored) ?: '';
        self::assertStringNotContainsString('FOREIGNKEY-1234567890', $log);
        self::assertStringNotContainsString('AlsoSecret-987', $log);
    }

    /** @return list<array<string, mixed>> the customers this install made (a reference of ours) */
    private function ours(): array
    {
        $prefix = "whmcs:{$this->installId()}:";
        return array_values(array_filter(
            self::accounts($this->sim),
            fn (array $a): bool => str_starts_with((string) ($a['reference'] ?? ''), $prefix)
        ));
    }
}
