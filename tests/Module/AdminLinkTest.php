<?php

/**
 * Setup › Servers shows, for each Backup Server, a link that opens its web console
 * (`<module>_AdminLink($params)`: https://developers.whmcs.com/provisioning-modules/admin-area/):
 * scheme, host and port from the server's fields, escaped, and never a credential in the URL.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Module;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class AdminLinkTest extends ModuleTestCase
{
    /** @return array{href: string, html: string} */
    private function link(array $server): array
    {
        Evidence::addSecret((string) ($server['password'] ?? ''));
        $serverId = $this->whmcs->addServer($server);
        $html = $this->whmcs->adminScreens()->adminLink($serverId);
        $document = new \DOMDocument();
        $document->loadHTML('<?xml encoding="utf-8"?><div>' . $html . '</div>', LIBXML_NOERROR);
        $anchors = $document->getElementsByTagName('a');
        $href = $anchors->length === 1 ? (string) $anchors->item(0)?->getAttribute('href') : '';
        return ['href' => $href, 'html' => $html];
    }

    public function testTheLinkOpensTheWebConsoleOfTheServer(): void
    {
        $before = $this->sim->totalRequests();

        $link = $this->link(['hostname' => 'backup.example.test', 'username' => 'admin', 'password' => 'S3cret-Pw',
            'secure' => true, 'port' => 6061]);

        self::assertSame('https://backup.example.test:6061/', $link['href']);
        self::assertStringContainsString('target="_blank"', $link['html']);
        self::assertStringContainsString('rel="noopener noreferrer"', $link['html']);
        self::assertStringNotContainsString('S3cret-Pw', $link['html']);
        self::assertStringNotContainsString('admin', $link['href']);
        self::assertSame($before, $this->sim->totalRequests(), 'a link, not a request');
    }

    public function testPlainHttpAndTheDefaultPort(): void
    {
        $link = $this->link(['hostname' => '', 'ipaddress' => '192.0.2.7', 'username' => 'admin',
            'password' => 'Link-Test-Pw-7', 'secure' => false, 'port' => '']);

        self::assertSame('http://192.0.2.7:6060/', $link['href']);
    }

    public function testAHostNameThatTriesToBreakOutIsRefusedNotLinked(): void
    {
        $link = $this->link(['hostname' => 'evil.test/"><script>alert(1)</script>', 'username' => 'admin',
            'password' => 'Link-Test-Pw-7', 'secure' => true]);

        self::assertSame('', $link['href'], 'no link');
        self::assertStringNotContainsString('<script', $link['html']);
        self::assertStringContainsString('Server settings are invalid', $link['html']);
        self::assertStringContainsString('Server Hostname', $link['html']);
    }

    public function testAnEncodedHostNameIsDecodedOnceAndStillChecked(): void
    {
        // Typed as `&`, stored encoded by WHMCS, decoded once into $params, escaped once here.
        $link = $this->link(['hostname' => 'backup.example.test&x=1', 'username' => 'admin',
            'password' => 'Link-Test-Pw-7', 'secure' => true]);

        self::assertSame('', $link['href']);
        self::assertStringContainsString('backup.example.test&amp;x=1', $link['html']);
        self::assertStringNotContainsString('&amp;amp;', $link['html']);
    }
}
