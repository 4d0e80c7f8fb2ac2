<?php

/**
 * The action hooks of whmcsHooks.php as README.md ("Action hooks") installs them: each of the four
 * add_hook() lines (ClientAdd or AcceptOrder → SGSignupReseller or SGSignupCustomer) creates the
 * client's account on the Backup Server with the client's contact details, a name from the
 * client, and the file's policy; firing twice never makes a second account.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;

final class SignupTest extends HooksTestCase
{
    private const NAME = 'Acme Widgets';

    /** The policy an admin sets in the file, by label. */
    private const POLICY = [
        Labels::ACTIVATION => 'on',
        Labels::AUTO_AUTHORIZATION => 'on',
        Labels::STORAGE => '53687091200',
        Labels::LOCATION => 'vault-b',
        Labels::AUTO_MCAL => '',
        Labels::MCAL => '12',
        Labels::THROTTLING => 'New Configuration',
        Labels::THROTTLE_ENABLED => 'on',
        Labels::THROTTLE_MODE => 'Throttle only at specified time',
        Labels::THROTTLE_FROM => '2200',
        Labels::THROTTLE_TILL => '0600',
        Labels::RATE => '1048576',
        Labels::PASS_KEY => '',
    ];

    /** @return array<string, array{string, string, string}> */
    public function lines(): array
    {
        return self::LINES;
    }

    /** @dataProvider lines */
    public function testTheActiveLineCreatesTheClientsAccountWithThePolicy(
        string $point,
        string $function,
        string $kind
    ): void {
        $this->installHooks($point, $function, self::POLICY);

        [$clientId] = $this->fire($point);

        $account = $this->account($kind, self::NAME);
        self::assertNotNull($account, "the $kind \"" . self::NAME . '" exists');
        self::assertSame(self::NAME, $account['name']);
        self::assertSame($kind, $account['kind']);
        self::assertSameFields([
            'email' => 'jane@acme.test',
            'first_name' => 'Jane',
            'last_name' => 'Doe',
            'company' => 'Acme Widgets',
            'phone' => '5550100',
            'address' => '1 Main St, Suite 2',
            'city' => 'Springfield',
            'state' => 'IL',
            'postcode' => '62701',
            'country' => 'US',
        ], $account['contact']);
        self::assertTrue($account['active']);
        self::assertTrue($account['auto_authorization']);
        self::assertSame(53687091200, $account['storage']['allotted_bytes']);
        self::assertSame('vault-b', $account['storage']['location']);
        self::assertFalse($account['mcal']['auto']);
        self::assertSame(12, $account['mcal']['allotted']);
        self::assertSameFields(
            ['enabled' => true, 'mode' => 'window', 'from' => '2200', 'till' => '0600', 'rate_bytes' => 1048576],
            $account['throttle']
        );
        if ($kind === 'customer') {
            self::assertSame('Default Reseller', $account['reseller']);
        }
        self::assertSame(1, $this->posts($kind), "one POST /{$kind}s");
        self::assertSame(0, $this->posts($kind === 'reseller' ? 'customer' : 'reseller'), 'nothing of the other kind');
        $this->assertSuccessReported($point, $clientId, $kind, self::NAME);
    }

    /** @dataProvider lines */
    public function testFiringTwiceMakesOneAccount(string $point, string $function, string $kind): void
    {
        $this->installHooks($point, $function);

        if ($point === 'ClientAdd') {
            // The hook runs twice for one client (a retried request): accounts are one per client
            // and kind, tied to it by the client's reference, not by its e-mail address.
            $clientId = $this->whmcs->addClient(self::CLIENT);
            $this->whmcs->runHooks(
                'ClientAdd',
                ['client_id' => $clientId, 'user_id' => $clientId, 'userid' => $clientId]
                    + $this->whmcs->store()->client($clientId)
            );
        } else {
            [, $orderId] = $this->fire($point);
            self::assertSame('success', $this->whmcs->acceptOrder($orderId));
        }

        self::assertNotNull($this->account($kind, self::NAME));
        self::assertSame(1, $this->posts($kind), "the second run adopts the account with the client's reference");
        self::assertNull($this->account($kind, self::NAME . '-2'));
        self::assertCount(2, $this->hookActivity());
        self::assertSame([], $this->newErrorLines());
    }

    public function testWithoutACompanyTheNameIsFirstAndLastNameInAllowedCharacters(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer');

        [$clientId] = $this->fire('ClientAdd', ['companyname' => '', 'firstname' => 'Zoë', 'lastname' => "O'Neil-Smith"]
            + self::CLIENT);

        $customer = $this->sim->customer('Zo ONeil-Smith');
        self::assertNotNull($customer);
        self::assertSame('Zoë', $customer['contact']['first_name'], 'the contact keeps the real name');
        $this->assertSuccessReported('ClientAdd', $clientId, 'customer', 'Zo ONeil-Smith');
    }

    public function testANameHeldByAnotherClientGetsTheClientIdAppended(): void
    {
        $this->sim->createDirectly('resellers', [
            'name' => self::NAME,
            'contact' => ['email' => 'someone@else.test'],
            'storage' => ['allotted_bytes' => 1024],
        ]);
        $this->installHooks('ClientAdd', 'SGSignupReseller');

        [$clientId] = $this->fire('ClientAdd');

        $name = self::NAME . '-' . $clientId;
        self::assertSame('jane@acme.test', $this->sim->reseller($name)['contact']['email'] ?? null);
        self::assertSame('someone@else.test', $this->sim->reseller(self::NAME)['contact']['email']);
        $this->assertSuccessReported('ClientAdd', $clientId, 'reseller', $name);
    }

    public function testTheClientsPasswordIsSentAsTheWebConsolePassword(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer');

        $this->fire('ClientAdd', self::CLIENT, true);

        self::assertNotNull($this->sim->customer(self::NAME), 'the server accepted the password');
        $posts = $this->whmcs->moduleLog()->requests('POST', '/customers');
        self::assertCount(1, $posts);
        self::assertSame('********', $posts[0]['body']['password'] ?? null, 'sent, and masked in the log');
        self::assertTrue(
            $this->login('customer', self::NAME, self::CLIENT['password']),
            'it is the account\'s password'
        );
    }

    /**
     * WHMCS 8 passes `password` '' to ClientAdd unless the client came through the AddClient API:
     * an account never gets an empty web console password, so a strong one is generated, sent,
     * and kept out of every log (the Activity Log says one was set, not what it is).
     */
    public function testAClientAddedWithoutAPasswordGetsAGeneratedOne(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer');

        [$clientId] = $this->fire('ClientAdd', ['password' => ''] + self::CLIENT);

        self::assertNotNull($this->sim->customer(self::NAME));
        $posts = $this->whmcs->moduleLog()->requests('POST', '/customers');
        self::assertCount(1, $posts);
        self::assertSame('********', $posts[0]['body']['password'] ?? null, 'a password was sent, and masked');
        $this->assertSuccessReported('ClientAdd', $clientId, 'customer', self::NAME);
        self::assertStringContainsString(
            'a strong random web console password was set',
            $this->hookActivity()[0]['message']
        );
    }

    /**
     * ClientAdd is about clients, not orders: with it on, a client who then orders a product of
     * the module has the hook's account and the service's. The hook's account is the client's
     * (its reference names the client), the module's is the service's: neither takes over the
     * other. (AcceptOrder makes no account for such an order: ModuleOrdersTest.)
     */
    public function testTheClientAddHookAndTheModulesCreateKeepTheirOwnAccounts(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupCustomer');
        $clientId = $this->whmcs->addClient(self::CLIENT);
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct());

        $result = $this->whmcs->acceptOrder($orderId);

        $serviceId = $this->whmcs->orderService($orderId);
        $this->assertCreated($serviceId, $result);
        $own = self::NAME . '-' . $serviceId;
        self::assertSame($own, $this->whmcs->service($serviceId)['username'], "the service's own account");
        self::assertSame(2, $this->posts('customer'));
        self::assertStringEndsWith(":client:$clientId", (string) $this->sim->customer(self::NAME)['reference']);
        self::assertStringEndsWith(":service:$serviceId", (string) $this->sim->customer($own)['reference']);
        $this->assertSuccessReported('ClientAdd', $clientId, 'customer', self::NAME);
    }

    public function testNoSecretReachesTheLogs(): void
    {
        $this->installHooks('ClientAdd', 'SGSignupReseller');

        $this->fire('ClientAdd', self::CLIENT, true);

        $secrets = [$this->sim->password, self::CLIENT['password']];
        self::assertContains($this->sim->password, Evidence::secrets());
        self::assertContains(self::CLIENT['password'], Evidence::secrets());
        $entries = $this->whmcs->moduleLog()->entries();
        self::assertNotEmpty($entries);
        foreach ($entries as $entry) {
            self::assertSame('ClientAdd hook', $entry['context']['function']);
            self::assertContains($this->sim->password, $entry['raw']['replaceVars'], 'the admin password is scrubbed');
            self::assertContains(self::CLIENT['password'], $entry['raw']['replaceVars'], 'so is the client\'s');
            foreach (['request', 'response', 'processed'] as $part) {
                foreach ($secrets as $secret) {
                    self::assertStringNotContainsString($secret, $entry[$part]);
                }
            }
        }
        foreach ($this->whmcs->activity() as $line) {
            foreach ($secrets as $secret) {
                self::assertStringNotContainsString($secret, $line['message']);
            }
        }
    }

    /** @return array<string, mixed>|null */
    private function account(string $kind, string $name): ?array
    {
        return $kind === 'reseller' ? $this->sim->reseller($name) : $this->sim->customer($name);
    }

    /** How many creates of KIND the simulator received. */
    private function posts(string $kind): int
    {
        return (int) ($this->sim->stats()['routes']["POST /{$kind}s"] ?? 0);
    }
}
