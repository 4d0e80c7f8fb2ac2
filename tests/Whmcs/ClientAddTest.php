<?php

/**
 * The ClientAdd hook's `$vars` in WHMCS 8 (developers.whmcs.com/hooks-reference/client, and the
 * observed 8.12 behaviour): `client_id` is the client, `user_id` the User (login) that owns it, a
 * different number; `userid` is passed too; custom fields are under `customfields` (field id =>
 * value); `password` is '' unless the client was made through the AddClient API.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;

final class ClientAddTest extends TestCase
{
    private Whmcs $whmcs;

    /** @var list<array<string, mixed>> */
    private array $seen = [];

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
        add_hook('ClientAdd', 1, function (array $vars): void {
            $this->seen[] = $vars;
        });
    }

    public function testClientIdAndUserIdAreDifferentNumbers(): void
    {
        $clientId = $this->whmcs->addClient();

        $vars = $this->seen[0];
        self::assertSame($clientId, $vars['client_id']);
        self::assertSame($clientId, $vars['userid']);
        self::assertSame($this->whmcs->clientUserId($clientId), $vars['user_id']);
        self::assertNotSame($vars['client_id'], $vars['user_id']);
        $byUserId = localAPI('GetClientsDetails', ['clientid' => $vars['user_id']]);
        self::assertSame('error', $byUserId['result'], 'a user id is no client id');
    }

    public function testCustomFieldsAreUnderCustomfieldsByFieldId(): void
    {
        $fieldId = $this->whmcs->addClientCustomField('How did you find us?');

        $this->whmcs->addClient(['customfields' => ['How did you find us?' => 'Search & ads']]);

        self::assertSame([$fieldId => 'Search &amp; ads'], $this->seen[0]['customfields']);
        self::assertArrayNotHasKey('customFields', $this->seen[0]);
    }

    public function testThePasswordIsEmptyUnlessMadeThroughTheApi(): void
    {
        $this->whmcs->addClient(['password' => 'Typed-pass-1']);
        $this->whmcs->addClientThroughApi(['password' => 'Api-pass-1']);

        self::assertSame('', $this->seen[0]['password']);
        self::assertSame('Api-pass-1', $this->seen[1]['password']);
    }
}
