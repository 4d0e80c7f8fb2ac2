<?php

/**
 * The client area's words in a real WHMCS: `$LANG` holds WHMCS's own words only (a server module's
 * lang/ folder is never read), so the module loads its own (the generated module file) and gives
 * them as `$sgwhmcs_lang`: the session's language, else the client's profile language, else WHMCS's
 * default language, else english; each word from lang/english.php, lang/overrides/english.php,
 * lang/LANGUAGE.php, lang/overrides/LANGUAGE.php (the last that has it), English for a word no
 * file of the language has; a language name that is not a plain file name is passed over; a
 * broken or non-UTF-8 override never blanks a word.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\ModuleTestCase;

final class ClientAreaWordsTest extends ModuleTestCase
{
    /** @var list<string> files this test wrote */
    private array $written = [];

    protected function tearDown(): void
    {
        foreach (array_reverse($this->written) as $path) {
            is_dir($path) ? @rmdir($path) : @unlink($path);
        }
        parent::tearDown();
    }

    private function moduleDir(): string
    {
        return ROOTDIR . '/modules/servers/' . $this->whmcs->module;
    }

    /** Writes a lang file at PATH (inside the module folder) setting WORDS, or SOURCE as given. */
    private function write(string $path, array $words = [], ?string $source = null): void
    {
        $full = $this->moduleDir() . '/' . $path;
        if (!is_dir(dirname($full))) {
            mkdir(dirname($full), 0755, true);
            $this->written[] = dirname($full);
        }
        if ($source === null) {
            $source = "<?php\n";
            foreach ($words as $key => $word) {
                $source .= '$_LANG[' . var_export($key, true) . '] = ' . var_export($word, true) . ";\n";
            }
        }
        file_put_contents($full, $source);
        $this->written[] = $full;
    }

    /** @return array{0: int, 1: int} [service id, client id] of an active customer service */
    private function service(string $language = ''): array
    {
        [$serviceId, $result] = $this->orderAndAccept(
            $this->customerProduct(),
            'words-area',
            ['language' => $language]
        );
        $this->assertCreated($serviceId, $result);
        return [$serviceId, (int) $this->whmcs->service($serviceId)['userid']];
    }

    public function testEnglishWordsAreShownThoughWhmcsNeverReadsTheModulesLangFolder(): void
    {
        [$serviceId, $clientId] = $this->service();

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        $words = ['Backup account', 'Account name', 'Storage', 'Machines', 'Connect a new machine',
            'Show pass key', 'Download the backup agent'];
        foreach ($words as $word) {
            self::assertStringContainsString(">$word", $html);
        }
        self::assertDoesNotMatchRegularExpression('~<(h3|strong|th|button)[^>]*>\s*</\1>~', $html, 'no blank word');
    }

    public function testASecondLanguageWithAnOverrideAndEnglishForAMissingWord(): void
    {
        [$serviceId, $clientId] = $this->service('german');
        $this->write('lang/german.php', ['title' => 'Sicherungskonto', 'machines' => 'Rechner']);
        $this->write('lang/overrides/german.php', ['machines' => 'Geräte', 'unknown_key' => 'ignored']);
        $area = $this->whmcs->clientArea();

        // The client's profile language.
        $html = $area->productDetails($clientId, $serviceId)['html'];
        self::assertStringContainsString('Sicherungskonto', $html);
        self::assertStringContainsString('Geräte', $html, 'the override wins');
        self::assertStringNotContainsString('Rechner', $html);
        self::assertStringContainsString('Show pass key', $html, 'a word German lacks is English');
        self::assertStringNotContainsString('Backup account', $html);

        // The language chosen in this session wins over the profile.
        $html = $area->productDetails($clientId, $serviceId, 'english')['html'];
        self::assertStringContainsString('Backup account', $html);

        // No profile language: WHMCS's default language.
        $this->whmcs->store()->clients[$clientId]['language'] = '';
        $area->defaultLanguage = 'german';
        try {
            $html = $area->productDetails($clientId, $serviceId)['html'];
        } finally {
            $area->defaultLanguage = 'english';
        }
        self::assertStringContainsString('Sicherungskonto', $html);
    }

    public function testAnEnglishOverrideChangesAWordWithoutEditingTheModule(): void
    {
        [$serviceId, $clientId] = $this->service();
        $this->write('lang/overrides/english.php', ['title' => 'Online Backup & Restore <beta>']);

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        self::assertStringContainsString('Online Backup &amp; Restore &lt;beta&gt;', $html, 'escaped like any value');
        self::assertStringNotContainsString('Backup account', $html);
    }

    public function testHostileLanguageNamesReadNoOtherFile(): void
    {
        [$serviceId, $clientId] = $this->service();
        $this->write('evil.php', ['title' => 'PWNED-MODULE']);
        $this->write('lang/overrides/evil.php', ['title' => 'PWNED-OVERRIDE-DIR']);
        $outside = sys_get_temp_dir() . '/sgwhmcs-evil-' . getmypid() . '.php';
        file_put_contents($outside, "<?php\n\$_LANG['title'] = 'PWNED-TMP';\n");
        $this->written[] = $outside;
        $area = $this->whmcs->clientArea();
        $names = ['../evil', '../../../../../../' . substr($outside, 1, -4), 'overrides/evil',
            "english\0../evil", 'en glish', str_repeat('a', 5000), '.', '', "\xff\xfe", 'evil.php'];

        foreach ($names as $name) {
            $html = $area->productDetails($clientId, $serviceId, $name)['html'];
            self::assertStringNotContainsString('PWNED', $html, var_export($name, true));
            self::assertStringContainsString('Backup account', $html, var_export($name, true));
        }
        // A hostile profile language is passed over too; the next candidate counts.
        $this->whmcs->store()->clients[$clientId]['language'] = '../evil';
        $this->write('lang/german.php', ['title' => 'Sicherungskonto']);
        $area->defaultLanguage = 'german';
        try {
            $html = $area->productDetails($clientId, $serviceId)['html'];
        } finally {
            $area->defaultLanguage = 'english';
        }
        self::assertStringContainsString('Sicherungskonto', $html);
        self::assertStringNotContainsString('PWNED', $html);
    }

    public function testABrokenOrNonUtf8OverrideNeverBlanksAWord(): void
    {
        [$serviceId, $clientId] = $this->service('german');
        $this->write('lang/german.php', [], "<?php\n\$_LANG['title'] = 'Sicherungskonto';\nthis is not php(\n");
        $this->write('lang/overrides/german.php', ['title' => "Sicherung\xff", 'machines' => ['not', 'text']]);

        $html = $this->whmcs->clientArea()->productDetails($clientId, $serviceId)['html'];

        self::assertStringContainsString('>Backup account<', $html, 'English for the unreadable words');
        self::assertStringContainsString('>Machines ', $html);
        self::assertTrue(mb_check_encoding($html, 'UTF-8'));
    }
}
