<?php

/**
 * The admin's service page shows the account live (AdminServicesTabFields): state (and whether it
 * is effectively active under its reseller), storage used of allotted with a percentage, MCAL,
 * machines, the reseller, the creation time and the external reference, from ONE request; every
 * value HTML-escaped; an unreachable or lying server gives one line within the timeout, never an
 * exception; a broken setting is named and nothing is sent.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class AdminTabTest extends ModuleTestCase
{
    private const GIB = 1073741824;

    private function customer(string $name, array $overrides = [], array $client = []): int
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct($overrides), $name, $client);
        $this->assertCreated($serviceId, $result);
        return $serviceId;
    }

    public function testTheTabShowsTheAccountFromOneRequest(): void
    {
        $serviceId = $this->customer('acme-tab', [Labels::STORAGE => (string) (10 * self::GIB),
            Labels::AUTO_MCAL => '', Labels::MCAL => '24']);
        $this->sim->expect(200, 'POST', '/_sim/usage', ['kind' => 'customer', 'name' => 'acme-tab',
            'used_bytes' => (int) (2.5 * self::GIB), 'mcal_used' => 3, 'clients' => 4]);
        $before = $this->sim->totalRequests();

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame(1, $this->sim->totalRequests() - $before, 'one request');
        self::assertSame(1, $this->sim->stats()['routes']['GET /customers/{name}'] ?? 0);
        $account = $this->sim->customer('acme-tab');
        self::assertSame('customer &quot;acme-tab&quot;', $tab['Account']);
        self::assertSame('Active', $tab['State']);
        self::assertSame('2.5 GiB used of 10 GiB (25%)', $tab['Storage']);
        self::assertSame('3 used of 24', $tab['MCAL']);
        self::assertSame('4', $tab['Machines']);
        self::assertSame('&quot;Default Reseller&quot;', $tab['Reseller']);
        self::assertSame($account['created_at'], $tab['Created']);
        self::assertSame($account['reference'], $tab['External reference']);
        self::assertStringStartsWith('whmcs:', $tab['External reference']);
    }

    public function testACustomerUnderAnInactiveResellerIsShownEffectivelyInactive(): void
    {
        $this->sim->createDirectly('resellers', ['name' => 'Tab Resellers', 'contact' => ['email' => 'r@tab.test'],
            'active' => true, 'auto_authorization' => false, 'storage' => ['allotted_bytes' => 100 * self::GIB],
            'mcal' => ['auto' => true], 'throttle' => null, 'send_mail' => false]);
        $serviceId = $this->customer('acme-under', [Labels::RESELLER => 'Tab Resellers']);
        $this->sim->expect(200, 'POST', '/api/v1/resellers/Tab%20Resellers/deactivate');

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertStringContainsString('effectively INACTIVE', $tab['State']);
        self::assertSame('&quot;Tab Resellers&quot;', $tab['Reseller']);
        self::assertTrue($this->sim->customer('acme-under')['active'], 'its own flag stays active');
    }

    public function testAResellerShowsItsCustomersInsteadOfMachines(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->resellerProduct(), 'Acme Tab Resellers');
        $this->assertCreated($serviceId, $result);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame('reseller &quot;Acme Tab Resellers&quot;', $tab['Account']);
        self::assertSame('0', $tab['Customers']);
        self::assertArrayNotHasKey('Machines', $tab);
        self::assertSame('0 B used of 1 TiB (0%)', $tab['Storage']);
    }

    public function testAnUnreachableServerIsOneLineWithinTheTimeout(): void
    {
        $serviceId = $this->customer('acme-gone');
        $this->sim->fault(['kind' => 'blackhole', 'route' => 'GET /customers/{name}']);
        $previous = ini_set('sgwhmcs.timeout', '2');
        try {
            $started = microtime(true);
            $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);
            $took = microtime(true) - $started;
        } finally {
            ini_set('sgwhmcs.timeout', (string) $previous);
        }

        self::assertLessThan(5, $took);
        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringContainsString('could not be read', $tab['Backup Server']);
        self::assertStringContainsString('did not answer within 2 seconds', $tab['Backup Server']);
    }

    public function testARefusedConnectionIsOneLine(): void
    {
        $serviceId = $this->customer('acme-refused');
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr((string) stream_socket_get_name($socket, false), strlen('127.0.0.1:'));
        fclose($socket);
        $this->whmcs->configureProduct($this->whmcs->service($serviceId)['packageid'], [
            Labels::HOST => '127.0.0.1', Labels::PORT => (string) $port, Labels::PROTOCOL => 'http',
            Labels::FINGERPRINT => '',
        ]);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringContainsString('could not connect', $tab['Backup Server']);
    }

    public function testAMissingAccountSaysWhatToDo(): void
    {
        $serviceId = $this->customer('acme-deleted');
        $this->sim->expect(204, 'DELETE', '/api/v1/customers/acme-deleted');

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringContainsString('There is no customer &quot;acme-deleted&quot;', $tab['Backup Server']);
    }

    public function testABrokenSettingIsNamedAndNothingIsSent(): void
    {
        $serviceId = $this->customer('acme-broken');
        $this->whmcs->configureProduct($this->whmcs->service($serviceId)['packageid'], [Labels::PROTOCOL => 'ftp']);
        $before = $this->sim->totalRequests();

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame($before, $this->sim->totalRequests());
        self::assertStringContainsString('Module settings are invalid', $tab['Backup Server']);
        self::assertStringContainsString(Labels::PROTOCOL, $tab['Backup Server']);
    }

    public function testEveryValueIsEscapedAndALyingServerCannotInjectHtml(): void
    {
        $serviceId = $this->customer('acme-lies');
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => [
            'reseller' => '<script>alert(1)</script>', 'created_at' => '"><img src=x onerror=alert(1)>',
        ]]);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame('&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;', $tab['Reseller']);
        foreach ($tab as $html) {
            self::assertStringNotContainsString('<', $html);
            self::assertStringNotContainsString('"', $html);
        }

        // A reference that is not this service's: the account is not shown, only whose it is,
        // and the server's text is text (escaped, cut), never markup.
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => [
            'reference' => str_repeat('&lt;b&gt;', 5000),
        ]]);
        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);
        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringStartsWith(
            'The customer &quot;acme-lies&quot; on the Backup Server is not shown',
            $tab['Backup Server']
        );
        self::assertStringContainsString('&amp;lt;b&amp;gt;', $tab['Backup Server'], 'encoded text shown as text');
        self::assertStringNotContainsString('<', $tab['Backup Server']);
        self::assertLessThan(1500, strlen($tab['Backup Server']), 'a huge reference is cut');
    }

    public function testAFieldOfTheWrongTypeIsOneLineNotAMadeUpValue(): void
    {
        $serviceId = $this->customer('acme-types');
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => ['clients' => 'many']]);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringContainsString('not understood', $tab['Backup Server']);
    }

    public function testTextsFromTheServerAreEscapedAndCut(): void
    {
        $serviceId = $this->customer('acme-long');
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'set' => [
            'reseller' => '<b>Big & Co</b>',
            'storage' => ['allotted_bytes' => 1, 'used_bytes' => PHP_INT_MAX],
        ]]);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame('&quot;&lt;b&gt;Big &amp; Co&lt;/b&gt;&quot;', $tab['Reseller']);
        self::assertLessThan(400, strlen($tab['External reference']));
        self::assertSame('8 EiB used of 1 B (922337203685477580700%)', $tab['Storage']);
    }

    public function testANonUtf8UsernameIsReadAsWindows1252AndShownEscaped(): void
    {
        $serviceId = $this->customer('acme-bytes');
        $this->whmcs->store()->services[$serviceId]['username'] = "acme-\xE9<";

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame(['Backup Server'], array_keys($tab));
        // No account can hold "é" or "<" in its name: the tab says so, escaped, and reads nothing.
        self::assertStringContainsString('&quot;acme-é&lt;&quot; contains &#039;é&#039;', $tab['Backup Server']);
        self::assertTrue(mb_check_encoding($tab['Backup Server'], 'UTF-8'));
    }

    public function testAHugeUsernameGivesOneShortLine(): void
    {
        $serviceId = $this->customer('acme-huge');
        $this->whmcs->store()->services[$serviceId]['username'] = str_repeat('a', 200000);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertLessThan(2000, strlen($tab['Backup Server']), $tab['Backup Server']);
    }

    public function testTheServersPasswordNeverReachesTheTab(): void
    {
        $serviceId = $this->customer('acme-echo');
        $this->sim->fault(['kind' => 'echo', 'route' => 'GET /customers/{name}']);

        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        $line = $tab['Backup Server'];
        self::assertStringNotContainsString($this->sim->password, $line);
        self::assertStringNotContainsString(base64_encode($this->sim->user . ':' . $this->sim->password), $line);
    }
}
