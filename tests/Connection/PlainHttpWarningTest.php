<?php

/**
 * After a successful Test Connection WHMCS shows only "successful" and throws `error` away, so
 * the plain-http warning also goes where an admin sees it: the Activity Log (and, as before,
 * every Module Log entry of a plain-http request).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Connection;

use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Sim;

final class PlainHttpWarningTest extends ModuleTestCase
{
    public function testThePlainHttpWarningReachesTheActivityLog(): void
    {
        $plain = $this->startSim(false);
        $serverId = $this->whmcs->addServer(self::fields($plain));

        $result = $this->whmcs->testConnection($serverId);

        self::assertTrue($result['success']);
        self::assertSame('Successful!', $this->whmcs->testConnectionShown(), 'WHMCS shows no warning itself');
        $warnings = array_values(array_filter(
            $this->whmcs->activity(),
            fn (array $line): bool => str_contains($line['message'], 'travel in clear')
        ));
        self::assertCount(1, $warnings, 'one Activity Log line');
        self::assertStringContainsString("$plain->host:$plain->port", $warnings[0]['message']);
        self::assertStringContainsString('use https', $warnings[0]['message']);
        self::assertStringNotContainsString($plain->password, $warnings[0]['message']);
        $this->whmcs->enableModuleLog();
        $this->whmcs->testConnection($serverId);
        self::assertStringContainsString('travel in clear', $this->whmcs->moduleLog()->entries()[0]['response'] ?? '');
    }

    public function testAnHttpsServerLeavesNoWarning(): void
    {
        $serverId = $this->whmcs->addServer(self::fields($this->sim));

        $result = $this->whmcs->testConnection($serverId);

        self::assertSame(['success' => true, 'error' => ''], $result);
        self::assertSame([], $this->whmcs->activity());
    }

    /** @return array<string, mixed> */
    private static function fields(Sim $sim): array
    {
        return ['ipaddress' => $sim->host] + $sim->serverRecord();
    }
}
