<?php

/**
 * The generator writes `whmcs.json` and `logo.png` beside the module file, so that Apps &
 * Integrations lists the module with its name, description, logo, support links and authors
 * (the format of https://developers.whmcs.com/advanced/json-file/).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Generator;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Generator\GeneratorError;
use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\Process;
use SgWhmcs\Tests\Support\TestModule;

final class AppsListingTest extends TestCase
{
    private string $whmcsDir;

    protected function setUp(): void
    {
        $this->whmcsDir = sys_get_temp_dir() . '/sgwhmcs-apps-' . getmypid() . '-' . bin2hex(random_bytes(4));
        WhmcsTree::create($this->whmcsDir);
    }

    protected function tearDown(): void
    {
        WhmcsTree::remove($this->whmcsDir);
    }

    public function testTheCommandWritesWhmcsJsonWithSupportLinksAndTheLogo(): void
    {
        $run = Process::run([
            ...Process::php(TestModule::extensionPath()),
            TestModule::generatorScript(),
            'sgbackup',
            $this->whmcsDir,
            'https://support.hoster.example/backup',
        ], 60.0, ['SGWHMCS_MODULES_LIST' => $this->whmcsDir . '/modules.json']);

        self::assertSame(0, $run['exit'], $run['stderr']);
        $jsonPath = $this->whmcsDir . '/modules/servers/sgbackup/whmcs.json';
        $logoPath = $this->whmcsDir . '/modules/servers/sgbackup/logo.png';
        self::assertStringContainsString("wrote $jsonPath", $run['stdout']);
        self::assertStringContainsString("wrote $logoPath", $run['stdout']);
        $json = json_decode((string) file_get_contents($jsonPath), true, 16, JSON_THROW_ON_ERROR);
        self::assertSame('1.0', $json['schema']);
        self::assertSame('whmcs-servers', $json['type']);
        self::assertSame('sgbackup', $json['name']);
        self::assertStringStartsWith('Backup Server', $json['description']['name']);
        self::assertStringContainsString(\SgWhmcs\version(), $json['description']['name']);
        self::assertNotSame('', $json['description']['tagline']);
        self::assertNotSame('', $json['description']['long']);
        self::assertNotEmpty($json['description']['features']);
        self::assertSame(['filename' => 'logo.png'], $json['logo']);
        self::assertSame('https://support.hoster.example/backup', $json['support']['homepage']);
        self::assertSame('https://support.hoster.example/backup', $json['support']['support_url']);
        self::assertSame('sgwhmcs', $json['authors'][0]['name']);
        self::assertSame('https://support.hoster.example/backup', $json['authors'][0]['homepage']);
        self::assertRealPng($logoPath);
    }

    public function testWithoutASupportUrlThereAreNoMadeUpLinks(): void
    {
        ModuleGenerator::generate('sgbackup', $this->whmcsDir);

        $json = json_decode(
            (string) file_get_contents(ModuleGenerator::jsonPath($this->whmcsDir, 'sgbackup')),
            true,
            16,
            JSON_THROW_ON_ERROR
        );
        self::assertArrayNotHasKey('support', $json);
        self::assertSame([['name' => 'sgwhmcs']], $json['authors']);
        self::assertRealPng(ModuleGenerator::logoPath($this->whmcsDir, 'sgbackup'));
    }

    public function testABadSupportUrlIsRefusedAndNothingIsWritten(): void
    {
        $run = Process::run([
            ...Process::php(TestModule::extensionPath()),
            TestModule::generatorScript(),
            'sgbackup',
            $this->whmcsDir,
            'javascript:alert(1)',
        ], 60.0, ['SGWHMCS_MODULES_LIST' => $this->whmcsDir . '/modules.json']);

        self::assertSame(2, $run['exit']);
        self::assertStringContainsString('"javascript:alert(1)" is not an http or https URL', $run['stderr']);
        self::assertDirectoryDoesNotExist($this->whmcsDir . '/modules/servers/sgbackup');
        $this->expectException(GeneratorError::class);
        ModuleGenerator::renderJson('sgbackup', '1.0.0', 'ftp://x.example/');
    }

    /** Asserts PATH is a well-formed PNG image (signature, chunk CRCs, image data of the right size). */
    private static function assertRealPng(string $path): void
    {
        $png = (string) file_get_contents($path);
        self::assertSame("\x89PNG\r\n\x1a\n", substr($png, 0, 8));
        $size = getimagesize($path);
        self::assertNotFalse($size);
        self::assertSame('image/png', $size['mime']);
        [$width, $height] = $size;
        self::assertGreaterThanOrEqual(64, $width);
        self::assertSame($width, $height, 'square');
        $offset = 8;
        $data = '';
        $types = [];
        while ($offset < strlen($png)) {
            $length = unpack('N', substr($png, $offset, 4))[1];
            $type = substr($png, $offset + 4, 4);
            $body = substr($png, $offset + 8, $length);
            $crc = unpack('N', substr($png, $offset + 8 + $length, 4))[1];
            self::assertSame(crc32($type . $body), $crc, "the CRC of chunk $type");
            $types[] = $type;
            if ($type === 'IDAT') {
                $data .= $body;
            }
            $offset += 12 + $length;
        }
        self::assertSame('IHDR', $types[0]);
        self::assertSame('IEND', end($types));
        $ihdr = unpack('Nwidth/Nheight/Cdepth/Ccolour', substr($png, 16, 10));
        $channels = [0 => 1, 2 => 3, 4 => 2, 6 => 4][$ihdr['colour']] ?? 0;
        self::assertGreaterThan(0, $channels, 'a truecolour or grey image');
        $pixels = gzuncompress($data);
        self::assertNotFalse($pixels);
        self::assertSame($height * (1 + $width * $channels * $ihdr['depth'] / 8), strlen($pixels));
    }
}
