<?php

/**
 * The front script of the deployment test (tests/Deployment/run.sh): what WHMCS would be in a
 * real php-fpm + nginx installation, reduced to one module call per HTTP request.
 *
 * GET /front.php?product=A|B&fn=CreateAccount|SuspendAccount|TestConnection&user=NAME&sid=N
 *     runs \SgWhmcs\module_call('deploytest', fn, params) for product A (on sgsim A) or
 *     product B (on sgsim B), each pinned with its simulator's certificate fingerprint, and
 *     answers JSON: {product, fn, result, pid, calls: [{action, method, url}], sockets: [inode]}.
 * GET /front.php?fn=ping
 *     answers {"pong": true, "version": SgWhmcs\version(), "pid": ...} (start-up check).
 *
 * The simulators' JSON lines come from the file named by the FastCGI parameter
 * SGWHMCS_DEPLOY_CONFIG ({"A": {...sgsim line...}, "B": {...}}), set in nginx.conf; the log
 * directory from SGWHMCS_DEPLOY_LOGDIR. logModuleCall keeps the calls of this request (for the
 * answer) and appends them, scrubbed of every $replaceVars value, to modulelog.jsonl there.
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a front script that stands in for WHMCS's host functions

define('WHMCS', true);
define('ROOTDIR', __DIR__);
require __DIR__ . '/capsule.php';

/** @var list<array{action: string, method: string, url: string}> the module calls of this request */
$GLOBALS['deploy_calls'] = [];

/**
 * WHMCS: one Module Log entry per request to the Backup Server.
 *
 * @param mixed $request ['method' => ..., 'url' => ..., 'body' => ...]
 * @param mixed $replaceVars secrets to scrub
 */
function logModuleCall($module, $action, $request, $response, $processedData = '', $replaceVars = [])
{
    $method = is_array($request) ? (string) ($request['method'] ?? '') : '';
    $url = is_array($request) ? (string) ($request['url'] ?? '') : (string) $request;
    $GLOBALS['deploy_calls'][] = ['action' => (string) $action, 'method' => $method, 'url' => $url];
    $entry = json_encode([
        'time' => date('c'),
        'pid' => getmypid(),
        'module' => $module,
        'action' => $action,
        'request' => $request,
        'response' => $response,
    ], JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR);
    foreach (is_array($replaceVars) ? $replaceVars : [] as $secret) {
        if (is_string($secret) && $secret !== '') {
            $entry = str_replace([$secret, json_encode($secret)], ['***', '"***"'], $entry);
        }
    }
    $dir = (string) ($_SERVER['SGWHMCS_DEPLOY_LOGDIR'] ?? '');
    if ($dir !== '') {
        file_put_contents($dir . '/modulelog.jsonl', $entry . "\n", FILE_APPEND | LOCK_EX);
    }
}

/** WHMCS: one Activity Log line (not needed by the test; kept so the module finds it). */
function logActivity($message, $userId = 0)
{
}

/** WHMCS: internal API; the test always passes the username, so only an acknowledgement. */
function localAPI($command, $values = [], $adminUser = '')
{
    return ['result' => 'success'];
}

/**
 * The 24 Module Settings (configoption1..24, see core/src/settings/options.rs) of a customer product on
 * the simulator SIM, trusting exactly its certificate.
 *
 * @param array<string, mixed> $sim
 * @return array<string, string>
 */
function product_settings(array $sim): array
{
    $values = [
        1 => (string) $sim['scheme'],       // Protocol
        2 => (string) $sim['host'],         // HostName or IP Address
        3 => (string) $sim['port'],         // WebConsole Port
        4 => (string) $sim['user'],         // UserName
        5 => (string) $sim['password'],     // Password
        6 => 'Signup Customer',             // Action
        7 => '',                            // Reseller Name (Default Reseller)
        8 => 'on',                          // Activation Status
        9 => '',                            // Auto Authorization Status
        10 => '10737418240',                // Storage Allotted (10 GiB)
        11 => '',                           // Storage Location
        12 => '',                           // Enable Consolidated Report
        13 => '',                           // Consolidated Report Email
        14 => 'on',                         // Is Auto MCAL
        15 => '',                           // Allot MCAL
        16 => 'Global Configuration',       // Bandwidth Throttling
        17 => '',                           // Enable Throttle for new configuration
        18 => 'Always Throttle',            // Throttle Settings
        19 => '',                           // Throttle From
        20 => '',                           // Throttle Till
        21 => '',                           // Restricted Rate
        22 => '',                           // Send Mail
        23 => '',                           // Retrieve Customer Pass Key
        24 => (string) $sim['sha256'],      // Server Certificate SHA-256
    ];
    $settings = [];
    foreach ($values as $n => $value) {
        $settings['configoption' . $n] = $value;
    }
    return $settings;
}

/**
 * @param array<string, mixed> $sim
 * @return array<string, mixed> $params of a service-level call (no WHMCS server assigned)
 */
function service_params(string $product, array $sim, string $user, int $sid): array
{
    $pid = $product === 'A' ? 1 : 2;
    return [
        'accountid' => (string) $sid,
        'serviceid' => (string) $sid,
        'addonId' => 0,
        'userid' => (string) $sid,
        'pid' => (string) $pid,
        'packageid' => (string) $pid,
        'serverid' => '0',
        'domain' => '',
        'username' => $user,
        'password' => 'Svc-' . bin2hex(random_bytes(6)),
        'status' => 'Pending',
        'producttype' => 'other',
        'type' => 'other',
        'moduletype' => 'deploytest',
        'configoptions' => [],
        'customfields' => [],
        'clientsdetails' => [
            'userid' => $sid,
            'id' => $sid,
            'firstname' => 'Deploy',
            'lastname' => 'Test ' . $sid,
            'fullname' => 'Deploy Test ' . $sid,
            'companyname' => 'Deploy Co',
            'email' => "deploy$sid@example.test",
            'address1' => '1 Main St',
            'address2' => '',
            'city' => 'Springfield',
            'state' => 'IL',
            'postcode' => '62701',
            'countrycode' => 'US',
            'country' => 'US',
            'phonenumber' => '5550100',
        ],
        'server' => false,
        'serverip' => '',
        'serverhostname' => '',
        'serverusername' => '',
        'serverpassword' => '',
        'serveraccesshash' => '',
        'serversecure' => false,
        'serverport' => '',
        'serverhttpprefix' => 'http',
    ] + product_settings($sim);
}

/**
 * @param array<string, mixed> $sim
 * @return array<string, mixed> $params of TestConnection for a saved server record of SIM
 */
function server_params(string $product, array $sim): array
{
    return [
        'serverid' => $product === 'A' ? 1 : 2,
        'server' => true,
        'serverip' => (string) $sim['host'],
        'serverhostname' => (string) $sim['host'],
        'serverusername' => (string) $sim['user'],
        'serverpassword' => (string) $sim['password'],
        'serveraccesshash' => (string) $sim['sha256'],
        'serversecure' => $sim['scheme'] === 'https',
        'serverport' => (string) $sim['port'],
        'serverhttpprefix' => (string) $sim['scheme'],
    ];
}

/**
 * The inode numbers of the sockets this php-fpm worker holds open right now (/proc/self/fd):
 * its FastCGI listening socket (shared by all workers), the connection from nginx of this
 * request, and any Backup Server connection the extension's agent pool keeps alive.
 *
 * @return list<int>
 */
function socket_inodes(): array
{
    $inodes = [];
    foreach (@scandir('/proc/self/fd') ?: [] as $fd) {
        $link = @readlink("/proc/self/fd/$fd");
        if (is_string($link) && preg_match('/^socket:\[(\d+)\]$/', $link, $match)) {
            $inodes[] = (int) $match[1];
        }
    }
    sort($inodes);
    return $inodes;
}

/** @param array<string, mixed> $body */
function answer(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    header('Cache-Control: no-store');
    echo json_encode($body, JSON_UNESCAPED_SLASHES), "\n";
}

$fn = (string) ($_GET['fn'] ?? '');
if ($fn === 'ping') {
    $loaded = function_exists('SgWhmcs\module_call');
    answer($loaded ? 200 : 500, [
        'pong' => $loaded,
        'version' => $loaded ? \SgWhmcs\version() : null,
        'pid' => getmypid(),
    ]);
    return;
}

$product = (string) ($_GET['product'] ?? '');
$user = (string) ($_GET['user'] ?? '');
$sid = (int) ($_GET['sid'] ?? 0);
$config = json_decode((string) @file_get_contents((string) ($_SERVER['SGWHMCS_DEPLOY_CONFIG'] ?? '')), true);
if (!is_array($config) || !isset($config[$product]) || !is_array($config[$product])) {
    answer(400, ['error' => 'unknown product or no SGWHMCS_DEPLOY_CONFIG']);
    return;
}
$sim = $config[$product];

$params = match ($fn) {
    'CreateAccount', 'SuspendAccount', 'UnsuspendAccount', 'TerminateAccount'
        => service_params($product, $sim, $user, $sid),
    'TestConnection' => server_params($product, $sim),
    default => null,
};
if ($params === null) {
    answer(400, ['error' => "unknown fn $fn"]);
    return;
}

$started = microtime(true);
$result = \SgWhmcs\module_call('deploytest', $fn, $params);
answer(200, [
    'product' => $product,
    'fn' => $fn,
    'user' => $user,
    'result' => $result,
    'pid' => getmypid(),
    'ms' => (int) round((microtime(true) - $started) * 1000),
    'calls' => $GLOBALS['deploy_calls'],
    'sockets' => socket_inodes(),
]);
