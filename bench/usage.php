<?php

/**
 * Usage benchmark (not a test): prints figures, asserts nothing.
 *
 *   SGSIM_BIN=target/release/sgsim php -d extension=target/release/libsgwhmcs.so bench/usage.php [SERVICES]
 *   (or: make bench-usage)
 *
 * Seeds SERVICES (default 10,000) customers in a plain-http sgsim in two requests (`/_sim/seed`,
 * then `/_sim/usage` for all of them), gives the emulated WHMCS (tests/Emulator) one server of the
 * module with a service for each, and times, in this one run:
 *
 * 1. UsageUpdate (WHMCS's daily call for the server): paged lists, batched tblhosting writes;
 * 2. ListAccounts (Server Sync);
 * 3. MetricProvider usage() (the Usage Billing cron, one listing per server);
 * 4. the per-service approach: one GET /customers/{name} per service (PHP curl, one kept-alive
 *    connection), as a module without paged lists does; its one write per service is not timed
 *    (the emulated database scans all rows per query), so this is a lower bound of its cost;
 *
 * printing wall time, sgsim requests (its /_sim/stats counter), tblhosting queries and the peak
 * resident memory the step added, then the per-service / UsageUpdate ratio. Goals (printed, never
 * asserted): under 1 s, at most 12 requests, under 64 MB.
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

$count = max(1, (int) ($argv[1] ?? 10000));
const MODULE = 'sgbench';
const INSTALL = '5eedbe4c45eedbe4';
const MIB = 1048576;

require dirname(__DIR__) . '/tests/autoload.php';
require dirname(__DIR__) . '/tests/Emulator/constants.php';
WhmcsTree::create(ROOTDIR);
register_shutdown_function(static fn () => WhmcsTree::remove(ROOTDIR));
require ModuleGenerator::generate(MODULE, ROOTDIR);

$sim = Sim::start(false);
register_shutdown_function(static fn () => $sim->stop());

// ---- the Backup Server: COUNT customers with usage, in two control requests ------------------
$started = microtime(true);
$sim->expect(200, 'POST', '/_sim/seed', [
    'kind' => 'customer', 'prefix' => 'bench-', 'count' => $count, 'storage_bytes' => 10 * 1024 * MIB,
    'reference_prefix' => 'whmcs:' . INSTALL . ':service:', 'email_domain' => 'bench.example',
]);
$accounts = [];
for ($i = 1; $i <= $count; $i++) {
    $accounts[] = [
        'kind' => 'customer', 'name' => "bench-$i", 'used_bytes' => $i * MIB, 'mcal_used' => $i % 7, 'clients' => $i % 5,
    ];
}
$sim->expect(200, 'POST', '/_sim/usage', ['accounts' => $accounts]);
unset($accounts);

// ---- WHMCS: one server of the module, one product, COUNT services ----------------------------
$whmcs = Whmcs::fresh(MODULE);
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
    $store->services[$i] = [
        'id' => $i, 'userid' => $clientId, 'packageid' => $productId, 'server' => $serverId,
        'username' => "bench-$i", 'password' => '', 'domain' => '', 'domainstatus' => 'Active',
        'configoptions' => [], 'customfields' => [], 'regdate' => '2026-01-01',
        'diskusage' => '0', 'disklimit' => '0', 'lastupdate' => '0000-00-00 00:00:00',
    ];
}
$setup = microtime(true) - $started;
printf("setup: %d customers in sgsim and %d services in WHMCS in %.2f s\n\n", $count, $count, $setup);

$serverParams = ['serverid' => $serverId, 'serverip' => '', 'serverhostname' => $sim->host,
    'serverusername' => $sim->user, 'serverpassword' => $sim->password, 'serveraccesshash' => '',
    'serversecure' => false, 'serverport' => (string) $sim->port, 'serverhttpprefix' => ''];

/**
 * Runs STEP once; answers [seconds, sgsim requests, tblhosting queries, peak MB added, result].
 *
 * @return array{float, int, int, float, mixed}
 */
function measure(Sim $sim, Whmcs $whmcs, callable $step): array
{
    gc_collect_cycles();
    @file_put_contents('/proc/self/clear_refs', '5'); // resets the peak (VmHWM) to the current RSS
    $rssBefore = procKb('VmRSS');
    $requests = $sim->totalRequests();
    $whmcs->database()->resetQueryCount();
    $started = microtime(true);
    $result = $step();
    $seconds = microtime(true) - $started;
    $peak = (procKb('VmHWM') - $rssBefore) / 1024;
    return [$seconds, $sim->totalRequests() - $requests, $whmcs->database()->queryCount('tblhosting'), $peak, $result];
}

function procKb(string $field): int
{
    preg_match('/' . $field . ':\s+(\d+)/', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

$rows = [];
$rows['UsageUpdate'] = measure($sim, $whmcs, fn () => $whmcs->runUsageUpdate()[$serverId] ?? null);
$written = 0;
foreach ($store->services as $service) {
    $written += (int) ($service['diskusage'] > 0);
}
$rows['ListAccounts'] = measure($sim, $whmcs, function () use ($whmcs, $serverParams) {
    $answer = $whmcs->call('ListAccounts', $serverParams);
    return ($answer['success'] ?? false) ? count($answer['accounts']) . ' accounts' : $answer['error'];
});
$rows['usage()'] = measure($sim, $whmcs, function () use ($whmcs, $serverParams) {
    $provider = $whmcs->call('MetricProvider', $serverParams);
    return count($whmcs->inCall('MetricProvider', $serverParams, fn () => $provider->usage())) . ' tenants';
});

// What the emulated database alone costs for UsageUpdate's queries (one select of the server's
// services, then COUNT / 1000 batched updates): replayed here, so the module's own share shows.
$rows['emulated db'] = measure($sim, $whmcs, function () use ($store, $serverId, $productId) {
    $ids = array_keys($store->services);
    json_encode(Capsule::table('tblhosting')->where('server', $serverId)->whereIn('packageid', [$productId])->get());
    foreach (array_chunk($ids, 1000) as $chunk) {
        $case = 'CASE id' . implode('', array_map(fn ($id) => " WHEN $id THEN 1", $chunk)) . ' END';
        Capsule::table('tblhosting')->whereIn('id', $chunk)->update([
            'diskusage' => Capsule::raw($case), 'disklimit' => Capsule::raw($case), 'lastupdate' => date('Y-m-d H:i:s'),
        ]);
    }
    return 'the same queries, without the module';
});

// The per-service approach: one GET per service. Its writes (one query per service) are left
// out: the emulated database scans every row per query, which real MySQL does not, so timing them
// would measure the emulator; the figure is therefore a lower bound of that approach's cost.
$rows['per service'] = measure($sim, $whmcs, function () use ($sim, $store) {
    $curl = curl_init();
    $auth = base64_encode($sim->user . ':' . $sim->password);
    curl_setopt_array($curl, [CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => ["Authorization: Basic $auth"]]);
    $read = 0;
    foreach ($store->services as $service) {
        $url = "http://{$sim->host}:{$sim->port}/api/v1/customers/" . rawurlencode($service['username']);
        curl_setopt($curl, CURLOPT_URL, $url);
        $account = json_decode((string) curl_exec($curl), true);
        $read += (int) isset($account['storage']['used_bytes']);
    }
    curl_close($curl);
    return "$read services read (writes not counted)";
});

printf("%-14s %10s %10s %10s %12s  %s\n", 'step', 'wall s', 'requests', 'db writes', 'peak +MB', 'result');
foreach ($rows as $name => [$seconds, $requests, $queries, $peak, $result]) {
    $shown = is_scalar($result) ? $result : json_encode($result);
    printf("%-14s %10.3f %10d %10d %12.1f  %s\n", $name, $seconds, $requests, $queries, $peak, $shown);
}
printf(
    "\nUsageUpdate wrote %d of %d services; without the emulated database it took about %.3f s.\n",
    $written,
    $count,
    $rows['UsageUpdate'][0] - $rows['emulated db'][0]
);
printf(
    "per-service / UsageUpdate: %.1fx the wall time, %.0fx the requests\n",
    $rows['per service'][0] / max($rows['UsageUpdate'][0], 1e-9),
    $rows['per service'][1] / max($rows['UsageUpdate'][1], 1)
);
printf(
    "per-service / paged listing alone (ListAccounts): %.1fx the wall time\n",
    $rows['per service'][0] / max($rows['ListAccounts'][0], 1e-9)
);
printf("goals for UsageUpdate, ListAccounts and usage(): < 1 s, <= 12 requests, < 64 MB (printed, not asserted)\n");
