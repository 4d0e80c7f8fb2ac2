<?php

/**
 * Splits the default PHPUnit run into N shard configurations for tools/valgrind.sh, so memcheck
 * (a single-threaded 15× slowdown) uses every core of the machine.
 *
 *   php tools/valgrind-shards.php CONFIG SHARDS OUTDIR
 *
 * Writes OUTDIR/shard-1.xml … shard-N.xml: each is CONFIG with its own <testsuites>, listing
 * test files. Files are dealt out greedily by size (the heaviest first to the lightest shard), then
 * each shard keeps the config's own order, so suites that inspect what earlier ones left (Secrets
 * runs last) still run last. The `secrets` suite goes to every shard: it checks the logs and
 * answers of the tests run in its own process. Prints the shard files, one a line.
 */

declare(strict_types=1);

[$self, $config, $shards, $outDir] = array_pad($argv, 4, '');
$shards = (int) $shards;
if (!is_file($config) || $shards < 1 || !is_dir($outDir)) {
    fwrite(STDERR, "usage: php $self CONFIG SHARDS OUTDIR\n");
    exit(2);
}
$root = dirname(realpath($config));
$xml = simplexml_load_file($config);
if ($xml === false || !isset($xml->testsuites)) {
    fwrite(STDERR, "$config: no <testsuites>\n");
    exit(2);
}

/** @var list<array{file: string, order: int}> $dealt every test file but the secrets suite's */
$dealt = [];
/** @var list<string> $everywhere the secrets suite's files, for every shard */
$everywhere = [];
$order = 0;
foreach ($xml->testsuites->testsuite as $suite) {
    foreach ($suite->directory as $dir) {
        $files = glob($root . '/' . trim((string) $dir) . '/*Test.php') ?: [];
        sort($files);
        foreach ($files as $file) {
            if ((string) $suite['name'] === 'secrets') {
                $everywhere[] = $file;
            } else {
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
    $suites = $shard->addChild('testsuites');
    $suite = $suites->addChild('testsuite');
    $suite->addAttribute('name', 'shard-' . ($k + 1));
    foreach (array_merge(array_column($members[$k], 'file'), $everywhere) as $file) {
        $suite->addChild('file', $file);
    }
    // Relative paths in the config (bootstrap) stay relative to the repository root.
    $shard['bootstrap'] = $root . '/' . (string) $xml['bootstrap'];
    $path = sprintf('%s/shard-%d.xml', $outDir, $k + 1);
    $shard->asXML($path);
    echo $path, "\n";
}
