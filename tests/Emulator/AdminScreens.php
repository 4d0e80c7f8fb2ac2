<?php

/**
 * The admin's screens around a server module, as WHMCS 8 runs them:
 *
 * - Clients › Products/Services (the service page): `<module>_AdminServicesTabFields($params)`
 *   with the service's params; its `[label => html]` rows are printed as they are, unescaped
 *   (https://developers.whmcs.com/provisioning-modules/admin-area/ "Admin Services Tab": "return
 *   an array of field names and values to display", output as HTML). Anything but an array of
 *   strings shows nothing: here it is an error, so a module that answers one is caught.
 * - Its buttons: `<module>_AdminCustomButtonArray()` gives `[label => suffix]`; a button runs
 *   `<module>_<suffix>($params)` (sample module: provisioningmodule_AdminCustomButtonArray() takes
 *   no argument; https://developers.whmcs.com/provisioning-modules/custom-functions/). Only a
 *   listed suffix can be run; "success" shows "Module Command Success", anything else
 *   "Module Command Error" with the text.
 * - Module Settings of a product: a field declaring `'Loader' => '<function>'` is filled by calling
 *   that function when the tab renders in **Simple Mode** and when the admin presses the field's
 *   refresh button ("These fields will be populated with the return values of the associated loader
 *   function when simple mode is used", https://developers.whmcs.com/provisioning-modules/loader-functions/;
 *   Simple Mode shows only the fields marked `SimpleMode`,
 *   https://developers.whmcs.com/provisioning-modules/simple-mode/): a field without `SimpleMode`
 *   is never loaded. The Loader gets the params of the product's server (the first of its group:
 *   serverid and the server fields, as the crons pass them) and returns `[value => label]`; a
 *   THROWN exception's message is what the admin sees, under a plain text box. A loader that
 *   returns anything but an array, or a function the module file lacks, fails.
 * - The loaded field is a drop-down with exactly the Loader's entries, **no empty option** of
 *   WHMCS's own: the stored value is preselected when it is one of them, else the FIRST entry, and
 *   saving the wizard saves what is selected (observed in WHMCS 8.12, not documented; modelled
 *   strict; a `<select>` without a selected option submits its first). So a Loader must put the
 *   "none" choice first or an untouched product saves its first entry.
 * - The service page also calls the provider's `metrics()` (UsageBilling::servicePage(): observed
 *   in WHMCS 8.12, uncaught, so a provider that throws breaks the page).
 * - Setup › Servers: `<module>_AdminLink($params)` with the server's params, printed as HTML
 *   (https://developers.whmcs.com/provisioning-modules/admin-area/ "Admin Link").
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class AdminScreens
{
    /** What the page showed after the last button. */
    public string $shown = '';

    public function __construct(private Whmcs $whmcs, private Store $store, private ParamsBuilder $params)
    {
    }

    /**
     * The service page's module tab of SERVICE: label => HTML.
     *
     * @return array<string, string>
     */
    public function serviceTab(int $serviceId): array
    {
        // The page shows the usage table first: metrics() of the service's provider, uncaught.
        $this->whmcs->usageBilling()->servicePage($serviceId);
        $fields = $this->whmcs->call('AdminServicesTabFields', $this->params->forService($serviceId));
        if (!is_array($fields)) {
            throw new \UnexpectedValueException('AdminServicesTabFields returned ' . get_debug_type($fields));
        }
        foreach ($fields as $label => $html) {
            if (!is_string($label) || !is_string($html)) {
                throw new \UnexpectedValueException('AdminServicesTabFields returned a row that is not label => html');
            }
        }
        return $fields;
    }

    /**
     * The buttons of the service page: label => suffix.
     *
     * @return array<string, string>
     */
    public function buttons(): array
    {
        $buttons = $this->whmcs->call('AdminCustomButtonArray');
        if (!is_array($buttons)) {
            throw new \UnexpectedValueException('AdminCustomButtonArray returned ' . get_debug_type($buttons));
        }
        foreach ($buttons as $label => $suffix) {
            if (!is_string($label) || !is_string($suffix) || !function_exists($this->whmcs->module . '_' . $suffix)) {
                throw new \UnexpectedValueException("the button $label names no function of the module");
            }
        }
        return $buttons;
    }

    /** The admin presses button LABEL on SERVICE; answers what the module returned. */
    public function press(int $serviceId, string $label): string
    {
        $buttons = $this->buttons();
        if (!isset($buttons[$label])) {
            throw new \LogicException("the service page has no button \"$label\"");
        }
        $result = $this->whmcs->call($buttons[$label], $this->params->forService($serviceId));
        if (!is_string($result)) {
            throw new \UnexpectedValueException($buttons[$label] . ' returned ' . get_debug_type($result));
        }
        $this->shown = $result === 'success' ? 'Module Command Success' : 'Module Command Error: ' . $result;
        return $result;
    }

    /**
     * Module Settings of PRODUCT renders (or the admin presses refresh on) the field LABEL:
     * its Loader is called. Answers ['options' => value => label] or ['error' => the message].
     *
     * @return array{options?: array<string, string>, error?: string}
     */
    public function load(int $productId, string $label): array
    {
        $field = $this->whmcs->configOptions()[$label] ?? null;
        if (!is_array($field) || !isset($field['Loader']) || !is_string($field['Loader'])) {
            throw new \LogicException("the field \"$label\" has no Loader");
        }
        if (($field['SimpleMode'] ?? false) !== true) {
            throw new \LogicException("the field \"$label\" is not shown in Simple Mode, where alone a Loader runs");
        }
        if (!function_exists($field['Loader'])) {
            throw new \UnexpectedValueException('the Loader ' . $field['Loader'] . ' is not defined');
        }
        $product = $this->store->product($productId);
        $serverId = (int) ($product['servers'][0] ?? 0);
        $params = $serverId > 0
            ? ['serverid' => $serverId] + Html::decode($this->params->serverFields($this->store->server($serverId)))
            : [];
        try {
            $options = $this->whmcs->call(substr($field['Loader'], strlen($this->whmcs->module) + 1), $params);
        } catch (\Exception $e) {
            return ['error' => $e->getMessage()];
        }
        if (!is_array($options)) {
            throw new \UnexpectedValueException('the Loader returned ' . get_debug_type($options));
        }
        return ['options' => array_map('strval', $options)];
    }

    /**
     * The product wizard (Module Settings in Simple Mode) of PRODUCT is saved with the admin's
     * CHOSEN values (label => value); every other Simple Mode field keeps what it shows. A Loader
     * field shows the Loader's drop-down (its stored value selected when offered, else the first
     * entry) or, when the Loader threw, a text box with the stored value. Answers the saved values
     * of the Simple Mode fields by label.
     *
     * @param array<string, string> $chosen
     * @return array<string, string>
     */
    public function saveSimpleMode(int $productId, array $chosen = []): array
    {
        $product = $this->store->product($productId);
        $saved = [];
        $position = 0;
        foreach ($this->whmcs->configOptions() as $label => $field) {
            $position++;
            if (!is_array($field) || ($field['SimpleMode'] ?? false) !== true) {
                continue;
            }
            $stored = Html::decode((string) $product['configoption' . $position]);
            $value = $chosen[$label] ?? $stored;
            if (isset($field['Loader'])) {
                $options = $this->load($productId, (string) $label)['options'] ?? null;
                if ($options !== null) {
                    $keys = array_map('strval', array_keys($options));
                    if (isset($chosen[$label]) && !in_array($chosen[$label], $keys, true)) {
                        throw new \LogicException("the drop-down \"$label\" offers no \"{$chosen[$label]}\"");
                    }
                    $value = in_array($value, $keys, true) ? $value : ($keys[0] ?? '');
                }
            }
            $saved[(string) $label] = $value;
        }
        $this->whmcs->configureProduct($productId, $saved);
        return $saved;
    }

    /** Setup › Servers: the module's link for SERVER (HTML). */
    public function adminLink(int $serverId): string
    {
        $server = $this->store->server($serverId);
        $params = ['serverid' => $serverId] + Html::decode($this->params->serverFields($server));
        $html = $this->whmcs->call('AdminLink', $params);
        if (!is_string($html)) {
            throw new \UnexpectedValueException('AdminLink returned ' . get_debug_type($html));
        }
        return $html;
    }
}
