<?php

/**
 * Writes the WHMCS server module file `modules/servers/NAME/NAME.php` and, next to it, the
 * module's hooks file `modules/servers/NAME/hooks.php` (WHMCS includes it on every page load
 * once a product uses the module), `whmcs.json` and `logo.png` (how Apps & Integrations lists it).
 *
 * The generated module file is a forwarder: one line per module function, each calling
 * `\SgWhmcs\module_call()`. The list of functions comes only from the extension's
 * `\SgWhmcs\module_functions()`, so the file can never name a function the extension lacks.
 * The files run with any version of the extension that speaks the module interface they were
 * generated for (`\SgWhmcs\module_interface()`, docs/extension-api.md). When the extension is
 * missing, or speaks another interface, every function answers in its normal WHMCS shape with a
 * message saying what to install or the one command that regenerates the module; every function
 * catches every `\Throwable` and answers that shape too.
 *
 * The hooks file registers one EmailPreSend hook that offers the merge field `{$backup_pass_key}`
 * through `\SgWhmcs\email_merge_fields()`; without the extension (or with another interface) it
 * adds nothing, so emails still go out.
 *
 * The command line records every module it writes in the host's list of known modules
 * (knownListPath()), so that `generate-module.php --regenerate-known` (which the package and the
 * installer run after an upgrade) can rewrite them all.
 *
 * Used by `generate-module.php` (the command line) and by the test suite's WHMCS emulator.
 */

declare(strict_types=1);

namespace SgWhmcs\Generator;

final class ModuleGenerator
{
    /** A WHMCS module name: lowercase letters and digits, starting with a letter. */
    public const NAME_PATTERN = '/^[a-z][a-z0-9]*$/';

    /** The command line; a module that cannot run names it in the command that regenerates it. */
    public const GENERATOR = __DIR__ . '/generate-module.php';

    /** The module's logo (128 x 128 PNG), copied beside the module file. */
    public const LOGO = __DIR__ . '/logo.png';

    /**
     * The kinds of `module_functions()` and whether the WHMCS function takes `$params`. A
     * `provider` function returns the module's `lib/MetricProvider.php` object (Usage Billing),
     * which forwards to `\SgWhmcs\metric_call()`.
     */
    public const KINDS = [
        'meta' => false, 'options' => false, 'status' => true, 'result' => true,
        'fields' => true, 'buttons' => false, 'html' => true, 'loader' => true, 'provider' => true,
        'page' => true, 'reveal' => true, 'names' => false,
    ];

    /**
     * The client-area template and the module's English words, copied beside the module file
     * (overwritten on every generation; an admin's words go to lang/overrides/, never written
     * here). A `page` function (ClientArea) adds the words to its page in the module file, and a
     * `reveal` function (RevealPassKey) marks its request for the page that follows.
     */
    public const CLIENT_AREA_FILES = [
        'clientarea.tpl' => __DIR__ . '/templates/clientarea.tpl',
        'lang/english.php' => __DIR__ . '/lang/english.php',
    ];

    /**
     * The templates the module's PHP files are made from (the module file, its hooks file and its
     * Usage Billing class), beside this file.
     */
    public const TEMPLATES = [
        'module' => __DIR__ . '/module-template.php.txt',
        'hooks' => __DIR__ . '/hooks-template.php.txt',
        'provider' => __DIR__ . '/metric-provider-template.php.txt',
    ];

    /**
     * Every file the generator reads beside itself: TEMPLATES, LOGO and CLIENT_AREA_FILES.
     *
     * @return list<string>
     */
    public static function inputs(): array
    {
        return [...array_values(self::TEMPLATES), self::LOGO, ...array_values(self::CLIENT_AREA_FILES)];
    }

    /**
     * Why the generator cannot make a complete module from its own files (one of inputs() is
     * missing, unreadable or empty: an incomplete installation), or null when it can. Checked
     * before anything is written, so a broken installation never leaves half a module.
     */
    public static function inputsProblem(): ?string
    {
        $bad = [];
        foreach (self::inputs() as $input) {
            if (!is_file($input) || !is_readable($input) || (int) @filesize($input) === 0) {
                $bad[] = $input;
            }
        }
        if ($bad === []) {
            return null;
        }
        return sprintf(
            'the generator\'s own file%s %s %s missing, unreadable or empty, so nothing was written; '
            . 'this sgwhmcs installation is incomplete: reinstall it (the release archive\'s installer, '
            . 'the .deb, or "make install") so that %s holds every file of the project\'s php/ folder',
            count($bad) === 1 ? '' : 's',
            implode(', ', $bad),
            count($bad) === 1 ? 'is' : 'are',
            __DIR__
        );
    }

    /**
     * Why NAME cannot be a module name, or null when it can.
     */
    public static function nameProblem(string $name): ?string
    {
        if ($name === '') {
            return 'the module name is empty; use lowercase letters and digits, starting with a letter';
        }
        if (preg_match(self::NAME_PATTERN, $name) !== 1) {
            return sprintf(
                'the module name "%s" is not allowed: WHMCS module names are lowercase letters (a-z) '
                . 'and digits (0-9), starting with a letter',
                $name
            );
        }
        return null;
    }

    /**
     * Why the functions list from `module_functions()` cannot be generated, or null when it can.
     *
     * @param array<mixed> $functions
     */
    public static function functionsProblem(array $functions): ?string
    {
        if ($functions === []) {
            return '\SgWhmcs\module_functions() returned no functions';
        }
        foreach ($functions as $function => $kind) {
            if (!is_string($function) || preg_match('/^[A-Za-z][A-Za-z0-9]*$/', $function) !== 1) {
                return sprintf('\SgWhmcs\module_functions() names an invalid function %s', var_export($function, true));
            }
            if (!is_string($kind) || !array_key_exists($kind, self::KINDS)) {
                return sprintf(
                    '\SgWhmcs\module_functions() gives %s the kind %s, which this generator does not know '
                    . '(known: %s); update php/ModuleGenerator.php',
                    $function,
                    var_export($kind, true),
                    implode(', ', array_keys(self::KINDS))
                );
            }
        }
        return null;
    }

    /**
     * The path of the module file of NAME inside the WHMCS root WHMCS_DIR.
     */
    public static function modulePath(string $whmcsDir, string $name): string
    {
        return rtrim($whmcsDir, '/') . '/modules/servers/' . $name . '/' . $name . '.php';
    }

    /**
     * The path of the hooks file of module NAME inside the WHMCS root WHMCS_DIR.
     */
    public static function hooksPath(string $whmcsDir, string $name): string
    {
        return rtrim($whmcsDir, '/') . '/modules/servers/' . $name . '/hooks.php';
    }

    /**
     * The path of the Usage Billing class of module NAME in WHMCS_DIR (WHMCS autoloads
     * `lib/` as `WHMCS\Module\Server\<Name>\`).
     */
    public static function providerPath(string $whmcsDir, string $name): string
    {
        return rtrim($whmcsDir, '/') . '/modules/servers/' . $name . '/lib/MetricProvider.php';
    }

    /**
     * The source of module NAME's Usage Billing class for extension VERSION and module INTERFACE.
     *
     * @throws GeneratorError when NAME is not a module name
     */
    public static function renderProvider(string $name, string $version, int $interface): string
    {
        $problem = self::nameProblem($name);
        if ($problem !== null) {
            throw new GeneratorError($problem);
        }
        return strtr(self::readInput(self::TEMPLATES['provider']), [
            '{{NAME}}' => $name,
            '{{CLASS}}' => ucfirst($name),
            '{{VERSION}}' => $version,
            '{{VERSION_LITERAL}}' => var_export($version, true),
            '{{INTERFACE}}' => (string) $interface,
        ]);
    }

    /**
     * The path of the Apps & Integrations description `whmcs.json` of module NAME in WHMCS_DIR.
     */
    public static function jsonPath(string $whmcsDir, string $name): string
    {
        return rtrim($whmcsDir, '/') . '/modules/servers/' . $name . '/whmcs.json';
    }

    /**
     * The path of the module's logo `logo.png` (named by whmcs.json) of NAME in WHMCS_DIR.
     */
    public static function logoPath(string $whmcsDir, string $name): string
    {
        return rtrim($whmcsDir, '/') . '/modules/servers/' . $name . '/logo.png';
    }

    /**
     * The `whmcs.json` of module NAME: what WHMCS shows for it in Apps & Integrations
     * (https://developers.whmcs.com/advanced/json-file/: schema, type, name, description,
     * logo, support links, authors). SUPPORT_URL (the hosting company's or the maintainer's
     * support page) gives the support links; without it there are none rather than made-up ones.
     *
     * @throws GeneratorError when NAME is not a module name or SUPPORT_URL not an http(s) URL
     */
    public static function renderJson(string $name, string $version, ?string $supportUrl = null): string
    {
        $problem = self::nameProblem($name) ?? self::supportUrlProblem($supportUrl);
        if ($problem !== null) {
            throw new GeneratorError($problem);
        }
        $description = [
            'schema' => '1.0',
            'type' => 'whmcs-servers',
            'name' => $name,
            'license' => 'MIT',
            'description' => [
                'name' => 'Backup Server (sgwhmcs ' . $version . ')',
                'tagline' => 'Sell online backup: resellers and customers on your Backup Server, made by WHMCS.',
                'long' => 'Creates, suspends, unsuspends and terminates reseller and customer accounts on a '
                    . 'Backup Server through its web console API, with storage quota, licences, bandwidth '
                    . 'throttling and the customer pass key. Runs in the sgwhmcs PHP extension.',
                'features' => [
                    'Reseller and customer accounts, created when an order is accepted',
                    'Storage quota and licences from the product or configurable options',
                    'The customer pass key in the client\'s Pass Key field and the welcome email',
                    'Certificate pinning for self-signed https servers',
                ],
            ],
            'logo' => ['filename' => 'logo.png'],
        ];
        $author = ['name' => 'sgwhmcs'];
        if ($supportUrl !== null) {
            $description['support'] = ['homepage' => $supportUrl, 'support_url' => $supportUrl];
            $author['homepage'] = $supportUrl;
        }
        $description['authors'] = [$author];
        return json_encode($description, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR) . "\n";
    }

    /**
     * Why SUPPORT_URL cannot be the support link of whmcs.json, or null when it can (or is null).
     */
    public static function supportUrlProblem(?string $supportUrl): ?string
    {
        if ($supportUrl === null) {
            return null;
        }
        $scheme = strtolower((string) parse_url($supportUrl, PHP_URL_SCHEME));
        if (filter_var($supportUrl, FILTER_VALIDATE_URL) === false || !in_array($scheme, ['http', 'https'], true)) {
            return sprintf('the support URL "%s" is not an http or https URL', $supportUrl);
        }
        return null;
    }

    /**
     * Writes the module file and the hooks file of NAME into WHMCS_DIR, with whmcs.json (support
     * links to SUPPORT_URL when given) and logo.png beside them, using the loaded extension;
     * returns the module file's path.
     *
     * Nothing is written unless every file can be made: the generator's own files are checked
     * first (inputsProblem()), every file is rendered in memory, then all are staged beside their
     * targets and renamed into place (writeAll()).
     *
     * @throws GeneratorError when NAME, WHMCS_DIR, the generator's own files or the extension is not
     *     usable, or writing fails
     */
    public static function generate(string $name, string $whmcsDir, ?string $supportUrl = null): string
    {
        $inputsProblem = self::inputsProblem();
        if ($inputsProblem !== null) {
            throw new GeneratorError($inputsProblem);
        }
        $problem = self::nameProblem($name) ?? self::supportUrlProblem($supportUrl);
        if ($problem !== null) {
            throw new GeneratorError($problem);
        }
        if (!is_dir($whmcsDir)) {
            throw new GeneratorError(sprintf('the WHMCS directory "%s" does not exist', $whmcsDir));
        }
        if (
            !function_exists('SgWhmcs\module_functions') || !function_exists('SgWhmcs\version')
            || !function_exists('SgWhmcs\module_interface')
        ) {
            throw new GeneratorError(
                'the sgwhmcs extension is not loaded; run the generator as '
                . '"php -d extension=/path/to/libsgwhmcs.so php/generate-module.php NAME WHMCS_DIR" '
                . '(build the extension with "cargo build --release -p sgwhmcs"; it is '
                . 'target/release/libsgwhmcs.so)'
            );
        }
        $files = self::files(
            $name,
            \SgWhmcs\version(),
            (int) \SgWhmcs\module_interface(),
            \SgWhmcs\module_functions(),
            $supportUrl,
            self::generatorPath()
        );
        $path = self::modulePath($whmcsDir, $name);
        $absolute = [];
        foreach ($files as $relative => $content) {
            $absolute[dirname($path) . '/' . $relative] = $content;
        }
        self::writeAll($absolute);
        return $path;
    }

    /**
     * Every file the generator writes for module NAME (path inside `modules/servers/NAME/` =>
     * content), for extension VERSION speaking module INTERFACE with FUNCTIONS, whmcs.json's
     * SUPPORT_URL, and GENERATOR the command line a module names when it must be regenerated.
     *
     * @param array<mixed> $functions
     * @return array<string, string>
     * @throws GeneratorError when something cannot be generated or a file to copy cannot be read
     */
    public static function files(
        string $name,
        string $version,
        int $interface,
        array $functions,
        ?string $supportUrl,
        string $generator
    ): array {
        $files = [
            $name . '.php' => self::render($name, $version, $functions, $interface, $generator),
            'hooks.php' => self::renderHooks($name, $version, $interface),
            'lib/MetricProvider.php' => self::renderProvider($name, $version, $interface),
            'whmcs.json' => self::renderJson($name, $version, $supportUrl),
        ];
        foreach (['logo.png' => self::LOGO] + self::CLIENT_AREA_FILES as $target => $source) {
            $files[$target] = self::readInput($source);
        }
        return $files;
    }

    /** The absolute path of the command line (GENERATOR), as a module names it. */
    public static function generatorPath(): string
    {
        $path = realpath(self::GENERATOR);
        return $path === false ? self::GENERATOR : $path;
    }

    /**
     * The fingerprint (sha256) of everything the generated files depend on: every file files()
     * gives for a fixed module name, version, support URL and generator path, for module
     * INTERFACE and FUNCTIONS, and the signature of each `\SgWhmcs\` function those files call
     * (as the loaded extension declares it). When it changes, the files a module already has
     * may no longer fit the extension: the module interface must change with it
     * (tests/Generator/ModuleInterfaceTest.php holds it to php/module-interface.txt).
     *
     * @param array<mixed> $functions
     */
    public static function fingerprint(int $interface, array $functions): string
    {
        $files = self::files(
            'sgfingerprint',
            'VERSION',
            $interface,
            $functions,
            'https://support.example/',
            '/GENERATOR'
        );
        ksort($files);
        $hash = hash_init('sha256');
        $called = [];
        foreach ($files as $path => $content) {
            hash_update($hash, $path . "\0" . strlen($content) . "\0" . $content);
            preg_match_all('/\\\\?SgWhmcs\\\\+([a-z_]+)\(/', $content, $matches);
            $called = array_merge($called, $matches[1]);
        }
        $called = array_unique($called);
        sort($called);
        foreach ($called as $function) {
            hash_update($hash, "\0function " . $function . self::signature('SgWhmcs\\' . $function));
        }
        return hash_final($hash);
    }

    /** FUNCTION's parameters and return type as the loaded extension declares them. */
    private static function signature(string $function): string
    {
        if (!function_exists($function)) {
            return ' (not in the loaded extension)';
        }
        $reflection = new \ReflectionFunction($function);
        $parameters = [];
        foreach ($reflection->getParameters() as $parameter) {
            $parameters[] = ($parameter->hasType() ? (string) $parameter->getType() . ' ' : '')
                . '$' . $parameter->getName() . ($parameter->isOptional() ? ' = ?' : '');
        }
        $return = $reflection->hasReturnType() ? ': ' . (string) $reflection->getReturnType() : '';
        return '(' . implode(', ', $parameters) . ')' . $return;
    }

    /**
     * Where the command line keeps the list of modules it wrote on this host: the environment's
     * SGWHMCS_MODULES_LIST; else for root /var/lib/sgwhmcs/modules.json (the one the package
     * and the installer regenerate after an upgrade); else, for a developer, the user's own
     * $XDG_STATE_HOME/sgwhmcs/modules.json (~/.local/state/sgwhmcs/modules.json).
     */
    public static function knownListPath(): string
    {
        $override = getenv('SGWHMCS_MODULES_LIST');
        if (is_string($override) && $override !== '') {
            return $override;
        }
        $root = function_exists('posix_geteuid') ? posix_geteuid() === 0 : is_writable('/var/lib');
        if ($root) {
            return '/var/lib/sgwhmcs/modules.json';
        }
        $state = getenv('XDG_STATE_HOME');
        if (!is_string($state) || $state === '' || $state[0] !== '/') {
            $home = getenv('HOME');
            $state = (is_string($home) && $home !== '' ? $home : sys_get_temp_dir()) . '/.local/state';
        }
        return $state . '/sgwhmcs/modules.json';
    }

    /**
     * The modules recorded in LIST: each `['name' => NAME, 'whmcs_dir' => DIR, 'support_url' =>
     * URL or null]`; [] when LIST does not exist.
     *
     * @return list<array{name: string, whmcs_dir: string, support_url: ?string}>
     * @throws GeneratorError when LIST exists but cannot be read as such a list
     */
    public static function knownModules(string $list): array
    {
        if (!file_exists($list)) {
            return [];
        }
        $json = @file_get_contents($list);
        $decoded = is_string($json) ? json_decode($json, true, 8) : null;
        if (!is_array($decoded) || !is_array($decoded['modules'] ?? null)) {
            throw new GeneratorError(sprintf('the list of known modules "%s" cannot be read', $list));
        }
        $modules = [];
        foreach ($decoded['modules'] as $entry) {
            $name = is_array($entry) ? ($entry['name'] ?? null) : null;
            $dir = is_array($entry) ? ($entry['whmcs_dir'] ?? null) : null;
            $url = is_array($entry) ? ($entry['support_url'] ?? null) : null;
            if (
                !is_string($name) || self::nameProblem($name) !== null || !is_string($dir) || $dir === ''
                || ($url !== null && (!is_string($url) || self::supportUrlProblem($url) !== null))
            ) {
                throw new GeneratorError(sprintf('the list of known modules "%s" holds an invalid entry', $list));
            }
            $modules[] = ['name' => $name, 'whmcs_dir' => $dir, 'support_url' => $url];
        }
        return $modules;
    }

    /**
     * Records module NAME in WHMCS_DIR (support links to SUPPORT_URL) in LIST, replacing an
     * earlier record of the same module; returns LIST.
     *
     * @throws GeneratorError when LIST cannot be read or written
     */
    public static function recordKnown(string $list, string $name, string $whmcsDir, ?string $supportUrl): string
    {
        $dir = realpath($whmcsDir);
        $dir = $dir === false ? $whmcsDir : $dir;
        return self::updateKnown($list, function (array $modules) use ($name, $dir, $supportUrl): array {
            $modules = array_values(array_filter(
                $modules,
                fn (array $m): bool => $m['name'] !== $name || $m['whmcs_dir'] !== $dir
            ));
            $modules[] = ['name' => $name, 'whmcs_dir' => $dir, 'support_url' => $supportUrl];
            return $modules;
        });
    }

    /**
     * Regenerates every module recorded in LIST with the loaded extension. A module whose folder
     * is gone, or whose module file is no longer one this generator wrote, is skipped and taken
     * off the list; one that cannot be written fails. Returns one line per module and the counts.
     *
     * @return array{lines: list<string>, regenerated: int, skipped: int, failed: int}
     * @throws GeneratorError when LIST cannot be read or written
     */
    public static function regenerateKnown(string $list): array
    {
        $report = ['lines' => [], 'regenerated' => 0, 'skipped' => 0, 'failed' => 0];
        $gone = [];
        foreach (self::knownModules($list) as $module) {
            ['name' => $name, 'whmcs_dir' => $dir] = $module;
            $path = self::modulePath($dir, $name);
            $where = sprintf('%s in %s', $name, $dir);
            if (!is_dir(dirname($path))) {
                $report['lines'][] = sprintf(
                    'skipped %s: its folder %s is gone (taken off the list)',
                    $where,
                    dirname($path)
                );
                $report['skipped']++;
                $gone[] = $module;
                continue;
            }
            $source = @file_get_contents($path);
            if (is_string($source) && !str_contains($source, $name . '_sgwhmcs_forward(')) {
                $report['lines'][] = sprintf(
                    'skipped %s: %s is not a module file sgwhmcs generated (taken off the list)',
                    $where,
                    $path
                );
                $report['skipped']++;
                $gone[] = $module;
                continue;
            }
            if (!is_writable(dirname($path))) {
                $report['lines'][] = sprintf(
                    'failed %s: the folder %s is not writable by this user; run the generator as its owner or root',
                    $where,
                    dirname($path)
                );
                $report['failed']++;
                continue;
            }
            try {
                self::generate($name, $dir, $module['support_url']);
                $report['lines'][] = sprintf('regenerated %s', $where);
                $report['regenerated']++;
            } catch (GeneratorError $error) {
                $report['lines'][] = sprintf('failed %s: %s', $where, $error->getMessage());
                $report['failed']++;
            }
        }
        if ($gone !== []) {
            $key = fn (array $module): string => $module['name'] . "\0" . $module['whmcs_dir'];
            $goneKeys = array_map($key, $gone);
            self::updateKnown($list, fn (array $modules): array => array_values(array_filter(
                $modules,
                fn (array $module): bool => !in_array($key($module), $goneKeys, true)
            )));
        }
        return $report;
    }

    /**
     * Rewrites LIST with CHANGE(the modules it holds), under a lock beside it; returns LIST.
     *
     * @param callable(list<array{name: string, whmcs_dir: string, support_url: ?string}>): array<mixed> $change
     * @throws GeneratorError when LIST cannot be read or written
     */
    private static function updateKnown(string $list, callable $change): string
    {
        $dir = dirname($list);
        if (!is_dir($dir) && !@mkdir($dir, 0755, true) && !is_dir($dir)) {
            throw new GeneratorError(sprintf('cannot create the directory "%s" of the list of known modules', $dir));
        }
        $lock = @fopen($dir . '/.' . basename($list) . '.lock', 'c');
        if ($lock === false || !flock($lock, LOCK_EX)) {
            throw new GeneratorError(sprintf('cannot lock the list of known modules "%s"', $list));
        }
        try {
            $modules = $change(self::knownModules($list));
            $json = json_encode(
                ['modules' => $modules],
                JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR
            );
            self::writeAll([$list => $json . "\n"]);
        } finally {
            flock($lock, LOCK_UN);
            fclose($lock);
        }
        return $list;
    }

    /**
     * The source of the module file of NAME for extension VERSION, FUNCTIONS (name => kind) and
     * module INTERFACE; when it cannot run, it names GENERATOR in the command that regenerates it.
     *
     * @param array<mixed> $functions
     * @throws GeneratorError when NAME or FUNCTIONS cannot be generated
     */
    public static function render(
        string $name,
        string $version,
        array $functions,
        int $interface,
        string $generator = self::GENERATOR
    ): string {
        $problem = self::nameProblem($name) ?? self::functionsProblem($functions);
        if ($problem !== null) {
            throw new GeneratorError($problem);
        }
        $template = self::readInput(self::TEMPLATES['module']);
        $definitions = [];
        foreach ($functions as $function => $kind) {
            $definitions[] = self::renderFunction($name, $function, $kind);
        }
        return strtr($template, [
            '{{NAME}}' => $name,
            '{{VERSION}}' => $version,
            '{{VERSION_LITERAL}}' => var_export($version, true),
            '{{FUNCTIONS}}' => implode("\n", $definitions),
            '{{CLASS}}' => ucfirst($name),
            '{{INTERFACE}}' => (string) $interface,
            '{{GENERATOR}}' => $generator,
            // Quoted for a POSIX shell, then as a PHP string.
            '{{GENERATOR_QUOTED}}' => var_export("'" . str_replace("'", "'\\''", $generator) . "'", true),
        ]);
    }

    /**
     * The source of the hooks file of module NAME for extension VERSION and module INTERFACE.
     *
     * @throws GeneratorError when NAME is not a module name
     */
    public static function renderHooks(string $name, string $version, int $interface): string
    {
        $problem = self::nameProblem($name);
        if ($problem !== null) {
            throw new GeneratorError($problem);
        }
        $template = self::readInput(self::TEMPLATES['hooks']);
        return strtr($template, [
            '{{NAME}}' => $name,
            '{{VERSION}}' => $version,
            '{{VERSION_LITERAL}}' => var_export($version, true),
            '{{INTERFACE}}' => (string) $interface,
        ]);
    }

    private static function renderFunction(string $name, string $function, string $kind): string
    {
        if ($kind === 'loader') {
            return self::renderLoader($name, $function);
        }
        $takesParams = self::KINDS[$kind];
        return strtr(
            "function {N}_{F}({SIGNATURE})\n{\n"
            . "    try {\n"
            . "        return {N}_sgwhmcs_forward('{F}', '{K}', {ARGUMENT});\n"
            . "    } catch (\\Throwable \$e) {\n"
            . "        return {N}_sgwhmcs_failure('{K}', 'sgwhmcs: {F} failed (' . get_class(\$e) . ')');\n"
            . "    }\n"
            . "}\n",
            [
                '{N}' => $name,
                '{F}' => $function,
                '{K}' => $kind,
                '{SIGNATURE}' => $takesParams ? '$params = []' : '',
                '{ARGUMENT}' => $takesParams ? '$params' : '[]',
            ]
        );
    }

    /**
     * A Loader (https://developers.whmcs.com/provisioning-modules/loader-functions/): the one
     * function that THROWS on failure, because WHMCS shows the exception's message under the
     * field. The forwarder never throws; a message instead of an array is thrown here.
     */
    private static function renderLoader(string $name, string $function): string
    {
        return strtr(
            "function {N}_{F}(\$params = [])\n{\n"
            . "    \$answer = {N}_sgwhmcs_forward('{F}', 'loader', \$params);\n"
            . "    if (!is_array(\$answer)) {\n"
            . "        throw new \\Exception(is_string(\$answer) ? \$answer : 'sgwhmcs: {F} failed');\n"
            . "    }\n"
            . "    return \$answer;\n"
            . "}\n",
            ['{N}' => $name, '{F}' => $function]
        );
    }

    /**
     * The content of the generator's own file PATH (one of inputs()); an unreadable or empty one
     * is refused rather than rendered as an empty file.
     *
     * @throws GeneratorError when PATH cannot be read or is empty
     */
    private static function readInput(string $path): string
    {
        $content = @file_get_contents($path);
        if ($content === false || $content === '') {
            throw new GeneratorError(sprintf(
                'cannot read the generator\'s own file "%s" (missing or empty); reinstall sgwhmcs',
                $path
            ));
        }
        return $content;
    }

    /**
     * Writes FILES (path => content) as a set: each is first written whole to a temporary file
     * beside its target; only when all are staged are they renamed into place (a rename replaces a
     * file atomically). A failure while staging removes what was staged and leaves every target
     * as it was.
     *
     * @param array<string, string> $files
     * @throws GeneratorError when a directory or a file cannot be written
     */
    private static function writeAll(array $files): void
    {
        $staged = [];
        $discard = static function () use (&$staged): void {
            foreach ($staged as $temporary) {
                @unlink($temporary);
            }
        };
        foreach ($files as $path => $content) {
            $dir = dirname($path);
            if (!is_dir($dir) && !@mkdir($dir, 0755, true) && !is_dir($dir)) {
                $discard();
                throw new GeneratorError(sprintf('cannot create the directory "%s"', $dir));
            }
            $temporary = $dir . '/.' . basename($path) . '.' . getmypid() . '.tmp';
            $staged[$path] = $temporary;
            if (@file_put_contents($temporary, $content) !== strlen($content)) {
                $discard();
                throw new GeneratorError(sprintf('cannot write "%s"', $temporary));
            }
            @chmod($temporary, 0644);
        }
        foreach ($staged as $path => $temporary) {
            // Regenerated by root (the package, the installer), a file stays its owner's.
            $owner = @fileowner($path);
            $group = @filegroup($path);
            if ($owner !== false && $group !== false && function_exists('posix_geteuid') && posix_geteuid() === 0) {
                @chown($temporary, $owner);
                @chgrp($temporary, $group);
            }
            if (!@rename($temporary, $path)) {
                $discard();
                throw new GeneratorError(sprintf('cannot write "%s"', $path));
            }
            unset($staged[$path]);
        }
    }
}
