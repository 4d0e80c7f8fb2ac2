<?php

/**
 * Subprocess driver for ExtensionMissingTest: stands in for WHMCS without the sgwhmcs extension.
 * Defines WHMCS, add_hook() and logActivity() (recording), includes the hooks file, runs every
 * registered hook of HOOK_POINT with VARS_JSON and prints what was registered, logged and
 * returned as JSON.
 *
 *   php -n run-without-extension.php HOOKS_FILE HOOK_POINT VARS_JSON
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a driver that stands in for WHMCS's host functions

[, $hooksFile, $point, $varsJson] = $argv;
define('WHMCS', true);

$registered = [];
$activity = [];

/** WHMCS: registers a hook function for a hook point. */
function add_hook($hookPoint, $priority, $function, $unused = '')
{
    $GLOBALS['registered'][] = ['point' => $hookPoint, 'priority' => $priority, 'function' => $function];
}

/** WHMCS: one line in the Activity Log. */
function logActivity($message, $userId = 0)
{
    $GLOBALS['activity'][] = ['message' => $message, 'clientId' => $userId];
}

require $hooksFile;

$vars = json_decode($varsJson, true, 8, JSON_THROW_ON_ERROR);
$returned = [];
foreach ($registered as $hook) {
    if ($hook['point'] === $point) {
        $returned[] = call_user_func($hook['function'], $vars);
    }
}
echo json_encode([
    'extension' => extension_loaded('sgwhmcs'),
    'registered' => $registered,
    'activity' => $activity,
    'returned' => $returned,
], JSON_THROW_ON_ERROR), "\n";
