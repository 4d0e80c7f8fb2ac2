<?php

/**
 * The load and the checks of the deployment test (started by tests/Deployment/run.sh once
 * sgsim A, sgsim B, php-fpm and nginx run).
 *
 *   php tests/Deployment/load.php --base http://127.0.0.1:PORT --config products.json
 *       [--requests 400] [--parallel 8] [--timeout 30] [--deadline 120] [--seed N]
 *
 * Phase 1 sends CreateAccount (a unique account name per request) and TestConnection, shuffled,
 * for products A and B in equal numbers; phase 2 sends SuspendAccount for some created accounts
 * and more TestConnection. At most --parallel requests are in flight (curl_multi), each bounded
 * by --timeout seconds. Then it checks:
 *
 *  - every request: HTTP 200, the module answered success, every Backup Server request the
 *    module logged went to its product's simulator (else: wrong-server);
 *  - each simulator holds exactly the accounts created through its product, suspended ones
 *    inactive, and none of the other product's (GET /api/v1/customers, pinned TLS);
 *  - each simulator's /_sim/stats total equals the number of requests the module logged for it;
 *  - keep-alive: php-fpm workers hold Backup Server connections open from one request to the
 *    next (front.php lists the worker's sockets), at most a few per worker;
 *  - the load spread over more than one php-fpm worker.
 *
 * Prints one summary line `deploy: N requests, F failed, W wrong-server, ...` and exits 1 on
 * any failure.
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a driver script: the load, then the checks

$options = getopt('', ['base:', 'config:', 'requests:', 'parallel:', 'timeout:', 'deadline:', 'seed:']);
$base = rtrim((string) ($options['base'] ?? ''), '/');
$configFile = (string) ($options['config'] ?? '');
$total = max(8, (int) ($options['requests'] ?? 400));
$parallel = max(1, (int) ($options['parallel'] ?? 8));
$timeout = max(1, (int) ($options['timeout'] ?? 30));
$deadline = microtime(true) + max(10, (int) ($options['deadline'] ?? 120));
$seed = (int) ($options['seed'] ?? random_int(1, 1 << 30));
$sims = json_decode((string) @file_get_contents($configFile), true);
if ($base === '' || !is_array($sims) || !isset($sims['A']['url'], $sims['B']['url'])) {
    fwrite(STDERR, "usage: load.php --base URL --config products.json [--requests N] [--parallel N]\n");
    exit(2);
}
mt_srand($seed);
$run = substr(bin2hex(random_bytes(4)), 0, 6);
$started = microtime(true);

/** @var list<string> */
$problems = [];
$failed = 0;
$wrongServer = 0;
$pids = [];
$sent = ['A' => 0, 'B' => 0];
/** @var array<string, array<string, bool>> product => account name => suspended */
$created = ['A' => [], 'B' => []];
/** @var array<string, int> simulator URL => Backup Server requests the module logged for it */
$logged = [$sims['A']['url'] => 0, $sims['B']['url'] => 0];
$latencies = [];

/** @var array<int, array<int, int>> socket inode => worker pid => answers that listed it */
$sockets = [];

function problem(string $text): void
{
    global $problems;
    if (count($problems) < 30) {
        $problems[] = $text;
    } elseif (count($problems) === 30) {
        $problems[] = '(more problems not shown)';
    }
}

// ---- the requests --------------------------------------------------------------------------

$creates = intdiv($total * 55, 100);
$suspends = intdiv($total * 25, 100);
$tests = $total - $creates - $suspends;
$tests1 = intdiv($tests * 3, 4);

$phase1 = [];
for ($i = 0; $i < $creates; $i++) {
    $product = $i % 2 === 0 ? 'A' : 'B';
    $phase1[] = ['product' => $product, 'fn' => 'CreateAccount', 'user' => "dep-$run-$product-$i", 'sid' => $i + 1];
}
for ($i = 0; $i < $tests1; $i++) {
    $phase1[] = ['product' => $i % 2 === 0 ? 'A' : 'B', 'fn' => 'TestConnection', 'user' => '', 'sid' => 0];
}
shuffle($phase1);

/**
 * Runs REQUESTS through nginx with at most $parallel in flight; checks each answer.
 *
 * @param list<array{product: string, fn: string, user: string, sid: int}> $requests
 */
function run_phase(array $requests): void
{
    global $base, $parallel, $timeout, $deadline, $failed, $wrongServer, $pids, $sent, $created,
        $logged, $sims, $latencies;
    $multi = curl_multi_init();
    $queue = $requests;
    $running = [];
    $next = static function () use (&$queue, &$running, $multi, $base, $timeout, &$sent): void {
        $request = array_shift($queue);
        $query = http_build_query([
            'product' => $request['product'],
            'fn' => $request['fn'],
            'user' => $request['user'],
            'sid' => $request['sid'],
        ]);
        $handle = curl_init("$base/front.php?$query");
        curl_setopt_array($handle, [
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => $timeout,
            CURLOPT_CONNECTTIMEOUT => 5,
            CURLOPT_HTTP_VERSION => CURL_HTTP_VERSION_1_1,
            CURLOPT_NOPROXY => '*',
        ]);
        curl_multi_add_handle($multi, $handle);
        $running[(int) $handle] = [$handle, $request, microtime(true)];
        $sent[$request['product']]++;
    };
    while ($queue !== [] || $running !== []) {
        while ($queue !== [] && count($running) < $parallel) {
            $next();
        }
        if (microtime(true) > $deadline) {
            foreach ($running as [$handle, $request]) {
                $failed++;
                problem("{$request['fn']} {$request['product']} {$request['user']}: still running at the deadline");
                curl_multi_remove_handle($multi, $handle);
            }
            $failed += count($queue);
            if ($queue !== []) {
                problem(count($queue) . ' requests never sent: the overall deadline passed');
            }
            return;
        }
        curl_multi_exec($multi, $active);
        if (curl_multi_select($multi, 0.2) === -1) {
            usleep(10000);
        }
        while (($info = curl_multi_info_read($multi)) !== false) {
            $handle = $info['handle'];
            [, $request, $begun] = $running[(int) $handle];
            unset($running[(int) $handle]);
            $latencies[] = microtime(true) - $begun;
            $body = (string) curl_multi_getcontent($handle);
            $status = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
            $error = $info['result'] === CURLE_OK ? '' : curl_error($handle) . " (curl {$info['result']})";
            curl_multi_remove_handle($multi, $handle);
            check_answer($request, $status, $body, $error);
        }
    }
    curl_multi_close($multi);
}

/** @param array{product: string, fn: string, user: string, sid: int} $request */
function check_answer(array $request, int $status, string $body, string $error): void
{
    global $failed, $wrongServer, $pids, $created, $logged, $sims, $sockets;
    $what = "{$request['fn']} {$request['product']}" . ($request['user'] !== '' ? " {$request['user']}" : '');
    if ($error !== '' || $status !== 200) {
        $failed++;
        problem("$what: HTTP $status $error " . trim(substr($body, 0, 300)));
        return;
    }
    $answer = json_decode($body, true);
    if (!is_array($answer) || !array_key_exists('result', $answer)) {
        $failed++;
        problem("$what: not the front script's JSON: " . trim(substr($body, 0, 300)));
        return;
    }
    $pid = (int) ($answer['pid'] ?? 0);
    $pids[$pid] = true;
    foreach ((array) ($answer['sockets'] ?? []) as $inode) {
        $sockets[(int) $inode][$pid] = ($sockets[(int) $inode][$pid] ?? 0) + 1;
    }
    $own = $sims[$request['product']]['url'] . '/api/v1/';
    $other = $sims[$request['product'] === 'A' ? 'B' : 'A']['url'] . '/api/v1/';
    $wrong = ($answer['product'] ?? '') !== $request['product'] || ($answer['fn'] ?? '') !== $request['fn'];
    foreach ((array) ($answer['calls'] ?? []) as $call) {
        $url = (string) ($call['url'] ?? '');
        foreach ($logged as $simUrl => $count) {
            if (str_starts_with($url, $simUrl . '/')) {
                $logged[$simUrl]++;
            }
        }
        if (!str_starts_with($url, $own) || str_starts_with($url, $other)) {
            $wrong = true;
        }
    }
    if ($wrong) {
        $wrongServer++;
        problem("$what: answered for another product or logged a request to another server: "
            . trim(substr($body, 0, 300)));
    }
    $result = $answer['result'];
    $ok = $request['fn'] === 'TestConnection'
        ? $result === ['success' => true, 'error' => '']
        : $result === 'success';
    if (!$ok) {
        $failed++;
        problem("$what: the module answered " . json_encode($result, JSON_UNESCAPED_SLASHES));
        return;
    }
    if (($answer['calls'] ?? []) === []) {
        $failed++;
        problem("$what: success without any logged Backup Server request");
    }
    if ($request['fn'] === 'CreateAccount') {
        $created[$request['product']][$request['user']] = false;
    } elseif ($request['fn'] === 'SuspendAccount') {
        $created[$request['product']][$request['user']] = true;
    }
}

run_phase($phase1);

// Phase 2: suspend every other created account, with TestConnection in between.
$phase2 = [];
foreach (['A', 'B'] as $product) {
    $names = array_keys($created[$product]);
    for ($i = 0; $i < count($names) && count($phase2) < $suspends * ($product === 'A' ? 0.5 : 1); $i += 2) {
        // The service that created the account (its reference names that service id): any other
        // service's Suspend is refused by the ownership rule. Names end in "-<sid - 1>".
        $sid = (int) substr($names[$i], strrpos($names[$i], '-') + 1) + 1;
        $phase2[] = ['product' => $product, 'fn' => 'SuspendAccount', 'user' => $names[$i], 'sid' => $sid];
    }
}
for ($i = count($phase2); $i < $suspends; $i++) {
    // Not enough accounts were created (phase 1 failed): keep the request count, as TestConnection.
    $phase2[] = ['product' => $i % 2 === 0 ? 'A' : 'B', 'fn' => 'TestConnection', 'user' => '', 'sid' => 0];
}
for ($i = 0; $i < $tests - $tests1; $i++) {
    $phase2[] = ['product' => $i % 2 === 0 ? 'A' : 'B', 'fn' => 'TestConnection', 'user' => '', 'sid' => 0];
}
shuffle($phase2);
run_phase($phase2);

// ---- the simulators' view ------------------------------------------------------------------

/**
 * GET PATH on simulator SIM with its admin credentials, trusting exactly its certificate.
 *
 * @param array<string, mixed> $sim
 */
function sim_get(array $sim, string $path): mixed
{
    $context = stream_context_create([
        'http' => [
            'method' => 'GET',
            'timeout' => 15,
            'ignore_errors' => true,
            'header' => "Authorization: Basic " . base64_encode($sim['user'] . ':' . $sim['password'])
                . "\r\nAccept: application/json\r\nConnection: close",
        ],
        'ssl' => [
            'verify_peer' => false,
            'verify_peer_name' => false,
            'peer_fingerprint' => ['sha256' => (string) $sim['sha256']],
        ],
    ]);
    $raw = @file_get_contents($sim['url'] . $path, false, $context);
    $statusLine = $http_response_header[0] ?? '';
    if ($raw === false || !str_contains($statusLine, ' 200')) {
        $why = ($statusLine ?: 'no answer') . ' ' . substr((string) $raw, 0, 200);
        throw new RuntimeException("GET {$sim['url']}$path: $why");
    }
    return json_decode($raw, true);
}

$statsLine = [];
try {
    foreach (['A' => 'B', 'B' => 'A'] as $product => $otherProduct) {
        $sim = $sims[$product];
        $held = [];
        foreach ((array) (sim_get($sim, '/api/v1/customers')['customers'] ?? []) as $customer) {
            $held[(string) $customer['name']] = $customer;
        }
        foreach ($created[$product] as $name => $suspended) {
            if (!isset($held[$name])) {
                $failed++;
                problem("$name: created through product $product but missing on sgsim $product");
            } elseif ($held[$name]['active'] !== !$suspended) {
                $failed++;
                problem("$name: active is " . json_encode($held[$name]['active'])
                    . " on sgsim $product, expected " . json_encode(!$suspended));
            }
        }
        foreach (array_keys($held) as $name) {
            if (str_starts_with($name, "dep-$run-") && !isset($created[$product][$name])) {
                $wrongServer++;
                $from = isset($created[$otherProduct][$name])
                    ? "product $otherProduct's account"
                    : 'an account nobody created successfully';
                problem("$name: $from exists on sgsim $product");
            }
        }
        $stats = sim_get($sim, '/_sim/stats');
        $seen = (int) ($stats['total'] ?? -1);
        $expected = $logged[$sim['url']] + 1; // + this check's own GET /customers
        if ($seen !== $expected) {
            // Exact only when every answer arrived (a timed-out request was still served).
            $failed === 0 ? $wrongServer++ : $failed++;
            problem("sgsim $product counted $seen API requests, expected $expected (the module logged "
                . $logged[$sim['url']] . " to it, plus this check's GET /customers): "
                . json_encode($stats['routes'] ?? []));
        }
        $statsLine[] = "sgsim $product: " . ($seen - 1) . " API requests, " . count($created[$product]) . ' accounts';
    }
} catch (Throwable $e) {
    $failed++;
    problem('checking the simulators failed: ' . $e->getMessage());
}

// ---- keep-alive ----------------------------------------------------------------------------

// A socket listed by one worker only, in two or more of its answers, outlived a PHP request: a
// Backup Server connection the agent pool kept (the listening socket is shared by all workers;
// the connection from nginx is new for each request). With the pool working, each worker keeps
// at most one per simulator; without it, none.
$kept = 0;
$keptPerWorker = [];
foreach ($sockets as $byPid) {
    if (count($byPid) === 1 && reset($byPid) >= 2) {
        $kept++;
        $keptPerWorker[key($byPid)] = ($keptPerWorker[key($byPid)] ?? 0) + 1;
    }
}
$busiest = $keptPerWorker === [] ? 0 : max($keptPerWorker);
if ($failed === 0 && $kept === 0) {
    $failed++;
    problem('no php-fpm worker kept a Backup Server connection from one request to the next: '
        . 'the agent pool does not keep connections alive');
} elseif ($busiest > 4) {
    $failed++;
    problem("a php-fpm worker kept $busiest connections open for 2 simulators: "
        . 'pooled connections are opened anew instead of reused');
}

// ---- summary -------------------------------------------------------------------------------

sort($latencies);
$p = static fn (float $q): string => $latencies === []
    ? '-'
    : (string) round($latencies[min(count($latencies) - 1, (int) floor($q * count($latencies)))] * 1000) . ' ms';
$count = $sent['A'] + $sent['B'];
$elapsed = round(microtime(true) - $started, 1);
$workers = count($pids);
if ($workers < 2) {
    $failed++;
    problem("only $workers php-fpm worker answered: the load did not spread over the pool");
}
foreach ($problems as $text) {
    fwrite(STDERR, "deploy: FAIL $text\n");
}
printf(
    "deploy: %d requests, %d failed, %d wrong-server (A %d, B %d; parallel %d; %d fpm worker pids; "
    . "latency p50 %s, p99 %s; %s; %d connections kept alive across requests; %.1f s; seed %d)\n",
    $count,
    $failed,
    $wrongServer,
    $sent['A'],
    $sent['B'],
    $parallel,
    $workers,
    $p(0.5),
    $p(0.99),
    implode(', ', $statsLine),
    $kept,
    $elapsed,
    $seed
);
exit($failed === 0 && $wrongServer === 0 && $count === $total ? 0 : 1);
