<?php

/**
 * The front script of bench/fpm.sh: one module call per request, under php-fpm behind nginx.
 *   ?impl=empty   nothing but this script (the cost of a PHP request)
 *   ?impl=curl    TestConnection by bench/CurlModule.php (PHP's curl, what peer modules do)
 *   ?impl=ext     TestConnection through the extension (SgWhmcs\module_call)
 * The simulator to call is nginx's fastcgi_param SGWHMCS_BENCH_SIM (sgsim's JSON line). Answers
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
$answer = match ($impl) {
    'empty' => ['success' => true, 'error' => ''],
    'curl' => (function (array $params): array {
        require_once __DIR__ . '/CurlModule.php';
        return \SgWhmcs\Bench\CurlModule::testConnection($params);
    })($params),
    'ext' => \SgWhmcs\module_call('benchext', 'TestConnection', $params),
    default => ['success' => false, 'error' => 'impl is one of empty, curl, ext'],
};
if (($answer['success'] ?? false) !== true) {
    http_response_code(500);
    echo 'failed: ', $answer['error'] ?? '?';
    exit;
}
echo 'ok';
