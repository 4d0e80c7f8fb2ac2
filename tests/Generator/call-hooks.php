<?php

/**
 * Subprocess driver for GeneratorTest: includes a generated hooks file the way WHMCS does (with
 * add_hook() recording what it registers), runs every registered hook with VARS_JSON and prints
 * point, priority and what each returned as JSON.
 *
 *   php [-n] call-hooks.php HOOKS_FILE VARS_JSON
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a driver that stands in for WHMCS's add_hook()

[, $hooksFile, $varsJson] = $argv;
require __DIR__ . '/../Emulator/constants.php';

$registered = [];

/** WHMCS: registers a hook function for a hook point. */
function add_hook($hookPoint, $priority, $function, $unused = '')
{
    $GLOBALS['registered'][] = [$hookPoint, $priority, $function];
}

require $hooksFile;

$vars = json_decode($varsJson, true, 8, JSON_THROW_ON_ERROR);
$results = [];
foreach ($registered as [$point, $priority, $function]) {
    $results[] = ['point' => $point, 'priority' => $priority, 'returned' => $function($vars)];
}
echo json_encode($results, JSON_THROW_ON_ERROR), "\n";
