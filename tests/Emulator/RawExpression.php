<?php

/**
 * What `Capsule::raw($sql)` answers (Laravel's Illuminate\Database\Query\Expression), usable as a
 * value of `update()`: the one batched-write form modules need, evaluated per row:
 *
 *     CASE `id` WHEN 1 THEN 100 WHEN 2 THEN 'x' ... [ELSE `column`] END
 *
 * (column names with or without backticks, integer keys, numeric or single-quoted values). Without
 * ELSE, a row no WHEN names gets NULL, as in MySQL. Any other SQL is refused: the emulator does not
 * run SQL, and a test must not pass on SQL it cannot check.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class RawExpression
{
    private const CASE_PATTERN = '/^\s*CASE\s+`?(\w+)`?\s+'
        . '((?:WHEN\s+(?:-?\d+|\'[^\']*\')\s+THEN\s+(?:-?\d+(?:\.\d+)?|\'[^\']*\')\s+)+)'
        . '(?:ELSE\s+`?(\w+)`?\s+)?END\s*$/is';

    private const WHEN_PATTERN = '/WHEN\s+(-?\d+|\'[^\']*\')\s+THEN\s+(-?\d+(?:\.\d+)?|\'[^\']*\')/i';

    private string $keyColumn;

    private ?string $elseColumn;

    /** @var array<string, string> key => value (quotes removed) */
    private array $cases = [];

    public function __construct(public readonly string $sql)
    {
        if (preg_match(self::CASE_PATTERN, $sql, $match) !== 1) {
            throw new \RuntimeException(
                'the emulator evaluates only CASE <column> WHEN <key> THEN <value> ... [ELSE <column>] END, not: '
                . substr($sql, 0, 120)
            );
        }
        $this->keyColumn = $match[1];
        $this->elseColumn = ($match[3] ?? '') !== '' ? $match[3] : null;
        preg_match_all(self::WHEN_PATTERN, $match[2], $whens, PREG_SET_ORDER);
        foreach ($whens as [, $key, $value]) {
            $this->cases[trim($key, "'")] = trim($value, "'");
        }
    }

    /** @return list<string> the columns the expression reads */
    public function columns(): array
    {
        return array_values(array_filter([$this->keyColumn, $this->elseColumn]));
    }

    /**
     * The value for ROW.
     *
     * @param array<string, mixed> $row
     */
    public function evaluate(array $row): mixed
    {
        $key = (string) ($row[$this->keyColumn] ?? '');
        if (array_key_exists($key, $this->cases)) {
            return $this->cases[$key];
        }
        return $this->elseColumn === null ? null : ($row[$this->elseColumn] ?? null);
    }

    public function __toString(): string
    {
        return $this->sql;
    }
}
