<?php

/**
 * Bidirectional controls in the client area: a machine name (or any text of the server) holding a
 * right-to-left override U+202E, or another of the Unicode bidi controls (U+202A–U+202E,
 * U+2066–U+2069, U+200E, U+200F, U+061C), would make the page show a name other than the one the
 * server holds ("invoice<U+202E>fdp.exe" reads as "invoiceexe.pdf") and turn the text after it
 * around. The module's one HTML escape (core/src/text/format.rs) shows each as visible text such as
 * `\u{202E}`; the page's HTML never carries one raw.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\ModuleTestCase;

final class ClientAreaBidiTest extends ModuleTestCase
{
    private const BIDI = ["\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}",
        "\u{2067}", "\u{2068}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}"];

    public function testARightToLeftOverrideInAMachineNameIsShownNeverRaw(): void
    {
        [$serviceId, $made] = $this->orderAndAccept($this->customerProduct(), 'bidi-area');
        self::assertSame('success', $made);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        $this->sim->expect(200, 'POST', '/_sim/machines', ['customer' => 'bidi-area', 'machines' => [
            ['name' => "invoice\u{202E}fdp.exe", 'os' => "Windows\u{2067}11\u{2069}"],
            ['name' => 'every' . implode('', self::BIDI) . 'one', 'os' => "\u{200F}Linux\u{061C}"],
        ]]);

        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
        $html = $page['html'];

        foreach (self::BIDI as $control) {
            self::assertStringNotContainsString($control, $html, sprintf('U+%04X raw in the page', mb_ord($control)));
        }
        self::assertStringContainsString('invoice\u{202E}fdp.exe', $html);
        self::assertStringContainsString('Windows\u{2067}11\u{2069}', $html);
        self::assertStringContainsString(
            'every\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}one',
            $html
        );
        $names = array_column($page['vars']['sgwhmcs']['machines'], 'name');
        self::assertContains('invoice\u{202E}fdp.exe', $names);
    }

    public function testALyingServersBidiTextInItsListIsShownNeverRaw(): void
    {
        [$serviceId] = $this->orderAndAccept($this->customerProduct(), 'bidi-lie');
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'route' => 'GET /customers/{name}/clients',
            'body' => json_encode(['clients' => [
                ['name' => "&lt;b&gt;\u{202E}gpj.exe", 'os' => str_repeat("\u{202E}", 5000)],
                ['name' => 'entity&#x202E;gnp-name', 'os' => '&#8238;Linux'],
            ], 'next' => null])]);

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        self::assertStringNotContainsString("\u{202E}", $html);
        self::assertStringContainsString('&amp;lt;b&amp;gt;\u{202E}gpj.exe', $html);
        // An HTML-encoded override stays text: the browser shows "&#x202E;", never the control.
        self::assertStringContainsString('entity&amp;#x202E;gnp-name', $html);
        self::assertStringContainsString('&amp;#8238;Linux', $html);
        self::assertDoesNotMatchRegularExpression('/(?<!&amp;)#(x202E|8238);/i', $html);
    }
}
