<?php

/**
 * In-process overhead (bench/fpm.sh runs it; not a test): TestConnection through the extension
 * against a raw keep-alive request made with PHP's curl to the same endpoint, GET /api/v1/server,
 * both on one connection kept alive, over TLS and over plain http. Rounds alternate the two so
 * that drift hits both; the median round counts.
 *
 *   php -d extension=target/release/libsgwhmcs.so bench/inprocess.php [CALLS_PER_ROUND] [ROUNDS]
 *
 * Prints one line per scheme: µs per call of each, and the extension's overhead in µs and %.
 */

// phpcs:disable PSR1.Files.SideEffects

declare(strict_types=1);

require __DIR__ . '/sim-endpoint.php';

if (!function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "Load the extension: php -d extension=target/release/libsgwhmcs.so bench/inprocess.php\n");
    exit(2);
}

/** WHMCS's module log, as a no-op (WHMCS always defines it; the extension calls it per request). */
function logModuleCall($module, $action, $request, $response, $processed, $replace)
{
}

$calls = (int)($argv[1] ?? 2000);
$rounds = (int)($argv[2] ?? 7);
$sgsim = getenv('SGSIM_BIN') ?: dirname(__DIR__) . '/target/release/sgsim';

/** The median of a list of numbers. */
function median(array $values): float
{
    sort($values);
    return (float)$values[intdiv(count($values), 2)];
}

foreach ([true, false] as $tls) {
    [$proc, $params, $curl] = benchSimEndpoint($sgsim, $tls);
    $ext = $raw = [];
    for ($r = -1; $r < $rounds; $r++) {
        $t = hrtime(true);
        for ($i = 0; $i < $calls; $i++) {
            if (\SgWhmcs\module_call('bench', 'TestConnection', $params)['success'] !== true) {
                fwrite(STDERR, "TestConnection failed\n");
                exit(1);
            }
        }
        $e = (hrtime(true) - $t) / $calls / 1000;
        $t = hrtime(true);
        for ($i = 0; $i < $calls; $i++) {
            if (!is_array(json_decode((string)curl_exec($curl), true))) {
                fwrite(STDERR, "curl GET failed\n");
                exit(1);
            }
        }
        $c = (hrtime(true) - $t) / $calls / 1000;
        if ($r >= 0) { // round -1 warms both up
            $ext[] = $e;
            $raw[] = $c;
        }
    }
    $e = median($ext);
    $c = median($raw);
    printf(
        "in-process %-5s: sgwhmcs TestConnection %.1f µs/call, raw keep-alive curl GET %.1f µs/call: "
        . "+%.1f µs (%+.1f %%)\n",
        $params['serverhttpprefix'],
        $e,
        $c,
        $e - $c,
        ($e / $c - 1) * 100
    );
    proc_terminate($proc);
    proc_close($proc);
}
