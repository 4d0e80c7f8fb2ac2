<?php

/**
 * N creates at once, each in a PHP process of its own (fixtures/create-in-own-process.php), as
 * concurrent WHMCS requests run them: services of different clients with the same company name
 * each end with an account of their own (the losers of the race for the derived name take
 * `-<service id>`), and N runs of one service end with one account. Counted on the server.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\ChildProcesses;
use SgWhmcs\Tests\Support\TestModule;

final class ConcurrentCreatesTest extends ReliabilityTestCase
{
    private const PROCESSES = 6;
    private const COMPANY = 'Acme Parallel';

    /** @var list<string> job files to remove */
    private array $jobs = [];

    protected function tearDown(): void
    {
        foreach ($this->jobs as $file) {
            @unlink($file);
        }
        parent::tearDown();
    }

    public function testServicesOfDifferentClientsRacingForOneNameEachGetTheirOwnAccount(): void
    {
        $productId = $this->customerProduct();
        $services = [];
        for ($i = 0; $i < self::PROCESSES; $i++) {
            $clientId = $this->whmcs->addClient(['companyname' => self::COMPANY]);
            $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => '']);
            $services[] = $this->whmcs->orderService($orderId);
        }

        $answers = $this->runAtOnce(array_map(fn (int $id): array => $this->whmcs->serviceParams($id), $services));

        $expected = [];
        foreach ($services as $i => $serviceId) {
            self::assertSame('success', $answers[$i]['result'], "service $serviceId");
            self::assertCount(1, $answers[$i]['usernames'], 'the name is stored back');
            $expected[$answers[$i]['usernames'][0]] = $this->reference('service', $serviceId);
        }
        self::assertCount(self::PROCESSES, $expected, 'all names differ');
        self::assertArrayHasKey(self::COMPANY, $expected, 'one of them won the name itself');
        $onServer = [];
        foreach (self::accounts($this->sim) as $account) {
            if (str_starts_with($account['name'], self::COMPANY)) {
                $onServer[$account['name']] = $account['reference'];
            }
        }
        ksort($expected);
        ksort($onServer);
        self::assertSame($expected, $onServer, 'one account per service, each with its reference');
    }

    /** @return array<string, array{0: string}> */
    public static function usernames(): array
    {
        return ['a given username' => ['acme-once-parallel'], 'a derived username' => ['']];
    }

    /** @dataProvider usernames */
    public function testOneServiceCreatedManyTimesAtOnceGetsOneAccount(string $username): void
    {
        $clientId = $this->whmcs->addClient(['companyname' => self::COMPANY]);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => $username]);
        $serviceId = $this->whmcs->orderService($orderId);
        $params = $this->whmcs->serviceParams($serviceId);

        $answers = $this->runAtOnce(array_fill(0, self::PROCESSES, $params));

        foreach ($answers as $i => $answer) {
            self::assertSame('success', $answer['result'], "process $i");
        }
        $mine = array_values(array_filter(
            self::accounts($this->sim),
            fn (array $a): bool => ($a['reference'] ?? null) === $this->reference('service', $serviceId)
        ));
        self::assertCount(1, $mine, 'one account on the server');
        self::assertSame($username === '' ? self::COMPANY : $username, $mine[0]['name']);
    }

    /**
     * Runs one CreateAccount per element of PARAMS, each in its own PHP process, all starting at
     * the same moment; answers their outputs in order.
     *
     * @param list<array<string, mixed>> $params
     * @return list<array{result: mixed, usernames: list<string>}>
     */
    private function runAtOnce(array $params): array
    {
        $start = microtime(true) + 1.0;
        $jobs = [];
        foreach ($params as $one) {
            $jobs[] = $this->tempJob([
                'module' => TestModule::NAME,
                'params' => $one,
                'install_id' => $this->installId(),
                'start' => $start,
            ]);
        }
        return ChildProcesses::runAtOnce(__DIR__ . '/fixtures/create-in-own-process.php', $jobs);
    }

    /** @param array<string, mixed> $job */
    private function tempJob(array $job): string
    {
        $file = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-job-');
        file_put_contents($file, json_encode($job, JSON_THROW_ON_ERROR));
        $this->jobs[] = $file;
        return $file;
    }
}
