<?php

/**
 * The emulated WHMCS internal API (`localAPI($command, $values)`) over the in-memory Store.
 *
 * Implements the commands a module may use: GetClientsDetails, UpdateClient (custom fields as
 * base64 of a serialized [fieldId => value]), GetOrders, UpdateClientProduct (its `customfields`
 * likewise, for the product custom fields of the service), GetClientsProducts.
 * Any other command answers like WHMCS: ['result' => 'error', 'message' => 'Command Not Found'].
 * A test may make a command fail (fail()).
 *
 * As in WHMCS 8, every input is HTML-encoded on the way in and stored that way, and results are
 * not decoded: a company "Smith & Sons" comes back as "Smith &amp; Sons". UpdateClient validates
 * every client custom field that is not admin-only (required, regex) unless `skipvalidation` is
 * truthy, with WHMCS's messages ("<field> is required", "<field> value is not valid";
 * WHMCS\Validate::validateCustomFields with the English lang strings clientareaerrorisrequired
 * and customfieldvalidationerror). A client custom field of type password is stored encrypted.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class LocalApi
{
    /** The error UpdateClient and UpdateClientProduct answer for `customfields` they cannot read. */
    private const INVALID_CUSTOM_FIELDS = 'Invalid customfields: not base64 of a serialized array';

    /** @var list<array{command: string, values: array<mixed>, answer: array<mixed>}> every call made */
    public array $calls = [];

    /** @var array<string, string> lowercased command => the error message it answers for now */
    private array $failing = [];

    /** What the next localAPI() call throws (as WHMCS does when its database fails), then heals. */
    public ?\Throwable $throwNext = null;

    public function __construct(private Store $store)
    {
    }

    /**
     * @param array<mixed> $values
     * @return array<mixed>
     */
    public function call(string $command, array $values): array
    {
        if ($this->throwNext !== null) {
            [$thrown, $this->throwNext] = [$this->throwNext, null];
            throw $thrown;
        }
        $failure = $this->failing[strtolower($command)] ?? null;
        $encoded = Html::encode($values);
        $answer = $failure !== null ? ['result' => 'error', 'message' => $failure] : match (strtolower($command)) {
            'getclientsdetails' => $this->getClientsDetails($encoded),
            'updateclient' => $this->updateClient($encoded),
            'getorders' => $this->getOrders($encoded),
            'updateclientproduct' => $this->updateClientProduct($encoded),
            'getclientsproducts' => $this->getClientsProducts($encoded),
            default => ['result' => 'error', 'message' => 'Command Not Found'],
        };
        $this->calls[] = ['command' => $command, 'values' => $values, 'answer' => $answer];
        return $answer;
    }

    /**
     * From now on COMMAND answers `['result' => 'error', 'message' => MESSAGE]` and changes
     * nothing (as when WHMCS refuses it, e.g. a database error); null MESSAGE heals it.
     */
    public function fail(string $command, ?string $message): void
    {
        if ($message === null) {
            unset($this->failing[strtolower($command)]);
        } else {
            $this->failing[strtolower($command)] = $message;
        }
    }

    /**
     * The client as GetClientsDetails returns it (the flat legacy keys; `client` repeats them),
     * with the stored (HTML-encoded) text; `state` is the state code; custom fields as WHMCS
     * shows them (a password field decrypted).
     *
     * @return array<string, mixed>
     */
    public function clientDetails(int $clientId): array
    {
        $client = $this->store->client($clientId);
        $details = [
            'userid' => $clientId,
            'id' => $clientId,
            'uuid' => $client['uuid'],
            'firstname' => $client['firstname'],
            'lastname' => $client['lastname'],
            'fullname' => trim($client['firstname'] . ' ' . $client['lastname']),
            'companyname' => $client['companyname'],
            'email' => $client['email'],
            'address1' => $client['address1'],
            'address2' => $client['address2'],
            'city' => $client['city'],
            'fullstate' => $client['state'],
            'state' => $client['state'],
            'postcode' => $client['postcode'],
            'countrycode' => $client['country'],
            'country' => $client['country'],
            'countryname' => $client['country'],
            'phonecc' => $client['phonecc'],
            'phonenumber' => $client['phonenumber'],
            'phonenumberformatted' => '+' . $client['phonecc'] . '.' . $client['phonenumber'],
            'telephoneNumber' => '+' . $client['phonecc'] . '.' . $client['phonenumber'],
            'billingcid' => 0,
            'notes' => '',
            'currency' => 1,
            'currency_code' => 'USD',
            'defaultgateway' => '',
            'groupid' => 0,
            'status' => $client['status'],
            'credit' => '0.00',
            'taxexempt' => false,
            'language' => $client['language'],
            'lastlogin' => 'No Login Logged',
        ];
        $list = [];
        $position = 0;
        foreach ($this->store->clientFields() as $fieldId => $name) {
            $position++;
            $value = $this->store->clientFieldShown($clientId, $fieldId);
            $details['customfields' . $position] = $value;
            $list[] = ['id' => $fieldId, 'value' => $value];
        }
        $details['customfields'] = $list;
        return $details;
    }

    /**
     * @param array<mixed> $values
     * @return array<mixed>
     */
    private function getClientsDetails(array $values): array
    {
        $clientId = (int) ($values['clientid'] ?? 0);
        if (!isset($this->store->clients[$clientId])) {
            return ['result' => 'error', 'message' => 'Client Not Found'];
        }
        $details = $this->clientDetails($clientId);
        return ['result' => 'success'] + $details + ['client' => $details];
    }

    /**
     * @param array<mixed> $values
     * @return array<mixed>
     */
    private function updateClient(array $values): array
    {
        $clientId = (int) ($values['clientid'] ?? 0);
        if (!isset($this->store->clients[$clientId])) {
            return ['result' => 'error', 'message' => 'Client ID Not Found'];
        }
        $editable = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city',
            'state', 'postcode', 'country', 'phonenumber', 'language', 'status'];
        $fields = self::customFields($values);
        if ($fields === null) {
            return ['result' => 'error', 'message' => self::INVALID_CUSTOM_FIELDS];
        }
        if (empty($values['skipvalidation'])) {
            $errors = $this->clientFieldErrors($fields);
            if ($errors !== []) {
                return ['result' => 'error', 'message' => implode(', ', $errors)];
            }
        }
        foreach ($editable as $key) {
            if (array_key_exists($key, $values)) {
                $this->store->clients[$clientId][$key] = (string) $values[$key];
            }
        }
        $known = $this->store->clientFields();
        foreach ($fields as $fieldId => $value) {
            if (isset($known[(int) $fieldId])) {
                $this->store->setClientField($clientId, (int) $fieldId, (string) $value);
            }
        }
        return ['result' => 'success', 'clientid' => $clientId];
    }

    /**
     * What WHMCS\Validate::validateCustomFields('client', ...) finds wrong with GIVEN (the
     * request's custom fields, by field id or name): every client field that is not admin-only,
     * in display order; a required one must be given and not blank, one with a regex must match
     * it when given. A field not in the request counts as not given, whatever the client has.
     *
     * @param array<mixed> $given
     * @return list<string> the messages
     */
    public function clientFieldErrors(array $given): array
    {
        $errors = [];
        foreach (array_keys($this->store->clientFields()) as $fieldId) {
            $field = $this->store->customFields[$fieldId];
            if ((string) ($field['adminonly'] ?? '') !== '') {
                continue;
            }
            $name = (string) $field['fieldname'];
            if (strpos($name, '|') !== false) {
                $name = trim(explode('|', $name, 2)[1]);
            }
            $value = $given[$name] ?? $given[$fieldId] ?? null;
            $text = trim((string) $value);
            $required = (string) ($field['required'] ?? '') !== '';
            if ($required && ($text === '' || $text === '0')) {
                $errors[] = "$name is required";
                continue;
            }
            $regex = (string) ($field['regexpr'] ?? '');
            if ($regex !== '' && $value !== null && (string) $value !== '' && (string) $value !== '0') {
                if (@preg_match($regex, (string) $value) !== 1) {
                    $errors[] = "$name value is not valid";
                }
            }
        }
        return $errors;
    }

    /**
     * @param array<mixed> $values
     * @return array<mixed>
     */
    private function getOrders(array $values): array
    {
        $orders = [];
        foreach ($this->store->orders as $id => $order) {
            if (isset($values['id']) && (int) $values['id'] !== $id) {
                continue;
            }
            if (isset($values['userid']) && (int) $values['userid'] !== $order['userid']) {
                continue;
            }
            if (isset($values['status']) && $values['status'] !== $order['status']) {
                continue;
            }
            $lineItems = [];
            foreach ($order['services'] as $serviceId) {
                $service = $this->store->service($serviceId);
                $product = $this->store->product($service['packageid']);
                $lineItems[] = [
                    'type' => 'product',
                    'relid' => $serviceId,
                    'producttype' => 'Other',
                    'product' => $product['name'],
                    'domain' => $service['domain'],
                    'billingcycle' => 'Monthly',
                    'amount' => '0.00',
                    'status' => $service['domainstatus'],
                ];
            }
            $orders[] = [
                'id' => $id,
                'ordernum' => $order['ordernum'],
                'userid' => $order['userid'],
                'date' => $order['date'],
                'status' => $order['status'],
                'lineitems' => ['lineitem' => $lineItems],
            ];
        }
        return [
            'result' => 'success',
            'totalresults' => count($orders),
            'startnumber' => 0,
            'numreturned' => count($orders),
            'orders' => ['order' => $orders],
        ];
    }

    /**
     * @param array<mixed> $values
     * @return array<mixed>
     */
    private function updateClientProduct(array $values): array
    {
        $serviceId = (int) ($values['serviceid'] ?? 0);
        if (!isset($this->store->services[$serviceId])) {
            return ['result' => 'error', 'message' => 'Service ID Not Found'];
        }
        $columns = [
            'serviceusername' => 'username',
            'servicepassword' => 'password',
            'domain' => 'domain',
            'status' => 'domainstatus',
            'serverid' => 'server',
            'diskusage' => 'diskusage',
            'disklimit' => 'disklimit',
        ];
        // As for UpdateClient: base64 of a serialized [field id => value]; only the custom fields of
        // the service's product are saved (others are ignored), a password field encrypted.
        // https://developers.whmcs.com/api-reference/updateclientproduct/
        $fields = self::customFields($values);
        if ($fields === null) {
            return ['result' => 'error', 'message' => self::INVALID_CUSTOM_FIELDS];
        }
        foreach ($columns as $key => $column) {
            if (array_key_exists($key, $values)) {
                $value = $values[$key];
                $this->store->services[$serviceId][$column] = $column === 'server' ? (int) $value : (string) $value;
            }
        }
        $known = $this->store->productFields((int) $this->store->services[$serviceId]['packageid']);
        foreach ($fields as $fieldId => $value) {
            if (isset($known[(int) $fieldId]) && is_scalar($value)) {
                $this->store->setServiceField($serviceId, (int) $fieldId, (string) $value);
            }
        }
        return ['result' => 'success', 'serviceid' => $serviceId];
    }

    /**
     * @param array<mixed> $values
     * @return array<mixed>
     */
    private function getClientsProducts(array $values): array
    {
        $products = [];
        foreach ($this->store->services as $id => $service) {
            if (isset($values['serviceid']) && (int) $values['serviceid'] !== $id) {
                continue;
            }
            if (isset($values['clientid']) && (int) $values['clientid'] !== $service['userid']) {
                continue;
            }
            $products[] = [
                'id' => $id,
                'clientid' => $service['userid'],
                'pid' => $service['packageid'],
                'serverid' => $service['server'],
                'name' => $this->store->product($service['packageid'])['name'],
                'domain' => $service['domain'],
                'username' => $service['username'],
                'password' => $service['password'],
                'status' => $service['domainstatus'],
            ];
        }
        return [
            'result' => 'success',
            'totalresults' => count($products),
            'numreturned' => count($products),
            'products' => ['product' => $products],
        ];
    }

    /**
     * The `customfields` of an UpdateClient or UpdateClientProduct call, base64 of a serialized
     * [field id => value]: [] when absent, null when it is not that.
     *
     * @param array<string, mixed> $values
     * @return array<mixed>|null
     */
    private static function customFields(array $values): ?array
    {
        if (!array_key_exists('customfields', $values)) {
            return [];
        }
        $decoded = base64_decode((string) $values['customfields'], true);
        $fields = $decoded === false ? false : @unserialize($decoded, ['allowed_classes' => false]);
        return is_array($fields) ? $fields : null;
    }
}
