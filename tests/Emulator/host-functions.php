<?php

/**
 * The global functions WHMCS defines for modules and hooks, forwarding to the current emulated
 * installation (Host::current()). Declarations only: tests/bootstrap.php includes this file.
 */

declare(strict_types=1);

use SgWhmcs\Tests\Emulator\Host;

/**
 * WHMCS: records one entry in the Module Log, with each value of $replaceVars scrubbed.
 */
function logModuleCall($module, $action, $requestString, $responseData, $processedData = '', $replaceVars = [])
{
    Host::current()->recordModuleCall($module, $action, $requestString, $responseData, $processedData, $replaceVars);
}

/**
 * WHMCS: records one line in the Activity Log.
 */
function logActivity($message, $userId = 0)
{
    Host::current()->recordActivity((string) $message, (int) $userId);
}

/**
 * WHMCS: runs an internal API command; answers ['result' => 'success', ...] or an error.
 */
function localAPI($command, $values = [], $adminUser = '')
{
    return Host::current()->localApi()->call((string) $command, is_array($values) ? $values : []);
}

/**
 * WHMCS: registers a hook function for a hook point; lower priorities run first.
 */
function add_hook($hookPoint, $priority, $function, $unused = '')
{
    Host::current()->hooks()->add((string) $hookPoint, (int) $priority, $function);
}

/**
 * WHMCS: encrypts a string with the installation's encryption hash (service and server
 * passwords, client custom fields of type password are stored this way).
 */
function encrypt($string)
{
    return \SgWhmcs\Tests\Emulator\Crypto::encrypt((string) $string);
}

/**
 * WHMCS: decrypts what encrypt() made; anything else gives ''.
 */
function decrypt($string)
{
    return \SgWhmcs\Tests\Emulator\Crypto::decrypt((string) $string);
}
