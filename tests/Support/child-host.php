<?php

/**
 * The WHMCS host a module call in a PHP process of its own needs when WHMCS's only stored fact is
 * the install id: the settings table holding the id the parent chose, and logging that keeps
 * nothing. Required by tests/Identity/fixtures/call-in-own-process.php and
 * tests/Reliability/fixtures/create-in-own-process.php, which add their own localAPI.
 */

declare(strict_types=1);

namespace WHMCS\Database {

    /** tblconfiguration only: the install id of the job. */
    final class Capsule
    {
        public static string $installId = '';

        public static function table(string $table): object
        {
            return new class ($table) {
                public function __construct(private string $table)
                {
                }

                public function where(string $column, mixed $value): self
                {
                    return $this;
                }

                public function value(string $column): ?string
                {
                    if ($this->table !== 'tblconfiguration') {
                        throw new \RuntimeException("no table {$this->table} here");
                    }
                    return Capsule::$installId;
                }

                /** @param array<string, mixed> $row */
                public function insertGetId(array $row): int
                {
                    throw new \RuntimeException('the install id is set by the parent');
                }
            };
        }
    }
}

namespace {

    function logModuleCall(mixed ...$arguments): void
    {
    }

    function logActivity(mixed ...$arguments): void
    {
    }
}
