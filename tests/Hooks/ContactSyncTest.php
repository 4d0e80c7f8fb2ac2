<?php

/**
 * Contact sync: the generated module's hooks.php registers `ClientEdit`
 * (https://developers.whmcs.com/hooks-reference/client/#clientedit: `userid`, the profile fields
 * and `olddata`, HTML-encoded); saving a client profile sends the new contact to the account of
 * each of the client's services of this module (own connection fields or an assigned WHMCS
 * server), one PATCH each when it differs from the server's account and none when it does not
 * (`olddata` is not trusted for that: saving the unchanged profile is how a failed sync is
 * retried). It never throws: failures and skipped services go to the Activity Log.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\TestModule;

/** @group glue */
final class ContactSyncTest extends ModuleTestCase
{
    private const PATCH = 'PATCH /customers/{name}';

    private int $clientId;

    protected function setUp(): void
    {
        parent::setUp();
        // The hook connects with the product's and the server's admin password: WHMCS must be
        // asked to scrub it from every Module Log entry the hook writes.
        $this->whmcs->knowHookSecret($this->sim->password);
        $ownFields = $this->customerProduct();
        // WHMCS loads a module's hooks.php once a product uses the module.
        $files = $this->whmcs->loadHookFiles(ROOTDIR);
        self::assertContains(ModuleGenerator::hooksPath(ROOTDIR, TestModule::NAME), $files);
        self::assertSame(1, $this->whmcs->hooks()->count('ClientEdit'));

        $serverId = $this->whmcs->addServer($this->sim->serverRecord());
        $viaServer = $this->whmcs->addProduct('Backup via server', [
            Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '10737418240',
        ], ['servers' => [$serverId]]);

        $this->clientId = $this->whmcs->addClient(['companyname' => 'Acme']);
        $services = [];
        foreach ([[$ownFields, 'acme-own'], [$viaServer, 'acme-server']] as [$productId, $username]) {
            $orderId = $this->whmcs->placeOrder($this->clientId, $productId, ['username' => $username]);
            self::assertSame('success', $this->whmcs->acceptOrder($orderId));
            $services[$username] = $this->whmcs->orderService($orderId);
        }
        $this->sim->reset();
        // Made again by hand with the contact the tests start from, each with its service's
        // reference (the sync changes only an account that is its service's).
        $install = (string) $this->whmcs->store()->setting('SgWhmcsInstallId');
        foreach (['acme-own', 'acme-server'] as $name) {
            $this->sim->createDirectly('customers', [
                'name' => $name,
                'reference' => "whmcs:$install:service:{$services[$name]}",
                'storage' => ['allotted_bytes' => 1024 * 1024],
                'contact' => ['company' => 'Acme', 'email' => "jane.doe.{$this->clientId}@example.test"],
            ]);
        }
    }

    private function patches(): int
    {
        return (int) ($this->sim->stats()['routes'][self::PATCH] ?? 0);
    }

    private function reads(): int
    {
        return (int) ($this->sim->stats()['routes']['GET /customers/{name}'] ?? 0);
    }

    /** @return list<string> the Activity Log lines of the hook */
    private function hookLines(): array
    {
        return array_values(array_filter(
            array_map(fn (array $line): string => (string) $line['message'], $this->whmcs->activity()),
            fn (string $line): bool => str_starts_with($line, 'sgwhmcs ClientEdit')
        ));
    }

    public function testAProfileSaveUpdatesEveryAccountOfTheClientOnce(): void
    {
        $this->whmcs->editClient($this->clientId, [
            'companyname' => 'Smith & Sons <"Backup">',
            'email' => 'new@acme.test',
            'address1' => '2 High St',
            'city' => "O'Fallon",
        ]);

        self::assertSame(2, $this->patches());
        foreach (['acme-own', 'acme-server'] as $name) {
            $contact = $this->sim->customer($name)['contact'];
            self::assertSame('Smith & Sons <"Backup">', $contact['company'], 'decoded once');
            self::assertSame('new@acme.test', $contact['email']);
            self::assertSame('2 High St', $contact['address']);
            self::assertSame("O'Fallon", $contact['city']);
            self::assertSame('Jane', $contact['first_name']);
        }
        $lines = $this->hookLines();
        self::assertCount(1, $lines);
        self::assertMatchesRegularExpression(
            '/^sgwhmcs ClientEdit: contact of client \d+: updated for service #\d+, #\d+$/',
            $lines[0]
        );
    }

    public function testSavingAgainSendsNothingMore(): void
    {
        $this->whmcs->editClient($this->clientId, ['companyname' => 'Renamed Ltd']);
        self::assertSame(2, $this->patches());

        $reads = $this->reads();
        $this->whmcs->editClient($this->clientId, ['notes' => 'called on Monday']);
        $this->whmcs->editClient($this->clientId, ['companyname' => 'Renamed Ltd']);

        self::assertSame(2, $this->patches(), 'nothing differs: no PATCH');
        self::assertSame($reads + 4, $this->reads(), 'each save reads each account once');
        self::assertCount(1, $this->hookLines(), 'a save with nothing to change logs nothing');
    }

    public function testSavingTheUnchangedProfileAgainRetriesAFailedSync(): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => 503, 'route' => self::PATCH, 'count' => 2]);
        $this->whmcs->editClient($this->clientId, ['companyname' => 'Retried Ltd']);
        self::assertStringContainsString('saving the profile again retries it', $this->hookLines()[0]);
        self::assertSame('Acme', $this->sim->customer('acme-own')['contact']['company']);

        // The admin does as told: saves the profile again without changing anything.
        $this->whmcs->editClient($this->clientId, []);

        foreach (['acme-own', 'acme-server'] as $name) {
            self::assertSame('Retried Ltd', $this->sim->customer($name)['contact']['company'], $name);
        }
        self::assertMatchesRegularExpression(
            '/^sgwhmcs ClientEdit: contact of client \d+: updated for service #\d+, #\d+$/',
            $this->hookLines()[1]
        );
    }

    /**
     * A PATCH answered by a server that is not the API (a web server's HTML 404 in its place)
     * changed nothing: a plain failure naming it, never "whether it was changed is unknown".
     */
    public function testAPatchAnsweredByAServerThatIsNotTheApiIsAPlainFailure(): void
    {
        $this->sim->fault([
            'kind' => 'status', 'status' => 404, 'route' => self::PATCH, 'count' => 2,
            'body' => '<html><body><h1>404 Not Found</h1></body></html>',
        ]);

        $this->whmcs->editClient($this->clientId, ['companyname' => 'Not Sent Ltd']);

        $lines = $this->hookLines();
        self::assertCount(1, $lines);
        self::assertSame(2, substr_count($lines[0], 'this is not a Backup Server API endpoint'), $lines[0]);
        self::assertStringNotContainsString('unknown', $lines[0]);
        foreach (['acme-own', 'acme-server'] as $name) {
            self::assertSame('Acme', $this->sim->customer($name)['contact']['company'], $name);
        }
    }

    public function testAnAccountThatAlreadyHasTheContactIsNotPatched(): void
    {
        $client = $this->whmcs->store()->client($this->clientId);
        $this->sim->expect(200, 'PATCH', '/api/v1/customers/acme-own', ['contact' => [
            'company' => 'New Co', 'email' => $client['email'], 'first_name' => 'Jane', 'last_name' => 'Doe',
            'phone' => '5550100', 'address' => '1 Main St', 'city' => 'Springfield', 'state' => 'IL',
            'postcode' => '62701', 'country' => 'US',
        ]]);

        $this->whmcs->editClient($this->clientId, ['companyname' => 'New Co']);

        self::assertSame(2, $this->patches(), 'the one by hand and acme-server only');
        self::assertSame('New Co', $this->sim->customer('acme-server')['contact']['company']);
    }

    public function testAFailureIsLoggedAndTheOtherAccountStillUpdated(): void
    {
        $this->sim->expect(204, 'DELETE', '/api/v1/customers/acme-own');

        $this->whmcs->editClient($this->clientId, ['companyname' => 'Still Saved']);

        self::assertSame('Still Saved', $this->sim->customer('acme-server')['contact']['company']);
        self::assertSame('Still Saved', $this->whmcs->store()->client($this->clientId)['companyname']);
        $lines = $this->hookLines();
        self::assertCount(1, $lines);
        self::assertStringContainsString('customer "acme-own": it does not exist on the Backup Server', $lines[0]);
        self::assertStringNotContainsString($this->sim->password, $lines[0]);
    }

    public function testAServerThatEchoesShowsNoSecretInTheActivityLog(): void
    {
        $this->sim->fault(['kind' => 'echo', 'route' => self::PATCH, 'status' => 400, 'count' => 2]);

        $this->whmcs->editClient($this->clientId, ['companyname' => 'Echo Co']);

        $lines = $this->hookLines();
        self::assertCount(1, $lines);
        self::assertStringContainsString('failed', $lines[0]);
        foreach ([$this->sim->password, base64_encode($this->sim->user . ':' . $this->sim->password)] as $secret) {
            self::assertStringNotContainsString($secret, $lines[0]);
        }
    }

    public function testAContactTooLongIsRefusedWithNothingSent(): void
    {
        $before = $this->sim->totalRequests();

        $this->whmcs->editClient($this->clientId, ['companyname' => str_repeat('L', 300)]);

        self::assertSame($before, $this->sim->totalRequests());
        self::assertStringContainsString('contact.company is 300 characters', $this->hookLines()[0]);
    }

    public function testTheHookNeverThrowsOnOddVars(): void
    {
        $before = $this->sim->totalRequests();

        $results = $this->whmcs->runHooks('ClientEdit', ['userid' => ['nested'], 'email' => "\xE9"]);
        $results = array_merge($results, $this->whmcs->runHooks('ClientEdit', []));

        self::assertSame([null, null], $results);
        self::assertSame($before, $this->sim->totalRequests());
        self::assertStringContainsString('gave no userid', $this->hookLines()[0]);
    }
}
