<?php

/**
 * Writes the `$params` WHMCS passes the lifecycle functions of one customer service (bench/fpm.sh
 * runs it once, before the php-fpm rows): built by the emulated WHMCS (tests/Emulator) for a
 * product with the defaults but Signup Customer, 1 GiB and no pass key, on the TLS sgsim of
 * bench/fpm.sh, for a client with no names (so the module derives "service-<id>"). The front
 * (bench/fpm-front.php) sets the service id per request. Not a test.
 *
 *   php -d extension=… bench/fpm-params.php OUT.php SGSIM_JSON_LINE
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Labels;

[$out, $line] = [$argv[1] ?? '', $argv[2] ?? ''];
$sim = json_decode($line, true);
if ($out === '' || !is_array($sim)) {
    fwrite(STDERR, "usage: php -d extension=… bench/fpm-params.php OUT.php SGSIM_JSON_LINE\n");
    exit(2);
}
const MODULE = 'benchext';

require dirname(__DIR__) . '/tests/autoload.php';
require dirname(__DIR__) . '/tests/Emulator/constants.php';
WhmcsTree::create(ROOTDIR);
register_shutdown_function(static fn () => WhmcsTree::remove(ROOTDIR));
require ModuleGenerator::generate(MODULE, ROOTDIR);

$whmcs = Whmcs::fresh(MODULE);
$serverId = $whmcs->addServer([
    'name' => 'Bench', 'hostname' => $sim['host'], 'ipaddress' => '', 'username' => $sim['user'],
    'password' => $sim['password'], 'accesshash' => (string) ($sim['sha256'] ?? ''),
    'secure' => ($sim['scheme'] ?? '') === 'https', 'port' => (string) $sim['port'],
]);
$productId = $whmcs->addProduct('Bench', [
    Labels::ACTION => 'Signup Customer', Labels::STORAGE => '1073741824', Labels::PASS_KEY => '',
], ['servers' => [$serverId]]);
$clientId = $whmcs->addClient([
    'firstname' => '', 'lastname' => '', 'companyname' => '', 'email' => 'life@bench.example',
]);
$serviceId = $whmcs->orderService($whmcs->placeOrder($clientId, $productId, ['password' => 'Bench-pass-1']));
$params = $whmcs->serviceParams($serviceId);
unset($params['model']); // an object; the module's lifecycle functions do not read it
file_put_contents($out, "<?php\n\nreturn " . var_export($params, true) . ";\n");
