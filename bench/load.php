<?php

/**
 * The extension's load cost (bench/fpm.sh runs it; not a test): `php -n -r ;` against
 * `php -n -d extension=EXT -r ;`, alternating one run of each so that a busy machine's drift hits
 * both alike; the medians of wall time and of CPU time (user + system, from getrusage of the
 * children) count. Also the extra peak resident memory (VmHWM) of a PHP that loaded it.
 *
 *   php bench/load.php EXT [RUNS]
 */

// phpcs:disable PSR1.Files.SideEffects

declare(strict_types=1);

$ext = $argv[1] ?? '';
$runs = (int)($argv[2] ?? 200);
if (!is_file($ext)) {
    fwrite(STDERR, "usage: php bench/load.php EXT [RUNS]\n");
    exit(2);
}

/** Children's CPU seconds so far (user + system). */
function childCpu(): float
{
    $u = getrusage(1);
    return $u['ru_utime.tv_sec'] + $u['ru_utime.tv_usec'] / 1e6 + $u['ru_stime.tv_sec'] + $u['ru_stime.tv_usec'] / 1e6;
}

/** Runs PHP with $args once: [wall seconds, CPU seconds, its output]. */
function runPhp(array $args): array
{
    $cpu = childCpu();
    $t = hrtime(true);
    $proc = proc_open(array_merge([PHP_BINARY, '-n'], $args), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    $status = proc_close($proc);
    if ($status !== 0) {
        fwrite(STDERR, "php failed: $out\n");
        exit(1);
    }
    return [(hrtime(true) - $t) / 1e9, childCpu() - $cpu, $out];
}

function median(array $values): float
{
    sort($values);
    return (float)$values[intdiv(count($values), 2)];
}

$bare = ['-r', ';'];
$loaded = ['-d', "extension=$ext", '-r', ';'];
$wall = [[], []];
$cpu = [[], []];
for ($i = -10; $i < $runs; $i++) {
    foreach ([$bare, $loaded] as $k => $args) {
        [$w, $c] = runPhp($args);
        if ($i >= 0) { // the first 10 of each warm the page cache
            $wall[$k][] = $w;
            $cpu[$k][] = $c;
        }
    }
}
$peak = '$m = []; preg_match("/VmHWM:\s+(\d+)/", file_get_contents("/proc/self/status"), $m); echo $m[1];';
$peakBare = (int)runPhp(['-r', $peak])[2];
$peakLoaded = (int)runPhp(['-d', "extension=$ext", '-r', $peak])[2];
printf(
    "load: php -n -r ; %.2f ms (CPU %.2f ms), with -d extension=sgwhmcs %.2f ms (CPU %.2f ms): "
    . "%.3f× wall, %.3f× CPU (medians of %d alternating runs); peak RSS +%d KiB (%d -> %d KiB)\n",
    median($wall[0]) * 1000,
    median($cpu[0]) * 1000,
    median($wall[1]) * 1000,
    median($cpu[1]) * 1000,
    median($wall[1]) / median($wall[0]),
    median($cpu[1]) / median($cpu[0]),
    $runs,
    $peakLoaded - $peakBare,
    $peakBare,
    $peakLoaded
);
