<?php

/**
 * Bounded conversion of `$params` and `$vars` (issue 8, items 8 and 9): arrays shared many times
 * that would expand to gigabytes, a huge string, objects (WHMCS passes an Eloquent model graph as
 * `$params['model']`), self-references, and a megabyte-long function name all reach a normal,
 * short answer, quickly, with nothing sent.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use SgWhmcs\Tests\Support\CapturesErrorLog;
use SgWhmcs\Tests\Support\ModuleTestCase;

/** @group glue */
final class BoundsTest extends ModuleTestCase
{
    use CapturesErrorLog;

    protected function setUp(): void
    {
        parent::setUp();
        TouchedModel::$touched = 0;
    }

    /** @return array<string, mixed> params of a valid, not yet created service named NAME */
    private function params(string $name): array
    {
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $this->customerProduct(), ['username' => $name]);
        return $this->whmcs->serviceParams($this->whmcs->orderService($orderId));
    }

    /** An array of 10^LEVELS leaves, each level the same array shared ten times. */
    private static function bomb(int $levels): array
    {
        $shared = ['leaf' => str_repeat('x', 64)];
        for ($i = 0; $i < $levels; $i++) {
            $shared = array_fill(0, 10, $shared);
        }
        return $shared;
    }

    public function testSharedArraysThatExpandToGigabytesAreRefusedQuicklyAndNothingIsSent(): void
    {
        $params = $this->params('bomb');
        $params['customfields']['notes'] = self::bomb(9); // 10^9 leaves of 64 bytes: 64 GB expanded

        // Expanded, this would take minutes and 64 GB: the answer arriving at all, with the bound
        // named, shows it was refused while being read.
        $result = $this->whmcs->call('CreateAccount', $params);

        self::assertStringStartsWith(
            '$params is too large to read: more than 100000 values or 16 MB of text in all '
            . '(passed at /customfields/notes/',
            $result
        );
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testAHugeStringIsRefusedAsTooLargeAndNothingIsSent(): void
    {
        $params = $this->params('huge');
        $params['clientsdetails']['companyname'] = str_repeat('A', 50 * 1024 * 1024);

        $result = $this->whmcs->call('CreateAccount', $params);

        self::assertSame(
            '$params is too large to read: more than 100000 values or 16 MB of text in all '
            . '(passed at /clientsdetails/companyname)',
            $result,
            'the member that is too large is named'
        );
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testWithinTheBoundsAManyValuedCallGoesThrough(): void
    {
        $params = $this->params('many-values');
        $params['customfields']['notes'] = self::bomb(4); // 10,000 leaves

        self::assertSame('success', $this->whmcs->call('CreateAccount', $params));
        self::assertNotNull($this->sim->customer('many-values'));
    }

    public function testObjectsAreNeverLookedInto(): void
    {
        $params = $this->params('with-model');
        $model = new TouchedModel();
        $model->self = $model;
        $params['model'] = $model;
        $params['clientsdetails']['model'] = $model;
        $params['configoptions']['closure'] = fn () => TouchedModel::$touched++;

        self::assertSame('success', $this->whmcs->call('CreateAccount', $params));
        self::assertSame(0, TouchedModel::$touched, 'no property or method of an object was read');
        self::assertNotNull($this->sim->customer('with-model'));
    }

    public function testASelfReferenceEndsAtTheDepthLimit(): void
    {
        $params = $this->params('self-ref');
        $params['customfields']['self'] = &$params;

        self::assertSame('success', $this->whmcs->call('CreateAccount', $params));
        unset($params['customfields']['self']);
        self::assertNotNull($this->sim->customer('self-ref'));
    }

    public function testAMegabyteFunctionNameIsCutInTheAnswer(): void
    {
        $name = str_repeat('Create', 200000);

        $answer = \SgWhmcs\module_call('sgtest', $name, []);

        self::assertIsString($answer);
        self::assertStringStartsWith('sgwhmcs has no module function CreateCreate', $answer);
        self::assertLessThan(120, strlen($answer));
        // A module or function name that is not UTF-8 is answered, not thrown.
        self::assertSame("sgwhmcs has no module function Cr\u{e9}er", \SgWhmcs\module_call("\xFF", "Cr\xE9er", []));
        self::assertSame([], \SgWhmcs\email_merge_fields("\xFF", []));
    }

    public function testTooLargeVarsOfHooksAndEmailsAreRefusedWithoutThrowing(): void
    {
        $vars = ['client_id' => 1, 'notes' => self::bomb(8)];

        $answer = \SgWhmcs\hook_signup('customer', $vars, ['serverName' => 'x']);
        self::assertStringStartsWith(
            'sgwhmcs hooks: no account was created: $vars is too large to read: more than 100000 values or 16 MB of '
            . 'text in all (passed at /notes/',
            $answer
        );
        self::assertSame([], \SgWhmcs\email_merge_fields('sgtest', $vars + ['messagename' => 'x', 'relid' => 1]));
        self::assertStringContainsString('$vars is too large to read', (string) file_get_contents($this->errorLog));
        self::assertSame($answer, $this->whmcs->activity()[0]['message'] ?? null, 'and in the Activity Log');
        self::assertSame(0, $this->sim->totalRequests());
    }
}
