<?php

/**
 * The daily cron's UsageUpdate (https://developers.whmcs.com/provisioning-modules/usage-update):
 * once per enabled server of the module, with the server's params only; the module writes
 * tblhosting itself through Capsule ("the database update should be a single call"), which the
 * emulator counts; then DailyCronJob runs with no vars
 * (https://developers.whmcs.com/hooks-reference/cron/#dailycronjob). UsageUpdate runs only while
 * Automation Settings › "Update Usage Statistics" (`UpdateStatsAuto`, 'on' in a fresh install;
 * https://docs.whmcs.com/Automation_Settings) is on; '' , '0' or no row is off.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use WHMCS\Database\Capsule;

final class UsageUpdateTest extends BillingTestCase
{
    public function testItRunsOncePerServerWithServerParamsThenDailyCronJob(): void
    {
        $this->service('alice');
        $this->service('bob');
        $other = $this->whmcs->addServer(['hostname' => 'b2.example.test', 'password' => 'other-Secret-2']);
        $order = [];
        FakeModule::$answers['UsageUpdate'] = function (array $params) use (&$order): string {
            $order[] = 'UsageUpdate ' . $params['serverid'];
            return 'success';
        };
        $this->whmcs->hooks()->add('DailyCronJob', 1, function (array $vars) use (&$order): void {
            $order[] = 'DailyCronJob ' . json_encode($vars);
        });

        self::assertSame([$this->serverId => 'success', $other => 'success'], $this->whmcs->runUsageUpdate());

        self::assertSame(["UsageUpdate {$this->serverId}", "UsageUpdate $other", 'DailyCronJob []'], $order);
        $params = FakeModule::callsOf('UsageUpdate')[0]['params'];
        self::assertSame('server-Secret-1', $params['serverpassword']);
        self::assertTrue($params['serversecure']);
        self::assertArrayNotHasKey('serviceid', $params);
        self::assertArrayNotHasKey('username', $params);
    }

    public function testADisabledServerIsSkippedButDailyCronJobStillRuns(): void
    {
        $this->whmcs->disableServer($this->serverId);
        $ran = 0;
        $this->whmcs->hooks()->add('DailyCronJob', 1, function () use (&$ran): void {
            $ran++;
        });

        self::assertSame([], $this->whmcs->runUsageUpdate());
        self::assertSame([], FakeModule::callsOf('UsageUpdate'));
        self::assertSame(1, $ran);
    }

    public function testABatchedWriteIsOneQueryAndRowByRowIsOnePerService(): void
    {
        $ids = [$this->service('alice'), $this->service('bob'), $this->service('carol')];
        $usage = [$ids[0] => 100, $ids[1] => 2048, $ids[2] => 0];
        $database = $this->whmcs->database();

        $database->resetQueryCount();
        $case = fn (array $values): string => 'CASE `id` '
            . implode(' ', array_map(fn ($id, $v) => "WHEN $id THEN $v", array_keys($values), $values)) . ' END';
        Capsule::table('tblhosting')->whereIn('id', array_keys($usage))->update([
            'diskusage' => Capsule::raw($case($usage)),
            'disklimit' => Capsule::raw($case(array_fill_keys(array_keys($usage), 51200))),
            'lastupdate' => '2026-01-02 03:04:05',
        ]);
        self::assertSame(1, $database->queryCount('tblhosting'));
        self::assertSame('2048', (string) $this->whmcs->service($ids[1])['diskusage']);
        self::assertSame('51200', (string) $this->whmcs->service($ids[2])['disklimit']);
        self::assertSame('2026-01-02 03:04:05', $this->whmcs->service($ids[0])['lastupdate']);

        $database->resetQueryCount();
        foreach ($usage as $id => $mb) {
            Capsule::table('tblhosting')->where('id', $id)->update(['diskusage' => $mb]);
        }
        self::assertSame(3, $database->queryCount('tblhosting', 'update'));
    }

    public function testACaseWithoutElseSetsNullForRowsItDoesNotName(): void
    {
        $alice = $this->service('alice');
        $bob = $this->service('bob');

        Capsule::table('tblhosting')->whereIn('id', [$alice, $bob])->update([
            'diskusage' => Capsule::raw("CASE id WHEN $alice THEN 5 END"),
            'disklimit' => Capsule::raw("CASE id WHEN $alice THEN 9 ELSE disklimit END"),
        ]);

        self::assertNull($this->whmcs->service($bob)['diskusage']);
        self::assertSame('0', (string) $this->whmcs->service($bob)['disklimit']);
    }

    public function testOtherRawSqlAndUpsertAreRefused(): void
    {
        $refused = [];
        try {
            Capsule::raw('diskusage + 1');
        } catch (\RuntimeException $e) {
            $refused[] = $e->getMessage();
        }
        try {
            Capsule::table('tblhosting')->update(['diskusage' => Capsule::raw('CASE `nosuch` WHEN 1 THEN 2 END')]);
        } catch (\RuntimeException $e) {
            $refused[] = $e->getMessage();
        }
        try {
            // @phpstan-ignore-next-line the point: Laravel's upsert is not there
            Capsule::table('tblhosting')->upsert([['id' => 1, 'diskusage' => 1]], ['id'], ['diskusage']);
        } catch (\Error $e) {
            $refused[] = $e->getMessage();
        }

        self::assertCount(3, $refused);
        self::assertStringContainsString('only CASE', $refused[0]);
        self::assertStringContainsString("Unknown column 'nosuch'", $refused[1]);
        self::assertStringContainsString('undefined method', $refused[2]);
    }

    public function testUpdateUsageStatisticsOffSkipsUsageUpdateButNotDailyCronJob(): void
    {
        self::assertSame('on', $this->whmcs->settingValue('UpdateStatsAuto'), 'a fresh install updates usage');
        $ran = 0;
        $this->whmcs->hooks()->add('DailyCronJob', 1, function () use (&$ran): void {
            $ran++;
        });
        $this->whmcs->setting('UpdateStatsAuto', false);

        self::assertSame([], $this->whmcs->runUsageUpdate());
        $this->whmcs->setting('UpdateStatsAuto', '0');
        self::assertSame([], $this->whmcs->runUsageUpdate());
        $store = $this->whmcs->store();
        $store->configuration = array_values(
            array_filter($store->configuration, fn (array $row): bool => $row['setting'] !== 'UpdateStatsAuto')
        );
        self::assertSame([], $this->whmcs->runUsageUpdate(), 'no row is off too');

        self::assertSame([], FakeModule::callsOf('UsageUpdate'));
        self::assertSame(3, $ran, 'DailyCronJob runs whatever the setting');
        $this->whmcs->store()->setSetting('UpdateStatsAuto', 'on');
        self::assertSame([$this->serverId => 'success'], $this->whmcs->runUsageUpdate());
    }
}
