<?php

/**
 * No secret ever leaks: across everything the run logged (Module Log, Activity Log) and every
 * value a module function returned, neither the Backup Server admin password nor any service
 * password appears; and every Module Log entry handed WHMCS the server password to scrub.
 *
 * Runs last (phpunit.xml) so that it sees the whole run; it also makes its own calls so that
 * it proves something when run alone.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Secrets;

use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Emulator\ModuleLog;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class SecretsTest extends ModuleTestCase
{
    public function testNoSecretAppearsInAnyLogOrMessage(): void
    {
        $this->runCallsThatTouchSecrets();
        $secrets = Evidence::secrets();
        self::assertContains($this->sim->password, $secrets);

        $places = [];
        foreach (Evidence::$moduleLog as $i => $entry) {
            foreach (['request', 'response', 'processed'] as $part) {
                $places["module log #$i $part (scrubbed)"] = $entry[$part];
                $places["module log #$i $part (as passed)"] = ModuleLog::render($entry['raw'][$part]);
            }
        }
        foreach (Evidence::$activity as $i => $line) {
            $places["activity #$i"] = $line;
        }
        foreach (Evidence::$returns as $i => $return) {
            $places["{$return['function']} return #$i"] = $return['returned'];
        }
        self::assertNotEmpty(Evidence::$moduleLog);

        foreach ($places as $where => $text) {
            foreach ($secrets as $secret) {
                self::assertStringNotContainsString($secret, $text, "a secret appears in $where");
            }
        }
    }

    public function testEveryModuleLogEntryAsksWhmcsToScrubTheServerPassword(): void
    {
        $this->runCallsThatTouchSecrets();

        self::assertNotEmpty(Evidence::$moduleLog);
        foreach (Evidence::$moduleLog as $i => $entry) {
            $context = $entry['context'];
            self::assertNotNull($context['function'], "entry #$i was logged during a module call");
            $replaceVars = $entry['raw']['replaceVars'];
            self::assertIsArray($replaceVars, "entry #$i replaceVars");
            self::assertNotEmpty($context['passwords'], "entry #$i had a password in play");
            self::assertNotEmpty(
                array_intersect($context['passwords'], array_map('strval', $replaceVars)),
                "entry #$i of {$context['function']} passes the server password in \$replaceVars"
            );
        }
    }

    public function testTheServicePasswordIsPassedToScrub(): void
    {
        [$serviceId] = $this->orderAndAccept($this->customerProduct(), 'secret-keeper');
        $password = $this->whmcs->service($serviceId)['password'];

        $entries = $this->whmcs->moduleLog()->entries();

        self::assertNotEmpty($entries);
        foreach ($entries as $entry) {
            self::assertContains($password, $entry['raw']['replaceVars']);
        }
    }

    /** Creates, suspends and fails in a few ways, so that secrets are in play. */
    private function runCallsThatTouchSecrets(): void
    {
        [$serviceId] = $this->orderAndAccept($this->customerProduct([Labels::SEND_MAIL => 'on']), 'secret-keeper');
        $this->whmcs->suspend($serviceId);
        $this->whmcs->unsuspend($serviceId);
        $this->whmcs->terminate($serviceId);
        $this->orderAndAccept($this->customerProduct([Labels::PASSWORD => 'N0tTheRightOne']), 'secret-wrong');
        $this->sim->fault(['kind' => 'status', 'count' => 1, 'route' => 'POST /customers', 'status' => 503]);
        $this->orderAndAccept($this->customerProduct(), 'secret-unavailable');
        $this->whmcs->testUnsavedServer(['secure' => true] + $this->sim->serverRecord());
    }
}
