<?php

/**
 * A misbehaving Backup Server that echoes what it is sent (tests/Support/echo-router.php, run by
 * PHP's built-in web server on a free local port, plain http), for one test; routed() runs
 * another router script the same way (tests/Support/non-api-router.php: a server that is not the
 * API).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

final class EchoServer
{
    public readonly string $scheme;
    public readonly string $host;

    /** @param resource $process */
    private function __construct(public readonly int $port, private $process, private string $logFile)
    {
        $this->scheme = 'http';
        $this->host = '127.0.0.1';
    }

    /** Starts the server answering in MODE (see echo-router.php); waits until it accepts. */
    public static function start(string $mode): self
    {
        return self::routed(__DIR__ . '/echo-router.php', ['SGWHMCS_ECHO_MODE' => $mode]);
    }

    /**
     * Starts PHP's built-in web server with the router script ROUTER and the environment
     * variables ENV; waits until it accepts.
     *
     * @param array<string, string> $env
     */
    public static function routed(string $router, array $env): self
    {
        $port = self::freePort();
        $logFile = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-echo-');
        $command = array_merge(Process::php(), ['-S', "127.0.0.1:$port", $router]);
        $env += ['PATH' => (string) getenv('PATH')];
        $descriptors = [0 => ['file', '/dev/null', 'r'], 1 => ['file', $logFile, 'a'], 2 => ['file', $logFile, 'a']];
        $process = proc_open($command, $descriptors, $pipes, null, $env);
        if (!is_resource($process)) {
            throw new \RuntimeException('cannot start the echo server');
        }
        $server = new self($port, $process, $logFile);
        $deadline = microtime(true) + 10;
        while (microtime(true) < $deadline) {
            $socket = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 0.2);
            if (is_resource($socket)) {
                fclose($socket);
                return $server;
            }
            usleep(20000);
        }
        $server->stop();
        throw new \RuntimeException("the echo server did not start: " . file_get_contents($logFile));
    }

    /** Stops the server and removes its log. */
    public function stop(): void
    {
        if (is_resource($this->process)) {
            proc_terminate($this->process, 9);
            proc_close($this->process);
        }
        @unlink($this->logFile);
    }

    /** What the built-in server printed (one line per request). */
    public function log(): string
    {
        return (string) @file_get_contents($this->logFile);
    }

    private static function freePort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        if (!is_resource($socket)) {
            throw new \RuntimeException("no free port: $error");
        }
        $name = (string) stream_socket_get_name($socket, false);
        fclose($socket);
        return (int) substr($name, strrpos($name, ':') + 1);
    }
}
