<?php

/**
 * The test run's module and where things are: one module name for the whole run (PHP functions
 * cannot be redefined), the repository, the extension and the generator.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

final class TestModule
{
    /** The module the emulator loads (modules/servers/sgtest/sgtest.php under ROOTDIR). */
    public const NAME = 'sgtest';

    public static function repoRoot(): string
    {
        return dirname(__DIR__, 2);
    }

    public static function generatorScript(): string
    {
        return self::repoRoot() . '/php/generate-module.php';
    }

    /** The loaded extension's file: $SGWHMCS_EXT, else target/release/libsgwhmcs.so. */
    public static function extensionPath(): string
    {
        $fromEnv = getenv('SGWHMCS_EXT');
        return is_string($fromEnv) && $fromEnv !== '' ? $fromEnv : self::repoRoot() . '/target/release/libsgwhmcs.so';
    }

    /** @return array<string, string> module_functions() of the loaded extension */
    public static function functions(): array
    {
        return \SgWhmcs\module_functions();
    }
}
