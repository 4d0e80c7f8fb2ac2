<?php

/**
 * Soak and speed benchmark (not a test): prints figures, asserts nothing.
 *
 *   php -d extension=target/release/libsgwhmcs.so bench/soak.php [CALLS]
 *
 * 1. Speed: N TestConnection calls through the extension against a plain-http sgsim, beside a
 *    baseline of N keep-alive GET /server requests made with PHP's own curl in the same run, and
 *    the ratio of the two.
 * 2. Memory: CALLS (default 100,000) module calls in this one process (a mix of TestConnection
 *    over pinned https, suspend/unsuspend of one account, and settings rejected before any
 *    request), printing resident memory before and after. Goal: growth under 5 MB.
 */

// phpcs:disable PSR1.Files.SideEffects

if (!function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "Load the extension: php -d extension=target/release/libsgwhmcs.so bench/soak.php\n");
    exit(2);
}

$calls = (int)($argv[1] ?? 100000);
$root = dirname(__DIR__);
$sgsimBin = getenv('SGSIM_BIN') ?: "$root/target/release/sgsim";

// WHMCS's database, reduced to tblconfiguration (the install id of account references), in a
// scratch file of this run.
$_SERVER['SGWHMCS_DEPLOY_LOGDIR'] = sys_get_temp_dir() . '/sgwhmcs-soak-' . getmypid();
@mkdir($_SERVER['SGWHMCS_DEPLOY_LOGDIR']);
require "$root/tools/deploy/capsule.php";

/** WHMCS's module log, as a no-op: the soak measures the module, not a logger. */
function logModuleCall($module, $action, $request, $response, $processed, $replace)
{
}

/** Starts sgsim and answers [process, info]. */
function startSim(string $bin, bool $tls): array
{
    $args = [$bin, '--listen', '127.0.0.1:0'];
    if ($tls) {
        $args[] = '--tls';
    }
    $proc = proc_open($args, [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $info = json_decode((string)fgets($pipes[1]), true);
    if (!is_array($info)) {
        fwrite(STDERR, "sgsim did not start\n");
        exit(1);
    }
    return [$proc, $info];
}

function rssKb(): int
{
    preg_match('/VmRSS:\s+(\d+)/', (string)file_get_contents('/proc/self/status'), $m);
    return (int)$m[1];
}

function serverParams(array $sim): array
{
    return [
        'server' => true, 'serverhostname' => $sim['host'], 'serverip' => '',
        'serverport' => (string)$sim['port'], 'serversecure' => $sim['scheme'] === 'https' ? 'on' : '',
        'serverhttpprefix' => $sim['scheme'], 'serverusername' => $sim['user'],
        'serverpassword' => $sim['password'], 'serveraccesshash' => (string)($sim['sha256'] ?? ''),
    ];
}

[$plainProc, $plain] = startSim($sgsimBin, false);
[$tlsProc, $tls] = startSim($sgsimBin, true);

// 1. Speed against a baseline measured now.
$n = 5000;
$params = serverParams($plain);
\SgWhmcs\module_call('soak', 'TestConnection', $params);
$t = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    \SgWhmcs\module_call('soak', 'TestConnection', $params);
}
$ext = (hrtime(true) - $t) / 1e9;

$curl = curl_init($plain['url'] . '/api/v1/server');
curl_setopt_array($curl, [
    CURLOPT_RETURNTRANSFER => true,
    CURLOPT_USERPWD => $plain['user'] . ':' . $plain['password'],
    CURLOPT_HTTPHEADER => ['Accept: application/json'],
]);
curl_exec($curl);
$t = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    json_decode((string)curl_exec($curl), true);
}
$base = (hrtime(true) - $t) / 1e9;
printf(
    "speed: %d TestConnection calls %.3f s (%.0f/s); baseline PHP curl GET %.3f s (%.0f/s); ratio %.2f\n",
    $n,
    $ext,
    $n / $ext,
    $base,
    $n / $base,
    $ext / $base
);

// 2. Memory over many calls in one process.
$product = [
    'serviceid' => '1', 'userid' => '1', 'username' => 'soak-customer', 'password' => 'SoakPass12',
    'configoption1' => 'https', 'configoption2' => $tls['host'], 'configoption3' => (string)$tls['port'],
    'configoption4' => $tls['user'], 'configoption5' => $tls['password'], 'configoption6' => 'Signup Customer',
    'configoption8' => 'on', 'configoption10' => '1073741824', 'configoption14' => 'on',
    'configoption24' => $tls['sha256'], 'clientsdetails' => ['email' => 'soak@example.test'],
];
$created = \SgWhmcs\module_call('soak', 'CreateAccount', $product);
$bad = ['configoption2' => 'https://nope', 'configoption10' => '0'];
$server = serverParams($tls);
$warm = min(2000, $calls);
$steps = ['TestConnection', 'SuspendAccount', 'UnsuspendAccount', 'Invalid'];
$run = function (int $count) use ($steps, $server, $product, $bad): int {
    $failed = 0;
    for ($i = 0; $i < $count; $i++) {
        $step = $steps[$i % 4];
        $answer = match ($step) {
            'TestConnection' => \SgWhmcs\module_call('soak', $step, $server)['success'] ? 'success' : 'x',
            'Invalid' => \SgWhmcs\module_call('soak', 'CreateAccount', $bad) !== 'success' ? 'success' : 'x',
            default => \SgWhmcs\module_call('soak', $step, $product),
        };
        $failed += $answer === 'success' ? 0 : 1;
    }
    return $failed;
};
$run($warm);
gc_collect_cycles();
$before = rssKb();
$t = hrtime(true);
$failed = $run($calls);
$secs = (hrtime(true) - $t) / 1e9;
gc_collect_cycles();
$after = rssKb();
printf(
    "soak: create=%s; %d calls in %.1f s (%.0f/s), %d failed; RSS %d KB -> %d KB, growth %.2f MB (goal < 5 MB)\n",
    $created,
    $calls,
    $secs,
    $calls / $secs,
    $failed,
    $before,
    $after,
    ($after - $before) / 1024
);

proc_terminate($plainProc);
proc_terminate($tlsProc);
