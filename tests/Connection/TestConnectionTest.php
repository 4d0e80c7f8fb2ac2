<?php

/**
 * Test Connection on Setup › Servers: called with server fields only, for a saved or an unsaved
 * server; answers ['success' => bool, 'error' => string] within bounded time.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Connection;

use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Sim;

final class TestConnectionTest extends ModuleTestCase
{
    public function testASavedServerWithCorrectFieldsConnects(): void
    {
        $serverId = $this->whmcs->addServer(self::fields($this->sim));

        $result = $this->whmcs->testConnection($serverId);

        self::assertSame(['success' => true, 'error' => ''], $result);
        self::assertSame(1, $this->sim->stats()['routes']['GET /server'] ?? 0);
    }

    public function testAnUnsavedServerWithCorrectFieldsConnects(): void
    {
        $result = $this->whmcs->testUnsavedServer(self::fields($this->sim));

        self::assertSame(['success' => true, 'error' => ''], $result);
        self::assertSame(1, $this->sim->totalRequests());
    }

    public function testAPlainHttpServerConnects(): void
    {
        $plain = $this->startSim(false);

        $result = $this->whmcs->testUnsavedServer(self::fields($plain));

        self::assertTrue($result['success']);
        self::assertStringContainsString('plain http', $result['error']);
        self::assertStringContainsString('travel in clear', $result['error']);
        $logged = $this->whmcs->moduleLog()->entries()[0]['response'] ?? '';
        self::assertStringContainsString('travel in clear', $logged);
    }

    public function testTheDefaultSslPortIsUsedWhenThePortIsEmpty(): void
    {
        $result = $this->whmcs->testUnsavedServer(['port' => ''] + self::fields($this->sim));

        self::assertFalse($result['success']);
        self::assertStringContainsString(':6061', $this->whmcs->moduleLog()->entries()[0]['request'] ?? '');
    }

    public function testAWrongPasswordFailsWithoutShowingIt(): void
    {
        $wrong = 'Wr0ngPassw0rd';

        $result = $this->whmcs->testUnsavedServer(['password' => $wrong] + self::fields($this->sim));

        self::assertFalse($result['success']);
        self::assertStringContainsString('password', $result['error']);
        self::assertStringNotContainsString($wrong, $result['error']);
    }

    public function testAMissingHostnameFailsBeforeSendingAnything(): void
    {
        $result = $this->whmcs->testUnsavedServer(['hostname' => '', 'ipaddress' => ''] + self::fields($this->sim));

        self::assertFalse($result['success']);
        self::assertStringContainsString('Hostname', $result['error']);
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testNothingListeningFailsQuickly(): void
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        self::assertNotFalse($socket);
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);
        $started = microtime(true);

        $result = $this->whmcs->testUnsavedServer(['port' => (string) $port] + self::fields($this->sim));

        self::assertFalse($result['success']);
        self::assertNotSame('', $result['error']);
        self::assertLessThan(10.0, microtime(true) - $started);
    }

    public function testAServerThatNeverAnswersIsGivenUpAfterTheTimeout(): void
    {
        $this->sim->fault(['kind' => 'blackhole', 'count' => 1, 'route' => 'GET /server']);
        $previous = ini_set('sgwhmcs.timeout', '2');
        self::assertNotFalse($previous, 'the extension declares sgwhmcs.timeout');
        $started = microtime(true);
        try {
            $result = $this->whmcs->testUnsavedServer(self::fields($this->sim));
        } finally {
            ini_set('sgwhmcs.timeout', (string) $previous);
        }

        self::assertFalse($result['success']);
        self::assertNotSame('', $result['error']);
        self::assertLessThan(8.0, microtime(true) - $started);
    }

    /** @return array<string, mixed> */
    private static function fields(Sim $sim): array
    {
        return ['ipaddress' => $sim->host] + $sim->serverRecord();
    }
}
