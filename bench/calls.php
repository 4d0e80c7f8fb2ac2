<?php

/**
 * One kind of call, N times, on one connection kept alive (bench/inprocess.sh runs it under
 * callgrind and takes the difference of two N to get instructions per call; not a test):
 *
 *   php -d extension=target/release/libsgwhmcs.so bench/calls.php ext|curl N http|https
 *
 * `ext` is TestConnection through the extension, `curl` a raw keep-alive curl GET of the same
 * endpoint (GET /api/v1/server). Both make one call before the N, so the connection's setup
 * is outside the difference.
 */

// phpcs:disable PSR1.Files.SideEffects

declare(strict_types=1);

require __DIR__ . '/sim-endpoint.php';

/** WHMCS's module log, as a no-op (WHMCS always defines it; the extension calls it per request). */
function logModuleCall($module, $action, $request, $response, $processed, $replace)
{
}

/** WHMCS's Activity Log, as a no-op (TestConnection over http writes its warning there). */
function logActivity($message, $userId = 0)
{
}

[$kind, $calls, $scheme] = [$argv[1] ?? 'ext', (int)($argv[2] ?? 100), $argv[3] ?? 'http'];
$tls = $scheme === 'https';
$sgsim = getenv('SGSIM_BIN') ?: dirname(__DIR__) . '/target/release/sgsim';
[$proc, $params, $curl] = benchSimEndpoint($sgsim, $tls);
$one = $kind === 'ext'
    ? fn () => \SgWhmcs\module_call('bench', 'TestConnection', $params)['success'] === true
    : fn () => is_array(json_decode((string)curl_exec($curl), true));
for ($i = 0; $i <= $calls; $i++) {
    if (!$one()) {
        fwrite(STDERR, "$kind call failed\n");
        exit(1);
    }
}
proc_terminate($proc);
proc_close($proc);
