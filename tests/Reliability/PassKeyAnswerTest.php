<?php

/**
 * A pass key is masked from the moment it is requested (issue 8, item 5): when the pass key
 * answer is malformed (sgsim's `malformed` fault cuts its last byte, so it is no JSON and the
 * module never learns the key), neither the module log nor the message shows the key.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\Labels;

final class PassKeyAnswerTest extends ReliabilityTestCase
{
    /** @return array<string, array{0: array<string, mixed>, 1: string}> */
    public static function malformed(): array
    {
        return [
            // The raw text holds the key: the log says what came instead of showing it.
            'JSON cut short' => [['kind' => 'malformed'], 'a pass key answer that is not JSON'],
            // JSON: logged with the member masked; serde's message would have quoted the value.
            'a key of the wrong type' => [
                ['kind' => 'rewrite', 'set' => ['passkey' => ['KEY']]],
                '"passkey":"********"',
            ],
        ];
    }

    /**
     * @dataProvider malformed
     * @param array<string, mixed> $fault
     */
    public function testAMalformedPassKeyAnswerNeverShowsTheKey(array $fault, string $logged): void
    {
        $this->sim->fault($fault + ['route' => 'GET /customers/{name}/passkey']);

        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-key-answer');

        self::assertStringStartsWith(
            'The customer "acme-key-answer" was created, but its pass key was not stored: ',
            $result
        );
        self::assertStringContainsString('pass key answer that is not', $result);
        $key = $this->sim->passkey('acme-key-answer');
        $entries = $this->whmcs->moduleLog()->entries();
        $reads = array_values(array_filter(
            $entries,
            fn (array $e): bool => str_ends_with((string) ($e['raw']['request']['url'] ?? ''), '/passkey')
        ));
        self::assertCount(1, $reads, 'the read is logged');
        self::assertStringContainsString($logged, (string) $reads[0]['raw']['response']);
        foreach ($entries as $i => $entry) {
            self::assertStringNotContainsString($key, json_encode($entry, JSON_THROW_ON_ERROR), "log entry #$i");
        }
        self::assertStringNotContainsString($key, $result);
        self::assertStringNotContainsString('KEY', $result, 'the wrong value is not quoted either');
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus'], 'Create may be run again');
    }
}
