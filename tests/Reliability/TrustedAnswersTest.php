<?php

/**
 * Answers are trusted only when consistent (issue 8, item 4): a create, read or state-change
 * answer about another account (name, kind or reference) is a failure that says so, and nothing
 * is taken from it: a lying 201's name is never stored as the service's username, and a 409
 * followed by a read-back of a differently named account is not adopted. The misbehaving server
 * is sgsim's `rewrite` fault.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

final class TrustedAnswersTest extends ReliabilityTestCase
{
    private const COMPANY = 'Acme Honest';
    private const ANOTHER = 'the Backup Server answered about another account: ';

    /** @return array<string, array{0: array<string, mixed>, 1: string}> */
    public static function lies(): array
    {
        return [
            'another name' => [
                ['name' => 'Someone Else'],
                'it names the customer "Someone Else" where the customer "' . self::COMPANY . '" was asked for',
            ],
            'another kind' => [
                ['kind' => 'reseller'],
                'it names the reseller "' . self::COMPANY . '" where the customer "' . self::COMPANY
                . '" was asked for',
            ],
            'another reference' => [
                ['reference' => 'whmcs:elsewhere:service:1'],
                'carries the reference "whmcs:elsewhere:service:1" instead of',
            ],
            'no reference' => [['reference' => null], 'carries the reference none instead of'],
        ];
    }

    /**
     * @dataProvider lies
     * @param array<string, mixed> $set
     */
    public function testACreateAnswerAboutAnotherAccountIsAFailureAndNothingIsStored(array $set, string $says): void
    {
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'POST /customers', 'set' => $set]);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', ['companyname' => self::COMPANY]);

        self::assertStringStartsWith('Could not create customer: ' . self::ANOTHER, $result);
        self::assertStringContainsString($says, $result);
        self::assertStringEndsWith('; nothing was taken from that answer', $result);
        self::assertSame('', $this->whmcs->service($serviceId)['username'], 'no name stored from that answer');
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);

        // The server did make the service's account: running Create again adopts it, once.
        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));
        self::assertSame(self::COMPANY, $this->whmcs->service($serviceId)['username']);
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers']);
    }

    /**
     * No transition succeeds without the server confirming the state (issue 16): a deactivate
     * answer that leaves `active` out is read back, and a read-back that leaves it out too
     * confirms nothing, so Suspend fails and WHMCS keeps the service Active.
     */
    public function testAStateChangeTheServerDoesNotConfirmIsNoSuccess(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', ['companyname' => self::COMPANY]);
        $this->assertCreated($serviceId, $result);
        foreach (['POST /customers/{name}/deactivate', 'GET /customers/{name}'] as $route) {
            $this->sim->fault(['kind' => 'rewrite', 'route' => $route, 'set' => ['active' => null], 'count' => 5]);
        }

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString('does not say whether it is inactive', $result);
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers/{name}/deactivate']);
    }

    public function testAReadBackOfAnotherAccountAfterAConflictIsNotAdopted(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'acme-mine']);
        $serviceId = $this->whmcs->orderService($orderId);
        // The service's own account (reference and e-mail): an honest read-back would adopt it.
        $this->sim->createDirectly('customers', [
            'name' => 'acme-mine',
            'reference' => $this->reference('service', $serviceId),
            'contact' => ['email' => $this->whmcs->store()->client($clientId)['email']],
            'storage' => ['allotted_bytes' => 5],
        ]);
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => ['name' => 'acme-other']]);

        $result = $this->whmcs->acceptOrder($orderId);

        self::assertStringStartsWith('Could not create customer: the Backup Server refused it: ', $result);
        self::assertStringContainsString(
            '(field name, ALREADY_EXISTS); reading "acme-mine" back then failed: ',
            $result
        );
        self::assertStringContainsString(
            self::ANOTHER . 'it names the customer "acme-other" where the customer "acme-mine" was asked for',
            $result
        );
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testAStateChangeAnswerAboutAnotherAccountIsAFailure(): void
    {
        [$serviceId] = $this->activeCustomer('acme-state');
        $this->sim->fault([
            'kind' => 'rewrite',
            'route' => 'POST /customers/{name}/deactivate',
            'set' => ['name' => 'Default Customer'],
        ]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertSame(
            'Could not deactivate customer "acme-state": ' . self::ANOTHER
            . 'it names the customer "Default Customer" where the customer "acme-state" was asked for'
            . '; nothing was taken from that answer',
            $result
        );
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testAStateChangeAnswerShowingTheOldStateIsAFailure(): void
    {
        [$serviceId] = $this->activeCustomer('acme-state');
        $this->sim->fault([
            'kind' => 'rewrite',
            'route' => 'POST /customers/{name}/deactivate',
            'set' => ['active' => true],
        ]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString(
            'it says the customer "acme-state" is active after it was asked to deactivate it',
            $result
        );
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
    }
}
