<?php

/**
 * The one class autoloader of the PHP side: maps the project's namespaces onto their folders.
 * Required by tests/autoload.php (which adds the emulated WHMCS's global functions and Capsule)
 * and by child-process fixtures that bring their own Capsule.
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
