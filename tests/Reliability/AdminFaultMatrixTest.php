<?php

/**
 * Every sgsim fault kind against every admin screen that talks to the Backup Server: the service
 * tab, the four buttons and the reseller Loader (as FaultMatrixTest does for the lifecycle).
 *
 * Each row arms one fault that spoils every request of the call (`after: false`: never handled),
 * runs the screen as the admin would, and checks: the admin is told what went wrong (one tab row,
 * the button's message, the Loader's thrown message); nothing changed on the server or in WHMCS
 * (the stored pass key); one Module Log entry per request sent, each saying what went wrong; the
 * call took at most the timeout plus one second; and the NEXT call, with the fault gone, works.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;

final class AdminFaultMatrixTest extends ReliabilityTestCase
{
    private const NAME = 'acme-admin-matrix';

    /** Screen => the Module Log action of its requests. */
    private const SCREENS = [
        'Service tab' => 'AdminServicesTabFields',
        'Reset Pass Key' => 'ResetPassKey',
        'Store Pass Key Again' => 'StorePassKey',
        'Link Existing Account' => 'LinkAccount',
        'Delete on Backup Server' => 'DeleteOnServer',
        'Reseller Loader' => 'LoadResellers',
    ];

    /** @return array<string, array{0: string, 1: string}> */
    public static function faultsAndScreens(): array
    {
        $rows = [];
        foreach (array_keys(self::SERVER_FAULTS) as $kind) {
            foreach (array_keys(self::SCREENS) as $screen) {
                $rows["$kind × $screen"] = [$kind, $screen];
            }
        }
        return $rows;
    }

    /** @dataProvider faultsAndScreens */
    public function testAFaultIsReportedLoggedAndForgottenByTheNextCall(string $kind, string $screen): void
    {
        [$fault, $phrase] = self::SERVER_FAULTS[$kind];
        [$serviceId, $productId] = $this->prepare($screen);
        $serverBefore = $this->sim->customer(self::NAME);
        $keyBefore = $this->sim->passkey(self::NAME);
        $storedBefore = $this->storedKey($serviceId);
        $seenBefore = $this->sim->totalRequests();
        $logBefore = $this->logCount();
        $this->sim->fault($fault + ['count' => 10, 'after' => false]);

        $started = hrtime(true);
        [$ok, $text] = $this->perform($screen, $serviceId, $productId);
        $elapsed = (hrtime(true) - $started) / 1e9;
        $this->clearFaults();

        self::assertLessThan(self::TIMEOUT_SECONDS + 1.0, $elapsed, "$screen returned in time");
        $entries = $this->logSince($logBefore);
        $seen = $this->sim->totalRequests() - $seenBefore;
        self::assertGreaterThan(0, $seen, 'the call reached the server');
        self::assertCount($seen, $entries, 'one Module Log entry per request');
        foreach ($entries as $i => $entry) {
            self::assertSame(self::SCREENS[$screen], $entry['action'], "log entry #$i");
        }
        if ($phrase === null) {
            self::assertTrue($ok, "$screen: $text");
        } else {
            self::assertFalse($ok, $text);
            self::assertStringContainsString($phrase, $text);
            // Every screen reads the account first (whose it is) and meets the fault there, so
            // no pass key answer is reached (PassKeyAnswerTest covers one that is garbage).
            foreach ($entries as $i => $entry) {
                self::assertStringContainsString(
                    $phrase,
                    $entry['response'] . "\n" . $entry['processed'],
                    "log entry #$i says what went wrong"
                );
            }
            self::assertSame($serverBefore, $this->sim->customer(self::NAME), 'the server unchanged');
            self::assertSame($keyBefore, $this->sim->passkey(self::NAME), 'the pass key unchanged');
            self::assertSame($storedBefore, $this->storedKey($serviceId), 'the stored key unchanged');
        }

        [$ok, $text] = $this->perform($screen, $serviceId, $productId);
        self::assertTrue($ok, "$screen works again: $text");
    }

    /** @return array{0: int, 1: int} the service and a product with an assigned server */
    private function prepare(string $screen): array
    {
        [$serviceId] = $this->activeCustomer(self::NAME, [Labels::PASS_KEY => 'on']);
        Evidence::addSecret($this->sim->passkey(self::NAME));
        if ($screen === 'Link Existing Account') {
            // A service made before this module: its account carries no reference yet.
            $this->sim->expect(200, 'PATCH', '/api/v1/customers/' . self::NAME, ['reference' => '']);
        }
        if ($screen === 'Delete on Backup Server') {
            self::assertSame('success', $this->whmcs->terminate($serviceId));
        }
        $serverId = $this->whmcs->addServer(self::serverFields($this->sim));
        $productId = $this->whmcs->addProduct('Picker', [Labels::ACTION => 'Signup Customer']);
        $this->whmcs->assignServers($productId, [$serverId]);
        return [$serviceId, $productId];
    }

    /** @return array{0: bool, 1: string} whether SCREEN worked, and what the admin saw */
    private function perform(string $screen, int $serviceId, int $productId): array
    {
        $screens = $this->whmcs->adminScreens();
        if ($screen === 'Service tab') {
            $tab = $screens->serviceTab($serviceId);
            return [isset($tab['Account']), html_entity_decode(implode("\n", $tab), ENT_QUOTES)];
        }
        if ($screen === 'Reseller Loader') {
            $loaded = $screens->load($productId, Labels::RESELLER);
            return [isset($loaded['options']['Default Reseller']), $loaded['error'] ?? ''];
        }
        $result = $screens->press($serviceId, $screen);
        return [$result === 'success', $result];
    }

    private function storedKey(int $serviceId): string
    {
        $clientId = $this->whmcs->service($serviceId)['userid'];
        return $this->whmcs->store()->clientFieldValue($clientId, 'Pass Key');
    }
}
