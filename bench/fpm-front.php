<?php

/**
 * The front script of bench/fpm.sh: one module call per request, under php-fpm behind nginx.
 *   ?impl=empty     nothing but this script (the cost of a PHP request)
 *   ?impl=curl      TestConnection by bench/CurlModule.php (PHP's curl, what peer modules do)
 *   ?impl=ext       TestConnection through the extension (SgWhmcs\module_call)
 *   ?impl=curl-life&run=R&n=N, ?impl=ext-life&run=R&n=N
 *                   step N of a lifecycle by the curl module or the extension: N % 4 picks
 *                   Create, Suspend, Unsuspend, Terminate, of service R * 10,000,000 + N / 4 (a new
 *                   service, so a new account, every 4 requests)
 * The simulator to call is nginx's fastcgi_param SGWHMCS_BENCH_SIM (sgsim's JSON line); the
 * lifecycle's service `$params`, SGWHMCS_BENCH_PARAMS (a file bench/fpm-params.php wrote). Answers
 * "ok", or HTTP 500 with the error, so the load tool counts a failed call as a failure.
 */

// phpcs:disable PSR1.Files.SideEffects

declare(strict_types=1);

/** WHMCS's module log, as a no-op: the bench measures the module, not a logger. */
function logModuleCall($module, $action, $request, $response, $processed, $replace)
{
}

$sim = json_decode((string)($_SERVER['SGWHMCS_BENCH_SIM'] ?? ''), true);
$params = [
    'server' => true, 'serverhostname' => $sim['host'] ?? '', 'serverip' => '',
    'serverport' => (string)($sim['port'] ?? ''), 'serversecure' => 'on', 'serverhttpprefix' => 'https',
    'serverusername' => $sim['user'] ?? '', 'serverpassword' => $sim['password'] ?? '',
    'serveraccesshash' => (string)($sim['sha256'] ?? ''),
];
$impl = $_GET['impl'] ?? '';
const LIFECYCLE = ['CreateAccount', 'SuspendAccount', 'UnsuspendAccount', 'TerminateAccount'];

/** The lifecycle step this request runs: [function, the service's $params]. */
function lifecycleStep(): array
{
    require_once __DIR__ . '/fpm-whmcs.php';
    $n = (int)($_GET['n'] ?? 0);
    $service = (int)($_GET['run'] ?? 0) * 10000000 + intdiv($n, 4) + 1;
    $params = require (string)($_SERVER['SGWHMCS_BENCH_PARAMS'] ?? '');
    $params['serviceid'] = $params['accountid'] = $service;
    $function = LIFECYCLE[$n % 4];
    if ($function !== 'CreateAccount') {
        $params['username'] = "service-$service"; // what Create stored (UpdateClientProduct)
    }
    return [$function, $params];
}

$answer = match ($impl) {
    'empty' => ['success' => true, 'error' => ''],
    'curl' => (function (array $params): array {
        require_once __DIR__ . '/CurlModule.php';
        return \SgWhmcs\Bench\CurlModule::testConnection($params);
    })($params),
    'ext' => \SgWhmcs\module_call('benchext', 'TestConnection', $params),
    'curl-life' => (function (): array {
        require_once __DIR__ . '/CurlModule.php';
        [$function, $params] = lifecycleStep();
        $install = \WHMCS\Database\Capsule::INSTALL;
        return match ($function) {
            'CreateAccount' => \SgWhmcs\Bench\CurlModule::createAccount($params, $install),
            'UnsuspendAccount' => \SgWhmcs\Bench\CurlModule::setActive($params, $install, true),
            default => \SgWhmcs\Bench\CurlModule::setActive($params, $install, false),
        };
    })(),
    'ext-life' => (function (): array {
        [$function, $params] = lifecycleStep();
        $answer = \SgWhmcs\module_call('benchext', $function, $params);
        return $answer === 'success' ? ['success' => true] : ['success' => false, 'error' => $answer];
    })(),
    default => ['success' => false, 'error' => 'impl is one of empty, curl, ext, curl-life, ext-life'],
};
if (($answer['success'] ?? false) !== true) {
    $error = is_scalar($answer['error'] ?? null) ? (string)$answer['error'] : json_encode($answer);
    error_log("impl=$impl n=" . ($_GET['n'] ?? '') . ": $error"); // bench/fpm.sh shows it
    http_response_code(500);
    echo 'failed: ', $error;
    exit;
}
echo 'ok';
