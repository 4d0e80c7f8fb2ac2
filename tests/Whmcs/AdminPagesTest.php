<?php

/**
 * What WHMCS 8's admin pages do around the module: Test Connection builds a new, unsaved server
 * object from the form (serverid always 0) and, after a success, discards `error` (the page shows
 * only "Successful!"); accepting an order without "Run Module Create" makes its services Active
 * without any module call; the admin folder can be unwritable for PHP.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;

final class AdminPagesTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        FakeModule::load();
        $this->whmcs = Whmcs::fresh(FakeModule::GENERATING);
    }

    public function testTestConnectionOnASavedServerGetsServerIdZero(): void
    {
        $serverId = $this->whmcs->addServer(['hostname' => 'backup.example.test', 'password' => 'pw']);
        self::assertGreaterThan(0, $serverId);

        $this->whmcs->testConnection($serverId);
        $this->whmcs->testUnsavedServer(['hostname' => 'other.example.test']);

        $calls = FakeModule::callsOf('TestConnection');
        self::assertSame(0, $calls[0]['params']['serverid']);
        self::assertSame('backup.example.test', $calls[0]['params']['serverhostname']);
        self::assertSame('pw', $calls[0]['params']['serverpassword']);
        self::assertSame(0, $calls[1]['params']['serverid']);
        self::assertArrayNotHasKey('model', $calls[0]['params']);
    }

    public function testASuccessfulTestDiscardsTheError(): void
    {
        FakeModule::$testConnection = ['success' => true, 'error' => 'Warning: plain http sends the password in clear'];

        $returned = $this->whmcs->testUnsavedServer(['hostname' => 'backup.example.test']);

        self::assertSame(FakeModule::$testConnection, $returned, 'the module answered a warning');
        self::assertSame('Successful!', $this->whmcs->testConnectionShown(), 'the admin never sees it');
    }

    public function testAFailedTestShowsTheError(): void
    {
        FakeModule::$testConnection = ['success' => false, 'error' => 'Connection refused'];

        $this->whmcs->testUnsavedServer(['hostname' => 'backup.example.test']);

        self::assertSame('Failed: Connection refused', $this->whmcs->testConnectionShown());
    }

    public function testAcceptingWithoutModuleCreateMakesServicesActiveWithoutACall(): void
    {
        $orderId = $this->whmcs->placeOrder($this->whmcs->addClient(), $this->whmcs->addProduct('Fake'));

        self::assertSame('success', $this->whmcs->acceptOrder($orderId, false));

        self::assertSame('Active', $this->whmcs->service($this->whmcs->orderService($orderId))['domainstatus']);
        self::assertSame([], FakeModule::$calls);
    }

    public function testTheAdminFolderCanBeMadeUnwritable(): void
    {
        $root = sys_get_temp_dir() . '/sgwhmcs-admin-' . getmypid();
        WhmcsTree::create($root);
        $log = $root . '/' . WhmcsTree::ADMIN_PATH . '/' . WhmcsTree::ERROR_LOG;
        file_put_contents($log, "kept\n");
        try {
            WhmcsTree::makeAdminFolderUnwritable($root);
            $written = @file_put_contents($log, "line\n", FILE_APPEND);
            $created = @file_put_contents($root . '/' . WhmcsTree::ADMIN_PATH . '/other.log', 'x');
            WhmcsTree::makeAdminFolderWritable($root);

            self::assertFalse($written, 'the error log cannot be written');
            if (posix_geteuid() !== 0) {
                self::assertFalse($created, 'nothing can be created there');
            }
            self::assertSame("kept\n", file_get_contents($log), 'restored as it was');
            self::assertNotFalse(file_put_contents($log, "line\n", FILE_APPEND), 'writable again');
        } finally {
            WhmcsTree::makeAdminFolderWritable($root);
            WhmcsTree::remove($root);
        }
    }
}
