<?php

/**
 * The one autoloader of the PHP side, for everything that runs the module outside WHMCS: the
 * PHPUnit bootstrap (tests/bootstrap.php) and `make demo` (tools/demo.php). Maps the project's
 * namespaces onto their folders and loads the emulated WHMCS's global functions and Capsule.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $roots = [
        'SgWhmcs\\Tests\\' => __DIR__ . '/',
        'SgWhmcs\\Generator\\' => dirname(__DIR__) . '/php/',
        'WHMCS\\' => __DIR__ . '/Emulator/WHMCS/',
    ];
    foreach ($roots as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require_once $file;
            }
            return;
        }
    }
});
require_once __DIR__ . '/Emulator/host-functions.php';
require_once __DIR__ . '/Emulator/Capsule.php';
