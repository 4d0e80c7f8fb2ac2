<?php

/**
 * Subprocess driver for GeneratorTest: loads a generated module file the way WHMCS does and calls
 * every function, printing what each returned as JSON.
 *
 *   php [-n] call-module-functions.php MODULE_FILE NAME FUNCTIONS_JSON
 *
 * FUNCTIONS_JSON is module_functions() of the extension ({"MetaData": "meta", ...}); it is passed
 * in because the subprocess may run without the extension.
 */

declare(strict_types=1);

[, $moduleFile, $name, $functionsJson] = $argv;
require __DIR__ . '/../Emulator/constants.php';
require $moduleFile;

$results = [];
foreach (json_decode($functionsJson, true, 8, JSON_THROW_ON_ERROR) as $function => $kind) {
    $callable = $name . '_' . $function;
    try {
        $results[$function] = in_array($kind, ['meta', 'options', 'names'], true) ? $callable() : $callable([]);
    } catch (\Exception $e) {
        // Only a Loader may throw (WHMCS shows its message); anything else fails the test.
        if ($kind !== 'loader') {
            throw $e;
        }
        $results[$function] = ['thrown' => $e->getMessage()];
    }
}
echo json_encode($results, JSON_THROW_ON_ERROR), "\n";
