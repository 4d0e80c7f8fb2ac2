<?php

/**
 * Usage scale benchmark (not a test): prints figures, asserts nothing.
 *
 *   SGSIM_BIN=target/release/sgsim php -d extension=target/release/libsgwhmcs.so bench/usage.php [SIZES]
 *   (or: make bench-usage, or make bench-usage SIZES=1000,10000)
 *
 * SIZES: a comma-separated list of service counts (default 1000,10000,100000,1000000); the first
 * is the baseline the growth table compares with. For each size, in this one run: a fresh
 * plain-http sgsim seeded with that many customers (`/_sim/seed` and `/_sim/usage`, 100,000 per
 * request), a fresh emulated WHMCS (tests/Emulator) with one server of the module and a service
 * for each (written straight into its Store), then these steps:
 *
 * 0. TestConnection: one module call, what every step pays whatever the size (the extension's
 *    code paged in, a connection); not in the growth table;
 * 1. UsageUpdate (WHMCS's daily call for the server): paged lists, batched tblhosting writes;
 * 2. ListAccounts (Server Sync), whose answer WHMCS needs as one PHP array;
 * 3. MetricProvider usage() (the Usage Billing cron, one listing per server), also one array;
 * 4. the emulated database alone: the tblhosting queries UsageUpdate makes (the server's
 *    services a page at a time in id order, then the writes of 1000 services per query, the same
 *    values), without the module, so the module's own share shows (in WHMCS the database is
 *    MySQL, another process: UsageUpdate's RSS minus this row is what the module adds);
 * 5. the per-service approach, up to 100,000 services (PER_SERVICE_MAX): one GET /customers/{name} per
 *    service (PHP curl, one kept-alive connection), as a module without paged lists does; its
 *    one write per service is not counted, so this is a lower bound of its cost.
 *
 * Each step runs in a child process that starts as this one is (pcntl_fork; its writes stay
 * there). Per step: wall time (median of 3 runs below 100,000 services), sgsim requests (its
 * /_sim/stats counter), tblhosting queries, the peak resident memory the step added (the kernel's
 * high-water mark VmHWM, reset through /proc/self/clear_refs at the step's start, minus the RSS
 * then), PHP's own peak above its use at the start (memory_get_peak_usage after
 * memory_reset_peak_usage) and, for the steps that answer one PHP array, that array's size
 * (memory_get_usage while holding it, minus before). Then the growth table: each size against the
 * baseline of the same run, time and queries divided by the size's growth (linear shows ~1.0).
 * The goals (issue 20) are printed beside the figures, never asserted.
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\Sim;
use WHMCS\Database\Capsule;

if (!function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "Load the extension: php -d extension=target/release/libsgwhmcs.so bench/usage.php\n");
    exit(2);
}

const MODULE = 'sgbench';
const INSTALL = '5eedbe4c45eedbe4';
const MIB = 1048576;
/** sgsim's most accounts per seed or bulk usage request (sim/src/bulk.rs BULK_MAX). */
const SIM_BULK = 100000;
/**
 * The per-service approach stops above this many services (at a million it would be a million
 * requests); $BENCH_PER_SERVICE_MAX lowers it (against an sgsim whose name lookups scan).
 */
define('PER_SERVICE_MAX', (int) (getenv('BENCH_PER_SERVICE_MAX') ?: 100000));
/** The rows per page of the database-alone step's reads, and the services per write. */
const DB_PAGE = 1000;
/** Goals (issue 20), printed beside the figures. */
const GOAL_USAGE_RSS_MB = 64;
const GOAL_LIST_RATIO = 1.5;

$sizes = array_values(array_filter(array_map('intval', explode(',', $argv[1] ?? '1000,10000,100000,1000000'))));
if ($sizes === [] || min($sizes) < 1) {
    fwrite(STDERR, "usage: bench/usage.php [SIZES]  (e.g. 1000,10000,100000,1000000)\n");
    exit(2);
}

require dirname(__DIR__) . '/tests/autoload.php';
require dirname(__DIR__) . '/tests/Emulator/constants.php';
WhmcsTree::create(ROOTDIR);
register_shutdown_function(static fn () => WhmcsTree::remove(ROOTDIR));
require ModuleGenerator::generate(MODULE, ROOTDIR);

/** A figure of /proc/self/status, in KiB. */
function procKb(string $field): int
{
    preg_match('/^' . $field . ':\s+(\d+)/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

/**
 * Runs STEP once in a child process (pcntl_fork: it starts with this process's memory, and what
 * an earlier step freed but kept cannot hide what this one needs); answers its figures: seconds,
 * requests, queries, rss (MiB added at the peak), php (MiB of PHP's peak above its use at the
 * start), answer (MiB of the array STEP answered, while held, else null), result (a short text,
 * then what AFTER says, run untimed once the figures are taken).
 *
 * @param callable(): array{0: string, 1?: mixed} $step answers [text, value held while measured]
 * @param (callable(): string)|null $after
 * @return array{seconds: float, requests: int, queries: int, rss: float, php: float, answer: ?float, result: string}
 */
function measure(Sim $sim, Whmcs $whmcs, callable $step, ?callable $after = null): array
{
    gc_collect_cycles();
    gc_mem_caches();
    $file = (string) tempnam(sys_get_temp_dir(), 'usagebench-');
    $pid = pcntl_fork();
    if ($pid === -1) {
        throw new \RuntimeException('pcntl_fork failed');
    }
    if ($pid === 0) {
        @file_put_contents('/proc/self/clear_refs', '5'); // resets the peak (VmHWM) to the current RSS
        $rssBefore = procKb('VmRSS');
        memory_reset_peak_usage();
        $phpBefore = memory_get_usage();
        $requests = $sim->totalRequests();
        $whmcs->database()->resetQueryCount();
        $started = microtime(true);
        $outcome = $step();
        $seconds = microtime(true) - $started;
        $held = memory_get_usage();
        $figures = [
            'seconds' => $seconds,
            'requests' => $sim->totalRequests() - $requests,
            'queries' => $whmcs->database()->queryCount('tblhosting'),
            'rss' => max(0, procKb('VmHWM') - $rssBefore) / 1024,
            'php' => (memory_get_peak_usage() - $phpBefore) / MIB,
            'answer' => array_key_exists(1, $outcome) && is_array($outcome[1]) ? ($held - $phpBefore) / MIB : null,
            'result' => $outcome[0] . ($after === null ? '' : $after()),
        ];
        file_put_contents($file, serialize($figures));
        // Gone without shutdown functions or destructors: the parent owns sgsim and the WHMCS tree.
        posix_kill(posix_getpid(), SIGKILL);
    }
    pcntl_waitpid($pid, $status);
    $figures = @unserialize((string) file_get_contents($file));
    unlink($file);
    if (!is_array($figures)) {
        throw new \RuntimeException('the measured step failed (see its output above)');
    }
    return $figures;
}

/**
 * The figures of STEP run RUNS times: the median time, the largest memory figures.
 *
 * @param (callable(): string)|null $after
 * @return array{seconds: float, requests: int, queries: int, rss: float, php: float, answer: ?float, result: string}
 */
function measureRuns(Sim $sim, Whmcs $whmcs, int $runs, callable $step, ?callable $after = null): array
{
    $all = [];
    for ($i = 0; $i < $runs; $i++) {
        $all[] = measure($sim, $whmcs, $step, $after);
    }
    $times = array_column($all, 'seconds');
    sort($times);
    $figures = end($all);
    $figures['seconds'] = $times[intdiv(count($times), 2)];
    foreach (['rss', 'php', 'answer'] as $memory) {
        $figures[$memory] = $figures[$memory] === null ? null : max(array_column($all, $memory));
    }
    return $figures;
}

/**
 * One size: a fresh sgsim and WHMCS with COUNT services; answers step => figures.
 *
 * @return array<string, array{seconds: float, requests: int, queries: int, rss: float, php: float,
 *     answer: ?float, result: string}>
 */
function runSize(int $count): array
{
    $sim = Sim::start(false);
    try {
        return runSizeOn($sim, $count);
    } finally {
        $sim->stop();
    }
}

/** @return array<string, array{seconds: float, requests: int, queries: int, rss: float, php: float, answer: ?float, result: string}> */
function runSizeOn(Sim $sim, int $count): array
{
    // ---- the Backup Server: COUNT customers with usage, 100,000 per control request ----------
    $started = microtime(true);
    for ($start = 1; $start <= $count; $start += SIM_BULK) {
        $chunk = min(SIM_BULK, $count - $start + 1);
        $sim->expect(200, 'POST', '/_sim/seed', [
            'kind' => 'customer', 'prefix' => 'bench-', 'count' => $chunk, 'start' => $start,
            'storage_bytes' => 10 * 1024 * MIB, 'reference_prefix' => 'whmcs:' . INSTALL . ':service:',
            'email_domain' => 'bench.example',
        ]);
        $accounts = [];
        for ($i = $start; $i < $start + $chunk; $i++) {
            $accounts[] = [
                'kind' => 'customer', 'name' => "bench-$i", 'used_bytes' => $i * MIB, 'mcal_used' => $i % 7,
                'clients' => $i % 5,
            ];
        }
        $sim->expect(200, 'POST', '/_sim/usage', ['accounts' => $accounts]);
        unset($accounts);
    }
    $simSeconds = microtime(true) - $started;

    // ---- WHMCS: one server of the module, one product, COUNT services (straight into the Store) --
    $started = microtime(true);
    $whmcs = Whmcs::fresh(MODULE);
    // The log of queries keeps only table and kind here: a million services' batches of ids would
    // otherwise stay in it and count as the steps' memory.
    $whmcs->database()->recordConditions = false;
    Capsule::table('tblconfiguration')->insert(['setting' => 'SgWhmcsInstallId', 'value' => INSTALL]);
    $serverId = $whmcs->addServer([
        'name' => 'Bench', 'hostname' => $sim->host, 'ipaddress' => '', 'username' => $sim->user,
        'password' => $sim->password, 'accesshash' => '', 'secure' => false, 'port' => (string) $sim->port,
    ]);
    $settings = [Labels::ACTION => 'Signup Customer', Labels::STORAGE => '1073741824'];
    $productId = $whmcs->addProduct('Bench', $settings, ['servers' => [$serverId]]);
    $clientId = $whmcs->addClient();
    $store = $whmcs->store();
    for ($i = 1; $i <= $count; $i++) {
        // Yesterday's usage in each row, as a daily cron finds it: the step replaces those values
        // (their memory is freed), rather than adding a million new ones the module is not holding.
        $store->services[$i] = [
            'id' => $i, 'userid' => $clientId, 'packageid' => $productId, 'server' => $serverId,
            'username' => "bench-$i", 'password' => '', 'domain' => '', 'domainstatus' => 'Active',
            'configoptions' => [], 'customfields' => [], 'regdate' => '2026-01-01',
            'diskusage' => "$i", 'disklimit' => "$i", 'lastupdate' => '2026-01-01 00:00:00',
        ];
    }
    // The indexes the steps use are built here, once per size (MySQL's exist already), so no
    // step's figures include them: server, packageid, id in order, and id (with the rows' places,
    // which merge a whereIn of several ids) for the writes.
    Capsule::table('tblhosting')->where('server', $serverId)->whereIn('packageid', [$productId])
        ->where('id', '>', 0)->orderBy('id')->limit(1)->get();
    Capsule::table('tblhosting')->whereIn('id', [1, 2])->get();
    printf(
        "%s services: sgsim seeded in %.2f s, WHMCS's %s services and their indexes in %.2f s\n",
        number_format($count),
        $simSeconds,
        number_format($count),
        microtime(true) - $started
    );

    $serverParams = ['serverid' => $serverId, 'serverip' => '', 'serverhostname' => $sim->host,
        'serverusername' => $sim->user, 'serverpassword' => $sim->password, 'serveraccesshash' => '',
        'serversecure' => false, 'serverport' => (string) $sim->port, 'serverhttpprefix' => ''];
    $runs = $count < 100000 ? 3 : 1;
    $rows = [];
    // What every step pays whatever the size: the extension's code paged in, a connection.
    $rows['TestConnection'] = measureRuns($sim, $whmcs, $runs, function () use ($whmcs, $serverParams): array {
        $answer = $whmcs->call('TestConnection', $serverParams);
        return [($answer['success'] ?? false) ? 'connected (the fixed cost of any step)' : (string) $answer['error']];
    });
    $rows['UsageUpdate'] = measureRuns($sim, $whmcs, $runs, function () use ($whmcs, $serverId): array {
        $result = $whmcs->runUsageUpdate()[$serverId] ?? null;
        return [is_string($result) ? $result : (string) json_encode($result)];
    }, function () use ($store): string {
        $written = 0;
        foreach ($store->services as $service) {
            $written += (int) ($service['lastupdate'] !== '2026-01-01 00:00:00');
        }
        return ", $written services written";
    });
    $rows['ListAccounts'] = measureRuns($sim, $whmcs, $runs, function () use ($whmcs, $serverParams): array {
        $answer = $whmcs->call('ListAccounts', $serverParams);
        $text = ($answer['success'] ?? false) ? count($answer['accounts']) . ' accounts' : (string) $answer['error'];
        return [$text, $answer];
    });
    $rows['usage()'] = measureRuns($sim, $whmcs, $runs, function () use ($whmcs, $serverParams): array {
        $provider = $whmcs->call('MetricProvider', $serverParams);
        $usage = $whmcs->inCall('MetricProvider', $serverParams, fn () => $provider->usage());
        return [count($usage) . ' tenants', $usage];
    });
    $rows['database alone'] = measureRuns($sim, $whmcs, $runs, function () use ($serverId, $productId): array {
        $after = 0;
        $read = 0;
        $now = date('Y-m-d H:i:s');
        do {
            $page = Capsule::table('tblhosting')->where('server', $serverId)->whereIn('packageid', [$productId])
                ->where('id', '>', $after)->orderBy('id')->limit(DB_PAGE)->get();
            $ids = array_map(fn (\stdClass $row): int => (int) $row->id, $page);
            if ($ids !== []) {
                // The values UsageUpdate writes (service i's account uses i MB of 10240): a million
                // distinct values cost the emulated database memory that the same value would not.
                $case = fn (callable $value): string => 'CASE id'
                    . implode('', array_map(fn (int $id): string => " WHEN $id THEN " . $value($id), $ids)) . ' END';
                $used = $case(fn (int $id): int => $id);
                $limit = $case(fn (int $id): int => 10240);
                Capsule::table('tblhosting')->whereIn('id', $ids)->update(
                    ['diskusage' => Capsule::raw($used), 'disklimit' => Capsule::raw($limit), 'lastupdate' => $now]
                );
                $after = end($ids);
                $read += count($ids);
            }
        } while (count($page) === DB_PAGE);
        return ["$read services read in pages of " . DB_PAGE . ' and written'];
    });
    if ($count <= PER_SERVICE_MAX) {
        $rows['per service'] = measureRuns($sim, $whmcs, 1, function () use ($sim, $store): array {
            $curl = curl_init();
            $auth = base64_encode($sim->user . ':' . $sim->password);
            curl_setopt_array(
                $curl,
                [CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => ["Authorization: Basic $auth"]]
            );
            $read = 0;
            foreach ($store->services as $service) {
                $url = "http://{$sim->host}:{$sim->port}/api/v1/customers/" . rawurlencode($service['username']);
                curl_setopt($curl, CURLOPT_URL, $url);
                $account = json_decode((string) curl_exec($curl), true);
                $read += (int) isset($account['storage']['used_bytes']);
            }
            curl_close($curl);
            return ["$read services read (writes not counted)"];
        });
    }

    printf(
        "  %-15s %9s %9s %8s %9s %9s %10s  %s\n",
        'step',
        'wall s',
        'requests',
        'queries',
        'RSS +MB',
        'PHP +MB',
        'answer MB',
        'result'
    );
    foreach ($rows as $name => $figures) {
        printf(
            "  %-15s %9.3f %9d %8d %9.1f %9.1f %10s  %s\n",
            $name,
            $figures['seconds'],
            $figures['requests'],
            $figures['queries'],
            $figures['rss'],
            $figures['php'],
            $figures['answer'] === null ? '-' : sprintf('%.1f', $figures['answer']),
            $figures['result']
        );
    }
    $usage = $rows['UsageUpdate'];
    $database = $rows['database alone'];
    $list = $rows['ListAccounts'];
    $rustSide = max(0.0, $list['rss'] - $list['php']);
    $answer = $list['answer'] ?? 0.0;
    printf(
        "  goals: UsageUpdate RSS +%.1f MB, the emulated database's own share of it (database alone) +%.1f MB, "
        . "the module's +%.1f MB (goal < %d MB at 1,000,000); ListAccounts Rust side (RSS+ - PHP+) "
        . "%.1f MB, %s (goal <= %.1fx)\n",
        $usage['rss'],
        $database['rss'],
        max(0.0, $usage['rss'] - $database['rss']),
        GOAL_USAGE_RSS_MB,
        $rustSide,
        $answer >= 0.1 ? sprintf('%.2fx its %.1f MB PHP answer', $rustSide / $answer, $answer) : 'no answer to compare',
        GOAL_LIST_RATIO
    );
    if (isset($rows['per service'])) {
        printf(
            "  per service / UsageUpdate: %.1fx the wall time, %.0fx the requests\n",
            $rows['per service']['seconds'] / max($usage['seconds'], 1e-9),
            $rows['per service']['requests'] / max($usage['requests'], 1)
        );
    } else {
        printf("  per service: not run above %s services (one request per service)\n", number_format(PER_SERVICE_MAX));
    }
    echo "\n";

    unset($whmcs, $store);
    Whmcs::fresh(MODULE); // the big installation is no longer the current one: its memory goes
    gc_collect_cycles();
    return $rows;
}

$results = [];
$runStarted = microtime(true);
foreach ($sizes as $size) {
    $results[$size] = runSize($size);
}

// ---- growth: each size against the first (the baseline of this run) -----------------------------
$base = $sizes[0];
printf(
    "growth against %s services (time and queries divided by the size's growth: linear = 1.00)\n",
    number_format($base)
);
printf("  %-15s %-9s", 'step', 'figure');
foreach ($sizes as $size) {
    printf(" %11s", number_format($size));
}
echo "\n";
foreach (array_diff(array_keys($results[$base]), ['TestConnection']) as $step) {
    $figureKeys = ['time' => 'seconds', 'requests' => 'requests', 'queries' => 'queries', 'RSS +MB' => 'rss'];
    foreach ($figureKeys as $label => $key) {
        printf("  %-15s %-9s", $step, $label);
        foreach ($sizes as $size) {
            $figures = $results[$size][$step] ?? null;
            if ($figures === null) {
                printf(" %11s", '-');
            } elseif ($key === 'rss') {
                printf(" %11.1f", $figures['rss']);
            } else {
                $growth = $figures[$key] / max($results[$base][$step][$key], 1e-9);
                printf(" %11s", $results[$base][$step][$key] > 0 ? sprintf('%.2f', $growth / ($size / $base)) : '-');
            }
        }
        echo "\n";
    }
}
printf(
    "goals (issue 20, printed, not asserted): UsageUpdate over 1,000,000 accounts under %d MB RSS above the "
    . "step's start; ListAccounts' Rust side at most %.1fx its PHP answer; time linear (growth ~1.00)\n",
    GOAL_USAGE_RSS_MB,
    GOAL_LIST_RATIO
);
printf("whole run: %.1f s\n", microtime(true) - $runStarted);
