<?php

/**
 * Signup Customer from order to termination: every Module Setting reaches the Backup Server,
 * and suspend / unsuspend / terminate follow the service without ever deleting data.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class CustomerLifecycleTest extends ModuleTestCase
{
    private const RESELLER = 'Acme Resellers';
    private const NAME = 'acme-42';
    private const CLIENT = [
        'firstname' => 'Jane',
        'lastname' => 'Doe',
        'companyname' => 'Acme Widgets',
        'email' => 'jane@acme.test',
        'address1' => '1 Main St',
        'address2' => 'Suite 2',
        'city' => 'Springfield',
        'state' => 'IL',
        'postcode' => '62701',
        'country' => 'US',
        'phonenumber' => '5550100',
    ];

    public function testEveryFieldReachesTheServer(): void
    {
        $serviceId = $this->createFullCustomer();

        $customer = $this->sim->customer(self::NAME);
        self::assertNotNull($customer);
        self::assertSame(self::NAME, $customer['name']);
        self::assertSame('customer', $customer['kind']);
        self::assertSame(self::RESELLER, $customer['reseller']);
        self::assertTrue($customer['active']);
        self::assertTrue($customer['effective_active']);
        self::assertTrue($customer['auto_authorization']);
        self::assertSame(107374182400, $customer['storage']['allotted_bytes']);
        self::assertSame('vault-a', $customer['storage']['location']);
        self::assertSameFields(
            ['enabled' => true, 'emails' => ['reports@acme.test', 'it@acme.test']],
            $customer['consolidated_report']
        );
        self::assertFalse($customer['mcal']['auto']);
        self::assertSame(24, $customer['mcal']['allotted']);
        self::assertSameFields(
            ['enabled' => true, 'mode' => 'window', 'from' => '2200', 'till' => '0600', 'rate_bytes' => 1048576],
            $customer['throttle']
        );
        self::assertSame('jane@acme.test', $customer['contact']['email']);
        self::assertSame('Jane', $customer['contact']['first_name']);
        self::assertSame('Doe', $customer['contact']['last_name']);
        self::assertSame('Acme Widgets', $customer['contact']['company']);
        self::assertSame('Springfield', $customer['contact']['city']);
        self::assertSame('US', $customer['contact']['country']);
        self::assertSame(1, $this->sim->reseller(self::RESELLER)['customers']);
        self::assertSame(self::NAME, $this->whmcs->service($serviceId)['username'], 'a given username is kept');
    }

    public function testSendMailHasTheServerMailTheClient(): void
    {
        $this->createFullCustomer();

        $mails = array_values(array_filter(
            $this->sim->mails()['mails'],
            fn (array $mail): bool => $mail['account'] === self::NAME
        ));

        self::assertCount(1, $mails);
        self::assertSame('jane@acme.test', $mails[0]['to']);
        self::assertSame('customer', $mails[0]['kind']);
    }

    public function testWithoutSendMailNothingIsMailed(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::SEND_MAIL => '']), 'acme-quiet');

        $this->assertCreated($serviceId, $result);
        self::assertSame([], $this->sim->mails()['mails']);
    }

    public function testAnEmptyResellerNameMeansTheDefaultReseller(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::RESELLER => '']), 'acme-default');

        $this->assertCreated($serviceId, $result);
        self::assertSame('Default Reseller', $this->sim->customer('acme-default')['reseller']);
    }

    public function testSuspendDeactivatesAndUnsuspendReactivates(): void
    {
        $serviceId = $this->createFullCustomer();

        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertSame('Suspended', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertFalse($this->sim->customer(self::NAME)['active']);
        self::assertFalse($this->sim->customer(self::NAME)['effective_active']);

        self::assertSame('success', $this->whmcs->unsuspend($serviceId));
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertTrue($this->sim->customer(self::NAME)['active']);
        self::assertTrue($this->sim->customer(self::NAME)['effective_active']);
    }

    public function testSuspendingASuspendedAccountSucceeds(): void
    {
        $serviceId = $this->createFullCustomer();
        self::assertSame('success', $this->whmcs->suspend($serviceId));

        $again = $this->whmcs->suspend($serviceId);

        self::assertSame('success', $again);
        self::assertSame('Suspended', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertFalse($this->sim->customer(self::NAME)['active']);
    }

    public function testTerminateDeactivatesAndDeletesNothing(): void
    {
        $serviceId = $this->createFullCustomer();
        $before = $this->sim->customer(self::NAME);

        self::assertSame('success', $this->whmcs->terminate($serviceId));

        self::assertSame('Terminated', $this->whmcs->service($serviceId)['domainstatus']);
        $after = $this->sim->customer(self::NAME);
        self::assertNotNull($after, 'the account still exists');
        self::assertFalse($after['active']);
        self::assertSame($before['storage'], $after['storage']);
        self::assertSame($before['reseller'], $after['reseller']);
        self::assertSame($before['created_at'], $after['created_at']);
        foreach (array_keys($this->sim->stats()['routes']) as $route) {
            self::assertStringStartsNotWith('DELETE', $route, 'nothing was deleted');
        }
    }

    public function testSuspendingAnAccountTheServerDoesNotKnowSaysSo(): void
    {
        $productId = $this->customerProduct();
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'acme-unknown']);
        $this->whmcs->acceptOrder($orderId, false);

        $result = $this->whmcs->suspend($this->whmcs->orderService($orderId));

        self::assertNotSame('success', $result);
        self::assertStringContainsString('acme-unknown', $result);
        self::assertStringContainsString('does not exist', $result);
    }

    public function testCreatingTheSameServiceTwiceKeepsOneAccount(): void
    {
        $serviceId = $this->createFullCustomer();

        $again = $this->whmcs->createAccount($serviceId);

        self::assertSame('success', $again);
        self::assertSame(1, $this->sim->reseller(self::RESELLER)['customers']);
    }

    public function testConfigurableOptionsChosenAtOrderOverrideStorageAndMcal(): void
    {
        $productId = $this->customerProduct([Labels::AUTO_MCAL => 'on']);
        $this->whmcs->setConfigurableOptions($productId, ['Storage GB|Storage (GiB)' => '50', 'MCAL|Machines' => '0']);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, [
            'username' => 'acme-options',
            'configoptions' => ['Storage GB|Storage (GiB)' => '200', 'MCAL|Machines' => '7'],
        ]);

        $result = $this->whmcs->acceptOrder($orderId);

        self::assertSame('success', $result);
        $customer = $this->sim->customer('acme-options');
        self::assertSame(200 * 2 ** 30, $customer['storage']['allotted_bytes']);
        self::assertFalse($customer['mcal']['auto']);
        self::assertSame(7, $customer['mcal']['allotted']);
    }

    public function testAServerRefusalIsShownToTheAdmin(): void
    {
        [$serviceId, $result] = $this->orderAndAccept(
            $this->customerProduct([Labels::RESELLER => 'No Such Reseller']),
            'acme-orphan'
        );

        self::assertNotSame('success', $result);
        self::assertStringContainsString('No Such Reseller', $result);
        self::assertStringContainsString('VALIDATION_FAILED', $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
    }

    /** Creates the reseller, then a customer product using every field, and orders it. */
    private function createFullCustomer(): int
    {
        [$resellerService, $resellerResult] = $this->orderAndAccept(
            $this->resellerProduct(),
            self::RESELLER,
            ['companyname' => 'Acme Resellers Ltd']
        );
        $this->assertCreated($resellerService, $resellerResult);

        $productId = $this->whmcs->addProduct('Backup 100 GiB', self::connection($this->sim) + [
            Labels::ACTION => 'Signup Customer',
            Labels::RESELLER => self::RESELLER,
            Labels::ACTIVATION => 'on',
            Labels::AUTO_AUTHORIZATION => 'on',
            Labels::STORAGE => '107374182400',
            Labels::LOCATION => 'vault-a',
            Labels::REPORT => 'on',
            Labels::REPORT_EMAIL => 'reports@acme.test, it@acme.test',
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '24',
            Labels::THROTTLING => 'New Configuration',
            Labels::THROTTLE_ENABLED => 'on',
            Labels::THROTTLE_MODE => 'Throttle only at specified time',
            Labels::THROTTLE_FROM => '2200',
            Labels::THROTTLE_TILL => '0600',
            Labels::RATE => '1048576',
            Labels::SEND_MAIL => 'on',
        ]);
        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME, self::CLIENT);
        $this->assertCreated($serviceId, $result);
        return $serviceId;
    }
}
