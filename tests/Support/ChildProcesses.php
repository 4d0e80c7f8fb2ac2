<?php

/**
 * Runs one fixture script in several PHP child processes at once, one job file each, and collects
 * the JSON line each prints. Concurrency tests use it to make real concurrent WHMCS requests.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

use PHPUnit\Framework\Assert;

final class ChildProcesses
{
    /**
     * Starts `php -n [FLAGS] -d extension=<module> -d sgwhmcs.timeout=20 FIXTURE JOB` for every
     * job before awaiting any (so they really run at the same time), then asserts each exits 0 and
     * printed a JSON object, and answers those objects under the jobs' keys.
     *
     * @param array<int|string, string> $jobs job file per key; LABEL and the key name a process
     *     in failure messages
     * @param list<string> $flags extra PHP arguments before the module's extension (other
     *     extensions the fixture needs, since `-n` loads none)
     * @return array<int|string, array<mixed>>
     */
    public static function runAtOnce(string $fixture, array $jobs, array $flags = [], string $label = 'process'): array
    {
        $processes = [];
        foreach ($jobs as $key => $job) {
            $command = [
                PHP_BINARY,
                '-n',
                ...$flags,
                '-d', 'extension=' . TestModule::extensionPath(),
                '-d', 'sgwhmcs.timeout=20',
                $fixture,
                $job,
            ];
            $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
            Assert::assertIsResource($process, "$label $key starts");
            $processes[$key] = [$process, $pipes];
        }
        $answers = [];
        foreach ($processes as $key => [$process, $pipes]) {
            $out = (string) stream_get_contents($pipes[1]);
            $err = (string) stream_get_contents($pipes[2]);
            fclose($pipes[1]);
            fclose($pipes[2]);
            Assert::assertSame(0, proc_close($process), "$label $key: $err");
            $answer = json_decode(trim($out), true);
            Assert::assertIsArray($answer, "$label $key printed: $out $err");
            $answers[$key] = $answer;
        }
        return $answers;
    }
}
