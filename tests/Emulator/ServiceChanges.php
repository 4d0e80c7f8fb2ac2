<?php

/**
 * Changes to an existing service or client that call the module or its hooks, as WHMCS 8 runs them:
 *
 * - An upgrade/downgrade (product or configurable options) once its invoice is paid, or the admin's
 *   change saved with "Change Package": WHMCS first stores the new product / option values on the
 *   service, then calls `<module>_ChangePackage` with the service's params built from them (the new
 *   product's configoption1..24; configurable options keyed by the part of their name before `|`).
 *   A non-"success" answer is shown and logged, but the service KEEPS the new product and options:
 *   WHMCS has no rollback step (none is documented:
 *   https://developers.whmcs.com/provisioning-modules/supported-functions/ "ChangePackage";
 *   https://docs.whmcs.com/Upgrades: the product is updated once the invoice is paid,
 *   then the new package details go to the server module). The module must leave the account as it
 *   was on the server itself.
 * - A password change (admin edits the password and clicks Change Password, or the client area's
 *   change password): the new password is stored on the service first, then `<module>_ChangePassword`
 *   gets it as `$params['password']`; on failure the stored password stays the new one
 *   (https://developers.whmcs.com/api-reference/modulechangepw/).
 * - The client area's Change Password (the product page's "Change Password" tab, Active services
 *   of the logged-in client only): WHMCS stores the new password, calls `<module>_ChangePassword`,
 *   and on failure PUTS THE OLD STORED PASSWORD BACK and shows the client only its own generic
 *   failure text (`$LANG.serverchangepasswordfailed`), never the module's message, which goes to
 *   the Activity Log (observed in WHMCS 8.12, not documented; modelled strict).
 * - Each module command logs "Module <Command> Successful/Failed - Service ID: N" to the Activity Log,
 *   the failure with the module's error (the form of WHMCS's module-command entries; the exact
 *   wording is the emulator's).
 * - A client edit (Clients › Profile › Save, or UpdateClient): the fields are stored HTML-encoded as
 *   typed and the ClientEdit hook runs with `userid`, every client field (HTML-encoded) and
 *   `olddata`, the client's fields before the edit (https://developers.whmcs.com/hooks-reference/client/#clientedit).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ServiceChanges
{
    /** The client fields the admin's profile form (and UpdateClient) can change. */
    public const CLIENT_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city',
        'state', 'postcode', 'country', 'phonecc', 'phonenumber', 'tax_id', 'language', 'status', 'notes'];

    public function __construct(private Whmcs $whmcs, private Store $store, private ParamsBuilder $params)
    {
    }

    /** Moves SERVICE to product NEW_PRODUCT, then runs ChangePackage. */
    public function upgradeProduct(int $serviceId, int $newProductId): string
    {
        $this->store->service($serviceId);
        $product = $this->store->product($newProductId);
        if ($product['servertype'] !== $this->whmcs->module) {
            throw new \LogicException("product $newProductId does not use the module {$this->whmcs->module}");
        }
        $this->store->services[$serviceId]['packageid'] = $newProductId;
        $this->store->services[$serviceId]['server'] = (int) $this->store->services[$serviceId]['server'] > 0
            ? $this->store->services[$serviceId]['server']
            : ($product['servers'][0] ?? 0);
        $this->store->services[$serviceId]['configoptions'] = array_merge(
            $product['configurableoptions'],
            array_intersect_key(
                $this->store->services[$serviceId]['configoptions'],
                $product['configurableoptions']
            )
        );
        return $this->command($serviceId, 'ChangePackage', 'Change Package');
    }

    /**
     * Sets configurable options of SERVICE (CHOICES: option name, full or the part before `|`,
     * => value), then runs ChangePackage. An option the product does not have is refused.
     *
     * @param array<string, string|int> $choices
     */
    public function changeConfigurableOptions(int $serviceId, array $choices): string
    {
        $service = $this->store->service($serviceId);
        $options = $service['configoptions'];
        foreach ($choices as $name => $value) {
            $full = null;
            foreach (array_keys($options) as $option) {
                if ($option === $name || trim(explode('|', (string) $option, 2)[0]) === $name) {
                    $full = $option;
                }
            }
            if ($full === null) {
                throw new \InvalidArgumentException(
                    "the product of service $serviceId has no configurable option $name"
                );
            }
            $options[$full] = (string) Html::encode((string) $value);
        }
        $this->store->services[$serviceId]['configoptions'] = $options;
        return $this->command($serviceId, 'ChangePackage', 'Change Package');
    }

    /** Stores PASSWORD (as typed: HTML-encoded) on SERVICE, then runs ChangePassword. */
    public function changePassword(int $serviceId, string $password): string
    {
        $this->store->service($serviceId);
        Evidence::addSecret($password);
        $this->store->services[$serviceId]['password'] = (string) Html::encode($password);
        return $this->command($serviceId, 'ChangePassword', 'Change Password');
    }

    /** What the client sees after a failed client-area password change (WHMCS's own words). */
    public const CLIENT_PASSWORD_FAILED = 'Password Change Failed!';

    /** What the client sees after a successful one. */
    public const CLIENT_PASSWORD_CHANGED = 'Password Changed Successfully!';

    /**
     * The logged-in CLIENT changes the password of SERVICE in the client area: stored, then
     * ChangePassword; on failure the old stored password is put back. Answers what the client
     * sees: WHMCS's own success or failure words only.
     *
     * @throws ClientAreaDenied when SERVICE is not CLIENT's or not Active (WHMCS offers no form)
     */
    public function clientChangePassword(int $clientId, int $serviceId, string $password): string
    {
        $service = $this->store->services[$serviceId] ?? null;
        if ($service === null || (int) $service['userid'] !== $clientId) {
            throw new ClientAreaDenied("service $serviceId is not a service of client $clientId");
        }
        if ($service['domainstatus'] !== 'Active') {
            throw new ClientAreaDenied("service $serviceId is {$service['domainstatus']}: no Change Password form");
        }
        $old = $service['password'];
        $result = $this->changePassword($serviceId, $password);
        if ($result === 'success') {
            return self::CLIENT_PASSWORD_CHANGED;
        }
        $this->store->services[$serviceId]['password'] = $old;
        return self::CLIENT_PASSWORD_FAILED;
    }

    /**
     * Saves CHANGES (field => value, as typed) on CLIENT and runs ClientEdit.
     *
     * @param array<string, string> $changes
     */
    public function editClient(int $clientId, array $changes): void
    {
        $old = $this->store->client($clientId);
        foreach (array_keys($changes) as $field) {
            if (!in_array($field, self::CLIENT_FIELDS, true)) {
                throw new \InvalidArgumentException("the client profile has no field $field");
            }
        }
        $client = array_merge($old, Html::encode(array_map('strval', $changes)));
        $this->store->clients[$clientId] = $client;
        $fields = fn (array $row): array => array_intersect_key(
            $row + array_fill_keys(self::CLIENT_FIELDS, ''),
            array_flip(self::CLIENT_FIELDS)
        );
        $this->whmcs->runHooks('ClientEdit', ['userid' => $clientId] + $fields($client) + ['olddata' => $fields($old)]);
    }

    private function command(int $serviceId, string $function, string $label): string
    {
        $result = $this->whmcs->call($function, $this->params->forService($serviceId));
        if (!is_string($result)) {
            throw new \UnexpectedValueException("$function returned " . get_debug_type($result) . ', not a string');
        }
        $clientId = (int) $this->store->service($serviceId)['userid'];
        $this->whmcs->recordActivity(
            $result === 'success'
                ? "Module $label Successful - Service ID: $serviceId"
                : "Module $label Failed - Service ID: $serviceId - Error: $result",
            $clientId
        );
        return $result;
    }
}
