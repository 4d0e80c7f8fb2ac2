<?php

/**
 * What the identity suites share: a customer product with the pass key on, the scenario of a
 * name reused after a delete (service A had the account, it was deleted, service B got the
 * name), the server's view of one account (state, password through `/_sim/login`, pass key,
 * machines) and the count of requests that change something.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Identity;

use SgWhmcs\Tests\Reliability\ReliabilityTestCase;
use SgWhmcs\Tests\Support\Labels;

abstract class IdentityTestCase extends ReliabilityTestCase
{
    protected const NAME = 'Acme';

    /** Every request that changes an account, as sgsim counts them. */
    private const CHANGES = [
        'POST /customers/{name}/deactivate', 'POST /customers/{name}/activate', 'PATCH /customers/{name}',
        'DELETE /customers/{name}', 'POST /customers/{name}/passkey/reset',
        'POST /resellers/{name}/deactivate', 'POST /resellers/{name}/activate', 'PATCH /resellers/{name}',
        'DELETE /resellers/{name}',
    ];

    protected int $productId;

    protected function setUp(): void
    {
        parent::setUp();
        $this->productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
    }

    /** Requests that changed an account so far. */
    protected function changes(): int
    {
        $routes = $this->sim->stats()['routes'] ?? [];
        return array_sum(array_map(fn (string $r): int => (int) ($routes[$r] ?? 0), self::CHANGES));
    }

    /** Whether the web console lets NAME (KIND) log in with PASSWORD. */
    protected function logsIn(string $kind, string $name, string $password): bool
    {
        $login = ['kind' => $kind, 'name' => $name, 'password' => $password];
        $answer = $this->sim->expect(200, 'POST', '/_sim/login', $login);
        return ($answer['ok'] ?? null) === true;
    }

    /** The service's password as the module receives it. */
    protected function servicePassword(int $serviceId): string
    {
        return (string) $this->whmcs->serviceParams($serviceId)['password'];
    }

    /** Gives customer NAME two machines. */
    protected function machines(string $name): void
    {
        $this->sim->expect(200, 'POST', '/_sim/machines', ['customer' => $name, 'machines' => [
            ['name' => 'new-owner-web', 'os' => 'Linux', 'last_backup_result' => 'success',
                'last_backup_at' => '2026-11-30T02:00:00Z', 'last_success_at' => '2026-11-30T02:00:00Z'],
            ['name' => 'new-owner-db', 'os' => 'Linux'],
        ]]);
    }

    /**
     * Issue 16, item 1: service A (terminated) had NAME, Delete on Backup Server deleted it, a new
     * client then got the freed NAME for service B (with two machines). Returns [A, B].
     *
     * @return array{0: int, 1: int}
     */
    protected function reusedName(): array
    {
        [$old, $result] = $this->orderAndAccept($this->productId, self::NAME);
        $this->assertCreated($old, $result);
        self::assertSame('success', $this->whmcs->terminate($old));
        self::assertSame('success', $this->whmcs->adminScreens()->press($old, 'Delete on Backup Server'));
        self::assertNull($this->sim->customer(self::NAME));
        [$new, $result] = $this->orderAndAccept($this->productId, self::NAME);
        $this->assertCreated($new, $result);
        self::assertSame($this->reference('service', $new), $this->sim->customer(self::NAME)['reference']);
        $this->machines(self::NAME);
        return [$old, $new];
    }

    /**
     * The server's view of customer NAME, to compare before and after: the account as read, its
     * pass key, and whether PASSWORD still logs in.
     *
     * @return array{account: array<string, mixed>|null, passkey: string, logs_in: bool}
     */
    protected function serverView(string $name, string $password): array
    {
        $account = $this->sim->customer($name);
        return [
            'account' => $account,
            'passkey' => $account === null ? '' : $this->sim->passkey($name),
            'logs_in' => $account !== null && $this->logsIn('customer', $name, $password),
        ];
    }
}
