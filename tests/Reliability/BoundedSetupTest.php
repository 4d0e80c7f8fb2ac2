<?php

/**
 * Bounded setup and honest messages (issue 8, items 8 and 9): `sgwhmcs.ca_file` must be a
 * regular file of at most 1 MiB (a FIFO must not hang the call, `/dev/zero` must not be read
 * until memory runs out; each in a PHP process started with `-d sgwhmcs.ca_file=…`, see
 * ReliabilityTestCase::withCaFile()); a TLS handshake stopped by the connect timeout says so, naming
 * `sgwhmcs.connect_timeout` and its seconds; every field sent has a maximum length, checked before
 * anything is sent.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Reliability;

use SgWhmcs\Tests\Support\Labels;

final class BoundedSetupTest extends ReliabilityTestCase
{
    /** @var list<string> FIFOs to remove */
    private array $fifos = [];

    protected function tearDown(): void
    {
        foreach ($this->fifos as $fifo) {
            @unlink($fifo);
        }
        parent::tearDown();
    }

    /** @return array<string, array{0: string}> */
    public static function caFiles(): array
    {
        return ['a FIFO' => ['fifo'], 'a device that never ends' => ['/dev/zero'], 'a folder' => ['dir']];
    }

    /** @dataProvider caFiles */
    public function testACaFileThatIsNotARegularFileIsRefusedAtOnce(string $kind): void
    {
        $path = $this->withCaFile(match ($kind) {
            'fifo' => null,
            'dir' => sys_get_temp_dir(),
            default => $kind,
        });
        if ($path === null) {
            return;
        }
        if ($kind === 'fifo') {
            $this->fifo($path);
        }
        $productId = $this->customerProduct([Labels::FINGERPRINT => '']);

        $started = hrtime(true);
        [$serviceId, $created] = $this->orderAndAccept($productId, 'acme-ca');
        $elapsed = (hrtime(true) - $started) / 1e9;

        self::assertLessThan(1.0, $elapsed, 'no wait for a writer, no endless read');
        self::assertStringStartsWith(
            "Could not create customer: TLS setup failed: the CA file $path is not a regular file",
            $created
        );
        self::assertStringContainsString('sgwhmcs.ca_file', $created);
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing sent');
    }

    public function testACaFileOverOneMebibyteIsRefused(): void
    {
        $path = $this->withCaFile();
        if ($path === null) {
            return;
        }
        $this->writeTempFile($path, str_repeat("# padding\n", 110000));

        $tested = $this->whmcs->testUnsavedServer(self::serverFields($this->sim, ''));

        self::assertSame(
            "Connection failed: TLS setup failed: the CA file $path is larger than 1024 KiB, too large for a PEM "
            . 'file of CA certificates; fix or clear sgwhmcs.ca_file in the PHP ini',
            $tested['error']
        );
        self::assertSame(0, $this->sim->totalRequests());
    }

    public function testATlsHandshakeStoppedByTheConnectTimeoutSaysSo(): void
    {
        // A port that accepts TCP connections and never speaks TLS.
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $error);
        self::assertIsResource($server, (string) $error);
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($server, false), ':'), 1);
        $this->setIni('sgwhmcs.connect_timeout', '1');
        $this->setIni('sgwhmcs.timeout', '10');
        $productId = $this->customerProduct([
            Labels::PORT => (string) $port,
            Labels::FINGERPRINT => str_repeat('ab', 32),
        ]);

        $started = hrtime(true);
        [, $created] = $this->orderAndAccept($productId, 'acme-handshake');
        $elapsed = (hrtime(true) - $started) / 1e9;
        fclose($server);

        self::assertLessThan(3.0, $elapsed);
        self::assertSame(
            "Could not create customer: the connection and TLS handshake with the Backup Server at 127.0.0.1:$port "
            . 'did not complete within 1 seconds (sgwhmcs.connect_timeout); nothing was sent',
            $created
        );
    }

    /** @return array<string, array{0: array<string, string>, 1: string, 2: int}> */
    public static function tooLarge(): array
    {
        return [
            'a 2 MB company name' => [['companyname' => str_repeat('A', 2 << 20)], 'contact.company', 2 << 20],
            'a company name one over' => [['companyname' => str_repeat('b', 256)], 'contact.company', 256],
            'a long city' => [['city' => str_repeat('c', 300)], 'contact.city', 300],
        ];
    }

    /**
     * @dataProvider tooLarge
     * @param array<string, string> $client
     */
    public function testAFieldTooLargeIsRefusedBeforeAnythingIsSent(array $client, string $field, int $length): void
    {
        foreach (['acme-large', ''] as $username) {
            $this->sim->reset();
            [$serviceId, $result] = $this->orderAndAccept($this->customerProduct(), $username, $client);

            self::assertSame(
                "Could not create customer: $field is too large: $length characters where the Backup Server "
                . 'takes at most 255; nothing was sent',
                $result,
                $username === '' ? 'derived name' : 'given name'
            );
            self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
            self::assertSame(0, $this->sim->totalRequests(), 'nothing sent');
        }
    }

    public function testTheLongestFieldsAreSent(): void
    {
        [$serviceId, $result] = $this->orderAndAccept(
            $this->customerProduct(),
            'acme-longest',
            ['companyname' => str_repeat('d', 255)]
        );

        $this->assertCreated($serviceId, $result);
        self::assertSame(str_repeat('d', 255), $this->sim->customer('acme-longest')['contact']['company']);
    }

    /** Makes a FIFO at PATH, removed after the test. */
    private function fifo(string $path): void
    {
        self::assertTrue(posix_mkfifo($path, 0600));
        $this->fifos[] = $path;
    }
}
