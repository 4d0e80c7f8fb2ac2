<?php

/**
 * PHPUnit bootstrap: autoloading, the emulated WHMCS (WHMCS, ROOTDIR, host functions), the
 * module generated into ROOTDIR and loaded once. The ONE TLS sgsim shared by all tests is
 * started on first use by Sim::shared() and stopped at shutdown.
 *
 * Run from the repository root:
 *   php -d extension=$PWD/target/release/libsgwhmcs.so /usr/bin/phpunit
 */

declare(strict_types=1);

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\TestModule;

require_once __DIR__ . '/autoload.php';

ini_set('default_socket_timeout', '15');

// The command-line generator records every module it writes in the host's list
// (/var/lib/sgwhmcs/modules.json for root; ModuleGenerator::knownListPath()). The generators the
// tests run (and their child processes, which inherit this) keep a list of this run's own, so a
// test never leaves the host a list naming scratch folders.
if (getenv('SGWHMCS_MODULES_LIST') === false) {
    $modulesList = sys_get_temp_dir() . '/sgwhmcs-tests-modules-' . getmypid() . '.json';
    putenv('SGWHMCS_MODULES_LIST=' . $modulesList);
    register_shutdown_function(static function () use ($modulesList): void {
        @unlink($modulesList);
        @unlink(dirname($modulesList) . '/.' . basename($modulesList) . '.lock');
    });
}

if (!function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "The sgwhmcs extension is not loaded. Build it (cargo build --release -p sgwhmcs) and run\n"
        . "  php -d extension=\$PWD/target/release/libsgwhmcs.so /usr/bin/phpunit\n");
    exit(1);
}

require_once __DIR__ . '/Emulator/constants.php';
WhmcsTree::create(ROOTDIR);
require_once ModuleGenerator::generate(TestModule::NAME, ROOTDIR);

register_shutdown_function(static function (): void {
    WhmcsTree::remove(ROOTDIR);
});
