<?php

/**
 * `$sgwhmcsServerId` in whmcsHooks.php: the hooks take their connection from a WHMCS server of
 * the module (Setup › Products/Services › Servers), whose password WHMCS keeps encrypted in
 * tblservers, so no password needs to sit in includes/hooks/. The server's hostname, port, SSL,
 * username, password (through WHMCS's decrypt()) and Access Hash (the certificate pin) are read
 * the way a module call reads its assigned server. A server id that is no number, a server that
 * does not exist, is disabled or is of another module is a hooks configuration error naming the
 * variable, and nothing is sent (sgsim's request counter). With both a server id and the file's
 * connection variables set, the server wins and the report warns that the variables are ignored.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Support\Sim;

/** @group glue */
final class ServerRecordTest extends HooksTestCase
{
    /** Every connection variable of the file, empty: the file holds no password. */
    private const NO_FILE_CONNECTION = [
        'protocal' => '',
        'serverName' => '',
        'port' => '',
        'userName' => '',
        'loginPassword' => '',
        'certificateSha256' => '',
    ];

    /** @return array<string, array{string, string, string}> */
    public function lines(): array
    {
        return self::LINES;
    }

    /** @dataProvider lines */
    public function testTheConnectionComesFromTheServerWithNoPasswordInTheFile(
        string $point,
        string $function,
        string $kind
    ): void {
        $serverId = $this->server($this->sim);
        $source = $this->installHooks($point, $function, [], ['sgwhmcsServerId' => (string) $serverId]
            + self::NO_FILE_CONNECTION);
        self::assertStringNotContainsString($this->sim->password, $source, 'no password in the hooks file');
        self::assertStringNotContainsString(
            $this->sim->password,
            (string) file_get_contents(self::installedPath())
        );
        self::assertNotSame(
            $this->sim->password,
            $this->whmcs->database()->rows('tblservers')[$serverId]['password'],
            'WHMCS keeps it encrypted'
        );

        [$clientId] = $this->fire($point);

        $account = $kind === 'reseller' ? $this->sim->reseller('Acme Widgets') : $this->sim->customer('Acme Widgets');
        self::assertNotNull($account, "the $kind was created with the server's credentials");
        $this->assertSuccessReported($point, $clientId, $kind, 'Acme Widgets');
        self::assertStringNotContainsString('ignored', $this->hookActivity()[0]['message']);
        $entries = $this->whmcs->moduleLog()->entries();
        self::assertNotEmpty($entries);
        foreach ($entries as $entry) {
            self::assertContains($this->sim->password, $entry['raw']['replaceVars'], 'the password is scrubbed');
            self::assertStringNotContainsString($this->sim->password, $entry['request'] . $entry['response']);
        }
    }

    /**
     * The server's password is stored as typed, HTML-encoded, then encrypted (a password with
     * `& ' " < >` and a non-ASCII letter); its hostname and username are stored encoded too:
     * all are decrypted and decoded once before use.
     */
    public function testAPasswordWithEntitiesAndNonAsciiLettersIsDecryptedAndDecoded(): void
    {
        $sim = $this->startSim(true, ['--password', 'P&ss\'w"ö<r>d 1']);
        $serverId = $this->server($sim);
        self::assertStringContainsString(
            '&amp;',
            \decrypt((string) $this->whmcs->database()->rows('tblservers')[$serverId]['password']),
            'stored as WHMCS stores request input'
        );
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [], ['sgwhmcsServerId' => (string) $serverId]
            + self::NO_FILE_CONNECTION, $sim);
        $this->whmcs->knowHookSecret($sim->password);

        [$clientId] = $this->fire('ClientAdd');

        self::assertNotNull($sim->customer('Acme Widgets'));
        $this->assertSuccessReported('ClientAdd', $clientId, 'customer', 'Acme Widgets');
    }

    /**
     * Both set: the server record wins (it is the recommended way, and the file's variables are
     * the legacy one); the report says which variables were ignored, never their values.
     */
    public function testWithBothSetTheServerWinsAndTheFilesVariablesAreReportedIgnored(): void
    {
        $serverId = $this->server($this->sim);
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], [
            'sgwhmcsServerId' => (string) $serverId,
            'loginPassword' => 'Wr0ng-Legacy-Pass',
            'userName' => 'nobody',
        ]);

        [$clientId] = $this->fire('ClientAdd');

        self::assertNotNull($this->sim->reseller('Acme Widgets'), 'made with the server\'s credentials');
        $this->assertSuccessReported('ClientAdd', $clientId, 'reseller', 'Acme Widgets');
        $message = $this->hookActivity()[0]['message'];
        self::assertStringEndsWith(
            "; warning: \$serverName, \$port, \$userName, \$loginPassword, \$certificateSha256 are ignored, the "
            . "connection comes from WHMCS server $serverId (\$sgwhmcsServerId): empty them in whmcsHooks.php, so "
            . 'that no password sits in the file',
            $message
        );
        self::assertStringNotContainsString('Wr0ng-Legacy-Pass', $message);
    }

    public function testTheServersAccessHashIsThePin(): void
    {
        $serverId = $this->server($this->sim, ['accesshash' => str_repeat('ab', 32)]);
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['sgwhmcsServerId' => (string) $serverId]
            + self::NO_FILE_CONNECTION);
        $before = $this->sim->totalRequests();

        [$clientId] = $this->fire('ClientAdd');

        $message = $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/^(?=.*does not match the SHA-256 fingerprint)(?=.*the connection is WHMCS server ' . $serverId
            . '\'s, named by \$sgwhmcsServerId: its Hostname, Port, Username, Password and Access Hash are edited in '
            . 'Setup › Products\/Services › Servers)/'
        );
        self::assertStringNotContainsString('$certificateSha256', $message, 'the server\'s field is named');
        self::assertSame($before, $this->sim->totalRequests(), 'nothing sent over the refused connection');
        self::assertNull($this->sim->reseller('Acme Widgets'));
    }

    public function testAWrongServerPasswordPointsAtTheServerNotTheFile(): void
    {
        $serverId = $this->server($this->sim, ['password' => 'Wr0ng-Server-Pass']);
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [], ['sgwhmcsServerId' => (string) $serverId]
            + self::NO_FILE_CONNECTION);

        [$clientId] = $this->fire('ClientAdd');

        $message = $this->assertFailureReported(
            'ClientAdd',
            $clientId,
            '/rejected the user name or password.*AUTH_FAILED.* \(the connection is WHMCS server ' . $serverId . '\'s/',
            ['Wr0ng-Server-Pass']
        );
        self::assertStringNotContainsString('$loginPassword', $message, 'the file holds no password to check');
        self::assertStringNotContainsString('Wr0ng-Server-Pass', $message);
        self::assertNull($this->sim->customer('Acme Widgets'));
    }

    /** @return array<string, array{string, string}> */
    public function brokenServerIds(): array
    {
        return [
            'a server that does not exist' => ['missing', '/^\$sgwhmcsServerId: there is no WHMCS server 99 \(Setup/'],
            'a disabled server' => ['disabled', '/^\$sgwhmcsServerId: WHMCS server \d+ is disabled/'],
            'a server of another module' => [
                'cpanel',
                '/^\$sgwhmcsServerId: WHMCS server \d+ is a server of the module "cpanel", not of a Backup Server '
                . 'module made with sgwhmcs/',
            ],
            'a server of a module path' => [
                'traversal',
                '/^\$sgwhmcsServerId: WHMCS server \d+ is a server of the module "\.\.\//',
            ],
            'a server without a password' => [
                'no password',
                '/^\$sgwhmcsServerId: WHMCS server \d+, Server Password: is required/',
            ],
            'a name instead of the id' => ['name', '/^\$sgwhmcsServerId: "Backup Server" is not a WHMCS server id/'],
            'an id with a byte that is not UTF-8' => [
                'not utf-8',
                '/^\$sgwhmcsServerId: "\d+ÿ" is not a WHMCS server id/',
            ],
            'an id as HTML entities' => ['entities', '/^\$sgwhmcsServerId: "&#\d+;" is not a WHMCS server id/'],
            'zero' => ['zero', '/^\$sgwhmcsServerId: "0" is not a WHMCS server id/'],
        ];
    }

    /**
     * Each is a hooks configuration error naming `$sgwhmcsServerId`, in the Activity Log and
     * whmcs_error.log, and nothing reaches the Backup Server; the file holds no password, so the
     * legacy variables cannot stand in.
     *
     * @dataProvider brokenServerIds
     */
    public function testABrokenServerRecordIsAConfigurationErrorAndSendsNothing(string $case, string $cause): void
    {
        $serverId = match ($case) {
            'missing' => 99,
            'disabled' => $this->server($this->sim),
            'cpanel' => $this->server($this->sim, ['type' => 'cpanel']),
            'traversal' => $this->server($this->sim, ['type' => '../servers/x']),
            'no password' => $this->server($this->sim, ['password' => '']),
            default => $this->server($this->sim),
        };
        if ($case === 'disabled') {
            $this->whmcs->disableServer($serverId);
        }
        $given = match ($case) {
            'name' => 'Backup Server',
            'not utf-8' => "$serverId\xff",
            'entities' => '&#' . ord((string) $serverId) . ';',
            'zero' => '0',
            default => (string) $serverId,
        };
        $this->installHooks('ClientAdd', 'SGSignupReseller', [], ['sgwhmcsServerId' => $given]
            + self::NO_FILE_CONNECTION);
        $before = $this->sim->totalRequests();

        [$clientId] = $this->fire('ClientAdd');

        $message = $this->assertFailureReported('ClientAdd', $clientId, '/^Hooks configuration is invalid: /');
        self::assertMatchesRegularExpression($cause, substr($message, strlen('Hooks configuration is invalid: ')));
        self::assertSame($before, $this->sim->totalRequests(), 'nothing reached the Backup Server');
        self::assertSame([], $this->whmcs->moduleLog()->entries());
    }

    /**
     * Setup › Servers › Add New Server for SIM, of this module unless FIELDS say otherwise;
     * answers its id. Its password is one the hooks hold (through the record).
     *
     * @param array<string, mixed> $fields
     */
    private function server(Sim $sim, array $fields = []): int
    {
        // The hooks use this password: Module Log entries must ask WHMCS to scrub it.
        $this->whmcs->knowHookSecret((string) ($fields['password'] ?? $sim->password));
        return $this->whmcs->addServer($fields + ['name' => 'Backup Server'] + $sim->serverRecord());
    }
}
