<?php

/**
 * Hidden-case attack on issue 8, item 7, with cases the issue did not describe: unreadable
 * answers (a byte that is not UTF-8, headers too large, a gzip body, JSON cut short) on
 * terminate, on the read-back itself, on a reseller's state change, and on the pass key read.
 * They are named as unreadable (never "could not connect"), and state changes read the state back
 * before answering.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\Labels;

final class UnreadableAnswersAttackTest extends ReliabilityTestCase
{
    private const UNREADABLE = "the Backup Server's answer could not be read: ";

    /** @return array<string, array{0: array<string, mixed>}> */
    public static function unreadable(): array
    {
        return [
            'not UTF-8' => [['kind' => 'nonutf8']],
            'headers too large' => [['kind' => 'bigheader', 'size' => 200000]],
            'gzip' => [['kind' => 'gzip']],
        ];
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testATerminateWithAnUnreadableAnswerReadsTheStateBack(array $fault): void
    {
        [$serviceId] = $this->activeCustomer('end-unreadable');
        $this->sim->fault($fault + ['route' => 'POST /customers/{name}/deactivate', 'after' => true]);

        self::assertSame('success', $this->whmcs->terminate($serviceId));

        self::assertSame(
            2,
            $this->sim->stats()['routes']['GET /customers/{name}'] ?? 0,
            'read once for whose it is, then read back once'
        );
        self::assertFalse($this->sim->customer('end-unreadable')['active']);
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testAResellerSuspendNotDoneIsReportedAsUnreadableAndStillActive(array $fault): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->resellerProduct(), 'reseller-unreadable');
        $this->assertCreated($serviceId, $result);
        $this->sim->fault($fault + ['route' => 'POST /resellers/{name}/deactivate', 'after' => false]);

        $suspended = $this->whmcs->suspend($serviceId);

        self::assertStringStartsWith(
            'Could not deactivate reseller "reseller-unreadable": ' . self::UNREADABLE,
            $suspended
        );
        self::assertStringEndsWith('; read back, it is still active', $suspended);
        self::assertStringNotContainsString('could not connect', $suspended);
        self::assertTrue($this->sim->reseller('reseller-unreadable')['active']);
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testAnUnreadableReadBackAfterAnUnreadableSuspendSaysWhatIsKnown(array $fault): void
    {
        [$serviceId] = $this->activeCustomer('both-unreadable');
        $this->sim->fault($fault + ['route' => 'POST /customers/{name}/deactivate', 'after' => true]);
        $this->sim->fault($fault + ['route' => 'GET /customers/{name}']);

        $suspended = $this->whmcs->suspend($serviceId);

        self::assertNotSame('success', $suspended, 'the state could not be confirmed');
        self::assertStringContainsString(self::UNREADABLE, $suspended);
        self::assertStringNotContainsString('could not connect', $suspended);
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
        // Running it again is safe and confirms it.
        self::assertSame('success', $this->whmcs->suspend($serviceId));
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testAnUnreadablePassKeyAnswerIsNamedAndNeverStoredOrShown(array $fault): void
    {
        $this->sim->fault($fault + ['route' => 'GET /customers/{name}/passkey', 'after' => true]);
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'pk-unreadable');

        $key = $this->sim->passkey('pk-unreadable');
        self::assertStringContainsString('was created, but its pass key was not stored', $result);
        self::assertStringContainsString(self::UNREADABLE, $result);
        self::assertStringNotContainsString('could not connect', $result);
        self::assertStringNotContainsString($key, $result);
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            self::assertStringNotContainsString($key, $entry['request'] . $entry['response'] . $entry['processed']);
        }
        self::assertNotNull($this->sim->customer('pk-unreadable'));
        self::assertGreaterThan(0, $serviceId);
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testAnUnreadableReferenceSearchIsNamedAndCreatesNothingBlindly(array $fault): void
    {
        $this->sim->fault($fault + ['route' => 'GET /customers']);

        $client = ['companyname' => 'Search Unreadable'];
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', $client);

        self::assertStringStartsWith('Could not create customer: ' . self::UNREADABLE, $result);
        self::assertStringNotContainsString('could not connect', $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->stats()['routes']['POST /customers'] ?? 0, 'no create without the search');
        // Run again with an honest server: one account.
        $this->assertCreated($serviceId, $this->whmcs->createAccount($serviceId));
        self::assertNotNull($this->sim->customer('Search Unreadable'));
    }

    public function testAMalformedSuspendAnswerReadsTheStateBack(): void
    {
        [$serviceId] = $this->activeCustomer('malformed-state');
        $this->sim->fault(['kind' => 'malformed', 'route' => 'POST /customers/{name}/deactivate', 'after' => true]);

        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer('malformed-state')['active']);
    }
}
