<?php

/**
 * Command line: writes the WHMCS server module file for NAME into a WHMCS installation.
 *
 *   php -d extension=/path/to/libsgwhmcs.so php/generate-module.php NAME WHMCS_DIR [SUPPORT_URL]
 *   php -d extension=/path/to/libsgwhmcs.so php/generate-module.php --regenerate-known
 *
 * Writes WHMCS_DIR/modules/servers/NAME/NAME.php and, beside it, its hooks file hooks.php,
 * whmcs.json and logo.png (for Apps & Integrations), overwriting them. SUPPORT_URL (an http or
 * https URL: your support page) becomes whmcs.json's support links; without it there are none.
 * The module is then recorded in this host's list of known modules (for root
 * /var/lib/sgwhmcs/modules.json; SGWHMCS_MODULES_LIST overrides it; see
 * ModuleGenerator::knownListPath()). Exit status 0 on success, 2 with the reason on stderr when
 * NAME, WHMCS_DIR, SUPPORT_URL, the extension or the generator's own files (an incomplete
 * installation) are not usable; then nothing is written.
 *
 * --regenerate-known regenerates every recorded module with the loaded extension (the package
 * and the installer run it after an upgrade): one line per module, skipping (and naming) those
 * whose folder is gone; exit status 1 when any module could not be regenerated, 2 when the list
 * cannot be read or the extension is not loaded.
 */

declare(strict_types=1);

// The generator's own code first: without it an incomplete installation would stop in a fatal
// error; its other files are checked by ModuleGenerator::inputsProblem() before anything is written.
foreach (['GeneratorError.php', 'ModuleGenerator.php'] as $code) {
    if (!is_file(__DIR__ . '/' . $code) || !is_readable(__DIR__ . '/' . $code)) {
        fwrite(STDERR, 'generate-module: ' . __DIR__ . '/' . $code . ' is missing, so nothing was written; '
            . 'this sgwhmcs installation is incomplete: reinstall it' . "\n");
        exit(2);
    }
}
require_once __DIR__ . '/GeneratorError.php';
require_once __DIR__ . '/ModuleGenerator.php';

use SgWhmcs\Generator\GeneratorError;
use SgWhmcs\Generator\ModuleGenerator;

$usage = 'usage: php -d extension=/path/to/libsgwhmcs.so php/generate-module.php NAME WHMCS_DIR [SUPPORT_URL]'
    . "\n       php -d extension=/path/to/libsgwhmcs.so php/generate-module.php --regenerate-known";
$arguments = array_slice($argv ?? [], 1);

if ($arguments === ['--regenerate-known']) {
    $list = ModuleGenerator::knownListPath();
    if (!function_exists('SgWhmcs\module_interface')) {
        fwrite(STDERR, "generate-module: the sgwhmcs extension is not loaded (or is older than this generator); "
            . "nothing regenerated\n" . $usage . "\n");
        exit(2);
    }
    try {
        $report = ModuleGenerator::regenerateKnown($list);
    } catch (GeneratorError $error) {
        fwrite(STDERR, 'generate-module: ' . $error->getMessage() . "\n");
        exit(2);
    }
    foreach ($report['lines'] as $line) {
        fwrite(str_starts_with($line, 'failed') ? STDERR : STDOUT, 'generate-module: ' . $line . "\n");
    }
    fwrite(STDOUT, sprintf(
        "generate-module: %d regenerated, %d skipped, %d failed for sgwhmcs %s, module interface %d (%s)\n",
        $report['regenerated'],
        $report['skipped'],
        $report['failed'],
        \SgWhmcs\version(),
        \SgWhmcs\module_interface(),
        $list
    ));
    exit($report['failed'] > 0 ? 1 : 0);
}

if (count($arguments) !== 2 && count($arguments) !== 3) {
    fwrite(STDERR, "generate-module: expected NAME and WHMCS_DIR, and optionally SUPPORT_URL\n" . $usage . "\n");
    exit(2);
}

try {
    $path = ModuleGenerator::generate($arguments[0], $arguments[1], $arguments[2] ?? null);
} catch (GeneratorError $error) {
    fwrite(STDERR, 'generate-module: ' . $error->getMessage() . "\n" . $usage . "\n");
    exit(2);
}

fwrite(STDOUT, 'generate-module: wrote ' . $path . "\n");
fwrite(STDOUT, 'generate-module: wrote ' . ModuleGenerator::hooksPath($arguments[1], $arguments[0]) . "\n");
fwrite(STDOUT, 'generate-module: wrote ' . ModuleGenerator::jsonPath($arguments[1], $arguments[0]) . "\n");
fwrite(STDOUT, 'generate-module: wrote ' . ModuleGenerator::logoPath($arguments[1], $arguments[0]) . "\n");

// The module is written; a list that cannot be updated only means it is not regenerated on upgrade.
$list = ModuleGenerator::knownListPath();
try {
    ModuleGenerator::recordKnown($list, $arguments[0], $arguments[1], $arguments[2] ?? null);
    fwrite(STDOUT, 'generate-module: recorded in ' . $list . ' (php ' . ModuleGenerator::generatorPath()
        . " --regenerate-known rewrites it after an upgrade)\n");
} catch (GeneratorError $error) {
    fwrite(STDERR, 'generate-module: warning: ' . $error->getMessage() . '; after upgrading sgwhmcs, '
        . "regenerate this module yourself\n");
}
exit(0);
