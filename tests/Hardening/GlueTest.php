<?php

/**
 * The glue suite (`@group glue`): what `make test-valgrind` runs under memcheck, because the only
 * `unsafe` code is in the extension's glue (`src/`): Zend values read into the core's types and
 * written back, calls from Rust back into PHP, the exported functions and their panic barrier
 * (`tests/README.md` says why this suite covers it).
 *
 * This class keeps the choice from rotting: every function the extension exports (the loaded
 * extension, and the committed stub) and every PHP function or method the glue calls back
 * (`src/host.rs`) must be named in `glue-drivers.txt` with the glue-group tests that drive it; a
 * new export or host call fails here until a test of the group drives it. It drives the exports itself with
 * every kind of PHP value in every argument, and the one host call no other test can reach in
 * one process: the delete of a `Pass Key` field a racing request made first.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

use PHPUnit\Util\Test as TestUtil;
use SgWhmcs\Tests\Support\CapturesErrorLog;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\TestModule;

/** @group glue */
final class GlueTest extends ModuleTestCase
{
    use CapturesErrorLog;

    /** The list of what the glue touches and the tests that drive each (see its header). */
    private const DRIVERS_FILE = __DIR__ . '/glue-drivers.txt';

    /** The kinds of value that are read up to a bound and refused there. */
    private const BOUNDS = ['a huge string', 'too many values', 'arrays shared many times'];

    /** A module function's shape (SgWhmcs\module_functions()) => the PHP type it answers. */
    private const SHAPE_TYPES = [
        'meta' => 'array', 'options' => 'array', 'status' => 'string', 'result' => 'array',
        'provider' => 'null', 'fields' => 'array', 'buttons' => 'array', 'html' => 'string',
        'loader' => 'string', 'page' => 'array', 'names' => 'array', 'reveal' => 'string',
    ];

    public function testEveryExportIsDrivenByTheGlueSuite(): void
    {
        $loaded = get_extension_funcs('sgwhmcs') ?: [];
        $stubText = (string) file_get_contents(self::root() . '/stubs/sgwhmcs.stub.php');
        preg_match_all('/^\s*function (\w+)\(/m', $stubText, $m);
        $stub = array_map(fn (string $name): string => 'SgWhmcs\\' . $name, $m[1]);
        $driven = array_values(array_filter(array_keys(self::drivers()), [self::class, 'isExport']));
        sort($loaded);
        sort($stub);
        sort($driven);

        self::assertSame($stub, $loaded, 'the loaded extension exports what the stub says');
        self::assertSame($loaded, $driven, 'every export is in glue-drivers.txt, and only exports');
    }

    public function testEveryHostCallOfTheGlueIsDrivenByTheGlueSuite(): void
    {
        $source = (string) file_get_contents(self::root() . '/src/host.rs');
        preg_match_all(
            '/\b(?:try_php|call_php|call_logged|function_exists|exists)\(\s*"(?<function>[^"]+)"'
            . '|\{CAPSULE\}::(?<facade>\w+)|\btry_method\(\s*&?\w+,\s*"(?<method>[^"]+)"'
            . '|\btry_call_method\(\s*"(?<exception>[^"]+)"/',
            $source,
            $calls,
            PREG_SET_ORDER
        );
        $called = ['phpinfo'];
        foreach ($calls as $call) {
            $called[] = match (true) {
                ($call['function'] ?? '') !== '' => $call['function'],
                ($call['facade'] ?? '') !== '' => 'Capsule::' . $call['facade'],
                default => '->' . (($call['method'] ?? '') !== '' ? $call['method'] : $call['exception']),
            };
        }
        $called = array_values(array_unique($called));
        $listed = array_values(array_filter(array_keys(self::drivers()), fn (string $k): bool => !self::isExport($k)));
        sort($called);
        sort($listed);

        self::assertGreaterThan(15, count($called), 'src/host.rs was read');
        self::assertSame($called, $listed, 'every host call of src/host.rs is in glue-drivers.txt, and only those');
    }

    public function testEveryDriverIsATestOfTheGlueGroup(): void
    {
        foreach (self::drivers() as $what => $drivers) {
            self::assertNotEmpty($drivers, $what);
            foreach ($drivers as $driver) {
                [$class, $method] = explode('::', 'SgWhmcs\\Tests\\' . $driver) + [1 => ''];
                self::assertTrue(method_exists($class, $method), "$what: $driver exists");
                self::assertContains('glue', TestUtil::getGroups($class, $method), "$what: $driver is in @group glue");
            }
        }
    }

    /** @return array<string, array{0: string}> */
    public static function kindsOfValue(): array
    {
        $kinds = [
            'integers', 'floats', 'booleans and null', 'UTF-8 text', 'text that is not UTF-8', 'keys of every kind',
            'nesting past the depth limit', 'objects', 'references', 'a resource', 'a huge string', 'too many values',
            'arrays shared many times',
        ];
        return array_combine($kinds, array_map(fn (string $kind): array => [$kind], $kinds));
    }

    /**
     * One kind of PHP value, several ways, as the members of an array (STRING: the same kind as
     * a string argument, for the exports' string parameters).
     *
     * @return array{0: array<int|string, mixed>, 1: string}
     */
    private static function valuesOf(string $kind): array
    {
        switch ($kind) {
            case 'integers':
                return [['zero' => 0, 'negative' => -42, 'max' => PHP_INT_MAX, 'min' => PHP_INT_MIN], '0'];
            case 'floats':
                return [
                    ['half' => 1.5, 'negzero' => -0.0, 'inf' => INF, 'minf' => -INF, 'nan' => NAN, 'big' => 1e308],
                    '1.5',
                ];
            case 'booleans and null':
                return [['yes' => true, 'no' => false, 'nothing' => null], ''];
            case 'UTF-8 text':
                return [['text' => "Gr\u{fc}\u{df}e \u{1F600}", 'nul' => "a\0b", 'empty' => ''], "Gr\u{fc}\u{df}e\0"];
            case 'text that is not UTF-8':
                return [
                    ['latin1' => "Speichergr\xF6\xDFe", 'lone' => "\x80\xBF\xFE\xFF", 'cut' => "\xE2\x82"],
                    "\xFF\xFE",
                ];
            case 'keys of every kind':
                return [[
                    -1 => 'negative', 7 => 'sparse', '' => 'empty', "k\xF6y" => 'not UTF-8', '012' => 'numeric text',
                    'list' => ['a', 'b', 'c'],
                ], 'key'];
            case 'nesting past the depth limit':
                $deep = 'bottom';
                for ($i = 0; $i < 40; $i++) {
                    $deep = ['level' . $i => $deep];
                }
                return [['deep' => $deep], str_repeat('[', 100)];
            case 'objects':
                $model = new TouchedModel();
                $model->self = $model;
                $closure = fn () => TouchedModel::$touched++;
                return [['model' => $model, 'plain' => new \stdClass(), 'closure' => $closure], 'object'];
            case 'references':
                $shared = 'shared';
                $values = ['a' => &$shared, 'b' => &$shared, 'list' => [1, 2]];
                $values['list'][] = &$values['list'];
                $values['self'] = &$values;
                return [$values, 'reference'];
            case 'a resource':
                return [['stream' => STDERR], 'resource'];
            case 'a huge string':
                return [['huge' => str_repeat('A', 17 * 1024 * 1024)], str_repeat("\xE9", 2 * 1024 * 1024)];
            case 'too many values':
                return [['many' => range(1, 100001)], str_repeat('many ', 1000)];
            case 'arrays shared many times':
                $shared = ['leaf' => str_repeat('x', 64)];
                for ($i = 0; $i < 8; $i++) {
                    $shared = array_fill(0, 10, $shared);
                }
                return [['bomb' => $shared], 'bomb'];
        }
        throw new \LogicException("no values of kind $kind");
    }

    /**
     * Every export with the kind of value in each array and string argument: the normal answer
     * of its shape, no exception, no warning, nothing sent anywhere but to the named module's
     * own server (there is none here: the calls fail as configuration errors).
     *
     * @dataProvider kindsOfValue
     */
    public function testEveryExportAnswersItsShapeForEveryKindOfValue(string $kind): void
    {
        TouchedModel::$touched = 0;
        [$values, $text] = self::valuesOf($kind);
        error_clear_last();

        self::assertNotSame('', \SgWhmcs\version());
        self::assertGreaterThan(0, \SgWhmcs\module_interface());
        $functions = \SgWhmcs\module_functions();
        self::assertContainsOnly('string', $functions);
        // A value read up to a bound (100,000 values or 16 MB) is refused the same way by every
        // export: each export once, and one module function per shape, is every way in and out,
        // and keeps the suite quick under memcheck. Every other kind goes everywhere.
        $bounded = in_array($kind, self::BOUNDS, true);
        $every = fn (array $all): array => $bounded ? array_slice($all, 0, 1) : $all;
        foreach ($bounded ? array_flip(array_flip($functions)) : $functions as $function => $shape) {
            self::assertArrayHasKey($shape, self::SHAPE_TYPES, "the shape of $function is known here");
            foreach ($every([TestModule::NAME, $text]) as $module) {
                $answer = \SgWhmcs\module_call($module, $function, $values);
                self::assertSame(self::SHAPE_TYPES[$shape], get_debug_type($answer), "$function answers its shape");
            }
        }
        self::assertIsString(\SgWhmcs\module_call(TestModule::NAME, $text, []), 'an unknown function');
        foreach ($every(['customer', 'reseller', $text]) as $hookKind) {
            self::assertNotSame('', \SgWhmcs\hook_signup($hookKind, $values, $bounded ? [] : $values));
        }
        foreach ($every([TestModule::NAME, $text]) as $module) {
            self::assertSame([], \SgWhmcs\email_merge_fields($module, $values));
            self::assertIsString(\SgWhmcs\contact_sync($module, $values));
        }
        foreach ($every(['usage', 'metrics', 'tenant', $text]) as $what) {
            $metrics = \SgWhmcs\metric_call(TestModule::NAME, $what, $values, $text);
            self::assertSame(['metrics', 'usage', 'error'], array_keys($metrics), "metric_call $what");
        }
        self::assertContainsOnly('string', \SgWhmcs\hook_usage_update($text));
        self::assertContainsOnly('string', \SgWhmcs\hook_usage_update(TestModule::NAME));

        self::assertSame(0, TouchedModel::$touched, 'no object was looked into');
        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent');
        self::assertNull(error_get_last(), 'no warning');
    }

    public function testAPassKeyFieldARacerMadeFirstIsKeptAndOursDeleted(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'acme-racer']);
        $serviceId = $this->whmcs->orderService($orderId);
        // Between the create's look for the product's `Pass Key` field and its insert, another
        // request's create makes the field: the first field (the racer's) is the one kept.
        $racers = 0;
        $racer = function () use ($productId, &$racers): void {
            $racers++;
            $field = ['fieldtype' => 'password', 'adminonly' => 'on'];
            $this->whmcs->addProductCustomField($productId, 'Pass Key', $field);
        };
        $this->whmcs->database()->beforeNextInsertInto['tblcustomfields'] = $racer;

        self::assertSame('success', $this->whmcs->createAccount($serviceId));

        self::assertSame(1, $racers, 'the racer ran between the read and the insert');
        $fields = $this->whmcs->store()->productFields($productId);
        self::assertSame(['Pass Key'], array_values($fields), 'one field left: ours was deleted again');
        self::assertSame(1, $this->whmcs->database()->queryCount('tblcustomfields', 'delete'));
        $stored = $this->whmcs->store()->serviceFieldValue($serviceId, 'Pass Key');
        self::assertSame($this->sim->passkey('acme-racer'), $stored, 'the key is in the field kept');
    }

    /**
     * A streamed answer (ListAccounts' accounts, made into PHP one by one as the extension takes
     * them, src/convert.rs answer_to_zval) over two pages of the server's list: a PHP list in the
     * member's place, each row in WHMCS's shape.
     */
    public function testAListAnswerIsMadeIntoPhpItemByItemInItsPlace(): void
    {
        $this->sim->expect(200, 'POST', '/_sim/seed', [
            'kind' => 'customer', 'prefix' => 'glue-', 'count' => 1500, 'storage_bytes' => 1024,
            'email_domain' => 'glue.example',
        ]);

        $answer = $this->whmcs->call('ListAccounts', $this->sim->serverParams());

        self::assertSame(['success', 'accounts'], array_keys($answer), (string) json_encode($answer['error'] ?? ''));
        self::assertTrue($answer['success']);
        self::assertTrue(array_is_list($answer['accounts']));
        self::assertCount(1500, $answer['accounts'], 'every seeded customer, no built-in one');
        $row = $answer['accounts'][0];
        $keys = ['email', 'username', 'domain', 'uniqueIdentifier', 'product', 'primaryip', 'created', 'status'];
        self::assertSame($keys, array_keys($row));
        self::assertSame(['glue-1', 'glue-1@glue.example', '1024', 'Active'], [
            $row['username'], $row['email'], $row['product'], $row['status'],
        ]);
        self::assertSame('glue-999', end($answer['accounts'])['username'], 'the list order, across pages');
    }

    /**
     * glue-drivers.txt: what the glue touches => the tests that drive it.
     *
     * @return array<string, list<string>>
     */
    private static function drivers(): array
    {
        $drivers = [];
        $what = '';
        foreach (file(self::DRIVERS_FILE, FILE_IGNORE_NEW_LINES) ?: [] as $line) {
            if (trim($line) === '' || str_starts_with($line, '#')) {
                continue;
            }
            $words = preg_split('/\s+/', trim($line)) ?: [];
            if (!ctype_space($line[0])) {
                $what = array_shift($words);
                self::assertArrayNotHasKey($what, $drivers, "$what is listed once");
                $drivers[$what] = [];
            }
            array_push($drivers[$what], ...$words);
        }
        return $drivers;
    }

    private static function isExport(string $name): bool
    {
        return str_starts_with($name, 'SgWhmcs\\');
    }

    private static function root(): string
    {
        return dirname(__DIR__, 2);
    }
}
