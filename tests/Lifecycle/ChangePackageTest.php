<?php

/**
 * ChangePackage: an upgrade, a downgrade or a configurable option change reaches the existing
 * account with one PATCH of only what differs (none when nothing differs); a refused change
 * leaves the account as it was and says what to choose; a product switched between reseller and
 * customer is refused without a change. WHMCS stores the change before it calls the module and
 * keeps it on failure (https://developers.whmcs.com/provisioning-modules/supported-functions/
 * "ChangePackage"; https://docs.whmcs.com/Upgrades): the emulator's upgradeProduct() and
 * changeConfigurableOptions() do the same.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ChangePackageTest extends ModuleTestCase
{
    private const NAME = 'acme-up';
    private const GIB = 1073741824;
    private const PATCH = 'PATCH /customers/{name}';

    /** @return array{0: int, 1: int} [service, product] of a created 100 GiB customer with 5 MCALs */
    private function customer(array $overrides = []): array
    {
        $productId = $this->customerProduct([
            Labels::STORAGE => (string) (100 * self::GIB),
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '5',
        ] + $overrides);
        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);
        $this->assertCreated($serviceId, $result);
        return [$serviceId, $productId];
    }

    private function patches(string $route = self::PATCH): int
    {
        return (int) ($this->sim->stats()['routes'][$route] ?? 0);
    }

    /** @return array<string, mixed> */
    private function account(): array
    {
        $account = $this->sim->customer(self::NAME);
        self::assertNotNull($account);
        return $account;
    }

    private function useBytes(int $bytes, int $mcals = 0): void
    {
        $this->sim->expect(200, 'POST', '/_sim/usage', [
            'kind' => 'customer', 'name' => self::NAME, 'used_bytes' => $bytes, 'mcal_used' => $mcals,
        ]);
    }

    public function testAnUpgradeChangesStorageAndMcalInOnePatch(): void
    {
        [$serviceId] = $this->customer();
        $gold = $this->customerProduct([
            Labels::STORAGE => (string) (500 * self::GIB),
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '20',
        ]);

        self::assertSame('success', $this->whmcs->upgradeProduct($serviceId, $gold));

        $account = $this->account();
        self::assertSame(500 * self::GIB, $account['storage']['allotted_bytes']);
        self::assertSameFields(['auto' => false, 'allotted' => 20, 'used' => 0], $account['mcal']);
        self::assertSame(1, $this->patches());
        $sent = $this->whmcs->moduleLog()->requests('PATCH');
        self::assertCount(1, $sent);
        self::assertEquals(
            ['storage' => ['allotted_bytes' => 500 * self::GIB], 'mcal' => ['auto' => false, 'allotted' => 20]],
            $sent[0]['body'],
            'only what differs is sent'
        );
    }

    public function testADowngradeAboveUsageIsApplied(): void
    {
        [$serviceId] = $this->customer();
        $this->useBytes(10 * self::GIB, 2);
        $small = $this->customerProduct([Labels::STORAGE => (string) (50 * self::GIB), Labels::AUTO_MCAL => 'on']);

        self::assertSame('success', $this->whmcs->upgradeProduct($serviceId, $small));

        $account = $this->account();
        self::assertSame(50 * self::GIB, $account['storage']['allotted_bytes']);
        self::assertTrue($account['mcal']['auto']);
    }

    public function testARefusedDowngradeLeavesTheAccountAsItWasAndSaysWhatToChoose(): void
    {
        [$serviceId] = $this->customer();
        $this->useBytes(80 * self::GIB);
        $before = $this->account();
        $small = $this->customerProduct([Labels::STORAGE => (string) (50 * self::GIB), Labels::AUTO_MCAL => 'on']);

        $shown = $this->whmcs->upgradeProduct($serviceId, $small);

        self::assertStringStartsWith(
            'Could not change the customer "acme-up": the customer already uses 80 GB',
            $shown
        );
        self::assertStringContainsString('choose at least 80 GB of storage, or free space', $shown);
        self::assertStringContainsString('left as it was; WHMCS already shows the new package', $shown);
        self::assertSame($before, $this->account(), 'nothing changed, not even the MCALs of the same PATCH');
        self::assertSame($small, $this->whmcs->service($serviceId)['packageid'], 'WHMCS keeps its side changed');
        self::assertSame(1, $this->patches());
    }

    public function testAMcalDowngradeBelowItsMachinesIsRefused(): void
    {
        [$serviceId] = $this->customer();
        $this->useBytes(0, 4);
        $fewer = $this->customerProduct([
            Labels::STORAGE => (string) (100 * self::GIB),
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '2',
        ]);

        $shown = $this->whmcs->upgradeProduct($serviceId, $fewer);

        self::assertStringContainsString('already uses 4 MCALs; choose at least 4 MCALs', $shown);
        self::assertSame(5, $this->account()['mcal']['allotted']);
    }

    public function testTooLittleLeftUnderTheResellerIsRefusedNamingIt(): void
    {
        $this->sim->createDirectly('resellers', [
            'name' => 'Small Reseller',
            'storage' => ['allotted_bytes' => 200 * self::GIB],
        ]);
        [$serviceId] = $this->customer([Labels::RESELLER => 'Small Reseller']);
        $big = $this->customerProduct([
            Labels::RESELLER => 'Small Reseller',
            Labels::STORAGE => (string) (300 * self::GIB),
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '5',
        ]);

        $shown = $this->whmcs->upgradeProduct($serviceId, $big);

        self::assertStringContainsString(
            'its reseller has too little storage left (reseller "Small Reseller" has',
            $shown
        );
        self::assertStringContainsString('choose less storage, or raise the reseller\'s allotment first', $shown);
        self::assertSame(100 * self::GIB, $this->account()['storage']['allotted_bytes']);
    }

    public function testAConfigurableOptionChangeReachesTheAccount(): void
    {
        $productId = $this->customerProduct([Labels::STORAGE => (string) (10 * self::GIB)]);
        $this->whmcs->setConfigurableOptions($productId, ['Storage GB|Storage' => '100', 'MCAL|Machines' => '3']);
        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);
        $this->assertCreated($serviceId, $result);
        self::assertSame(100 * self::GIB, $this->account()['storage']['allotted_bytes']);

        self::assertSame('success', $this->whmcs->changeConfigurableOptions($serviceId, ['Storage GB' => 250]));

        $account = $this->account();
        self::assertSame(250 * self::GIB, $account['storage']['allotted_bytes']);
        self::assertSame(3, $account['mcal']['allotted']);
        self::assertSame(
            ['storage' => ['allotted_bytes' => 250 * self::GIB]],
            $this->whmcs->moduleLog()->requests('PATCH')[0]['body']
        );
    }

    public function testRunningItTwiceSendsOnePatchThenNone(): void
    {
        [$serviceId] = $this->customer();
        $gold = $this->customerProduct([Labels::STORAGE => (string) (200 * self::GIB), Labels::AUTO_MCAL => 'on']);
        self::assertSame('success', $this->whmcs->upgradeProduct($serviceId, $gold));
        self::assertSame(1, $this->patches());
        $after = $this->account();

        $again = $this->whmcs->call('ChangePackage', $this->whmcs->serviceParams($serviceId));

        self::assertSame('success', $again);
        self::assertSame(1, $this->patches(), 'nothing differs: no second PATCH');
        self::assertSame($after, $this->account());
    }

    public function testThrottlingReportAuthorizationAndResellerFollowTheProduct(): void
    {
        $this->sim->createDirectly('resellers', [
            'name' => 'Second Reseller',
            'storage' => ['allotted_bytes' => 1000 * self::GIB],
        ]);
        [$serviceId] = $this->customer([
            Labels::REPORT => 'on',
            Labels::REPORT_EMAIL => 'reports@acme.test',
            Labels::THROTTLING => 'New Configuration',
            Labels::THROTTLE_ENABLED => 'on',
            Labels::THROTTLE_MODE => 'Throttle only at specified time',
            Labels::THROTTLE_FROM => '2200',
            Labels::THROTTLE_TILL => '0600',
            Labels::RATE => '1048576',
        ]);
        self::assertSame('Default Reseller', $this->account()['reseller']);
        $moved = $this->customerProduct([
            Labels::STORAGE => (string) (100 * self::GIB),
            Labels::AUTO_MCAL => '',
            Labels::MCAL => '5',
            Labels::RESELLER => 'Second Reseller',
            Labels::AUTO_AUTHORIZATION => 'on',
        ]);

        self::assertSame('success', $this->whmcs->upgradeProduct($serviceId, $moved));

        $account = $this->account();
        self::assertSame('Second Reseller', $account['reseller']);
        self::assertNull($account['throttle'], 'back to the global configuration');
        self::assertSameFields(['enabled' => false, 'emails' => []], $account['consolidated_report']);
        self::assertTrue($account['auto_authorization']);
        self::assertSame(1, $this->sim->reseller('Second Reseller')['customers']);
        self::assertSame(1, $this->patches());
    }

    public function testAResellerUpgradeRaisesItsAllotment(): void
    {
        $productId = $this->resellerProduct();
        [$serviceId, $result] = $this->orderAndAccept($productId, 'Big Reseller');
        $this->assertCreated($serviceId, $result);
        $bigger = $this->resellerProduct([Labels::STORAGE => (string) (2048 * self::GIB)]);

        self::assertSame('success', $this->whmcs->upgradeProduct($serviceId, $bigger));

        self::assertSame(2048 * self::GIB, $this->sim->reseller('Big Reseller')['storage']['allotted_bytes']);
        self::assertSame(1, $this->patches('PATCH /resellers/{name}'));
    }

    public function testAProductSwitchedFromCustomerToResellerIsRefusedWithoutAChange(): void
    {
        [$serviceId] = $this->customer();
        $before = $this->account();
        $reseller = $this->resellerProduct();
        $changes = fn (): array => array_filter(
            $this->sim->stats()['routes'],
            fn (string $route): bool => !str_starts_with($route, 'GET '),
            ARRAY_FILTER_USE_KEY
        );
        $changed = $changes();

        $shown = $this->whmcs->upgradeProduct($serviceId, $reseller);

        self::assertStringContainsString(
            '"acme-up" is a customer on the Backup Server, but the product now makes resellers',
            $shown
        );
        self::assertStringContainsString('cannot turn a customer into a reseller, so nothing was sent', $shown);
        self::assertSame($before, $this->account());
        self::assertNull($this->sim->reseller(self::NAME));
        self::assertSame($changed, $changes(), 'only reads: nothing changed or created');
    }

    public function testABadSettingIsNamedAndNothingIsSent(): void
    {
        [$serviceId, $productId] = $this->customer();
        $this->whmcs->configureProduct($productId, [Labels::STORAGE => '12 GB']);
        $this->sim->reset();

        $shown = $this->whmcs->call('ChangePackage', $this->whmcs->serviceParams($serviceId));

        self::assertStringStartsWith('Module settings are invalid: Storage Allotted: ', $shown);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testAHugeOrEncodedConfigurableOptionIsRefusedNamingIt(): void
    {
        $productId = $this->customerProduct([Labels::STORAGE => (string) (10 * self::GIB)]);
        $this->whmcs->setConfigurableOptions($productId, ['Storage GB|Storage' => '100']);
        [$serviceId, $result] = $this->orderAndAccept($productId, self::NAME);
        $this->assertCreated($serviceId, $result);

        foreach ([str_repeat('9', 100000), '5<0', "\xE9"] as $value) {
            $this->sim->reset();
            $params = $this->whmcs->serviceParams($serviceId);
            $params['configoptions']['Storage GB'] = $value;
            $shown = $this->whmcs->call('ChangePackage', $params);
            self::assertStringContainsString('Storage GB (configurable option): ', $shown);
            self::assertLessThan(2000, strlen($shown), 'a huge value is not quoted whole');
            self::assertSame(0, $this->sim->totalRequests());
        }
    }

    public function testAnAccountThatIsGoneIsNamed(): void
    {
        [$serviceId] = $this->customer();
        $this->sim->reset();

        $shown = $this->whmcs->call('ChangePackage', $this->whmcs->serviceParams($serviceId));

        self::assertStringContainsString('"acme-up": it does not exist on the Backup Server', $shown);
        self::assertSame(0, $this->patches());
    }

    public function testAServerThatLiesAboutTheChangeIsNotBelieved(): void
    {
        [$serviceId] = $this->customer();
        $gold = $this->customerProduct([Labels::STORAGE => (string) (200 * self::GIB), Labels::AUTO_MCAL => 'on']);
        $this->sim->fault([
            'kind' => 'rewrite', 'route' => self::PATCH,
            'set' => ['storage' => ['allotted_bytes' => 100 * self::GIB, 'used_bytes' => 0, 'location' => null]],
        ]);

        $shown = $this->whmcs->upgradeProduct($serviceId, $gold);

        self::assertStringContainsString('answered the change with an account whose storage still differ', $shown);
    }

    public function testAServerThatEchoesTheRequestShowsNoSecret(): void
    {
        [$serviceId] = $this->customer();
        $gold = $this->customerProduct([Labels::STORAGE => (string) (200 * self::GIB), Labels::AUTO_MCAL => 'on']);
        $this->sim->fault(['kind' => 'echo', 'route' => self::PATCH, 'status' => 422]);

        $shown = $this->whmcs->upgradeProduct($serviceId, $gold);

        self::assertStringStartsWith('Could not change the customer "acme-up": ', $shown);
        self::assertStringNotContainsString($this->sim->password, $shown);
        self::assertStringNotContainsString(base64_encode($this->sim->user . ':' . $this->sim->password), $shown);
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            if ($entry['action'] === 'ChangePackage') {
                $shownInLog = $entry['request'] . $entry['response'] . $entry['processed'];
                self::assertStringNotContainsString($this->sim->password, $shownInLog);
            }
        }
    }

    public function testALostAnswerIsReadBackAndTheChangeConfirmed(): void
    {
        [$serviceId] = $this->customer();
        $gold = $this->customerProduct([Labels::STORAGE => (string) (200 * self::GIB), Labels::AUTO_MCAL => 'on']);
        $this->sim->fault(['kind' => 'drop', 'route' => self::PATCH]);

        self::assertSame('success', $this->whmcs->upgradeProduct($serviceId, $gold));

        self::assertSame(200 * self::GIB, $this->account()['storage']['allotted_bytes']);
        self::assertSame(1, $this->patches(), 'read back, not sent again');
    }
}
