<?php

/**
 * What the in-process benches share (bench/calls.php, bench/inprocess.php): one sgsim started on
 * loopback, the server `$params` TestConnection reads for it, and a keep-alive curl handle to the
 * same endpoint (GET /api/v1/server), the raw request the extension is compared with.
 */

declare(strict_types=1);

/**
 * Starts sgsim (with TLS when $tls) and answers [process, $params, curl handle]; exits 1 when
 * sgsim does not start.
 *
 * @return array{0: resource, 1: array<string, mixed>, 2: \CurlHandle}
 */
function benchSimEndpoint(string $sgsim, bool $tls): array
{
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
    return [$proc, $params, $curl];
}
