<?php

/**
 * The emulated client area is as strict as WHMCS (tests/Emulator/ClientArea.php cites the
 * sources): a lenient emulator would show another client's service, run a module function the
 * module does not allow, take a post without the session token, or render an empty page for a
 * template that is not there. Each refusal runs no module function.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

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
}
