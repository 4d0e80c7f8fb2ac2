<?php

/**
 * One WHMCS request of the upgrade test (tests/Upgrade/run.sh), in a PHP process of its own with
 * whichever build of the extension that run loaded: it includes the module file generated into the
 * scratch WHMCS (as WHMCS does on each request), continues the emulated WHMCS database the previous
 * request left in STATE, runs STEPS through the module, saves the database again and prints what
 * each step answered as one JSON line.
 *
 *   php -n -d extension=EXT tests/Upgrade/step.php JOB_JSON
 *
 * JOB: {"root": the WHMCS dir, "state": a file, "module": NAME, "sim": {host, port, user,
 * password, sha256}, "steps": [...]}. A step is "setup" (a server on the simulator and a
 * Signup Customer product on it), {"order": USERNAME} (a client orders it, the admin accepts:
 * CreateAccount), {"call": "suspend"|"unsuspend"|"terminate", "service": USERNAME}, "meta"
 * (MetaData), "testConnection", {"usage": USERNAME} (the Usage Billing cron through the module's
 * MetricProvider, then the service's metrics) or {"clientEdit": USERNAME, "email": E} (the page
 * load includes the hooks files; the admin saves the client's e-mail: ClientEdit).
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a driver: one emulated WHMCS request

use SgWhmcs\Tests\Emulator\SharedDatabase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\Labels;

$job = json_decode((string) ($argv[1] ?? ''), true, 16, JSON_THROW_ON_ERROR);
define('WHMCS', true);
define('ROOTDIR', (string) $job['root']);
require_once dirname(__DIR__) . '/autoload.php';

$module = (string) $job['module'];
$whmcs = Whmcs::fresh($module);
$factsFile = $job['state'] . '.facts.json';
$facts = ['services' => [], 'clients' => []];
if (is_file($job['state'])) {
    (new SharedDatabase($job['state']))->into($whmcs);
    $facts = json_decode((string) file_get_contents($factsFile), true, 16, JSON_THROW_ON_ERROR);
}
require_once ROOTDIR . "/modules/servers/$module/$module.php";

$sim = $job['sim'];
$results = [];
foreach ($job['steps'] as $step) {
    if ($step === 'setup') {
        $server = $whmcs->addServer([
            'name' => 'Backup', 'hostname' => $sim['host'], 'ipaddress' => '', 'username' => $sim['user'],
            'password' => $sim['password'], 'accesshash' => (string) $sim['sha256'], 'secure' => true,
            'port' => (string) $sim['port'],
        ]);
        $facts['server'] = $server;
        $facts['product'] = $whmcs->addProduct('Online Backup', [
            Labels::ACTION => 'Signup Customer', Labels::STORAGE => '10737418240',
        ], ['servers' => [$server]]);
        $results[] = 'setup';
    } elseif ($step === 'meta') {
        $results[] = $whmcs->call('MetaData');
    } elseif ($step === 'testConnection') {
        $results[] = $whmcs->testConnection((int) $facts['server']);
    } elseif (isset($step['order'])) {
        $client = $whmcs->addClient(['email' => $step['order'] . '@client.test']);
        $order = $whmcs->placeOrder($client, (int) $facts['product'], ['username' => $step['order']]);
        $results[] = $whmcs->acceptOrder($order);
        $facts['services'][$step['order']] = $whmcs->orderService($order);
        $facts['clients'][$step['order']] = $client;
    } elseif (isset($step['call'])) {
        $service = (int) $facts['services'][$step['service']];
        $results[] = match ($step['call']) {
            'suspend' => $whmcs->suspend($service),
            'unsuspend' => $whmcs->unsuspend($service),
            'terminate' => $whmcs->terminate($service),
        };
    } elseif (isset($step['usage'])) {
        // WHMCS fails the usage task of a module whose provider gives no metrics: named, not fatal here.
        try {
            $cron = $whmcs->runUsageCron();
        } catch (\UnexpectedValueException $e) {
            $cron = ['failed' => $e->getMessage()];
        }
        $results[] = ['cron' => $cron, 'metrics' => $whmcs->serviceMetrics((int) $facts['services'][$step['usage']])];
    } elseif (isset($step['clientEdit'])) {
        $files = $whmcs->loadHookFiles(ROOTDIR);
        $whmcs->editClient((int) $facts['clients'][$step['clientEdit']], ['email' => (string) $step['email']]);
        $results[] = ['hookFiles' => count($files), 'activity' => array_column($whmcs->activity(), 'message')];
    } else {
        throw new \InvalidArgumentException('unknown step ' . json_encode($step));
    }
}

SharedDatabase::create($whmcs->store(), $job['state']);
file_put_contents($factsFile, json_encode($facts, JSON_THROW_ON_ERROR));
echo json_encode(['results' => $results], JSON_THROW_ON_ERROR | JSON_PARTIAL_OUTPUT_ON_ERROR), "\n";
