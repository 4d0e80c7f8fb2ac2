<?php

/**
 * One real module call from the PHP under test (tests/Builds/run.sh): the deployment test's
 * front script (tools/deploy/front.php, WHMCS reduced to one module call) run from the command
 * line instead of php-fpm, so a build proves itself in its own PHP, inside the Debian 13 root
 * too, with the same host functions and products as the deployment test.
 *
 *   php -n -d extension=SO tests/Builds/call.php CONFIG DIR FN [USER SID]
 *
 * CONFIG: {"A": <sgsim's JSON line>} (product A, pinned to that simulator's certificate);
 * DIR: a writable directory for the module log and the install id; FN: TestConnection or
 * CreateAccount. Prints front.php's JSON answer ({product, fn, result, calls, ...}).
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a driver: sets up the request, then runs the front script

[, $config, $dir, $fn] = $argv + [null, '', '', ''];
if ($config === '' || $dir === '' || $fn === '' || !function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "usage: php -d extension=SO call.php CONFIG DIR FN [USER SID] (extension loaded)\n");
    exit(2);
}
$_GET = ['product' => 'A', 'fn' => $fn, 'user' => $argv[4] ?? '', 'sid' => $argv[5] ?? '1'];
$_SERVER['SGWHMCS_DEPLOY_CONFIG'] = $config;
$_SERVER['SGWHMCS_DEPLOY_LOGDIR'] = $dir;
require __DIR__ . '/../../tools/deploy/front.php';
