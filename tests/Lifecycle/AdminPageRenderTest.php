<?php

/**
 * The admin's service page as a person sees it: the module's real answers through the emulated
 * admin screens against sgsim (AdminServicesTabFields, AdminCustomButtonArray, a pressed button)
 * placed in a whole Products/Services page shaped like WHMCS 8's admin template Blend, Bootstrap 3
 * (Debian's libjs-bootstrap, inlined: no network; tests/Support/Pages/AdminServicePage.php). The
 * page is checked to hold every field of the module's tab with its value as the module gave it,
 * every module button after WHMCS's own commands, and the result of the button pressed; with
 * SGWHMCS_SCREENSHOT_HTML set to a folder, it is written there as admin-service.html for
 * tools/screenshots.sh.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Pages\AdminServicePage;

final class AdminPageRenderTest extends ModuleTestCase
{
    private const GIB = 1073741824;

    public function testTheServicePageShowsTheModuleTabAndItsButtons(): void
    {
        [$serviceId, $result] = $this->orderAndAccept(
            $this->customerProduct([Labels::PASS_KEY => 'on', Labels::AUTO_MCAL => '', Labels::MCAL => '5']),
            'acme-backup',
            ['firstname' => 'Jane', 'lastname' => 'Doe', 'companyname' => 'Acme & Sons']
        );
        $this->assertCreated($serviceId, $result);
        $this->sim->expect(200, 'POST', '/_sim/usage', ['kind' => 'customer', 'name' => 'acme-backup',
            'used_bytes' => (int) (3.5 * self::GIB), 'mcal_used' => 3, 'clients' => 3]);
        $screens = $this->whmcs->adminScreens();

        self::assertSame('success', $screens->press($serviceId, 'Store Pass Key Again'));
        $tab = $screens->serviceTab($serviceId);
        $buttons = $screens->buttons();
        $service = $this->whmcs->service($serviceId);
        $page = (new AdminServicePage([
            'id' => (int) $service['userid'],
            'client' => 'Jane Doe (Acme & Sons)',
            'product' => (string) $this->whmcs->store()->product((int) $service['packageid'])['name'],
            'username' => (string) $service['username'],
            'status' => (string) $service['domainstatus'],
            'regdate' => (string) $service['regdate'],
        ], $tab, $buttons, $screens->shown))->render();

        // The module's own facts, from the server, in the tab.
        self::assertSame('customer &quot;acme-backup&quot;', $tab['Account']);
        self::assertSame('3.5 GiB used of 10 GiB (35%)', $tab['Storage']);
        self::assertSame('3 used of 5', $tab['MCAL']);
        self::assertStringStartsWith('whmcs:', $tab['External reference']);
        // Every row of the tab on the page, its value as the module's HTML (WHMCS prints it raw).
        foreach ($tab as $label => $html) {
            $row = '<td class="fieldlabel">' . htmlspecialchars($label) . '</td>'
                . '<td class="fieldarea" colspan="3"><span class="module-field">' . $html . '</span>';
            self::assertTrue(str_contains($page, $row), "the row $label: $row");
        }
        // WHMCS's commands, then each module button, in the Module Commands row.
        $inOrder = '~<td class="fieldlabel">Module Commands</td>.*?>Create</button>'
            . '.*?>Change Password</button>.*?>Reset Pass Key</button>.*?>Store Pass Key Again</button>'
            . '.*?>Link Existing Account</button>.*?>Delete on Backup Server</button>~s';
        self::assertSame(1, preg_match($inOrder, $page), 'the commands in order');
        self::assertSame(count($buttons), substr_count($page, 'class="btn btn-default module-button"'));
        self::assertCount(4, $buttons);
        self::assertTrue(str_contains($page, '<strong>Success!</strong> Module Command Success'), 'the result');
        self::assertTrue(str_contains($page, 'Bootstrap v3'), 'Bootstrap 3 inlined');
        self::assertSame(0, preg_match('~(?:src=|@import|url\()["\']?(?:https?:)?//~', $page), 'nothing fetched');
        self::assertFalse(str_contains($page, $this->sim->passkey('acme-backup')), 'no pass key on the page');

        $dir = getenv('SGWHMCS_SCREENSHOT_HTML');
        if (is_string($dir) && $dir !== '') {
            self::assertTrue(is_dir($dir) || mkdir($dir, 0755, true));
            self::assertNotFalse(file_put_contents("$dir/admin-service.html", $page));
        }
    }
}
