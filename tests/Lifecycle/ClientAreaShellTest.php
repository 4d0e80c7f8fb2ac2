<?php

/**
 * The client theme page shells (tests/Support/Pages) take the module's output either as WHMCS
 * hands it to the theme (the bare `{$moduleclientarea}`) or already inside the themes'
 * `<div class="text-center module-client-area">` (an emulator that wraps, as WHMCS's page does):
 * both give the same page, with the element once, in the "Manage" tab. Uses the module's real
 * client area output through the emulator against sgsim.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Pages\Nexus;
use SgWhmcs\Tests\Support\Pages\ProductDetailsPage;
use SgWhmcs\Tests\Support\Pages\TwentyOne;

final class ClientAreaShellTest extends ModuleTestCase
{
    /** The themes' first tab when the service has no domain ("Manage"). */
    private const MANAGE_TAB = '<div class="tab-pane fade show active text-center" role="tabpanel" id="manage">';

    public function testABareAndAWrappedModuleOutputGiveTheSamePage(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::MCAL => '5']), 'acme-shell');
        $this->assertCreated($serviceId, $result);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        $html = trim($this->whmcs->clientArea()->productDetails($clientId, $serviceId)['output']);
        self::assertStringContainsString('sgwhmcs-clientarea', $html, 'the module answered');
        // The module's own output, whichever way the emulator hands it over.
        $bare = str_starts_with($html, ProductDetailsPage::MODULE_AREA)
            ? trim(substr($html, strlen(ProductDetailsPage::MODULE_AREA), -strlen('</div>')))
            : $html;
        $wrapped = ProductDetailsPage::MODULE_AREA . "\n" . $bare . "\n</div>";
        $facts = ['product' => 'Backup Customer', 'group' => 'Cloud Backup', 'status' => 'Active',
            'regdate' => '2026-01-31'];

        foreach ([new TwentyOne($facts), new Nexus($facts)] as $shell) {
            $page = $shell->render($bare);
            self::assertTrue($page === $shell->render($wrapped), $shell::class . ': the wrapper is not doubled');
            self::assertSame(1, substr_count($page, 'module-client-area"'), $shell::class);
            $tab = strpos($page, self::MANAGE_TAB);
            self::assertIsInt($tab, $shell::class . ': the Manage tab');
            self::assertTrue(
                str_starts_with(
                    ltrim(substr($page, $tab + strlen(self::MANAGE_TAB))),
                    ProductDetailsPage::MODULE_AREA . "\n" . $bare . "\n</div>"
                ),
                $shell::class . ': the module output is the first thing in the Manage tab'
            );
        }
    }
}
