<?php

/**
 * whmcsHooks.php in a WHMCS whose PHP lacks the sgwhmcs extension: the hook says so in the
 * Activity Log and returns, so adding the client or accepting the order goes on.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Support\Process;

final class ExtensionMissingTest extends HooksTestCase
{
    /** @return array<string, array{string, string, string}> */
    public function lines(): array
    {
        return self::LINES;
    }

    /** @dataProvider lines */
    public function testTheHookLogsThatTheExtensionIsMissingAndReturns(string $point, string $function): void
    {
        $this->installHooks($point, $function);
        $vars = $point === 'ClientAdd'
            ? ['client_id' => 7, 'firstname' => 'Jane', 'lastname' => 'Doe', 'email' => 'jane@acme.test']
            : ['orderid' => 3];
        $before = $this->sim->totalRequests();

        $run = Process::run([
            ...Process::php(),
            __DIR__ . '/run-without-extension.php',
            self::installedPath(),
            $point,
            json_encode($vars),
        ]);

        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertSame('', $run['stderr']);
        $result = json_decode($run['stdout'], true);
        self::assertIsArray($result, $run['stdout']);
        self::assertFalse($result['extension'], 'the subprocess runs without the extension');
        self::assertSame([['point' => $point, 'priority' => 0, 'function' => $function]], $result['registered']);
        self::assertSame([null], $result['returned'], 'the hook returned normally');
        self::assertCount(1, $result['activity']);
        self::assertStringContainsString('sgwhmcs PHP extension is not loaded', $result['activity'][0]['message']);
        self::assertStringContainsString('no Backup Server account was created', $result['activity'][0]['message']);
        self::assertSame($before, $this->sim->totalRequests());
    }
}
