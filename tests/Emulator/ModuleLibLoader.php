<?php

/**
 * WHMCS's autoloading of a server module's own classes: "The above namespace is automatically
 * registered for autoloading classes within a "lib" sub-directory relative to your module
 * directory" (https://developers.whmcs.com/provisioning-modules/usage-metrics): class
 * `WHMCS\Module\Server\<Module>\<Path>` (`<Module>` the module's folder name with a capital first
 * letter, e.g. `Mymodule`) is `ROOTDIR/modules/servers/<module>/lib/<Path>.php`. Registered once,
 * by the first emulated installation.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ModuleLibLoader
{
    private const PREFIX = 'WHMCS\\Module\\Server\\';

    private static bool $registered = false;

    public static function register(): void
    {
        if (self::$registered) {
            return;
        }
        self::$registered = true;
        spl_autoload_register(static function (string $class): void {
            if (!str_starts_with($class, self::PREFIX) || !defined('ROOTDIR')) {
                return;
            }
            $parts = explode('\\', substr($class, strlen(self::PREFIX)));
            if (count($parts) < 2) {
                return;
            }
            $namespace = array_shift($parts);
            foreach (glob(ROOTDIR . '/modules/servers/*', GLOB_ONLYDIR) ?: [] as $dir) {
                if (ucfirst(strtolower(basename($dir))) !== $namespace) {
                    continue;
                }
                $file = $dir . '/lib/' . implode('/', $parts) . '.php';
                if (is_file($file)) {
                    require_once $file;
                }
                return;
            }
        });
    }
}
