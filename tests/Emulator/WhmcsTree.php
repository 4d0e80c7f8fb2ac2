<?php

/**
 * A scratch WHMCS installation directory (ROOTDIR): configuration.php (with a renamed admin
 * folder, as many real installations have), the admin folder, modules/servers/ and
 * includes/hooks/. Removed again by remove().
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class WhmcsTree
{
    /** The renamed admin folder ($customadminpath in configuration.php). */
    public const ADMIN_PATH = 'staff';

    public static function create(string $root): void
    {
        foreach (['', '/' . self::ADMIN_PATH, '/modules/servers', '/includes/hooks'] as $dir) {
            if (!is_dir($root . $dir) && !mkdir($root . $dir, 0755, true)) {
                throw new \RuntimeException("cannot create $root$dir");
            }
        }
        $configuration = "<?php\n"
            . "\$license = 'WHMCS-EMULATOR';\n"
            . "\$db_host = 'localhost';\n"
            . "\$db_username = 'whmcs';\n"
            . "\$db_password = '';\n"
            . "\$db_name = 'whmcs';\n"
            . "\$cc_encryption_hash = 'emulator';\n"
            . "\$templates_compiledir = 'templates_c';\n"
            . "\$customadminpath = '" . self::ADMIN_PATH . "';\n";
        file_put_contents($root . '/configuration.php', $configuration);
    }

    /** Removes ROOT and everything in it. */
    public static function remove(string $root): void
    {
        if (!is_dir($root)) {
            return;
        }
        $items = new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator($root, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::CHILD_FIRST
        );
        foreach ($items as $item) {
            $item->isDir() && !$item->isLink() ? rmdir($item->getPathname()) : unlink($item->getPathname());
        }
        rmdir($root);
    }
}
