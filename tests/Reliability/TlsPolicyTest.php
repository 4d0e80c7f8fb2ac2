<?php

/**
 * The TLS policy of SECURITY.md, end to end through WHMCS against sgsim's self-signed
 * certificate: verification is always on; a pin (setting 24, or the server's Access Hash)
 * trusts exactly one certificate; `sgwhmcs.ca_file` adds a CA, with the host name checked (those
 * tests run in a PHP process of their own started with `-d sgwhmcs.ca_file=…`: see
 * ReliabilityTestCase::withCaFile()); every
 * refusal says which setting fixes it and shows no fingerprint; nothing reaches the server before
 * the certificate is trusted. Plain http works, with a warning that credentials travel in clear.
 *
 * sgsim cannot serve an expired certificate; that case is covered by core/tests/tls_pin.rs
 * (roots_with_the_ca_file_reject_an_expired_leaf).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ModuleLog;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\PeerCertificate;

final class TlsPolicyTest extends ReliabilityTestCase
{
    private const NAME = 'acme-tls';
    private const PIN_MISMATCH =
        "the server's certificate does not match the SHA-256 fingerprint pinned in the settings";
    private const NOT_FOR_HOST = "the server's certificate is not valid for the host name in the server settings";
    private const UNKNOWN_ISSUER = "the server's certificate is not issued by a trusted certificate authority";

    public function testThePinnedCertificateIsTrusted(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), self::NAME);

        $this->assertCreated($serviceId, $result);
        self::assertNotNull($this->sim->customer(self::NAME));
    }

    public function testAWrongPinIsRefusedWithoutShowingEitherFingerprint(): void
    {
        $wrong = self::otherFingerprint();
        $productId = $this->customerProduct([Labels::FINGERPRINT => $wrong]);

        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);

        self::assertStringContainsString(self::PIN_MISMATCH, $result);
        self::assertStringContainsString('pin the new certificate', $result);
        $this->assertNoFingerprintShown([$wrong, (string) $this->sim->sha256], $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing reached the server');
    }

    /** @return array<string, array{0: string}> */
    public static function pinSpellings(): array
    {
        return ['as printed' => ['plain'], 'with colons, upper case' => ['colons'], 'with spaces' => ['spaces']];
    }

    /** @dataProvider pinSpellings */
    public function testTheAccessHashOfTheServerIsThePin(string $spelling): void
    {
        $pin = (string) $this->sim->sha256;
        $pin = match ($spelling) {
            'plain' => $pin,
            'colons' => strtoupper(implode(':', str_split($pin, 2))),
            'spaces' => implode(' ', str_split($pin, 8)),
        };
        $serverId = $this->whmcs->addServer(self::serverFields($this->sim, $pin));

        $result = $this->whmcs->testConnection($serverId);

        self::assertSame(['success' => true, 'error' => ''], $result);
    }

    public function testAWrongAccessHashIsRefused(): void
    {
        $wrong = self::otherFingerprint();
        $serverId = $this->whmcs->addServer(self::serverFields($this->sim, $wrong));

        $result = $this->whmcs->testConnection($serverId);

        self::assertFalse($result['success']);
        self::assertStringStartsWith('Connection failed: ' . self::PIN_MISMATCH, $result['error']);
        $this->assertNoFingerprintShown([$wrong, (string) $this->sim->sha256], $result['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testTheAccessHashPinsTheServerForAProductThatUsesIt(): void
    {
        $serverId = $this->whmcs->addServer(self::serverFields($this->sim));
        $productId = $this->whmcs->addProduct(
            'Backup Customer',
            [Labels::STORAGE => '10737418240'],
            ['servers' => [$serverId]]
        );

        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);

        $this->assertCreated($serviceId, $result);
    }

    public function testASelfSignedServerWithoutAPinSaysWhichSettingsFixIt(): void
    {
        $productId = $this->customerProduct([Labels::FINGERPRINT => '']);

        [$serviceId, $created] = $this->orderAndAccept($productId, self::NAME);
        $tested = $this->whmcs->testUnsavedServer(self::serverFields($this->sim, ''));

        foreach (['CreateAccount' => $created, 'TestConnection' => $tested['error']] as $function => $text) {
            self::assertStringContainsString(self::UNKNOWN_ISSUER, $text, $function);
            self::assertStringContainsString('"Server Certificate SHA-256"', $text, $function);
            self::assertStringContainsString('sgwhmcs.ca_file', $text, $function);
            $this->assertNoFingerprintShown([(string) $this->sim->sha256], $text);
        }
        self::assertFalse($tested['success']);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    /** @return array<string, array{0: string}> */
    public static function namesOnTheCertificate(): array
    {
        return ['its IP address' => ['127.0.0.1'], 'localhost' => ['localhost']];
    }

    /**
     * A self-signed certificate in the CA file is its own trust anchor.
     *
     * @dataProvider namesOnTheCertificate
     */
    public function testTheServersOwnCertificateInTheCaFileIsTrusted(string $host): void
    {
        $path = $this->withCaFile();
        if ($path === null) {
            return;
        }
        $this->writeTempFile($path, PeerCertificate::pemOf($this->sim));
        $productId = $this->customerProduct([Labels::FINGERPRINT => '', Labels::HOST => $host]);

        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);

        $this->assertCreated($serviceId, $result);
        self::assertStringStartsWith("https://$host:", $this->whmcs->moduleLog()->requests('POST')[0]['url']);
    }

    public function testACaFileCertificateIsRefusedForAHostNameNotOnIt(): void
    {
        $path = $this->withCaFile();
        if ($path === null) {
            return;
        }
        // Listens on 127.0.0.2 (loopback), which its certificate does not name.
        $other = $this->startSim(true, ['--listen', '127.0.0.2:0']);
        $this->writeTempFile($path, PeerCertificate::pemOf($other));

        $result = $this->whmcs->testUnsavedServer(self::serverFields($other, ''));

        self::assertFalse($result['success']);
        self::assertSame('127.0.0.2', $other->host);
        self::assertStringStartsWith('Connection failed: ' . self::NOT_FOR_HOST, $result['error']);
        self::assertStringContainsString('use the host name written on the certificate', $result['error']);
        self::assertStringContainsString('"Server Certificate SHA-256"', $result['error']);
        self::assertSame(0, $other->totalRequests());
    }

    public function testTheCertHostOfTheSimulatorPutsTheNameOnItsCertificate(): void
    {
        $path = $this->withCaFile();
        if ($path === null) {
            return;
        }
        $other = $this->startSim(true, ['--listen', '127.0.0.2:0', '--cert-host', '127.0.0.2']);
        $this->writeTempFile($path, PeerCertificate::pemOf($other));

        $result = $this->whmcs->testUnsavedServer(self::serverFields($other, ''));

        self::assertSame(['success' => true, 'error' => ''], $result);
    }

    public function testAPinTrustsTheCertificateWhateverHostNameReachesIt(): void
    {
        $other = $this->startSim(true, ['--listen', '127.0.0.2:0']);

        $result = $this->whmcs->testUnsavedServer(self::serverFields($other));

        self::assertSame(['success' => true, 'error' => ''], $result);
    }

    public function testAnotherServersCertificateInTheCaFileDoesNotTrustThisOne(): void
    {
        $path = $this->withCaFile();
        if ($path === null) {
            return;
        }
        $other = $this->startSim(true);
        $this->writeTempFile($path, PeerCertificate::pemOf($other));

        $result = $this->whmcs->testUnsavedServer(self::serverFields($this->sim, ''));

        self::assertFalse($result['success']);
        // Both certificates carry rcgen's subject, so the other one is taken for the issuer and
        // the signature check fails (rather than "unknown issuer").
        self::assertStringStartsWith('Connection failed: ', $result['error']);
        self::assertStringContainsString('certificate', $result['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    /** @return array<string, array{0: ?string, 1: string}> file content (null: no file) => the problem */
    public static function unusableCaFiles(): array
    {
        return [
            'missing' => [null, 'could not be read'],
            'not PEM at all' => ["this is not a certificate\n", 'holds no PEM certificate'],
            'a PEM block that is not base64' => [
                "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n",
                'is not a valid PEM file',
            ],
            'only a key' => [
                "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
                'holds no PEM certificate',
            ],
        ];
    }

    /** @dataProvider unusableCaFiles */
    public function testAnUnusableCaFileIsASetupErrorNamingIt(?string $content, string $problem): void
    {
        $path = $this->withCaFile();
        if ($path === null) {
            return;
        }
        if ($content !== null) {
            $this->writeTempFile($path, $content);
        }
        $productId = $this->customerProduct([Labels::FINGERPRINT => '']);

        [$serviceId, $created] = $this->orderAndAccept($productId, self::NAME);
        $tested = $this->whmcs->testUnsavedServer(self::serverFields($this->sim, ''));

        foreach (['CreateAccount' => $created, 'TestConnection' => $tested['error']] as $function => $text) {
            self::assertStringContainsString("TLS setup failed: the CA file $path ", $text, $function);
            self::assertStringContainsString($problem, $text, $function);
            self::assertStringContainsString('sgwhmcs.ca_file', $text, $function);
        }
        self::assertStringStartsWith('Could not create customer: ', $created);
        self::assertStringStartsWith('Connection failed: ', $tested['error']);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testPlainHttpWorksAndWarnsThatCredentialsTravelInClear(): void
    {
        $plain = $this->startSim(false);
        $productId = $this->customerProduct([Labels::PROTOCOL => 'http', Labels::FINGERPRINT => ''], $plain);

        [$serviceId, $created] = $this->orderAndAccept($productId, self::NAME);
        $tested = $this->whmcs->testUnsavedServer(self::serverFields($plain, ''));

        $this->assertCreated($serviceId, $created);
        self::assertNotNull($plain->customer(self::NAME));
        self::assertTrue($tested['success']);
        self::assertStringContainsString('travel in clear', $tested['error']);
        $entries = $this->whmcs->moduleLog()->entries();
        self::assertNotEmpty($entries);
        foreach ($entries as $i => $entry) {
            self::assertStringStartsWith('Warning: plain http: ', $entry['response'], "log entry #$i");
            self::assertStringContainsString('travel in clear', $entry['response'], "log entry #$i");
        }
    }

    /** A fingerprint that is not the simulator's (a secret like any pin). */
    private static function otherFingerprint(): string
    {
        $pin = bin2hex(random_bytes(32));
        Evidence::addSecret($pin);
        return $pin;
    }

    /**
     * Neither the message nor any Module Log entry (as passed, before WHMCS scrubs) shows one of
     * the FINGERPRINTS, in any common spelling.
     *
     * @param list<string> $fingerprints
     */
    private function assertNoFingerprintShown(array $fingerprints, string $message): void
    {
        $places = ['the message' => $message];
        foreach ($this->whmcs->moduleLog()->entries() as $i => $entry) {
            foreach (['request', 'response', 'processed'] as $part) {
                $places["log entry #$i $part"] = ModuleLog::render($entry['raw'][$part]);
            }
        }
        foreach ($fingerprints as $fingerprint) {
            self::assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $fingerprint);
            $spellings = [$fingerprint, strtoupper($fingerprint), implode(':', str_split($fingerprint, 2))];
            foreach ($places as $where => $text) {
                foreach ($spellings as $spelling) {
                    self::assertStringNotContainsStringIgnoringCase($spelling, $text, "a fingerprint in $where");
                }
                // Nor a recognisable piece of one.
                self::assertStringNotContainsStringIgnoringCase(substr($fingerprint, 0, 16), $text, $where);
            }
        }
    }
}
