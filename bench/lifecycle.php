<?php

/**
 * Lifecycle benchmark (not a test): prints figures, asserts nothing.
 *
 *   SGSIM_BIN=target/release/sgsim php -d extension=target/release/libsgwhmcs.so \
 *       bench/lifecycle.php [LIFECYCLES]
 *   (or: make bench-lifecycle)
 *
 * Three TLS sgsim, holding 0, 10,000 and 100,000 other customers (seeded once with /_sim/seed),
 * and the emulated WHMCS (tests/Emulator) with one server and one customer product of the module
 * on each. Each lifecycle is a new client and a new service (an empty username, so the module
 * derives the name and searches by reference first) run through WHMCS's Module Create, Suspend,
 * Unsuspend and Terminate, as WHMCS calls them (Terminate reads the tenant's usage first). The
 * three rows take turns lifecycle by lifecycle, LIFECYCLES (default 200) each, so a busy
 * machine's drift hits all three alike. Prints, per row: the median lifecycle's ms, sgsim
 * requests per lifecycle (its /_sim/stats counter), the ratio to the 0-account row of the same
 * run, and what seeding the row's server took. Goal (printed, never asserted): every row within
 * 10 % of the baseline.
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

$lifecycles = max(1, (int) ($argv[1] ?? 200));
const MODULE = 'sglife';
const LEVELS = [0, 10000, 100000];

require dirname(__DIR__) . '/tests/autoload.php';
require dirname(__DIR__) . '/tests/Emulator/constants.php';
WhmcsTree::create(ROOTDIR);
register_shutdown_function(static fn () => WhmcsTree::remove(ROOTDIR));
require ModuleGenerator::generate(MODULE, ROOTDIR);

// One TLS sgsim per row, filled once: no reset or seed between the measured lifecycles. glibc
// would give an almost empty server's freed heap back to the system after each request and grow
// it again on the next (the top of a filled server's heap is in use, so it is spared): that
// would make the empty server the slow one. Its trimming is off for the simulators (glibc reads
// the setting when a process starts, so this PHP keeps its own).
putenv('GLIBC_TUNABLES=glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=67108864');
$whmcs = Whmcs::fresh(MODULE);
$rows = [];
foreach (LEVELS as $level) {
    $sim = Sim::start(true);
    register_shutdown_function(static fn () => $sim->stop());
    $started = microtime(true);
    fill($sim, $level);
    $serverId = $whmcs->addServer(['name' => "Bench $level", 'ipaddress' => ''] + $sim->serverRecord());
    $rows[$level] = [
        'sim' => $sim,
        'product' => $whmcs->addProduct("Bench $level", [
            Labels::ACTION => 'Signup Customer', Labels::STORAGE => '1073741824', Labels::PASS_KEY => '',
        ], ['servers' => [$serverId]]),
        'seeding' => microtime(true) - $started,
        'ms' => [],
    ];
}
putenv('GLIBC_TUNABLES');

/** COUNT customers beside the built-in accounts, seeded in requests of 100,000. */
function fill(Sim $sim, int $count): void
{
    for ($start = 1; $start <= $count; $start += 100000) {
        $sim->expect(200, 'POST', '/_sim/seed', [
            'kind' => 'customer', 'prefix' => 'filler-', 'start' => $start,
            'count' => min(100000, $count - $start + 1), 'storage_bytes' => 1024,
            'reference_prefix' => 'other:filler:', 'email_domain' => 'filler.example',
        ]);
    }
}

/** One lifecycle of a new client and service of PRODUCT; answers its ms. */
function lifecycle(Whmcs $whmcs, int $productId): float
{
    static $serial = 0;
    $serial++;
    $store = $whmcs->store();
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
    $ms = (hrtime(true) - $started) / 1e6;
    // The next lifecycle's WHMCS is as small as this one's (the emulator's lists are arrays).
    unset($store->services[$serviceId]);
    return $ms;
}

/** The median of a list of numbers. */
function median(array $values): float
{
    sort($values);
    return (float) $values[intdiv(count($values), 2)];
}

for ($i = 0; $i < 5; $i++) { // warm-up, uncounted
    foreach ($rows as $row) {
        lifecycle($whmcs, $row['product']);
    }
}
foreach ($rows as $level => $row) {
    $rows[$level]['before'] = $row['sim']->stats();
}
// The rows take turns lifecycle by lifecycle, each round in another order, so that a busy
// machine's drift hits all three alike.
$order = array_keys($rows);
for ($i = 0; $i < $lifecycles; $i++) {
    foreach ($order as $level) {
        $rows[$level]['ms'][] = lifecycle($whmcs, $rows[$level]['product']);
    }
    $order[] = array_shift($order);
}

printf(
    "bench-lifecycle: Create, Suspend, Unsuspend, Terminate through the emulated WHMCS, in process, one TLS sgsim\n"
    . "per row; %d lifecycles per row, the rows taking turns, median lifecycle\n\n",
    $lifecycles
);
$columns = ['existing accounts' => 18, 'ms/lifecycle' => 13, 'requests/lifecycle' => 21, 'x 0 accounts' => 12,
    'seeding, s' => 11];
foreach ($columns as $title => $width) {
    printf('| %' . $width . 's ', $title);
}
echo "|\n";
foreach ($columns as $width) {
    echo '|', str_repeat('-', $width + 2);
}
echo "|\n";
$base = median($rows[0]['ms']);
$routes = [];
foreach ($rows as $level => $row) {
    $after = $row['sim']->stats();
    foreach ($after['routes'] as $route => $count) {
        $routes[$level][$route] = round(($count - ($row['before']['routes'][$route] ?? 0)) / $lifecycles, 2);
    }
    printf(
        "| %18s | %13.3f | %21.1f | %12.3f | %11.2f |\n",
        number_format($level),
        median($row['ms']),
        ($after['total'] - $row['before']['total']) / $lifecycles,
        median($row['ms']) / $base,
        $row['seeding']
    );
}
printf("\nrequests per lifecycle by route (0 accounts): %s\n", json_encode($routes[0], JSON_UNESCAPED_SLASHES));
printf("goal: every row within 10 %% of the 0-account row (printed, not asserted)\n");
