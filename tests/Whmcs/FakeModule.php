<?php

/**
 * Two tiny server modules for the emulator's own tests, defined in fake-modules.php: `emufake`
 * (MetaData without AutoGenerateUsernameAndPassword, default ports 2087/2086), `emuoptout`
 * (MetaData with 'AutoGenerateUsernameAndPassword' => false) and `emubill` (MetaData naming
 * `username` as ListAccountsUniqueIdentifierField and `configoption1` as ListAccountsProductField;
 * MetricProvider, UsageUpdate, ListAccounts, ChangePackage, ChangePassword, TerminateAccount) and
 * `emupage` (ClientArea and the client functions `Whole` and `Say`).
 * Each function records the params it got here and answers what the test set (`$answers`: a
 * value, or a callable given the params).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

final class FakeModule
{
    /** The module whose MetaData does not opt out of generated usernames and passwords. */
    public const GENERATING = 'emufake';

    /** The module whose MetaData says 'AutoGenerateUsernameAndPassword' => false. */
    public const OPTING_OUT = 'emuoptout';

    /** The module with the billing and sync functions. */
    public const BILLING = 'emubill';

    /** The module with a client area and two client functions. */
    public const PAGES = 'emupage';

    /** @var list<array{function: string, params: array<string, mixed>, stored: array<string, mixed>|null}> */
    public static array $calls = [];

    /** @var array<string, mixed> what TestConnection answers */
    public static array $testConnection = ['success' => true, 'error' => ''];

    /** @var array<string, mixed> function => its answer, or a callable(params) giving it */
    public static array $answers = [];

    /** Defines the fake modules' functions (once) and forgets earlier calls. */
    public static function load(): void
    {
        require_once __DIR__ . '/fake-modules.php';
        self::$calls = [];
        self::$testConnection = ['success' => true, 'error' => ''];
        self::$answers = [];
    }

    /**
     * Records a call of FUNCTION and answers what the test set for it (DEFAULT when nothing).
     *
     * @param array<string, mixed> $params
     */
    public static function answer(string $function, array $params, mixed $default): mixed
    {
        self::record($function, $params);
        $answer = self::$answers[$function] ?? $default;
        return is_callable($answer) ? $answer($params) : $answer;
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
