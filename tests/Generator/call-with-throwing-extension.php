<?php

/**
 * Subprocess driver for ThrowingExtensionTest: stands in for an sgwhmcs extension whose functions
 * throw (MODE `interface`: module_interface() throws; MODE `call`: module_interface() matches and
 * module_call() / email_merge_fields() throw), loads the generated module file and hooks file the way WHMCS
 * does, calls every function and hook, and prints what each returned as JSON.
 *
 *   php -n call-with-throwing-extension.php MODULE_FILE HOOKS_FILE NAME FUNCTIONS_JSON INTERFACE MODE
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects,PSR1.Classes.ClassDeclaration -- a driver that stands in for the extension
// phpcs:disable Squiz.Functions.GlobalFunction -- namespaced stand-ins of the extension's functions

namespace SgWhmcs {
    function version(): string
    {
        return '0.0.0-throwing';
    }

    function module_interface(): int
    {
        if ($GLOBALS['mode'] === 'interface') {
            throw new \Error('module_interface() broke with a secret: Hunter2-Secret');
        }
        return $GLOBALS['interface'];
    }

    function module_call(string $module, string $function, array $params): mixed
    {
        throw new \RuntimeException('module_call() broke with a secret: Hunter2-Secret');
    }

    function email_merge_fields(string $module, array $vars): array
    {
        throw new \TypeError('email_merge_fields() broke');
    }

    function hook_usage_update(string $module): array
    {
        throw new \RuntimeException('hook_usage_update() broke with a secret: Hunter2-Secret');
    }
}

namespace {
    [, $moduleFile, $hooksFile, $name, $functionsJson, $interface, $mode] = $argv;
    $GLOBALS['interface'] = (int) $interface;
    $GLOBALS['mode'] = $mode;
    require __DIR__ . '/../Emulator/constants.php';

    $registered = [];

    /** WHMCS: registers a hook function for a hook point. */
    function add_hook($hookPoint, $priority, $function, $unused = '')
    {
        $GLOBALS['registered'][] = [$hookPoint, $priority, $function];
    }

    require $moduleFile;
    require $hooksFile;

    $results = ['functions' => [], 'hooks' => []];
    foreach (json_decode($functionsJson, true, 8, JSON_THROW_ON_ERROR) as $function => $kind) {
        $callable = $name . '_' . $function;
        try {
            $withoutParams = in_array($kind, ['meta', 'options', 'names'], true);
            $results['functions'][$function] = $withoutParams ? $callable() : $callable([]);
        } catch (\Exception $e) {
            // Only a Loader may throw (WHMCS shows its message); anything else fails the test.
            if ($kind !== 'loader') {
                throw $e;
            }
            $results['functions'][$function] = ['thrown' => $e->getMessage()];
        }
    }
    foreach ($registered as [$point, $priority, $function]) {
        $results['hooks'][] = ['point' => $point, 'returned' => $function(['messagename' => 'x', 'relid' => 1])];
    }
    echo json_encode($results, JSON_THROW_ON_ERROR), "\n";
}
