<?php

/**
 * A running `sgsim` (the Backup Server simulator) and a small HTTP client for it.
 *
 * start() runs the binary, reads the one JSON line it prints (url, credentials, certificate
 * fingerprint) and keeps the process until stop(). Requests use PHP stream contexts with bounded
 * timeouts; over HTTPS they trust exactly the simulator's certificate (its SHA-256 pinned).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

use SgWhmcs\Tests\Emulator\Evidence;

final class Sim
{
    private const START_TIMEOUT_SECONDS = 30.0;
    private const REQUEST_TIMEOUT_SECONDS = 15.0;

    private static ?Sim $shared = null;

    /** @var resource|null */
    private $process;

    /** @param resource $process */
    private function __construct(
        $process,
        private string $outputFile,
        private string $logFile,
        public readonly string $url,
        public readonly string $scheme,
        public readonly string $host,
        public readonly int $port,
        public readonly string $user,
        public readonly string $password,
        public readonly ?string $sha256
    ) {
        $this->process = $process;
    }

    /** The simulator binary: $SGSIM_BIN, else target/release/sgsim of this repository. */
    public static function binary(): string
    {
        $fromEnv = getenv('SGSIM_BIN');
        return is_string($fromEnv) && $fromEnv !== '' ? $fromEnv : dirname(__DIR__, 2) . '/target/release/sgsim';
    }

    /**
     * Starts a simulator on a free loopback port, over TLS or plain HTTP. EXTRA_ARGS go after
     * the defaults (a later `--listen` wins; `--cert-host NAME` adds a name to the certificate).
     *
     * @param list<string> $extraArgs
     */
    public static function start(bool $tls, array $extraArgs = []): self
    {
        $binary = self::binary();
        if (!is_file($binary) || !is_executable($binary)) {
            throw new \RuntimeException("sgsim not found at $binary: build it with cargo build --release -p sgsim");
        }
        $base = tempnam(sys_get_temp_dir(), 'sgsim-');
        $outputFile = $base . '.out';
        $logFile = $base . '.log';
        @unlink($base);
        $command = [$binary, '--listen', '127.0.0.1:0'];
        if ($tls) {
            $command[] = '--tls';
        }
        array_push($command, ...$extraArgs);
        $descriptors = [0 => ['file', '/dev/null', 'r'], 1 => ['file', $outputFile, 'w'], 2 => ['file', $logFile, 'w']];
        $process = proc_open($command, $descriptors, $pipes);
        if (!is_resource($process)) {
            throw new \RuntimeException("cannot start $binary");
        }
        $line = self::readFirstLine($process, $outputFile, $logFile);
        $info = json_decode($line, true);
        if (!is_array($info) || !isset($info['url'], $info['host'], $info['port'], $info['user'], $info['password'])) {
            self::kill($process);
            throw new \RuntimeException("sgsim printed an unexpected first line: $line");
        }
        $sha256 = isset($info['sha256']) && is_string($info['sha256']) ? $info['sha256'] : null;
        return new self(
            $process,
            $outputFile,
            $logFile,
            (string) $info['url'],
            (string) ($info['scheme'] ?? parse_url((string) $info['url'], PHP_URL_SCHEME)),
            (string) $info['host'],
            (int) $info['port'],
            (string) $info['user'],
            (string) $info['password'],
            $sha256
        );
    }

    /**
     * The TLS simulator shared by the whole run: started on first use, stopped at shutdown.
     */
    public static function shared(): self
    {
        if (self::$shared === null) {
            self::$shared = self::start(true);
            register_shutdown_function([self::class, 'stopShared']);
        }
        return self::$shared;
    }

    /** Stops the shared simulator, if it was started. */
    public static function stopShared(): void
    {
        self::$shared?->stop();
        self::$shared = null;
    }

    /** Stops the process (TERM, then KILL after 3 s) and removes its files. Safe to repeat. */
    public function stop(): void
    {
        if ($this->process !== null) {
            self::kill($this->process);
            $this->process = null;
        }
        @unlink($this->outputFile);
        @unlink($this->logFile);
    }

    /** What the simulator wrote on stderr so far (for failure messages). */
    public function log(): string
    {
        return (string) @file_get_contents($this->logFile);
    }

    // ---- this simulator as WHMCS knows a server -------------------------------------------------

    /**
     * This simulator as a WHMCS server record (Setup › Servers: the fields `Whmcs::addServer()`
     * and `testUnsavedServer()` take), pinned by its certificate's SHA-256 in the Access Hash, or
     * by ACCESS_HASH instead ('' for none). Its password and fingerprint are secrets the
     * secrets sweep looks for (`Evidence`).
     *
     * @return array{hostname: string, username: string, password: string, accesshash: string,
     *     secure: bool, port: string}
     */
    public function serverRecord(?string $accessHash = null): array
    {
        Evidence::addSecret($this->password);
        Evidence::addSecret((string) $this->sha256);
        return [
            'hostname' => $this->host,
            'username' => $this->user,
            'password' => $this->password,
            'accesshash' => $accessHash ?? (string) $this->sha256,
            'secure' => $this->scheme === 'https',
            'port' => (string) $this->port,
        ];
    }

    /**
     * The same server as the server members of the `$params` WHMCS passes a module function
     * (`Emulator/ParamsBuilder.php`).
     *
     * @return array<string, string|bool>
     */
    public function serverParams(): array
    {
        $record = $this->serverRecord();
        return [
            'serverip' => '', 'serverhostname' => $record['hostname'], 'serverusername' => $record['username'],
            'serverpassword' => $record['password'], 'serveraccesshash' => $record['accesshash'],
            'serversecure' => $record['secure'], 'serverport' => $record['port'], 'serverhttpprefix' => '',
        ];
    }

    // ---- controls -----------------------------------------------------------------------------

    public function reset(): void
    {
        $this->expect(200, 'POST', '/_sim/reset');
    }

    /** @return array{total: int, routes: array<string, int>} */
    public function stats(): array
    {
        return $this->expect(200, 'GET', '/_sim/stats');
    }

    /** How many /api/v1 requests the simulator has seen since the last reset. */
    public function totalRequests(): int
    {
        return (int) $this->stats()['total'];
    }

    /** @return array<mixed> the mails the simulator would have sent */
    public function mails(): array
    {
        return $this->expect(200, 'GET', '/_sim/mails');
    }

    /**
     * Arms a fault (see backup-server-api.md: kind, count, route, status, delay_ms).
     *
     * @param array<string, mixed> $fault
     */
    public function fault(array $fault): void
    {
        $answer = $this->request('POST', '/_sim/faults', $fault);
        if ($answer['status'] < 200 || $answer['status'] > 299) {
            throw new \RuntimeException('sgsim refused the fault: ' . $answer['raw']);
        }
    }

    // ---- the server's view of accounts --------------------------------------------------------

    /** @return array<string, mixed>|null the customer NAME as the server holds it, null when absent */
    public function customer(string $name): ?array
    {
        return $this->account('customers', $name);
    }

    /** @return array<string, mixed>|null the reseller NAME as the server holds it, null when absent */
    public function reseller(string $name): ?array
    {
        return $this->account('resellers', $name);
    }

    /** The pass key of customer NAME. */
    public function passkey(string $name): string
    {
        return (string) $this->expect(200, 'GET', '/api/v1/customers/' . rawurlencode($name) . '/passkey')['passkey'];
    }

    /**
     * Sets the bytes used of customers on the server, in one bulk request.
     *
     * @param array<string, int> $usedBytes customer name => bytes used
     */
    public function setCustomerUsage(array $usedBytes): void
    {
        $accounts = [];
        foreach ($usedBytes as $name => $bytes) {
            $accounts[] = ['kind' => 'customer', 'name' => (string) $name, 'used_bytes' => $bytes];
        }
        $this->expect(200, 'POST', '/_sim/usage', ['accounts' => $accounts]);
    }

    /**
     * Creates an account directly through the API (not through WHMCS).
     *
     * @param array<string, mixed> $account a NewAccount body
     * @return array<string, mixed>
     */
    public function createDirectly(string $collection, array $account): array
    {
        return $this->expect(201, 'POST', '/api/v1/' . $collection, $account);
    }

    /** @return array<string, mixed>|null */
    private function account(string $collection, string $name): ?array
    {
        $answer = $this->request('GET', '/api/v1/' . $collection . '/' . rawurlencode($name));
        if ($answer['status'] === 404) {
            return null;
        }
        if ($answer['status'] !== 200 || !is_array($answer['body'])) {
            throw new \RuntimeException("GET $collection/$name answered {$answer['status']}: {$answer['raw']}");
        }
        return $answer['body'];
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    /**
     * Sends a request; fails unless the answer has STATUS; returns the decoded body.
     *
     * @param array<string, mixed>|null $body
     */
    public function expect(int $status, string $method, string $path, ?array $body = null): mixed
    {
        $answer = $this->request($method, $path, $body);
        if ($answer['status'] !== $status) {
            $got = $answer['status'];
            throw new \RuntimeException("$method $path answered $got (expected $status): {$answer['raw']}");
        }
        return $answer['body'];
    }

    /**
     * Sends one request with the admin credentials and bounded timeouts.
     *
     * @param array<string, mixed>|null $body
     * @return array{status: int, body: mixed, raw: string}
     */
    public function request(string $method, string $path, ?array $body = null): array
    {
        $headers = [
            'Authorization: Basic ' . base64_encode($this->user . ':' . $this->password),
            'Accept: application/json',
            'Connection: close',
        ];
        $http = [
            'method' => $method,
            'timeout' => self::REQUEST_TIMEOUT_SECONDS,
            'ignore_errors' => true,
            'protocol_version' => 1.1,
            'follow_location' => 0,
        ];
        if ($body !== null) {
            $http['content'] = json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
            $headers[] = 'Content-Type: application/json; charset=utf-8';
        }
        $http['header'] = implode("\r\n", $headers);
        $options = ['http' => $http];
        if ($this->scheme === 'https') {
            $options['ssl'] = [
                'verify_peer' => false,
                'verify_peer_name' => false,
                'peer_fingerprint' => ['sha256' => (string) $this->sha256],
            ];
        }
        $previous = ini_set('default_socket_timeout', (string) (int) self::REQUEST_TIMEOUT_SECONDS);
        $raw = @file_get_contents($this->url . $path, false, stream_context_create($options));
        ini_set('default_socket_timeout', (string) $previous);
        $responseHeaders = $http_response_header ?? [];
        if ($raw === false || $responseHeaders === []) {
            $error = error_get_last()['message'] ?? 'no answer';
            throw new \RuntimeException("$method $this->url$path failed: $error");
        }
        preg_match('#^HTTP/\S+\s+(\d{3})#', (string) $responseHeaders[0], $match);
        $decoded = $raw === '' ? null : json_decode($raw, true);
        return ['status' => (int) ($match[1] ?? 0), 'body' => $decoded, 'raw' => $raw];
    }

    // ---- process ------------------------------------------------------------------------------

    /** @param resource $process */
    private static function readFirstLine($process, string $outputFile, string $logFile): string
    {
        $deadline = microtime(true) + self::START_TIMEOUT_SECONDS;
        while (microtime(true) < $deadline) {
            $output = (string) @file_get_contents($outputFile);
            $newline = strpos($output, "\n");
            if ($newline !== false) {
                return substr($output, 0, $newline);
            }
            if (!proc_get_status($process)['running']) {
                $log = (string) @file_get_contents($logFile);
                throw new \RuntimeException("sgsim exited before printing its address: $output $log");
            }
            usleep(20000);
        }
        self::kill($process);
        throw new \RuntimeException('sgsim printed nothing within ' . self::START_TIMEOUT_SECONDS . ' s');
    }

    /** @param resource $process */
    private static function kill($process): void
    {
        if (proc_get_status($process)['running']) {
            proc_terminate($process, 15);
            $deadline = microtime(true) + 3.0;
            while (proc_get_status($process)['running'] && microtime(true) < $deadline) {
                usleep(20000);
            }
            if (proc_get_status($process)['running']) {
                proc_terminate($process, 9);
            }
        }
        proc_close($process);
    }
}
