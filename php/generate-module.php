<?php

/**
 * Command line: writes the WHMCS server module file for NAME into a WHMCS installation.
 *
 *   php -d extension=/path/to/libsgwhmcs.so php/generate-module.php NAME WHMCS_DIR [SUPPORT_URL]
 *
 * Writes WHMCS_DIR/modules/servers/NAME/NAME.php and, beside it, its hooks file hooks.php,
 * whmcs.json and logo.png (for Apps & Integrations), overwriting them. SUPPORT_URL (an http or
 * https URL: your support page) becomes whmcs.json's support links; without it there are none.
 * Exit status 0 on success, 2 with the reason on stderr when NAME, WHMCS_DIR, SUPPORT_URL, the
 * extension or the generator's own files (an incomplete installation) are not usable; then nothing
 * is written.
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

$usage = 'usage: php -d extension=/path/to/libsgwhmcs.so php/generate-module.php NAME WHMCS_DIR [SUPPORT_URL]';
$arguments = array_slice($argv ?? [], 1);
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
exit(0);
