<?php

/**
 * `$params` as WHMCS 8 builds them (WHMCS\Module\Server::buildParams / getServerParams):
 * integer ids, a bool `serversecure`, `serverhttpprefix` '' without a server, an empty port
 * filled from MetaData's DefaultSSLPort / DefaultNonSSLPort, an empty hostname falling back to
 * the IP (an IPv6 one in brackets), `model` an Eloquent-like object graph (circular, with a lazy
 * relation that throws), everything HTML-decoded (APIVersion 1.1) and clientsdetails without
 * `model`, its `state` the state code.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\ParamsBuilder;
use SgWhmcs\Tests\Emulator\Whmcs;

final class ParamsTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        FakeModule::load();
        $this->whmcs = Whmcs::fresh(FakeModule::GENERATING);
    }

    /**
     * The params of a new service of a product on SERVER (fields as addServer(), null: none).
     *
     * @param array<string, mixed>|null $server
     * @param array<string, mixed> $client
     * @return array<string, mixed>
     */
    private function params(?array $server, array $client = []): array
    {
        $serverId = $server === null ? null : $this->whmcs->addServer($server);
        $productId = $this->whmcs->addProduct('Fake', [], ['servers' => $serverId === null ? [] : [$serverId]]);
        $orderId = $this->whmcs->placeOrder($this->whmcs->addClient($client), $productId);
        return $this->whmcs->serviceParams($this->whmcs->orderService($orderId));
    }

    public function testIdsAreIntegers(): void
    {
        $params = $this->params(['hostname' => 'backup.example.test', 'secure' => true]);

        foreach (['serviceid', 'accountid', 'userid', 'pid', 'packageid', 'serverid'] as $key) {
            self::assertIsInt($params[$key], $key);
            self::assertGreaterThan(0, $params[$key], $key);
        }
        self::assertIsInt($params['clientsdetails']['userid']);
    }

    public function testServerSecureIsABoolAndThePrefixFollowsIt(): void
    {
        $secure = $this->params(['hostname' => 'a.example.test', 'secure' => 'on', 'port' => '1']);
        $plain = $this->params(['hostname' => 'b.example.test', 'secure' => false, 'port' => '1']);

        self::assertTrue($secure['serversecure']);
        self::assertSame('https', $secure['serverhttpprefix']);
        self::assertFalse($plain['serversecure']);
        self::assertSame('http', $plain['serverhttpprefix']);
    }

    public function testWithoutAServerThePrefixIsEmpty(): void
    {
        $params = $this->params(null);

        self::assertFalse($params['server']);
        self::assertSame(0, $params['serverid']);
        self::assertSame('', $params['serverhttpprefix']);
        self::assertFalse($params['serversecure']);
        self::assertSame('', $params['serverport']);
    }

    public function testAnEmptyPortIsFilledFromMetaData(): void
    {
        $secure = $this->params(['hostname' => 'a.example.test', 'secure' => true, 'port' => '']);
        $plain = $this->params(['hostname' => 'b.example.test', 'secure' => false]);
        $given = $this->params(['hostname' => 'c.example.test', 'secure' => true, 'port' => '6061']);

        self::assertSame('2087', $secure['serverport']);
        self::assertSame('2086', $plain['serverport']);
        self::assertSame('6061', $given['serverport']);
    }

    public function testAnEmptyHostnameFallsBackToTheIpWithIpv6InBrackets(): void
    {
        $v4 = $this->params(['hostname' => '', 'ipaddress' => '192.0.2.7']);
        $v6 = $this->params(['hostname' => '', 'ipaddress' => '::1']);
        $named = $this->params(['hostname' => 'named.example.test', 'ipaddress' => '192.0.2.8']);

        self::assertSame('192.0.2.7', $v4['serverhostname']);
        self::assertSame('[::1]', $v6['serverhostname']);
        self::assertSame('::1', $v6['serverip']);
        self::assertSame('named.example.test', $named['serverhostname']);
    }

    public function testModelIsACircularObjectGraphWithALazyRelationThatThrows(): void
    {
        $params = $this->params(['hostname' => 'backup.example.test']);
        $model = $params['model'];

        self::assertIsObject($model);
        self::assertInstanceOf(\WHMCS\Service\Service::class, $model);
        self::assertSame($params['serviceid'], $model->id);
        self::assertInstanceOf(\WHMCS\User\Client::class, $model->client);
        self::assertContains($model, $model->client->services, 'service -> client -> services holds the same object');
        self::assertSame($model->client, $model->client->services[0]->client);
        self::assertInstanceOf(\WHMCS\Product\Product::class, $model->product);
        $this->expectExceptionMessage(ParamsBuilder::LAZY_FAILURE);
        $model->order;
    }

    public function testModuleParamsAreHtmlDecoded(): void
    {
        $params = $this->params(null, [
            'companyname' => 'Smith & Sons <Ltd>',
            'lastname' => "O'Brien \"Jr\"",
            'state' => 'IL',
        ]);

        self::assertSame('Smith & Sons <Ltd>', $params['clientsdetails']['companyname']);
        self::assertSame("O'Brien \"Jr\"", $params['clientsdetails']['lastname']);
        self::assertSame('IL', $params['clientsdetails']['state'], 'the state code');
        self::assertArrayNotHasKey('model', $params['clientsdetails']);
    }

    public function testALiteralEntityTypedByThePersonStaysLiteralInModuleParams(): void
    {
        $params = $this->params(null, ['companyname' => 'A &amp; B']);

        self::assertSame('A &amp; B', $params['clientsdetails']['companyname']);
    }
}
