<?php

/**
 * The indexes of one emulated table, as MySQL keeps them for WHMCS's (Database::INDEXES says
 * which columns and where that comes from): per indexed column, the rows holding each value, and
 * the rows in the column's order. They only make queries fast: QueryBuilder takes candidate rows
 * from them and still tests every condition on each row, so an answer is exactly the full scan's.
 *
 * The rows live in the Store, which tests and the emulator also change directly
 * (`$store->services[$id]['domainstatus'] = …`), so the index keeps the rows' array as it last saw
 * it and is rebuilt when the Store's differs. Holding that array costs nothing (PHP shares it
 * until one side is written) and comparing the same array is one pointer test; the Database's own
 * writes that touch no indexed column hand the index the written array (adopt) instead of
 * rebuilding it.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class TableIndex
{
    /** @var array<int|string, array<string, mixed>>|null the rows as last indexed (null: none) */
    private ?array $rows = null;

    /** @var array<int|string, int>|null row key => its place in the table's order (built on first use) */
    private ?array $positions = null;

    /** @var array<string, array<int|string, int|string|list<int|string>>> column => bucket key => row key(s) */
    private array $buckets = [];

    /**
     * @var array<string, array{list<int|string>, list<float>}|false> column => the row keys in the
     * column's order (ties in table order) and their values; false when a value is not a number
     * (QueryBuilder's comparison is then no total order, so only a sort of the rows can say it)
     */
    private array $sorted = [];

    /**
     * @param list<string> $columns the indexed columns
     * @param string|null $keyColumn the column whose value is the row's key in the Store (tblservers' id)
     */
    public function __construct(public readonly array $columns, private readonly ?string $keyColumn = null)
    {
    }

    /**
     * Makes the index describe ROWS (the table's rows as the Store holds them now): kept when they
     * are the rows it last saw, rebuilt (on first use) otherwise.
     *
     * @param array<int|string, array<string, mixed>> $rows
     */
    public function sync(array $rows): void
    {
        // Same array: a pointer test. A different array: PHP compares it element by element (each
        // unchanged row again by pointer), and any difference drops what was built.
        if ($this->rows !== null && $this->rows === $rows) {
            return;
        }
        $this->rows = $rows;
        $this->positions = null;
        $this->buckets = [];
        $this->sorted = [];
    }

    /**
     * Lets go of the rows before the Database writes them (so PHP need not copy the whole array
     * for the write); adopt() takes the written array back, else the next sync() rebuilds.
     */
    public function release(): void
    {
        $this->rows = null;
    }

    /**
     * After release(): ROWS are the released rows with only columns no index covers changed, so
     * every index still holds.
     *
     * @param array<int|string, array<string, mixed>> $rows
     */
    public function adopt(array $rows): void
    {
        $this->rows = $rows;
    }

    /** How many rows the table holds. */
    public function size(): int
    {
        return count($this->rows ?? []);
    }

    /**
     * The keys of the rows whose COLUMN may equal WANTED (as QueryBuilder compares: numbers by
     * value, text without case), in table order: every row that equals it, perhaps more.
     *
     * @return list<int|string>
     */
    public function lookup(string $column, mixed $wanted): array
    {
        $found = $this->bucketsOf($column)[self::bucketKey($wanted)] ?? [];
        return is_array($found) ? $found : [$found];
    }

    /**
     * KEYS (each from lookup()) as one list in table order, without repeats.
     *
     * @param list<list<int|string>> $lists
     * @return list<int|string>
     */
    public function union(array $lists): array
    {
        if (count($lists) === 1) {
            return $lists[0];
        }
        $this->positions ??= array_flip(array_keys($this->rows ?? []));
        $placed = [];
        foreach ($lists as $keys) {
            foreach ($keys as $key) {
                $placed[$key] = $this->positions[$key];
            }
        }
        asort($placed);
        return array_keys($placed);
    }

    /**
     * The row keys in COLUMN's ascending order (ties in table order) with the values compared, or
     * null when a value is no number (no total order: the caller sorts the rows instead).
     *
     * @return array{list<int|string>, list<float>}|null
     */
    public function ordered(string $column): ?array
    {
        if (!isset($this->sorted[$column])) {
            $values = [];
            foreach ($this->rows ?? [] as $key => $row) {
                $value = $this->valueOf($key, $row, $column);
                if (is_bool($value)) {
                    $value = (int) $value;
                }
                if (!is_numeric($value) || is_nan((float) $value)) {
                    $this->sorted[$column] = false;
                    return null;
                }
                $values[$key] = (float) $value;
            }
            asort($values); // stable since PHP 8.0: equal values keep table order, as uasort does
            $this->sorted[$column] = [array_keys($values), array_values($values)];
        }
        return $this->sorted[$column] === false ? null : $this->sorted[$column];
    }

    /** @return array<int|string, int|string|list<int|string>> */
    private function bucketsOf(string $column): array
    {
        if (!isset($this->buckets[$column])) {
            $buckets = [];
            foreach ($this->rows ?? [] as $key => $row) {
                $bucket = self::bucketKey($this->valueOf($key, $row, $column));
                if (!isset($buckets[$bucket])) {
                    $buckets[$bucket] = $key; // one row: its key alone (a million unique ids stay small)
                } elseif (is_array($buckets[$bucket])) {
                    $buckets[$bucket][] = $key;
                } else {
                    $buckets[$bucket] = [$buckets[$bucket], $key];
                }
            }
            $this->buckets[$column] = $buckets;
        }
        return $this->buckets[$column];
    }

    /** @param array<string, mixed> $row */
    private function valueOf(int|string $key, array $row, string $column): mixed
    {
        return $column === $this->keyColumn ? $key : ($row[$column] ?? null);
    }

    /**
     * The bucket of VALUE, made from QueryBuilder::key() (what whereIn matches on) so that values
     * QueryBuilder finds equal always share one: a whole number in its text is that integer (a
     * compact array key); INF and NAN join the text 'inf' / 'nan', which `=` finds equal to them.
     */
    public static function bucketKey(mixed $value): int|string
    {
        $key = QueryBuilder::key($value);
        if (str_starts_with($key, 'n:')) {
            $number = substr($key, 2);
            $digits = ltrim($number, '-');
            if ($digits !== '' && strlen($digits) <= 15 && strspn($digits, '0123456789') === strlen($digits)) {
                return (int) $number;
            }
            if (in_array($digits, ['INF', 'NAN'], true)) {
                return 's:' . strtolower($number);
            }
        }
        return $key;
    }
}
