<?php

/**
 * Before CreateAccount, WHMCS 8 fills in the service's username and password when it has none
 * and stores them on the service, unless the module's MetaData() returns
 * 'AutoGenerateUsernameAndPassword' => false (ModuleCallFunction('Create') and
 * createServerUsername() in WHMCS 8's includes/modulefunctions.php). The username is 8 random
 * lowercase letters with "Enable Random Usernames" (GenerateRandomUsername) on, else the first 8
 * letters of the domain, else ''. The password is 14 characters with 2 symbols.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;

final class GeneratedCredentialsTest extends TestCase
{
    private const PASSWORD = '/^(?=(?:.*[^A-Za-z0-9]){2})(?!(?:.*[^A-Za-z0-9]){3}).{14}$/';

    protected function setUp(): void
    {
        FakeModule::load();
    }

    /**
     * Orders a product of MODULE with CHOICES, accepts the order; answers the params
     * CreateAccount got and the service row it saw then.
     *
     * @param array<string, mixed> $choices
     * @return array{0: array<string, mixed>, 1: array<string, mixed>, 2: Whmcs, 3: int}
     */
    private static function create(string $module, array $choices, bool $randomUsernames = false): array
    {
        $whmcs = Whmcs::fresh($module);
        $whmcs->setting('GenerateRandomUsername', $randomUsernames);
        $orderId = $whmcs->placeOrder($whmcs->addClient(), $whmcs->addProduct('Fake'), $choices);
        self::assertSame('success', $whmcs->acceptOrder($orderId));
        $call = FakeModule::callsOf('CreateAccount')[0];
        return [$call['params'], $call['stored'], $whmcs, $whmcs->orderService($orderId)];
    }

    public function testRandomUsernamesGiveEightLowercaseLettersStoredBeforeTheCall(): void
    {
        [$params, $stored, $whmcs, $serviceId] = self::create(
            FakeModule::GENERATING,
            ['domain' => 'example.com', 'password' => ''],
            true
        );

        self::assertMatchesRegularExpression('/^[a-z]{8}$/', $params['username']);
        self::assertNotSame('examplec', $params['username']);
        self::assertSame($params['username'], $stored['username'], 'stored on the service before the call');
        self::assertSame($params['username'], $whmcs->service($serviceId)['username']);
        self::assertMatchesRegularExpression(self::PASSWORD, $params['password']);
        self::assertSame($params['password'], $stored['password']);
    }

    public function testRandomUsernamesApplyWithoutADomainToo(): void
    {
        [$params] = self::create(FakeModule::GENERATING, [], true);

        self::assertMatchesRegularExpression('/^[a-z]{8}$/', $params['username']);
    }

    public function testWithoutRandomUsernamesTheDomainsFirstEightLettersAreTaken(): void
    {
        [$params, $stored] = self::create(FakeModule::GENERATING, ['domain' => 'my-shop42.example.com']);

        self::assertSame('myshopex', $params['username']);
        self::assertSame('myshopex', $stored['username']);
    }

    public function testATakenDomainUsernameGetsANumberAtItsEnd(): void
    {
        $whmcs = Whmcs::fresh(FakeModule::GENERATING);
        $productId = $whmcs->addProduct('Fake');
        $clientId = $whmcs->addClient();
        $whmcs->acceptOrder($whmcs->placeOrder($clientId, $productId, ['domain' => 'example.com']));
        $whmcs->acceptOrder($whmcs->placeOrder($clientId, $productId, ['domain' => 'example.co.uk']));

        self::assertSame(['examplec', 'example1'], array_map(
            fn (array $call): string => $call['params']['username'],
            FakeModule::callsOf('CreateAccount')
        ));
    }

    public function testWithoutRandomUsernamesOrDomainTheUsernameStaysEmpty(): void
    {
        [$params, $stored] = self::create(FakeModule::GENERATING, []);

        self::assertSame('', $params['username']);
        self::assertSame('', $stored['username']);
    }

    public function testAUsernameAndPasswordTheServiceHasAreKept(): void
    {
        [$params] = self::create(
            FakeModule::GENERATING,
            ['username' => 'chosen', 'password' => 'Chosen-pass1', 'domain' => 'example.com'],
            true
        );

        self::assertSame('chosen', $params['username']);
        self::assertSame('Chosen-pass1', $params['password']);
    }

    public function testTheOrderGetsAGeneratedPasswordOfTheSameKind(): void
    {
        [$params] = self::create(FakeModule::GENERATING, []);

        self::assertMatchesRegularExpression(self::PASSWORD, $params['password']);
    }

    public function testMetaDataOptingOutGetsNothingGenerated(): void
    {
        [$params, $stored] = self::create(FakeModule::OPTING_OUT, ['domain' => 'example.com', 'password' => ''], true);

        self::assertSame('', $params['username']);
        self::assertSame('', $params['password']);
        self::assertSame('', $stored['username']);
        self::assertSame('', $stored['password']);
    }

    public function testGeneratedPasswordsAreFourteenCharactersWithTwoSymbols(): void
    {
        for ($i = 0; $i < 50; $i++) {
            self::assertMatchesRegularExpression(self::PASSWORD, Whmcs::generatePassword());
        }
    }
}
