<?php

/**
 * Nothing but a Loader may throw into WHMCS: every generated module function and the generated
 * hooks.php catch every `\Throwable` (even from the extension's own functions) and answer the
 * function's normal shape; the message names the function and the exception's class, never its
 * text (which could hold a value WHMCS passed in).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Generator;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;

final class ThrowingExtensionTest extends TestCase
{
    private string $whmcsDir;

    protected function setUp(): void
    {
        $this->whmcsDir = sys_get_temp_dir() . '/sgwhmcs-throw-' . getmypid() . '-' . bin2hex(random_bytes(4));
        WhmcsTree::create($this->whmcsDir);
    }

    protected function tearDown(): void
    {
        WhmcsTree::remove($this->whmcsDir);
    }

    /** @return array<string, array{string, string}> mode, the exception class the message names */
    public function modes(): array
    {
        return [
            'module_interface() throws' => ['interface', 'Error'],
            'module_call() throws' => ['call', 'RuntimeException'],
        ];
    }

    /** @dataProvider modes */
    public function testEveryFunctionAndTheHookAnswerTheirNormalShape(string $mode, string $class): void
    {
        $path = ModuleGenerator::generate('sgbackup', $this->whmcsDir);
        $hooks = ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup');

        $run = Process::run([
            ...Process::php(),
            __DIR__ . '/call-with-throwing-extension.php',
            $path,
            $hooks,
            'sgbackup',
            json_encode(TestModule::functions()),
            (string) \SgWhmcs\module_interface(),
            $mode,
        ]);

        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertSame('', $run['stderr']);
        $results = json_decode($run['stdout'], true, 16, JSON_THROW_ON_ERROR);
        foreach (TestModule::functions() as $function => $kind) {
            $result = $results['functions'][$function] ?? null;
            $message = match ($kind) {
                'meta' => (string) ($result['DisplayName'] ?? ''),
                'options' => (string) ($result['sgwhmcs']['Description'] ?? ''),
                'result' => (string) ($result['error'] ?? ''),
                'fields' => (string) ($result['Backup Server'] ?? ''),
                'loader' => (string) ($result['thrown'] ?? ''),
                'page' => (string) ($result['vars']['sgwhmcs']['reason'] ?? ''),
                default => is_string($result) ? $result : '',
            };
            if ($kind === 'buttons' || $kind === 'names') {
                self::assertSame([], $result, "$function: nothing when the extension fails");
                continue;
            }
            if ($kind === 'result') {
                self::assertSame(['success', 'error'], array_keys($result));
                self::assertFalse($result['success']);
            }
            if ($kind === 'status') {
                self::assertIsString($result, $function);
            }
            // MetricProvider's class is WHMCS's to autoload; outside WHMCS it is missing (Error).
            $thrown = $kind === 'provider' ? 'Error' : $class;
            self::assertStringContainsString("failed in $function ($thrown)", $message, $function);
            self::assertStringNotContainsString('Hunter2-Secret', $message, $function);
        }
        self::assertSame([
            ['point' => 'EmailPreSend', 'returned' => []],
            ['point' => 'ClientEdit', 'returned' => null],
            ['point' => 'DailyCronJob', 'returned' => null],
        ], $results['hooks']);
    }
}
