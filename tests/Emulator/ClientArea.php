<?php

/**
 * WHMCS's client area for a module's service, as strict as WHMCS:
 *
 * - clientarea.php?action=productdetails&id=SERVICE loads the service only when it belongs to the
 *   logged-in client; another client's id shows no module output and runs no module function;
 * - `<module>_ClientArea($params)` answers `['templatefile' => NAME, 'vars' => [...]]`; NAME.tpl
 *   is looked up beside the module file (or in its templates/ folder) and rendered with Smarty
 *   3.1 (the series WHMCS 8 uses), with the module's $params, the returned vars, $LANG and the
 *   session's CSRF $token assigned. A template that is not there is an error, not an empty page
 *   (developers.whmcs.com/provisioning-modules/client-area-output);
 * - a custom function (modop=custom&a=NAME) runs only when NAME is listed by
 *   `<module>_ClientAreaAllowedFunctions()` or is a value of
 *   `<module>_ClientAreaCustomButtonArray()`, only for the logged-in client's own service, and
 *   only with the session's token on a POST (developers.whmcs.com/provisioning-modules/
 *   custom-functions; WHMCS checks the CSRF token of client-area forms). Its answer is shown
 *   like ClientArea's ("Custom Pages" on the client-area-output page);
 * - module language files: modules/servers/<module>/lang/<language>.php fills $_LANG, which WHMCS
 *   merges into the template's $LANG (falls back to english.php); WHMCS's own cPanel module uses
 *   it the same way ({$LANG.cPanel.…}).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ClientArea
{
    /** Where Debian's smarty3 package puts Smarty 3.1. */
    public const SMARTY = '/usr/share/php/smarty3/Smarty.class.php';

    /** The CSRF token of the emulated client's session. */
    public const TOKEN = 'emulated-session-token-5f2c';

    /** @var list<string> module functions the client area ran, in order */
    public array $ran = [];

    public function __construct(private readonly Whmcs $whmcs, private readonly string $rootDir)
    {
    }

    /**
     * The product details page of SERVICE as logged-in client CLIENT sees it: the module's answer
     * and its rendered HTML.
     *
     * @return array{templatefile: string, vars: array<string, mixed>, html: string}
     * @throws ClientAreaDenied when SERVICE is not CLIENT's (WHMCS redirects to the services list)
     */
    public function productDetails(int $clientId, int $serviceId, string $language = 'english'): array
    {
        $params = $this->ownService($clientId, $serviceId);
        $this->whmcs->usageBilling()->servicePage($serviceId); // usage billing: the page calls metrics()
        return $this->show($this->run('ClientArea', $params), $params, $language);
    }

    /**
     * CLIENT posts the form of custom function ACTION for SERVICE with TOKEN.
     *
     * @return array{templatefile: string, vars: array<string, mixed>, html: string}
     * @throws ClientAreaDenied when WHMCS would refuse it (not the client's service, not an
     *         allowed function, a wrong or missing token)
     */
    public function customAction(
        int $clientId,
        int $serviceId,
        string $action,
        ?string $token = self::TOKEN,
        string $language = 'english'
    ): array {
        $params = $this->ownService($clientId, $serviceId);
        if ($token !== self::TOKEN) {
            throw new ClientAreaDenied('Invalid CSRF token');
        }
        if (!in_array($action, $this->allowedFunctions(), true)) {
            throw new ClientAreaDenied("$action is not a client area function of the module");
        }
        return $this->show($this->run($action, $params), $params, $language);
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
     * Renders template NAME of the module with VARS the way the product details page does.
     *
     * @param array<string, mixed> $vars
     */
    public function render(string $templateFile, array $vars, string $language = 'english'): string
    {
        if (!is_file(self::SMARTY)) {
            throw new \RuntimeException('Smarty 3.1 is missing: apt-get install smarty3 (make deps)');
        }
        require_once self::SMARTY;
        $moduleDir = $this->rootDir . '/modules/servers/' . $this->whmcs->module;
        $path = null;
        foreach (["$moduleDir/$templateFile.tpl", "$moduleDir/templates/$templateFile.tpl"] as $candidate) {
            if (is_file($candidate)) {
                $path = $candidate;
                break;
            }
        }
        if ($path === null) {
            throw new \RuntimeException("the module's template $templateFile.tpl does not exist in $moduleDir");
        }
        $smarty = new \Smarty();
        $compiled = sys_get_temp_dir() . '/sgwhmcs-smarty-' . getmypid();
        $smarty->setCompileDir($compiled);
        $smarty->setCacheDir($compiled);
        $smarty->error_reporting = E_ALL & ~E_NOTICE & ~E_DEPRECATED;
        foreach ($vars as $name => $value) {
            $smarty->assign((string) $name, $value);
        }
        $smarty->assign('LANG', self::language($moduleDir, $language));
        $smarty->assign('token', self::TOKEN);
        // Debian's Smarty 3.1 predates PHP 8.2's dynamic-property deprecation: silence only that.
        $level = error_reporting(error_reporting() & ~E_DEPRECATED);
        try {
            return $smarty->fetch($path);
        } finally {
            error_reporting($level);
        }
    }

    /**
     * The module's language strings for LANGUAGE ($_LANG of lang/LANGUAGE.php, else english.php).
     *
     * @return array<string, mixed>
     */
    private static function language(string $moduleDir, string $language): array
    {
        $file = "$moduleDir/lang/$language.php";
        if (!is_file($file)) {
            $file = "$moduleDir/lang/english.php";
        }
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

    /**
     * The page for a module answer: a template answer rendered; anything else is not one.
     *
     * @param array<string, mixed> $params
     * @return array{templatefile: string, vars: array<string, mixed>, html: string}
     */
    private function show(mixed $answer, array $params, string $language): array
    {
        if (!is_array($answer) || !is_string($answer['templatefile'] ?? null)) {
            throw new \LogicException('the module answered no templatefile: ' . var_export($answer, true));
        }
        $vars = is_array($answer['vars'] ?? null) ? $answer['vars'] : [];
        $assigned = array_filter($params, fn ($v): bool => !is_object($v)) + $vars;
        $assigned = array_replace($assigned, $vars);
        return [
            'templatefile' => $answer['templatefile'],
            'vars' => $vars,
            'html' => $this->render($answer['templatefile'], $assigned, $language),
        ];
    }
}
