<?php

/**
 * Accepting one order from processes that run at once (fixtures/order-step-in-own-process.php,
 * each with the same WHMCS database and install tree), as concurrent WHMCS requests do: the
 * AcceptOrder hook of one request and the module's CreateAccount of another (an admin presses
 * Create while the accept still runs) end with one account for an order of the module; two
 * AcceptOrder hooks of an order without one end with one account for the client. Counted on
 * sgsim by the accounts' WHMCS references.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Support\ChildProcesses;
use SgWhmcs\Tests\Support\TestModule;

final class ConcurrentOrderTest extends HooksTestCase
{
    private const INSTALL = 'hooksrace1';

    /** @var list<string> job files to remove */
    private array $jobs = [];

    protected function setUp(): void
    {
        parent::setUp();
        // The install id every process reads (as one WHMCS database holds one).
        $this->whmcs->store()->setSetting('SgWhmcsInstallId', self::INSTALL);
    }

    protected function tearDown(): void
    {
        foreach ($this->jobs as $file) {
            @unlink($file);
        }
        parent::tearDown();
    }

    public function testTheHookAndTheServicesCreateAtOnceMakeOneAccount(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);
        $serviceId = $this->whmcs->orderService($orderId);

        [$hook, $create] = $this->runAtOnce(['hook', 'create'], $orderId, $serviceId);

        self::assertSame('success', $create['result'], 'the service was created');
        self::assertSame(
            ["whmcs:" . self::INSTALL . ":service:$serviceId" => 1],
            $this->accountsByReference(),
            'one account, the service\'s'
        );
        self::assertSame(1, (int) ($this->sim->stats()['routes']['POST /customers'] ?? 0));
        self::assertSame(
            ["sgwhmcs AcceptOrder: order #$orderId: provisioned by the product's module, the hook made no account "
            . "(service #$serviceId is a product of the module \"" . TestModule::NAME . '", whose Create makes the '
            . 'account; one account per order)'],
            $hook['activity']
        );
    }

    public function testTwoHooksOfAnOrderWithoutAModuleProductAtOnceMakeOneAccount(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupReseller');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $hosting = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($clientId, $hosting);

        $outputs = $this->runAtOnce(['hook', 'hook'], $orderId, $this->whmcs->orderService($orderId));

        self::assertSame(
            ["whmcs:" . self::INSTALL . ":client:$clientId" => 1],
            $this->accountsByReference(),
            'one account, the client\'s'
        );
        foreach ($outputs as $i => $output) {
            self::assertCount(1, $output['activity'], "process $i");
            self::assertStringStartsWith(
                'sgwhmcs AcceptOrder: reseller "Acme Widgets" is on the Backup Server',
                $output['activity'][0],
                "process $i made or adopted the client's account"
            );
        }
    }

    /**
     * Runs each of STEPS ('hook': the AcceptOrder hooks of ORDER; 'create': CreateAccount of
     * SERVICE) in its own PHP process, all starting at the same moment, over a copy of this
     * installation's database; answers their outputs in order.
     *
     * @param list<string> $steps
     * @return list<array{result: mixed, activity: list<string>}>
     */
    private function runAtOnce(array $steps, int $orderId, int $serviceId): array
    {
        $start = microtime(true) + 1.0;
        $jobs = [];
        foreach ($steps as $step) {
            $job = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-order-');
            $this->jobs[] = $job;
            $jobs[] = $job;
            file_put_contents($job, serialize([
                'root' => ROOTDIR,
                'module' => TestModule::NAME,
                'store' => $this->whmcs->store(),
                'step' => $step,
                'orderid' => $orderId,
                'serviceid' => $serviceId,
                'start' => $start,
            ]));
        }
        // The emulated WHMCS needs mbstring (WHMCS requires it too).
        return ChildProcesses::runAtOnce(
            __DIR__ . '/fixtures/order-step-in-own-process.php',
            $jobs,
            ['-d', 'extension=mbstring']
        );
    }

    /**
     * How many accounts on the simulator carry each WHMCS reference (customers and resellers).
     *
     * @return array<string, int>
     */
    private function accountsByReference(): array
    {
        $found = [];
        foreach (['customers', 'resellers'] as $collection) {
            foreach ($this->sim->expect(200, 'GET', "/api/v1/$collection")[$collection] as $account) {
                $reference = (string) ($account['reference'] ?? '');
                if (str_starts_with($reference, 'whmcs:')) {
                    $found[$reference] = ($found[$reference] ?? 0) + 1;
                }
            }
        }
        ksort($found);
        return $found;
    }
}
