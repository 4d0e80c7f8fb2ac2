<?php

/**
 * The WHMCS emulator itself is faithful to docs/whmcs.md: the Module Log
 * scrubs, localAPI answers like WHMCS, hooks run by priority, Capsule reaches the tables, and
 * $params carry what docs/whmcs.md lists. (No Backup Server needed.)
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ModuleLog;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\TestModule;
use WHMCS\Database\Capsule;

final class EmulatorTest extends TestCase
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

    public function testTheModuleLogRendersArraysAndScrubsEachSecret(): void
    {
        $this->whmcs->enableModuleLog();
        logModuleCall('sgtest', 'CreateAccount', ['user' => 'admin', 'pass' => 'hunter22'], 'token=abc123', null, [
            'hunter22',
            'abc123',
        ]);

        $entry = $this->whmcs->moduleLog()->entries()[0];
        self::assertSame(print_r(['user' => 'admin', 'pass' => '********'], true), $entry['request']);
        self::assertSame('token=******', $entry['response']);
        self::assertSame('', $entry['processed']);
        self::assertSame(['hunter22', 'abc123'], $entry['raw']['replaceVars']);
        self::assertSame('1', ModuleLog::render(true));
    }

    public function testAnUnknownApiCommandIsNotFound(): void
    {
        self::assertSame(['result' => 'error', 'message' => 'Command Not Found'], localAPI('NoSuchCommand', []));
    }

    public function testClientDetailsAndCustomFieldsGoThroughTheApi(): void
    {
        $fieldId = $this->whmcs->addClientCustomField('Pass Key');
        $clientId = $this->whmcs->addClient(['firstname' => 'Ann', 'lastname' => 'Lee', 'companyname' => 'Lee Ltd']);

        $update = localAPI('UpdateClient', [
            'clientid' => $clientId,
            'customfields' => base64_encode(serialize([$fieldId => 'ABCD1234EFGH5678'])),
        ]);
        $details = localAPI('GetClientsDetails', ['clientid' => $clientId]);

        self::assertSame('success', $update['result']);
        self::assertSame('success', $details['result']);
        self::assertSame('Ann Lee', $details['fullname']);
        self::assertSame('Lee Ltd', $details['client']['companyname']);
        self::assertSame([['id' => $fieldId, 'value' => 'ABCD1234EFGH5678']], $details['customfields']);
        self::assertSame('ABCD1234EFGH5678', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame('error', localAPI('UpdateClient', ['clientid' => 999])['result']);
        self::assertSame('error', localAPI('GetClientsDetails', ['clientid' => 999])['result']);
    }

    public function testOrdersListTheirServicesAndUpdateClientProductRenamesOne(): void
    {
        $productId = $this->whmcs->addProduct('Backup');
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId);
        $serviceId = $this->whmcs->orderService($orderId);

        $orders = localAPI('GetOrders', ['id' => $orderId]);
        $renamed = localAPI('UpdateClientProduct', ['serviceid' => $serviceId, 'serviceusername' => 'acme-7']);

        self::assertSame($clientId, $orders['orders']['order'][0]['userid']);
        self::assertSame($serviceId, $orders['orders']['order'][0]['lineitems']['lineitem'][0]['relid']);
        self::assertSame('product', $orders['orders']['order'][0]['lineitems']['lineitem'][0]['type']);
        self::assertSame('success', $renamed['result']);
        self::assertSame('acme-7', $this->whmcs->serviceParams($serviceId)['username']);
        self::assertSame('error', localAPI('UpdateClientProduct', ['serviceid' => 999])['result']);
    }

    public function testServiceParamsCarryTheContractsFields(): void
    {
        $serverId = $this->whmcs->addServer([
            'hostname' => 'backup.example.test',
            'ipaddress' => '192.0.2.7',
            'username' => 'admin',
            'password' => 'server-pw',
            'accesshash' => 'hash',
            'secure' => true,
            'port' => '6061',
        ]);
        $productId = $this->whmcs->addProduct('Backup', [10 => '1024'], [
            'servers' => [$serverId],
            'configurableoptions' => ['Storage GB|Storage (GiB)' => '5'],
            'customfields' => ['Notes'],
        ]);
        $clientId = $this->whmcs->addClient(['companyname' => 'Acme']);
        $serviceId = $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $productId));

        $params = $this->whmcs->serviceParams($serviceId);

        self::assertSame($serviceId, $params['serviceid']);
        self::assertSame($clientId, $params['userid']);
        self::assertSame($productId, $params['pid']);
        self::assertSame('', $params['domain']);
        self::assertSame(TestModule::NAME, $params['moduletype']);
        self::assertSame(14, strlen($params['password']));
        self::assertSame('1024', $params['configoption10']);
        self::assertArrayHasKey('configoption24', $params);
        self::assertSame(['Storage GB' => '5'], $params['configoptions']);
        self::assertSame(['Notes' => ''], $params['customfields']);
        self::assertSame('Acme', $params['clientsdetails']['companyname']);
        self::assertTrue($params['server']);
        self::assertTrue($params['serversecure']);
        self::assertSame('https', $params['serverhttpprefix']);
        self::assertSame('server-pw', $params['serverpassword']);
        self::assertSame('hash', $params['serveraccesshash']);
        self::assertSame('192.0.2.7', $params['serverip']);
        self::assertSame('6061', $params['serverport']);
    }

    public function testHooksRunByPriorityLowerFirst(): void
    {
        $ran = [];
        add_hook('AcceptOrder', 5, function (array $vars) use (&$ran): void {
            $ran[] = 'five:' . $vars['orderid'];
        });
        add_hook('AcceptOrder', 1, function (array $vars) use (&$ran): void {
            $ran[] = 'one:' . $vars['orderid'];
        }, 'ignored');
        $orderId = $this->whmcs->placeOrder($this->whmcs->addClient(), $this->whmcs->addProduct('Backup'));

        $this->whmcs->acceptOrder($orderId, false);

        self::assertSame(["one:$orderId", "five:$orderId"], $ran);
    }

    public function testHookFilesAreIncludedExceptDisabledOnes(): void
    {
        $root = sys_get_temp_dir() . '/sgwhmcs-hooks-' . getmypid();
        WhmcsTree::create($root);
        file_put_contents($root . '/includes/hooks/on.php', "<?php add_hook('ClientAdd', 1, fn (\$v) => null);\n");
        file_put_contents($root . '/includes/hooks/_off.php', "<?php add_hook('ClientAdd', 1, fn (\$v) => null);\n");
        try {
            $files = $this->whmcs->loadHookFiles($root);
        } finally {
            WhmcsTree::remove($root);
        }

        self::assertSame([$root . '/includes/hooks/on.php'], $files);
        self::assertSame(1, $this->whmcs->hooks()->count('ClientAdd'));
    }

    public function testCapsuleReachesTheCustomFieldTables(): void
    {
        $this->whmcs->addClientCustomField('Notes');
        $clientId = $this->whmcs->addClient();

        $id = Capsule::table('tblcustomfields')->insertGetId(['type' => 'client', 'fieldname' => 'Pass Key']);
        Capsule::table('tblcustomfieldsvalues')->insert(['fieldid' => $id, 'relid' => $clientId, 'value' => 'K1']);

        self::assertSame($id, Capsule::table('tblcustomfields')->where('type', 'client')
            ->where('fieldname', 'pass key')->value('id'));
        self::assertNull(Capsule::table('tblcustomfields')->where('fieldname', 'Nope')->value('id'));
        self::assertSame('K1', Capsule::table('tblcustomfieldsvalues')->where('fieldid', (string) $id)
            ->where('relid', $clientId)->value('value'));
        self::assertSame('K1', $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key'));
        self::assertSame(2, Capsule::table('tblcustomfields')->count());
        $this->expectExceptionMessage("Table 'whmcs.tblnothing' doesn't exist");
        Capsule::table('tblnothing')->value('id');
    }

    public function testTheAdminFolderIsRenamedInConfiguration(): void
    {
        $configuration = (string) file_get_contents(ROOTDIR . '/configuration.php');

        self::assertStringContainsString("\$customadminpath = '" . WhmcsTree::ADMIN_PATH . "';", $configuration);
        self::assertDirectoryExists(ROOTDIR . '/' . WhmcsTree::ADMIN_PATH);
        self::assertDirectoryExists(ROOTDIR . '/includes/hooks');
        self::assertFileExists(ROOTDIR . '/modules/servers/' . TestModule::NAME . '/' . TestModule::NAME . '.php');
        self::assertTrue(defined('WHMCS'));
    }
}
