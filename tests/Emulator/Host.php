<?php

/**
 * Which emulated WHMCS installation the global host functions (logModuleCall, logActivity,
 * localAPI, add_hook in host-functions.php) talk to: one per test, made by Whmcs::fresh().
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Host
{
    private static ?Whmcs $current = null;

    public static function use(Whmcs $whmcs): void
    {
        self::$current = $whmcs;
    }

    public static function current(): Whmcs
    {
        return self::$current ?? throw new \LogicException('no emulated WHMCS: call Whmcs::fresh() first');
    }
}
