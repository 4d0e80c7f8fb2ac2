<?php

/**
 * Data from an install that is not UTF-8 (issue 8, items 1 and 2). Old WHMCS installs stored text
 * in Windows-1252, WHMCS's old default charset: keys such as a configurable option named
 * "Speichergr\xF6\xDFe" must not cost the call, display text is decoded as Windows-1252, and a
 * secret that is not UTF-8 is refused with its field named and nothing sent (never altered, never
 * trimmed).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

/** @group glue */
final class NonUtf8Test extends ModuleTestCase
{
    public function testANonUtf8KeyAnywhereIsConvertedWithoutLossOfTheCall(): void
    {
        $clientId = $this->whmcs->addClient(['email' => 'keys@example.test']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'latin-keys']);
        $serviceId = $this->whmcs->orderService($orderId);
        $params = $this->whmcs->serviceParams($serviceId);
        $params["Speichergr\xF6\xDFe"] = "gro\xDF";
        $params['configoptions']["Speichergr\xF6\xDFe"] = '5';
        $params['customfields']["Kundennr.\xA0\xFC"] = ["\xFF" => "\xFE"];
        $params['clientsdetails']["\x80\x81"] = 'x';

        self::assertSame('success', $this->whmcs->call('CreateAccount', $params));
        self::assertNotNull($this->sim->customer('latin-keys'));
    }

    public function testLatin1DisplayTextReachesTheServerDecodedAsWindows1252(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', [
            'companyname' => "M\xFCller GmbH",
            'firstname' => "J\xFCrgen",
            'address1' => "Stra\xDFe 1 \x80",
            'email' => 'mueller@example.test',
        ]);

        $this->assertCreated($serviceId, $result);
        // The naming rule keeps only A-Z a-z 0-9 . _ @ - and space, so the ü is dropped there.
        self::assertSame('Mller GmbH', $this->whmcs->service($serviceId)['username']);
        $contact = $this->sim->customer('Mller GmbH')['contact'];
        self::assertSame('Müller GmbH', $contact['company']);
        self::assertSame('Jürgen', $contact['first_name']);
        self::assertStringContainsString('Straße 1 €', (string) $contact['address']);
    }

    /** @return array<string, array{0: string}> */
    public static function productSecrets(): array
    {
        return [
            'product password' => [Labels::PASSWORD],
            'product fingerprint' => [Labels::FINGERPRINT],
        ];
    }

    /** @dataProvider productSecrets */
    public function testANonUtf8ProductSecretIsRefusedByNameAndNothingIsSent(string $label): void
    {
        $productId = $this->customerProduct([$label => "p\xE4ss\xFCword"]);
        [$serviceId, $result] = $this->orderAndAccept($productId, 'latin-secret');

        self::assertStringContainsString("$label: is not UTF-8", $result);
        self::assertStringNotContainsString("p\xE4ss", $result);
        self::assertSame(0, $this->sim->totalRequests());
        self::assertNotSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testANonUtf8ServicePasswordIsRefusedByNameAndNothingIsSent(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'svc-latin']);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->whmcs->store()->services[$serviceId]['password'] = "Gr\xFC\xDFe 2026";

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('Password (service): is not UTF-8', $result);
        self::assertSame(0, $this->sim->totalRequests());
        self::assertNull($this->sim->customer('svc-latin'));
    }

    /** @return array<string, array{0: string, 1: string}> */
    public static function serverSecrets(): array
    {
        return [
            'server password' => ['password', 'Server Password: is not UTF-8'],
            'access hash' => ['accesshash', 'Server Access Hash (certificate SHA-256): is not UTF-8'],
        ];
    }

    /** @dataProvider serverSecrets */
    public function testANonUtf8ServerSecretIsRefusedByNameAndNothingIsSent(string $field, string $expected): void
    {
        $params = $this->whmcs->serviceParams($this->serviceOnAssignedServer('srv'));
        $params['server' . $field] = "s\xE9cr\xE8t";

        $result = $this->whmcs->call('TestConnection', $params);

        self::assertFalse($result['success']);
        self::assertStringContainsString($expected, $result['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testASecretIsNeverTrimmed(): void
    {
        // The simulator's admin password has no spaces: the same password with a space on either
        // end must fail to log in (401), which shows it was sent as given, not trimmed.
        $productId = $this->customerProduct([Labels::PASSWORD => ' ' . $this->sim->password . ' ']);
        [, $result] = $this->orderAndAccept($productId, 'untrimmed');

        self::assertNotSame('success', $result);
        self::assertNull($this->sim->customer('untrimmed'));
        self::assertGreaterThan(0, $this->sim->totalRequests());
    }
}
