<?php

/**
 * WHMCS 8 HTML-encodes all request input on the way in and stores it so (`&` -> `&amp;`,
 * `'` -> `&#039;`, `"` -> `&quot;`, `<` `>`): hook `$vars` and localAPI results (GetClientsDetails,
 * GetOrders...) carry the entities; localAPI encodes its inputs too and never decodes its results.
 * (Module `$params` are decoded: ParamsTest.)
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;

final class HtmlEncodingTest extends TestCase
{
    private const TYPED = ['companyname' => 'Smith & Sons <Ltd>', 'lastname' => "O'Brien \"Jr\""];
    private const STORED = [
        'companyname' => 'Smith &amp; Sons &lt;Ltd&gt;',
        'lastname' => 'O&#039;Brien &quot;Jr&quot;',
    ];

    private Whmcs $whmcs;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
    }

    public function testClientAddHookVarsAreEncoded(): void
    {
        $seen = [];
        add_hook('ClientAdd', 1, function (array $vars) use (&$seen): void {
            $seen = $vars;
        });

        $this->whmcs->addClient(self::TYPED);

        self::assertSame(self::STORED['companyname'], $seen['companyname']);
        self::assertSame(self::STORED['lastname'], $seen['lastname']);
    }

    public function testGetClientsDetailsAnswersEncodedText(): void
    {
        $clientId = $this->whmcs->addClient(self::TYPED);

        $details = localAPI('GetClientsDetails', ['clientid' => $clientId]);

        self::assertSame(self::STORED['companyname'], $details['companyname']);
        self::assertSame(self::STORED['companyname'], $details['client']['companyname']);
        self::assertSame(self::STORED['lastname'], $details['lastname']);
    }

    public function testLocalApiEncodesItsInputsAndDoesNotDecodeResults(): void
    {
        $clientId = $this->whmcs->addClient();

        localAPI('UpdateClient', ['clientid' => $clientId, 'companyname' => 'Tom & Jerry\'s']);

        self::assertSame('Tom &amp; Jerry&#039;s', $this->whmcs->store()->client($clientId)['companyname']);
        $details = localAPI('GetClientsDetails', ['clientid' => $clientId]);
        self::assertSame('Tom &amp; Jerry&#039;s', $details['companyname']);
    }

    public function testGetOrdersAnswersEncodedText(): void
    {
        $orderId = $this->whmcs->placeOrder(
            $this->whmcs->addClient(),
            $this->whmcs->addProduct('Backup', [], ['servertype' => '']),
            ['domain' => 'a&b.example']
        );

        $orders = localAPI('GetOrders', ['id' => $orderId]);

        self::assertSame('a&amp;b.example', $orders['orders']['order'][0]['lineitems']['lineitem'][0]['domain']);
    }
}
