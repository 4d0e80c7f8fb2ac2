<?php

/**
 * `WHMCS\Database\Capsule` for the deployment test (tests/Deployment/run.sh), reduced to what the
 * module asks of it there: this install's id in `tblconfiguration` (core/src/whmcs/reference.rs), read
 * with `table()->where()->value()` and added once with `insertGetId()`. The rows live in a JSON
 * file in the log directory, shared by every php-fpm worker under an exclusive lock, as WHMCS's
 * one database is.
 */

declare(strict_types=1);

namespace WHMCS\Database;

final class Capsule
{
    /** A query on TABLE. */
    public static function table(string $table): CapsuleQuery
    {
        if ($table !== 'tblconfiguration') {
            throw new \RuntimeException("the deployment test has no table $table");
        }
        return new CapsuleQuery();
    }
}

/** One query on tblconfiguration: `where(...)->value(column)` or `insertGetId(row)`. */
final class CapsuleQuery
{
    /** @var array<string, mixed> */
    private array $wheres = [];

    public function where(string $column, mixed $value): self
    {
        $this->wheres[$column] = $value;
        return $this;
    }

    public function value(string $column): mixed
    {
        return self::locked(function (array $rows) use ($column): array {
            $wanted = array_map('strval', $this->wheres);
            foreach ($rows as $row) {
                if (array_intersect_assoc($wanted, $row) === $wanted) {
                    return [$rows, $row[$column] ?? null];
                }
            }
            return [$rows, null];
        });
    }

    /** @param array<string, mixed> $row */
    public function insertGetId(array $row): int
    {
        return self::locked(fn (array $rows): array => [[...$rows, array_map('strval', $row)], 0]);
    }

    /** Runs WORK on the rows under an exclusive lock; WORK answers [new rows, result]. */
    private static function locked(callable $work): mixed
    {
        $path = (string) ($_SERVER['SGWHMCS_DEPLOY_LOGDIR'] ?? sys_get_temp_dir()) . '/tblconfiguration.json';
        $file = fopen($path, 'c+');
        if ($file === false || !flock($file, LOCK_EX)) {
            throw new \RuntimeException('the deployment test database is not available');
        }
        try {
            $rows = json_decode((string) stream_get_contents($file), true);
            [$rows, $result] = $work(is_array($rows) ? $rows : []);
            ftruncate($file, 0);
            rewind($file);
            fwrite($file, (string) json_encode($rows));
            return $result;
        } finally {
            flock($file, LOCK_UN);
            fclose($file);
        }
    }
}
