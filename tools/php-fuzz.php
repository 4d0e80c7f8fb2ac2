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
 *                          [--trace FILE] [--inject-leak native|php] [--self-test-leak]
 *
 * Runs W worker processes (each `php -d extension=$SGWHMCS_EXT`, default
 * target/release/libsgwhmcs.so) of N/W calls each, worker w with seed S+w, so that a crash (a
 * signal) is counted instead of ending the run. Prints calls, throws (with the call), crashes,
 * the API requests sgsim answered, and each worker's RSS after each twentieth of its calls; exits
 * non-zero on any throw, crash, object read, or persistent memory growth. A failing worker's line
 * ends with the one command that replays it (`--workers 1 --seed` its seed): the inputs of every
 * call come from the worker's seed alone (the host stand-ins draw from a stream of their own), so
 * the replay makes the same calls; `--trace FILE` writes one line per call (written before the
 * call, so a crash leaves its call last) with the large inputs it got and the RSS it left.
 * SGSIM_BIN names the simulator (default target/release/sgsim). Defaults: 200000 calls, 2
 * workers, seed from the clock (printed).
 *
 * The memory check judges growth that persists, a leak, not memory kept once for reuse:
 *
 * - What the step was (RSS rising once by 5-16 MB, then flat, which failed the old half-to-half
 *   check by chance): an input that is an array shared many times (10^4 to 10^7 leaves through
 *   10 shared members per level) makes the extension read up to its 100,000-value bound, about
 *   16 MB in small Rust allocations. They come from glibc's heap below its 128 kB mmap threshold
 *   and are all freed when the call ends, but glibc returns heap memory to the system only from
 *   the top, and blocks still in use above them keep the freed pages resident; the next such
 *   input reuses them, hence one step, then flat. A large string (up to 17 MB) leaves its size
 *   held the same way. `--trace` shows it per call: such a call leaves 5-16 MB held and under
 *   100 kB live. (A self-referencing array holding such a string stays until PHP's cycle
 *   collector runs, which it does before every sample.)
 * - So each sample is live RSS: PHP's memory manager and glibc first give back the memory they
 *   keep free (gc_mem_caches(), malloc_trim(0) through FFI), then VmRSS is read. Both are
 *   printed, "held" before that, "live" after.
 * - Growth is the rise of the live level (at each sample, the lowest sample from there on, so a
 *   peak given back later is no rise) from the end of the first tenth (the warm-up, in which
 *   caches fill) to the lowest of the last three, less the largest rise between two neighbouring
 *   levels: a leak rises in every interval and nearly all of it counts, a one-time step (a
 *   scrubber entry, a pooled agent, a kept buffer) is one interval's rise and does not. The limit
 *   is M MB for RSS, 1 MB for PHP's own memory (memory_get_usage, same rule).
 * - `--self-test-leak` proves the check fails on a leak: with `--inject-leak native` (8 kB per
 *   call kept in C memory, as a leaking extension would) every worker must fail the RSS check,
 *   with `--inject-leak php` (8 kB per call in PHP's memory) the PHP memory check; exit 0 only
 *   then. 4000 calls by default: 2000 per worker leak 16 MB, ~14 MB of it after the first tenth.
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
            return \SgWhmcs\Fuzz\Gen::int(0, 3) === 0 ? \fuzzHostAnswer() : \SgWhmcs\Fuzz\Gen::int(1, 1000);
        }

        public function __call(string $name, array $args): mixed
        {
            \fuzzMaybeThrow($name);
            return \SgWhmcs\Fuzz\Gen::int(0, 1) === 0 ? $this : \fuzzHostAnswer();
        }
    }
}

namespace {

    use SgWhmcs\Fuzz\Gen;

    /** Throws now and then, as a host function of a WHMCS whose database fails. */
    function fuzzMaybeThrow(string $where): void
    {
        if (Gen::int(0, 9) === 0) {
            throw Gen::int(0, 1) === 0
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
        return match (Gen::int(0, 3)) {
            0 => ['result' => 'success', 'orders' => ['order' => [['userid' => Gen::int(1, 9)]]],
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

    /**
     * Whether the C library's free memory can be handed back before RSS is read: glibc's
     * malloc_trim(0) through FFI (CLI allows FFI by default; without it RSS is read as held).
     */
    function fuzzTrim(): bool
    {
        static $libc = null;
        if ($libc === null) {
            try {
                $libc = class_exists(\FFI::class) ? \FFI::cdef('int malloc_trim(size_t pad);', 'libc.so.6') : false;
            } catch (\Throwable $e) {
                $libc = false;
            }
        }
        if ($libc !== false) {
            $libc->malloc_trim(0);
        }
        return $libc !== false;
    }

    /**
     * RSS of the memory in use: garbage cycles are collected (the fuzz's own self-referencing
     * arrays), PHP's memory manager and glibc's malloc give back the free memory they keep for
     * reuse (cached chunks; free pages inside the heap, which a block still in use above them
     * keeps from being trimmed), then VmRSS is read.
     */
    function fuzzLiveRss(): int
    {
        gc_collect_cycles();
        gc_mem_caches();
        fuzzTrim();
        return fuzzRss();
    }

}

namespace SgWhmcs\Fuzz {

    /** Random values of every kind PHP can pass. */
    final class Gen
    {
        /** @var array<mixed> arrays kept to be shared by later values */
        public static array $shared = [];

        /**
         * The random source of what is generated: the inputs' own stream while arguments are made,
         * the host stand-ins' stream during an extension call. The inputs of call I are thus a
         * function of the worker's seed alone, however many host calls the extension made before
         * (which depends on the simulator's state and the other worker), so a seed replays exactly.
         */
        public static \Random\Randomizer $rng;

        /** @var list<string> the large inputs made for the call being prepared (for --trace) */
        public static array $large = [];

        public static function int(int $min, int $max): int
        {
            return self::$rng->getInt($min, $max);
        }

        /** BYTES, noted as the length of a large string made for the call being prepared. */
        private static function large(int $bytes): int
        {
            self::$large[] = sprintf('string of %.1f MB', $bytes / 1048576);
            return $bytes;
        }

        /** The connection fields of a product: SIM (info array) or a closed port. */
        public static ?array $sim = null;
        public static int $closedPort = 9;

        public static function bytes(int $max): string
        {
            $length = Gen::int(0, $max);
            return match (Gen::int(0, 4)) {
                0 => ($length === 0 ? '' : self::$rng->getBytes($length)),
                1 => str_repeat("\xFC", $length),
                2 => substr(str_repeat("M\xFCller Gr\xF6\xDFe \x80\x81\x9D ", 8), 0, $length),
                3 => substr(str_repeat("Ünïcødé ✓ ", 8), 0, $length),
                default => substr(self::$rng->shuffleBytes(str_repeat('abcXYZ019 .-_@', 4)), 0, $length),
            };
        }

        public static function key(): int|string
        {
            return match (Gen::int(0, 5)) {
                0 => Gen::int(-5, 50),
                1 => PHP_INT_MAX - Gen::int(0, 3),
                2 => self::bytes(12),
                3 => "Speichergr\xF6\xDFe",
                4 => (string) Gen::int(0, 9),
                default => ['password', 'serverpassword', 'configoption5', 'clientsdetails', 'model',
                    'username', 'serviceid', 'companyname', 'loginPassword', 'relid', 'messagename'][Gen::int(0, 10)],
            };
        }

        public static function scalar(): mixed
        {
            return match (Gen::int(0, 9)) {
                0 => null,
                1 => (bool) Gen::int(0, 1),
                2 => Gen::int(PHP_INT_MIN, PHP_INT_MAX),
                3 => [NAN, INF, -INF, 0.1, -0.0, 1e308][Gen::int(0, 5)],
                4 => Gen::int(0, 3000) === 0
                    ? str_repeat("\xE9", self::large(Gen::int(1, 2 * 1024 * 1024)))
                    : self::bytes(8),
                5 => self::object(),
                6 => (string) Gen::int(0, 99999),
                default => self::bytes(30),
            };
        }

        public static function object(): mixed
        {
            return match (Gen::int(0, 5)) {
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
            if ($depth <= 0 || Gen::int(0, 2) === 0) {
                return self::scalar();
            }
            if (self::$shared !== [] && Gen::int(0, 5) === 0) {
                return self::$shared[self::$rng->pickArrayKeys(self::$shared, 1)[0]];
            }
            $out = [];
            $count = Gen::int(0, 6) === 0 ? Gen::int(0, 300) : Gen::int(0, 6);
            for ($i = 0; $i < $count; $i++) {
                if (Gen::int(0, 2) === 0) {
                    $out[] = self::value($depth - 1);
                } else {
                    $out[self::key()] = self::value($depth - 1);
                }
            }
            if (Gen::int(0, 10) === 0) {
                self::$shared[Gen::int(0, 15)] = $out;
            }
            return $out;
        }

        /** Arrays shared many times: 10^LEVELS leaves (past the bounds from 6 levels on). */
        public static function bomb(int $levels): array
        {
            self::$large[] = "shared array of 10^$levels leaves";
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
                'email' => Gen::int(0, 3) === 0 ? self::bytes(15) : 'fuzz' . Gen::int(0, 99999) . '@example.test',
                'address1' => self::bytes(20), 'city' => 'Springfield', 'country' => 'DE',
                'password' => self::bytes(12),
            ];
        }

        /** The module settings: plausible ones pointed at the simulator or a closed port, or noise. */
        public static function settings(): array
        {
            $sim = self::$sim !== null && Gen::int(0, 2) === 0 ? self::$sim : null;
            $valid = [
                1 => $sim === null ? (Gen::int(0, 1) === 0 ? 'http' : 'https') : 'https',
                2 => '127.0.0.1',
                3 => (string) ($sim['port'] ?? self::$closedPort),
                4 => $sim['user'] ?? 'admin',
                5 => $sim['password'] ?? self::bytes(10),
                6 => Gen::int(0, 1) === 0 ? 'Signup Customer' : 'Signup Reseller',
                7 => '', 8 => 'on', 9 => '', 10 => '10737418240', 11 => '', 12 => '', 13 => '',
                14 => 'on', 15 => '', 16 => 'Global Configuration', 17 => '', 18 => '', 19 => '', 20 => '',
                21 => '', 22 => '', 23 => (string) Gen::int(0, 1) === '1' ? 'on' : '',
                24 => $sim['sha256'] ?? '',
            ];
            $out = [];
            foreach ($valid as $n => $value) {
                $out["configoption$n"] = Gen::int(0, 40) === 0 ? self::scalar() : $value;
            }
            return $out;
        }

        /** @return array<mixed> $params of a module call */
        public static function params(): array
        {
            if (Gen::int(0, 20) === 0) {
                return (array) self::value(4);
            }
            $params = self::settings() + [
                'serviceid' => Gen::int(1, 99999), 'userid' => Gen::int(1, 99), 'pid' => 3, 'serverid' => 0,
                'username' => Gen::int(0, 2) === 0 ? '' : 'fz' . Gen::int(0, 999999),
                'password' => self::bytes(14), 'domain' => '', 'server' => (bool) Gen::int(0, 1),
                'serverhostname' => Gen::int(0, 3) === 0 ? '127.0.0.1' : '', 'serverip' => '',
                'serverusername' => 'admin', 'serverpassword' => self::bytes(8), 'serveraccesshash' => '',
                'serversecure' => (bool) Gen::int(0, 1), 'serverport' => self::$closedPort,
                'clientsdetails' => self::client(), 'configoptions' => (array) self::value(2),
                'customfields' => (array) self::value(2), 'model' => self::object(),
            ];
            self::mutate($params, Gen::int(0, 6));
            return $params;
        }

        /** @return array<mixed> $vars of a ClientAdd, AcceptOrder or EmailPreSend hook */
        public static function vars(): array
        {
            $vars = match (Gen::int(0, 2)) {
                0 => ['client_id' => Gen::int(1, 99), 'userid' => Gen::int(1, 99)] + self::client(),
                1 => ['orderid' => Gen::int(1, 99), 'ordernumber' => (string) Gen::int(0, 2147483647)],
                default => ['messagename' => Gen::int(0, 1) === 0 ? 'Hosting Account Welcome Email' : self::bytes(10),
                    'relid' => Gen::int(0, 5) === 0 ? self::scalar() : Gen::int(1, 99)],
            };
            self::mutate($vars, Gen::int(0, 5));
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
            self::mutate($config, Gen::int(0, 3));
            return $config;
        }

        /** Replaces, adds or shares N members of ARRAY at random. */
        private static function mutate(array &$array, int $n): void
        {
            for ($i = 0; $i < $n; $i++) {
                $key = Gen::int(0, 1) === 0 && $array !== [] ? self::$rng->pickArrayKeys($array, 1)[0] : self::key();
                $array[$key] = match (Gen::int(0, 400)) {
                    0 => self::bomb(Gen::int(3, 7)),
                    1 => str_repeat('x', self::large(Gen::int(1, 17) * 1024 * 1024)),
                    default => self::value(Gen::int(0, 4)),
                };
            }
            if (Gen::int(0, 60) === 0) {
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
        /** How many times RSS and PHP's memory are sampled in a run (after each twentieth). */
        public const SAMPLES = 20;

        /** What --inject-leak keeps per call: 16 MB in 2000 calls, four times the RSS limit. */
        public const LEAK_BYTES = 8192;

        /** @var list<mixed> what --inject-leak keeps: never freed, as a leaking extension would */
        private static array $leaked = [];

        /** @param array<string, string> $options */
        public static function run(array $options): int
        {
            $seed = (int) ($options['seed'] ?? 1);
            $inputs = new \Random\Randomizer(new \Random\Engine\Mt19937($seed));
            $host = new \Random\Randomizer(new \Random\Engine\Mt19937($seed ^ 0x5eed));
            Gen::$rng = $inputs;
            $calls = (int) ($options['calls'] ?? 1000);
            Gen::$sim = isset($options['sim']) ? json_decode(base64_decode($options['sim']), true) : null;
            Gen::$closedPort = (int) ($options['closed-port'] ?? 9);
            $leak = $options['inject-leak'] ?? '';
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
            $trace = isset($options['trace']) ? fopen($options['trace'], 'w') : false;

            $functions = array_keys(\SgWhmcs\module_functions());
            $rssStart = fuzzRss();
            $throws = 0;
            $examples = [];
            $touchedAt = null;
            // Sampled after each twentieth of the calls: live RSS (what is in use once the
            // allocators gave back what they keep free), RSS as held, and PHP's own memory.
            $live = [];
            $held = [];
            $phpMemory = [];
            $step = max(1, intdiv($calls, self::SAMPLES));
            $profile = isset($options['profile']);
            $spent = [];
            for ($i = 0; $i < $calls; $i++) {
                if ($i === $step * (count($live) + 1)) {
                    Gen::$shared = [];
                    gc_collect_cycles();
                    $held[] = fuzzRss();
                    $live[] = fuzzLiveRss();
                    $phpMemory[] = memory_get_usage();
                }
                if ($i % 64 === 0) {
                    Gen::$shared = [];
                }
                // Arguments are made first: only what the extension's functions throw counts.
                Gen::$large = [];
                $before = $trace !== false ? fuzzLiveRss() : 0;
                try {
                    $pick = Gen::int(0, 9);
                    $function = Gen::int(0, 50) === 0 ? Gen::bytes(40) : $functions[Gen::int(0, count($functions) - 1)];
                    $module = Gen::int(0, 20) === 0 ? Gen::bytes(10) : 'fuzz';
                    $kind = ['reseller', 'customer', 'Customer', 'admin', '', 'RESELLER', "\xE4"][Gen::int(0, 6)];
                    [$first, $second] = match (true) {
                        $pick < 7 => [Gen::params(), []],
                        $pick < 9 => [Gen::vars(), Gen::config()],
                        $i % 4 === 2 => [Gen::params(), []],
                        default => [Gen::vars(), []],
                    };
                    $what = ['metrics', 'usage', 'tenant', 'x' . Gen::bytes(8)][Gen::int(0, 3)];
                    $tenant = Gen::int(0, 1) === 0 ? 'acme' : 'x' . Gen::bytes(20);
                } catch (\Throwable $e) {
                    $i--;
                    continue;
                }
                $entry = match (true) {
                    $pick < 7 => 'module_call ' . json_encode($function, JSON_INVALID_UTF8_SUBSTITUTE),
                    $pick < 9 => 'hook_signup',
                    default => ['email_merge_fields', 'contact_sync', 'metric_call', 'hook_usage_update'][$i % 4],
                };
                if ($trace !== false) {
                    // Written before the call, so that after a crash the last line names it.
                    $large = Gen::$large === [] ? '' : ' with ' . implode(', ', Gen::$large);
                    fwrite($trace, "call $i $entry$large");
                }
                $t0 = hrtime(true);
                Gen::$rng = $host;
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
                        $message = substr($e->getMessage(), 0, 200);
                        $examples[] = "call $i ($entry) threw " . get_class($e) . ": $message";
                    }
                }
                Gen::$rng = $inputs;
                if (LazyModel::$touched > 0 && $touchedAt === null) {
                    $touchedAt = "call $i ($entry)";
                }
                if ($leak !== '') {
                    self::leak($leak);
                }
                unset($first, $second);
                if ($trace !== false) {
                    $kept = fuzzRss() - $before;
                    $after = fuzzLiveRss();
                    $line = ": RSS after it %+d kB held, %+d kB live (%d kB)\n";
                    fwrite($trace, sprintf($line, $kept >> 10, ($after - $before) >> 10, $after >> 10));
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
            $held[] = fuzzRss();
            $live[] = fuzzLiveRss();
            $phpMemory[] = memory_get_usage();
            echo json_encode([
                'calls' => $calls, 'throws' => $throws, 'examples' => $examples, 'step' => $step,
                'rss_start' => $rssStart, 'touched' => LazyModel::$touched, 'touched_at' => $touchedAt,
                'live' => $live, 'held' => $held, 'php_memory' => $phpMemory, 'trimmed' => fuzzTrim(),
            ], JSON_INVALID_UTF8_SUBSTITUTE), "\n";
            @rmdir("$root/admin");
            @rmdir($root);
            return 0;
        }

        /**
         * --inject-leak: keeps LEAK_BYTES per call, never freed, to prove the memory check fails on
         * a leak. `native` allocates them with the C library's malloc (as a leaking extension
         * would: seen by RSS only), `php` in PHP's own memory (seen by both checks).
         */
        private static function leak(string $kind): void
        {
            if ($kind === 'native') {
                $block = \FFI::new('char[' . self::LEAK_BYTES . ']', false, true);
                \FFI::memset($block, 0x6c, self::LEAK_BYTES);
                self::$leaked[] = $block;
            } else {
                self::$leaked[] = str_repeat('l', self::LEAK_BYTES) . count(self::$leaked);
            }
        }
    }

    /** Starts the simulator and the workers, adds up their figures, judges the run. */
    final class Driver
    {
        /** @param array<string, string> $options */
        public static function run(array $options): int
        {
            if (isset($options['self-test-leak'])) {
                return self::selfTestLeak($options);
            }
            return self::fuzz($options) === [] ? 0 : 1;
        }

        /**
         * --self-test-leak: runs the fuzz twice with a leak injected in every worker (8 kB per
         * call, kept in C memory, then in PHP's) and passes only when the memory check fails each
         * run for that leak and for nothing else.
         *
         * @param array<string, string> $options
         */
        private static function selfTestLeak(array $options): int
        {
            $options['calls'] ??= '4000';
            $workers = max(1, (int) ($options['workers'] ?? 2));
            $ok = true;
            // A leak in PHP's memory raises RSS as well; one in C memory only RSS.
            foreach (['native' => ['RSS'], 'php' => ['PHP memory', 'RSS']] as $kind => $allowed) {
                $size = Worker::LEAK_BYTES >> 10;
                echo "php-fuzz self-test: a $kind leak of $size kB per call must fail the {$allowed[0]} check\n";
                $failures = self::fuzz(['inject-leak' => $kind] + $options);
                $caught = count(array_keys($failures, $allowed[0], true)) === $workers
                    && array_diff($failures, $allowed) === [];
                echo "php-fuzz self-test: $kind leak " . ($caught ? 'caught' : 'NOT caught') . ' (failed: '
                    . ($failures === [] ? 'nothing' : implode(', ', $failures)) . ")\n";
                $ok = $ok && $caught;
            }
            return $ok ? 0 : 1;
        }

        /**
         * One fuzz run.
         *
         * @param array<string, string> $options
         * @return list<string> what failed: "RSS", "PHP memory", "throws", "objects read", "crash"
         */
        private static function fuzz(array $options): array
        {
            $calls = (int) ($options['calls'] ?? 200000);
            $workers = max(1, (int) ($options['workers'] ?? 2));
            $seed = (int) ($options['seed'] ?? random_int(1, PHP_INT_MAX >> 8));
            $maxGrowth = (float) ($options['max-growth-mb'] ?? 4) * 1048576;
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
                foreach (['inject-leak', 'trace'] as $passed) {
                    if (isset($options[$passed])) {
                        $value = $passed === 'trace' ? $options[$passed] . '.' . ($seed + $w) : $options[$passed];
                        array_push($command, "--$passed", $value);
                    }
                }
                $errors = (string) tempnam(sys_get_temp_dir(), 'php-fuzz-err-');
                $io = [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $errors, 'w']];
                // glibc keeps freed blocks of the largest recent sizes (up to 32 MB) for reuse,
                // which hides a leak behind noise: fixed thresholds return them at once.
                $env = getenv() + ['MALLOC_MMAP_THRESHOLD_' => '131072', 'MALLOC_TRIM_THRESHOLD_' => '131072'];
                $process = proc_open($command, $io, $pipes, null, $env);
                $running[] = [$process, $pipes, $seed + $w, $errors];
            }
            $total = ['calls' => 0, 'throws' => 0, 'crashes' => 0];
            $failures = [];
            foreach ($running as [$process, $pipes, $workerSeed, $errors]) {
                $out = (string) stream_get_contents($pipes[1]);
                $status = proc_close($process);
                $err = (string) file_get_contents($errors);
                @unlink($errors);
                $lines = explode("\n", trim($out));
                $figures = json_decode((string) end($lines), true);
                $replay = sprintf(
                    '  replay this worker: SGSIM_BIN=%s SGWHMCS_EXT=%s %s %s --workers 1 --calls %d --seed %d%s'
                    . " --trace /tmp/php-fuzz (per-call log with RSS in /tmp/php-fuzz.%d)\n",
                    escapeshellarg($simBin),
                    escapeshellarg($ext),
                    PHP_BINARY,
                    escapeshellarg(__FILE__),
                    $perWorker,
                    $workerSeed,
                    isset($options['inject-leak']) ? " --inject-leak {$options['inject-leak']}" : '',
                    $workerSeed
                );
                if ($status !== 0 || !is_array($figures)) {
                    $total['crashes']++;
                    $failures[] = 'crash';
                    echo "worker seed $workerSeed ended with status $status: " . substr($out . $err, -2000) . "\n";
                    echo $replay;
                    continue;
                }
                $total['calls'] += $figures['calls'];
                $total['throws'] += $figures['throws'];
                $step = $figures['step'];
                [$growth, $at] = self::persistentGrowth($figures['live']);
                [$phpGrowth, $phpAt] = self::persistentGrowth($figures['php_memory']);
                printf(
                    "worker seed %d: %d calls, %d throws, RSS %.1f MB at start, %.1f MB live at end (%.1f MB held); "
                    . "persistent growth %+.2f MB RSS, %+.2f MB PHP memory%s\n",
                    $workerSeed,
                    $figures['calls'],
                    $figures['throws'],
                    $figures['rss_start'] / 1048576,
                    end($figures['live']) / 1048576,
                    end($figures['held']) / 1048576,
                    $growth / 1048576,
                    $phpGrowth / 1048576,
                    $figures['touched'] > 0
                        ? ", objects read {$figures['touched']} times, first in {$figures['touched_at']}"
                        : ''
                );
                $mb = fn (int $b): string => sprintf('%.1f', $b / 1048576);
                echo '  RSS (MB) after each twentieth, live', $figures['trimmed'] ? '' : ' (no FFI: as held)', ': ',
                    implode(' ', array_map($mb, $figures['live'])), "\n";
                echo '  RSS (MB) after each twentieth, held: ', implode(' ', array_map($mb, $figures['held'])), "\n";
                foreach ($figures['examples'] as $example) {
                    echo "  $example\n";
                }
                $failed = [];
                if ($figures['throws'] > 0) {
                    $failed[] = 'throws';
                }
                if ($figures['touched'] > 0) {
                    $failed[] = 'objects read';
                }
                $checks = [['RSS', $growth, $at, $maxGrowth], ['PHP memory', $phpGrowth, $phpAt, 1048576]];
                foreach ($checks as [$check, $grew, $steps, $limit]) {
                    if ($grew > $limit) {
                        $failed[] = $check;
                        printf(
                            "  %s grew %+.2f MB after the first tenth, over its %.0f MB limit, rising in %d of %d"
                            . " intervals (calls %s)\n",
                            $check,
                            $grew / 1048576,
                            $limit / 1048576,
                            count($steps),
                            count($figures['live']) - 2,
                            self::intervals($steps, $step)
                        );
                    }
                }
                if ($failed !== []) {
                    echo "  worker seed $workerSeed FAILED: " . implode(', ', $failed) . "\n", $replay;
                    array_push($failures, ...$failed);
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
                $failures !== [] ? ' FAILED' : ''
            );
            return $failures;
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
         * Growth that persists, from SAMPLES taken after each twentieth of a worker's calls (the
         * last one at the end): the rise of the persisting level (at each sample, the lowest
         * sample from there to the end) from the sample after the first tenth (the warm-up, in
         * which caches fill) to the end (the lowest of the last three), less the largest rise
         * between two neighbouring levels. A leak raises every interval, so nearly all of it
         * counts; a one-time step (a buffer or cache kept once and reused, as after the first huge
         * input) is one interval's rise, and is not counted; a peak that is given back again is no
         * rise at all.
         *
         * @param list<int> $samples
         * @return array{0: int, 1: list<int>} the growth, and the intervals (their index) that rose
         */
        private static function persistentGrowth(array $samples): array
        {
            if (count($samples) < 5) {
                return [0, []];
            }
            // From the end of the warm-up; the run's end is the lowest of the last three samples.
            $window = array_slice($samples, 1, -3);
            $window[] = min(array_slice($samples, -3));
            // The level that persists from each sample on: the lowest sample from there to the
            // end. A transient peak (memory held while one sample was taken, given back later)
            // is no rise at all, so it can neither count as growth nor, as the largest rise,
            // hide a leak; the levels never fall, so the growth is never below 0.
            $levels = $window;
            for ($i = count($levels) - 2; $i >= 0; $i--) {
                $levels[$i] = min($levels[$i], $levels[$i + 1]);
            }
            $rises = [];
            for ($i = 1; $i < count($levels); $i++) {
                $rises[$i] = $levels[$i] - $levels[$i - 1];
            }
            $rose = array_keys(array_filter($rises, fn (int $r): bool => $r > 65536));
            $growth = $levels[count($levels) - 1] - $levels[0] - max($rises);
            return [$growth, $rose];
        }

        /** The calls between the samples of INTERVALS (indexes into the window after the first tenth). */
        private static function intervals(array $intervals, int $step): string
        {
            $ranges = array_map(fn (int $i): string => ($step * ($i + 1)) . '-' . ($step * ($i + 2) - 1), $intervals);
            return implode(', ', array_slice($ranges, 0, 6)) . (count($ranges) > 6 ? ', …' : '');
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
