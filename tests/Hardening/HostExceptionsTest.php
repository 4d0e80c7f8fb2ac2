<?php

/**
 * Host calls are checked at the boundary (issue 8, item 6): when WHMCS's database layer
 * (Capsule), localAPI or logModuleCall throws (the database went away, a deadlock), the exception
 * is taken and cleared at once, its message (secrets scrubbed) reaches the answer or PHP's error
 * log, the next host call works, and no exported function lets an exception out.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\CapturesErrorLog;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

/** @group glue */
final class HostExceptionsTest extends ModuleTestCase
{
    use CapturesErrorLog;

    public function testCapsuleThrowingWhileThePassKeyIsStoredIsReportedWithItsCause(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'db-gone']);
        $serviceId = $this->whmcs->orderService($orderId);
        $password = $this->sim->password;
        // The install id (tblconfiguration) is read first, for the account's reference; the
        // database goes away at the pass key's field (tblcustomfields).
        $this->whmcs->database()->throwNextOn = 'tblcustomfields';
        $this->whmcs->database()->throwNext = new \PDOException(
            "SQLSTATE[HY000] [2006] MySQL server has gone away (connecting with $password)"
        );
        $logged = count($this->whmcs->moduleLog()->entries());

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('MySQL server has gone away', $result, $result);
        self::assertStringContainsString('PDOException', $result);
        self::assertStringNotContainsString($password, $result);
        self::assertNotNull($this->sim->customer('db-gone'));
        // The host calls after the exception still worked: the failure got its module-log entry.
        $entries = array_slice($this->whmcs->moduleLog()->entries(), $logged);
        self::assertNotEmpty(array_filter(
            $entries,
            fn (array $e): bool => str_contains(json_encode($e) ?: '', 'pass key was not stored')
        ));
        // Healed, the same kind of call goes through.
        self::assertSame('success', $this->whmcs->suspend($serviceId));
    }

    public function testLocalApiThrowingIsReportedWithItsCauseAndTheNextCallWorks(): void
    {
        $clientId = $this->whmcs->addClient(['companyname' => 'Deadlock Ltd']);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => '']);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->whmcs->localApi()->throwNext = new \RuntimeException(
            'SQLSTATE[40001]: Deadlock found when trying to get lock'
        );

        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('Deadlock found when trying to get lock', $result);
        self::assertNotNull($this->sim->customer('Deadlock Ltd'));
        // The next localAPI call (a retried create stores the name) works.
        self::assertSame('success', $this->whmcs->createAccount($serviceId));
        self::assertSame('Deadlock Ltd', $this->whmcs->service($serviceId)['username']);
    }

    public function testLogModuleCallThrowingLosesOnlyThatEntryAndSaysSoInTheErrorLog(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'log-broken']);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->whmcs->moduleLog()->throwNext = new \RuntimeException('tblmodulelog is marked as crashed');

        self::assertSame('success', $this->whmcs->createAccount($serviceId));
        self::assertNotNull($this->sim->customer('log-broken'));
        $errors = (string) file_get_contents($this->errorLog);
        $cause = 'logModuleCall threw RuntimeException: tblmodulelog is marked as crashed';
        self::assertStringContainsString($cause, $errors);

        $logged = count($this->whmcs->moduleLog()->entries());
        self::assertSame('success', $this->whmcs->suspend($serviceId));
        self::assertGreaterThan($logged, count($this->whmcs->moduleLog()->entries()));
    }

    public function testEmailMergeFieldsNeverLetsAPdoExceptionOut(): void
    {
        $this->whmcs->database()->throwNext = new \PDOException('SQLSTATE[HY000] [2002] Connection refused');

        $vars = ['messagename' => 'Hosting Account Welcome Email', 'relid' => 1];
        $fields = \SgWhmcs\email_merge_fields('sgtest', $vars);

        self::assertSame([], $fields);
        self::assertNull($this->whmcs->database()->throwNext, 'the query was made and threw');
        // The database works again for the next call.
        $vars = ['messagename' => 'Client Signup Email', 'relid' => 1];
        self::assertSame([], \SgWhmcs\email_merge_fields('sgtest', $vars));
    }

    public function testAnExceptionLeftPendingByAnotherCallIsNotBlamedOnTheNextOne(): void
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => 'two-calls']);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->whmcs->database()->throwNext = new \PDOException('first failure');
        \SgWhmcs\email_merge_fields('sgtest', ['messagename' => 'Hosting Account Welcome Email', 'relid' => 9]);

        $result = $this->whmcs->createAccount($serviceId);

        self::assertSame('success', $result);
        self::assertStringNotContainsString('first failure', $result);
    }
}
