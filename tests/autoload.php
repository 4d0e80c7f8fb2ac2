<?php

/**
 * The one autoloader of the PHP side, for everything that runs the module outside WHMCS: the
 * PHPUnit bootstrap (tests/bootstrap.php) and `make demo` (tools/demo.php). Maps the project's
 * namespaces onto their folders (tests/class-loader.php) and loads the emulated WHMCS's global
 * functions and Capsule.
 */

declare(strict_types=1);

require_once __DIR__ . '/class-loader.php';
require_once __DIR__ . '/Emulator/host-functions.php';
require_once __DIR__ . '/Emulator/Capsule.php';
