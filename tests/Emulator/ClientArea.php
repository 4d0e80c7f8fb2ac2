<?php

/**
 * WHMCS's client area for a module's service, as strict as WHMCS 8.12:
 *
 * - clientarea.php?action=productdetails&id=SERVICE loads the service only when it belongs to the
 *   logged-in client; another client's id shows no module output and runs no module function;
 * - the product details page calls `<module>_ClientArea($params)` for a service in ANY status,
 *   but shows its output only for an Active service (observed in WHMCS 8.12, not documented;
 *   modelled strict);
 * - `ClientArea` answers `['templatefile' => NAME, 'vars' => [...]]`
 *   (developers.whmcs.com/provisioning-modules/client-area-output); NAME.tpl is looked up in
 *   WHMCS's order: `templates/<theme>/modules/servers/<m>/NAME.tpl`,
 *   `modules/servers/<m>/templates/<theme>/NAME.tpl`, `modules/servers/<m>/templates/NAME.tpl`,
 *   `modules/servers/<m>/NAME.tpl` (observed in WHMCS 8.12; the first two let a theme override
 *   a module's template). A template that is not there is an error, not an empty page;
 * - before Smarty (3.1, the series WHMCS 8 uses; it does NOT auto-escape) sees them, the module's
 *   params and its returned `vars` are HTML-decoded, `html_entity_decode(…, ENT_QUOTES)`
 *   recursively, for an APIVersion 1.1 module (observed in WHMCS 8.12, not documented; modelled
 *   strict): a module's own escaping is undone, only the template's `|escape` protects the page;
 * - `$LANG` holds WHMCS's own words only (tests/Emulator/lang/, standing in for WHMCS's lang/
 *   folder); a server module's lang/ folder is NEVER read (only addon modules get
 *   `$_ADDONLANG`): a module shows its own words by passing them as a variable, as PanelAlpha's
 *   public module does (panelalpha/panelalpha-for-whmcs, lib/Lang.php:
 *   `'MGLANG' => Lang::getLang()`, choosing `$_SESSION['Language'] ?? $CONFIG['Language']`). The
 *   request's `$_SESSION['Language']` (the client's choice) and `$CONFIG['Language']` (the
 *   default language) are set while the page runs;
 * - the module's output is placed inside `<div class="text-center module-client-area">`, as the
 *   public Twenty-One (WHMCS 8) and Nexus (WHMCS 9) themes do in clientareaproductdetails.tpl
 *   (tests/Emulator/templates/clientareaproductdetails.tpl);
 * - a custom function (modop=custom&a=NAME) runs only when NAME is listed by
 *   `<module>_ClientAreaAllowedFunctions()` or is a value of
 *   `<module>_ClientAreaCustomButtonArray()`, only for the logged-in client's own service, only
 *   with the session's token on a POST (developers.whmcs.com/provisioning-modules/
 *   custom-functions; WHMCS checks the CSRF token of client-area forms), and only for an Active
 *   service (observed; modelled strict). An ARRAY answer with `templatefile` is the whole page,
 *   its variables assigned as they are (no decode); a STRING answer is shown on the normal
 *   product page as `$modulecustombuttonresult` ("success" -> the `moduleactionsuccess` alert,
 *   anything else -> `moduleactionfailed` and the text, printed as answered), and that page
 *   calls ClientArea in the same request (Twenty-One's and Six's clientareaproductdetails.tpl,
 *   `{if $modulecustombuttonresult}`);
 * - each page is one PHP request: globals a module sets during it are gone afterwards.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ClientArea
{
    /** Where Debian's smarty3 package puts Smarty 3.1. */
    public const SMARTY = '/usr/share/php/smarty3/Smarty.class.php';

    /** The CSRF token of the emulated client's session. */
    public const TOKEN = 'emulated-session-token-5f2c';

    /** WHMCS's own language files: the only source of `$LANG`. */
    public const WHMCS_LANG = __DIR__ . '/lang';

    /** The emulated product details page around the module's output. */
    public const PRODUCT_PAGE = __DIR__ . '/templates/clientareaproductdetails.tpl';

    /** @var list<string> module functions the client area ran, in order */
    public array $ran = [];

    /** Setup › General Settings › Localisation › Default Language (`$CONFIG['Language']`). */
    public string $defaultLanguage = 'english';

    /** The client area's theme (Setup › General Settings › General › Template). */
    public string $theme = 'twenty-one';

    public function __construct(private readonly Whmcs $whmcs, private readonly string $rootDir)
    {
    }

    /**
     * The product details page of SERVICE as logged-in client CLIENT sees it, LANGUAGE being the
     * language the client chose in this session (null: none chosen).
     *
     * @return array{templatefile: string, vars: array<string, mixed>, html: string, result: ?string, output: string}
     *         the module's ClientArea answer (`vars` as the module answered them), and the page:
     *         the custom button's alert (`result`) and the module output in its wrapper (none for
     *         a service that is not Active); `output` is the module's rendered template alone,
     *         what a theme puts in its module area ('' when not shown)
     * @throws ClientAreaDenied when SERVICE is not CLIENT's (WHMCS redirects to the services list)
     */
    public function productDetails(int $clientId, int $serviceId, ?string $language = null): array
    {
        $params = $this->ownService($clientId, $serviceId);
        return $this->request($language, fn (): array => $this->productPage($params, null));
    }

    /**
     * CLIENT posts the form of custom function ACTION for SERVICE with TOKEN.
     *
     * @return array{templatefile: string, vars: array<string, mixed>, html: string, result: ?string}
     * @throws ClientAreaDenied when WHMCS would refuse it (not the client's service, not an
     *         allowed function, a wrong or missing token)
     */
    public function customAction(
        int $clientId,
        int $serviceId,
        string $action,
        ?string $token = self::TOKEN,
        ?string $language = null
    ): array {
        $params = $this->ownService($clientId, $serviceId);
        if ($token !== self::TOKEN) {
            throw new ClientAreaDenied('Invalid CSRF token');
        }
        if (!in_array($action, $this->allowedFunctions(), true)) {
            throw new ClientAreaDenied("$action is not a client area function of the module");
        }
        return $this->request($language, function () use ($action, $params): array {
            if (strcasecmp((string) ($params['status'] ?? ''), 'Active') !== 0) {
                return $this->productPage($params, null);
            }
            $answer = $this->run($action, $params);
            if (is_array($answer) && is_string($answer['templatefile'] ?? null)) {
                $vars = is_array($answer['vars'] ?? null) ? $answer['vars'] : [];
                return [
                    'templatefile' => $answer['templatefile'],
                    'vars' => $vars,
                    'html' => $this->render($answer['templatefile'], $this->assigned($params, $vars)),
                    'result' => null,
                    'output' => '',
                ];
            }
            if (!is_string($answer)) {
                throw new \LogicException("$action answered neither a template nor a string: "
                    . var_export($answer, true));
            }
            return $this->productPage($params, $answer);
        });
    }

    /**
     * The custom functions a client may call: ClientAreaAllowedFunctions() and the values of
     * ClientAreaCustomButtonArray(), when defined.
     *
     * @return list<string>
     */
    public function allowedFunctions(): array
    {
        $allowed = [];
        foreach (['ClientAreaAllowedFunctions', 'ClientAreaCustomButtonArray'] as $list) {
            $name = $this->whmcs->module . '_' . $list;
            if (function_exists($name)) {
                $answer = $name();
                if (!is_array($answer)) {
                    throw new \LogicException("$name() did not return an array");
                }
                $allowed = array_merge($allowed, array_map('strval', array_values($answer)));
            }
        }
        return $allowed;
    }

    /**
     * The path of the module's template NAME, in WHMCS's lookup order.
     *
     * @throws \RuntimeException when there is none (or NAME is not a template name)
     */
    public function templatePath(string $templateFile): string
    {
        $module = $this->whmcs->module;
        if (preg_match('~^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$~D', $templateFile) !== 1) {
            throw new \RuntimeException("the module's template name \"$templateFile\" is not a template name");
        }
        $moduleDir = $this->rootDir . '/modules/servers/' . $module;
        $candidates = [
            "{$this->rootDir}/templates/{$this->theme}/modules/servers/$module/$templateFile.tpl",
            "$moduleDir/templates/{$this->theme}/$templateFile.tpl",
            "$moduleDir/templates/$templateFile.tpl",
            "$moduleDir/$templateFile.tpl",
        ];
        foreach ($candidates as $candidate) {
            if (is_file($candidate)) {
                return $candidate;
            }
        }
        throw new \RuntimeException("the module's template $templateFile.tpl does not exist in $moduleDir");
    }

    /**
     * VALUE as WHMCS hands it to the template of an APIVersion 1.1 module: every string
     * `html_entity_decode(…, ENT_QUOTES)`, recursively.
     */
    public static function decode(mixed $value): mixed
    {
        if (is_array($value)) {
            return array_map([self::class, 'decode'], $value);
        }
        return is_string($value) ? html_entity_decode($value, ENT_QUOTES, 'UTF-8') : $value;
    }

    /**
     * Runs PAGE as one PHP request: the session's language and WHMCS's default language set,
     * and every global the request adds gone afterwards.
     *
     * @param callable(): array{templatefile: string, vars: array<string, mixed>, html: string, result: ?string} $page
     * @return array{templatefile: string, vars: array<string, mixed>, html: string, result: ?string}
     */
    private function request(?string $language, callable $page): array
    {
        $before = array_keys($GLOBALS);
        $session = $GLOBALS['_SESSION'] ?? null;
        $config = $GLOBALS['CONFIG'] ?? null;
        $GLOBALS['_SESSION'] = $language === null ? [] : ['Language' => $language];
        $GLOBALS['CONFIG'] = ['Language' => $this->defaultLanguage];
        try {
            return $page();
        } finally {
            foreach (array_diff(array_keys($GLOBALS), $before) as $added) {
                unset($GLOBALS[$added]);
            }
            foreach (['_SESSION' => $session, 'CONFIG' => $config] as $name => $old) {
                if ($old === null) {
                    unset($GLOBALS[$name]);
                } else {
                    $GLOBALS[$name] = $old;
                }
            }
        }
    }

    /**
     * The product details page: ClientArea always runs; its output is rendered and shown only for
     * an Active service, with RESULT (a custom function's string answer) as the alert above it.
     *
     * @param array<string, mixed> $params
     * @return array{templatefile: string, vars: array<string, mixed>, html: string, result: ?string}
     */
    private function productPage(array $params, ?string $result): array
    {
        // Usage billing: every product page calls the provider's metrics(), uncaught, whatever
        // the status (UsageBilling::servicePage()).
        $this->whmcs->usageBilling()->servicePage((int) $params['serviceid']);
        $answer = $this->run('ClientArea', $params);
        if (!is_array($answer) || !is_string($answer['templatefile'] ?? null)) {
            throw new \LogicException('the module answered no templatefile: ' . var_export($answer, true));
        }
        $vars = is_array($answer['vars'] ?? null) ? $answer['vars'] : [];
        $output = '';
        if (strcasecmp((string) ($params['status'] ?? ''), 'Active') === 0) {
            $output = $this->render($answer['templatefile'], self::decode($this->assigned($params, $vars)));
        }
        return [
            'templatefile' => $answer['templatefile'],
            'vars' => $vars,
            'html' => $this->fetch(self::PRODUCT_PAGE, [
                'modulecustombuttonresult' => $result ?? '',
                'moduleclientarea' => $output,
            ]),
            'result' => $result,
            'output' => $output,
        ];
    }

    /**
     * The variables a module template gets: the module's params (objects left out) and its vars.
     *
     * @param array<string, mixed> $params
     * @param array<string, mixed> $vars
     * @return array<string, mixed>
     */
    private function assigned(array $params, array $vars): array
    {
        return array_replace(array_filter($params, fn ($v): bool => !is_object($v)), $vars);
    }

    /**
     * Renders the module's template NAME with VARS (as given: the caller decodes or not).
     *
     * @param array<string, mixed> $vars
     */
    private function render(string $templateFile, array $vars): string
    {
        return $this->fetch($this->templatePath($templateFile), $vars);
    }

    /**
     * Renders the template at PATH with VARS, WHMCS's `$LANG` and the session's `$token`.
     *
     * @param array<string, mixed> $vars
     */
    private function fetch(string $path, array $vars): string
    {
        $smarty = $this->smarty();
        foreach ($vars as $name => $value) {
            $smarty->assign((string) $name, $value);
        }
        $smarty->assign('LANG', $this->whmcsWords());
        $smarty->assign('token', self::TOKEN);
        $smarty->assign('template', $this->theme);
        // Debian's Smarty 3.1 predates PHP 8.2's dynamic-property deprecation: silence only that.
        $level = error_reporting(error_reporting() & ~E_DEPRECATED);
        try {
            return $smarty->fetch($path);
        } finally {
            error_reporting($level);
        }
    }

    private function smarty(): \Smarty
    {
        if (!is_file(self::SMARTY)) {
            throw new \RuntimeException('Smarty 3.1 is missing: apt-get install smarty3 (make deps)');
        }
        require_once self::SMARTY;
        $smarty = new \Smarty();
        $compiled = sys_get_temp_dir() . '/sgwhmcs-smarty-' . getmypid();
        $smarty->setCompileDir($compiled);
        $smarty->setCacheDir($compiled);
        $smarty->error_reporting = E_ALL & ~E_NOTICE & ~E_DEPRECATED & ~E_WARNING;
        return $smarty;
    }

    /**
     * WHMCS's own words for the page's language: its english.php, then the language's file when
     * WHMCS has one. Never a module's lang/ folder.
     *
     * @return array<string, mixed>
     */
    private function whmcsWords(): array
    {
        $words = self::wordsOf(self::WHMCS_LANG . '/english.php');
        $language = $GLOBALS['_SESSION']['Language'] ?? $this->defaultLanguage;
        if (is_string($language) && preg_match('/^[a-z][a-z0-9_-]*$/D', $language) === 1 && $language !== 'english') {
            $words = array_replace($words, self::wordsOf(self::WHMCS_LANG . "/$language.php"));
        }
        return $words;
    }

    /** @return array<string, mixed> */
    private static function wordsOf(string $file): array
    {
        $_LANG = [];
        if (is_file($file)) {
            include $file;
        }
        return $_LANG;
    }

    /**
     * The params of SERVICE when it is CLIENT's.
     *
     * @return array<string, mixed>
     */
    private function ownService(int $clientId, int $serviceId): array
    {
        $service = $this->whmcs->store()->services[$serviceId] ?? null;
        if ($service === null || (int) $service['userid'] !== $clientId) {
            throw new ClientAreaDenied("service $serviceId is not a service of client $clientId");
        }
        return $this->whmcs->serviceParams($serviceId);
    }

    /**
     * Runs module function FUNCTION with PARAMS as the client area does.
     *
     * @param array<string, mixed> $params
     */
    private function run(string $function, array $params): mixed
    {
        $this->ran[] = $function;
        // Through Whmcs::call(), so the Module Log knows which call logged (and what it answered).
        return $this->whmcs->call($function, $params);
    }
}
