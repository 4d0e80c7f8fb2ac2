<?php

/**
 * Servers and proxies that echo what they were sent never make a secret visible: whatever form
 * the password, the service password or the HTTP Basic credential comes back in (quoted
 * JSON-escaped in an error, JSON re-encoded by PHP, request headers, URL-encoded, base64 dumps,
 * HTML), no form of it reaches the returned message, the Module Log, the Activity Log or an error
 * log. The misbehaving server is tests/Support/echo-router.php (plain http, a port of its own).
 *
 * Runs before SecretsTest (alphabetical order inside tests/Secrets), which then sees these
 * entries too.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Secrets;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\EchoServer;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class EchoedSecretsTest extends ModuleTestCase
{
    use EchoedSecrets;

    private const ADMIN_USER = 'backup-admin';
    /** Holds what JSON, URL and HTML escape: `"`, `\`, `/`, `&`, `<`, a space, non-ASCII. */
    private const ADMIN_PASSWORD = 'Adm"in\\pa/ss & <é>😀';
    private const SERVICE_PASSWORD = 'Svc"pa\\ss/wörd€ 42+x';

    /** The order orderWithPassword() placed last. */
    private int $lastOrder = 0;

    /** @return array<string, array{0: string, 1: string}> mode => [mode, what the server's answer says] */
    public static function echoes(): array
    {
        return [
            'the body quoted in a JSON error' => ['quote-body', 'could not read the request body'],
            'the body re-encoded by PHP json_encode' => ['reencode-body', 'rejected {'],
            'the headers quoted by a proxy' => ['echo-headers', 'proxy: the upstream refused'],
            'the headers as plain text' => ['echo-headers-text', 'HTTP 500: '],
            'the passwords URL-encoded' => ['url-echo', 'could not parse p0='],
            'the request dumped in base64' => ['base64-body', 'debug dump '],
            'the body quoted in HTML' => [
                'html',
                'HTTP 400 with an HTML page instead of the API\'s JSON error: <p>Bad request: ',
            ],
        ];
    }

    /**
     * Create (a body with the service password), suspend and Test Connection (the Basic
     * credential only) against a server echoing in MODE.
     *
     * @dataProvider echoes
     */
    public function testNoFormOfASecretIsShownWhenTheServerEchoesIt(string $mode, string $saysWhat): void
    {
        $echo = $this->startEcho($mode);
        $productId = $this->echoProduct($echo, self::ADMIN_PASSWORD);

        $serviceId = $this->orderWithPassword($productId, 'echo-acme', self::SERVICE_PASSWORD);
        $created = $this->whmcs->acceptOrder($this->lastOrder);
        $suspended = $this->whmcs->suspend($serviceId);
        $tested = $this->whmcs->testUnsavedServer([
            'hostname' => $echo->host,
            'username' => self::ADMIN_USER,
            'password' => self::ADMIN_PASSWORD,
            'accesshash' => '',
            'secure' => false,
            'port' => (string) $echo->port,
        ]);

        // The server's words did reach the admin (so the echo was there to be masked) ...
        self::assertStringContainsString($saysWhat, $created);
        self::assertStringStartsWith('Could not create customer: ', $created);
        self::assertStringStartsWith('Could not deactivate customer "echo-acme": ', $suspended);
        self::assertFalse($tested['success']);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        // ... and so did the masks, where the secrets were.
        $responses = implode("\n", array_column($this->whmcs->moduleLog()->entries(), 'response'));
        self::assertStringContainsString('********', $responses, 'the echoed secrets are masked in the Module Log');
        self::assertNoFormOfAnySecret([
            self::ADMIN_PASSWORD,
            self::SERVICE_PASSWORD,
            self::ADMIN_USER . ':' . self::ADMIN_PASSWORD,
        ]);
    }

    /**
     * Issue 8's example: with admin password `Winter` and service password `Winter2026xyz!`, the
     * text showed `********2026xyz!` (the shorter secret masked first, leaving the longer one's tail).
     */
    public function testOverlappingSecretsLeaveNoTail(): void
    {
        $echo = $this->startEcho('quote-body');
        $productId = $this->echoProduct($echo, 'Winter');
        $serviceId = $this->orderWithPassword($productId, 'echo-winter', 'Winter2026xyz!');

        $created = $this->whmcs->acceptOrder($this->lastOrder);

        self::assertStringContainsString('could not read the request body', $created);
        self::assertStringContainsString('"password":"********"', $created);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        foreach ($this->placesOfText() as $where => $text) {
            self::assertStringNotContainsString('2026xyz', $text, "a tail of the service password in $where");
        }
        self::assertNoFormOfAnySecret(['Winter', 'Winter2026xyz!']);
    }

    /** A secret in a message cut short (80 characters of a body that is not JSON) shows no beginning. */
    public function testASecretCutShortShowsNoBeginning(): void
    {
        $echo = $this->startEcho('html');
        $productId = $this->echoProduct($echo, self::ADMIN_PASSWORD);
        // The body's password starts at character 64 of the HTML, so the 80-character quote
        // of a body that is not JSON ends inside it.
        $password = 'Longpassword-0123456789-abcdefghij';
        $this->orderWithPassword($productId, 'cut', $password);

        $created = $this->whmcs->acceptOrder($this->lastOrder);

        self::assertStringContainsString('…', $created, 'the quote was cut');
        self::assertStringContainsString('password&quot;:&quot;********…', $created);
        self::assertStringNotContainsString('Longpa', $created);
    }

    /**
     * The pass key is read after the account was made; a proxy that echoes that request's
     * headers in its error must not put the Basic credential into the "pass key not stored"
     * message or its Module Log entry.
     */
    public function testAPassKeyErrorShowsNoFormOfASecret(): void
    {
        $echo = $this->startEcho('passkey-echo');
        $productId = $this->echoProduct($echo, self::ADMIN_PASSWORD, [Labels::PASS_KEY => 'on']);
        $this->orderWithPassword($productId, 'echo-passkey', self::SERVICE_PASSWORD);

        $created = $this->whmcs->acceptOrder($this->lastOrder);

        self::assertStringContainsString(
            'The customer "echo-passkey" was created, but its pass key was not stored',
            $created
        );
        self::assertStringContainsString('authorization: Basic ********', $created);
        self::assertNoFormOfAnySecret([
            self::ADMIN_PASSWORD,
            self::SERVICE_PASSWORD,
            self::ADMIN_USER . ':' . self::ADMIN_PASSWORD,
        ]);
    }

    /**
     * A customer product whose Backup Server is ECHO (plain http), admin password PASSWORD.
     *
     * @param array<string, string> $more other settings by label
     */
    private function echoProduct(EchoServer $echo, string $password, array $more = []): int
    {
        return $this->whmcs->addProduct('Backup Customer', $more + [
            Labels::PROTOCOL => 'http',
            Labels::HOST => $echo->host,
            Labels::PORT => (string) $echo->port,
            Labels::USERNAME => self::ADMIN_USER,
            Labels::PASSWORD => $password,
            Labels::FINGERPRINT => '',
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ]);
    }

    /** A client orders PRODUCT as USERNAME; the service's password is PASSWORD. Returns the service. */
    private function orderWithPassword(int $productId, string $username, string $password): int
    {
        $clientId = $this->whmcs->addClient();
        $this->lastOrder = $this->whmcs->placeOrder($clientId, $productId, ['username' => $username]);
        $serviceId = $this->whmcs->orderService($this->lastOrder);
        $this->whmcs->store()->services[$serviceId]['password'] = $password;
        Evidence::addSecret($password);
        return $serviceId;
    }
}
