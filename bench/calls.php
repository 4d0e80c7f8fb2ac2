<?php

/**
 * One kind of call, N times, on one connection kept alive (bench/instructions.sh runs it under
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

/** WHMCS's module log, as a no-op (WHMCS always defines it; the extension calls it per request). */
function logModuleCall($module, $action, $request, $response, $processed, $replace)
{
}

[$kind, $calls, $scheme] = [$argv[1] ?? 'ext', (int)($argv[2] ?? 100), $argv[3] ?? 'http'];
$tls = $scheme === 'https';
$sgsim = getenv('SGSIM_BIN') ?: dirname(__DIR__) . '/target/release/sgsim';
$args = [$sgsim, '--listen', '127.0.0.1:0'];
if ($tls) {
    $args[] = '--tls';
}
$proc = proc_open($args, [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
$sim = json_decode((string)fgets($pipes[1]), true);
if (!is_array($sim)) {
    fwrite(STDERR, "sgsim did not start\n");
    exit(1);
}
$params = [
    'server' => true, 'serverhostname' => $sim['host'], 'serverip' => '',
    'serverport' => (string)$sim['port'], 'serversecure' => $tls ? 'on' : '',
    'serverhttpprefix' => $sim['scheme'], 'serverusername' => $sim['user'],
    'serverpassword' => $sim['password'], 'serveraccesshash' => (string)($sim['sha256'] ?? ''),
];
$curl = curl_init($sim['url'] . '/api/v1/server');
curl_setopt_array($curl, [
    CURLOPT_RETURNTRANSFER => true,
    CURLOPT_USERPWD => $sim['user'] . ':' . $sim['password'],
    CURLOPT_HTTPHEADER => ['Accept: application/json'],
    CURLOPT_SSL_VERIFYPEER => false,
    CURLOPT_SSL_VERIFYHOST => 0,
]);
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
