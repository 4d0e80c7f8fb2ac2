<?php

/**
 * Everything the module showed or logged during the whole test run, kept across tests so that
 * the secrets test can prove no password ever leaked: rendered Module Log entries, Activity Log
 * lines, every value a module function returned, and every secret the emulator or a test knows.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Evidence
{
    /** @var list<array<string, mixed>> rendered Module Log entries with their raw replaceVars */
    public static array $moduleLog = [];

    /** @var list<string> Activity Log lines */
    public static array $activity = [];

    /** @var list<array{function: string, returned: string}> module function return values, rendered */
    public static array $returns = [];

    /** @var array<string, true> secret values (passwords, pass keys) */
    private static array $secrets = [];

    public static function addSecret(string $secret): void
    {
        if ($secret !== '') {
            self::$secrets[$secret] = true;
        }
    }

    /** @return list<string> */
    public static function secrets(): array
    {
        return array_map('strval', array_keys(self::$secrets));
    }
}
