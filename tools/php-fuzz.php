<?php

/**
 * PHP-level fuzzing of the extension's exported functions: random `$params`, `$vars` and
 * `$config` (shapes, types, byte strings that are not UTF-8, integer and non-UTF-8 keys, sizes,
 * nesting, arrays shared many times, references, objects, resources) through `module_call` for
 * every function of `SgWhmcs\module_functions()`, `hook_signup`, `email_merge_fields`, `contact_sync`,
 * `metric_call` and `hook_usage_update`, with
 * stand-ins for WHMCS's host functions that sometimes answer nonsense or throw. Some calls reach
 * a local sgsim (started here, pinned TLS), some a closed loopback port, most fail validation.
 *
 *   php tools/php-fuzz.php [--calls N] [--workers W] [--seed S] [--max-growth-mb M]
 *
 * Runs W worker processes (each `php -d extension=$SGWHMCS_EXT`, default
 * target/release/libsgwhmcs.so) of N/W calls each, so that a crash (a signal) is counted instead
 * of ending the run. Prints calls, throws, crashes, the API requests sgsim answered, and each
 * worker's RSS at start, after each tenth of its calls and at the end; exits non-zero on any
 * throw, crash, object read, RSS growth over M MB (default 4) in a worker from the first half of
 * its calls to the second, or growth of PHP's own memory over 1 MB.
 * SGSIM_BIN names the simulator (default target/release/sgsim). Defaults: 200000 calls, 2
 * workers, seed from the clock (printed, so a failing run can be repeated).
 */

// phpcs:disable PSR1.Files.SideEffects,PSR1.Classes.ClassDeclaration.MultipleClasses,Squiz.Classes.ValidClassName.NotCamelCaps
// A standalone script: it stands in for WHMCS's host functions and runs.

namespace WHMCS\Database {

    /** WHMCS's Capsule facade, standing in: a query builder that answers at random or throws. */
    final class Capsule
    {
        public static function table(string $table): FuzzQuery
        {
            \fuzzMaybeThrow('Capsule::table');
            return new FuzzQuery();
        }
    }

    /** A query builder whose every call may throw and whose answers are random. */
    final class FuzzQuery
    {
        public function where(mixed ...$args): self
        {
            \fuzzMaybeThrow('where');
            return $this;
        }

        public function value(string $column): mixed
        {
            \fuzzMaybeThrow('value');
            return \fuzzHostAnswer();
        }

        public function insertGetId(array $row): mixed
        {
            \fuzzMaybeThrow('insertGetId');
            return mt_rand(0, 3) === 0 ? \fuzzHostAnswer() : mt_rand(1, 1000);
        }

        public function __call(string $name, array $args): mixed
        {
            \fuzzMaybeThrow($name);
            return mt_rand(0, 1) === 0 ? $this : \fuzzHostAnswer();
        }
    }
}

namespace {

    use SgWhmcs\Fuzz\Gen;

    /** Throws now and then, as a host function of a WHMCS whose database fails. */
    function fuzzMaybeThrow(string $where): void
    {
        if (mt_rand(0, 9) === 0) {
            throw mt_rand(0, 1) === 0
                ? new \PDOException("SQLSTATE[HY000] [2006] MySQL server has gone away in $where")
                : new \RuntimeException(Gen::bytes(40));
        }
    }

    /** A random answer of a host function. */
    function fuzzHostAnswer(): mixed
    {
        return Gen::value(2);
    }

    /** WHMCS: one module log entry. */
    function logModuleCall($module, $action, $request, $response, $processed = '', $replace = [])
    {
        fuzzMaybeThrow('logModuleCall');
    }

    /** WHMCS: one Activity Log line. */
    function logActivity($message, $userId = 0)
    {
        fuzzMaybeThrow('logActivity');
    }

    /** WHMCS: an internal API command; a plausible success, an error, nonsense, or a throw. */
    function localAPI($command, $values = [], $adminUser = '')
    {
        fuzzMaybeThrow('localAPI');
        return match (mt_rand(0, 3)) {
            0 => ['result' => 'success', 'orders' => ['order' => [['userid' => mt_rand(1, 9)]]],
                  'client' => Gen::client(), 'email' => 'a@b.test'],
            1 => ['result' => 'error', 'message' => Gen::bytes(20)],
            2 => Gen::value(3),
            default => ['result' => 'success'] + Gen::client(),
        };
    }

    /** @return array<string, string> --name value options */
    function fuzzOptions(array $argv): array
    {
        $options = [];
        for ($i = 1; $i < count($argv); $i++) {
            if (!str_starts_with($argv[$i], '--')) {
                continue;
            }
            $value = $argv[$i + 1] ?? '--';
            if (str_starts_with($value, '--')) {
                $options[substr($argv[$i], 2)] = '1';
            } else {
                $options[substr($argv[$i], 2)] = $value;
                $i++;
            }
        }
        return $options;
    }

    /** This process's resident set size in bytes (Linux). */
    function fuzzRss(): int
    {
        $status = (string) @file_get_contents('/proc/self/status');
        return preg_match('/^VmRSS:\s+(\d+) kB/m', $status, $m) === 1 ? (int) $m[1] * 1024 : 0;
    }

}

namespace SgWhmcs\Fuzz {

    /** Random values of every kind PHP can pass. */
    final class Gen
    {
        /** @var array<mixed> arrays kept to be shared by later values */
        public static array $shared = [];

        /** The connection fields of a product: SIM (info array) or a closed port. */
        public static ?array $sim = null;
        public static int $closedPort = 9;

        public static function bytes(int $max): string
        {
            $length = mt_rand(0, $max);
            return match (mt_rand(0, 4)) {
                0 => random_bytes($length),
                1 => str_repeat("\xFC", $length),
                2 => substr(str_repeat("M\xFCller Gr\xF6\xDFe \x80\x81\x9D ", 8), 0, $length),
                3 => substr(str_repeat("Ünïcødé ✓ ", 8), 0, $length),
                default => substr(str_shuffle(str_repeat('abcXYZ019 .-_@', 4)), 0, $length),
            };
        }

        public static function key(): int|string
        {
            return match (mt_rand(0, 5)) {
                0 => mt_rand(-5, 50),
                1 => PHP_INT_MAX - mt_rand(0, 3),
                2 => self::bytes(12),
                3 => "Speichergr\xF6\xDFe",
                4 => (string) mt_rand(0, 9),
                default => ['password', 'serverpassword', 'configoption5', 'clientsdetails', 'model',
                    'username', 'serviceid', 'companyname', 'loginPassword', 'relid', 'messagename'][mt_rand(0, 10)],
            };
        }

        public static function scalar(): mixed
        {
            return match (mt_rand(0, 9)) {
                0 => null,
                1 => (bool) mt_rand(0, 1),
                2 => mt_rand(PHP_INT_MIN, PHP_INT_MAX),
                3 => [NAN, INF, -INF, 0.1, -0.0, 1e308][mt_rand(0, 5)],
                4 => mt_rand(0, 3000) === 0 ? str_repeat("\xE9", mt_rand(1, 2 * 1024 * 1024)) : self::bytes(8),
                5 => self::object(),
                6 => (string) mt_rand(0, 99999),
                default => self::bytes(30),
            };
        }

        public static function object(): mixed
        {
            return match (mt_rand(0, 5)) {
                0 => new \stdClass(),
                1 => new LazyModel(),
                2 => fn () => LazyModel::$touched++,
                3 => new \ArrayObject(['password' => 'x']),
                4 => (function () {
                    yield 1;
                })(),
                default => fopen('php://memory', 'r'),
            };
        }

        public static function value(int $depth): mixed
        {
            if ($depth <= 0 || mt_rand(0, 2) === 0) {
                return self::scalar();
            }
            if (self::$shared !== [] && mt_rand(0, 5) === 0) {
                return self::$shared[array_rand(self::$shared)];
            }
            $out = [];
            $count = mt_rand(0, 6) === 0 ? mt_rand(0, 300) : mt_rand(0, 6);
            for ($i = 0; $i < $count; $i++) {
                if (mt_rand(0, 2) === 0) {
                    $out[] = self::value($depth - 1);
                } else {
                    $out[self::key()] = self::value($depth - 1);
                }
            }
            if (mt_rand(0, 10) === 0) {
                self::$shared[mt_rand(0, 15)] = $out;
            }
            return $out;
        }

        /** Arrays shared many times: 10^LEVELS leaves (past the bounds from 6 levels on). */
        public static function bomb(int $levels): array
        {
            $shared = ['leaf' => self::bytes(16)];
            for ($i = 0; $i < $levels; $i++) {
                $shared = array_fill(0, 10, $shared);
            }
            return $shared;
        }

        /** @return array<string, mixed> */
        public static function client(): array
        {
            return [
                'firstname' => self::bytes(10), 'lastname' => self::bytes(10), 'companyname' => self::bytes(20),
                'email' => mt_rand(0, 3) === 0 ? self::bytes(15) : 'fuzz' . mt_rand(0, 99999) . '@example.test',
                'address1' => self::bytes(20), 'city' => 'Springfield', 'country' => 'DE',
                'password' => self::bytes(12),
            ];
        }

        /** The module settings: plausible ones pointed at the simulator or a closed port, or noise. */
        public static function settings(): array
        {
            $sim = self::$sim !== null && mt_rand(0, 2) === 0 ? self::$sim : null;
            $valid = [
                1 => $sim === null ? (mt_rand(0, 1) === 0 ? 'http' : 'https') : 'https',
                2 => '127.0.0.1',
                3 => (string) ($sim['port'] ?? self::$closedPort),
                4 => $sim['user'] ?? 'admin',
                5 => $sim['password'] ?? self::bytes(10),
                6 => mt_rand(0, 1) === 0 ? 'Signup Customer' : 'Signup Reseller',
                7 => '', 8 => 'on', 9 => '', 10 => '10737418240', 11 => '', 12 => '', 13 => '',
                14 => 'on', 15 => '', 16 => 'Global Configuration', 17 => '', 18 => '', 19 => '', 20 => '',
                21 => '', 22 => '', 23 => (string) mt_rand(0, 1) === '1' ? 'on' : '',
                24 => $sim['sha256'] ?? '',
            ];
            $out = [];
            foreach ($valid as $n => $value) {
                $out["configoption$n"] = mt_rand(0, 40) === 0 ? self::scalar() : $value;
            }
            return $out;
        }

        /** @return array<mixed> $params of a module call */
        public static function params(): array
        {
            if (mt_rand(0, 20) === 0) {
                return (array) self::value(4);
            }
            $params = self::settings() + [
                'serviceid' => mt_rand(1, 99999), 'userid' => mt_rand(1, 99), 'pid' => 3, 'serverid' => 0,
                'username' => mt_rand(0, 2) === 0 ? '' : 'fz' . mt_rand(0, 999999),
                'password' => self::bytes(14), 'domain' => '', 'server' => (bool) mt_rand(0, 1),
                'serverhostname' => mt_rand(0, 3) === 0 ? '127.0.0.1' : '', 'serverip' => '',
                'serverusername' => 'admin', 'serverpassword' => self::bytes(8), 'serveraccesshash' => '',
                'serversecure' => (bool) mt_rand(0, 1), 'serverport' => self::$closedPort,
                'clientsdetails' => self::client(), 'configoptions' => (array) self::value(2),
                'customfields' => (array) self::value(2), 'model' => self::object(),
            ];
            self::mutate($params, mt_rand(0, 6));
            return $params;
        }

        /** @return array<mixed> $vars of a ClientAdd, AcceptOrder or EmailPreSend hook */
        public static function vars(): array
        {
            $vars = match (mt_rand(0, 2)) {
                0 => ['client_id' => mt_rand(1, 99), 'userid' => mt_rand(1, 99)] + self::client(),
                1 => ['orderid' => mt_rand(1, 99), 'ordernumber' => (string) mt_rand()],
                default => ['messagename' => mt_rand(0, 1) === 0 ? 'Hosting Account Welcome Email' : self::bytes(10),
                    'relid' => mt_rand(0, 5) === 0 ? self::scalar() : mt_rand(1, 99)],
            };
            self::mutate($vars, mt_rand(0, 5));
            return $vars;
        }

        /** @return array<mixed> the hooks file's configuration */
        public static function config(): array
        {
            $settings = self::settings();
            $config = [
                'protocal' => $settings['configoption1'], 'serverName' => $settings['configoption2'],
                'port' => $settings['configoption3'], 'userName' => $settings['configoption4'],
                'loginPassword' => $settings['configoption5'], 'certificateSha256' => $settings['configoption24'],
                'policy' => ['Storage Allotted' => '107374182400', 'Is Auto MCAL' => 'on'],
            ];
            self::mutate($config, mt_rand(0, 3));
            return $config;
        }

        /** Replaces, adds or shares N members of ARRAY at random. */
        private static function mutate(array &$array, int $n): void
        {
            for ($i = 0; $i < $n; $i++) {
                $key = mt_rand(0, 1) === 0 && $array !== [] ? array_rand($array) : self::key();
                $array[$key] = match (mt_rand(0, 400)) {
                    0 => self::bomb(mt_rand(3, 7)),
                    1 => str_repeat('x', mt_rand(1, 17) * 1024 * 1024),
                    default => self::value(mt_rand(0, 4)),
                };
            }
            if (mt_rand(0, 60) === 0) {
                $array['self'] = &$array;
            }
        }
    }

    /** An object like an Eloquent model: reading it counts, and throws. */
    final class LazyModel
    {
        public static int $touched = 0;

        public function __get(string $name): mixed
        {
            self::$touched++;
            throw new \LogicException("lazy $name");
        }
    }

    /** One worker process: CALLS random calls; prints its figures as one JSON line. */
    final class Worker
    {
        /** @param array<string, string> $options */
        public static function run(array $options): int
        {
            mt_srand((int) ($options['seed'] ?? 1));
            $calls = (int) ($options['calls'] ?? 1000);
            Gen::$sim = isset($options['sim']) ? json_decode(base64_decode($options['sim']), true) : null;
            Gen::$closedPort = (int) ($options['closed-port'] ?? 9);
            if (!defined('WHMCS')) {
                define('WHMCS', true);
            }
            $root = sys_get_temp_dir() . '/sgwhmcs-fuzz-' . getmypid();
            @mkdir("$root/admin", 0777, true);
            define('ROOTDIR', $root);
            ini_set('error_log', '/dev/null');
            ini_set('sgwhmcs.connect_timeout', '0.3');
            ini_set('sgwhmcs.timeout', '0.6');
            ini_set('memory_limit', '1G');

            $functions = array_keys(\SgWhmcs\module_functions());
            $rssStart = fuzzRss();
            $throws = 0;
            $examples = [];
            // RSS is sampled after each tenth of the calls; the allocators' caches fill up during
            // the first quarter, so growth is judged from there to the end.
            $samples = [];
            $tenth = max(1, intdiv($calls, 10));
            $phpMemory = [];
            $profile = isset($options['profile']);
            $spent = [];
            for ($i = 0; $i < $calls; $i++) {
                if ($i === $tenth * (count($samples) + 1)) {
                    Gen::$shared = [];
                    gc_collect_cycles();
                    $samples[] = fuzzRss();
                    $phpMemory[] = memory_get_usage();
                }
                if ($i % 64 === 0) {
                    Gen::$shared = [];
                }
                // Arguments are made first: only what the extension's functions throw counts.
                try {
                    $pick = mt_rand(0, 9);
                    $function = mt_rand(0, 50) === 0 ? Gen::bytes(40) : $functions[mt_rand(0, count($functions) - 1)];
                    $module = mt_rand(0, 20) === 0 ? Gen::bytes(10) : 'fuzz';
                    $kind = ['reseller', 'customer', 'Customer', 'admin', '', 'RESELLER', "\xE4"][mt_rand(0, 6)];
                    [$first, $second] = match (true) {
                        $pick < 7 => [Gen::params(), []],
                        $pick < 9 => [Gen::vars(), Gen::config()],
                        $i % 4 === 2 => [Gen::params(), []],
                        default => [Gen::vars(), []],
                    };
                    $what = ['metrics', 'usage', 'tenant', 'x' . Gen::bytes(8)][mt_rand(0, 3)];
                    $tenant = mt_rand(0, 1) === 0 ? 'acme' : 'x' . Gen::bytes(20);
                } catch (\Throwable $e) {
                    $i--;
                    continue;
                }
                $t0 = hrtime(true);
                try {
                    if ($pick < 7) {
                        \SgWhmcs\module_call($module, $function, $first);
                    } elseif ($pick < 9) {
                        \SgWhmcs\hook_signup($kind, $first, $second);
                    } elseif ($i % 4 === 0) {
                        \SgWhmcs\email_merge_fields($module, $first);
                    } elseif ($i % 4 === 1) {
                        \SgWhmcs\contact_sync($module, $first);
                    } elseif ($i % 4 === 2) {
                        \SgWhmcs\metric_call($module, $what, $first, $tenant);
                    } else {
                        \SgWhmcs\hook_usage_update($module);
                    }
                    if ($profile) {
                        $spent[$pick < 7 ? $function : ($pick < 9 ? 'hook' : 'email')][] = hrtime(true) - $t0;
                    }
                } catch (\Throwable $e) {
                    $throws++;
                    if (count($examples) < 5) {
                        $examples[] = get_class($e) . ': ' . substr($e->getMessage(), 0, 200);
                    }
                }
            }
            Gen::$shared = [];
            gc_collect_cycles();
            if ($profile) {
                foreach ($spent as $what => $times) {
                    rsort($times);
                    $line = "%-18s %6d calls, %8.1f ms in all, slowest %6.1f ms\n";
                    fprintf(STDERR, $line, $what, count($times), array_sum($times) / 1e6, $times[0] / 1e6);
                }
            }
            echo json_encode([
                'calls' => $calls, 'throws' => $throws, 'examples' => $examples,
                'rss_start' => $rssStart, 'rss_end' => fuzzRss(), 'touched' => LazyModel::$touched,
                'rss_samples' => $samples, 'php_memory' => $phpMemory,
            ], JSON_INVALID_UTF8_SUBSTITUTE), "\n";
            @rmdir("$root/admin");
            @rmdir($root);
            return 0;
        }
    }

    /** Starts the simulator and the workers, adds up their figures, judges the run. */
    final class Driver
    {
        /** @param array<string, string> $options */
        public static function run(array $options): int
        {
            $calls = (int) ($options['calls'] ?? 200000);
            $workers = max(1, (int) ($options['workers'] ?? 2));
            $seed = (int) ($options['seed'] ?? random_int(1, PHP_INT_MAX >> 8));
            $maxGrowth = (float) ($options['max-growth-mb'] ?? 4) * 1024 * 1024;
            $ext = getenv('SGWHMCS_EXT') ?: dirname(__DIR__) . '/target/release/libsgwhmcs.so';
            $simBin = getenv('SGSIM_BIN') ?: dirname(__DIR__) . '/target/release/sgsim';
            echo "php-fuzz: $calls calls in $workers workers, seed $seed, extension $ext\n";

            [$sim, $simInfo] = self::startSim($simBin);
            $closed = self::closedPort();
            $started = microtime(true);
            $running = [];
            $perWorker = intdiv($calls + $workers - 1, $workers);
            for ($w = 0; $w < $workers; $w++) {
                $command = [PHP_BINARY, '-d', "extension=$ext", __FILE__, '--worker', '--seed', (string) ($seed + $w),
                    '--calls', (string) $perWorker, '--closed-port', (string) $closed,
                    '--sim', base64_encode((string) json_encode($simInfo))];
                $errors = (string) tempnam(sys_get_temp_dir(), 'php-fuzz-err-');
                $io = [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $errors, 'w']];
                // glibc keeps freed blocks of the largest recent sizes (up to 32 MB) for reuse,
                // which hides a leak behind noise: fixed thresholds return them at once.
                $env = getenv() + ['MALLOC_MMAP_THRESHOLD_' => '131072', 'MALLOC_TRIM_THRESHOLD_' => '131072'];
                $process = proc_open($command, $io, $pipes, null, $env);
                $running[] = [$process, $pipes, $seed + $w, $errors];
            }
            $total = ['calls' => 0, 'throws' => 0, 'crashes' => 0];
            $failed = false;
            foreach ($running as [$process, $pipes, $workerSeed, $errors]) {
                $out = (string) stream_get_contents($pipes[1]);
                $status = proc_close($process);
                $err = (string) file_get_contents($errors);
                @unlink($errors);
                $lines = explode("\n", trim($out));
                $figures = json_decode((string) end($lines), true);
                if ($status !== 0 || !is_array($figures)) {
                    $total['crashes']++;
                    $failed = true;
                    echo "worker seed $workerSeed ended with status $status: " . substr($out . $err, -2000) . "\n";
                    continue;
                }
                $total['calls'] += $figures['calls'];
                $total['throws'] += $figures['throws'];
                [$growth, $phpGrowth] = self::growth($figures['rss_samples'], $figures['php_memory']);
                printf(
                    "worker seed %d: %d calls, %d throws, RSS %.1f MB at start, %.1f MB at end; "
                    . "growth %+.1f MB RSS, %+.2f MB PHP memory%s\n",
                    $workerSeed,
                    $figures['calls'],
                    $figures['throws'],
                    $figures['rss_start'] / 1048576,
                    $figures['rss_end'] / 1048576,
                    $growth / 1048576,
                    $phpGrowth / 1048576,
                    $figures['touched'] > 0 ? ", objects read {$figures['touched']} times" : ''
                );
                $mb = fn (int $b): string => (string) intdiv($b, 1048576);
                echo '  RSS after each tenth (MB): ', implode(' ', array_map($mb, $figures['rss_samples'])), "\n";
                foreach ($figures['examples'] as $example) {
                    echo "  threw $example\n";
                }
                if ($figures['throws'] > 0 || $growth > $maxGrowth || $phpGrowth > 1048576 || $figures['touched'] > 0) {
                    $failed = true;
                }
            }
            $reached = self::simRequests($simInfo);
            self::stop($sim);
            printf(
                "php-fuzz: %d calls, %d throws, %d crashes in %.0f s; sgsim answered %s API requests%s\n",
                $total['calls'],
                $total['throws'],
                $total['crashes'],
                microtime(true) - $started,
                $reached,
                $failed ? ' FAILED' : ''
            );
            return $failed ? 1 : 0;
        }

        /** @return array{0: resource, 1: array<string, mixed>} sgsim over TLS and its first line */
        private static function startSim(string $binary): array
        {
            $out = tempnam(sys_get_temp_dir(), 'sgsim-fuzz-');
            $process = proc_open(
                [$binary, '--listen', '127.0.0.1:0', '--tls'],
                [0 => ['file', '/dev/null', 'r'], 1 => ['file', $out, 'w'], 2 => ['file', '/dev/null', 'w']],
                $pipes
            );
            if (!is_resource($process)) {
                throw new \RuntimeException("cannot start $binary");
            }
            for ($i = 0; $i < 200; $i++) {
                $line = strtok((string) file_get_contents($out), "\n");
                $info = is_string($line) ? json_decode($line, true) : null;
                if (is_array($info) && isset($info['port'], $info['password'])) {
                    @unlink($out);
                    return [$process, $info];
                }
                usleep(25000);
            }
            throw new \RuntimeException("sgsim did not start ($binary)");
        }

        /**
         * Growth of RSS and of PHP's memory from the first half of the run to the second. RSS
         * jumps by tens of MB as the allocators keep freed blocks of the largest values for
         * reuse, so its lowest point per half is compared: a leak raises it, a cache does not.
         *
         * @param list<int> $rss
         * @param list<int> $php
         * @return array{0: int, 1: int}
         */
        private static function growth(array $rss, array $php): array
        {
            if (count($rss) < 4) {
                return [0, 0];
            }
            $half = intdiv(count($rss), 2);
            $early = array_slice($rss, 1, $half - 1);
            $late = array_slice($rss, $half);
            return [min($late) - min($early), end($php) - $php[1]];
        }

        /** How many API requests the simulator saw (its /_sim/stats), or "?" when unknown. */
        private static function simRequests(array $info): string
        {
            $context = stream_context_create([
                'http' => [
                    'header' => 'Authorization: Basic ' . base64_encode("{$info['user']}:{$info['password']}"),
                    'timeout' => 5,
                    'ignore_errors' => true,
                ],
                'ssl' => ['verify_peer' => false, 'verify_peer_name' => false,
                    'peer_fingerprint' => ['sha256' => (string) $info['sha256']]],
            ]);
            $stats = json_decode((string) @file_get_contents("{$info['url']}/_sim/stats", false, $context), true);
            return is_array($stats) && isset($stats['total']) ? (string) $stats['total'] : '?';
        }

        /** A loopback port nothing listens on: bound, then closed. */
        private static function closedPort(): int
        {
            $server = stream_socket_server('tcp://127.0.0.1:0');
            $name = $server === false ? '127.0.0.1:9' : (string) stream_socket_get_name($server, false);
            if ($server !== false) {
                fclose($server);
            }
            return (int) substr($name, (int) strrpos($name, ':') + 1);
        }

        /** @param resource $process */
        private static function stop($process): void
        {
            proc_terminate($process);
            proc_close($process);
        }
    }
}

namespace {
    $options = fuzzOptions($argv);
    exit(isset($options['worker']) ? SgWhmcs\Fuzz\Worker::run($options) : SgWhmcs\Fuzz\Driver::run($options));
}
