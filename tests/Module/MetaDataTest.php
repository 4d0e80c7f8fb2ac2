<?php

/**
 * <module>_MetaData(): what WHMCS reads to list the module and its server defaults.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Module;

use SgWhmcs\Tests\Support\ModuleTestCase;

final class MetaDataTest extends ModuleTestCase
{
    public function testDeclaresTheModuleAndItsDefaultPorts(): void
    {
        $meta = $this->whmcs->call('MetaData');

        self::assertIsArray($meta);
        self::assertIsString($meta['DisplayName'] ?? null);
        self::assertStringContainsString('Backup Server', $meta['DisplayName']);
        self::assertStringNotContainsString('extension missing', $meta['DisplayName'], 'not the generated fallback');
        self::assertSame('1.1', $meta['APIVersion'] ?? null);
        self::assertTrue($meta['RequiresServer'] ?? null);
        self::assertPort(6060, $meta['DefaultNonSSLPort'] ?? null);
        self::assertPort(6061, $meta['DefaultSSLPort'] ?? null);
    }

    public function testSendsNothingToTheBackupServer(): void
    {
        $this->whmcs->call('MetaData');
        $this->whmcs->call('ConfigOptions');

        self::assertSame(0, $this->sim->totalRequests());
    }

    private static function assertPort(int $expected, mixed $actual): void
    {
        self::assertTrue(is_int($actual) || is_string($actual), 'a port is an int or a numeric string');
        self::assertSame((string) $expected, (string) $actual);
    }
}
