<?php

/**
 * The client area as a real WHMCS 8.12 renders it (tests/Emulator/ClientArea.php): every template
 * variable HTML-decoded before Smarty, which does not escape; output shown only for an Active
 * service, inside Twenty-One's `<div class="text-center module-client-area">`. A lying server's
 * machine names, OS texts and download URLs (the customer's own machines name themselves) stay
 * text, never markup or a script link; HTML-encoded text is shown as the server holds it; bytes
 * that are not UTF-8 never reach the page; a service that is not Active costs no request; the
 * pass key is shown within the product page after RevealPassKey, for that service in that request
 * only.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\ModuleTestCase;

final class ClientAreaSafetyTest extends ModuleTestCase
{
    private const CLIENTS = 'GET /customers/{name}/clients';

    /** @return array{0: int, 1: int} [service id, client id] of an active customer "NAME" */
    private function service(string $name): array
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), $name);
        $this->assertCreated($serviceId, $result);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    /** Makes sgsim answer the machine list with MACHINES, once. @param list<array<string, mixed>> $machines */
    private function lyingMachines(array $machines): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'route' => self::CLIENTS,
            'body' => json_encode(['clients' => $machines, 'next' => null], JSON_THROW_ON_ERROR)]);
    }

    /** Makes sgsim answer GET /server with DOWNLOADS, once. @param list<mixed> $downloads */
    private function lyingDownloads(array $downloads): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'route' => 'GET /server', 'body' => json_encode([
            'api' => 'backup-server/1', 'product' => 'x', 'downloads' => $downloads,
        ], JSON_THROW_ON_ERROR)]);
    }

    /** Every href of HTML. @return list<string> */
    private static function hrefs(string $html): array
    {
        preg_match_all('/\shref\s*=\s*"([^"]*)"/i', $html, $m);
        return $m[1];
    }

    public function testStoredMarkupInMachineNamesOsTextsAndDownloadUrlsStaysText(): void
    {
        [$serviceId, $clientId] = $this->service('xss-area');
        $this->lyingMachines([
            ['name' => '<script>alert("name")</script>', 'os' => '<img src=x onerror=alert(1)>',
                'last_backup_result' => 'success'],
            ['name' => "x\" onmouseover=\"alert(2)", 'os' => "'><svg onload=alert(3)>"],
        ]);
        $this->lyingDownloads([
            ['os' => 'Script', 'url' => 'javascript:alert(4)'],
            ['os' => 'Data', 'url' => 'data:text/html,<script>alert(5)</script>'],
            ['os' => 'Quote', 'url' => 'https://dl.test/a" onclick="alert(6)'],
            ['os' => 'Spaced', 'url' => ' JAVASCRIPT:alert(7)'],
            ['os' => '<i>Good</i>', 'url' => 'https://dl.test/agent.msi?a=1&b=2'],
        ]);

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        foreach (['<script', '<img', '<svg', 'onmouseover="', 'onclick="', '<i>'] as $live) {
            self::assertStringNotContainsStringIgnoringCase($live, $html);
        }
        self::assertStringContainsString('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;', $html);
        self::assertStringContainsString('&lt;img src=x onerror=alert(1)&gt;', $html);
        self::assertStringContainsString('x&quot; onmouseover=&quot;alert(2)', $html);
        self::assertStringContainsString('&#039;&gt;&lt;svg onload=alert(3)&gt;', $html);
        self::assertSame(
            ['https://dl.test/agent.msi?a=1&amp;b=2'],
            self::hrefs($html),
            'one link, the plain https URL, escaped; none of the lying ones'
        );
        self::assertStringContainsString('&lt;i&gt;Good&lt;/i&gt;', $html);
        self::assertStringNotContainsStringIgnoringCase('javascript:', $html);
        self::assertStringNotContainsString('data:text', $html);
    }

    public function testHtmlEncodedTextIsShownAsTheServerHoldsItNeverDecodedIntoATag(): void
    {
        [$serviceId, $clientId] = $this->service('encoded-area');
        $this->lyingMachines([
            ['name' => '&lt;script&gt;alert(1)&lt;/script&gt;', 'os' => '&#8238;exe.gnp'],
            ['name' => '&amp;lt;b&amp;gt;', 'os' => '&quot;&#039;&eacute;'],
        ]);

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        self::assertStringNotContainsString('<script', $html);
        self::assertStringNotContainsString("\u{202E}", $html, 'an encoded override never becomes the control');
        // Shown as sent: the browser reads "&lt;script&gt;…", "&#8238;exe.gnp", "&amp;lt;b&amp;gt;".
        self::assertStringContainsString('&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;', $html);
        self::assertStringContainsString('&amp;#8238;exe.gnp', $html);
        self::assertStringContainsString('&amp;amp;lt;b&amp;amp;gt;', $html);
        self::assertStringContainsString('&amp;quot;&amp;#039;&amp;eacute;', $html);
    }

    public function testBytesThatAreNotUtf8NeverReachThePage(): void
    {
        [$serviceId, $clientId] = $this->service('bytes-area');
        $this->sim->expect(200, 'POST', '/_sim/machines', ['customer' => 'bytes-area', 'machines' => [
            ['name' => '<b>pc</b>', 'os' => 'Linux'],
        ]]);
        $this->sim->fault(['kind' => 'nonutf8', 'route' => self::CLIENTS]);

        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);

        self::assertTrue(mb_check_encoding($page['html'], 'UTF-8'), 'the page is UTF-8');
        self::assertStringNotContainsString("\xE9", $page['html']);
        self::assertStringNotContainsString('<b>', $page['html']);
        self::assertStringContainsString('module-client-area', $page['html'], 'a normal page');
    }

    public function testAServiceThatIsNotActiveCostsNoRequestAndShowsNoOutput(): void
    {
        [$serviceId, $clientId] = $this->service('idle-area');
        $area = $this->whmcs->clientArea();
        foreach (['Pending', 'Suspended', 'Terminated', 'Cancelled', 'Fraud', 'Completed'] as $status) {
            $this->whmcs->store()->services[$serviceId]['domainstatus'] = $status;
            $ran = count($area->ran);
            $before = $this->sim->totalRequests();

            $page = $area->productDetails($clientId, $serviceId);

            self::assertSame(['ClientArea'], array_slice($area->ran, $ran), "$status: WHMCS still calls it");
            self::assertSame($before, $this->sim->totalRequests(), "$status: no request");
            self::assertTrue($page['vars']['sgwhmcs']['inactive'], $status);
            self::assertStringNotContainsString('module-client-area', $page['html'], "$status: no output shown");
        }
    }

    public function testTheModuleOutputSitsInWhmcsCentredWrapperAndUndoesTheCentring(): void
    {
        [$serviceId, $clientId] = $this->service('layout-area');

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        self::assertMatchesRegularExpression(
            '~<div class="text-center module-client-area">\s*<div class="sgwhmcs-clientarea text-left text-start">~',
            $html
        );
    }

    public function testTheRevealMarkIsForThatServiceAndThatRequestOnly(): void
    {
        [$first, $clientId] = $this->service('mark-one');
        $orderId = $this->whmcs->placeOrder(
            $clientId,
            (int) $this->whmcs->service($first)['packageid'],
            ['username' => 'mark-two']
        );
        self::assertSame('success', $this->whmcs->acceptOrder($orderId));
        $second = max(array_keys($this->whmcs->store()->services));
        self::assertSame('Active', $this->whmcs->service($second)['domainstatus']);
        $firstKey = $this->sim->passkey('mark-one');
        $secondKey = $this->sim->passkey('mark-two');
        $one = $this->whmcs->serviceParams($first);
        $two = $this->whmcs->serviceParams($second);

        // RevealPassKey for one service, then ClientArea of another: no key; the mark is used up.
        self::assertSame('success', $this->whmcs->call('RevealPassKey', $one));
        $other = $this->whmcs->call('ClientArea', $two);
        self::assertFalse($other['vars']['sgwhmcs']['passkey_shown']);
        self::assertStringNotContainsString($secondKey, json_encode($other, JSON_THROW_ON_ERROR));
        $after = $this->whmcs->call('ClientArea', $one);
        self::assertFalse($after['vars']['sgwhmcs']['passkey_shown'], 'used up by the page that followed');

        // A parameter of the mark's name from anywhere else is not the mark.
        $forged = $this->whmcs->call('ClientArea', $one + ['sgwhmcs_reveal_passkey' => '1']);
        self::assertFalse($forged['vars']['sgwhmcs']['passkey_shown']);
        self::assertStringNotContainsString($firstKey, json_encode($forged, JSON_THROW_ON_ERROR));

        // Through the client area: the reveal shows the key of that service only, in that page.
        $area = $this->whmcs->clientArea();
        $page = $area->customAction($clientId, $second, 'RevealPassKey');
        self::assertStringContainsString($secondKey, $page['html']);
        self::assertStringNotContainsString($firstKey, $page['html']);
        self::assertStringNotContainsString($secondKey, $area->productDetails($clientId, $second)['html']);
    }
}
