<?php

/**
 * php/generate-module.php run from an incomplete copy of php/ (an installation that left a file
 * out): it refuses before writing anything, names the missing file and says to reinstall; it never
 * leaves half a module that WHMCS would load. And the list of files it checks is every file it
 * reads.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Generator;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;

final class GeneratorInputsTest extends TestCase
{
    private string $scratch;
    private string $whmcsDir;
    private string $share;

    protected function setUp(): void
    {
        $this->scratch = sys_get_temp_dir() . '/sgwhmcs-inputs-' . getmypid() . '-' . bin2hex(random_bytes(4));
        $this->whmcsDir = $this->scratch . '/whmcs';
        $this->share = $this->scratch . '/share';
        WhmcsTree::create($this->whmcsDir);
        self::copyTree(TestModule::repoRoot() . '/php', $this->share);
    }

    protected function tearDown(): void
    {
        self::removeTree($this->scratch);
    }

    /**
     * Every file ModuleGenerator.php names beside itself (`__DIR__ . '/…'`) is among inputs(), but
     * the command line (GENERATOR), which it only names.
     */
    public function testInputsListEveryFileTheGeneratorReads(): void
    {
        $source = (string) file_get_contents(TestModule::repoRoot() . '/php/ModuleGenerator.php');
        preg_match_all("~__DIR__ \\. '(/[^']+)'~", $source, $matches);
        $named = array_map(static fn (string $p): string => TestModule::repoRoot() . '/php' . $p, $matches[1]);
        self::assertGreaterThanOrEqual(6, count($named), 'the templates, the logo and the client area files');
        $inputs = array_map('realpath', ModuleGenerator::inputs());
        foreach ($named as $path) {
            if (realpath($path) === realpath(ModuleGenerator::GENERATOR)) {
                // The command line itself: named in a module's regenerate message, never read.
                continue;
            }
            self::assertContains(realpath($path), $inputs, "$path is read but not checked first");
        }
        self::assertNull(ModuleGenerator::inputsProblem(), 'the repository holds every input');
    }

    /** The complete copy works: what the refusals below differ in is only the missing file. */
    public function testACompleteCopyWritesTheWholeModule(): void
    {
        $run = $this->generate();

        self::assertSame(0, $run['exit'], $run['stderr']);
        foreach (self::moduleFiles() as $file) {
            self::assertFileExists($this->moduleDir() . '/' . $file);
            self::assertGreaterThan(0, filesize($this->moduleDir() . '/' . $file), $file);
        }
    }

    /** @return array<string, array{string, bool}> */
    public function brokenInputs(): array
    {
        $cases = [];
        $php = TestModule::repoRoot() . '/php/';
        foreach (ModuleGenerator::inputs() as $input) {
            $relative = substr($input, strlen($php));
            $cases["$relative missing"] = [$relative, false];
        }
        $provider = substr(ModuleGenerator::TEMPLATES['provider'], strlen($php));
        $cases["$provider empty"] = [$provider, true];
        $cases['lang/english.php empty'] = ['lang/english.php', true];
        return $cases;
    }

    /** @dataProvider brokenInputs */
    public function testAMissingOrEmptyInputIsRefusedBeforeAnythingIsWritten(string $relative, bool $empty): void
    {
        if ($empty) {
            file_put_contents($this->share . '/' . $relative, '');
        } else {
            unlink($this->share . '/' . $relative);
        }

        $run = $this->generate();

        self::assertSame(2, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertStringContainsString($this->share . '/' . $relative, $run['stderr']);
        self::assertStringContainsString('nothing was written', $run['stderr']);
        self::assertStringContainsString('reinstall', $run['stderr']);
        self::assertStringNotContainsString('wrote', $run['stdout']);
        self::assertSame(['.', '..'], scandir($this->whmcsDir . '/modules/servers'), 'no half module');
    }

    /** @return array<string, array{string}> */
    public function missingCode(): array
    {
        return ['ModuleGenerator.php' => ['ModuleGenerator.php'], 'GeneratorError.php' => ['GeneratorError.php']];
    }

    /** @dataProvider missingCode */
    public function testMissingGeneratorCodeIsRefusedWithoutAFatalError(string $file): void
    {
        unlink($this->share . '/' . $file);

        $run = $this->generate();

        self::assertSame(2, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertStringContainsString($this->share . '/' . $file . ' is missing', $run['stderr']);
        self::assertStringNotContainsString('Fatal error', $run['stdout'] . $run['stderr']);
        self::assertSame(['.', '..'], scandir($this->whmcsDir . '/modules/servers'));
    }

    /**
     * A file that cannot be written (here lib/ is a plain file, so lib/MetricProvider.php cannot
     * be made) stops the whole set: no module file, no hooks file, no temporary file left.
     */
    public function testAFileThatCannotBeWrittenLeavesNoOtherFile(): void
    {
        mkdir($this->moduleDir(), 0755, true);
        file_put_contents($this->moduleDir() . '/lib', 'in the way');

        $run = $this->generate();

        self::assertSame(2, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertStringContainsString('cannot create the directory', $run['stderr']);
        self::assertSame(['.', '..', 'lib'], scandir($this->moduleDir()), 'nothing written beside it');
    }

    /**
     * Regenerating over a complete module that then fails part-way leaves the earlier module as it
     * was (every file still the previous generation's).
     */
    public function testAFailedRegenerationKeepsThePreviousModuleWhole(): void
    {
        self::assertSame(0, $this->generate()['exit']);
        $before = $this->snapshot();
        unlink($this->share . '/' . basename(ModuleGenerator::TEMPLATES['hooks']));

        $run = $this->generate();

        self::assertSame(2, $run['exit']);
        self::assertSame($before, $this->snapshot());
    }

    /** @return list<string> the files a generated module consists of, relative to its folder */
    private static function moduleFiles(): array
    {
        $name = 'inputs';
        return [
            "$name.php", 'hooks.php', 'lib/MetricProvider.php', 'whmcs.json', 'logo.png',
            ...array_keys(ModuleGenerator::CLIENT_AREA_FILES),
        ];
    }

    private function moduleDir(): string
    {
        return $this->whmcsDir . '/modules/servers/inputs';
    }

    /** @return array<string, string> every file under the module's folder => its content's hash */
    private function snapshot(): array
    {
        $files = [];
        $iterator = new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator($this->moduleDir(), \FilesystemIterator::SKIP_DOTS)
        );
        foreach ($iterator as $file) {
            $files[(string) $file] = (string) hash_file('sha256', (string) $file);
        }
        ksort($files);
        return $files;
    }

    /** @return array{exit: int, stdout: string, stderr: string} */
    private function generate(): array
    {
        return Process::run([
            ...Process::php(TestModule::extensionPath()),
            $this->share . '/generate-module.php',
            'inputs',
            $this->whmcsDir,
        ]);
    }

    private static function copyTree(string $from, string $to): void
    {
        mkdir($to, 0755, true);
        foreach (scandir($from) ?: [] as $entry) {
            if ($entry === '.' || $entry === '..') {
                continue;
            }
            if (is_dir("$from/$entry")) {
                self::copyTree("$from/$entry", "$to/$entry");
            } else {
                copy("$from/$entry", "$to/$entry");
            }
        }
    }

    private static function removeTree(string $dir): void
    {
        if (!is_dir($dir) || is_link($dir)) {
            @unlink($dir);
            return;
        }
        foreach (scandir($dir) ?: [] as $entry) {
            if ($entry !== '.' && $entry !== '..') {
                self::removeTree("$dir/$entry");
            }
        }
        rmdir($dir);
    }
}
