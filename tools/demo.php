<?php

/**
 * `make demo`: the module end to end, as a hosting admin would meet it, against a real Backup
 * Server simulator (sgsim, over HTTPS with its certificate pinned) and the WHMCS emulator of
 * tests/ standing in for WHMCS. Prints each step and the server's view of the account.
 *
 *   SGSIM_BIN=target/release/sgsim php -d extension=target/release/libsgwhmcs.so tools/demo.php
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Sim;

$repo = dirname(__DIR__);
require_once "$repo/tests/autoload.php";

if (!function_exists('SgWhmcs\module_call')) {
    fwrite(STDERR, "Load the extension: php -d extension=\$PWD/target/release/libsgwhmcs.so tools/demo.php\n");
    exit(2);
}
require_once "$repo/tests/Emulator/constants.php";

const MODULE = 'backupdemo';

function step(string $text): void
{
    echo "\n== $text\n";
}

function show(string $label, mixed $value): void
{
    printf("   %-22s %s\n", $label, is_string($value) ? $value : json_encode($value, JSON_UNESCAPED_SLASHES));
}

/** Prints the server's view of an account: the fields a product sets. */
function view(?array $account): void
{
    if ($account === null) {
        show('server view', 'no such account');
        return;
    }
    show('name / kind', $account['name'] . ' / ' . $account['kind']);
    if (isset($account['reseller'])) {
        show('reseller', $account['reseller']);
    }
    show('active', $account['active'] ? 'yes' : 'no');
    show('auto authorization', $account['auto_authorization'] ? 'yes' : 'no');
    show('storage', $account['storage']);
    show('mcal', $account['mcal']);
    show('throttle', $account['throttle']);
    if (isset($account['consolidated_report'])) {
        show('consolidated report', $account['consolidated_report']);
    }
    show('contact', $account['contact']['email'] . ', ' . $account['contact']['company']);
}

$sim = Sim::start(true);
WhmcsTree::create(ROOTDIR);
register_shutdown_function(static function () use ($sim): void {
    $sim->stop();
    WhmcsTree::remove(ROOTDIR);
});

step('Backup Server simulator');
show('web console', $sim->url);
show('certificate SHA-256', substr((string) $sim->sha256, 0, 16) . '… (pinned in the product)');

step('Generate the module');
$file = ModuleGenerator::generate(MODULE, ROOTDIR);
require_once $file;
show('module file', substr($file, strlen(ROOTDIR) + 1));
$whmcs = Whmcs::fresh(MODULE);

step('Configure a product (Module Settings)');
$sim->createDirectly('resellers', [
    'name' => 'Acme Resellers', 'contact' => ['email' => 'ops@acme.test'], 'active' => true,
    'auto_authorization' => false, 'storage' => ['allotted_bytes' => 10995116277760, 'location' => null],
    'mcal' => ['auto' => true], 'throttle' => null, 'send_mail' => false,
]);
$passKeyField = $whmcs->addClientCustomField('Pass Key');
$product = $whmcs->addProduct('Online Backup 100 GB', [
    'Protocol' => 'https', 'HostName or IP Address' => $sim->host, 'WebConsole Port' => (string) $sim->port,
    'UserName' => $sim->user, 'Password' => $sim->password, 'Action' => 'Signup Customer',
    'Reseller Name' => 'Acme Resellers', 'Activation Status' => 'on', 'Auto Authorization Status' => 'on',
    'Storage Allotted' => '107374182400', 'Enable Consolidated Report' => 'on',
    'Consolidated Report Email' => 'reports@globex.test', 'Is Auto MCAL' => '', 'Allot MCAL' => '24',
    'Bandwidth Throttling' => 'New Configuration', 'Enable Throttle for new configuration' => 'on',
    'Throttle Settings' => 'Throttle only at specified time', 'Throttle From' => '2200',
    'Throttle Till' => '0600', 'Restricted Rate' => '1048576', 'Send Mail' => 'on',
    'Retrieve Customer Pass Key' => 'on', 'Server Certificate SHA-256' => (string) $sim->sha256,
]);
show('product', "#$product Signup Customer under \"Acme Resellers\", 100 GiB, 24 MCAL, throttled 2200-0600");

step('A client orders it; the admin accepts the order (Run Module Create)');
$client = $whmcs->addClient(['firstname' => 'Gina', 'lastname' => 'Globex', 'companyname' => 'Globex Corp',
    'email' => 'gina@globex.test']);
// No password on the order: the module generates one and stores it as the service password.
$order = $whmcs->placeOrder($client, $product, ['username' => 'globex-backup', 'password' => '']);
$service = $whmcs->orderService($order);
show('Accept Order', $whmcs->acceptOrder($order));
show('service status', $whmcs->service($service)['domainstatus']);
$login = $whmcs->serviceParams($service);
$works = $sim->expect(200, 'POST', '/_sim/login', [
    'kind' => 'customer', 'name' => $login['username'], 'password' => $login['password'],
])['ok'];
show('service password', sprintf(
    'generated, %d characters; logs into the web console: %s',
    strlen((string) $login['password']),
    $works ? 'yes' : 'NO'
));
view($sim->customer('globex-backup'));
show('client Pass Key field', $whmcs->store()->clientFieldValues[$client][$passKeyField] ?? '(empty)');
show('mails sent by server', count($sim->mails()));

step('Suspend');
show('SuspendAccount', $whmcs->suspend($service));
show('server: active', $sim->customer('globex-backup')['active'] ? 'yes' : 'no');

step('Unsuspend');
show('UnsuspendAccount', $whmcs->unsuspend($service));
show('server: active', $sim->customer('globex-backup')['active'] ? 'yes' : 'no');

step('Terminate (deactivates; no backup data is deleted)');
show('TerminateAccount', $whmcs->terminate($service));
$after = $sim->customer('globex-backup');
show('server: active', $after['active'] ? 'yes' : 'no');
show('server: still exists', $after !== null ? 'yes' : 'no');

step('Action hook: a new client becomes a reseller (whmcsHooks.php, ClientAdd → SGSignupReseller)');
$hooks = (string) file_get_contents("$repo/php/whmcsHooks.php");
$hooks = strtr($hooks, [
    '$serverName = "";' => '$serverName = ' . var_export($sim->host, true) . ';',
    '$port = "";' => '$port = ' . var_export((string) $sim->port, true) . ';',
    '$userName = "";' => '$userName = ' . var_export($sim->user, true) . ';',
    '$loginPassword = "";' => '$loginPassword = ' . var_export($sim->password, true) . ';',
    '$certificateSha256 = "";' => '$certificateSha256 = ' . var_export((string) $sim->sha256, true) . ';',
]);
@mkdir(ROOTDIR . '/includes/hooks', 0777, true);
file_put_contents(ROOTDIR . '/includes/hooks/whmcsHooks.php', $hooks);
$whmcs->loadHookFiles(ROOTDIR);
$initech = $whmcs->addClient(['firstname' => 'Ian', 'lastname' => 'Tech', 'companyname' => 'Initech',
    'email' => 'ian@initech.test', 'password' => 'Cl1entPassw0rd']);
show('client added', "#$initech Initech");
view($sim->reseller('Initech'));
$last = $whmcs->activity();
show('activity log', end($last)['message'] ?? '');

echo "\nDemo finished: the simulator is stopped and the scratch WHMCS tree removed.\n";
