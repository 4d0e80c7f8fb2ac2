<?php

/**
 * Signup Reseller from order to termination: the reseller's settings reach the Backup Server
 * without the customer-only fields, and suspend / unsuspend / terminate follow the service.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ResellerLifecycleTest extends ModuleTestCase
{
    private const NAME = 'Northwind Backup';

    public function testEveryResellerFieldReachesTheServerWithoutCustomerOnlyFields(): void
    {
        $serviceId = $this->createFullReseller();

        $reseller = $this->sim->reseller(self::NAME);
        self::assertNotNull($reseller);
        self::assertSame('reseller', $reseller['kind']);
        self::assertTrue($reseller['active']);
        self::assertTrue($reseller['auto_authorization']);
        self::assertSame(1099511627776, $reseller['storage']['allotted_bytes']);
        self::assertSame('vault-r', $reseller['storage']['location']);
        self::assertFalse($reseller['mcal']['auto']);
        self::assertSame(500, $reseller['mcal']['allotted']);
        self::assertTrue($reseller['throttle']['enabled']);
        self::assertSame('always', $reseller['throttle']['mode']);
        self::assertSame(2097152, $reseller['throttle']['rate_bytes']);
        self::assertSame('nina@northwind.test', $reseller['contact']['email']);
        self::assertArrayNotHasKey('reseller', $reseller);
        self::assertArrayNotHasKey('consolidated_report', $reseller);

        $posts = $this->whmcs->moduleLog()->requests('POST', '/resellers');
        self::assertCount(1, $posts);
        self::assertIsArray($posts[0]['body']);
        self::assertSame(self::NAME, $posts[0]['body']['name']);
        self::assertArrayNotHasKey('reseller', $posts[0]['body'], 'Reseller Name is not sent for a reseller');
        self::assertArrayNotHasKey('consolidated_report', $posts[0]['body'], 'no consolidated report for a reseller');
        self::assertSame([], $this->whmcs->moduleLog()->requests('POST', '/customers'));
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);

        $mails = $this->sim->mails()['mails'];
        self::assertCount(1, $mails);
        self::assertSame(['nina@northwind.test', 'reseller'], [$mails[0]['to'], $mails[0]['kind']]);
    }

    public function testSuspendDeactivatesTheResellerAndItsCustomers(): void
    {
        $serviceId = $this->createFullReseller();
        [$customerService, $result] = $this->orderAndAccept(
            $this->customerProduct([Labels::RESELLER => self::NAME]),
            'northwind-customer'
        );
        $this->assertCreated($customerService, $result);

        self::assertSame('success', $this->whmcs->suspend($serviceId));

        self::assertSame('Suspended', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertFalse($this->sim->reseller(self::NAME)['active']);
        $customer = $this->sim->customer('northwind-customer');
        self::assertTrue($customer['active'], 'the customer keeps its own flag');
        self::assertFalse($customer['effective_active'], 'but is inactive through its reseller');

        self::assertSame('success', $this->whmcs->unsuspend($serviceId));

        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertTrue($this->sim->reseller(self::NAME)['active']);
        self::assertTrue($this->sim->customer('northwind-customer')['effective_active']);
    }

    public function testSuspendingASuspendedResellerSucceeds(): void
    {
        $serviceId = $this->createFullReseller();
        self::assertSame('success', $this->whmcs->suspend($serviceId));

        self::assertSame('success', $this->whmcs->suspend($serviceId));

        self::assertFalse($this->sim->reseller(self::NAME)['active']);
    }

    public function testTerminateDeactivatesAndDeletesNothing(): void
    {
        $serviceId = $this->createFullReseller();
        $before = $this->sim->reseller(self::NAME);

        self::assertSame('success', $this->whmcs->terminate($serviceId));

        self::assertSame('Terminated', $this->whmcs->service($serviceId)['domainstatus']);
        $after = $this->sim->reseller(self::NAME);
        self::assertNotNull($after, 'the reseller still exists');
        self::assertFalse($after['active']);
        self::assertSame($before['storage'], $after['storage']);
        self::assertSame($before['created_at'], $after['created_at']);
        foreach (array_keys($this->sim->stats()['routes']) as $route) {
            self::assertStringStartsNotWith('DELETE', $route, 'nothing was deleted');
        }
    }

    /** A reseller product using every field that applies (and customer-only ones set, to be ignored). */
    private function createFullReseller(): int
    {
        $productId = $this->resellerProduct([
            Labels::RESELLER => 'Somebody Else',
            Labels::ACTIVATION => 'on',
            Labels::AUTO_AUTHORIZATION => 'on',
            Labels::STORAGE => '1099511627776',
            Labels::LOCATION => 'vault-r',
            Labels::REPORT => 'on',
            Labels::REPORT_EMAIL => 'reports@northwind.test',
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '500',
            Labels::THROTTLING => 'New Configuration',
            Labels::THROTTLE_ENABLED => 'on',
            Labels::THROTTLE_MODE => 'Always Throttle',
            Labels::RATE => '2097152',
            Labels::SEND_MAIL => 'on',
            Labels::PASS_KEY => 'on',
        ]);
        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME, [
            'firstname' => 'Nina',
            'lastname' => 'West',
            'companyname' => 'Northwind',
            'email' => 'nina@northwind.test',
        ]);
        $this->assertCreated($serviceId, $result);
        return $serviceId;
    }
}
