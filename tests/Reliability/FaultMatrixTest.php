<?php

/**
 * Every sgsim fault kind against every module function that talks to the Backup Server.
 *
 * Each row arms one fault that spoils every request of the call (`after: false`: the request is
 * never handled), runs the function as WHMCS would, and checks:
 * - what the admin is told names the failure (a phrase specific to the fault kind; the server's
 *   own error text when it sent one), and nothing was changed, in WHMCS or on the server;
 * - the Module Log has one entry per request the call made, each saying what went wrong;
 * - the call took at most the configured timeout plus one second (2 s + 1 s here: a black-holed
 *   server is given up on, never waited for);
 * - the NEXT call, with the fault gone, works.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

final class FaultMatrixTest extends ReliabilityTestCase
{
    private const NAME = 'acme-matrix';

    private const OPERATIONS = [
        'CreateAccount',
        'SuspendAccount',
        'UnsuspendAccount',
        'TerminateAccount',
        'TestConnection',
    ];

    /** @return array<string, array{0: string, 1: string}> */
    public static function faultsAndOperations(): array
    {
        $rows = [];
        foreach (array_keys(self::SERVER_FAULTS) as $kind) {
            foreach (self::OPERATIONS as $operation) {
                $rows["$kind × $operation"] = [$kind, $operation];
            }
        }
        return $rows;
    }

    /** @dataProvider faultsAndOperations */
    public function testAFaultIsReportedLoggedAndForgottenByTheNextCall(string $kind, string $operation): void
    {
        [$fault, $phrase, $alsoSays] = self::SERVER_FAULTS[$kind];
        $serviceId = $this->prepare($operation);
        $serverBefore = $this->sim->customer(self::NAME);
        $statusBefore = $operation === 'TestConnection' ? null : $this->whmcs->service($serviceId)['domainstatus'];
        $seenBefore = $this->sim->totalRequests();
        $logBefore = $this->logCount();
        // Enough uses to spoil every request of the call, the read-back of a create and the
        // one retry of a broken read included.
        $this->sim->fault($fault + ['count' => 10, 'after' => false]);

        $started = hrtime(true);
        $result = $this->perform($operation, $serviceId);
        $elapsed = (hrtime(true) - $started) / 1e9;
        // The simulator's own view goes through /api/v1 too: no fault may meet it.
        $this->clearFaults();

        self::assertLessThan(self::TIMEOUT_SECONDS + 1.0, $elapsed, "$operation returned in time");
        $text = self::text($result);
        $entries = $this->logSince($logBefore);
        $seen = $this->sim->totalRequests() - $seenBefore;
        self::assertGreaterThan(0, $seen, 'the call reached the server');
        // One entry per request sent, and none for a request that was not: after a black-holed
        // create, the read-back that would tell whether the account was made finds the call's
        // time spent, and the log must not show it as if it had been sent.
        self::assertCount($seen, $entries, 'one Module Log entry per request');
        foreach ($entries as $i => $entry) {
            self::assertSame($operation, $entry['action'], "log entry #$i");
        }

        if ($phrase === null) {
            $this->assertSucceeded($operation, $result, $serviceId);
            foreach ($entries as $i => $entry) {
                self::assertMatchesRegularExpression('/^HTTP 20[01]\n/', $entry['response'], "log entry #$i");
            }
        } else {
            self::assertNotSame('success', $result);
            if (is_array($result)) {
                self::assertFalse($result['success']);
                self::assertStringStartsWith('Connection failed: ', $text);
            }
            if ($kind === 'garbage' && $operation === 'TestConnection') {
                // A page where GET /server answers JSON: not the API (docs/backup-server-api.md,
                // "Who are you"); the log below still shows the answer was not JSON.
                $message = 'an HTML page instead of the API\'s JSON';
                $alsoSays = ['not a Backup Server API endpoint'];
            }
            self::assertStringContainsString($message ?? $phrase, $text);
            foreach ($alsoSays as $words) {
                self::assertStringContainsString($words, $text);
            }
            foreach ($entries as $i => $entry) {
                self::assertStringContainsString(
                    $phrase,
                    $entry['response'] . "\n" . $entry['processed'],
                    "log entry #$i says what went wrong"
                );
            }
            if ($statusBefore !== null) {
                self::assertSame($statusBefore, $this->whmcs->service($serviceId)['domainstatus'], 'WHMCS unchanged');
            }
            self::assertSame($serverBefore, $this->sim->customer(self::NAME), 'the server unchanged');
        }

        $result = $this->perform($operation, $serviceId);
        $this->assertSucceeded($operation, $result, $serviceId);
    }

    /** Makes what OPERATION needs; returns the service id (0 for Test Connection). */
    private function prepare(string $operation): int
    {
        if ($operation === 'TestConnection') {
            return 0;
        }
        if ($operation === 'CreateAccount') {
            $clientId = $this->whmcs->addClient();
            $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => self::NAME]);
            $this->whmcs->acceptOrder($orderId, false);
            return $this->whmcs->orderService($orderId);
        }
        [$serviceId] = $this->activeCustomer(self::NAME);
        if ($operation === 'UnsuspendAccount') {
            self::assertSame('success', $this->whmcs->suspend($serviceId));
        }
        return $serviceId;
    }

    private function perform(string $operation, int $serviceId): mixed
    {
        return match ($operation) {
            'CreateAccount' => $this->whmcs->createAccount($serviceId),
            'SuspendAccount' => $this->whmcs->suspend($serviceId),
            'UnsuspendAccount' => $this->whmcs->unsuspend($serviceId),
            'TerminateAccount' => $this->whmcs->terminate($serviceId),
            'TestConnection' => $this->whmcs->testUnsavedServer(self::serverFields($this->sim)),
        };
    }

    /** OPERATION answered success, and WHMCS and the server show it. */
    private function assertSucceeded(string $operation, mixed $result, int $serviceId): void
    {
        if ($operation === 'TestConnection') {
            self::assertSame(['success' => true, 'error' => ''], $result);
            return;
        }
        self::assertSame('success', $result, $operation);
        [$status, $active] = match ($operation) {
            'CreateAccount', 'UnsuspendAccount' => ['Active', true],
            'SuspendAccount' => ['Suspended', false],
            'TerminateAccount' => ['Terminated', false],
        };
        self::assertSame($status, $this->whmcs->service($serviceId)['domainstatus']);
        $customer = $this->sim->customer(self::NAME);
        self::assertNotNull($customer, 'the account exists on the server');
        self::assertSame($active, $customer['active']);
        self::assertCount(3, $this->sim->expect(200, 'GET', '/api/v1/customers')['customers'], 'no duplicate');
    }
}
