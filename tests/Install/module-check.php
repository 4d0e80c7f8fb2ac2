<?php

/**
 * The install test's look at a generated module from inside PHP (tests/Install/run.sh):
 *
 *   php [-d extension=…] tests/Install/module-check.php MODULE_FILE NAME
 *
 * Loads MODULE_FILE as WHMCS would (with WHMCS defined) and prints "ok" when every function of
 * the loaded extension's \SgWhmcs\module_functions() is defined as NAME_<function> and the
 * module answers MetaData from the extension itself (its DisplayName is the extension's, not the
 * "extension missing" fallback) and ConfigOptions with settings; else one line saying what is
 * wrong. Exit status 0 either way: the test compares the line.
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects -- a script: it defines WHMCS as WHMCS does, then runs

[$file, $name] = [$argv[1] ?? '', $argv[2] ?? ''];
if (!function_exists('SgWhmcs\module_functions')) {
    echo "the sgwhmcs extension is not loaded in this PHP\n";
    exit(0);
}
define('WHMCS', true);
require $file;
$missing = [];
foreach (array_keys(\SgWhmcs\module_functions()) as $function) {
    if (!function_exists($name . '_' . $function)) {
        $missing[] = $name . '_' . $function;
    }
}
if ($missing !== []) {
    echo 'functions missing from the module: ' . implode(', ', $missing) . "\n";
    exit(0);
}
$meta = call_user_func($name . '_MetaData');
$expected = \SgWhmcs\module_call($name, 'MetaData', []);
if (!is_array($meta) || $meta !== $expected) {
    echo 'MetaData is not the extension\'s answer: ' . json_encode($meta) . "\n";
    exit(0);
}
$options = call_user_func($name . '_ConfigOptions');
if (!is_array($options) || count($options) < 2) {
    echo 'ConfigOptions gave no settings: ' . json_encode($options) . "\n";
    exit(0);
}
echo "ok\n";
