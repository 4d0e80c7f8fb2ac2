<?php

/**
 * The client area of a Backup Server service, through the emulated WHMCS client area against
 * sgsim: what the owner sees (status, storage, MCAL, machines with the 7-day flag, how to connect,
 * downloads), the pass key only on request and only for the owner, one line when the server
 * cannot be reached or the settings are broken (nothing sent then), and a lying server's text
 * shown as text.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Emulator\ClientArea;
use SgWhmcs\Tests\Emulator\ClientAreaDenied;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ClientAreaTest extends ModuleTestCase
{
    private const CLIENTS = 'GET /customers/{name}/clients';
    private const PASSKEY = 'GET /customers/{name}/passkey';

    /** @return array{0: int, 1: int} [service id, its client id] of an active customer service */
    private function activeService(string $name = 'acme-area'): array
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), $name);
        $this->assertCreated($serviceId, $result);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    /** Machines of NAME: one backed up an hour ago, one whose last success is 10 days old. */
    private function seedMachines(string $name): void
    {
        $now = time();
        $hourAgo = gmdate('Y-m-d\TH:i:s\Z', $now - 3600);
        $tenDays = gmdate('Y-m-d\TH:i:s\Z', $now - 10 * 86400);
        $this->sim->expect(200, 'POST', '/_sim/machines', ['customer' => $name, 'machines' => [
            ['name' => 'web-1', 'os' => 'Ubuntu 24.04', 'last_backup_at' => $hourAgo,
                'last_backup_result' => 'success', 'last_success_at' => $hourAgo],
            ['name' => 'Tom & Jerry <laptop>', 'os' => 'Windows 11', 'last_backup_at' => $hourAgo,
                'last_backup_result' => 'failed', 'last_success_at' => $tenDays],
            ['name' => 'new-box', 'os' => 'Debian 12'],
        ]]);
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'customer', 'name' => $name, 'used_bytes' => 2684354560, 'mcal_used' => 2,
        ]);
        $this->sim->expect(200, 'POST', '/_sim/downloads', ['downloads' => [
            ['os' => 'Windows', 'url' => 'https://downloads.example.test/agent.msi'],
            ['os' => 'Linux', 'url' => 'https://downloads.example.test/agent.deb'],
        ]]);
    }

    private function routeCount(string $route): int
    {
        return (int) ($this->sim->stats()['routes'][$route] ?? 0);
    }

    public function testTheOwnerSeesStateUsageMachinesWithTheStaleFlagAndDownloads(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        $this->seedMachines('acme-area');

        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
        $v = $page['vars']['sgwhmcs'];

        self::assertSame('clientarea', $page['templatefile']);
        self::assertFalse($v['error']);
        self::assertSame('status_active', $v['status_key']);
        self::assertSame('2.5 GiB', $v['storage_used']);
        self::assertSame('10.0 GiB', $v['storage_allotted']);
        self::assertSame(25, $v['storage_percent']);
        self::assertSame(2, $v['mcal_used']);
        self::assertSame(3, $v['machine_count']);
        self::assertSame(2, $v['stale_count'], 'the 10-day machine and the one never backed up');
        // As the template gets them (WHMCS decodes every variable): the server's own text.
        $byName = array_column(ClientArea::decode($v['machines']), null, 'name');
        self::assertSame('health_ok', $byName['web-1']['health_key']);
        self::assertSame('health_stale', $byName['Tom & Jerry <laptop>']['health_key']);
        self::assertSame(10, $byName['Tom & Jerry <laptop>']['stale_days']);
        self::assertStringContainsString('Tom &amp; Jerry &lt;laptop&gt;', $page['html']);
        self::assertSame('health_never', $byName['new-box']['health_key']);
        self::assertSame('result_never', $byName['new-box']['result_key']);
        self::assertSame($this->sim->host, $v['server_host']);
        self::assertSame($this->sim->port, $v['server_port']);
        self::assertSame('acme-area', $v['account']);
        self::assertCount(2, $v['downloads']);
        self::assertFalse($v['passkey_shown']);
        self::assertStringNotContainsString($this->sim->passkey('acme-area'), $page['html']);
        self::assertSame(0, $this->routeCount(self::PASSKEY) - 1, 'only the test read the pass key');
        self::assertSame(1, $this->routeCount(self::CLIENTS));
    }

    public function testThePassKeyIsShownOnRequestToTheOwnerOnly(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        $other = $this->whmcs->addClient(['email' => 'mallory@example.test']);
        $area = $this->whmcs->clientArea();

        $before = $this->sim->totalRequests();
        try {
            $area->customAction($other, $serviceId, 'RevealPassKey');
            self::fail('another client was shown the pass key');
        } catch (ClientAreaDenied $e) {
            self::assertStringContainsString("not a service of client $other", $e->getMessage());
        }
        try {
            $area->customAction($clientId, $serviceId, 'RevealPassKey', null);
            self::fail('a post without the session token was run');
        } catch (ClientAreaDenied $e) {
            self::assertStringContainsString('CSRF', $e->getMessage());
        }
        self::assertSame($before, $this->sim->totalRequests(), 'nothing was sent for a refused request');
        self::assertSame([], $area->ran);

        $page = $area->customAction($clientId, $serviceId, 'RevealPassKey');
        $key = $this->sim->passkey('acme-area');
        // WHMCS shows the custom function's "success" on the product page, whose ClientArea (in
        // the same request) shows the key within the page.
        self::assertSame('success', $page['result']);
        self::assertStringContainsString('Action Completed Successfully!', $page['html']);
        self::assertTrue($page['vars']['sgwhmcs']['passkey_shown']);
        self::assertSame($key, $page['vars']['sgwhmcs']['passkey']);
        self::assertMatchesRegularExpression(
            '~<div class="text-center module-client-area">.*<code class="sgwhmcs-passkey">'
            . preg_quote($key, '~') . '</code>.*sgwhmcs-downloads~s',
            $page['html'],
            'the key is within the product page, with the rest of the client area'
        );
        self::assertSame(['RevealPassKey', 'ClientArea'], $area->ran);
        self::assertSame(2, $this->routeCount(self::PASSKEY), 'one read to show it, one by the test');

        // The next page of the same service (a new request) is without it.
        $next = $area->productDetails($clientId, $serviceId);
        self::assertFalse($next['vars']['sgwhmcs']['passkey_shown']);
        self::assertStringNotContainsString($key, $next['html']);
        self::assertSame(2, $this->routeCount(self::PASSKEY));
    }

    public function testOnlyTheRevealIsAClientFunction(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        $area = $this->whmcs->clientArea();
        self::assertSame(['RevealPassKey'], $area->allowedFunctions());
        foreach (['TerminateAccount', 'SuspendAccount', 'ClientArea', 'revealpasskey'] as $function) {
            try {
                $area->customAction($clientId, $serviceId, $function);
                self::fail("$function was run from the client area");
            } catch (ClientAreaDenied $e) {
                self::assertStringContainsString('not a client area function', $e->getMessage());
            }
        }
        self::assertTrue($this->sim->customer('acme-area')['active']);
    }

    public function testASuspendedServiceShowsNoPassKey(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        $area = $this->whmcs->clientArea();
        $before = $this->sim->totalRequests();

        $page = $area->customAction($clientId, $serviceId, 'RevealPassKey');

        self::assertSame(['ClientArea'], $area->ran, 'WHMCS runs a custom function for an Active service only');
        self::assertNull($page['result']);
        self::assertTrue($page['vars']['sgwhmcs']['inactive']);
        self::assertStringNotContainsString('module-client-area', $page['html']);
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testAnUnreachableServerIsOneLineAndNeverThrows(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        $productId = (int) $this->whmcs->service($serviceId)['packageid'];
        $this->whmcs->configureProduct($productId, [Labels::PORT => '1']);

        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);

        self::assertTrue($page['vars']['sgwhmcs']['error']);
        self::assertStringContainsString('cannot be shown right now', $page['html']);
        self::assertStringNotContainsString('127.0.0.1', $page['html'], 'no connection detail for the client');
    }

    public function testBrokenSettingsSendNothing(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        $productId = (int) $this->whmcs->service($serviceId)['packageid'];
        $this->whmcs->configureProduct($productId, [Labels::PORT => '6o61']);
        $before = $this->sim->totalRequests();

        foreach (['productDetails', 'reveal'] as $what) {
            $page = $what === 'productDetails'
                ? $this->whmcs->clientArea()->productDetails($clientId, $serviceId)
                : $this->whmcs->clientArea()->customAction($clientId, $serviceId, 'RevealPassKey');
            self::assertTrue($page['vars']['sgwhmcs']['error'], $what);
        }
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testALyingServersTextIsShownAsTextAndItsLinksOnlyWhenHttp(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'route' => self::CLIENTS, 'body' => json_encode([
            'clients' => [
                ['name' => "<img src=x onerror=alert(1)>\u{0}", 'os' => str_repeat('W', 100000),
                    'last_backup_at' => 'not a time', 'last_backup_result' => 'exploded'],
                ['name' => '&amp;encoded', 'last_backup_result' => null],
            ],
            'next' => null,
        ])]);
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'route' => 'GET /server', 'body' => json_encode([
            'api' => 'backup-server/1',
            'product' => 'x',
            'downloads' => [
                ['os' => 'Evil', 'url' => 'javascript:alert(1)'],
                ['os' => '<b>Mac</b>', 'url' => 'https://ok.test/a"b'],
                'not an object',
            ],
        ])]);

        $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
        $html = $page['html'];

        self::assertStringNotContainsString('<img src=x', $html);
        self::assertStringContainsString('&lt;img src=x onerror=alert(1)&gt;', $html);
        self::assertStringContainsString('&amp;amp;encoded', $html, 'encoded text is shown as sent');
        self::assertStringNotContainsString('javascript:', $html);
        self::assertStringNotContainsString('ok.test', $html, 'a URL with a quote is no link');
        self::assertStringNotContainsString('Mac&lt;', $html, 'its download, of a URL with a quote, is left out');
        self::assertLessThan(20000, strlen($html), 'a huge OS text is cut');
        self::assertSame('result_unknown', $page['vars']['sgwhmcs']['machines'][0]['result_key']);
        self::assertSame('health_never', $page['vars']['sgwhmcs']['machines'][0]['health_key']);
    }

    public function testNonUtf8AndHugeUsernamesAreShownAsTextOrOneLine(): void
    {
        [$serviceId, $clientId] = $this->activeService();
        foreach (["acme\xff\xfe<script>", str_repeat('A', 300000)] as $username) {
            $this->whmcs->store()->services[$serviceId]['username'] = $username;
            $page = $this->whmcs->clientArea()->productDetails($clientId, $serviceId);
            self::assertTrue($page['vars']['sgwhmcs']['error'], 'no such account: the one line');
            self::assertStringNotContainsString('<script>', $page['html']);
            self::assertStringNotContainsString($this->sim->password, $page['html']);
            self::assertLessThan(5000, strlen($page['html']));
        }
    }

    public function testAResellerSeesItsStateAndStorageButNoMachinesOrPassKey(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->resellerProduct(), 'reseller-area');
        $this->assertCreated($serviceId, $result);
        $clientId = (int) $this->whmcs->service($serviceId)['userid'];
        $area = $this->whmcs->clientArea();

        $pages = [
            $area->productDetails($clientId, $serviceId),
            $area->customAction($clientId, $serviceId, 'RevealPassKey'),
        ];
        foreach ($pages as $page) {
            $v = $page['vars']['sgwhmcs'];
            self::assertFalse($v['error']);
            self::assertSame('reseller', $v['kind']);
            self::assertSame('1.0 TiB', $v['storage_allotted']);
            self::assertArrayNotHasKey('machines', $v);
            self::assertFalse($v['passkey_shown']);
            self::assertStringNotContainsString('sgwhmcs-machines', $page['html']);
            self::assertStringNotContainsString('RevealPassKey', $page['html']);
        }
        self::assertSame(0, $this->routeCount(self::CLIENTS) + $this->routeCount(self::PASSKEY));
    }

    public function testAnotherClientSeesNoPage(): void
    {
        [$serviceId] = $this->activeService();
        $other = $this->whmcs->addClient(['email' => 'eve@example.test']);
        $before = $this->sim->totalRequests();
        $this->expectException(ClientAreaDenied::class);
        try {
            $this->whmcs->clientArea()->productDetails($other, $serviceId);
        } finally {
            self::assertSame($before, $this->sim->totalRequests());
        }
    }
}
