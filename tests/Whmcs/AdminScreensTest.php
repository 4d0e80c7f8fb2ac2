<?php

/**
 * The emulated admin screens (tests/Emulator/AdminScreens.php) behave as WHMCS 8's, strictly:
 * the service tab takes only `[label => html]` and prints it unescaped; `AdminCustomButtonArray()`
 * is called without arguments and only a listed button whose function exists can run; a Loader
 * gets the params of the product's first server (no product settings) and its THROWN message is
 * what the admin sees (https://developers.whmcs.com/provisioning-modules/loader-functions/); a
 * Loader that returns something else fails; a Loader runs only for a Simple Mode field, and its
 * drop-down has no empty option, so saving the wizard untouched saves the first entry (observed in
 * WHMCS 8.12, not documented; modelled strict); AdminLink gets the server's params.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\AdminScreens;
use SgWhmcs\Tests\Emulator\Whmcs;

final class AdminScreensTest extends TestCase
{
    private Whmcs $whmcs;
    private AdminScreens $screens;

    protected function setUp(): void
    {
        FakeModule::load();
        require_once __DIR__ . '/admin-fake-module.php';
        $this->whmcs = Whmcs::fresh('emuadmin');
        $this->screens = $this->whmcs->adminScreens();
    }

    private function service(): int
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => 'basic']);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'svc-user']);
        $this->whmcs->acceptOrder($orderId, false);
        return $this->whmcs->orderService($orderId);
    }

    public function testTheTabGetsTheServiceParamsAndIsPrintedAsItIs(): void
    {
        $serviceId = $this->service();

        self::assertSame(['Row' => '<b>x</b>'], $this->screens->serviceTab($serviceId));
        self::assertSame($serviceId, FakeModule::callsOf('AdminServicesTabFields')[0]['params']['serviceid']);
        self::assertSame('svc-user', FakeModule::callsOf('AdminServicesTabFields')[0]['params']['username']);
    }

    public function testATabThatIsNotLabelToHtmlIsAnError(): void
    {
        $serviceId = $this->service();
        FakeModule::$answers['AdminServicesTabFields'] = 'one line';

        $this->expectException(\UnexpectedValueException::class);
        $this->screens->serviceTab($serviceId);
    }

    public function testATabRowThatIsNotTextIsAnError(): void
    {
        $serviceId = $this->service();
        FakeModule::$answers['AdminServicesTabFields'] = ['Row' => ['nested']];

        $this->expectException(\UnexpectedValueException::class);
        $this->screens->serviceTab($serviceId);
    }

    public function testButtonsAreAskedForWithoutArgumentsAndRunTheirFunction(): void
    {
        $serviceId = $this->service();

        self::assertSame('success', $this->screens->press($serviceId, 'Do It'));
        self::assertSame('Module Command Success', $this->screens->shown);
        self::assertSame(0, FakeModule::callsOf('AdminCustomButtonArray')[0]['params']['arguments']);
        self::assertSame($serviceId, FakeModule::callsOf('DoIt')[0]['params']['serviceid']);

        FakeModule::$answers['DoIt'] = 'Nope: do this first';
        self::assertSame('Nope: do this first', $this->screens->press($serviceId, 'Do It'));
        self::assertSame('Module Command Error: Nope: do this first', $this->screens->shown);
    }

    public function testAButtonThatIsNotListedCannotRun(): void
    {
        $serviceId = $this->service();

        $this->expectException(\LogicException::class);
        $this->screens->press($serviceId, 'DoIt');
    }

    public function testAButtonNamingAMissingFunctionIsAnError(): void
    {
        FakeModule::$answers['AdminCustomButtonArray'] = ['Ghost' => 'NoSuchFunction'];

        $this->expectException(\UnexpectedValueException::class);
        $this->screens->buttons();
    }

    public function testALoaderGetsTheFirstServersParamsOnly(): void
    {
        $first = $this->whmcs->addServer(['hostname' => 'one.example.test', 'username' => 'u',
            'password' => 'Emu-Admin-Pw-One']);
        $second = $this->whmcs->addServer(['hostname' => 'two.example.test', 'username' => 'u',
            'password' => 'Emu-Admin-Pw-Two']);
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => 'basic'], ['servers' => [$first, $second]]);

        self::assertSame(['options' => ['basic' => 'Basic']], $this->screens->load($productId, 'Plan'));

        $params = FakeModule::callsOf('LoadPlans')[0]['params'];
        self::assertSame($first, $params['serverid']);
        self::assertSame('one.example.test', $params['serverhostname']);
        self::assertArrayNotHasKey('configoption1', $params, 'no product settings');
        self::assertArrayNotHasKey('serviceid', $params);
    }

    public function testAThrownMessageIsWhatTheAdminSees(): void
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => 'basic']);
        FakeModule::$answers['LoadPlans'] = function (): never {
            throw new \Exception('Could not list: check the server');
        };

        self::assertSame(['error' => 'Could not list: check the server'], $this->screens->load($productId, 'Plan'));
        self::assertSame([], FakeModule::callsOf('LoadPlans')[0]['params'], 'no server: no params');
    }

    public function testALoaderThatAnswersAStringIsAnError(): void
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => 'basic']);
        FakeModule::$answers['LoadPlans'] = 'Could not list';

        $this->expectException(\UnexpectedValueException::class);
        $this->screens->load($productId, 'Plan');
    }

    /** "populated with the return values of the associated loader function when simple mode is used" */
    public function testALoaderRunsOnlyForAFieldShownInSimpleMode(): void
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => 'basic']);

        try {
            $this->screens->load($productId, 'Advanced');
            self::fail('an Advanced Mode field was loaded');
        } catch (\LogicException $e) {
            self::assertStringContainsString('Simple Mode', $e->getMessage());
        }
        self::assertSame([], FakeModule::callsOf('LoadPlans'));
    }

    public function testSavingTheWizardUntouchedSavesTheLoadersFirstEntry(): void
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => '']);
        FakeModule::$answers['LoadPlans'] = ['basic' => 'Basic', 'pro' => 'Pro'];

        self::assertSame(['Plan' => 'basic'], $this->screens->saveSimpleMode($productId));
        self::assertSame('basic', $this->whmcs->store()->product($productId)['configoption1'], 'no empty option');

        $this->whmcs->configureProduct($productId, ['Plan' => 'pro']);
        self::assertSame(['Plan' => 'pro'], $this->screens->saveSimpleMode($productId), 'a stored entry stays');
        self::assertSame(['Plan' => 'basic'], $this->screens->saveSimpleMode($productId, ['Plan' => 'basic']));
        $this->expectException(\LogicException::class);
        $this->screens->saveSimpleMode($productId, ['Plan' => 'gold']);
    }

    public function testAThrowingLoaderLeavesATextBoxThatKeepsItsValue(): void
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => '']);
        FakeModule::$answers['LoadPlans'] = function (): never {
            throw new \Exception('Could not list');
        };

        self::assertSame(['Plan' => ''], $this->screens->saveSimpleMode($productId));
        self::assertSame(['Plan' => 'typed'], $this->screens->saveSimpleMode($productId, ['Plan' => 'typed']));
    }

    public function testAFieldWithoutALoaderIsNotLoaded(): void
    {
        $productId = $this->whmcs->addProduct('Plan', ['Plan' => 'basic']);

        $this->expectException(\LogicException::class);
        $this->screens->load($productId, 'Other');
    }

    public function testAdminLinkGetsTheServersParams(): void
    {
        $serverId = $this->whmcs->addServer(['hostname' => 'one.example.test', 'username' => 'u',
            'password' => 'Emu-Admin-Pw-One', 'secure' => true]);

        self::assertSame('<a href="#">x</a>', $this->screens->adminLink($serverId));
        $params = FakeModule::callsOf('AdminLink')[0]['params'];
        self::assertSame($serverId, $params['serverid']);
        self::assertTrue($params['serversecure']);
    }
}
