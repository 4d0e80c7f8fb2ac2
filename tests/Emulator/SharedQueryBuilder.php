<?php

/**
 * What `Capsule::table()` answers in a process that shares its database with others
 * (SharedDatabase): the same query builder calls as QueryBuilder, remembered until the call that
 * runs the query (get, first, value, pluck, count, exists, insert, insertGetId, update,
 * updateOrInsert, delete), which then runs as one statement of the shared database on the
 * emulator's own QueryBuilder. Anything QueryBuilder refuses (an unknown column, `upsert`) is
 * refused the same way.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class SharedQueryBuilder
{
    /** @var list<array{0: string, 1: list<mixed>}> the builder calls so far */
    private array $calls = [];

    public function __construct(private SharedDatabase $database, private Whmcs $whmcs, private string $table)
    {
    }

    /** @param mixed ...$arguments as QueryBuilder::where (its two-argument form kept) */
    public function where(mixed ...$arguments): self
    {
        return $this->remember('where', $arguments);
    }

    /** @param mixed ...$arguments */
    public function whereIn(mixed ...$arguments): self
    {
        return $this->remember('whereIn', $arguments);
    }

    /** @param mixed ...$arguments */
    public function orderBy(mixed ...$arguments): self
    {
        return $this->remember('orderBy', $arguments);
    }

    /** @param mixed ...$arguments */
    public function limit(mixed ...$arguments): self
    {
        return $this->remember('limit', $arguments);
    }

    /** @param mixed ...$arguments */
    public function take(mixed ...$arguments): self
    {
        return $this->remember('take', $arguments);
    }

    /** @return list<\stdClass> */
    public function get(): array
    {
        return $this->run('get', []);
    }

    public function first(): ?\stdClass
    {
        return $this->run('first', []);
    }

    public function value(string $column): mixed
    {
        return $this->run('value', [$column]);
    }

    /** @return array<mixed> */
    public function pluck(string $column, ?string $key = null): array
    {
        return $this->run('pluck', [$column, $key]);
    }

    public function count(): int
    {
        return $this->run('count', []);
    }

    public function exists(): bool
    {
        return $this->run('exists', []);
    }

    /** @param array<string, mixed>|list<array<string, mixed>> $rows */
    public function insert(array $rows): bool
    {
        return $this->run('insert', [$rows]);
    }

    /** @param array<string, mixed> $row */
    public function insertGetId(array $row): int
    {
        return $this->run('insertGetId', [$row]);
    }

    /** @param array<string, mixed> $values */
    public function update(array $values): int
    {
        return $this->run('update', [$values]);
    }

    /**
     * @param array<string, mixed> $attributes
     * @param array<string, mixed> $values
     */
    public function updateOrInsert(array $attributes, array $values = []): bool
    {
        return $this->run('updateOrInsert', [$attributes, $values]);
    }

    public function delete(): int
    {
        return $this->run('delete', []);
    }

    /** @param list<mixed> $arguments */
    private function remember(string $method, array $arguments): self
    {
        $this->calls[] = [$method, $arguments];
        return $this;
    }

    /** @param list<mixed> $arguments */
    private function run(string $method, array $arguments): mixed
    {
        return $this->database->statement($this->whmcs, function () use ($method, $arguments): mixed {
            $builder = new QueryBuilder($this->whmcs->database(), $this->table);
            foreach ($this->calls as [$call, $given]) {
                $builder = $builder->$call(...$given);
            }
            return $builder->$method(...$arguments);
        });
    }
}
