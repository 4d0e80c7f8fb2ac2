<?php

/**
 * Hidden-case attack on issue 8, item 6, with cases the issue did not describe: a host call that
 * throws an Error (not an Exception), an exception chained to a previous one that holds a
 * secret, logModuleCall throwing a TypeError, and the database failing during a Suspend. The
 * exception is taken at the boundary every time: nothing escapes into PHP, the cause is named,
 * secrets are scrubbed, and the next host call works.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\CapturesErrorLog;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

/** @group glue */
final class HostThrowsAttackTest extends ModuleTestCase
{
    use CapturesErrorLog;

    public function testAnErrorThrownByCapsuleIsTakenAndNamed(): void
    {
        $serviceId = $this->pendingService('error-not-exception', [Labels::PASS_KEY => 'on']);
        $this->whmcs->database()->throwNextOn = 'tblcustomfields';
        $this->whmcs->database()->throwNext = new \Error('Call to a member function prepare() on null');

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('Call to a member function prepare() on null', $result);
        self::assertStringContainsString('Error', $result);
        self::assertNotNull($this->sim->customer('error-not-exception'));
        self::assertSame('success', $this->whmcs->suspend($serviceId), 'the next host calls work');
    }

    public function testAChainedExceptionHoldingTheAdminPasswordIsScrubbed(): void
    {
        $password = $this->sim->password;
        $serviceId = $this->pendingService('chained', [Labels::PASS_KEY => 'on']);
        $inner = new \RuntimeException("connect(admin:$password@db) refused");
        $this->whmcs->database()->throwNextOn = 'tblcustomfields';
        $this->whmcs->database()->throwNext = new \PDOException("SQLSTATE[HY000] lost; auth $password", 0, $inner);

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('SQLSTATE[HY000] lost', $result);
        self::assertStringNotContainsString($password, $result);
        self::assertStringNotContainsString($password, (string) file_get_contents($this->errorLog));
        foreach ($this->whmcs->moduleLog()->entries() as $entry) {
            $stored = $entry['request'] . $entry['response'] . $entry['processed'];
            self::assertStringNotContainsString($password, $stored);
        }
    }

    public function testLogModuleCallThrowingATypeErrorCostsNothingButItsEntry(): void
    {
        $serviceId = $this->pendingService('log-typeerror');
        $this->whmcs->moduleLog()->throwNext = new \TypeError('logModuleCall(): Argument #3 must be of type array');

        self::assertSame('success', $this->whmcs->createAccount($serviceId));

        self::assertStringContainsString(
            'logModuleCall threw TypeError: logModuleCall(): Argument #3 must be of type array',
            (string) file_get_contents($this->errorLog)
        );
        self::assertSame('success', $this->whmcs->suspend($serviceId));
    }

    public function testALogModuleCallExceptionQuotingTheRequestIsScrubbedInPhpsErrorLog(): void
    {
        $password = $this->sim->password;
        $serviceId = $this->pendingService('log-quotes');
        $basic = base64_encode($this->sim->user . ':' . $password);
        $this->whmcs->moduleLog()->throwNext = new \RuntimeException(
            "Data too long for column 'request': Authorization: Basic $basic; password=$password"
        );

        self::assertSame('success', $this->whmcs->createAccount($serviceId));

        $errors = (string) file_get_contents($this->errorLog);
        self::assertStringContainsString("Data too long for column 'request'", $errors);
        self::assertStringNotContainsString($password, $errors);
        self::assertStringNotContainsString($basic, $errors);
    }

    public function testTheDatabaseGoingAwayDuringASuspendIsReportedAndTheNextSuspendWorks(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        [$serviceId, $result] = $this->orderAndAccept($productId, 'suspend-db-gone');
        self::assertSame('success', $result);
        $this->whmcs->database()->throwNext = new \PDOException('SQLSTATE[HY000] [2006] MySQL server has gone away');
        $before = $this->sim->totalRequests();

        $suspended = $this->whmcs->suspend($serviceId);

        // Without this install's id (tblconfiguration) the account's owner cannot be judged:
        // refused, in words, with nothing sent; never a throw.
        self::assertStringStartsWith('Could not deactivate customer "suspend-db-gone": ', $suspended);
        self::assertStringContainsString('MySQL server has gone away', $suspended);
        self::assertStringContainsString('nothing was sent', $suspended);
        self::assertSame($before, $this->sim->totalRequests());
        self::assertTrue($this->sim->customer('suspend-db-gone')['active']);
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertFalse($this->sim->customer('suspend-db-gone')['active']);
        self::assertSame('success', $this->whmcs->unsuspend($serviceId));
    }

    public function testLocalApiThrowingAnErrorIsReportedAndTheNextCallWorks(): void
    {
        $serviceId = $this->pendingService('');
        $this->whmcs->localApi()->throwNext = new \ArithmeticError('Division by zero in UpdateClientProduct');

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('Division by zero in UpdateClientProduct', $result);
        self::assertSame('success', $this->whmcs->createAccount($serviceId));
        self::assertNotSame('', $this->whmcs->service($serviceId)['username']);
    }

    /** @param array<int|string, mixed> $settings */
    private function pendingService(string $username, array $settings = []): int
    {
        $clientId = $this->whmcs->addClient(['companyname' => 'Throwing Host']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct($settings), ['username' => $username]);
        return $this->whmcs->orderService($orderId);
    }
}
