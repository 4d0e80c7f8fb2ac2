<?php

/**
 * The extension's INI directives (docs/extension-api.md): `php --ri sgwhmcs` and phpinfo() show
 * each with its local and master value, as other extensions do; the defaults are 5 and 30
 * seconds; `sgwhmcs.ca_file` is PHP_INI_SYSTEM, so PHP code cannot change what TLS trusts.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Module;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;

/** @group glue */
final class IniDirectivesTest extends TestCase
{
    public function testIniSetCannotChangeTheCaFile(): void
    {
        $before = ini_get('sgwhmcs.ca_file');
        self::assertNotFalse($before, 'the extension declares sgwhmcs.ca_file');

        $changed = ini_set('sgwhmcs.ca_file', '/tmp/attacker-ca.pem');

        self::assertFalse($changed, 'ini_set is refused');
        self::assertSame($before, ini_get('sgwhmcs.ca_file'));
    }

    public function testIniSetCannotChangeTheCaFileEvenWhenPhpIniSetIt(): void
    {
        $run = Process::run(array_merge(
            Process::php(TestModule::extensionPath()),
            [
                '-d', 'sgwhmcs.ca_file=/etc/ssl/private-ca.pem',
                '-r', 'var_export([ini_set("sgwhmcs.ca_file", ""), ini_get("sgwhmcs.ca_file")]);',
            ]
        ));

        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertSame("array (\n  0 => false,\n  1 => '/etc/ssl/private-ca.pem',\n)", $run['stdout']);
    }

    public function testTheTimeoutsCanStillBeSetForOneRequest(): void
    {
        $previous = ini_set('sgwhmcs.timeout', '7');
        try {
            self::assertSame('30', $previous, 'the default');
            self::assertSame('7', ini_get('sgwhmcs.timeout'));
        } finally {
            ini_set('sgwhmcs.timeout', (string) $previous);
        }
    }

    public function testPhpRiShowsEachDirectiveWithItsValues(): void
    {
        $run = Process::run(array_merge(
            Process::php(TestModule::extensionPath()),
            ['-d', 'sgwhmcs.ca_file=/etc/ssl/private-ca.pem', '-d', 'sgwhmcs.timeout=12', '--ri', 'sgwhmcs']
        ));

        self::assertSame(0, $run['exit'], $run['stderr']);
        $lines = array_map('trim', explode("\n", $run['stdout']));
        self::assertContains('Directive => Local Value => Master Value', $lines, $run['stdout']);
        self::assertContains('sgwhmcs.connect_timeout => 5 => 5', $lines, 'the default');
        self::assertContains('sgwhmcs.timeout => 12 => 12', $lines);
        self::assertContains('sgwhmcs.ca_file => /etc/ssl/private-ca.pem => /etc/ssl/private-ca.pem', $lines);
        self::assertContains('version => ' . \SgWhmcs\version(), $lines);
    }

    public function testPhpinfoShowsALocalChangeBesideTheMasterValue(): void
    {
        $previous = (string) ini_get('sgwhmcs.connect_timeout');
        ini_set('sgwhmcs.connect_timeout', '3');
        try {
            ob_start();
            phpinfo(INFO_MODULES);
            $info = (string) ob_get_clean();
        } finally {
            ini_set('sgwhmcs.connect_timeout', $previous);
        }

        self::assertStringContainsString("sgwhmcs.connect_timeout => 3 => $previous\n", $info);
        $ca = (string) ini_get('sgwhmcs.ca_file');
        $ca = $ca === '' ? 'no value' : $ca;
        self::assertStringContainsString("sgwhmcs.ca_file => $ca => $ca\n", $info);
    }
}
