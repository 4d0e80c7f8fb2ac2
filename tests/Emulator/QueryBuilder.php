<?php

/**
 * The part of Laravel's query builder (what `Capsule::table()` returns in WHMCS) that modules
 * use: where / whereIn / orderBy / limit, then value, first, get, pluck, count, exists, insert,
 * insertGetId, update (a value may be `Capsule::raw('CASE ... END')`: RawExpression), updateOrInsert,
 * delete. `upsert` is left out on purpose: it came with Laravel 8.10 and WHMCS does not document
 * which Laravel release it ships, so a module must not rely on it (calling it fails like an
 * undefined method). Comparisons are case-insensitive, like MySQL's
 * default collation. `get()` answers a plain list of stdClass rows (Laravel: a Collection).
 * A column the table lacks fails like MySQL (SQLSTATE 42S22), wherever it is named.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class QueryBuilder
{
    private const OPERATORS = ['=', '!=', '<>', '<', '>', '<=', '>=', 'in'];

    /** @var list<array{string, string, mixed}> */
    private array $wheres = [];

    /** @var array{string, string}|null */
    private ?array $order = null;

    private ?int $limit = null;

    public function __construct(private Database $database, private string $table)
    {
    }

    /** @param string|array<string, mixed> $column */
    public function where(string|array $column, mixed $operator = null, mixed $value = null): self
    {
        if (is_array($column)) {
            foreach ($column as $key => $wanted) {
                $this->wheres[] = [(string) $key, '=', $wanted];
            }
            return $this;
        }
        if (func_num_args() === 2) {
            [$operator, $value] = ['=', $operator];
        }
        $operator = strtolower((string) $operator);
        if (!in_array($operator, self::OPERATORS, true)) {
            throw new \InvalidArgumentException("the emulated query builder has no operator $operator");
        }
        $this->wheres[] = [$column, $operator, $value];
        return $this;
    }

    /** @param list<mixed> $values */
    public function whereIn(string $column, array $values): self
    {
        // The set of wanted values, keyed as order() compares them: a whereIn of 1000 ids over
        // 10,000 rows (the usage bench) is then one lookup per row, not 1000 comparisons.
        $set = [];
        foreach ($values as $value) {
            $set[self::key($value)] = true;
        }
        $this->wheres[] = [$column, 'in', $values, $set];
        return $this;
    }

    public function orderBy(string $column, string $direction = 'asc'): self
    {
        $this->order = [$column, strtolower($direction)];
        return $this;
    }

    public function limit(int $count): self
    {
        $this->limit = $count;
        return $this;
    }

    public function take(int $count): self
    {
        return $this->limit($count);
    }

    /** @return list<\stdClass> */
    public function get(): array
    {
        return array_values(array_map(fn (array $row): \stdClass => (object) $row, $this->matching('get')));
    }

    public function first(): ?\stdClass
    {
        $rows = $this->limit(1)->matching('first');
        return $rows === [] ? null : (object) reset($rows);
    }

    public function value(string $column): mixed
    {
        $this->database->checkColumns($this->table, [$column], 'field list');
        $rows = $this->limit(1)->matching('value');
        return $rows === [] ? null : (reset($rows)[$column] ?? null);
    }

    /** @return array<mixed> */
    public function pluck(string $column, ?string $key = null): array
    {
        $this->database->checkColumns($this->table, array_values(array_filter([$column, $key])), 'field list');
        $values = [];
        foreach ($this->matching('pluck') as $row) {
            if ($key === null) {
                $values[] = $row[$column] ?? null;
            } else {
                $values[$row[$key] ?? ''] = $row[$column] ?? null;
            }
        }
        return $values;
    }

    public function count(): int
    {
        return count($this->matching('count'));
    }

    public function exists(): bool
    {
        return $this->matching('exists') !== [];
    }

    /** @param array<string, mixed>|list<array<string, mixed>> $rows */
    public function insert(array $rows): bool
    {
        $this->database->record($this->table, 'insert', []);
        $list = array_is_list($rows) && $rows !== [] && is_array($rows[0]) ? $rows : [$rows];
        foreach ($list as $row) {
            $this->database->insert($this->table, $row);
        }
        return true;
    }

    /** @param array<string, mixed> $row */
    public function insertGetId(array $row): int
    {
        $this->database->record($this->table, 'insertGetId', []);
        return $this->database->insert($this->table, $row);
    }

    /** @param array<string, mixed> $values */
    public function update(array $values): int
    {
        $keys = array_keys($this->matching('update'));
        $this->database->update($this->table, $keys, $values);
        return count($keys);
    }

    /**
     * @param array<string, mixed> $attributes
     * @param array<string, mixed> $values
     */
    public function updateOrInsert(array $attributes, array $values = []): bool
    {
        $this->where($attributes);
        if ($this->exists()) {
            $this->update($values);
            return true;
        }
        return $this->database->insert($this->table, $attributes + $values) >= 0;
    }

    public function delete(): int
    {
        $keys = array_keys($this->matching('delete'));
        $this->database->delete($this->table, $keys);
        return count($keys);
    }

    /** @return array<int|string, array<string, mixed>> the matching rows, ordered and limited */
    private function matching(string $operation): array
    {
        $this->database->record($this->table, $operation, $this->wheres);
        $this->database->checkColumns($this->table, array_column($this->wheres, 0), 'where clause');
        if ($this->order !== null) {
            $this->database->checkColumns($this->table, [$this->order[0]], 'order clause');
        }
        $rows = array_filter($this->database->rows($this->table), function (array $row): bool {
            foreach ($this->wheres as $where) {
                [$column, $operator, $wanted] = $where;
                $matches = isset($where[3])
                    ? isset($where[3][self::key($row[$column] ?? null)])
                    : self::compare($row[$column] ?? null, $operator, $wanted);
                if (!$matches) {
                    return false;
                }
            }
            return true;
        });
        if ($this->order !== null) {
            [$column, $direction] = $this->order;
            uasort($rows, fn (array $a, array $b): int => ($direction === 'desc' ? -1 : 1)
                * self::order($a[$column] ?? null, $b[$column] ?? null));
        }
        return $this->limit === null ? $rows : array_slice($rows, 0, $this->limit, true);
    }

    private static function compare(mixed $actual, string $operator, mixed $wanted): bool
    {
        if ($operator === 'in') {
            foreach ((array) $wanted as $one) {
                if (self::order($actual, $one) === 0) {
                    return true;
                }
            }
            return false;
        }
        $order = self::order($actual, $wanted);
        return match ($operator) {
            '=' => $order === 0,
            '!=', '<>' => $order !== 0,
            '<' => $order < 0,
            '>' => $order > 0,
            '<=' => $order <= 0,
            default => $order >= 0,
        };
    }

    /** VALUE as order() compares it: numbers by value, anything else as case-folded text. */
    private static function key(mixed $value): string
    {
        if (is_bool($value)) {
            $value = (int) $value;
        }
        return is_numeric($value) ? 'n:' . (float) $value : 's:' . strtolower((string) $value);
    }

    private static function order(mixed $a, mixed $b): int
    {
        if (is_bool($a)) {
            $a = (int) $a;
        }
        if (is_bool($b)) {
            $b = (int) $b;
        }
        if (is_numeric($a) && is_numeric($b)) {
            return (float) $a <=> (float) $b;
        }
        return strcasecmp((string) $a, (string) $b) <=> 0;
    }
}
