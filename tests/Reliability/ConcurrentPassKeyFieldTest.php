<?php

/**
 * Creates of several services of ONE product at once, each in a PHP process of its own against
 * one shared WHMCS database (fixtures/passkey-in-own-process.php), racing to make the product's
 * "Pass Key" field: one field is left whatever the interleaving (a process that made a later one
 * removes it again), and every service's own key, equal to sgsim's, is in that field. No timing
 * is asserted: the outcome is the same for every order the processes run in.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\ChildProcesses;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\TestModule;

final class ConcurrentPassKeyFieldTest extends ReliabilityTestCase
{
    private const PROCESSES = 6;

    /** @var list<string> files to remove */
    private array $files = [];

    protected function tearDown(): void
    {
        foreach ($this->files as $file) {
            @unlink($file);
        }
        parent::tearDown();
    }

    private function tempFile(string $content): string
    {
        $file = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-pk-');
        file_put_contents($file, $content);
        $this->files[] = $file;
        return $file;
    }

    public function testServicesOfOneProductCreatedAtOnceShareOneFieldEachWithItsOwnKey(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $services = [];
        $hosting = [];
        for ($i = 0; $i < self::PROCESSES; $i++) {
            $clientId = $this->whmcs->addClient();
            $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => "acme-race-$i"]);
            $serviceId = $this->whmcs->orderService($orderId);
            $services[$serviceId] = "acme-race-$i";
            $hosting[] = ['id' => $serviceId, 'userid' => $clientId, 'packageid' => $productId];
        }
        $db = $this->tempFile(json_encode(['tables' => [
            'tblhosting' => $hosting,
            'tblproducts' => [['id' => $productId, 'servertype' => TestModule::NAME]],
            'tblconfiguration' => [['setting' => 'SgWhmcsInstallId', 'value' => $this->installId()]],
        ], 'next' => []], JSON_THROW_ON_ERROR));

        $start = microtime(true) + 1.0;
        $jobs = [];
        foreach (array_keys($services) as $serviceId) {
            $jobs[$serviceId] = $this->tempFile(json_encode([
                'module' => TestModule::NAME,
                'params' => $this->whmcs->serviceParams($serviceId),
                'db' => $db,
                'start' => $start,
            ], JSON_THROW_ON_ERROR));
        }
        $answers = ChildProcesses::runAtOnce(__DIR__ . '/fixtures/passkey-in-own-process.php', $jobs, [], 'service');
        foreach ($answers as $serviceId => $answer) {
            self::assertSame(['result' => 'success'], $answer, "service $serviceId: " . json_encode($answer));
        }

        $tables = json_decode((string) file_get_contents($db), true, 512, JSON_THROW_ON_ERROR)['tables'];
        $fields = array_values(array_filter(
            $tables['tblcustomfields'],
            fn (array $f): bool => $f['type'] === 'product' && (int) $f['relid'] === $productId
        ));
        self::assertCount(1, $fields, 'one product field left: ' . json_encode($tables['tblcustomfields']));
        self::assertSame('password', $fields[0]['fieldtype']);
        self::assertSame('on', $fields[0]['adminonly']);
        $clientFields = array_filter($tables['tblcustomfields'], fn (array $f): bool => $f['type'] === 'client');
        self::assertCount(1, $clientFields, 'one client field left');
        foreach ($services as $serviceId => $name) {
            $key = $this->sim->passkey($name);
            Evidence::addSecret($key);
            $values = array_values(array_filter(
                $tables['tblcustomfieldsvalues'],
                fn (array $v): bool => (int) $v['fieldid'] === (int) $fields[0]['id']
                    && (int) $v['relid'] === $serviceId
            ));
            self::assertCount(1, $values, "service $serviceId has its value in the field that is left");
            // The fixture's encrypt() is `enc:` + base64: the value is this key, stored encrypted.
            $own = 'enc:' . base64_encode($key);
            self::assertSame($own, $values[0]['value'], "service $serviceId holds its own key");
        }
    }
}
