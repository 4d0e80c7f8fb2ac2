<?php

// A WHMCS hooks file both declares its hook functions and registers them: that is its job.
// phpcs:disable PSR1.Files.SideEffects

/**
 * sgwhmcs action hooks: create a reseller or customer on the Backup Server when a client is
 * added (ClientAdd) or an order is accepted (AcceptOrder).
 *
 * Install: copy this file to <WHMCS>/includes/hooks/whmcsHooks.php, edit the settings below,
 * and choose one add_hook() line at the bottom. It needs the sgwhmcs PHP extension loaded in
 * the PHP that runs WHMCS (php-fpm and the CLI cron). Failures never stop WHMCS: each one is
 * written as one line to <WHMCS>/<admin folder>/whmcs_error.log and to the Activity Log.
 *
 * AcceptOrder makes no account for an order that holds a product of the Backup Server module
 * (the module's Create makes that service's account): one account per order. Such an order is
 * noted in the Activity Log.
 *
 * All logic lives in the extension; this file only holds your settings.
 */

if (!defined("WHMCS")) {
    die("This file cannot be accessed directly");
}

// Backup Server web console connection. Recommended: the id of a WHMCS server of the module
// (Setup > Products/Services > Servers; the id is in the server's edit link). Its hostname, port,
// SSL, username, password (which WHMCS keeps encrypted) and Access Hash (the certificate's
// SHA-256 fingerprint) are used, so no password sits in this file; the six variables below are
// then ignored (leave the five after $protocal empty, or the Activity Log warns).
$sgwhmcsServerId = "";          // e.g. "3"

// The legacy way, the variables of the product documentation (the password in plain text here).
$protocal = "https";            // https or http
$serverName = "";               // host name or IP address of the Backup Server
$port = "";                     // empty: 6061 for https, 6060 for http
$userName = "";                 // web console admin user name
$loginPassword = "";            // web console admin password
// SHA-256 fingerprint of the server's certificate, for a self-signed https server.
$certificateSha256 = "";

// The accounts the hooks create: the same settings, names and rules as the module settings.
$sgwhmcsPolicy = [
    "Reseller Name" => "",                          // customers go under this reseller
    "Activation Status" => "on",
    "Auto Authorization Status" => "",
    "Storage Allotted" => "107374182400",           // bytes (100 GiB)
    "Storage Location" => "",
    "Enable Consolidated Report" => "",
    "Consolidated Report Email" => "",
    "Is Auto MCAL" => "on",
    "Allot MCAL" => "",
    "Bandwidth Throttling" => "Global Configuration",
    "Enable Throttle for new configuration" => "",
    "Throttle Settings" => "Always Throttle",
    "Throttle From" => "",
    "Throttle Till" => "",
    "Restricted Rate" => "",
    "Send Mail" => "",
    "Retrieve Customer Pass Key" => "on",           // customers: store it in the "Pass Key" field
];

$GLOBALS['sgwhmcsHooksConfig'] = [
    'sgwhmcsServerId' => $sgwhmcsServerId,
    'protocal' => $protocal,
    'serverName' => $serverName,
    'port' => $port,
    'userName' => $userName,
    'loginPassword' => $loginPassword,
    'certificateSha256' => $certificateSha256,
    'policy' => $sgwhmcsPolicy,
];
unset($sgwhmcsServerId, $protocal, $serverName, $port, $userName, $loginPassword, $certificateSha256, $sgwhmcsPolicy);

if (!function_exists('SGSignupReseller')) {
    /**
     * Creates a reseller for the client of a ClientAdd or AcceptOrder hook.
     */
    function SGSignupReseller($vars)
    {
        sgwhmcsHookSignup('reseller', $vars);
    }

    /**
     * Creates a customer for the client of a ClientAdd or AcceptOrder hook.
     */
    function SGSignupCustomer($vars)
    {
        sgwhmcsHookSignup('customer', $vars);
    }

    /**
     * Hands the hook to the extension; without it, says so where an admin looks. Catches every
     * \Throwable, so that a hook never interrupts WHMCS (the client is still added, the order
     * still accepted).
     */
    function sgwhmcsHookSignup($kind, $vars)
    {
        $clientId = is_array($vars) ? (int) ($vars['client_id'] ?? $vars['userid'] ?? 0) : 0;
        try {
            if (!function_exists('SgWhmcs\hook_signup')) {
                logActivity(
                    'sgwhmcs hooks: the sgwhmcs PHP extension is not loaded in this PHP; no Backup Server account '
                    . 'was created (add extension=/path/to/libsgwhmcs.so to its php.ini and restart php-fpm)',
                    $clientId
                );
                return;
            }
            $config = $GLOBALS['sgwhmcsHooksConfig'] ?? null;
            \SgWhmcs\hook_signup($kind, is_array($vars) ? $vars : [], is_array($config) ? $config : []);
        } catch (\Throwable $e) {
            sgwhmcsHookFailed($e, $clientId);
        }
    }

    /**
     * Reports a hook that threw, without throwing in turn: its class, file and line only (a
     * message may quote a value, a password among them).
     */
    function sgwhmcsHookFailed($e, $clientId)
    {
        $line = 'sgwhmcs hooks: no Backup Server account was created: ' . get_class($e)
            . ' at ' . basename($e->getFile()) . ':' . $e->getLine();
        try {
            error_log($line);
            logActivity($line, $clientId);
        } catch (\Throwable $ignored) {
            // Nowhere left to report it; WHMCS goes on.
        }
    }
}

add_hook("ClientAdd", 0, "SGSignupReseller", "");
#add_hook("ClientAdd", 0, "SGSignupCustomer", "");
#add_hook("AcceptOrder", 0, "SGSignupReseller", "");
#add_hook("AcceptOrder", 0, "SGSignupCustomer", "");
