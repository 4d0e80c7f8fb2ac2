<?php

/**
 * Splits the PHPUnit group GROUP (`glue`: the suite that drives the extension's glue, see
 * tests/Hardening/GlueTest.php) into N shard configurations for tools/valgrind.sh, so memcheck
 * (a single-threaded 15× slowdown) uses every core of the machine.
 *
 *   php tools/valgrind-shards.php CONFIG SHARDS OUTDIR GROUP
 *
 * Writes OUTDIR/shard-1.xml … shard-N.xml: each is CONFIG with its own <testsuites>, listing the
 * test files that name `@group GROUP`, and <groups> including GROUP only (so a file's tests
 * outside the group do not run). Files are dealt out greedily by size (the heaviest first to the
 * lightest shard), then each shard keeps the config's own order. Prints the shard files, one a
 * line.
 */

declare(strict_types=1);

[$self, $config, $shards, $outDir, $group] = array_pad($argv, 5, '');
$shards = (int) $shards;
if (!is_file($config) || $shards < 1 || !is_dir($outDir) || preg_match('/^[\w-]+$/', $group) !== 1) {
    fwrite(STDERR, "usage: php $self CONFIG SHARDS OUTDIR GROUP\n");
    exit(2);
}
$root = dirname(realpath($config));
$xml = simplexml_load_file($config);
if ($xml === false || !isset($xml->testsuites)) {
    fwrite(STDERR, "$config: no <testsuites>\n");
    exit(2);
}

/** @var list<array{file: string, order: int}> $dealt every test file to run */
$dealt = [];
$order = 0;
foreach ($xml->testsuites->testsuite as $suite) {
    foreach ($suite->directory as $dir) {
        $files = glob($root . '/' . trim((string) $dir) . '/*Test.php') ?: [];
        sort($files);
        foreach ($files as $file) {
            if (preg_match('/@group ' . $group . '\b/', (string) file_get_contents($file)) === 1) {
                $dealt[] = ['file' => $file, 'order' => $order++];
            }
        }
    }
}

$byWeight = $dealt;
usort($byWeight, static fn ($a, $b) => filesize($b['file']) <=> filesize($a['file']) ?: $a['order'] <=> $b['order']);
$load = array_fill(0, $shards, 0);
$members = array_fill(0, $shards, []);
foreach ($byWeight as $entry) {
    $lightest = array_search(min($load), $load, true);
    $load[$lightest] += filesize($entry['file']);
    $members[$lightest][] = $entry;
}

for ($k = 0; $k < $shards; $k++) {
    usort($members[$k], static fn ($a, $b) => $a['order'] <=> $b['order']);
    $shard = simplexml_load_file($config);
    unset($shard->testsuites);
    unset($shard->groups);
    $shard->addChild('groups')->addChild('include')->addChild('group', $group);
    $suites = $shard->addChild('testsuites');
    $suite = $suites->addChild('testsuite');
    $suite->addAttribute('name', 'shard-' . ($k + 1));
    foreach (array_column($members[$k], 'file') as $file) {
        $suite->addChild('file', $file);
    }
    // Relative paths in the config (bootstrap) stay relative to the repository root.
    $shard['bootstrap'] = $root . '/' . (string) $xml['bootstrap'];
    $path = sprintf('%s/shard-%d.xml', $outDir, $k + 1);
    $shard->asXML($path);
    echo $path, "\n";
}
