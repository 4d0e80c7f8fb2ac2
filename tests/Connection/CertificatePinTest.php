<?php

/**
 * HTTPS trust: the SHA-256 of the server certificate pinned in field 24 (or in the server's
 * access hash) must match; a mismatch is refused with a message saying so, and nothing is
 * created.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Connection;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class CertificatePinTest extends ModuleTestCase
{
    private const OTHER_FINGERPRINT = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

    public function testAWrongFingerprintStopsCreateAccount(): void
    {
        $productId = $this->customerProduct([Labels::FINGERPRINT => self::OTHER_FINGERPRINT]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-pinned');

        self::assertPinMismatch($result);
        self::assertStringNotContainsString((string) $this->sim->sha256, $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertNull($this->sim->customer('acme-pinned'));
    }

    public function testAWrongAccessHashFailsTestConnection(): void
    {
        $serverId = $this->whmcs->addServer(['secure' => true] + $this->sim->serverRecord(self::OTHER_FINGERPRINT));

        $result = $this->whmcs->testConnection($serverId);

        self::assertIsArray($result);
        self::assertFalse($result['success']);
        self::assertPinMismatch($result['error']);
    }

    public function testAFingerprintWithColonsAndUppercaseMatches(): void
    {
        $pin = strtoupper(implode(':', str_split((string) $this->sim->sha256, 2)));
        $productId = $this->customerProduct([Labels::FINGERPRINT => $pin]);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-colons');

        $this->assertCreated($serviceId, $result);
    }

    public function testASelfSignedServerWithoutAPinIsNotTrusted(): void
    {
        $productId = $this->customerProduct([Labels::FINGERPRINT => '']);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-unpinned');

        self::assertNotSame('success', $result);
        self::assertStringContainsString('certificate', $result);
        self::assertStringContainsString(Labels::FINGERPRINT, $result, 'says how to trust it');
        self::assertNull($this->sim->customer('acme-unpinned'));
    }

    private static function assertPinMismatch(string $message): void
    {
        self::assertStringContainsString('certificate', $message);
        self::assertStringContainsString('SHA-256', $message);
        self::assertStringContainsString('does not match', $message);
    }
}
