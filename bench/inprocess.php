<?php

/**
 * In-process overhead (bench/inprocess.sh and bench/fpm.sh run it; not a test): TestConnection
 * through the extension against a raw keep-alive request made with PHP's curl to the same
 * endpoint, GET /api/v1/server, each on one connection kept alive, over TLS and over plain http
 * (one sgsim each). Every round runs all four in turn (sgwhmcs and curl over https, then over
 * http, who goes first alternating), so that a busy machine's drift hits them alike. µs per call
 * are the medians of the rounds; the overhead is the median of the rounds' own ratios.
 *
 *   php -d extension=target/release/libsgwhmcs.so bench/inprocess.php [CALLS_PER_ROUND] [ROUNDS]
 *
 * Prints one line per scheme: µs per call of each (medians), the difference, and the overhead in %.
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

/** WHMCS's Activity Log, as a no-op (TestConnection over http writes its warning there). */
function logActivity($message, $userId = 0)
{
}

$calls = (int)($argv[1] ?? 500);
$rounds = (int)($argv[2] ?? 31);
$sgsim = getenv('SGSIM_BIN') ?: dirname(__DIR__) . '/target/release/sgsim';

/** The median of a list of numbers. */
function median(array $values): float
{
    sort($values);
    return (float)$values[intdiv(count($values), 2)];
}

/** µs per call of $calls runs of $one; exits 1 when one fails. */
function perCall(int $calls, callable $one, string $what): float
{
    $t = hrtime(true);
    for ($i = 0; $i < $calls; $i++) {
        if (!$one()) {
            fwrite(STDERR, "$what failed\n");
            exit(1);
        }
    }
    return (hrtime(true) - $t) / $calls / 1000;
}

$schemes = [];
foreach (['https' => true, 'http' => false] as $name => $tls) {
    [$proc, $params, $curl] = benchSimEndpoint($sgsim, $tls);
    $schemes[$name] = [
        'proc' => $proc,
        'ext' => fn () => \SgWhmcs\module_call('bench', 'TestConnection', $params)['success'] === true,
        'curl' => fn () => is_array(json_decode((string)curl_exec($curl), true)),
        'times' => ['ext' => [], 'curl' => []],
    ];
}
for ($r = -1; $r < $rounds; $r++) { // round -1 warms everything up and is not counted
    foreach ($schemes as $name => &$scheme) {
        // Who goes first changes every round, so neither always runs on a warmer machine.
        foreach ($r % 2 === 0 ? ['ext', 'curl'] : ['curl', 'ext'] as $kind) {
            $us = perCall($calls, $scheme[$kind], "$name $kind call");
            if ($r >= 0) {
                $scheme['times'][$kind][] = $us;
            }
        }
    }
    unset($scheme);
}
foreach ($schemes as $name => $scheme) {
    $e = median($scheme['times']['ext']);
    $c = median($scheme['times']['curl']);
    // The overhead is the median of each round's own ratio: the two rows of a round ran side by
    // side, so a busy machine's drift between rounds cancels out of it.
    $ratios = array_map(fn ($x, $y) => $x / $y, $scheme['times']['ext'], $scheme['times']['curl']);
    printf(
        "in-process %-5s: sgwhmcs TestConnection %.1f µs/call, raw keep-alive curl GET %.1f µs/call: "
        . "%+.1f µs (%+.1f %%)\n",
        $name,
        $e,
        $c,
        $e - $c,
        (median($ratios) - 1) * 100
    );
    proc_terminate($scheme['proc']);
    proc_close($scheme['proc']);
}
