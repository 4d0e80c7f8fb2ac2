<?php

/**
 * Module `$params` (APIVersion 1.1) arrive HTML-decoded: the module uses them as they are and
 * never decodes them again. A company literally called "A &amp; B" stays "A &amp; B" on the
 * Backup Server; "Smith & Sons" arrives and stays "Smith & Sons".
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\ModuleTestCase;

final class DecodedParamsTest extends ModuleTestCase
{
    public function testALiteralEntityInDecodedParamsIsNotDecodedAgain(): void
    {
        $productId = $this->customerProduct();
        $clientId = $this->whmcs->addClient(['companyname' => 'A &amp; B', 'lastname' => 'x &#039; y']);
        $orderId = $this->whmcs->placeOrder($clientId, $productId);
        $serviceId = $this->whmcs->orderService($orderId);
        self::assertSame('A &amp; B', $this->whmcs->serviceParams($serviceId)['clientsdetails']['companyname']);

        $result = $this->whmcs->acceptOrder($orderId);

        $this->assertCreated($serviceId, $result);
        self::assertSame('A amp B', $this->whmcs->service($serviceId)['username']);
        $account = $this->sim->customer('A amp B');
        self::assertNotNull($account);
        self::assertSame('A &amp; B', $account['contact']['company']);
        self::assertSame('x &#039; y', $account['contact']['last_name']);
    }

    public function testCharactersWhmcsEncodesReachTheServerAsTyped(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', [
            'companyname' => 'Smith & Sons "Backup"',
            'lastname' => "O'Neil",
        ]);

        $this->assertCreated($serviceId, $result);
        self::assertSame('Smith Sons Backup', $this->whmcs->serviceParams($serviceId)['username']);
        $account = $this->sim->customer('Smith Sons Backup');
        self::assertNotNull($account);
        self::assertSame('Smith & Sons "Backup"', $account['contact']['company']);
        self::assertSame("O'Neil", $account['contact']['last_name']);
    }
}
