<?php

/**
 * The calls of the upgrade test (tests/Upgrade/run.sh builds the extensions and starts this).
 * Every WHMCS request is a PHP process of its own (tests/Upgrade/step.php) loading one build, as
 * php-fpm and the cron do, so swapping the build between requests is what an upgrade does.
 *
 *   php -n tests/Upgrade/upgrade.php CURRENT_SO NEXT_SO BUMPED_SO
 *
 * CURRENT is this tree; NEXT the same tree with another version string (same module interface);
 * BUMPED another version whose module interface is one higher. Against a real sgsim over pinned
 * TLS: the module generated with CURRENT creates and suspends; with NEXT, not regenerated, it
 * unsuspends, bills usage through its MetricProvider, syncs a contact through its hooks file and
 * terminates; with BUMPED every call answers the "regenerate" message in its normal shape without
 * a request to the server, until `generate-module.php --regenerate-known` rewrites the module and
 * the calls work again. Prints `ok - ...` / `not ok - ...` per check and `P passed, F failed`.
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a driver script: the requests, then the checks

use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\Sim;

$repo = dirname(__DIR__, 2);
require_once "$repo/tests/class-loader.php";

[, $current, $next, $bumped] = $argv + [null, '', '', ''];
$passed = 0;
$failed = 0;

function check(string $what, bool $ok, mixed $detail = ''): void
{
    global $passed, $failed;
    $ok ? $passed++ : $failed++;
    echo ($ok ? 'ok - ' : 'not ok - ') . $what
        . ($ok ? '' : ': ' . (is_string($detail) ? $detail : json_encode($detail, JSON_UNESCAPED_SLASHES))) . "\n";
}

$scratch = sys_get_temp_dir() . '/sgwhmcs-upgrade-' . getmypid();
$root = "$scratch/whmcs";
$list = "$scratch/modules.json";
WhmcsTree::create($root);
$sim = Sim::start(true);
register_shutdown_function(static function () use ($sim, $scratch): void {
    $sim->stop();
    WhmcsTree::remove($scratch);
});
$module = 'sgupgrade';
$env = ['SGWHMCS_MODULES_LIST' => $list];

/** What the build at EXT says: [version, module interface]. */
function identity(string $ext): array
{
    $run = Process::run([...Process::php($ext), '-r', 'echo SgWhmcs\version(), "\n", SgWhmcs\module_interface();']);
    return explode("\n", $run['stdout']) + ['', ''];
}

/** One WHMCS request with EXT: STEPS through the generated module; what each answered. */
function request(string $ext, array $steps): array
{
    global $root, $scratch, $module, $sim;
    $job = json_encode([
        'root' => $root, 'state' => "$scratch/state", 'module' => $module, 'steps' => $steps,
        'sim' => ['host' => $sim->host, 'port' => $sim->port, 'user' => $sim->user, 'password' => $sim->password,
            'sha256' => $sim->sha256],
    ], JSON_THROW_ON_ERROR);
    // The emulator needs mbstring and ctype (shared extensions on Debian), which -n leaves out.
    $shared = [];
    foreach (['mbstring', 'ctype'] as $extension) {
        if (is_file(ini_get('extension_dir') . "/$extension.so")) {
            array_push($shared, '-d', "extension=$extension");
        }
    }
    $run = Process::run([...Process::php($ext), ...$shared, __DIR__ . '/step.php', $job], 120.0);
    $answer = json_decode($run['stdout'], true);
    check(
        'the request ' . json_encode($steps) . ' ran (exit 0, nothing on stderr)',
        $run['exit'] === 0 && $run['stderr'] === '' && is_array($answer),
        $run['stdout'] . $run['stderr']
    );
    return is_array($answer) ? $answer['results'] : [];
}

function generator(string $ext, array $arguments): array
{
    global $repo, $env;
    return Process::run([...Process::php($ext), "$repo/php/generate-module.php", ...$arguments], 60.0, $env);
}

[$currentVersion, $interface] = identity($current);
[$nextVersion, $nextInterface] = identity($next);
[$bumpedVersion, $bumpedInterface] = identity($bumped);
echo "# current sgwhmcs $currentVersion (interface $interface), next $nextVersion (interface $nextInterface), "
    . "bumped $bumpedVersion (interface $bumpedInterface)\n";
check('the next build is another version with the same module interface', $nextVersion !== $currentVersion
    && $nextInterface === $interface && $interface !== '', [$currentVersion, $nextVersion, $interface, $nextInterface]);
check(
    'the bumped build speaks the next module interface',
    (int) $bumpedInterface === (int) $interface + 1,
    $bumpedInterface
);

// ---- version N: generate, create, suspend ------------------------------------------------------

$run = generator($current, [$module, $root]);
check('the generator writes the module with the current build', $run['exit'] === 0, $run['stderr']);
$known = json_decode((string) @file_get_contents($list), true);
check('the generator records the module in its list', ($known['modules'][0]['name'] ?? '') === $module
    && ($known['modules'][0]['whmcs_dir'] ?? '') === realpath($root), $known);

$answers = request($current, ['setup', ['order' => 'alpha'], ['call' => 'suspend', 'service' => 'alpha']]);
check('current: CreateAccount (Accept Order) succeeds', ($answers[1] ?? null) === 'success', $answers[1] ?? null);
check('current: SuspendAccount succeeds', ($answers[2] ?? null) === 'success', $answers[2] ?? null);
check('current: the account is suspended on the server', ($sim->customer('alpha')['active'] ?? null) === false);

// ---- the upgrade to N+1, module not regenerated ------------------------------------------------

$sim->expect(200, 'POST', '/_sim/usage', ['kind' => 'customer', 'name' => 'alpha', 'used_bytes' => 3 << 29,
    'mcal_used' => 2, 'clients' => 1]);
$answers = request($next, [
    'meta', ['call' => 'unsuspend', 'service' => 'alpha'], ['usage' => 'alpha'],
    ['clientEdit' => 'alpha', 'email' => 'alpha.new@client.test'],
]);
$display = (string) ($answers[0]['DisplayName'] ?? '');
check('next: MetaData is the extension\'s, not a mismatch', $display !== '' && !str_contains($display, 'mismatch')
    && !str_contains($display, 'interface'), $display);
check('next: UnsuspendAccount succeeds', ($answers[1] ?? null) === 'success', $answers[1] ?? null);
check('next: the account is active again on the server', ($sim->customer('alpha')['active'] ?? null) === true);
check(
    'next: the Usage Billing cron bills the service through the old MetricProvider',
    ($answers[2]['metrics']['storage_used']['value'] ?? null) === 1.5
        && ($answers[2]['metrics']['mcal_used']['value'] ?? null) === 2,
    $answers[2] ?? null
);
check(
    'next: the old hooks file syncs the saved e-mail to the account (ClientEdit)',
    ($sim->customer('alpha')['contact']['email'] ?? null) === 'alpha.new@client.test'
        && ($answers[3]['hookFiles'] ?? 0) >= 1,
    [$sim->customer('alpha')['contact'] ?? null, $answers[3] ?? null]
);
$answers = request($next, [['call' => 'terminate', 'service' => 'alpha']]);
check('next: TerminateAccount succeeds', ($answers[0] ?? null) === 'success', $answers[0] ?? null);
check('next: the account is deactivated on the server', ($sim->customer('alpha')['active'] ?? null) === false);

// ---- another module interface: every call says to regenerate, and costs no request ------------

$before = $sim->totalRequests();
$answers = request($bumped, [
    'meta', ['order' => 'bravo'], 'testConnection', ['call' => 'unsuspend', 'service' => 'alpha'],
    ['usage' => 'alpha'], ['clientEdit' => 'alpha', 'email' => 'alpha.other@client.test'],
]);
$command = sprintf("php '%s' %s '%s'", realpath("$repo/php/generate-module.php"), $module, realpath($root));
$regenerate = sprintf(
    'generated by sgwhmcs %s for module interface %s, but the loaded extension sgwhmcs %s speaks module interface %s; '
    . 'regenerate the module: %s',
    $currentVersion,
    $interface,
    $bumpedVersion,
    $bumpedInterface,
    $command
);
// First, before this test's own reads of the simulator count as requests.
check('bumped: no request reached the server', $sim->totalRequests() === $before, $sim->totalRequests() - $before);
$display = (string) ($answers[0]['DisplayName'] ?? '');
check('bumped: MetaData keeps its shape and names both interfaces and the command', str_contains($display, $regenerate)
    && ($answers[0]['APIVersion'] ?? null) === '1.1', $display);
foreach ([1 => 'CreateAccount', 3 => 'UnsuspendAccount'] as $index => $function) {
    check(
        "bumped: $function answers the regenerate message",
        str_contains((string) ($answers[$index] ?? ''), $regenerate),
        $answers[$index] ?? null
    );
}
$test = $answers[2] ?? null;
check('bumped: TestConnection answers its shape with the message', is_array($test)
    && ($test['success'] ?? null) === false
    && str_contains((string) ($test['error'] ?? ''), $regenerate), $test);
check(
    'bumped: Usage Billing bills nothing: the provider is an object whose metrics() is empty (WHMCS fails that task)',
    str_contains((string) ($answers[4]['cron']['failed'] ?? ''), 'metrics() must return a non-empty array')
        && ($answers[4]['metrics'] ?? null) === [],
    $answers[4] ?? null
);
check('bumped: the hooks file adds nothing (the e-mail stays)', ($sim->customer('alpha')['contact']['email'] ?? null)
    === 'alpha.new@client.test' && ($answers[5]['hookFiles'] ?? 0) >= 1, $answers[5] ?? null);
check('bumped: the account was not created', $sim->customer('bravo') === null);

$run = generator($bumped, ['--regenerate-known']);
check('--regenerate-known regenerates the known module', $run['exit'] === 0
    && str_contains($run['stdout'], "regenerated $module in " . realpath($root))
    && str_contains($run['stdout'], '1 regenerated, 0 skipped, 0 failed'), $run['stdout'] . $run['stderr']);

$answers = request($bumped, [['order' => 'charlie'], ['call' => 'suspend', 'service' => 'charlie'],
    ['call' => 'terminate', 'service' => 'charlie']]);
check('regenerated: CreateAccount succeeds', ($answers[0] ?? null) === 'success', $answers[0] ?? null);
check('regenerated: SuspendAccount and TerminateAccount succeed', ($answers[1] ?? null) === 'success'
    && ($answers[2] ?? null) === 'success', $answers);
check(
    'regenerated: the account exists on the server, deactivated',
    ($sim->customer('charlie')['active'] ?? null) === false
);

echo "upgrade calls: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
