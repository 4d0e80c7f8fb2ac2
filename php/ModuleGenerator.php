<?php

/**
 * Writes the WHMCS server module file `modules/servers/NAME/NAME.php` and, next to it, the
 * module's hooks file `modules/servers/NAME/hooks.php` (WHMCS includes it on every page load
 * once a product uses the module), `whmcs.json` and `logo.png` (how Apps & Integrations lists it).
 *
 * The generated module file is a forwarder: one line per module function, each calling
 * `\SgWhmcs\module_call()`. The list of functions comes only from the extension's
 * `\SgWhmcs\module_functions()`, so the file can never name a function the extension lacks.
 * When the extension is missing, or is another version than the one the file was generated for,
 * every function answers in its normal WHMCS shape with a message saying what to install; every
 * function catches every `\Throwable` and answers that shape too.
 *
 * The hooks file registers one EmailPreSend hook that offers the merge field `{$backup_pass_key}`
 * through `\SgWhmcs\email_merge_fields()`; without the extension (or with another version) it
 * adds nothing, so emails still go out.
 *
 * Used by `generate-module.php` (the command line) and by the test suite's WHMCS emulator.
 */

declare(strict_types=1);

namespace SgWhmcs\Generator;

final class ModuleGenerator
{
    /** A WHMCS module name: lowercase letters and digits, starting with a letter. */
    public const NAME_PATTERN = '/^[a-z][a-z0-9]*$/';

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
     * The source of module NAME's Usage Billing class for extension VERSION.
     *
     * @throws GeneratorError when NAME is not a module name
     */
    public static function renderProvider(string $name, string $version): string
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
        if (!function_exists('SgWhmcs\module_functions') || !function_exists('SgWhmcs\version')) {
            throw new GeneratorError(
                'the sgwhmcs extension is not loaded; run the generator as '
                . '"php -d extension=/path/to/libsgwhmcs.so php/generate-module.php NAME WHMCS_DIR" '
                . '(build the extension with "cargo build --release -p sgwhmcs"; it is '
                . 'target/release/libsgwhmcs.so)'
            );
        }
        $version = \SgWhmcs\version();
        $path = self::modulePath($whmcsDir, $name);
        $files = [
            $path => self::render($name, $version, \SgWhmcs\module_functions()),
            self::hooksPath($whmcsDir, $name) => self::renderHooks($name, $version),
            self::providerPath($whmcsDir, $name) => self::renderProvider($name, $version),
            self::jsonPath($whmcsDir, $name) => self::renderJson($name, $version, $supportUrl),
            self::logoPath($whmcsDir, $name) => self::readInput(self::LOGO),
        ];
        foreach (self::CLIENT_AREA_FILES as $target => $source) {
            $files[dirname($path) . '/' . $target] = self::readInput($source);
        }
        self::writeAll($files);
        return $path;
    }

    /**
     * The source of the module file of NAME for extension VERSION and FUNCTIONS (name => kind).
     *
     * @param array<mixed> $functions
     * @throws GeneratorError when NAME or FUNCTIONS cannot be generated
     */
    public static function render(string $name, string $version, array $functions): string
    {
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
        ]);
    }

    /**
     * The source of the hooks file of module NAME for extension VERSION.
     *
     * @throws GeneratorError when NAME is not a module name
     */
    public static function renderHooks(string $name, string $version): string
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
            if (!@rename($temporary, $path)) {
                $discard();
                throw new GeneratorError(sprintf('cannot write "%s"', $path));
            }
            unset($staged[$path]);
        }
    }
}
