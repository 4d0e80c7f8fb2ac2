<?php

/**
 * A failing action hook never stops WHMCS: the client is still added (the order still accepted),
 * and the failure is written as one line `<UTC time> <Hook> client <id>: <message>` to
 * whmcs_error.log in the admin folder (renamed or not) and to the Activity Log, naming the cause
 * and no password. A configuration error sends nothing to the Backup Server.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Labels;

final class FailureTest extends HooksTestCase
{
    private const OTHER_FINGERPRINT = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

    public function testAStorageAllottedThatIsNoNumberIsAConfigurationErrorAndNothingIsSent(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [Labels::STORAGE => 'abc']);
        $before = $this->sim->totalRequests();

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^Hooks configuration is invalid: .*Storage Allotted: /'
        );
        self::assertSame($before, $this->sim->totalRequests(), 'no request reached the Backup Server');
        self::assertSame([], $this->whmcs->moduleLog()->entries());
    }

    public function testAnUnknownPolicyLabelIsAConfigurationErrorAndNothingIsSent(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer', ['Storage Quota' => '1024']);
        $before = $this->sim->totalRequests();

        [$clientId] = $this->fire('AcceptOrder');

        $this->assertFailureReported(
            'AcceptOrder',
            $clientId,
            '/^Hooks configuration is invalid: .*Storage Quota: is not a setting name/'
        );
        self::assertSame($before, $this->sim->totalRequests(), 'no request reached the Backup Server');
    }

    public function testAnUnfilledConnectionSaysWhatToEditAndNothingIsSent(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [], [
            'serverName' => '',
            'userName' => '',
            'loginPassword' => '',
            'certificateSha256' => '',
        ]);
        $before = $this->sim->totalRequests();

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^Hooks configuration is invalid: .*\$serverName, \$userName and \$loginPassword/'
        );
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testAServerThatIsDownIsReported(): void
    {
        $dead = $this->startSim(true);
        $dead->stop();
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], [], $dead);

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^Could not create reseller: could not connect to the Backup Server at [^ ]*:' . $dead->port . '/',
            [$dead->password]
        );
    }

    public function testANameTakenByAnotherClientIsReported(): void
    {
        foreach (['Acme Widgets', 'Acme Widgets-1'] as $name) {
            $this->sim->createDirectly('customers', [
                'name' => $name,
                'contact' => ['email' => 'someone@else.test'],
                'storage' => ['allotted_bytes' => 1024],
            ]);
        }
        $this->installHooks('ClientAdd', 'SGSignupCustomer');
        $postsBefore = $this->sim->stats()['routes']['POST /customers'];

        [$clientId] = $this->fire('ClientAdd');

        self::assertSame(1, $clientId, 'the name tried second is "Acme Widgets-1"');
        $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^Could not create customer: the name "Acme Widgets-1" is already taken on the Backup Server/'
        );
        self::assertSame($postsBefore, $this->sim->stats()['routes']['POST /customers'], 'nothing was created');
        self::assertSame('someone@else.test', $this->sim->customer('Acme Widgets')['contact']['email']);
        self::assertSame('someone@else.test', $this->sim->customer('Acme Widgets-1')['contact']['email']);
    }

    public function testACertificateThatDoesNotMatchThePinIsRefused(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['certificateSha256' => self::OTHER_FINGERPRINT]);
        $before = $this->sim->totalRequests();

        [$clientId] = $this->fire('ClientAdd');

        $message = $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^(?=.*certificate)(?=.*SHA-256)(?=.*does not match)/'
        );
        self::assertStringNotContainsString((string) $this->sim->sha256, $message);
        self::assertSame($before, $this->sim->totalRequests(), 'no request was sent over the refused connection');
        self::assertNull($this->sim->reseller('Acme Widgets'));
    }

    public function testAWrongAdminPasswordIsReportedWithoutIt(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['loginPassword' => 'Wr0ng-Admin-Pass']);

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/(wrong credentials|rejected the user name or password).*AUTH_FAILED/',
            ['Wr0ng-Admin-Pass']
        );
        self::assertNull($this->sim->reseller('Acme Widgets'));
    }

    public function testAnAcceptOrderFailureNamesTheOrdersClient(): void
    {
        $dead = $this->startSim(true);
        $dead->stop();
        $this->installHooks('AcceptOrder', 'SGSignupCustomer', [], [], $dead);
        $this->whmcs->addClient(['email' => 'first@client.test']);

        [$clientId] = $this->fire('AcceptOrder');

        self::assertSame(2, $clientId);
        $this->assertFailureReported('AcceptOrder', $clientId, '/could not connect to the Backup Server/', [
            $dead->password,
        ]);
    }

    public function testWithoutACustomAdminPathTheLogIsInTheAdminFolder(): void
    {
        WhmcsTree::setAdminFolder(ROOTDIR, null);
        self::assertSame('admin', WhmcsTree::adminFolder(ROOTDIR));
        $this->installHooks('ClientAdd', 'SGSignupReseller', [Labels::STORAGE => 'abc']);

        [$clientId] = $this->fire('ClientAdd');

        self::assertSame(ROOTDIR . '/admin/whmcs_error.log', self::errorLogPath());
        $this->assertFailureReported('ClientAdd', $clientId, '/Storage Allotted/');
        self::assertSame(
            [],
            $this->newErrorLines(ROOTDIR . '/' . WhmcsTree::ADMIN_PATH . '/whmcs_error.log'),
            'nothing in the folder configuration.php no longer names'
        );
    }

    public function testEachFailureAppendsItsOwnLine(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [Labels::STORAGE => 'abc']);

        $first = $this->whmcs->addClient(['email' => 'one@client.test']);
        $second = $this->whmcs->addClient(['email' => 'two@client.test']);

        $lines = $this->newErrorLines();
        self::assertCount(2, $lines);
        foreach ([$first, $second] as $i => $clientId) {
            self::assertMatchesRegularExpression(
                "/^\\S+Z ClientAdd client $clientId: Hooks configuration is invalid/",
                $lines[$i]
            );
        }
        self::assertSame([$first, $second], array_column($this->hookActivity(), 'clientId'));
    }
}
