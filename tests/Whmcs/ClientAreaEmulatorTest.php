<?php

/**
 * The emulated client area is as strict as WHMCS (tests/Emulator/ClientArea.php cites the
 * sources): a lenient emulator would show another client's service, run a module function the
 * module does not allow, take a post without the session token, or render an empty page for a
 * template that is not there; it would fill $LANG from the module's lang/ folder, look templates up
 * in another order, or hand the template the module's variables undecoded. Each refusal runs no
 * module function.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use SgWhmcs\Tests\Emulator\ClientArea;
use SgWhmcs\Tests\Emulator\ClientAreaDenied;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ClientAreaEmulatorTest extends ModuleTestCase
{
    /** @return array{0: int, 1: int} */
    private function service(): array
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'emulated-area');
        $this->assertCreated($serviceId, $result);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    /** @param callable(): mixed $request */
    private function assertDenied(callable $request, string $why): void
    {
        $area = $this->whmcs->clientArea();
        $ran = $area->ran;
        try {
            $request();
            self::fail("allowed: $why");
        } catch (ClientAreaDenied $e) {
            self::assertStringContainsString($why, $e->getMessage());
        }
        self::assertSame($ran, $area->ran, 'no module function ran');
    }

    public function testRequestsWhmcsWouldRefuseAreRefused(): void
    {
        [$serviceId, $clientId] = $this->service();
        $other = $this->whmcs->addClient(['email' => 'other@example.test']);
        $area = $this->whmcs->clientArea();

        $this->assertDenied(fn () => $area->productDetails($other, $serviceId), 'not a service of client');
        $this->assertDenied(fn () => $area->productDetails($clientId, 999), 'not a service of client');
        $this->assertDenied(
            fn () => $area->customAction($clientId, $serviceId, 'TerminateAccount'),
            'not a client area function'
        );
        $this->assertDenied(fn () => $area->customAction($clientId, $serviceId, 'RevealPassKey', 'guessed'), 'CSRF');
        $this->assertDenied(fn () => $area->customAction($clientId, $serviceId, 'RevealPassKey', null), 'CSRF');
    }

    public function testAMissingTemplateIsAnErrorNotAnEmptyPage(): void
    {
        [$serviceId, $clientId] = $this->service();
        $template = ROOTDIR . '/modules/servers/' . $this->whmcs->module . '/clientarea.tpl';
        self::assertFileExists($template, 'the generator wrote the template beside the module');
        rename($template, "$template.away");
        try {
            $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
            self::fail('a page was rendered without its template');
        } catch (\RuntimeException $e) {
            self::assertStringContainsString('clientarea.tpl does not exist', $e->getMessage());
        } finally {
            rename("$template.away", $template);
        }
    }

    public function testAnUnknownLanguageFallsBackToEnglish(): void
    {
        [$serviceId, $clientId] = $this->service();
        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId, 'klingon')['html'];
        self::assertStringContainsString('Backup account', $html);
    }

    /**
     * $LANG is WHMCS's own words only, never the module's lang/ folder; a theme's copy of the
     * module template comes first in WHMCS's lookup order, then the module's templates/<theme>/,
     * templates/ and its own folder.
     */
    public function testLangIsWhmcsOwnAndTemplatesAreLookedUpInWhmcsOrder(): void
    {
        [$serviceId, $clientId] = $this->service();
        $module = $this->whmcs->module;
        $moduleDir = ROOTDIR . "/modules/servers/$module";
        $themeCopy = ROOTDIR . "/templates/twenty-one/modules/servers/$module/clientarea.tpl";
        $ownTheme = "$moduleDir/templates/twenty-one/clientarea.tpl";
        $own = "$moduleDir/templates/clientarea.tpl";
        $probe = '[{$LANG.title|default:"none"}|{$LANG.moduleactionsuccess}|%s]';
        $written = [];
        try {
            foreach (['own' => $own, 'own theme' => $ownTheme, 'theme copy' => $themeCopy] as $which => $path) {
                if (!is_dir(dirname($path))) {
                    mkdir(dirname($path), 0755, true);
                }
                file_put_contents($path, sprintf($probe, $which));
                $written[] = $path;
                $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];
                self::assertStringContainsString("[none|Action Completed Successfully!|$which]", $html);
            }
        } finally {
            foreach ($written as $path) {
                unlink($path);
            }
        }
    }

    /** WHMCS decodes the module's variables before its Smarty, which does not escape. */
    public function testTheModulesVariablesAreDecodedBeforeTheTemplate(): void
    {
        self::assertSame(
            ['a' => ['<b>"x"</b>', "\u{202E}", 5]],
            ClientArea::decode(['a' => ['&lt;b&gt;&quot;x&quot;&lt;/b&gt;', '&#8238;', 5]])
        );
        [$serviceId, $clientId] = $this->service();
        $this->sim->expect(200, 'POST', '/_sim/machines', ['customer' => 'emulated-area', 'machines' => [
            ['name' => '&lt;i&gt;', 'os' => 'Linux'],
        ]]);
        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];
        // The module sends "&amp;lt;i&amp;gt;"; decoded once to the server's text, escaped once.
        self::assertStringContainsString('>&amp;lt;i&amp;gt;<', $html);
    }

    /** Each page is one PHP request: a global set while it ran is gone afterwards. */
    public function testAGlobalSetDuringAPageIsGoneAfterIt(): void
    {
        [$serviceId, $clientId] = $this->service();
        $overrides = ROOTDIR . '/modules/servers/' . $this->whmcs->module . '/lang/overrides';
        self::assertTrue(is_dir($overrides) || mkdir($overrides, 0755, true));
        // A lang file runs during the page: it stands in for any code of the request.
        file_put_contents("$overrides/english.php", "<?php\n\$GLOBALS['sgwhmcs_request_probe'] = 'set';\n");
        try {
            $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
        } finally {
            unlink("$overrides/english.php");
        }
        self::assertArrayNotHasKey('sgwhmcs_request_probe', $GLOBALS);
        self::assertArrayNotHasKey('_SESSION', $GLOBALS, 'the session of the page is not the test\'s');
    }
}
