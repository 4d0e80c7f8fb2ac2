<?php

/**
 * php/generate-module.php: what it refuses, what it writes (the module file and its hooks.php),
 * how the written files behave without the extension, with another version of it (they run) or
 * with another module interface (they say the command that regenerates them), and the list of
 * known modules that --regenerate-known rewrites.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Generator;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Generator\GeneratorError;
use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;

final class GeneratorTest extends TestCase
{
    private const GUARD = "<?php\n\nif (!defined(\"WHMCS\")) {\n"
        . "    die(\"This file cannot be accessed directly\");\n}\n";

    private string $whmcsDir;

    protected function setUp(): void
    {
        $this->whmcsDir = sys_get_temp_dir() . '/sgwhmcs-generator-' . getmypid() . '-' . bin2hex(random_bytes(4));
        WhmcsTree::create($this->whmcsDir);
    }

    protected function tearDown(): void
    {
        WhmcsTree::remove($this->whmcsDir);
    }

    /** @return array<string, array{string}> */
    public function badNames(): array
    {
        return [
            'uppercase' => ['SgBackup'],
            'leading digit' => ['1backup'],
            'dash' => ['sg-backup'],
            'underscore' => ['sg_backup'],
            'space' => ['sg backup'],
            'empty' => [''],
        ];
    }

    /** @dataProvider badNames */
    public function testRefusesABadName(string $name): void
    {
        $run = $this->generate($name, $this->whmcsDir);

        self::assertSame(2, $run['exit'], $run['stderr']);
        self::assertStringContainsString('module name', $run['stderr']);
        self::assertStringContainsString('lowercase letters', $run['stderr']);
        if ($name !== '') {
            self::assertStringContainsString('"' . $name . '"', $run['stderr']);
        }
        self::assertSame(['.', '..'], scandir($this->whmcsDir . '/modules/servers'));
    }

    public function testRefusesAMissingWhmcsDirectory(): void
    {
        $missing = $this->whmcsDir . '/not-here';

        $run = $this->generate('sgbackup', $missing);

        self::assertSame(2, $run['exit'], $run['stderr']);
        self::assertStringContainsString($missing, $run['stderr']);
        self::assertStringContainsString('does not exist', $run['stderr']);
        self::assertDirectoryDoesNotExist($missing);
    }

    public function testRefusesToRunWithoutTheExtensionAndSaysHowToLoadIt(): void
    {
        $run = Process::run([...Process::php(), TestModule::generatorScript(), 'sgbackup', $this->whmcsDir]);

        self::assertSame(2, $run['exit'], $run['stderr']);
        self::assertStringContainsString('extension is not loaded', $run['stderr']);
        self::assertStringContainsString('php -d extension=', $run['stderr']);
        self::assertStringContainsString('libsgwhmcs.so', $run['stderr']);
        self::assertFileDoesNotExist(ModuleGenerator::modulePath($this->whmcsDir, 'sgbackup'));
        self::assertFileDoesNotExist(ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup'));
    }

    public function testWritesAModuleFileWithTheGuardTheVersionAndExactlyTheSharedFunctions(): void
    {
        $run = $this->generate('sgbackup', $this->whmcsDir);
        $path = $this->whmcsDir . '/modules/servers/sgbackup/sgbackup.php';

        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertFileExists($path);
        $source = (string) file_get_contents($path);
        self::assertStringStartsWith(self::GUARD, $source);
        self::assertStringContainsString('sgwhmcs ' . \SgWhmcs\version(), $source);
        self::assertStringContainsString('generated, do not edit', $source);

        $expected = ['sgbackup_sgwhmcs_forward', 'sgbackup_sgwhmcs_failure', 'sgbackup_sgwhmcs_page',
            'sgbackup_sgwhmcs_words', 'sgbackup_sgwhmcs_lang_file'];
        foreach (array_keys(TestModule::functions()) as $function) {
            $expected[] = 'sgbackup_' . $function;
        }
        self::assertSame($expected, self::definedFunctions($source));
        foreach (TestModule::functions() as $function => $kind) {
            self::assertStringContainsString(
                $kind === 'loader'
                    ? sprintf("    \$answer = sgbackup_sgwhmcs_forward('%s', 'loader', ", $function)
                    : sprintf("        return sgbackup_sgwhmcs_forward('%s', '%s', ", $function, $kind),
                $source,
                "$function is one forwarding line"
            );
        }
    }

    public function testWritesAHooksFileBesideTheModuleThatRegistersTheEmailMergeField(): void
    {
        $run = $this->generate('sgbackup', $this->whmcsDir);
        $path = $this->whmcsDir . '/modules/servers/sgbackup/hooks.php';

        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertStringContainsString($path, $run['stdout'], 'the command names the hooks file it wrote');
        self::assertSame($path, ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup'));
        self::assertFileExists($path);
        $source = (string) file_get_contents($path);
        self::assertStringStartsWith(self::GUARD, $source);
        self::assertStringContainsString('sgwhmcs ' . \SgWhmcs\version(), $source);
        self::assertStringContainsString('generated, do not edit', $source);
        self::assertSame(3, substr_count($source, 'add_hook('), 'EmailPreSend, ClientEdit and DailyCronJob');
        self::assertStringContainsString("add_hook('ClientEdit', 1, function (\$vars) {", $source);
        self::assertStringContainsString("\\SgWhmcs\\contact_sync('sgbackup', ", $source);
        self::assertStringContainsString("add_hook('EmailPreSend', 1, function (\$vars) {", $source);
        self::assertStringContainsString("add_hook('DailyCronJob', 1, function (\$vars) {", $source);
        self::assertStringContainsString("\\SgWhmcs\\hook_usage_update('sgbackup');", $source);
        self::assertStringContainsString("\$fields = \\SgWhmcs\\email_merge_fields('sgbackup', ", $source);
        self::assertStringContainsString("function_exists('SgWhmcs\\email_merge_fields')", $source);
        self::assertSame([], self::definedFunctions($source), 'a closure: no function to clash between modules');
    }

    public function testTheModuleFileAndTheHooksFileAreValidPhpAndPsr12(): void
    {
        $path = ModuleGenerator::generate('sgbackup', $this->whmcsDir);
        $files = [
            $path,
            ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup'),
            ModuleGenerator::providerPath($this->whmcsDir, 'sgbackup'),
        ];

        foreach ($files as $file) {
            $lint = Process::run([...Process::php(), '-l', $file]);
            self::assertSame(0, $lint['exit'], $lint['stdout'] . $lint['stderr']);

            $phpcs = Process::run(['phpcs', '--standard=PSR12', '--report=emacs', $file]);
            self::assertSame('', trim($phpcs['stdout']), "phpcs --standard=PSR12 findings in $file");
            self::assertSame(0, $phpcs['exit'], $phpcs['stderr']);
        }
    }

    public function testRegeneratingOverwritesTheFileWithTheSameContent(): void
    {
        $path = ModuleGenerator::generate('sgbackup', $this->whmcsDir);
        $hooksPath = ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup');
        $first = (string) file_get_contents($path);
        $firstHooks = (string) file_get_contents($hooksPath);
        file_put_contents($path, "<?php\n// edited by hand\n");
        file_put_contents($hooksPath, "<?php\n// edited by hand\n");

        $run = $this->generate('sgbackup', $this->whmcsDir);

        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertSame($first, file_get_contents($path));
        self::assertSame($firstHooks, file_get_contents($hooksPath));
        self::assertSame(
            ['.', '..', 'clientarea.tpl', 'hooks.php', 'lang', 'lib', 'logo.png', 'sgbackup.php', 'whmcs.json'],
            scandir(dirname($path)),
            'no temporary file left behind'
        );
    }

    public function testTheFilesRefuseDirectAccess(): void
    {
        $path = ModuleGenerator::generate('sgbackup', $this->whmcsDir);

        foreach ([$path, ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup')] as $file) {
            $run = Process::run([...Process::php(), $file]);

            self::assertSame('This file cannot be accessed directly', $run['stdout'], $file);
        }
    }

    public function testWithoutTheExtensionTheEmailHookAddsNothing(): void
    {
        ModuleGenerator::generate('sgbackup', $this->whmcsDir);

        $hooks = $this->callHooks(Process::php(), ModuleGenerator::hooksPath($this->whmcsDir, 'sgbackup'));

        self::assertSame([
            ['point' => 'EmailPreSend', 'priority' => 1, 'returned' => []],
            ['point' => 'ClientEdit', 'priority' => 1, 'returned' => null],
            ['point' => 'DailyCronJob', 'priority' => 1, 'returned' => null],
        ], $hooks);
    }

    public function testWithAnotherModuleInterfaceTheEmailHookAddsNothing(): void
    {
        $path = ModuleGenerator::hooksPath($this->whmcsDir, 'sgold');
        mkdir(dirname($path), 0755, true);
        file_put_contents($path, ModuleGenerator::renderHooks('sgold', '0.0.0-old', \SgWhmcs\module_interface() + 1));

        $hooks = $this->callHooks(Process::php(TestModule::extensionPath()), $path);

        self::assertSame([
            ['point' => 'EmailPreSend', 'priority' => 1, 'returned' => []],
            ['point' => 'ClientEdit', 'priority' => 1, 'returned' => null],
            ['point' => 'DailyCronJob', 'priority' => 1, 'returned' => null],
        ], $hooks);
        self::assertStringContainsString(
            'module_interface() !== ' . (\SgWhmcs\module_interface() + 1),
            (string) file_get_contents($path)
        );
    }

    public function testTheHooksFileRefusesABadName(): void
    {
        $this->expectException(GeneratorError::class);
        $this->expectExceptionMessage('"sg-old"');

        ModuleGenerator::renderHooks('sg-old', '1.0.0', 1);
    }

    public function testWithoutTheExtensionEveryFunctionAnswersInItsShapeWithTheInstallMessage(): void
    {
        $path = ModuleGenerator::generate('sgbackup', $this->whmcsDir);

        $results = $this->callAll(Process::php(), $path, 'sgbackup');

        foreach (TestModule::functions() as $function => $kind) {
            if ($kind === 'names') {
                // A list has no place for a message: none is the safe answer.
                self::assertSame([], $results[$function] ?? null, $function);
                continue;
            }
            $message = self::assertFallbackShape($kind, $results[$function] ?? null, $function);
            if ($message === null) {
                continue;
            }
            self::assertStringContainsString('extension missing', $message, $function);
            self::assertStringContainsString('extension=/path/to/libsgwhmcs.so', $message, $function);
            self::assertStringContainsString('php-fpm', $message, $function);
            self::assertStringContainsString('cron', $message, $function);
        }
    }

    public function testWithAnotherExtensionVersionOfTheSameInterfaceEveryFunctionRuns(): void
    {
        $path = ModuleGenerator::modulePath($this->whmcsDir, 'sgold');
        mkdir(dirname($path), 0755, true);
        $interface = \SgWhmcs\module_interface();
        file_put_contents($path, ModuleGenerator::render('sgold', '0.0.0-old', TestModule::functions(), $interface));

        $results = $this->callAll(Process::php(TestModule::extensionPath()), $path, 'sgold');

        // The extension answers: its own metadata and options, not the module file's fallbacks.
        self::assertStringStartsWith('Backup Server', $results['MetaData']['DisplayName'] ?? '');
        self::assertArrayNotHasKey('sgwhmcs', $results['ConfigOptions'] ?? []);
        self::assertNotSame([], $results['AdminCustomButtonArray'] ?? []);
        $json = json_encode($results);
        self::assertStringNotContainsString('mismatch', $json);
        self::assertStringNotContainsString('regenerate', $json);
    }

    public function testWithAnotherModuleInterfaceEveryFunctionSaysTheCommandThatRegeneratesIt(): void
    {
        $path = ModuleGenerator::modulePath($this->whmcsDir, 'sgold');
        mkdir(dirname($path), 0755, true);
        $other = \SgWhmcs\module_interface() + 1;
        file_put_contents($path, ModuleGenerator::render('sgold', '0.0.0-old', TestModule::functions(), $other));

        $results = $this->callAll(Process::php(TestModule::extensionPath()), $path, 'sgold');

        $command = sprintf("php '%s' sgold '%s'", ModuleGenerator::GENERATOR, $this->whmcsDir);
        foreach (TestModule::functions() as $function => $kind) {
            if ($kind === 'names') {
                // A list has no place for a message: none is the safe answer.
                self::assertSame([], $results[$function] ?? null, $function);
                continue;
            }
            if ($kind === 'provider') {
                // Its object, which bills nothing (tests/Upgrade/run.sh): WHMCS calls it on every
                // service page. Here, outside WHMCS, its class cannot load (Error).
                self::assertSame('sgwhmcs extension failed in MetricProvider (Error)', $results[$function] ?? null);
                continue;
            }
            $message = self::assertFallbackShape($kind, $results[$function] ?? null, $function);
            if ($message === null) {
                continue;
            }
            self::assertStringContainsString('module interface mismatch', $message, $function);
            self::assertStringContainsString('sgwhmcs 0.0.0-old for module interface ' . $other, $message, $function);
            self::assertStringContainsString(
                'sgwhmcs ' . \SgWhmcs\version() . ' speaks module interface ' . \SgWhmcs\module_interface(),
                $message,
                $function
            );
            self::assertStringContainsString('regenerate the module: ' . $command, $message, $function);
        }
    }

    public function testTheCommandLineRecordsWhatItWritesAndRegeneratesTheKnownModules(): void
    {
        $list = $this->whmcsDir . '/known/modules.json';
        self::assertSame(0, $this->generate('sgone', $this->whmcsDir, ['https://support.example/'])['exit']);
        self::assertSame(0, $this->generate('sgtwo', $this->whmcsDir)['exit']);
        self::assertSame(0, $this->generate('sgone', $this->whmcsDir, ['https://support.example/'])['exit']);
        $dir = (string) realpath($this->whmcsDir);
        self::assertSame(['modules' => [
            ['name' => 'sgtwo', 'whmcs_dir' => $dir, 'support_url' => null],
            ['name' => 'sgone', 'whmcs_dir' => $dir, 'support_url' => 'https://support.example/'],
        ]], json_decode((string) file_get_contents($list), true), 'each module once, the last generation');

        // An older module file (another interface) is rewritten; a removed module is named and dropped.
        $one = ModuleGenerator::modulePath($this->whmcsDir, 'sgone');
        file_put_contents($one, ModuleGenerator::render('sgone', '0.0.0-old', TestModule::functions(), 999));
        WhmcsTree::remove(dirname(ModuleGenerator::modulePath($this->whmcsDir, 'sgtwo')));
        $run = $this->regenerateKnown();

        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertStringContainsString("regenerated sgone in $dir\n", $run['stdout']);
        self::assertStringContainsString("skipped sgtwo in $dir: its folder", $run['stdout']);
        self::assertStringContainsString('1 regenerated, 1 skipped, 0 failed', $run['stdout']);
        $source = (string) file_get_contents($one);
        self::assertStringContainsString('$interface = ' . \SgWhmcs\module_interface() . ';', $source);
        self::assertStringContainsString('https://support.example/', (string) file_get_contents(
            ModuleGenerator::jsonPath($this->whmcsDir, 'sgone')
        ), 'the support URL it was generated with');
        self::assertSame(['modules' => [
            ['name' => 'sgone', 'whmcs_dir' => $dir, 'support_url' => 'https://support.example/'],
        ]], json_decode((string) file_get_contents($list), true));
    }

    public function testRegeneratingKnownModulesFailsForAModuleThatCannotBeWritten(): void
    {
        // A file where the module's lib/ folder goes: no user, root neither, can write it.
        self::assertSame(0, $this->generate('sgone', $this->whmcsDir)['exit']);
        $lib = dirname(ModuleGenerator::providerPath($this->whmcsDir, 'sgone'));
        WhmcsTree::remove($lib);
        file_put_contents($lib, 'not a folder');

        $run = $this->regenerateKnown();

        self::assertSame(1, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertStringContainsString('failed sgone in ', $run['stderr']);
        self::assertStringContainsString('0 regenerated, 0 skipped, 1 failed', $run['stdout']);
    }

    public function testRegeneratingRefusesAListItCannotRead(): void
    {
        mkdir($this->whmcsDir . '/known');
        file_put_contents($this->whmcsDir . '/known/modules.json', '{"modules": [{"name": "../x", "whmcs_dir": "/"}]}');

        $run = $this->regenerateKnown();

        self::assertSame(2, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertStringContainsString('holds an invalid entry', $run['stderr']);
    }

    public function testRefusesAKindItDoesNotKnow(): void
    {
        $this->expectException(GeneratorError::class);
        $this->expectExceptionMessage('Teleport');

        ModuleGenerator::render('sgbackup', '1.0.0', ['MetaData' => 'meta', 'Teleport' => 'portal'], 1);
    }

    /**
     * The command line for NAME in WHMCS_DIR (and MORE arguments), its list of known modules in
     * this test's WHMCS folder.
     *
     * @param list<string> $more
     * @return array{exit: int, stdout: string, stderr: string}
     */
    private function generate(string $name, string $whmcsDir, array $more = []): array
    {
        return Process::run([
            ...Process::php(TestModule::extensionPath()),
            TestModule::generatorScript(),
            $name,
            $whmcsDir,
            ...$more,
        ], 60.0, ['SGWHMCS_MODULES_LIST' => $this->whmcsDir . '/known/modules.json']);
    }

    /** @return array{exit: int, stdout: string, stderr: string} */
    private function regenerateKnown(): array
    {
        return Process::run(
            [...Process::php(TestModule::extensionPath()), TestModule::generatorScript(), '--regenerate-known'],
            60.0,
            ['SGWHMCS_MODULES_LIST' => $this->whmcsDir . '/known/modules.json']
        );
    }

    /**
     * @param list<string> $php
     * @return array<string, mixed>
     */
    private function callAll(array $php, string $path, string $name): array
    {
        $driver = __DIR__ . '/call-module-functions.php';
        $run = Process::run([...$php, $driver, $path, $name, json_encode(TestModule::functions())]);
        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertSame('', $run['stderr']);
        $results = json_decode($run['stdout'], true);
        self::assertIsArray($results, $run['stdout']);
        return $results;
    }

    /**
     * Runs the hooks file PATH in a subprocess (PHP), every hook with an email's vars.
     *
     * @param list<string> $php
     * @return list<array<string, mixed>>
     */
    private function callHooks(array $php, string $path): array
    {
        $vars = ['messagename' => 'Other Product/Service Welcome Email', 'relid' => 1, 'mergefields' => []];
        $driver = __DIR__ . '/call-hooks.php';
        $run = Process::run([...$php, $driver, $path, json_encode($vars)]);
        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertSame('', $run['stderr']);
        $results = json_decode($run['stdout'], true);
        self::assertIsArray($results, $run['stdout']);
        return $results;
    }

    /** Asserts RESULT has the fallback shape of KIND; returns its message (null: a shape without one). */
    private static function assertFallbackShape(string $kind, mixed $result, string $function): ?string
    {
        switch ($kind) {
            case 'fields':
                self::assertIsArray($result, $function);
                self::assertSame(['Backup Server'], array_keys($result));
                self::assertStringNotContainsString('"', $result['Backup Server'], 'escaped');
                return html_entity_decode($result['Backup Server'], ENT_QUOTES);
            case 'buttons':
                self::assertSame([], $result, 'no buttons without the extension');
                return null;
            case 'html':
                self::assertIsString($result, $function);
                self::assertStringNotContainsString('"', $result, 'escaped');
                return html_entity_decode($result, ENT_QUOTES);
            case 'loader':
                self::assertIsArray($result, $function);
                self::assertSame(['thrown'], array_keys($result), 'a Loader throws');
                return $result['thrown'];
            case 'meta':
                self::assertIsArray($result, $function);
                self::assertSame('1.1', $result['APIVersion'] ?? null);
                self::assertTrue($result['RequiresServer'] ?? null);
                self::assertStringStartsWith('Backup Server (', $result['DisplayName'] ?? '');
                return (string) $result['DisplayName'];
            case 'options':
                self::assertIsArray($result, $function);
                self::assertSame(['sgwhmcs'], array_keys($result));
                self::assertSame('text', $result['sgwhmcs']['Type'] ?? null);
                return (string) ($result['sgwhmcs']['Description'] ?? '');
            case 'result':
                self::assertIsArray($result, $function);
                self::assertSame(['success', 'error'], array_keys($result));
                self::assertFalse($result['success']);
                self::assertIsString($result['error']);
                return $result['error'];
            case 'provider':
                // WHMCS fails the usage task with the message: there is no provider to give.
                self::assertIsString($result, $function);
                return $result;
            case 'page':
                self::assertIsArray($result, $function);
                self::assertSame('clientarea', $result['templatefile'] ?? null);
                self::assertTrue($result['vars']['sgwhmcs']['error'] ?? null);
                // The module's words (from its lang/ folder when there is one), extension or not.
                self::assertIsArray($result['vars']['sgwhmcs_lang'] ?? null);
                return (string) ($result['vars']['sgwhmcs']['reason'] ?? '');
            default:
                self::assertContains($kind, ['status', 'reveal']);
                self::assertIsString($result, $function);
                self::assertNotSame('success', $result);
                return $result;
        }
    }

    /** @return list<string> the named functions SOURCE defines, in order (not closures) */
    private static function definedFunctions(string $source): array
    {
        $tokens = token_get_all($source);
        $names = [];
        foreach ($tokens as $i => $token) {
            if (is_array($token) && $token[0] === T_FUNCTION) {
                $j = $i + 1;
                while (isset($tokens[$j]) && is_array($tokens[$j]) && $tokens[$j][0] === T_WHITESPACE) {
                    $j++;
                }
                if (isset($tokens[$j]) && is_array($tokens[$j]) && $tokens[$j][0] === T_STRING) {
                    $names[] = $tokens[$j][1];
                }
            }
        }
        return $names;
    }
}
