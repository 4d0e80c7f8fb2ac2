<?php

/**
 * One account per order, whichever path makes it. WHMCS runs AcceptOrder before it provisions
 * the order's services (docs/whmcs-compatibility.md), so with the AcceptOrder hook on and a
 * product of this module in the order, the hook and the module's CreateAccount would each make
 * an account. The hook finds the order's services (GetOrders line items of type `product`, their
 * `relid` the tblhosting id; its product's `servertype`) and makes no account when one of them is
 * a product of a module generated for sgwhmcs (its file forwards to the extension under its
 * name): the Activity Log says so. An order of other products only gets the hook's account as
 * before; an order mixing both gets only the service's. A servertype that is not a generated
 * module's name (`../`, capitals, an unknown module, a module of another vendor) is not ours.
 * Counted on sgsim: accounts by their WHMCS reference, and requests.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Support\TestModule;

final class ModuleOrdersTest extends HooksTestCase
{
    /** The install id stored before each test, so references can be told apart by it. */
    private const INSTALL = 'hooksorders1';

    /** @var list<string> files and folders a test made in ROOTDIR, removed after it */
    private array $made = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->whmcs->store()->setSetting('SgWhmcsInstallId', self::INSTALL);
    }

    protected function tearDown(): void
    {
        foreach (array_reverse($this->made) as $path) {
            is_dir($path) ? @rmdir($path) : @unlink($path);
        }
        parent::tearDown();
    }

    /** @return array<string, array{string, string, string}> */
    public function acceptOrderLines(): array
    {
        return [
            'AcceptOrder → reseller' => self::LINES['AcceptOrder → reseller'],
            'AcceptOrder → customer' => self::LINES['AcceptOrder → customer'],
        ];
    }

    /** @dataProvider acceptOrderLines */
    public function testAnOrderOfAModuleProductGetsOnlyTheServicesAccount(
        string $point,
        string $function,
        string $kind
    ): void {
        $this->installHooks($point, $function);
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);
        $serviceId = $this->whmcs->orderService($orderId);

        $result = $this->whmcs->acceptOrder($orderId);

        $this->assertCreated($serviceId, $result);
        self::assertSame(
            ["whmcs:" . self::INSTALL . ":service:$serviceId" => [self::CLIENT['companyname']]],
            $this->accountsByReference(),
            'exactly one account: the service\'s'
        );
        self::assertSame(1, $this->posts('customer'), 'one create reached the Backup Server');
        self::assertSame(0, $this->posts('reseller'), "the $kind hook made none");
        $this->assertNoAccountLine($clientId, $orderId, $serviceId);
    }

    public function testAnOrderWithoutAModuleProductStillGetsTheHooksAccount(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');

        [$clientId, $orderId] = $this->fire('AcceptOrder');

        self::assertSame(
            ["whmcs:" . self::INSTALL . ":client:$clientId" => [self::CLIENT['companyname']]],
            $this->accountsByReference(),
            'the hook\'s account, as before'
        );
        self::assertNotNull($orderId);
        $this->assertSuccessReported('AcceptOrder', $clientId, 'customer', self::CLIENT['companyname']);
    }

    /**
     * An order of a web hosting product and a backup product: the backup product's service is
     * the client's backup account; a second one from the hook would be billed by nothing.
     */
    public function testAnOrderMixingBothGetsOnlyTheServicesAccount(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupReseller');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $hosting = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($clientId, [$hosting, $this->customerProduct()], ['username' => '']);
        [$hostingService, $backupService] = $this->whmcs->orderServices($orderId);

        self::assertSame('success', $this->whmcs->acceptOrder($orderId));

        self::assertSame('Active', $this->whmcs->service($hostingService)['domainstatus']);
        self::assertSame(
            ["whmcs:" . self::INSTALL . ":service:$backupService" => [self::CLIENT['companyname']]],
            $this->accountsByReference()
        );
        self::assertSame(0, $this->posts('reseller'), 'the hook made no reseller');
        $this->assertNoAccountLine($clientId, $orderId, $backupService);
    }

    /**
     * Accepted without "Run Module Create": the service waits for the admin's Create, which
     * makes its account; the hook still makes none, or the client would get two.
     */
    public function testAnOrderAcceptedWithoutModuleCreateWaitsForTheServicesCreate(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);
        $serviceId = $this->whmcs->orderService($orderId);

        self::assertSame('success', $this->whmcs->acceptOrder($orderId, false));

        self::assertSame(0, $this->sim->totalRequests(), 'nothing reached the Backup Server');
        $this->assertNoAccountLine($clientId, $orderId, $serviceId);
        self::assertSame('success', $this->whmcs->createAccount($serviceId));
        self::assertSame(
            ["whmcs:" . self::INSTALL . ":service:$serviceId" => [self::CLIENT['companyname']]],
            $this->accountsByReference()
        );
    }

    /** @return array<string, array{string}> */
    public function foreignServerTypes(): array
    {
        return [
            'an unknown module' => ['cpanel'],
            'a module of another vendor, in its folder' => ['othervendor'],
            'a path out of modules/servers that leads to a forwarding file' => ['x/../trav'],
            'the module in capitals' => [strtoupper(TestModule::NAME)],
            'the module with a trailing slash' => [TestModule::NAME . '/'],
            'a NUL byte' => [TestModule::NAME . "\0"],
        ];
    }

    /**
     * Only a module generated for sgwhmcs counts; any other servertype is an ordinary product,
     * whose order gets the hook's account. The module files the cases need are made for real:
     * another vendor's module, and a file that forwards to the extension under the name
     * `x/../trav`, reached through `modules/servers/x/../trav/x/../trav.php`: if the name were
     * not checked before the path is built, that file would make the product "ours".
     *
     * @dataProvider foreignServerTypes
     */
    public function testAServerTypeThatIsNotAGeneratedModuleIsNotOurs(string $servertype): void
    {
        $servers = ROOTDIR . '/modules/servers';
        $this->makeFile("$servers/othervendor/othervendor.php", "<?php\nfunction othervendor_CreateAccount(\$params)\n"
            . "{\n    return 'success';\n}\n");
        $this->makeDir("$servers/x");
        $this->makeFile("$servers/trav/x/.keep", '');
        $this->makeFile(
            "$servers/trav/trav.php",
            "<?php\nreturn \\SgWhmcs\\module_call('x/../trav', 'CreateAccount', []);\n"
        );
        self::assertFileExists(
            "$servers/x/../trav/x/../trav.php",
            'the path the servertype names leads to a forwarder'
        );
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $productId = $this->whmcs->addProduct('Other Vendor', [], ['servertype' => $servertype]);
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => '']);

        self::assertSame('success', $this->whmcs->acceptOrder($orderId));

        self::assertSame(
            ["whmcs:" . self::INSTALL . ":client:$clientId" => [self::CLIENT['companyname']]],
            $this->accountsByReference(),
            'not a module of this extension: the hook makes the client\'s account'
        );
        $this->assertSuccessReported('AcceptOrder', $clientId, 'customer', self::CLIENT['companyname']);
    }

    /**
     * When the order's services cannot be read, the hook cannot tell whose order it is: it makes
     * no account (a second one is worse than none, which the admin is told to make by hand).
     */
    public function testAnOrderWhoseServicesCannotBeReadGetsNoAccountAndSaysWhy(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $hosting = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($clientId, $hosting);
        $this->whmcs->database()->throwNext = new \RuntimeException(
            'SQLSTATE[HY000]: General error: 2006 MySQL server has gone away'
        );
        $this->whmcs->database()->throwNextOn = 'tblhosting';

        self::assertSame('success', $this->whmcs->acceptOrder($orderId));

        $message = $this->assertFailureReported(
            'AcceptOrder',
            $clientId,
            "/^could not tell whether order #$orderId holds a product of a Backup Server module "
            . '\(service \d+ could not be read: .*MySQL server has gone away\); the hook made no account/'
        );
        self::assertStringContainsString('create the client\'s account by hand', $message);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent');
    }

    /** @return array<string, array{string, string}> */
    public function badOrderIds(): array
    {
        return [
            'a byte that is not UTF-8' => ["\xff", 'ÿ'],
            'markup' => ['<b>', '<b>'],
            'a trailing minus' => ['-', '-'],
            'a huge number' => ['99999999999999999999999', '99999999999999999999999'],
        ];
    }

    /**
     * An `orderid` that is no order id is refused before any lookup: GetOrders would read
     * `12ÿ` as order 12 (PHP's integer cast), another order than the hook was given.
     *
     * @dataProvider badOrderIds
     */
    public function testAnOrderIdThatIsNoNumberIsRefusedBeforeAnyLookup(string $suffix, string $shown): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $hosting = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($clientId, $hosting);
        $given = $suffix === '99999999999999999999999' ? $suffix : $orderId . $suffix;
        $calls = count($this->whmcs->localApi()->calls);

        $this->whmcs->runHooks('AcceptOrder', ['orderid' => $given]);

        self::assertSame($calls, count($this->whmcs->localApi()->calls), 'no localAPI call');
        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent');
        $activity = $this->hookActivity();
        self::assertCount(1, $activity);
        $expected = $suffix === '99999999999999999999999' ? $shown : $orderId . $shown;
        self::assertSame(
            "sgwhmcs AcceptOrder failed: AcceptOrder gave the orderid \"$expected\", which is not an order id; "
            . 'nothing was created',
            $activity[0]['message']
        );
        self::assertCount(1, $this->newErrorLines());
    }

    /**
     * WHMCS HTML-encodes what it stores and passes; the hook decodes `$vars` once, so an order id
     * given as entities is the order itself, and its module product is still seen.
     */
    public function testAnHtmlEncodedOrderIdIsDecodedOnce(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);
        $encoded = implode('', array_map(
            fn (string $digit): string => '&#' . ord($digit) . ';',
            str_split((string) $orderId)
        ));

        $this->whmcs->runHooks('AcceptOrder', ['orderid' => $encoded]);

        self::assertSame(0, $this->sim->totalRequests(), 'the module\'s order: the hook sent nothing');
        $this->assertNoAccountLine($clientId, $orderId, $this->whmcs->orderService($orderId));
    }

    /**
     * Asserts the one Activity Log line of an order provisioned by the module, for CLIENT, and
     * that nothing went to whmcs_error.log.
     */
    private function assertNoAccountLine(int $clientId, int $orderId, int $serviceId): void
    {
        $activity = $this->hookActivity();
        self::assertCount(1, $activity, 'one Activity Log line from the hook');
        self::assertSame($clientId, $activity[0]['clientId'], 'for the order\'s client');
        self::assertSame(
            "sgwhmcs AcceptOrder: order #$orderId: provisioned by the product's module, the hook made no account "
            . "(service #$serviceId is a product of the module \"" . TestModule::NAME . '", whose Create makes the '
            . 'account; one account per order)',
            $activity[0]['message']
        );
        self::assertSame([], $this->newErrorLines(), 'nothing in whmcs_error.log');
    }

    /**
     * Every account on the simulator that WHMCS made (customers and resellers, by reference;
     * the server's own default accounts carry none), names in order.
     *
     * @return array<string, list<string>>
     */
    private function accountsByReference(): array
    {
        $found = [];
        foreach (['customers', 'resellers'] as $collection) {
            foreach ($this->sim->expect(200, 'GET', "/api/v1/$collection")[$collection] as $account) {
                $reference = (string) ($account['reference'] ?? '');
                if (str_starts_with($reference, 'whmcs:')) {
                    $found[$reference][] = (string) $account['name'];
                }
            }
        }
        ksort($found);
        return $found;
    }

    /** How many creates of KIND the simulator received. */
    private function posts(string $kind): int
    {
        return (int) ($this->sim->stats()['routes']["POST /{$kind}s"] ?? 0);
    }

    private function makeDir(string $dir): void
    {
        if (!is_dir($dir)) {
            $this->makeDir(dirname($dir));
            mkdir($dir);
            $this->made[] = $dir;
        }
    }

    private function makeFile(string $file, string $content): void
    {
        $this->makeDir(dirname($file));
        file_put_contents($file, $content);
        $this->made[] = $file;
    }
}
