<?php

/**
 * WHMCS's database facade `WHMCS\Database\Capsule` (Laravel's Capsule Manager), emulated:
 * `Capsule::table($name)` answers a query builder over the current emulated installation.
 * Declarations only: tests/bootstrap.php includes this file.
 */

declare(strict_types=1);

namespace WHMCS\Database;

use SgWhmcs\Tests\Emulator\Host;
use SgWhmcs\Tests\Emulator\QueryBuilder;
use SgWhmcs\Tests\Emulator\RawExpression;

final class Capsule
{
    public static function table(string $table): QueryBuilder
    {
        return new QueryBuilder(Host::current()->database(), $table);
    }

    /** Laravel's `raw()`: an SQL expression (only CASE ... END, evaluated by RawExpression). */
    public static function raw(string $sql): RawExpression
    {
        return new RawExpression($sql);
    }
}
