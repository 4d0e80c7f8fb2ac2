<?php

/**
 * Attack cases of the ownership rule: a username of non-UTF-8 bytes (an old install's data) and
 * one whose HTML-encoded text decodes to another service's account name, a server that sends a
 * huge or markup-laden reference, and several processes pressing Delete and Suspend at once. The
 * answer is always the normal shape with words for the admin; no account that is not the
 * service's is changed (sgsim's own state and request counters say so).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Identity;

use SgWhmcs\Tests\Support\ChildProcesses;
use SgWhmcs\Tests\Support\TestModule;

final class IdentityAttackTest extends IdentityTestCase
{
    /** @var list<string> job files to remove */
    private array $jobs = [];

    protected function tearDown(): void
    {
        foreach ($this->jobs as $file) {
            @unlink($file);
        }
        parent::tearDown();
    }

    /** @return array<string, array{0: string}> usernames stored on the old service, as WHMCS holds them */
    public static function attackUsernames(): array
    {
        return [
            'Windows-1252 bytes' => ["Acme\xA0"],
            'bytes that are no encoding' => ["Ac\xFF\xFEme"],
            'HTML-encoded to the new owner\'s name' => ['&#65;cme'],
            'HTML-encoded markup' => ['Acme&lt;script&gt;'],
        ];
    }

    /** @dataProvider attackUsernames */
    public function testAnOddUsernameNeverReachesAnotherServicesAccount(string $username): void
    {
        [$old, $new] = $this->reusedName();
        $password = $this->servicePassword($new);
        $before = $this->serverView(self::NAME, $password);
        $changes = $this->changes();
        $this->whmcs->store()->services[$old]['username'] = $username;
        $this->whmcs->store()->services[$old]['domainstatus'] = 'Terminated';

        $answers = [
            $this->whmcs->adminScreens()->press($old, 'Delete on Backup Server'),
            $this->whmcs->adminScreens()->press($old, 'Reset Pass Key'),
            $this->whmcs->changePassword($old, 'Taken-0ver-Pa55'),
            $this->whmcs->suspend($old),
        ];

        // Delete may answer success only for a name that no account has (already deleted, nothing
        // sent: the counters below say so); every other function refuses.
        foreach ($answers as $i => $answer) {
            if ($i > 0) {
                self::assertNotSame('success', $answer);
            }
            self::assertTrue(mb_check_encoding($answer, 'UTF-8'), 'the answer is UTF-8');
        }
        $tab = $this->whmcs->adminScreens()->serviceTab($old);
        self::assertSame(['Backup Server'], array_keys($tab));
        self::assertStringNotContainsString('<', $tab['Backup Server']);
        self::assertSame($changes, $this->changes(), 'nothing but reads was sent');
        self::assertSame($before, $this->serverView(self::NAME, $password));
    }

    public function testAHugeOrMarkupReferenceFromTheServerIsRefusedInFewWords(): void
    {
        [$serviceId] = $this->activeCustomer('acme-huge-ref');
        $before = $this->sim->customer('acme-huge-ref');
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /customers/{name}', 'count' => 3, 'set' => [
            'reference' => str_repeat("&amp;<b>\u{202e}", 40000),
        ]]);

        $answers = [
            $this->whmcs->suspend($serviceId),
            $this->whmcs->changePassword($serviceId, 'Lying-Ref-Pa55'),
        ];
        $tab = $this->whmcs->adminScreens()->serviceTab($serviceId);

        foreach ($answers as $answer) {
            self::assertStringContainsString("which is not this module's", $answer);
            self::assertLessThan(1500, strlen($answer), 'the reference is cut');
            self::assertStringNotContainsString("\u{202e}", $answer, 'control characters made visible');
        }
        self::assertStringNotContainsString('<b>', $tab['Backup Server']);
        self::assertLessThan(2500, strlen($tab['Backup Server']));
        self::assertSame($before, $this->sim->customer('acme-huge-ref'));
        self::assertSame(0, $this->changes());
    }

    public function testDeleteAndSuspendPressedAtOnceActOnlyOnTheServicesOwnAccount(): void
    {
        [$mine] = $this->activeCustomer('acme-race');
        [$theirs] = $this->activeCustomer('acme-race-other');
        self::assertSame('success', $this->whmcs->terminate($mine));
        $params = $this->whmcs->serviceParams($mine);
        $otherPassword = $this->servicePassword($theirs);
        $other = $this->serverView('acme-race-other', $otherPassword);
        // The other service's params name the first account: its presses must change nothing.
        $stolen = $this->whmcs->serviceParams($theirs);
        $stolen['username'] = 'acme-race';
        $stolen['status'] = 'Terminated';

        $answers = $this->runAtOnce([
            ['DeleteOnServer', $params], ['DeleteOnServer', $params], ['SuspendAccount', $params],
            ['DeleteOnServer', $stolen], ['SuspendAccount', $stolen],
        ]);

        self::assertSame('success', $answers[0]);
        self::assertSame('success', $answers[1], 'deleted, or already deleted');
        self::assertTrue(
            $answers[2] === 'success' || str_ends_with($answers[2], 'it does not exist on the Backup Server'),
            $answers[2]
        );
        // The other service's presses: refused while the account exists, "already deleted" /
        // "does not exist" once it is gone; either way nothing of another service is changed.
        self::assertTrue(
            str_contains($answers[3], "belongs to service #$mine of this WHMCS") || $answers[3] === 'success',
            $answers[3]
        );
        self::assertTrue(
            str_contains($answers[4], "belongs to service #$mine of this WHMCS")
                || str_contains($answers[4], 'does not exist on the Backup Server'),
            $answers[4]
        );
        self::assertNull($this->sim->customer('acme-race'));
        self::assertLessThanOrEqual(2, $this->sim->stats()['routes']['DELETE /customers/{name}'] ?? 0);
        self::assertSame($other, $this->serverView('acme-race-other', $otherPassword));
    }

    /**
     * Runs each [function, params] of CALLS in its own PHP process, all starting together;
     * answers their results in order.
     *
     * @param list<array{0: string, 1: array<string, mixed>}> $calls
     * @return list<string>
     */
    private function runAtOnce(array $calls): array
    {
        $start = microtime(true) + 1.0;
        $jobs = [];
        foreach ($calls as [$function, $params]) {
            $file = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-identity-');
            file_put_contents($file, json_encode([
                'module' => TestModule::NAME, 'function' => $function, 'params' => $params,
                'install_id' => $this->installId(), 'start' => $start,
            ], JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE));
            $this->jobs[] = $file;
            $jobs[] = $file;
        }
        $answers = [];
        foreach (ChildProcesses::runAtOnce(__DIR__ . '/fixtures/call-in-own-process.php', $jobs) as $answer) {
            self::assertIsString($answer['result']);
            $answers[] = $answer['result'];
        }
        return $answers;
    }
}
