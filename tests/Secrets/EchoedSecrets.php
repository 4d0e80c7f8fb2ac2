<?php

/**
 * What the echo-server secrets tests share: an echo server (tests/Support/echo-router.php) per
 * test, PHP's error log redirected to a file, every form a secret can take in text a server or a
 * proxy sends back, and the check that none of them appears anywhere WHMCS shows or stores text:
 * the value a module function returned, the Module Log (as WHMCS stores it and as it was passed),
 * the Activity Log, whmcs_error.log and PHP's error log.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Secrets;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ModuleLog;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\EchoServer;

trait EchoedSecrets
{
    private ?EchoServer $echo = null;
    private int $returnsBefore = 0;
    private string $phpErrorLog = '';
    private string|false $savedErrorLog = false;

    /** @var array<string, int> bytes of each whmcs_error.log before the test */
    private array $errorLogSizes = [];

    /**
     * Watching starts after the test case's own setUp() (which resets the evidence) and ends
     * before its tearDown(). These override the base class's methods rather than being `@before`
     * / `@after` hooks: PHPUnit 9 runs `@before` methods before setUp(), too early.
     */
    protected function setUp(): void
    {
        parent::setUp();
        $this->beginWatching();
    }

    protected function tearDown(): void
    {
        $this->endWatching();
        parent::tearDown();
    }

    private function beginWatching(): void
    {
        $this->returnsBefore = count(Evidence::$returns);
        $this->phpErrorLog = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-php-error-');
        $this->savedErrorLog = ini_get('error_log');
        ini_set('error_log', $this->phpErrorLog);
        foreach (self::errorLogs() as $path) {
            clearstatcache(true, $path);
            $this->errorLogSizes[$path] = is_file($path) ? (int) filesize($path) : 0;
        }
    }

    private function endWatching(): void
    {
        $this->echo?->stop();
        $this->echo = null;
        ini_set('error_log', (string) $this->savedErrorLog);
        @unlink($this->phpErrorLog);
    }

    /** Starts the echo server in MODE for this test. */
    private function startEcho(string $mode): EchoServer
    {
        $this->echo?->stop();
        $this->echo = EchoServer::start($mode);
        return $this->echo;
    }

    /** @return list<string> both whmcs_error.log files a hook may write */
    private static function errorLogs(): array
    {
        return [
            ROOTDIR . '/' . WhmcsTree::ADMIN_PATH . '/whmcs_error.log',
            ROOTDIR . '/admin/whmcs_error.log',
        ];
    }

    /**
     * Every text form of SECRET a server or a proxy may send back: as it is; JSON-escaped by
     * PHP (`\/`, `\u00e9`, surrogate pairs) or serde_json (neither), with uppercase hex, and
     * escaped twice; URL-encoded with `+` or `%20`, upper- or lowercase hex; as HTML; in base64
     * (standard, URL-safe, padded or not); and the middle of any longer base64 text holding it or
     * the JSON that carried it (a request dumped in base64), whatever comes before it.
     *
     * @return array<string, string> form name => text
     */
    public static function formsOf(string $secret): array
    {
        $json = fn (string $text, int $flags = 0): string => substr((string) json_encode($text, $flags), 1, -1);
        $serde = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
        $upperHex = fn (string $text): string => (string) preg_replace_callback(
            '/\\\\u([0-9a-f]{4})/',
            fn (array $m): string => '\\u' . strtoupper($m[1]),
            $text
        );
        $lowerHex = fn (string $text): string => (string) preg_replace_callback(
            '/%[0-9A-F]{2}/',
            fn (array $m): string => strtolower($m[0]),
            $text
        );
        $urlSafe = fn (string $b64): string => strtr($b64, '+/', '-_');
        $forms = [
            'raw' => $secret,
            'json (PHP)' => $json($secret),
            'json (serde_json)' => $json($secret, $serde),
            'json, slashes unescaped' => $json($secret, JSON_UNESCAPED_SLASHES),
            'json, unicode unescaped' => $json($secret, JSON_UNESCAPED_UNICODE),
            'json, uppercase hex' => $upperHex($json($secret)),
            'json twice (PHP)' => $json($json($secret)),
            'json twice (serde_json)' => $json($json($secret, $serde), $serde),
            'urlencode' => urlencode($secret),
            'rawurlencode' => rawurlencode($secret),
            'urlencode, lowercase hex' => $lowerHex(urlencode($secret)),
            'rawurlencode, lowercase hex' => $lowerHex(rawurlencode($secret)),
            'html' => htmlspecialchars($secret, ENT_QUOTES),
            'html of json' => htmlspecialchars($json($secret, $serde), ENT_QUOTES),
            'base64' => base64_encode($secret),
            'base64 unpadded' => rtrim(base64_encode($secret), '='),
            'base64 url-safe' => $urlSafe(base64_encode($secret)),
            'base64 url-safe unpadded' => rtrim($urlSafe(base64_encode($secret)), '='),
        ];
        foreach (['secret' => $secret, 'its json' => $json($secret, $serde)] as $what => $source) {
            for ($k = 0; $k < 3; $k++) {
                // The first and last 4-character groups mix in other bytes; the rest is the source's.
                $core = substr(base64_encode(str_repeat('Q', $k) . $source), 4, -4);
                $forms["middle of longer base64 of $what, offset $k"] = $core;
                $forms["middle of longer url-safe base64 of $what, offset $k"] = $urlSafe($core);
            }
        }
        // Too short to tell from other text (the secrets of these tests are all longer).
        return array_filter($forms, fn (string $form): bool => strlen($form) >= 6);
    }

    /**
     * Everything this test's WHMCS shows or stores as text, by where it is.
     *
     * @return array<string, string>
     */
    private function placesOfText(): array
    {
        $places = [];
        foreach ($this->whmcs->moduleLog()->entries() as $i => $entry) {
            foreach (['request', 'response', 'processed'] as $part) {
                $places["module log #$i $part (as WHMCS stores it)"] = $entry[$part];
                $places["module log #$i $part (as passed)"] = ModuleLog::render($entry['raw'][$part]);
            }
        }
        foreach ($this->whmcs->activity() as $i => $line) {
            $places["activity log #$i"] = $line['message'];
        }
        foreach (array_slice(Evidence::$returns, $this->returnsBefore) as $i => $return) {
            $places["{$return['function']} returned (#$i)"] = $return['returned'];
        }
        foreach (self::errorLogs() as $path) {
            clearstatcache(true, $path);
            if (is_file($path)) {
                $places[$path] = (string) file_get_contents($path, false, null, $this->errorLogSizes[$path] ?? 0);
            }
        }
        $places["PHP's error log"] = (string) file_get_contents($this->phpErrorLog);
        return $places;
    }

    /**
     * Asserts that no form of any of SECRETS appears in any place of text.
     *
     * @param list<string> $secrets
     */
    private function assertNoFormOfAnySecret(array $secrets): void
    {
        $places = $this->placesOfText();
        self::assertNotEmpty($this->whmcs->moduleLog()->entries(), 'requests were logged');
        foreach ($secrets as $secret) {
            foreach (self::formsOf($secret) as $form => $text) {
                foreach ($places as $where => $shown) {
                    self::assertStringNotContainsString(
                        $text,
                        $shown,
                        "the $form form of a secret appears in $where"
                    );
                }
            }
        }
    }
}
