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
            . "\$cc_encryption_hash = '" . Crypto::HASH . "';\n"
            . "\$templates_compiledir = 'templates_c';\n"
            . "\$customadminpath = '" . self::ADMIN_PATH . "';\n";
        file_put_contents($root . '/configuration.php', $configuration);
    }

    /**
     * The admin folder of the installation at ROOT, as WHMCS finds it: `$customadminpath` of
     * configuration.php, else `admin`.
     */
    public static function adminFolder(string $root): string
    {
        $read = static function (string $file): string {
            $customadminpath = '';
            include $file;
            return is_string($customadminpath) && $customadminpath !== '' ? $customadminpath : 'admin';
        };
        return $read($root . '/configuration.php');
    }

    /**
     * Renames the admin folder of ROOT to FOLDER in configuration.php (null: the default `admin`,
     * no `$customadminpath` line) and makes sure the folder exists.
     */
    public static function setAdminFolder(string $root, ?string $folder): void
    {
        $file = $root . '/configuration.php';
        $lines = array_filter(
            explode("\n", (string) file_get_contents($file)),
            fn (string $line): bool => !str_starts_with($line, '$customadminpath')
        );
        $text = rtrim(implode("\n", $lines), "\n") . "\n";
        if ($folder !== null) {
            $text .= '$customadminpath = ' . var_export($folder, true) . ";\n";
        }
        file_put_contents($file, $text);
        $dir = $root . '/' . ($folder ?? 'admin');
        if (!is_dir($dir) && !mkdir($dir, 0755, true)) {
            throw new \RuntimeException("cannot create $dir");
        }
    }

    /** The error log file a module writes in the admin folder (the product documentation's place). */
    public const ERROR_LOG = 'whmcs_error.log';

    /**
     * Makes the admin folder of ROOT not writable by PHP, as it often is (owned by the deploy
     * user, served by the web server): mode 0555. Running as root ignores modes, so then the
     * error log's path is also taken by a directory (kept file moved aside), which no one can
     * open for writing. makeAdminFolderWritable() undoes both.
     */
    public static function makeAdminFolderUnwritable(string $root): void
    {
        $dir = $root . '/' . self::adminFolder($root);
        $log = $dir . '/' . self::ERROR_LOG;
        if (is_file($log)) {
            rename($log, $dir . '/.' . self::ERROR_LOG . '.kept');
        }
        if (!is_dir($log)) {
            mkdir($log, 0555);
        }
        chmod($dir, 0555);
        clearstatcache();
    }

    /** Undoes makeAdminFolderUnwritable(). */
    public static function makeAdminFolderWritable(string $root): void
    {
        $dir = $root . '/' . self::adminFolder($root);
        chmod($dir, 0755);
        $log = $dir . '/' . self::ERROR_LOG;
        if (is_dir($log)) {
            rmdir($log);
        }
        if (is_file($dir . '/.' . self::ERROR_LOG . '.kept')) {
            rename($dir . '/.' . self::ERROR_LOG . '.kept', $log);
        }
        clearstatcache();
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
