<?php

/**
 * The shared database of the concurrency tests (Emulator/SharedDatabase, SharedQueryBuilder):
 * concurrent WHMCS requests share one MySQL database through Capsule, Laravel's database
 * component (https://developers.whmcs.com/advanced/db-interaction/), each query its own
 * autocommit statement; nothing documented wraps a module call in one transaction, so the
 * emulator models the stricter case: every statement is atomic and sees all earlier ones, no two
 * statements are one. Here two emulated requests (two Whmcs instances) share one file in one
 * process, so the order of their statements is the test's.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Host;
use SgWhmcs\Tests\Emulator\SharedDatabase;
use SgWhmcs\Tests\Emulator\SharedQueryBuilder;
use SgWhmcs\Tests\Emulator\Whmcs;

final class SharedDatabaseTest extends TestCase
{
    private string $file;
    private Whmcs $first;
    private Whmcs $second;
    private SharedDatabase $database;

    /** @var array<int, int> the two services' ids */
    private array $services = [];

    protected function setUp(): void
    {
        FakeModule::load();
        $setup = Whmcs::fresh(FakeModule::GENERATING);
        $productId = $setup->addProduct('Shared');
        foreach ([1, 2] as $i) {
            $clientId = $setup->addClient();
            $orderId = $setup->placeOrder($clientId, $productId, ['username' => "shared-$i"]);
            $this->services[$i] = $setup->orderService($orderId);
        }
        $this->file = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-shared-test-');
        $this->database = SharedDatabase::create($setup->store(), $this->file);
        $this->first = new Whmcs(FakeModule::GENERATING);
        $this->second = new Whmcs(FakeModule::GENERATING);
        Host::use($setup);
    }

    protected function tearDown(): void
    {
        @unlink($this->file);
    }

    private function table(Whmcs $request, string $table): SharedQueryBuilder
    {
        return new SharedQueryBuilder($this->database, $request, $table);
    }

    public function testAStatementSeesEveryEarlierStatementOfAnotherRequest(): void
    {
        $this->table($this->first, 'tblhosting')->where('id', $this->services[1])->update(['diskusage' => 300]);

        $read = $this->table($this->second, 'tblhosting')->where('id', $this->services[1])->value('diskusage');

        self::assertSame(300, $read);
    }

    public function testARequestHoldingOldRowsNeverWritesThemBack(): void
    {
        // The first request read everything before the second wrote: its next write must not
        // put the rows it read back (each statement starts from the shared state).
        self::assertCount(2, $this->table($this->first, 'tblhosting')->get());
        $this->table($this->second, 'tblhosting')->where('id', $this->services[2])->update(['diskusage' => 7]);

        $this->table($this->first, 'tblhosting')->where('id', $this->services[1])->update(['diskusage' => 5]);

        $rows = $this->database->load()->services;
        self::assertSame(5, $rows[$this->services[1]]['diskusage']);
        self::assertSame(7, $rows[$this->services[2]]['diskusage'], 'the other request\'s write kept');
    }

    public function testAFailingStatementFailsLikeMysqlAndWritesNothing(): void
    {
        $before = serialize($this->database->load());

        try {
            $this->table($this->first, 'tblhosting')->where('id', $this->services[1])->update(['disk_usage' => 1]);
            self::fail('an unknown column was written');
        } catch (\RuntimeException $e) {
            self::assertStringContainsString("Unknown column 'disk_usage'", $e->getMessage());
        }

        self::assertSame($before, serialize($this->database->load()));
    }

    public function testUpsertIsNotThereAsInTheSingleProcessEmulator(): void
    {
        $this->expectException(\Error::class);
        $this->table($this->first, 'tblconfiguration')->upsert([['setting' => 'x', 'value' => 'y']], ['setting']);
    }

    public function testAStatementInsideAStatementTakesTheLockOnce(): void
    {
        $id = $this->services[1];

        $this->database->statement($this->first, function () use ($id): void {
            $this->table($this->first, 'tblhosting')->where('id', $id)->update(['diskusage' => 9]);
        });

        self::assertSame(9, $this->database->load()->services[$id]['diskusage']);
    }
}
