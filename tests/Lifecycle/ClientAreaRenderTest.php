<?php

/**
 * The client area as a person sees it: the generated template rendered by real Smarty 3.1
 * (Debian's smarty3), placed in whole product details pages shaped like WHMCS's client themes
 * Twenty-One (WHMCS 8) and Nexus (WHMCS 9), both Bootstrap 4 (Debian's libjs-bootstrap4, inlined:
 * no network; tests/Support/Pages), for three states: healthy, a stale machine, the server
 * unreachable. The rendered HTML is checked for the facts and each page for the module output in
 * the themes' `text-center module-client-area` element; with SGWHMCS_SCREENSHOT_HTML set to a
 * folder, the pages are written there as twenty-one-healthy.html, nexus-healthy.html, ... for
 * tools/screenshots.sh.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\ClientAreaDenied;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Pages\Nexus;
use SgWhmcs\Tests\Support\Pages\ProductDetailsPage;
use SgWhmcs\Tests\Support\Pages\TwentyOne;

final class ClientAreaRenderTest extends ModuleTestCase
{
    /** @return array{0: int, 1: int} [service id, client id] of an active customer "NAME" */
    private function service(string $name): array
    {
        [$serviceId, $result] = $this->orderAndAccept(
            $this->customerProduct([Labels::AUTO_MCAL => '', Labels::MCAL => '5']),
            $name,
            ['firstname' => 'Jane', 'lastname' => 'Doe', 'companyname' => 'Acme & Sons']
        );
        $this->assertCreated($serviceId, $result);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    private static function ago(int $seconds): string
    {
        return gmdate('Y-m-d\TH:i:s\Z', time() - $seconds);
    }

    /**
     * Seeds NAME's machines (name => [os, seconds since the last backup, result, seconds since
     * the last success or null]), usage and the server's downloads.
     *
     * @param array<string, array{0: string, 1: int|null, 2: string|null, 3: int|null}> $machines
     */
    private function seed(string $name, array $machines, int $usedBytes, int $mcal): void
    {
        $list = [];
        foreach ($machines as $machine => [$os, $last, $result, $success]) {
            $list[] = [
                'name' => $machine, 'os' => $os,
                'last_backup_at' => $last === null ? null : self::ago($last),
                'last_backup_result' => $result,
                'last_success_at' => $success === null ? null : self::ago($success),
            ];
        }
        $this->sim->expect(200, 'POST', '/_sim/machines', ['customer' => $name, 'machines' => $list]);
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'customer', 'name' => $name, 'used_bytes' => $usedBytes, 'mcal_used' => $mcal,
        ]);
        $this->sim->expect(200, 'POST', '/_sim/downloads', ['downloads' => [
            ['os' => 'Windows', 'url' => 'https://downloads.example.test/agent-setup.exe'],
            ['os' => 'macOS', 'url' => 'https://downloads.example.test/agent.pkg'],
            ['os' => 'Linux (deb)', 'url' => 'https://downloads.example.test/agent.deb'],
        ]]);
    }

    /**
     * The product details page of SERVICE around the module's HTML in both client theme shapes
     * (tests/Support/Pages: Twenty-One, WHMCS 8; Nexus, WHMCS 9), checked to hold the module
     * output once, in the themes' `text-center module-client-area` element inside the "Manage" tab.
     *
     * @return array<string, string> shape => page
     */
    private function pages(int $serviceId, string $html): array
    {
        $service = $this->whmcs->service($serviceId);
        $facts = [
            'product' => (string) $this->whmcs->store()->product((int) $service['packageid'])['name'],
            'group' => 'Cloud Backup',
            'status' => (string) $service['domainstatus'],
            'regdate' => (string) $service['regdate'],
        ];
        $pages = [
            'twenty-one' => (new TwentyOne($facts))->render($html),
            'nexus' => (new Nexus($facts))->render($html),
        ];
        foreach ($pages as $shape => $page) {
            self::assertSame(1, substr_count($page, 'module-client-area"'), "$shape: one module area");
            $area = strpos($page, ProductDetailsPage::MODULE_AREA);
            self::assertIsInt($area, "$shape: the module area is the themes' element");
            self::assertGreaterThan(strpos($page, 'id="manage"'), $area, "$shape: inside the Manage tab");
            self::assertTrue(str_contains($page, trim($html)), "$shape: the module output as it is");
            self::assertTrue(str_contains($page, 'Bootstrap v4'), "$shape: Bootstrap 4 inlined");
            self::assertSame(
                0,
                preg_match('~(?:src=|@import|url\\()["\']?(?:https?:)?//~', $page),
                "$shape: nothing fetched from the network"
            );
        }
        return $pages;
    }

    /** Writes PAGES as SHAPE-NAME.html into $SGWHMCS_SCREENSHOT_HTML when set. */
    private static function keep(string $name, array $pages): void
    {
        $dir = getenv('SGWHMCS_SCREENSHOT_HTML');
        if (is_string($dir) && $dir !== '') {
            self::assertTrue(is_dir($dir) || mkdir($dir, 0755, true));
            foreach ($pages as $shape => $page) {
                self::assertNotFalse(file_put_contents("$dir/$shape-$name.html", $page));
            }
        }
    }

    public function testHealthy(): void
    {
        [$serviceId, $clientId] = $this->service('acme-backup');
        $this->seed('acme-backup', [
            'fileserver-01' => ['Windows Server 2022', 3 * 3600, 'success', 3 * 3600],
            'web-01' => ['Ubuntu 24.04', 5 * 3600, 'warning', 29 * 3600],
            'Jane’s MacBook <Pro>' => ['macOS 15', 20 * 3600, 'success', 20 * 3600],
        ], (int) (3.2 * 1024 * 1024 * 1024), 3);

        // The emulated page, and the module output alone (what a theme puts in its module area).
        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
        $html = $page['html'];
        self::assertStringContainsString('Active', $html);
        self::assertStringContainsString('3.2 GiB of 10.0 GiB used (32%)', $html);
        self::assertStringContainsString('3 of 5 in use', $html);
        self::assertStringContainsString('Jane’s MacBook &lt;Pro&gt;', $html);
        self::assertStringNotContainsString('<Pro>', $html);
        self::assertSame(3, substr_count($html, 'class="sgwhmcs-machine"'), 'three rows, none flagged');
        self::assertStringNotContainsString('sgwhmcs-stale-summary', $html);
        self::assertStringContainsString('<code class="sgwhmcs-server">' . $this->sim->host . '</code>', $html);
        self::assertStringContainsString('<code class="sgwhmcs-port">' . $this->sim->port . '</code>', $html);
        self::assertStringContainsString('name="a" value="RevealPassKey"', $html);
        self::assertStringNotContainsString($this->sim->passkey('acme-backup'), $html);
        self::assertSame(3, substr_count($html, ' sgwhmcs-download" href="https://downloads.example.test/'));
        self::assertStringNotContainsString('{$', $html, 'no Smarty tag left unrendered');
        self::assertDoesNotMatchRegularExpression('/sgwhmcs\.[a-z_]+/', strip_tags($html), 'no lang key shown raw');
        self::keep('healthy', $this->pages($serviceId, $page['output']));
    }

    public function testStaleMachine(): void
    {
        [$serviceId, $clientId] = $this->service('acme-backup');
        $this->seed('acme-backup', [
            'fileserver-01' => ['Windows Server 2022', 2 * 3600, 'success', 2 * 3600],
            'accounting-pc' => ['Windows 11', 6 * 3600, 'failed', 12 * 86400 + 3600],
            'new-laptop' => ['Windows 11', null, null, null],
        ], (int) (8.7 * 1024 * 1024 * 1024), 3);
        $area = $this->whmcs->clientArea();

        // The emulated page, and the module output alone (what a theme puts in its module area).
        $page = $area->productDetails($clientId, $serviceId);
        $html = $page['html'];

        self::assertStringContainsString('8.7 GiB of 10.0 GiB used (87%)', $html);
        self::assertStringContainsString('progress-bar-warning bg-warning', $html);
        self::assertStringContainsString('2 machine(s) have had no successful backup for more than 7 days.', $html);
        self::assertSame(2, substr_count($html, 'sgwhmcs-flagged'));
        self::assertStringContainsString('No successful backup for 12 days', $html);
        self::assertStringContainsString('No successful backup yet', $html);
        self::assertMatchesRegularExpression('/accounting-pc.*?Failed/s', $html);

        // The owner asks for the pass key; another client cannot.
        $key = $this->sim->passkey('acme-backup');
        $revealed = $area->customAction($clientId, $serviceId, 'RevealPassKey')['html'];
        self::assertStringContainsString('<code class="sgwhmcs-passkey">' . $key . '</code>', $revealed);
        $other = $this->whmcs->addClient(['email' => 'other@example.test']);
        try {
            $area->customAction($other, $serviceId, 'RevealPassKey');
            self::fail('another client got a page');
        } catch (ClientAreaDenied) {
            self::assertSame(
                ['ClientArea', 'RevealPassKey', 'ClientArea'],
                $area->ran,
                'nothing ran for the other client'
            );
        }
        self::keep('stale', $this->pages($serviceId, $page['output']));
    }

    public function testUnreachable(): void
    {
        [$serviceId, $clientId] = $this->service('acme-backup');
        $productId = (int) $this->whmcs->service($serviceId)['packageid'];
        $this->whmcs->configureProduct($productId, [Labels::PORT => '9']);

        // The emulated page, and the module output alone (what a theme puts in its module area).
        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
        $html = $page['html'];

        self::assertSame(1, substr_count($html, 'class="alert alert-warning sgwhmcs-unavailable"'));
        self::assertStringContainsString('The backup details cannot be shown right now.', $html);
        self::assertStringNotContainsString('sgwhmcs-machines', $html);
        self::assertStringNotContainsString('connect', strtolower(strip_tags($html)), 'no error detail');
        self::keep('unreachable', $this->pages($serviceId, $page['output']));
    }

    public function testATranslationIsOneFileOfOnlyTheChangedWords(): void
    {
        [$serviceId, $clientId] = $this->service('acme-backup');
        $overrides = ROOTDIR . '/modules/servers/' . $this->whmcs->module . '/lang/overrides';
        self::assertTrue(is_dir($overrides) || mkdir($overrides, 0755, true));
        file_put_contents("$overrides/german.php", "<?php\n\$_LANG['title'] = 'Sicherungskonto';\n");
        try {
            $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId, 'german')['html'];
        } finally {
            unlink("$overrides/german.php");
        }
        self::assertStringContainsString('Sicherungskonto', $html);
        self::assertStringNotContainsString('Backup account', $html);
        self::assertStringContainsString('Show pass key', $html, 'the words not translated stay English');
    }
}
