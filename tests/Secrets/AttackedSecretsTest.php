<?php

/**
 * Hidden-case attack on issue 8, item 5, with cases the issue did not describe: a secret as a
 * member NAME of an answer, in a query string quoted by the server, in a successful (200) answer's
 * processed data, and a pass key echoed by a later request (Suspend) after it was stored. No form
 * of any secret may reach a message, the Module Log, the Activity Log or an error log. The server
 * is sgsim with `status` and `rewrite` faults.
 *
 * Runs before SecretsTest (alphabetical order inside tests/Secrets), which then sees these
 * entries too.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Secrets;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class AttackedSecretsTest extends ModuleTestCase
{
    use EchoedSecrets;

    private const SERVICE_PASSWORD = 'Sv"c\\Pa/ss wörd+9';

    public function testASecretAsAMemberNameOfAnErrorAnswerIsMasked(): void
    {
        $admin = $this->sim->password;
        $details = [$admin => 'admin', self::SERVICE_PASSWORD => 'service', 'nested' => [[$admin => 1]]];
        $this->sim->fault([
            'kind' => 'status',
            'status' => 400,
            'route' => 'POST /customers',
            'body' => json_encode(['error' => ['code' => 'BAD', 'message' => 'bad members', 'details' => $details]]),
        ]);

        $serviceId = $this->serviceWithPassword('member-names');
        $result = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('bad members', $result);
        $this->assertNoFormOfAnySecret([$admin, self::SERVICE_PASSWORD]);
    }

    public function testASecretAsAMemberNameOfASuccessfulAnswerIsMaskedInProcessedData(): void
    {
        $serviceId = $this->serviceWithPassword('processed-names');
        self::assertSame('success', $this->whmcs->createAccount($serviceId));
        $this->sim->fault([
            'kind' => 'rewrite',
            'route' => 'POST /customers/{name}/deactivate',
            'set' => [
                $this->sim->password => ['echo' => self::SERVICE_PASSWORD],
                'note' => 'last login user admin password ' . self::SERVICE_PASSWORD,
            ],
        ]);

        self::assertSame('success', $this->whmcs->suspend($serviceId));

        $this->assertNoFormOfAnySecret([$this->sim->password, self::SERVICE_PASSWORD]);
    }

    public function testASecretInAQueryStringQuotedByTheServerIsMasked(): void
    {
        $query = 'https://backup.example/login?user=admin&pass=' . urlencode(self::SERVICE_PASSWORD)
            . '&second=' . rawurlencode($this->sim->password) . '&b=' . base64_encode(self::SERVICE_PASSWORD);
        $this->sim->fault([
            'kind' => 'status',
            'status' => 500,
            'route' => 'POST /customers',
            'body' => json_encode(['error' => ['code' => 'INTERNAL', 'message' => "redirect loop at $query"]]),
        ]);

        $result = $this->whmcs->createAccount($this->serviceWithPassword('query-string'));

        self::assertStringContainsString('redirect loop at https://backup.example/login?user=admin', $result);
        $this->assertNoFormOfAnySecret([$this->sim->password, self::SERVICE_PASSWORD]);
    }

    public function testAPassKeyEchoedByALaterRequestIsMasked(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        [$serviceId, $result] = $this->orderAndAccept($productId, 'later-echo');
        $this->assertCreated($serviceId, $result);
        $passKey = $this->sim->passkey('later-echo');
        self::assertGreaterThanOrEqual(6, strlen($passKey));
        $this->sim->fault([
            'kind' => 'status',
            'status' => 500,
            'route' => 'POST /customers/{name}/deactivate',
            'body' => json_encode(['error' => [
                'code' => 'INTERNAL',
                'message' => "cannot deactivate while key $passKey is in use",
                'details' => [$passKey => base64_encode($passKey)],
            ]]),
        ]);

        $suspended = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString('cannot deactivate while key', $suspended);
        $this->assertNoFormOfAnySecret([$passKey]);
    }

    public function testAStoredPassKeyEchoedWhenCreateRunsAgainIsMasked(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        [$serviceId, $result] = $this->orderAndAccept($productId, 'again-echo');
        $this->assertCreated($serviceId, $result);
        $passKey = $this->sim->passkey('again-echo');
        // Create run again: the name is taken (409), and this server quotes the stored key in it.
        $this->sim->fault([
            'kind' => 'status',
            'status' => 409,
            'route' => 'POST /customers',
            'body' => json_encode(['error' => [
                'code' => 'CONFLICT',
                'message' => "customer again-echo (pass key $passKey) is busy",
            ]]),
        ]);

        $again = $this->whmcs->createAccount($serviceId);

        self::assertStringContainsString('is busy', $again);
        $this->assertNoFormOfAnySecret([$passKey]);
    }

    private function serviceWithPassword(string $username): int
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => $username]);
        $serviceId = $this->whmcs->orderService($orderId);
        $this->whmcs->store()->services[$serviceId]['password'] = self::SERVICE_PASSWORD;
        return $serviceId;
    }
}
