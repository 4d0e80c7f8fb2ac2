<?php

/**
 * whmcsHooks.php with data that is not UTF-8, a host that throws, and a hook that throws
 * (issue 8, items 1, 2 and 6): a hook never interrupts WHMCS, a secret that is not UTF-8 is
 * refused by name with nothing sent, and display text is decoded as Windows-1252.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\CapturesErrorLog;
use SgWhmcs\Tests\Hooks\HooksTestCase;
use SgWhmcs\Tests\Support\Labels;

/** @group glue */
final class HooksHardeningTest extends HooksTestCase
{
    use CapturesErrorLog;

    public function testANonUtf8LoginPasswordIsRefusedByNameAndNothingIsSent(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['loginPassword' => "Pa\xDFwort"]);

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^Hooks configuration is invalid: \$loginPassword: is not UTF-8/',
            ["Pa\xDFwort"]
        );
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testANonUtf8CertificateIsRefusedByNameAndNothingIsSent(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['certificateSha256' => "\xAB\xCD"]);

        [$clientId] = $this->fire('ClientAdd');

        $this->assertFailureReported('ClientAdd', $clientId, '/\$certificateSha256: is not UTF-8/');
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testANonUtf8ClientPasswordIsRefusedAndNothingIsSent(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [Labels::PASS_KEY => '']);

        // WHMCS passes a ClientAdd password only for a client made through the AddClient API.
        [$clientId] = $this->fire('ClientAdd', ['password' => "K\xE4se123"] + self::CLIENT, true);

        $this->assertFailureReported('ClientAdd', $clientId, '/^ClientAdd password is not UTF-8/', ["K\xE4se123"]);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testLatin1ClientDetailsReachTheServerDecoded(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller');

        [$clientId] = $this->fire('ClientAdd', [
            'companyname' => "Gr\xF6\xDFe AG",
            'customfields' => [],
        ] + self::CLIENT);

        $this->assertSuccessReported('ClientAdd', $clientId, 'reseller', 'Gre AG');
        self::assertSame('Größe AG', $this->sim->reseller('Gre AG')['contact']['company']);
    }

    public function testLocalApiThrowingInAnAcceptOrderHookIsReportedAndTheOrderIsAccepted(): void
    {
        $this->installHooks('AcceptOrder', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $productId = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($clientId, $productId);
        $this->whmcs->localApi()->throwNext = new \RuntimeException('SQLSTATE[40001]: Deadlock found');

        self::assertSame('success', $this->whmcs->acceptOrder($orderId));

        // The order's client is unknown when GetOrders failed, so the line names no client.
        $lines = $this->newErrorLines();
        self::assertCount(1, $lines);
        self::assertStringContainsString(
            'AcceptOrder client : GetOrders for order ' . $orderId . ' failed: localAPI threw RuntimeException: '
            . 'SQLSTATE[40001]: Deadlock found',
            $lines[0]
        );
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testAHookThatThrowsNeverInterruptsWhmcs(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $before = count($this->whmcs->activity());
        $requests = $this->sim->totalRequests();

        // A kind that is no string: the extension's function throws a TypeError (PHP checks the
        // argument types before the call starts), which must stay inside the hook.
        $returned = \sgwhmcsHookSignup(5, ['client_id' => $clientId]);

        self::assertNull($returned);
        $lines = array_slice($this->whmcs->activity(), $before);
        self::assertCount(1, $lines);
        self::assertStringStartsWith('sgwhmcs hooks: no Backup Server account was created: ', $lines[0]['message']);
        self::assertSame($clientId, $lines[0]['clientId']);
        self::assertSame($requests, $this->sim->totalRequests());
    }

    public function testAnUnknownKindIsRefusedWithAClearMessage(): void
    {
        $answer = \SgWhmcs\hook_signup('admin', ['client_id' => 1], ['serverName' => 'x']);

        self::assertSame(
            'sgwhmcs hooks: no account was created: the kind "admin" is neither "reseller" nor "customer"',
            $answer
        );
        // Not UTF-8 either: read by the Windows-1252 rule, refused the same way, nothing thrown.
        self::assertSame(
            'sgwhmcs hooks: no account was created: the kind "ädmin" is neither "reseller" nor "customer"',
            \SgWhmcs\hook_signup("\xE4dmin", ['client_id' => 1], [])
        );
        self::assertSame(0, $this->sim->totalRequests());
        self::assertStringContainsString('the kind "admin" is neither', (string) file_get_contents($this->errorLog));
        $activity = array_column($this->whmcs->activity(), 'message');
        self::assertContains(
            'sgwhmcs hooks: no account was created: the kind "admin" is neither "reseller" nor "customer"',
            $activity
        );
    }
}
