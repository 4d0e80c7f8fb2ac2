<?php

/**
 * Runs a command (no shell) with a time limit and returns its exit status, stdout and stderr.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

final class Process
{
    /**
     * Runs COMMAND with this process's environment, plus the variables of ENV.
     *
     * @param list<string> $command
     * @param array<string, string> $env
     * @return array{exit: int, stdout: string, stderr: string}
     */
    public static function run(array $command, float $timeoutSeconds = 60.0, array $env = []): array
    {
        $descriptors = [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']];
        $process = proc_open($command, $descriptors, $pipes, null, $env === [] ? null : $env + getenv());
        if (!is_resource($process)) {
            throw new \RuntimeException('cannot run ' . implode(' ', $command));
        }
        stream_set_blocking($pipes[1], false);
        stream_set_blocking($pipes[2], false);
        $output = [1 => '', 2 => ''];
        $deadline = microtime(true) + $timeoutSeconds;
        $open = [1 => $pipes[1], 2 => $pipes[2]];
        while ($open !== []) {
            $left = $deadline - microtime(true);
            if ($left <= 0) {
                proc_terminate($process, 9);
                proc_close($process);
                throw new \RuntimeException("timed out after {$timeoutSeconds} s: " . implode(' ', $command));
            }
            $read = array_values($open);
            $write = null;
            $except = null;
            if (stream_select($read, $write, $except, 0, (int) min(200000, $left * 1e6)) === false) {
                break;
            }
            foreach ($open as $index => $pipe) {
                $chunk = fread($pipe, 65536);
                if (is_string($chunk) && $chunk !== '') {
                    $output[$index] .= $chunk;
                } elseif (feof($pipe)) {
                    fclose($pipe);
                    unset($open[$index]);
                }
            }
        }
        $exit = proc_close($process);
        return ['exit' => $exit, 'stdout' => $output[1], 'stderr' => $output[2]];
    }

    /**
     * PHP without php.ini (so without the extension), or with only the extension at EXTENSION.
     *
     * @return list<string>
     */
    public static function php(?string $extension = null): array
    {
        $command = [PHP_BINARY, '-n'];
        if ($extension !== null) {
            $command[] = '-d';
            $command[] = 'extension=' . $extension;
        }
        return $command;
    }
}
