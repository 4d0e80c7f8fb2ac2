<?php

/**
 * The part of Laravel's query builder (what `Capsule::table()` returns in WHMCS) that modules
 * use: where / whereIn / orderBy / limit, then value, first, get, pluck, count, exists, insert,
 * insertGetId, update (a value may be `Capsule::raw('CASE ... END')`: RawExpression), updateOrInsert,
 * delete. `upsert` is left out on purpose: it came with Laravel 8.10 and WHMCS does not document
 * which Laravel release it ships, so a module must not rely on it (calling it fails like an
 * undefined method). Comparisons are case-insensitive, like MySQL's
 * default collation. `get()` answers a plain list of stdClass rows (Laravel: a Collection).
 * A column the table lacks fails like MySQL (SQLSTATE 42S22), wherever it is named. A query
 * picks the rows it tests through the table's indexes (Database::INDEXES, TableIndex) where
 * WHMCS's MySQL has them; its answer is always what the full scan answers.
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
        $index = $this->database->index($this->table);
        if ($index === null) {
            return $this->select($this->database->rows($this->table));
        }
        // The index only picks the rows to look at; every condition is still tested on each row
        // (select(), walk()), so the answer is exactly the full scan's.
        $narrowest = $this->narrowest($index);
        $walked = $this->walk($index, $narrowest === null ? null : $narrowest[0]);
        if ($walked !== null) {
            return $walked;
        }
        return $this->select($narrowest === null
            ? $this->database->rows($this->table)
            : $this->database->rowsAt($this->table, $index->union($narrowest[1])));
    }

    /**
     * The rows of ROWS (in table order) that meet every condition, ordered (a stable sort, as
     * MySQL's order among equal values is not one a caller may rely on either) and limited.
     *
     * @param array<int|string, array<string, mixed>> $rows
     * @return array<int|string, array<string, mixed>>
     */
    private function select(array $rows): array
    {
        $rows = array_filter($rows, fn (array $row): bool => $this->meets($row));
        if ($this->order !== null) {
            [$column, $direction] = $this->order;
            uasort($rows, fn (array $a, array $b): int => ($direction === 'desc' ? -1 : 1)
                * self::order($a[$column] ?? null, $b[$column] ?? null));
        }
        return $this->limit === null ? $rows : array_slice($rows, 0, $this->limit, true);
    }

    /** @param array<string, mixed> $row whether ROW meets every condition */
    private function meets(array $row): bool
    {
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
    }

    /**
     * The rows that can meet the conditions, from the indexed column with the fewest (`=` or `in`
     * of plain values): how many, and their keys per wanted value (TableIndex::union() makes them
     * one list in table order); null when no condition narrows by an index.
     *
     * @return array{int, list<list<int|string>>}|null
     */
    private function narrowest(TableIndex $index): ?array
    {
        $best = null;
        foreach ($this->wheres as [$column, $operator, $wanted]) {
            if (!in_array($column, $index->columns, true) || ($operator !== '=' && $operator !== 'in')) {
                continue;
            }
            $values = $operator === 'in' ? (array) $wanted : [$wanted];
            if (array_filter($values, fn (mixed $value): bool => $value !== null && !is_scalar($value)) !== []) {
                continue; // a value the comparison would turn into text: left to the scan
            }
            $lists = array_map(fn (mixed $value): array => $index->lookup($column, $value), $values);
            $count = array_sum(array_map('count', $lists));
            if ($best === null || $count < $best[0]) {
                $best = [$count, $lists];
            }
        }
        return $best;
    }

    /**
     * For `orderBy(C)->limit(N)` on an indexed column C whose values are all numbers: the rows
     * read in C's order (from the first value a `>`/`>=` condition on C allows, up to the last a
     * `<`/`<=` one allows) until N meet the conditions, so a page costs its rows, not a sort of
     * the table. That is the stable sort's answer: C's order, ties in table order. Null when that
     * does not apply, or when the CANDIDATES an index narrowed to (how many) are fewer than what
     * the walk would read.
     *
     * @return array<int|string, array<string, mixed>>|null
     */
    private function walk(TableIndex $index, ?int $candidates): ?array
    {
        if ($this->order === null || $this->order[1] !== 'asc' || $this->limit === null || $this->limit < 1) {
            return null;
        }
        $column = $this->order[0];
        if (!in_array($column, $index->columns, true)) {
            return null;
        }
        // Reading the table in order finds a page after about limit * size / candidates rows.
        if ($candidates !== null && $candidates ** 2 <= $this->limit * $index->size()) {
            return null;
        }
        $ordered = $index->ordered($column);
        if ($ordered === null) {
            return null;
        }
        [$keys, $values] = $ordered;
        [$from, $to] = [0, count($keys)];
        foreach ($this->wheres as [$where, $operator, $wanted]) {
            if (is_bool($wanted)) {
                $wanted = (int) $wanted;
            }
            if ($where !== $column || !is_numeric($wanted) || is_nan((float) $wanted)) {
                continue; // a bound only a number gives (NAN: PHP's <=> answers 1, no order)
            }
            $bound = (float) $wanted;
            $from = match ($operator) {
                '>' => max($from, self::firstAbove($values, $bound, false)),
                '>=', '=' => max($from, self::firstAbove($values, $bound, true)),
                default => $from,
            };
            $to = match ($operator) {
                '<' => min($to, self::firstAbove($values, $bound, true)),
                '<=', '=' => min($to, self::firstAbove($values, $bound, false)),
                default => $to,
            };
        }
        $page = [];
        for ($i = $from; $i < $to && count($page) < $this->limit; $i++) {
            $row = $this->database->rowsAt($this->table, [$keys[$i]]);
            if ($row !== [] && $this->meets(reset($row))) {
                $page[$keys[$i]] = reset($row);
            }
        }
        return $page;
    }

    /**
     * The first place in VALUES (ascending) holding a value above BOUND (or equal to it, with
     * EQUAL), count(VALUES) when none does.
     *
     * @param list<float> $values
     */
    private static function firstAbove(array $values, float $bound, bool $equal): int
    {
        [$low, $high] = [0, count($values)];
        while ($low < $high) {
            $middle = intdiv($low + $high, 2);
            if ($values[$middle] > $bound || ($equal && $values[$middle] == $bound)) {
                $high = $middle;
            } else {
                $low = $middle + 1;
            }
        }
        return $low;
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

    /**
     * VALUE as order() compares it: numbers by value, anything else as case-folded text (whereIn
     * matches on it; TableIndex buckets by it).
     */
    public static function key(mixed $value): string
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
