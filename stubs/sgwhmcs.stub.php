<?php

// Stubs for sgwhmcs

namespace SgWhmcs {
    /**
     * The `ClientEdit` hook of module `$module` (the generated `hooks.php`): the saved client's
     * contact goes to the account of each of its services of that module, when it differs. Bounded
     * by the INI timeouts; never throws; failures go to the Activity Log. Answers what happened.
     *
     * @param string $module
     * @param array $vars
     * @return string
     */
    function contact_sync(string $module, array $vars): string {}

    /**
     * The merge fields `EmailPreSend` should add for `$vars` (`{$backup_pass_key}` on emails about
     * a service of module `$module`); an empty array otherwise. Never throws.
     *
     * @param string $module
     * @param array $vars
     * @return array
     */
    function email_merge_fields(string $module, array $vars): array {}

    /**
     * Runs the signup hook `SGSignup<Kind>` (`$kind` is `reseller` or `customer`, any case; another
     * kind is refused) for a `ClientAdd` or `AcceptOrder` hook's `$vars`, with the hooks file's
     * `$config`. Never throws: failures go to `whmcs_error.log` and the Activity Log. Answers what
     * happened, in one line.
     *
     * @param string $kind
     * @param array $vars
     * @param array $config
     * @return string
     */
    function hook_signup(string $kind, array $vars, array $config): string {}

    /**
     * The usage update of module `$module`'s products that carry their own connection fields (no
     * WHMCS server stands for them, so WHMCS's UsageUpdate never reaches them), for its
     * `DailyCronJob` hook. Answers one line per Backup Server; never throws.
     *
     * @param string $module
     * @return array
     */
    function hook_usage_update(string $module): array {}

    /**
     * Usage Billing for the generated `MetricProvider` class of module `$module`: `$what` is
     * `metrics`, `usage` (every tenant of the server in `$params`) or `tenant` (`$tenant` only).
     * Answers `['metrics' => [...], 'usage' => [...], 'error' => '']` of plain values (see
     * `sgwhmcs_core::functions::metrics`); never throws.
     *
     * @param string $module
     * @param string $what
     * @param array $params
     * @param string $tenant
     * @return array
     */
    function metric_call(string $module, string $what, array $params, string $tenant): array {}

    /**
     * Runs module function `$function` of module `$module` with WHMCS's `$params`; never throws.
     * Answers what WHMCS expects of that function: an array for `MetaData`, `ConfigOptions` and
     * `TestConnection`, a string (`"success"` or the error) for the others, so it is `mixed`.
     *
     * @param string $module
     * @param string $function
     * @param array $params
     * @return mixed
     */
    function module_call(string $module, string $function, array $params): mixed {}

    /**
     * The module functions the extension implements, each with its return shape
     * (`meta`, `options`, `status`, `result`, `page`, `names`), in declaration order.
     *
     * @return array
     */
    function module_functions(): array {}

    /**
     * The module interface of the loaded extension: a generated module runs when it equals the
     * number the module was generated for (see `docs/extension-api.md`); 0 when it cannot be told.
     *
     * @return int
     */
    function module_interface(): int {}

    /**
     * The version of the loaded extension.
     *
     * @return string
     */
    function version(): string {}
}
