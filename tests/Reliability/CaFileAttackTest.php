<?php

/**
 * Hidden-case attack on issue 8, items 8 and 9, with cases the issue did not describe:
 * `sgwhmcs.ca_file` set in php.ini (a subprocess with `-d sgwhmcs.ca_file=…`, since the setting
 * may be made settable only there) to a folder, a symlink to a FIFO, a file the process may not
 * read, an empty file, a file that is not PEM. Each is refused at once, naming the setting and the
 * path, before anything is sent (the simulator's request counter).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;

final class CaFileAttackTest extends ReliabilityTestCase
{
    /** @var list<string> paths to remove after the test (FIFOs, links, folders) */
    private array $made = [];

    protected function tearDown(): void
    {
        foreach (array_reverse($this->made) as $path) {
            is_dir($path) && !is_link($path) ? @rmdir($path) : @unlink($path);
        }
        $this->made = [];
        parent::tearDown();
    }

    /** @return array<string, array{0: string, 1: string}> kind => [kind, what the message says] */
    public static function badCaFiles(): array
    {
        return [
            'a folder' => ['dir', 'is not a regular file'],
            'a symlink to a FIFO' => ['fifo-link', 'is not a regular file'],
            'a symlink to a folder' => ['dir-link', 'is not a regular file'],
            'an empty file' => ['empty', 'holds no PEM certificate'],
            'binary, not PEM' => ['binary', 'holds no PEM certificate'],
            'a dangling symlink' => ['dangling', 'could not be read'],
        ];
    }

    /** @dataProvider badCaFiles */
    public function testABadCaFileFromPhpIniIsRefusedAtOnceNamingIt(string $kind, string $says): void
    {
        $path = $this->make($kind);

        $started = hrtime(true);
        $answer = $this->testConnectionWithCaFile($path);
        $elapsed = (hrtime(true) - $started) / 1e9;

        self::assertLessThan(10.0, $elapsed, 'no hang (the subprocess also starts PHP)');
        self::assertFalse($answer['success']);
        self::assertStringStartsWith('Connection failed: TLS setup failed: the CA file ' . $path, $answer['error']);
        self::assertStringContainsString($says, $answer['error']);
        self::assertStringContainsString('sgwhmcs.ca_file', $answer['error']);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing sent');
    }

    public function testAnUnreadableCaFileIsRefusedNamingIt(): void
    {
        if (function_exists('posix_geteuid') && posix_geteuid() === 0) {
            // root reads any file; a file of mode 000 is then read as usual. Use a path under a
            // folder the process may not enter only when not root; as root, prove the message
            // for a file that cannot be opened another way: a path through a regular file.
            $file = $this->make('empty');
            $path = $file . '/inside.pem';
        } else {
            $path = $this->make('binary');
            chmod($path, 0);
        }

        $answer = $this->testConnectionWithCaFile($path);

        self::assertFalse($answer['success']);
        self::assertStringContainsString("the CA file $path could not be read", $answer['error']);
        self::assertStringContainsString('sgwhmcs.ca_file', $answer['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testASelfSignedServerTestedFromSetupServersNamesTheAccessHash(): void
    {
        // Setup › Servers has no "Server Certificate SHA-256": its pin is the Access Hash.
        $tested = $this->whmcs->testUnsavedServer(self::serverFields($this->sim, ''));

        self::assertFalse($tested['success']);
        self::assertStringContainsString('the Access Hash of the WHMCS server', $tested['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    /** @return array{success: bool, error: string} TestConnection's answer in a PHP with CA_FILE in its ini */
    private function testConnectionWithCaFile(string $caFile): array
    {
        $params = [
            'serverid' => 0,
            'server' => true,
            'serveraccesshash' => '',
            'serversecure' => true,
            'serverhttpprefix' => 'https',
        ] + $this->sim->serverParams();
        $code = 'echo json_encode(\SgWhmcs\module_call("sgtest", "TestConnection", '
            . var_export($params, true) . '));';
        $command = array_merge(
            Process::php(TestModule::extensionPath()),
            ['-d', 'sgwhmcs.ca_file=' . $caFile, '-d', 'sgwhmcs.timeout=2', '-d', 'sgwhmcs.connect_timeout=2'],
            ['-r', $code]
        );
        $run = Process::run($command, 20.0);
        self::assertSame(0, $run['exit'], $run['stderr']);
        $answer = json_decode($run['stdout'], true);
        self::assertIsArray($answer, $run['stdout'] . $run['stderr']);
        return $answer;
    }

    private function make(string $kind): string
    {
        $path = sys_get_temp_dir() . '/sgwhmcs-ca-attack-' . bin2hex(random_bytes(6));
        switch ($kind) {
            case 'dir':
                mkdir($path);
                break;
            case 'fifo-link':
                $fifo = $path . '.fifo';
                self::assertTrue(posix_mkfifo($fifo, 0600));
                $this->made[] = $fifo;
                symlink($fifo, $path);
                break;
            case 'dir-link':
                symlink(sys_get_temp_dir(), $path);
                break;
            case 'empty':
                file_put_contents($path, '');
                break;
            case 'binary':
                file_put_contents($path, random_bytes(2048));
                break;
            case 'dangling':
                symlink($path . '.nowhere', $path);
                break;
        }
        $this->made[] = $path;
        return $path;
    }
}
