<?php

/**
 * Lifecycle benchmark (not a test): prints figures, asserts nothing.
 *
 *   SGSIM_BIN=target/release/sgsim php -d extension=target/release/libsgwhmcs.so \
 *       bench/lifecycle.php [LIFECYCLES] [ROUNDS]
 *   (or: make bench-lifecycle)
 *
 * One TLS sgsim and the emulated WHMCS (tests/Emulator) with one server and one customer product
 * of the module. Each lifecycle is a new client and a new service (an empty username, so the
 * module derives the name and searches by reference first) run through WHMCS's Module Create,
 * Suspend, Unsuspend and Terminate, as WHMCS calls them (Terminate reads the tenant's usage
 * first). The server holds 0, 10,000 or 100,000 other customers, seeded with /_sim/seed after a
 * /_sim/reset; the three take turns, ROUNDS rounds (default 7) of LIFECYCLES lifecycles each
 * (default 40), so a busy machine's drift hits all three alike. Prints, per row: the median
 * lifecycle's ms, sgsim requests per lifecycle (its /_sim/stats counter), the ratio to the
 * 0-account row of the same run, and what the reset and seed before the row took. Goal (printed, never asserted):
 * every row within 10 % of the baseline.
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\Sim;

if (!function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "Load the extension: php -d extension=target/release/libsgwhmcs.so bench/lifecycle.php\n");
    exit(2);
}

$lifecycles = max(1, (int) ($argv[1] ?? 40));
$rounds = max(1, (int) ($argv[2] ?? 7));
const MODULE = 'sglife';
const LEVELS = [0, 10000, 100000];

require dirname(__DIR__) . '/tests/autoload.php';
require dirname(__DIR__) . '/tests/Emulator/constants.php';
WhmcsTree::create(ROOTDIR);
register_shutdown_function(static fn () => WhmcsTree::remove(ROOTDIR));
require ModuleGenerator::generate(MODULE, ROOTDIR);

$sim = Sim::start(true);
register_shutdown_function(static fn () => $sim->stop());

$whmcs = Whmcs::fresh(MODULE);
$serverId = $whmcs->addServer(['name' => 'Bench', 'ipaddress' => ''] + $sim->serverRecord());
$productId = $whmcs->addProduct('Bench', [
    Labels::ACTION => 'Signup Customer', Labels::STORAGE => '1073741824', Labels::PASS_KEY => '',
], ['servers' => [$serverId]]);
$store = $whmcs->store();

/** The server back to its built-in accounts, then COUNT customers beside them. */
function fill(Sim $sim, int $count): void
{
    $sim->reset();
    for ($start = 1; $start <= $count; $start += 100000) {
        $sim->expect(200, 'POST', '/_sim/seed', [
            'kind' => 'customer', 'prefix' => 'filler-', 'start' => $start,
            'count' => min(100000, $count - $start + 1), 'storage_bytes' => 1024,
            'reference_prefix' => 'other:filler:', 'email_domain' => 'filler.example',
        ]);
    }
}

/** Runs N lifecycles; answers [ms of each lifecycle, sgsim requests per lifecycle]. */
function lifecycles(Sim $sim, Whmcs $whmcs, int $productId, int $n): array
{
    static $serial = 0;
    $store = $whmcs->store();
    $requests = $sim->totalRequests();
    $each = [];
    for ($i = 0; $i < $n; $i++) {
        $serial++;
        $clientId = $whmcs->addClient([
            'firstname' => 'Life', 'lastname' => "Cycle $serial", 'companyname' => "Lifecycle $serial Ltd",
            'email' => "life$serial@bench.example",
        ]);
        $serviceId = $store->nextId('services');
        $store->services[$serviceId] = [
            'id' => $serviceId, 'userid' => $clientId, 'orderid' => 0, 'packageid' => $productId,
            'server' => $store->product($productId)['servers'][0], 'username' => '',
            'password' => 'Bench-pass-' . $serial, 'domain' => '', 'domainstatus' => 'Pending',
            'configoptions' => [], 'regdate' => date('Y-m-d'), 'diskusage' => '0', 'disklimit' => '0',
        ];
        $started = hrtime(true);
        foreach (['createAccount', 'suspend', 'unsuspend', 'terminate'] as $step) {
            $result = $whmcs->$step($serviceId);
            if ($result !== 'success') {
                fwrite(STDERR, "lifecycle $serial: $step failed: $result\n");
                exit(1);
            }
        }
        $each[] = (hrtime(true) - $started) / 1e6;
        // The next lifecycle's WHMCS is as small as this one's (the emulator's lists are arrays).
        unset($store->services[$serviceId]);
    }
    $requests = $sim->totalRequests() - $requests; // /_sim/ controls are not counted
    return [$each, $requests / $n];
}

/** The median of a list of numbers. */
function median(array $values): float
{
    sort($values);
    return (float) $values[intdiv(count($values), 2)];
}

$ms = $requests = array_fill_keys(LEVELS, []);
$seeding = $routes = [];
for ($round = -1; $round < $rounds; $round++) { // round -1 warms everything up, uncounted
    foreach (LEVELS as $level) {
        $started = microtime(true);
        fill($sim, $level);
        $seeding[$level] = microtime(true) - $started;
        [$each, $perRequests] = lifecycles($sim, $whmcs, $productId, $round < 0 ? 5 : $lifecycles);
        $routes[$level] = $sim->stats()['routes'];
        if ($round >= 0) {
            array_push($ms[$level], ...$each);
            $requests[$level][] = $perRequests;
        }
    }
}

printf(
    "bench-lifecycle: Create, Suspend, Unsuspend, Terminate through the emulated WHMCS, in process, one TLS sgsim;\n"
    . "%d rounds of %d lifecycles per row, rows taking turns, median lifecycle\n\n",
    $rounds,
    $lifecycles
);
$columns = ['existing accounts' => 18, 'ms/lifecycle' => 13, 'requests/lifecycle' => 21, 'x 0 accounts' => 12,
    'reset+seed, s' => 14];
foreach ($columns as $title => $width) {
    printf('| %' . $width . 's ', $title);
}
echo "|\n";
foreach ($columns as $width) {
    echo '|', str_repeat('-', $width + 2);
}
echo "|\n";
$base = median($ms[0]);
foreach (LEVELS as $level) {
    printf(
        "| %18s | %13.3f | %21.1f | %12.3f | %14.2f |\n",
        number_format($level),
        median($ms[$level]),
        median($requests[$level]),
        median($ms[$level]) / $base,
        $seeding[$level]
    );
}
$perRoute = array_map(fn (int $count) => round($count / $lifecycles, 2), $routes[0]);
printf("\nrequests per lifecycle by route (0 accounts): %s\n", json_encode($perRoute, JSON_UNESCAPED_SLASHES));
printf("goal: every row within 10 %% of the 0-account row (printed, not asserted)\n");
