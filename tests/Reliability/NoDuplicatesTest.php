<?php

/**
 * No duplicates, no false failures: a create whose answer was lost, or whose name already exists,
 * ends with exactly one account, adopted when it carries this service's external reference and
 * refused with a clear message otherwise (another service's reference, none at all, even with the
 * client's own e-mail address); suspending a suspended account and activating an active one
 * succeed.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\Labels;

final class NoDuplicatesTest extends ReliabilityTestCase
{
    private const NAME = 'acme-once';
    private const RETRY_IS_SAFE = 'running Create again is safe, it adopts the account instead of making a second one';

    /** @return array<string, array{0: string, 1: string}> */
    public static function lostAnswers(): array
    {
        return [
            'customer, answer dropped' => ['customer', 'drop'],
            'customer, answer truncated' => ['customer', 'truncate'],
            'reseller, answer dropped' => ['reseller', 'drop'],
            'reseller, answer truncated' => ['reseller', 'truncate'],
        ];
    }

    /** @dataProvider lostAnswers */
    public function testACreateWhoseAnswerWasLostAdoptsTheAccountAtOnce(string $kind, string $fault): void
    {
        $collection = $kind . 's';
        // after: the server makes the account, then the answer is lost on the way.
        $this->sim->fault(['kind' => $fault, 'route' => "POST /$collection", 'after' => true]);
        $productId = $kind === 'customer' ? $this->customerProduct() : $this->resellerProduct();

        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);

        $this->assertCreated($serviceId, $result);
        $routes = $this->sim->stats()['routes'];
        self::assertSame(1, $routes["POST /$collection"] ?? 0, 'created once, never sent again');
        self::assertSame(1, $routes["GET /$collection/{name}"] ?? 0, 'then read back');
        $account = $kind === 'customer' ? $this->sim->customer(self::NAME) : $this->sim->reseller(self::NAME);
        self::assertNotNull($account);
        $email = $this->whmcs->store()->client((int) $this->whmcs->service($serviceId)['userid'])['email'];
        self::assertSame($email, $account['contact']['email']);
        $entries = $this->whmcs->moduleLog()->entries();
        self::assertStringContainsString('broke before a complete answer arrived', $entries[0]['response']);
    }

    /** @return array<string, array{0: string}> */
    public static function usernames(): array
    {
        return ['a given username' => [self::NAME], 'a derived username' => ['']];
    }

    /** @dataProvider usernames */
    public function testWhenTheCreateCannotBeCheckedTheAdminIsToldARetryIsSafeAndTheRetryAdopts(string $username): void
    {
        if ($username === '') {
            // A derived name is looked up before the create: let that lookup through.
            $this->sim->fault(['kind' => 'delay', 'delay_ms' => 1, 'route' => 'GET /customers/{name}']);
        }
        $this->sim->fault(['kind' => 'drop', 'route' => 'POST /customers', 'after' => true]);
        // The read-back that would tell fails too.
        $this->sim->fault(['kind' => 'status', 'status' => 503, 'route' => 'GET /customers/{name}']);
        $productId = $this->customerProduct([Labels::PASS_KEY => '']);

        [$serviceId, $first] = $this->orderAndAccept($productId, $username);

        self::assertStringStartsWith('Could not create customer: ', $first);
        self::assertStringContainsString('broke before a complete answer arrived', $first);
        self::assertStringContainsString('it may or may not have been created', $first);
        self::assertStringContainsString(self::RETRY_IS_SAFE, $first);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        $email = $this->whmcs->store()->client((int) $this->whmcs->service($serviceId)['userid'])['email'];
        self::assertCount(1, self::customersOf($this->sim, $email), 'the server made it');

        $second = $this->whmcs->createAccount($serviceId);

        $this->assertCreated($serviceId, $second);
        $mine = self::customersOf($this->sim, $email);
        self::assertCount(1, $mine, 'exactly one account for the client');
        self::assertSame($mine[0]['name'], $this->whmcs->service($serviceId)['username']);
        // A given name is sent again and meets ALREADY_EXISTS; a derived one is found first.
        $posts = $this->sim->stats()['routes']['POST /customers'] ?? 0;
        self::assertSame($username === '' ? 1 : 2, $posts);
    }

    public function testABlackHoledCreateIsGivenUpOnAndTheRetryAdopts(): void
    {
        $this->sim->fault(['kind' => 'blackhole', 'route' => 'POST /customers', 'after' => true]);

        [$serviceId, $first] = $this->orderAndAccept($this->customerProduct(), self::NAME);

        self::assertStringContainsString('did not answer within ' . self::TIMEOUT_SECONDS . ' seconds', $first);
        self::assertStringContainsString(self::RETRY_IS_SAFE, $first);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertNotNull($this->sim->customer(self::NAME), 'the server made it');

        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));
        self::assertCount(3, $this->sim->expect(200, 'GET', '/api/v1/customers')['customers'], 'no duplicate');
    }

    public function testAnExistingAccountWithThisServicesReferenceIsAdoptedAsItIs(): void
    {
        $clientId = $this->whmcs->addClient();
        $email = $this->whmcs->store()->client($clientId)['email'];
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => self::NAME]);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->sim->createDirectly('customers', [
            'name' => self::NAME,
            'reference' => $this->reference('service', $serviceId),
            'contact' => ['email' => $email],
            'storage' => ['allotted_bytes' => 5],
        ]);

        $result = $this->whmcs->acceptOrder($orderId);

        $this->assertCreated($serviceId, $result);
        $entries = $this->whmcs->moduleLog()->entries();
        self::assertStringContainsString('ALREADY_EXISTS', $entries[0]['response'], 'the server said so');
        $account = $this->sim->customer(self::NAME);
        self::assertSame(5, $account['storage']['allotted_bytes'], 'adopted, not changed');
        self::assertCount(1, self::customersOf($this->sim, $email));
    }

    /** @return array<string, array{0: array<string, mixed>, 1: ?string}> */
    public static function someoneElsesAccount(): array
    {
        return [
            "another client's address" => [['email' => 'someone.else@example.test'], null],
            'no address at all' => [[], null],
            "this client's own address, but no reference" => [['email' => 'CLIENT'], null],
            "this client's own address, another service's reference" => [['email' => 'CLIENT'], 'service'],
            "this client's own address, the client's reference (a hook's account)" => [['email' => 'CLIENT'], 'client'],
        ];
    }

    /**
     * @dataProvider someoneElsesAccount
     * @param array<string, mixed> $contact
     */
    public function testAnExistingAccountOfSomeoneElseIsNotTaken(array $contact, ?string $reference): void
    {
        $clientId = $this->whmcs->addClient();
        $email = $this->whmcs->store()->client($clientId)['email'];
        $account = ['name' => self::NAME, 'storage' => ['allotted_bytes' => 5]];
        if ($contact !== []) {
            $account['contact'] = ['email' => $contact['email'] === 'CLIENT' ? $email : $contact['email']];
        }
        if ($reference !== null) {
            // Another service of the same client (id 999), or the client itself.
            $account['reference'] = $this->reference($reference, $reference === 'service' ? 999 : $clientId);
        }
        $existing = $this->sim->createDirectly('customers', $account);

        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => self::NAME]);
        $result = $this->whmcs->acceptOrder($orderId);
        $serviceId = $this->whmcs->orderService($orderId);

        self::assertStringStartsWith('Could not create customer: ', $result);
        self::assertStringContainsString(
            'the name "' . self::NAME . '" is already taken on the Backup Server by another account',
            $result
        );
        self::assertStringContainsString("the service's username", $result, 'says what to change');
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        $after = $this->sim->customer(self::NAME);
        unset($existing['created_at'], $after['created_at']);
        self::assertSame($existing, $after, 'the other account is untouched');
    }

    public function testSuspendingASuspendedAccountSucceeds(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        self::assertSame('success', $this->whmcs->suspend($serviceId));

        $again = $this->whmcs->call('SuspendAccount', $this->whmcs->serviceParams($serviceId));

        self::assertSame('success', $again);
        self::assertFalse($this->sim->customer(self::NAME)['active']);
    }

    public function testSuspendingAnAccountTheServerAdminDeactivatedSucceeds(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $this->sim->expect(200, 'POST', '/api/v1/customers/' . self::NAME . '/deactivate');

        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertSame('Suspended', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertFalse($this->sim->customer(self::NAME)['active']);
    }

    public function testActivatingAnActiveAccountSucceeds(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);

        $result = $this->whmcs->call('UnsuspendAccount', $this->whmcs->serviceParams($serviceId));

        self::assertSame('success', $result);
        self::assertTrue($this->sim->customer(self::NAME)['active']);
    }

    public function testTerminatingTwiceSucceeds(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        self::assertSame('success', $this->whmcs->terminate($serviceId));

        $again = $this->whmcs->call('TerminateAccount', $this->whmcs->serviceParams($serviceId));

        self::assertSame('success', $again);
        self::assertFalse($this->sim->customer(self::NAME)['active'], 'kept, inactive: never deleted');
    }
}
