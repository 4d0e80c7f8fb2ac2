<?php

/**
 * A service ordered without a username: the account is named after the client (company name,
 * else first and last name; allowed characters only; at most 64), the name is stored back as the
 * service username through UpdateClientProduct, and later calls find the same account.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\ModuleTestCase;

final class DerivedUsernameTest extends ModuleTestCase
{
    public function testTheCompanyNameIsUsedAndStoredBackSoSuspendFindsIt(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', [
            'companyname' => 'Acme Widgets, Inc. (EU)',
            'email' => 'ops@acme-widgets.test',
        ]);

        $this->assertCreated($serviceId, $result);
        self::assertSame('Acme Widgets Inc. EU', $this->whmcs->service($serviceId)['username']);
        self::assertNotNull($this->sim->customer('Acme Widgets Inc. EU'));
        $updates = $this->updateClientProductCalls();
        self::assertCount(1, $updates);
        self::assertSame((string) $serviceId, (string) $updates[0]['values']['serviceid']);
        self::assertSame('success', $updates[0]['answer']['result']);

        self::assertSame('Acme Widgets Inc. EU', $this->whmcs->serviceParams($serviceId)['username']);
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer('Acme Widgets Inc. EU')['active']);
    }

    public function testWithoutACompanyTheFirstAndLastNameAreUsed(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', [
            'firstname' => 'Dana',
            'lastname' => "O'Neil",
            'companyname' => '',
        ]);

        $this->assertCreated($serviceId, $result);
        self::assertSame('Dana ONeil', $this->whmcs->service($serviceId)['username']);
        self::assertNotNull($this->sim->customer('Dana ONeil'));
    }

    public function testALongCompanyNameIsCutTo64Characters(): void
    {
        $company = 'The Extremely Long Named International Backup And Archival Company Of Springfield';
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), '', ['companyname' => $company]);

        $this->assertCreated($serviceId, $result);
        $name = $this->whmcs->service($serviceId)['username'];
        self::assertLessThanOrEqual(64, strlen($name));
        self::assertGreaterThanOrEqual(60, strlen($name));
        self::assertStringStartsWith($name, $company);
        self::assertNotNull($this->sim->customer($name));
    }

    public function testANameTakenByAnotherClientGetsTheServiceIdAppended(): void
    {
        $productId = $this->customerProduct();
        [$first] = $this->orderAndAccept($productId, '', ['companyname' => 'Globex', 'email' => 'a@globex.test']);

        $other = ['companyname' => 'Globex', 'email' => 'b@globex.test'];
        [$second, $result] = $this->orderAndAccept($productId, '', $other);

        $this->assertCreated($second, $result);
        self::assertSame('Globex', $this->whmcs->service($first)['username']);
        self::assertSame('Globex-' . $second, $this->whmcs->service($second)['username']);
        self::assertSame('b@globex.test', $this->sim->customer('Globex-' . $second)['contact']['email']);
    }

    public function testAGivenUsernameIsNotStoredBack(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), 'given-name');

        $this->assertCreated($serviceId, $result);
        self::assertSame([], $this->updateClientProductCalls());
    }

    /** @return list<array<string, mixed>> */
    private function updateClientProductCalls(): array
    {
        return array_values(array_filter(
            $this->whmcs->localApi()->calls,
            fn (array $call): bool => strcasecmp($call['command'], 'UpdateClientProduct') === 0
        ));
    }
}
