<?php

/**
 * The Backup Server's answers are untrusted input: a body over 1 MiB is refused, a redirect is
 * never followed, and an answer that is not what was asked for (not JSON, the wrong JSON, an
 * unexpected status) becomes a clear message that quotes the server's own error text when it
 * sent one, bounded in length. Nothing is reported as done that was not.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

final class BoundedAnswersTest extends ReliabilityTestCase
{
    private const NAME = 'acme-answers';
    private const MIB = 1048576;
    /** The suspend's own request (the account is read first, for whose it is). */
    private const DEACTIVATE = 'POST /customers/{name}/deactivate';
    private const NOT_UNDERSTOOD = "the Backup Server's answer was not understood: ";

    public function testAnAnswerOneByteOverOneMebibyteIsRefused(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $this->sim->fault(['kind' => 'oversize', 'size' => self::MIB + 1, 'route' => self::DEACTIVATE]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertSame(
            'Could not deactivate customer "' . self::NAME . '": ' . self::NOT_UNDERSTOOD
            . 'it is larger than 1024 KiB; read back, it is still active',
            $result,
            'an answer that cannot be read may hide a change: the state is read back'
        );
    }

    public function testAnAnswerOfExactlyOneMebibyteIsReadWhole(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $this->sim->fault(['kind' => 'oversize', 'size' => self::MIB, 'route' => self::DEACTIVATE]);

        $result = $this->whmcs->suspend($serviceId);

        // Read and parsed (it is {"padding": …}), then refused for its shape, not its size.
        self::assertStringNotContainsString('larger than', $result);
        self::assertStringContainsString('does not name the account', $result);
    }

    /** @return array<string, array{0: int}> */
    public static function redirects(): array
    {
        return ['301' => [301], '302' => [302], '303' => [303], '307' => [307], '308' => [308]];
    }

    /**
     * sgsim's status fault sets no headers, so there is no Location to follow: what is checked is
     * that any 3xx is refused as a redirect, with the reason, and nothing else is requested.
     *
     * @dataProvider redirects
     */
    public function testARedirectIsNotFollowed(int $status): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => $status, 'body' => '', 'route' => 'GET /server']);

        $result = $this->whmcs->testUnsavedServer(self::serverFields($this->sim));

        self::assertFalse($result['success']);
        self::assertStringContainsString("it redirected (HTTP $status)", $result['error']);
        self::assertStringContainsString(
            'redirects are not followed so that credentials never go elsewhere',
            $result['error']
        );
        self::assertSame(1, $this->sim->totalRequests());
        self::assertCount(1, $this->whmcs->moduleLog()->entries());
    }

    public function testARedirectedCreateCreatesNothing(): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => 302, 'body' => '', 'route' => 'POST /customers']);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), self::NAME);

        self::assertStringContainsString('redirects are not followed', $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertNull($this->sim->customer(self::NAME));
    }

    /** @return array<string, array{0: string, 1: string}> body => what the message explains */
    public static function answersThatAreNotAnAccount(): array
    {
        return [
            'an empty object' => ['{}', 'does not name the account'],
            'an unknown shape' => ['{"hello":"world"}', 'does not name the account'],
            'an empty list' => ['[]', 'does not name the account'],
            'null' => ['null', 'expected struct Account'],
            'a string' => ['"created"', 'expected struct Account'],
            'a number for the name' => ['{"name":42}', 'invalid type: integer `42`, expected a string'],
            'a string for a flag' => ['{"name":"' . self::NAME . '","active":"yes"}', 'expected a boolean'],
            'JSON cut short' => ['{"name":"' . self::NAME . '",', 'not the expected JSON'],
            'HTML' => ['<html><body>OK</body></html>', 'not the expected JSON'],
            'empty' => ['', 'not the expected JSON'],
        ];
    }

    /** @dataProvider answersThatAreNotAnAccount */
    public function testACreateAnsweredWithSomethingElseIsNotReportedAsDone(string $body, string $explains): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => 201, 'body' => $body, 'route' => 'POST /customers']);

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), self::NAME);

        self::assertStringStartsWith('Could not create customer: ' . self::NOT_UNDERSTOOD, $result);
        self::assertStringContainsString($explains, $result);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertNull($this->sim->customer(self::NAME));
    }

    /** @dataProvider answersThatAreNotAnAccount */
    public function testASuspendAnsweredWithSomethingElseIsNotReportedAsDone(string $body, string $explains): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'body' => $body, 'route' => self::DEACTIVATE]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringStartsWith('Could not deactivate customer "' . self::NAME . '": ', $result);
        self::assertStringContainsString('not understood', $result);
        self::assertStringContainsString($explains, $result);
        self::assertSame('Active', $this->whmcs->service($serviceId)['domainstatus']);
    }

    public function testACreateThatWasDoneButAnsweredStrangelyIsAdopted(): void
    {
        // after: the account is made, then the answer is replaced by one that names nothing.
        $this->sim->fault(
            ['kind' => 'status', 'status' => 201, 'body' => '{}', 'route' => 'POST /customers', 'after' => true]
        );

        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), self::NAME);

        $this->assertCreated($serviceId, $result);
        self::assertSame(1, $this->sim->stats()['routes']['POST /customers'] ?? 0);
        self::assertNotNull($this->sim->customer(self::NAME));
    }

    /** @return array<string, array{0: string, 1: string}> */
    public static function answersThatAreNotTheServer(): array
    {
        return [
            'an empty object' => ['{}', 'JSON that does not identify itself as the Backup Server API'],
            'an unknown shape' => ['{"status":"ok"}', 'JSON that does not identify itself as the Backup Server API'],
            'a product but no identity' => [
                '{"product":"Backup Server","version":"1"}',
                '(no "api": "backup-server/1")',
            ],
            'a string' => ['"Backup Server"', 'JSON that is not the API\'s JSON: "Backup Server"'],
            'HTML' => ['<html><body>It works!</body></html>', 'an HTML page instead of the API\'s JSON'],
        ];
    }

    /** @dataProvider answersThatAreNotTheServer */
    public function testTestConnectionAnsweredWithSomethingElseFails(string $body, string $explains): void
    {
        $this->sim->fault(['kind' => 'status', 'status' => 200, 'body' => $body, 'route' => 'GET /server']);

        $result = $this->whmcs->testUnsavedServer(self::serverFields($this->sim));

        self::assertFalse($result['success']);
        // Only the API identifies itself in GET /server (docs/backup-server-api.md).
        self::assertStringStartsWith(
            'Connection failed: this is not a Backup Server API endpoint: the server at ',
            $result['error']
        );
        self::assertStringContainsString($explains, $result['error']);
    }

    /** @return array<string, array{0: int, 1: string, 2: string}> status, body, the message's end */
    public static function errorAnswers(): array
    {
        $storage = '{"error":{"code":"INSUFFICIENT_STORAGE","message":"the reseller has 5 bytes left",'
            . '"field":"storage.allotted_bytes"}}';
        return [
            'a JSON error with a field' => [
                422,
                $storage,
                'the Backup Server refused it: the reseller has 5 bytes left '
                . '(field storage.allotted_bytes, INSUFFICIENT_STORAGE)',
            ],
            'a JSON error with an unknown code' => [
                409,
                '{"error":{"code":"LICENSE_EXPIRED","message":"the server licence expired on 2026-01-01"}}',
                'the Backup Server refused it: the server licence expired on 2026-01-01 (LICENSE_EXPIRED)',
            ],
            'a plain-text error' => [
                503,
                'Backup Server is starting, try again in a minute',
                'the Backup Server refused it: HTTP 503: Backup Server is starting, try again in a minute (HTTP_503)'
                . '; read back, it is still active',
            ],
            // Only the API's own error body is the API's word; a 4xx without it is something else.
            'an unexpected status without a body' => [
                418,
                '',
                'this is not a Backup Server API endpoint: the server at 127.0.0.1:%PORT% answered HTTP 418 '
                . 'with an empty body instead of the API\'s JSON error; check HostName and Port (the Backup '
                . 'Server\'s web console listens on 6060 for http and 6061 for https) and that no other web '
                . 'server, stock console or proxy path answers in its place',
            ],
            'an error that is JSON but not the error shape' => [
                500,
                '[500,503]',
                'the Backup Server refused it: HTTP 500: [500,503] (HTTP_500); read back, it is still active',
            ],
            'wrong credentials' => [
                401,
                '{"error":{"code":"AUTH_FAILED","message":"wrong user name or password"}}',
                'the Backup Server rejected the user name or password (AUTH_FAILED); check UserName and Password',
            ],
            'a 401 that is not the API\'s' => [
                401,
                '',
                'this is not a Backup Server API endpoint: the server at 127.0.0.1:%PORT% answered HTTP 401 '
                . 'with an empty body instead of the API\'s JSON error; check HostName and Port (the Backup '
                . 'Server\'s web console listens on 6060 for http and 6061 for https) and that no other web '
                . 'server, stock console or proxy path answers in its place',
            ],
        ];
    }

    /** @dataProvider errorAnswers */
    public function testAnErrorAnswerQuotesTheServer(int $status, string $body, string $message): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $this->sim->fault(['kind' => 'status', 'status' => $status, 'body' => $body, 'route' => self::DEACTIVATE]);

        $result = $this->whmcs->suspend($serviceId);

        $message = str_replace('%PORT%', (string) $this->sim->port, $message);
        self::assertSame('Could not deactivate customer "' . self::NAME . '": ' . $message, $result);
        // A 5xx may hide a change, so the state was read back after it: the answer is the one before.
        $entries = array_values(array_filter(
            $this->whmcs->moduleLog()->entries(),
            fn (array $e): bool => ($e['action'] ?? '') === 'SuspendAccount'
        ));
        // Entry 0 is the read of whose account it is; entry 1 the deactivate.
        $entry = $entries[1];
        self::assertStringStartsWith("HTTP $status\n", $entry['response'], 'the log keeps the raw answer');
    }

    public function testAServerThatEchoesThePasswordDoesNotLeakIt(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $body = json_encode(
            ['error' => ['code' => 'INTERNAL', 'message' => 'bad login ' . $this->sim->password . ' for admin']],
            JSON_THROW_ON_ERROR
        );
        $this->sim->fault(['kind' => 'status', 'status' => 500, 'body' => $body, 'route' => self::DEACTIVATE]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString('bad login ******** for admin', $result);
        self::assertStringNotContainsString($this->sim->password, $result);
    }

    public function testALongServerMessageIsCut(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $long = str_repeat('very long explanation ', 200);
        $body = json_encode(['error' => ['code' => 'INTERNAL', 'message' => $long]], JSON_THROW_ON_ERROR);
        $this->sim->fault(['kind' => 'status', 'status' => 500, 'body' => $body, 'route' => self::DEACTIVATE]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString('very long explanation very long', $result);
        self::assertStringContainsString('(' . strlen($long) . ' bytes in all)', $result);
        self::assertLessThan(700, strlen($result));
    }

    public function testALongPlainTextErrorIsCutAndMadePrintable(): void
    {
        [$serviceId] = $this->activeCustomer(self::NAME);
        $body = "<html>\n<body>\tBad Gateway</body>\n" . str_repeat('x', 5000);
        $this->sim->fault(['kind' => 'status', 'status' => 502, 'body' => $body]);

        $result = $this->whmcs->suspend($serviceId);

        self::assertStringContainsString('HTTP 502: <html>\n<body>\tBad Gateway', $result);
        self::assertStringNotContainsString("\n", $result);
        self::assertLessThan(300, strlen($result));
    }
}
