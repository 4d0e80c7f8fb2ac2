<?php

/**
 * Unreadable answers are named as such and are ambiguous (issue 8, item 7): an answer with one
 * byte that is not UTF-8, headers too large to read, or a gzip-encoded body says "could not be
 * read", never "could not connect"; a create then reads the account back and adopts it by
 * reference, and suspend / unsuspend / terminate read the state back before answering.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

final class UnreadableAnswersTest extends ReliabilityTestCase
{
    private const UNREADABLE = "the Backup Server's answer could not be read: ";

    /** @return array<string, array{0: array<string, mixed>, 1: string}> */
    public static function unreadable(): array
    {
        return [
            'a byte that is not UTF-8' => [
                ['kind' => 'nonutf8'],
                'with a body that is not UTF-8 text (byte 0xE9 at offset',
            ],
            'headers too large' => [['kind' => 'bigheader', 'size' => 131072], 'its headers are too large'],
            'a gzip body' => [['kind' => 'gzip'], 'with a body encoded as "gzip" (Content-Encoding)'],
        ];
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testACreateWithAnUnreadableAnswerReadsBackAndAdopts(array $fault, string $says): void
    {
        $this->sim->fault($fault + ['route' => 'POST /customers', 'after' => true]);

        $client = ['companyname' => 'Acme Unreadable'];
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', $client);

        $this->assertCreated($serviceId, $result);
        self::assertSame('Acme Unreadable', $this->whmcs->service($serviceId)['username']);
        $mine = array_filter(
            self::accounts($this->sim),
            fn (array $a): bool => ($a['reference'] ?? null) === $this->reference('service', $serviceId)
        );
        self::assertCount(1, $mine, 'one account, adopted');
        $posts = array_values(array_filter(
            $this->whmcs->moduleLog()->entries(),
            fn (array $e): bool => ($e['raw']['request']['method'] ?? '') === 'POST'
        ));
        self::assertCount(1, $posts);
        self::assertStringContainsString(self::UNREADABLE, $posts[0]['response']);
        self::assertStringContainsString($says, $posts[0]['response']);
        self::assertStringNotContainsString('could not connect', $posts[0]['response']);
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testASuspendWithAnUnreadableAnswerReadsTheStateBack(array $fault, string $says): void
    {
        [$serviceId] = $this->activeCustomer('acme-unreadable');
        // Done, then the answer spoiled: the state read back shows it was done.
        $this->sim->fault($fault + ['route' => 'POST /customers/{name}/deactivate', 'after' => true]);

        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertSame(
            2,
            $this->sim->stats()['routes']['GET /customers/{name}'] ?? 0,
            'read once for whose it is, then read back once'
        );
        self::assertFalse($this->sim->customer('acme-unreadable')['active']);

        // Not done (the fault took the request's place): the state read back says so.
        $this->sim->fault($fault + ['route' => 'POST /customers/{name}/activate', 'after' => false]);
        $result = $this->whmcs->unsuspend($serviceId);
        self::assertStringStartsWith('Could not activate customer "acme-unreadable": ' . self::UNREADABLE, $result);
        self::assertStringContainsString($says, $result);
        self::assertStringEndsWith('; read back, it is still inactive', $result);
        self::assertSame('Suspended', $this->whmcs->service($serviceId)['domainstatus']);
    }

    /**
     * @dataProvider unreadable
     * @param array<string, mixed> $fault
     */
    public function testTestConnectionNamesAnUnreadableAnswer(array $fault, string $says): void
    {
        $this->sim->fault($fault + ['route' => 'GET /server']);

        $tested = $this->whmcs->testUnsavedServer(self::serverFields($this->sim));

        self::assertFalse($tested['success']);
        self::assertStringStartsWith('Connection failed: ' . self::UNREADABLE, $tested['error']);
        self::assertStringContainsString($says, $tested['error']);
    }
}
