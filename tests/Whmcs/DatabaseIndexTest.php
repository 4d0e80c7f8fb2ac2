<?php

/**
 * The emulated database's indexes (Emulator/TableIndex; which columns: Database::INDEXES, from
 * WHMCS's MySQL schema) only make queries fast: every query answers exactly what the full scan
 * answers (the same rows, in the same order, the same errors), a change made straight in the
 * Store is seen by the next query, and the batched CASE update writes the same rows.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\QueryBuilder;
use SgWhmcs\Tests\Emulator\Whmcs;
use WHMCS\Database\Capsule;

final class DatabaseIndexTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        FakeModule::load();
        $this->whmcs = Whmcs::fresh(FakeModule::GENERATING);
        // Keys out of order, equal values written differently (1 and '1', 'Active' and 'active'),
        // a missing userid, one id column that is text: what a scan handles, the index must too.
        $services = [];
        $keys = range(1, 40);
        mt_srand(20);
        shuffle($keys);
        foreach ($keys as $n => $key) {
            $services[$key] = [
                'id' => $key === 17 ? '17' : $key, 'userid' => [1, 2, null][$n % 3],
                'packageid' => [2, 3, '3'][$n % 3 === 0 ? 0 : $n % 2 + 1], 'server' => [1, '1', 2][$n % 3],
                'username' => "svc-$key", 'password' => $n % 4 === 0 ? '' : "pw-$key",
                'domainstatus' => ['Active', 'active', 'Suspended', 'ACTIVE'][$n % 4], 'domain' => '',
                'diskusage' => '0', 'disklimit' => '0', 'lastupdate' => '0000-00-00 00:00:00',
                'configoptions' => [], 'customfields' => [],
            ];
        }
        $this->whmcs->store()->services = $services;
    }

    public function testEveryQueryAnswersWhatTheFullScanAnswers(): void
    {
        $queries = [
            'server' => fn () => self::table()->where('server', 1)->get(),
            'server and products' => fn () => self::table()->where('server', '1')->whereIn('packageid', [2, '3'])
                ->get(),
            'a page after an id' => fn () => self::table()->where('server', 1)->whereIn('packageid', [2, 3])
                ->where('id', '>', 5)->orderBy('id')->limit(3)->get(),
            'a page longer than the rows' => fn () => self::table()->where('server', 1)->whereIn('packageid', [2, 3])
                ->where('id', '>', 5)->orderBy('id')->limit(100)->get(),
            'ids from' => fn () => self::table()->where('id', '>=', '7')->orderBy('id')->limit(4)->pluck('username'),
            'ids below, descending' => fn () => self::table()->where('id', '<', 26)->orderBy('id', 'desc')
                ->limit(2)->get(),
            'ids up to' => fn () => self::table()->where('id', '<=', 9)->where('id', '>', 2)->orderBy('id')
                ->limit(50)->pluck('id'),
            'one id, ordered' => fn () => self::table()->where('id', 17)->orderBy('id')->limit(1)->get(),
            'a bound that is text' => fn () => self::table()->where('id', '>', 'abc')->orderBy('id')->limit(2)->get(),
            'first rows by id' => fn () => self::table()->orderBy('id')->limit(5)->pluck('username'),
            'status without case' => fn () => self::table()->where('domainstatus', 'active')->count(),
            'status and no client' => fn () => self::table()->where('domainstatus', 'ACTIVE')->where('userid', null)
                ->get(),
            'ids written differently' => fn () => self::table()->whereIn('id', [3, '4', 4.0, 17, 99, 'x'])->get(),
            'in through where' => fn () => self::table()->where('id', 'in', [1, '2', 17])->get(),
            'not a client' => fn () => self::table()->where('userid', '!=', 1)->get(),
            'ordered by a column with gaps' => fn () => self::table()->orderBy('userid')->limit(7)->pluck('id'),
            'first' => fn () => self::table()->where('server', 2)->first(),
            'value' => fn () => self::table()->where('userid', 2)->whereIn('packageid', ['3'])->value('username'),
            'exists' => fn () => self::table()->where('id', 41)->exists(),
            'unknown column' => fn () => self::table()->where('nosuch', 1)->get(),
            'unknown order column' => fn () => self::table()->where('id', '>', 1)->orderBy('nosuch')->limit(1)->get(),
            'a server by id' => fn () => Capsule::table('tblservers')->where('id', 1)->value('hostname'),
        ];
        $database = $this->whmcs->database();
        foreach ($queries as $name => $query) {
            $database->useIndexes = true;
            $indexed = self::answer($query);
            $database->useIndexes = false;
            self::assertSame(self::answer($query), $indexed, "$name: the indexed answer is the scan's");
            $database->useIndexes = true;
        }
        self::assertSame(['svc-7', 'svc-8', 'svc-9', 'svc-10'], self::answer($queries['ids from']));
        self::assertStringContainsString("Unknown column 'nosuch'", self::answer($queries['unknown column']));
    }

    public function testAChangeMadeStraightInTheStoreIsSeen(): void
    {
        self::assertSame([], self::table()->where('server', 99)->pluck('id'));
        $this->whmcs->store()->services[5]['server'] = 99;
        self::assertSame([5], self::table()->where('server', 99)->pluck('id'));
        self::assertSame([5], self::table()->where('server', 99)->orderBy('id')->limit(3)->pluck('id'));
        unset($this->whmcs->store()->services[6]);
        self::assertFalse(self::table()->where('id', 6)->exists());
        self::assertSame([], self::table()->whereIn('id', [6])->orderBy('id')->limit(5)->get());
    }

    public function testTheBatchedCaseUpdateWritesWhatItWroteWithoutTheIndex(): void
    {
        $database = $this->whmcs->database();
        $before = $this->whmcs->store()->services;
        $written = [];
        foreach ([true, false] as $indexed) {
            $database->useIndexes = $indexed;
            $this->whmcs->store()->services = $before;
            self::table()->where('server', 1)->count(); // the index is built before the write
            $ids = [3, 9, 17, 40];
            $case = 'CASE id' . implode('', array_map(fn (int $id): string => " WHEN $id THEN " . ($id * 10), $ids))
                . ' END';
            self::table()->whereIn('id', $ids)->update(
                ['diskusage' => Capsule::raw($case), 'lastupdate' => 'now', 'server' => 7]
            );
            $written[] = $this->whmcs->store()->services;
            // After the write, the index still answers: it kept the rows it wrote, and learnt the
            // indexed column (server) that changed.
            self::assertSame([3, 9, '17', 40], self::table()->where('server', 7)->pluck('id'));
            self::assertSame(
                [9, '17'],
                self::table()->where('server', '7')->where('id', '>', 3)->orderBy('id')->limit(2)->pluck('id')
            );
            self::assertSame(['svc-9'], self::table()->where('diskusage', '90')->pluck('username'));
            self::assertSame(4, self::table()->whereIn('id', $ids)->where('lastupdate', 'now')->count());
        }
        self::assertSame($written[1], $written[0]);
        self::assertSame('170', $written[0][17]['diskusage']);
    }

    private static function table(): QueryBuilder
    {
        return Capsule::table('tblhosting');
    }

    /** What QUERY answers, the encrypted passwords left out (their ciphertext differs per read), or its error. */
    private static function answer(callable $query): mixed
    {
        try {
            $answer = $query();
        } catch (\RuntimeException $e) {
            return $e->getMessage();
        }
        $plain = fn (mixed $row): mixed => $row instanceof \stdClass
            ? array_diff_key((array) $row, ['password' => true])
            : $row;
        return is_array($answer) ? array_map($plain, $answer) : $plain($answer);
    }
}
