<?php

/**
 * Two tiny server modules for the emulator's own tests, defined in fake-modules.php: `emufake`
 * (MetaData without AutoGenerateUsernameAndPassword, default ports 2087/2086) and `emuoptout`
 * (MetaData with 'AutoGenerateUsernameAndPassword' => false). Each function records the params it
 * got here and answers what the test set.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

final class FakeModule
{
    /** The module whose MetaData does not opt out of generated usernames and passwords. */
    public const GENERATING = 'emufake';

    /** The module whose MetaData says 'AutoGenerateUsernameAndPassword' => false. */
    public const OPTING_OUT = 'emuoptout';

    /** @var list<array{function: string, params: array<string, mixed>, stored: array<string, mixed>|null}> */
    public static array $calls = [];

    /** @var array<string, mixed> what TestConnection answers */
    public static array $testConnection = ['success' => true, 'error' => ''];

    /** Defines the fake modules' functions (once) and forgets earlier calls. */
    public static function load(): void
    {
        require_once __DIR__ . '/fake-modules.php';
        self::$calls = [];
        self::$testConnection = ['success' => true, 'error' => ''];
    }

    /**
     * Records a call; for a service call also the service's tblhosting row at that moment.
     *
     * @param array<string, mixed> $params
     */
    public static function record(string $function, array $params): void
    {
        $stored = null;
        if (isset($params['serviceid'])) {
            $stored = \SgWhmcs\Tests\Emulator\Host::current()->service((int) $params['serviceid']);
        }
        self::$calls[] = ['function' => $function, 'params' => $params, 'stored' => $stored];
    }

    /**
     * The calls of FUNCTION.
     *
     * @return list<array{function: string, params: array<string, mixed>, stored: array<string, mixed>|null}>
     */
    public static function callsOf(string $function): array
    {
        return array_values(array_filter(self::$calls, fn (array $call): bool => $call['function'] === $function));
    }
}
