<?php

/**
 * Every function of module_functions() answers its WHMCS return shape, even called with nothing
 * to go on, and never throws; the generated file defines exactly these functions.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Module;

use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\TestModule;

final class FunctionShapesTest extends ModuleTestCase
{
    /** The functions docs/extension-api.md lists, with their kinds. */
    private const DOCUMENTED = [
        'MetaData' => 'meta',
        'ConfigOptions' => 'options',
        'CreateAccount' => 'status',
        'SuspendAccount' => 'status',
        'UnsuspendAccount' => 'status',
        'TerminateAccount' => 'status',
        'TestConnection' => 'result',
        'ChangePackage' => 'status',
        'ChangePassword' => 'status',
        'UsageUpdate' => 'status',
        'ListAccounts' => 'result',
        'MetricProvider' => 'provider',
        'AdminServicesTabFields' => 'fields',
        'AdminCustomButtonArray' => 'buttons',
        'ResetPassKey' => 'status',
        'StorePassKey' => 'status',
        'LinkAccount' => 'status',
        'DeleteOnServer' => 'status',
        'AdminLink' => 'html',
        'LoadResellers' => 'loader',
        'ClientArea' => 'page',
        'ClientAreaAllowedFunctions' => 'names',
        'RevealPassKey' => 'reveal',
    ];

    public function testTheSharedListIsTheDocumentedOne(): void
    {
        self::assertSame(self::DOCUMENTED, TestModule::functions());
    }

    public function testTheLoadedModuleDefinesEachListedFunction(): void
    {
        foreach (array_keys(TestModule::functions()) as $function) {
            self::assertTrue(function_exists(TestModule::NAME . '_' . $function), $function);
        }
        self::assertFalse(function_exists(TestModule::NAME . '_Renew'), 'only implemented functions exist');
    }

    /** @return array<string, array{string, string}> */
    public function functions(): array
    {
        $cases = [];
        foreach (TestModule::functions() as $function => $kind) {
            $cases[$function] = [$function, $kind];
        }
        return $cases;
    }

    /** @dataProvider functions */
    public function testAnswersItsShapeWithEmptyParams(string $function, string $kind): void
    {
        if ($kind === 'loader') {
            // A Loader is the one function that throws: WHMCS shows the exception's message.
            try {
                $this->whmcs->call($function, []);
                self::fail("$function did not throw");
            } catch (\Exception $e) {
                self::assertStringContainsString('No Backup Server connection', $e->getMessage());
            }
            self::assertSame(0, $this->sim->totalRequests(), 'nothing is sent without a connection');
            return;
        }
        $withoutParams = in_array($kind, ['meta', 'options', 'buttons', 'names'], true);
        $result = $this->whmcs->call($function, $withoutParams ? null : []);

        switch ($kind) {
            case 'meta':
            case 'options':
                self::assertIsArray($result);
                self::assertNotEmpty($result);
                self::assertArrayNotHasKey('sgwhmcs', $result, 'not the fallback of the generated file');
                break;
            case 'status':
            case 'reveal':
                self::assertIsString($result);
                self::assertNotSame('success', $result);
                self::assertNotSame('', $result);
                self::assertStringNotContainsString('sgwhmcs extension', $result);
                break;
            case 'result':
                self::assertIsArray($result);
                self::assertSame(['success', 'error'], array_keys($result));
                self::assertFalse($result['success']);
                self::assertIsString($result['error']);
                self::assertNotSame('', $result['error']);
                self::assertStringNotContainsString('sgwhmcs extension', $result['error']);
                break;
            case 'provider':
                self::assertInstanceOf(\WHMCS\UsageBilling\Contracts\Metrics\ProviderInterface::class, $result);
                self::assertSame([], $result->usage(), 'no connection: no usage');
                break;
            case 'fields':
                self::assertIsArray($result);
                self::assertSame(['Backup Server'], array_keys($result));
                self::assertStringContainsString('Module settings are invalid', $result['Backup Server']);
                break;
            case 'buttons':
                self::assertIsArray($result);
                self::assertNotEmpty($result);
                break;
            case 'html':
                self::assertIsString($result);
                self::assertStringContainsString('Server settings are invalid', $result);
                break;
            case 'page':
                self::assertIsArray($result);
                self::assertSame('clientarea', $result['templatefile']);
                // No status: not an Active service, whose output WHMCS never shows.
                self::assertTrue($result['vars']['sgwhmcs']['inactive'], 'nothing to show: the one line');
                break;
            case 'names':
                self::assertSame(['RevealPassKey'], $result);
                break;
            default:
                self::fail("unknown kind $kind");
        }
        self::assertSame(0, $this->sim->totalRequests(), 'nothing is sent without a connection');
    }

    public function testCreateWithoutAnyConnectionSaysHowToConfigureOne(): void
    {
        $result = $this->whmcs->call('CreateAccount', []);

        self::assertIsString($result);
        self::assertStringContainsString('No Backup Server connection', $result);
    }
}
