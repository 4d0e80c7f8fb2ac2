<?php

/**
 * The action hooks (php/whmcsHooks.php on ClientAdd) against a server that echoes what it was
 * sent: no form of the hooks file's admin password, of the Basic credential or of the new
 * client's password reaches whmcs_error.log, the Activity Log, the Module Log or PHP's error log.
 *
 * Runs before SecretsTest (alphabetical order inside tests/Secrets).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Secrets;

use SgWhmcs\Tests\Hooks\HooksTestCase;

final class EchoedSecretsInHooksTest extends HooksTestCase
{
    use EchoedSecrets;

    private const ADMIN_USER = 'hooks-admin';
    private const ADMIN_PASSWORD = 'Ho"oks\\pa/ss & <ü>€';
    private const CLIENT_PASSWORD = 'Cli"ent\\pw/ö 7+';

    /** @return array<string, array{0: string, 1: string}> mode => [mode, the cause the report names] */
    public static function echoes(): array
    {
        return [
            'the body quoted in a JSON error' => ['quote-body', '/could not read the request body: \{"name":/'],
            'the headers quoted by a proxy' => ['echo-headers', '/proxy: the upstream refused POST/'],
            'the passwords URL-encoded' => ['url-echo', '/could not parse p0=/'],
            'the request dumped in base64' => ['base64-body', '/debug dump /'],
        ];
    }

    /** @dataProvider echoes */
    public function testAHookShowsNoFormOfASecretTheServerEchoes(string $mode, string $cause): void
    {
        $echo = $this->startEcho($mode);
        $this->installHooks('ClientAdd', 'SGSignupCustomer', [], [
            'protocal' => $echo->scheme,
            'serverName' => $echo->host,
            'port' => (string) $echo->port,
            'userName' => self::ADMIN_USER,
            'loginPassword' => self::ADMIN_PASSWORD,
            'certificateSha256' => '',
        ]);

        [$clientId] = $this->fire('ClientAdd', ['password' => self::CLIENT_PASSWORD] + self::CLIENT);

        $message = $this->assertFailureReported('ClientAdd', $clientId, $cause, [self::ADMIN_PASSWORD]);
        self::assertStringContainsString('********', $message, 'the echoed secret is masked, not dropped');
        self::assertNoFormOfAnySecret([
            self::ADMIN_PASSWORD,
            self::CLIENT_PASSWORD,
            self::ADMIN_USER . ':' . self::ADMIN_PASSWORD,
        ]);
    }
}
