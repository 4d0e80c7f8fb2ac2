<?php

/**
 * The Module Log records only while the admin has switched it on (Utilities › Logs › Module Log;
 * the ModuleDebugMode setting). A new WHMCS installation ships with it off.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;

final class ModuleLogTest extends TestCase
{
    private Whmcs $whmcs;
    private int $evidenceBefore;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
        $this->evidenceBefore = count(Evidence::$moduleLog);
    }

    /** The entries logged here by hand are not the module's: keep them out of the secrets check. */
    protected function tearDown(): void
    {
        Evidence::$moduleLog = array_slice(Evidence::$moduleLog, 0, $this->evidenceBefore);
    }

    public function testItIsOffInANewInstallationAndRecordsNothing(): void
    {
        self::assertSame('', $this->whmcs->settingValue('ModuleDebugMode'), 'off, as WHMCS ships');

        logModuleCall('sgtest', 'CreateAccount', 'request', 'response');

        self::assertSame([], $this->whmcs->moduleLog()->entries());
        self::assertCount($this->evidenceBefore, Evidence::$moduleLog);
    }

    public function testItRecordsOnlyWhileSwitchedOn(): void
    {
        $this->whmcs->enableModuleLog();
        logModuleCall('sgtest', 'CreateAccount', 'first', 'response');
        $this->whmcs->enableModuleLog(false);
        logModuleCall('sgtest', 'CreateAccount', 'second', 'response');
        $this->whmcs->setting('ModuleDebugMode', true);
        logModuleCall('sgtest', 'CreateAccount', 'third', 'response');

        self::assertSame(['first', 'third'], array_column($this->whmcs->moduleLog()->entries(), 'request'));
    }
}
