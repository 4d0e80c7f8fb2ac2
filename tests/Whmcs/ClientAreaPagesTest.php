<?php

/**
 * What WHMCS 8.12's product details page does with a module's answers (tests/Emulator/ClientArea.php
 * cites the sources), with a fake module (`emupage`) answering what each test sets: ClientArea's
 * params and vars HTML-decoded before its template; a custom function's array answer the whole
 * page, its vars as they are; a string answer the alert above the normal product page, whose
 * ClientArea runs in the same request; a template name that is not one refused.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\ClientArea;
use SgWhmcs\Tests\Emulator\Whmcs;

final class ClientAreaPagesTest extends TestCase
{
    private Whmcs $whmcs;
    private int $clientId;
    private int $serviceId;
    private string $moduleDir;

    protected function setUp(): void
    {
        FakeModule::load();
        $this->whmcs = Whmcs::fresh(FakeModule::PAGES);
        $this->clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($this->clientId, $this->whmcs->addProduct('Pages'));
        self::assertSame('success', $this->whmcs->acceptOrder($orderId));
        $this->serviceId = $this->whmcs->orderService($orderId);
        $this->moduleDir = ROOTDIR . '/modules/servers/' . FakeModule::PAGES;
        if (!is_dir($this->moduleDir)) {
            mkdir($this->moduleDir, 0755, true);
        }
        file_put_contents("$this->moduleDir/overview.tpl", 'O[{$x|default:""}]');
        file_put_contents("$this->moduleDir/whole.tpl", 'W[{$x}]');
    }

    protected function tearDown(): void
    {
        @unlink("$this->moduleDir/overview.tpl");
        @unlink("$this->moduleDir/whole.tpl");
    }

    public function testClientAreaVarsAreDecodedBeforeTheTemplate(): void
    {
        FakeModule::$answers['ClientArea'] = ['templatefile' => 'overview', 'vars' => ['x' => '&lt;b&gt;&#8238;']];

        $page = $this->whmcs->clientArea()->productDetails($this->clientId, $this->serviceId);

        self::assertStringContainsString("O[<b>\u{202E}]", $page['html']);
        self::assertStringContainsString('<div class="text-center module-client-area">', $page['html']);
    }

    public function testAnArrayAnswerOfACustomFunctionIsTheWholePageWithItsVarsAsTheyAre(): void
    {
        FakeModule::$answers['Whole'] = ['templatefile' => 'whole', 'vars' => ['x' => '&lt;b&gt;']];
        $area = $this->whmcs->clientArea();

        $page = $area->customAction($this->clientId, $this->serviceId, 'Whole');

        self::assertSame('W[&lt;b&gt;]', trim($page['html']));
        self::assertSame(['Whole'], $area->ran, 'no product page, no ClientArea');
    }

    public function testAStringAnswerIsTheAlertAboveTheProductPageWhoseClientAreaRunsToo(): void
    {
        FakeModule::$answers['ClientArea'] = ['templatefile' => 'overview', 'vars' => ['x' => 'after']];
        $area = $this->whmcs->clientArea();

        FakeModule::$answers['Say'] = 'the disk is full';
        $failed = $area->customAction($this->clientId, $this->serviceId, 'Say')['html'];
        FakeModule::$answers['Say'] = 'success';
        $done = $area->customAction($this->clientId, $this->serviceId, 'Say')['html'];

        self::assertMatchesRegularExpression('~Action Failed the disk is full</div>.*O\[after\]~s', $failed);
        self::assertMatchesRegularExpression('~Action Completed Successfully!</div>.*O\[after\]~s', $done);
        self::assertSame(['Say', 'ClientArea', 'Say', 'ClientArea'], $area->ran);
    }

    public function testATemplateNameThatIsNotOneIsRefused(): void
    {
        FakeModule::$answers['ClientArea'] = ['templatefile' => '../../../x', 'vars' => []];
        $this->expectException(\RuntimeException::class);
        $this->expectExceptionMessage('is not a template name');
        $this->whmcs->clientArea()->productDetails($this->clientId, $this->serviceId);
    }

    public function testDecodeIsHtmlEntityDecodeWithQuotes(): void
    {
        self::assertSame(["'\"&<>\u{E9}"], ClientArea::decode(['&#039;&quot;&amp;&lt;&gt;&eacute;']));
    }
}
