<?php

/**
 * The product's Module Settings as the product wizard shows them: `Reseller Name` is filled by a
 * WHMCS Loader (`<module>_LoadResellers`) from the server's resellers, every page of them; a
 * failing Loader THROWS with a message that says what to do (WHMCS shows the exception's
 * message: https://developers.whmcs.com/provisioning-modules/loader-functions/), and the fields
 * the wizard needs are marked SimpleMode (https://developers.whmcs.com/provisioning-modules/simple-mode/).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Module;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\TestModule;

final class LoaderTest extends ModuleTestCase
{
    private function serverProduct(array $server = []): int
    {
        $serverId = $this->whmcs->addServer($server + ['secure' => true] + $this->sim->serverRecord());
        $productId = $this->whmcs->addProduct('Backup Customer', [Labels::ACTION => 'Signup Customer',
            Labels::STORAGE => '1073741824']);
        $this->whmcs->assignServers($productId, [$serverId]);
        return $productId;
    }

    private function reseller(string $name): void
    {
        $this->sim->createDirectly('resellers', ['name' => $name, 'contact' => ['email' => 'r@loader.test'],
            'active' => true, 'auto_authorization' => false, 'storage' => ['allotted_bytes' => 1073741824],
            'mcal' => ['auto' => true], 'throttle' => null, 'send_mail' => false]);
    }

    public function testResellerNameDeclaresTheLoaderAndTheWizardFieldsAreSimpleMode(): void
    {
        $options = $this->whmcs->configOptions();

        self::assertSame(TestModule::NAME . '_LoadResellers', $options[Labels::RESELLER]['Loader']);
        $simple = array_keys(array_filter($options, fn (array $f): bool => ($f['SimpleMode'] ?? false) === true));
        self::assertSame([Labels::ACTION, Labels::RESELLER, Labels::STORAGE, Labels::AUTO_MCAL, Labels::MCAL,
            Labels::PASS_KEY], $simple);
        self::assertArrayNotHasKey('Loader', $options[Labels::HOST]);
    }

    public function testTheLoaderListsEveryResellerOfTheServer(): void
    {
        $this->sim->expect(200, 'POST', '/_sim/seed', ['kind' => 'reseller', 'prefix' => 'Loader R', 'count' => 1500,
            'storage_bytes' => 1073741824]);
        $this->reseller('Jane Doe@Odd.Co');
        $productId = $this->serverProduct();

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        $options = $loaded['options'] ?? [];
        self::assertCount(1503, $options, 'none, the 1500 seeded, the Default Reseller and one more');
        self::assertSame('', (string) array_key_first($options), 'the empty choice first');
        self::assertSame('Default Reseller', $options['Default Reseller']);
        self::assertSame('Jane Doe@Odd.Co', $options['Jane Doe@Odd.Co']);
        self::assertSame('Loader R1500', $options['Loader R1500']);
        self::assertSame(2, $this->sim->stats()['routes']['GET /resellers'], 'pages of 1000');
    }

    /**
     * A list naming an account no account can be (markup, a tab, a customer among resellers, a
     * name of 100,000 characters, an item that is not an account) comes from a server that lies:
     * the listing refuses the whole answer (core/src/server/listing.rs), as every list reader does,
     * rather than offering a part of it.
     */
    public function testAListWithNamesNoAccountCanHaveIsRefusedWhole(): void
    {
        $productId = $this->serverProduct();
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /resellers', 'set' => ['resellers' => [
            ['name' => 'Good Name', 'kind' => 'reseller'],
            ['name' => "Tab\tName", 'kind' => 'reseller'],
            ['name' => '<script>alert(1)</script>', 'kind' => 'reseller'],
            ['name' => 'A Customer', 'kind' => 'customer'],
            ['name' => str_repeat('x', 100000), 'kind' => 'reseller'],
            'not an account',
        ], 'next' => null]]);

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertArrayNotHasKey('options', $loaded);
        self::assertStringStartsWith('Could not list the resellers: ', $loaded['error']);
        self::assertStringContainsString('not understood', $loaded['error']);
        self::assertLessThan(2000, strlen($loaded['error']), 'the huge name is not quoted whole');
    }

    public function testAListNamingMarkupIsRefusedWithoutTheMarkup(): void
    {
        $productId = $this->serverProduct();
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /resellers', 'set' => ['resellers' => [
            ['name' => '<script>alert(1)</script>', 'kind' => 'reseller'],
        ], 'next' => null]]);

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertArrayNotHasKey('options', $loaded);
        self::assertStringContainsString('not usable', $loaded['error']);
        self::assertStringNotContainsString('<script>', $loaded['error']);
    }

    public function testSavingTheWizardUntouchedKeepsResellerNameEmpty(): void
    {
        $this->reseller('Aardvark Resellers');
        $productId = $this->serverProduct();
        $stored = fn (): string => $this->whmcs->store()->product($productId)['configoption7'];

        $saved = $this->whmcs->adminScreens()->saveSimpleMode($productId);

        self::assertSame('', $saved[Labels::RESELLER], 'not the first reseller listed');
        self::assertSame('', $stored());
        self::assertSame('Signup Customer', $saved[Labels::ACTION], 'the other fields as they were');
        self::assertSame('1073741824', $saved[Labels::STORAGE]);
        $chosen = $this->whmcs->adminScreens()->saveSimpleMode($productId, [Labels::RESELLER => 'Aardvark Resellers']);
        self::assertSame('Aardvark Resellers', $chosen[Labels::RESELLER]);
        $untouched = $this->whmcs->adminScreens()->saveSimpleMode($productId);
        self::assertSame('Aardvark Resellers', $untouched[Labels::RESELLER], 'a chosen reseller stays');
        $this->whmcs->adminScreens()->saveSimpleMode($productId, [Labels::RESELLER => '']);
        self::assertSame('', $stored(), 'and back to none');
    }

    public function testRefreshAsksTheServerAgain(): void
    {
        $productId = $this->serverProduct();
        $first = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER)['options'];
        self::assertArrayNotHasKey('Fresh Resellers', $first);
        $this->reseller('Fresh Resellers');

        $options = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER)['options'];

        self::assertSame('Fresh Resellers', $options['Fresh Resellers']);
    }

    public function testALoaderWithoutAServerThrowsSayingWhatToDoAndSendsNothing(): void
    {
        $productId = $this->whmcs->addProduct('No server', [Labels::ACTION => 'Signup Customer']);
        $before = $this->sim->totalRequests();

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertArrayNotHasKey('options', $loaded);
        self::assertStringStartsWith('Could not list the resellers: Module settings are invalid', $loaded['error']);
        self::assertStringContainsString('assign a WHMCS server to the product', $loaded['error']);
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testASettingsErrorIsHtmlEscapedLikeTheOthers(): void
    {
        // WHMCS shows the Loader's message as HTML under the field, whatever the failure.
        $productId = $this->whmcs->addProduct('No connection', [Labels::ACTION => 'Signup Customer']);
        $before = $this->sim->totalRequests();

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertStringStartsWith('Could not list the resellers: Module settings are invalid', $loaded['error']);
        self::assertStringContainsString('the product&#039;s Module Settings', $loaded['error']);
        self::assertStringNotContainsString("'", $loaded['error'], 'quotes are entities, as in the server\'s errors');
        self::assertSame($before, $this->sim->totalRequests());
    }

    public function testAFailingServerThrowsAMessageWithoutTheCredentials(): void
    {
        $productId = $this->serverProduct();
        $this->sim->fault(['kind' => 'echo', 'route' => 'GET /resellers']);

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertStringStartsWith('Could not list the resellers: ', $loaded['error']);
        self::assertStringContainsString('Type the reseller&#039;s name instead', $loaded['error'], 'HTML-escaped');
        self::assertStringNotContainsString($this->sim->password, $loaded['error']);
        $credential = base64_encode($this->sim->user . ':' . $this->sim->password);
        self::assertStringNotContainsString($credential, $loaded['error']);
    }

    public function testWrongCredentialsNameTheFieldsToCheck(): void
    {
        $productId = $this->serverProduct(['password' => 'wrong-pass']);

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertStringContainsString('AUTH_FAILED', $loaded['error']);
    }

    public function testAServerWhoseCursorDoesNotMoveIsCutOff(): void
    {
        $productId = $this->serverProduct();
        $this->sim->fault(['kind' => 'rewrite', 'route' => 'GET /resellers', 'count' => 200,
            'set' => ['next' => 'Default Reseller']]);

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertStringContainsString('following it could loop or skip accounts', $loaded['error']);
        self::assertLessThanOrEqual(2, $this->sim->stats()['routes']['GET /resellers']);
    }

    public function testAnAnswerThatIsNotAListThrows(): void
    {
        $productId = $this->serverProduct();
        $this->sim->fault(['kind' => 'garbage', 'route' => 'GET /resellers']);

        $loaded = $this->whmcs->adminScreens()->load($productId, Labels::RESELLER);

        self::assertStringStartsWith('Could not list the resellers: ', $loaded['error']);
        self::assertStringContainsString('not the expected JSON', $loaded['error']);
    }
}
