<?php

/**
 * Every rule of docs/settings.md: a broken Module Setting stops CreateAccount with one message
 * that names each failing field by its label and says what is wrong, and nothing at all is sent
 * to the Backup Server.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Validation;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class SettingsValidationTest extends ModuleTestCase
{
    private const PREFIX = 'Module settings are invalid: ';
    private const WINDOW = [
        Labels::THROTTLING => 'New Configuration',
        Labels::THROTTLE_MODE => 'Throttle only at specified time',
        Labels::THROTTLE_FROM => '2200',
        Labels::THROTTLE_TILL => '0600',
    ];
    private const ENABLED = [Labels::THROTTLING => 'New Configuration', Labels::THROTTLE_ENABLED => 'on'];

    public function testSeveralBadFieldsAreReportedTogetherAndNothingIsSent(): void
    {
        $productId = $this->customerProduct(array_replace(self::WINDOW, [
            Labels::PROTOCOL => 'ftp',
            Labels::PORT => '70000',
            Labels::STORAGE => '',
            Labels::REPORT => 'on',
            Labels::REPORT_EMAIL => 'reports@example.test, not-an-address',
            Labels::THROTTLE_FROM => '2460',
        ]));

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-invalid');

        self::assertStringStartsWith(self::PREFIX, $result);
        $expected = [
            Labels::PROTOCOL => '"ftp"',
            Labels::PORT => '"70000"',
            Labels::STORAGE => 'required',
            Labels::REPORT_EMAIL => '"not-an-address"',
            Labels::THROTTLE_FROM => '"2460" is not a time in HHMM form (0000-2359)',
        ];
        $positions = [];
        foreach ($expected as $label => $words) {
            $at = strpos($result, $label . ': ');
            self::assertNotFalse($at, "names $label in: $result");
            self::assertStringContainsString($words, substr($result, $at), $label);
            $positions[] = $at;
        }
        self::assertSame($positions, array_values(array_unique($positions)));
        $sorted = $positions;
        sort($sorted);
        self::assertSame($sorted, $positions, 'fields are reported in table order');
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent to the Backup Server');
    }

    /** @return array<string, array{array<string, string>, string, list<string>}> */
    public function brokenSettings(): array
    {
        return [
            'protocol' => [[Labels::PROTOCOL => 'gopher'], Labels::PROTOCOL, ['"gopher"', 'http', 'https']],
            'host with scheme' => [[Labels::HOST => 'https://backup.example.test'], Labels::HOST, ['without http://']],
            'host with path' => [[Labels::HOST => 'backup.example.test/api'], Labels::HOST, ['without a path']],
            'host with space' => [[Labels::HOST => 'backup example.test'], Labels::HOST, ['spaces']],
            'host with port' => [[Labels::HOST => 'backup.example.test:6061'], Labels::HOST, [Labels::PORT]],
            'port zero' => [[Labels::PORT => '0'], Labels::PORT, ['"0"', '1-65535']],
            'port too high' => [[Labels::PORT => '65536'], Labels::PORT, ['"65536"', '1-65535']],
            'port not a number' => [[Labels::PORT => 'https'], Labels::PORT, ['"https"', '1-65535']],
            'username missing' => [[Labels::USERNAME => ''], Labels::USERNAME, ['required']],
            'password missing' => [[Labels::PASSWORD => ''], Labels::PASSWORD, ['required']],
            'action' => [[Labels::ACTION => 'Signup Admin'], Labels::ACTION, ['"Signup Admin"']],
            'reseller name' => [[Labels::RESELLER => 'Acme/Resellers'], Labels::RESELLER, ['"Acme/Resellers"']],
            'storage missing' => [[Labels::STORAGE => ''], Labels::STORAGE, ['required']],
            'storage zero' => [[Labels::STORAGE => '0'], Labels::STORAGE, ['"0"', 'bytes']],
            'storage fraction' => [[Labels::STORAGE => '1.5'], Labels::STORAGE, ['"1.5"', 'bytes']],
            'storage with unit' => [[Labels::STORAGE => '100GB'], Labels::STORAGE, ['"100GB"', 'bytes']],
            'storage above 2^63-1' => [[Labels::STORAGE => '9223372036854775808'], Labels::STORAGE, ['bytes']],
            'location control character' => [
                [Labels::LOCATION => "vault\x07a"],
                Labels::LOCATION,
                ['control characters'],
            ],
            'report email required' => [
                [Labels::REPORT => 'on', Labels::REPORT_EMAIL => ''],
                Labels::REPORT_EMAIL,
                ['e-mail address'],
            ],
            'report email invalid' => [
                [Labels::REPORT => 'on', Labels::REPORT_EMAIL => 'a@example.test,b at example.test'],
                Labels::REPORT_EMAIL,
                ['"b at example.test"', 'not a valid e-mail address'],
            ],
            'mcal required when auto is off' => [
                [Labels::AUTO_MCAL => '', Labels::MCAL => ''],
                Labels::MCAL,
                ['required', Labels::AUTO_MCAL],
            ],
            'mcal negative' => [[Labels::AUTO_MCAL => '', Labels::MCAL => '-1'], Labels::MCAL, ['"-1"']],
            'mcal above 2^31-1' => [
                [Labels::AUTO_MCAL => '', Labels::MCAL => '2147483648'],
                Labels::MCAL,
                ['"2147483648"'],
            ],
            'throttling choice' => [[Labels::THROTTLING => 'Custom'], Labels::THROTTLING, ['"Custom"']],
            'throttle mode choice' => [
                [Labels::THROTTLING => 'New Configuration', Labels::THROTTLE_MODE => 'Sometimes'],
                Labels::THROTTLE_MODE,
                ['"Sometimes"'],
            ],
            'throttle from required' => [
                [Labels::THROTTLE_FROM => ''] + self::WINDOW,
                Labels::THROTTLE_FROM,
                ['required'],
            ],
            'throttle from hour 24' => [
                [Labels::THROTTLE_FROM => '2400'] + self::WINDOW,
                Labels::THROTTLE_FROM,
                ['"2400"', 'HHMM'],
            ],
            'throttle from minute 60' => [
                [Labels::THROTTLE_FROM => '2460'] + self::WINDOW,
                Labels::THROTTLE_FROM,
                ['"2460" is not a time in HHMM form (0000-2359)'],
            ],
            'throttle from with colon' => [
                [Labels::THROTTLE_FROM => '01:30'] + self::WINDOW,
                Labels::THROTTLE_FROM,
                ['"01:30"', 'HHMM'],
            ],
            'throttle till three digits' => [
                [Labels::THROTTLE_TILL => '600'] + self::WINDOW,
                Labels::THROTTLE_TILL,
                ['"600"', 'HHMM'],
            ],
            'throttle from equals till' => [
                [Labels::THROTTLE_FROM => '0130', Labels::THROTTLE_TILL => '0130'] + self::WINDOW,
                Labels::THROTTLE_TILL,
                ['"0130"', 'differ', Labels::THROTTLE_FROM],
            ],
            'rate required when enabled' => [[Labels::RATE => ''] + self::ENABLED, Labels::RATE, ['required']],
            'rate at 1024' => [[Labels::RATE => '1024'] + self::ENABLED, Labels::RATE, ['"1024"', '1024']],
            'rate at 9999 GiB' => [[Labels::RATE => (string) (9999 * 2 ** 30)] + self::ENABLED, Labels::RATE, ['9999']],
            'rate not a number' => [[Labels::RATE => '1MB'] + self::ENABLED, Labels::RATE, ['"1MB"']],
            'fingerprint too short' => [[Labels::FINGERPRINT => 'abcdef'], Labels::FINGERPRINT, ['64']],
            'fingerprint not hex' => [
                [Labels::FINGERPRINT => str_repeat('g', 64)],
                Labels::FINGERPRINT,
                ['hexadecimal'],
            ],
        ];
    }

    /**
     * @dataProvider brokenSettings
     * @param array<string, string> $overrides
     * @param list<string> $words
     */
    public function testEachRuleNamesItsFieldAndSendsNothing(array $overrides, string $label, array $words): void
    {
        $productId = $this->customerProduct($overrides);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-rule');

        self::assertStringStartsWith(self::PREFIX, $result);
        $at = strpos($result, $label . ': ');
        self::assertNotFalse($at, "names $label in: $result");
        $problem = substr($result, $at);
        foreach ($words as $word) {
            self::assertStringContainsString($word, $problem, "$label problem");
        }
        foreach (Labels::all() as $other) {
            if ($other !== $label) {
                self::assertStringNotContainsString($other . ': ', $result, "only $label fails");
            }
        }
        self::assertSame('Pending', $this->whmcs->service($serviceId)['domainstatus']);
        self::assertSame(0, $this->sim->totalRequests(), 'nothing was sent to the Backup Server');
    }

    public function testAValidWindowThatWrapsMidnightIsAccepted(): void
    {
        $productId = $this->customerProduct(self::WINDOW + self::ENABLED + [Labels::RATE => '1025']);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-window');

        $this->assertCreated($serviceId, $result);
        $throttle = $this->sim->customer('acme-window')['throttle'] ?? null;
        self::assertSame(['2200', '0600', 1025], [$throttle['from'], $throttle['till'], $throttle['rate_bytes']]);
    }

    public function testYesNoValuesAreReadCaseInsensitively(): void
    {
        $productId = $this->customerProduct([Labels::AUTO_AUTHORIZATION => 'YES', Labels::ACTIVATION => 'No']);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-yesno');

        $this->assertCreated($serviceId, $result);
        $customer = $this->sim->customer('acme-yesno');
        self::assertTrue($customer['auto_authorization']);
        self::assertFalse($customer['active']);
    }
}
