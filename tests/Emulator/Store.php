<?php

/**
 * The emulated WHMCS database: clients, products, servers, orders, services, client and
 * product custom fields (one definition per product, one value per service) and email
 * templates, in memory, shaped like the WHMCS tables they stand for (tblclients, tblproducts,
 * tblservers, tblorders, tblhosting, tblcustomfields / tblcustomfieldsvalues, tblemailtemplates).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Store
{
    /** @var array<int, array<string, mixed>> tblclients by id */
    public array $clients = [];

    /** @var array<int, array<string, mixed>> tblproducts by id (configoption1..24 inside) */
    public array $products = [];

    /** @var array<int, array<string, mixed>> tblservers by id */
    public array $servers = [];

    /** @var array<int, array<string, mixed>> tblorders by id (with the ids of its services) */
    public array $orders = [];

    /** @var array<int, array<string, mixed>> tblhosting by id */
    public array $services = [];

    /** @var array<int, array<string, mixed>> tblcustomfields rows by id (type, relid, fieldname, ...) */
    public array $customFields = [];

    /** @var array<int, array<int, string>> tblcustomfieldsvalues of client fields: client id => field id => value */
    public array $clientFieldValues = [];

    /**
     * @var array<int, array<int, string>> tblcustomfieldsvalues of product fields (tblcustomfields
     * type 'product', relid the product): service id => field id => value (relid the service)
     */
    public array $serviceFieldValues = [];

    /** @var array<int, array<string, mixed>> tblemailtemplates rows by id (type, name, subject, message, ...) */
    public array $emailTemplates = [];

    /** @var array<int, array<string, mixed>> tblusers by id: the logins a client belongs to */
    public array $users = [];

    /**
     * @var list<array{setting: string, value: string, created_at: ?string, updated_at: ?string}>
     * tblconfiguration rows: the General Settings the emulator reproduces, with the values a new
     * WHMCS 8 installation ships (yes/no settings are 'on' or ''): GenerateRandomUsername ("Enable
     * Random Usernames", off), ModuleDebugMode (the Module Log, off), ModuleHooks (the modules
     * whose hooks.php is loaded, rebuilt when a product is saved), UpdateStatsAuto (Automation
     * Settings › "Update Usage Statistics", on); and what modules store there.
     */
    public array $configuration = [
        ['setting' => 'GenerateRandomUsername', 'value' => '', 'created_at' => null, 'updated_at' => null],
        ['setting' => 'ModuleDebugMode', 'value' => '', 'created_at' => null, 'updated_at' => null],
        ['setting' => 'ModuleHooks', 'value' => '', 'created_at' => null, 'updated_at' => null],
        ['setting' => 'UpdateStatsAuto', 'value' => 'on', 'created_at' => null, 'updated_at' => null],
    ];

    /**
     * @var array<string, int> the last id given per table; users start elsewhere than clients
     * so that code confusing a user id with a client id fails in the tests
     */
    private array $lastIds = ['users' => 500];

    /** The value of tblconfiguration setting NAME, null when there is no such row. */
    public function setting(string $name): ?string
    {
        foreach ($this->configuration as $row) {
            if ($row['setting'] === $name) {
                return $row['value'];
            }
        }
        return null;
    }

    /** Sets tblconfiguration setting NAME to VALUE (a row is added when there is none). */
    public function setSetting(string $name, string $value): void
    {
        foreach ($this->configuration as $i => $row) {
            if ($row['setting'] === $name) {
                $this->configuration[$i]['value'] = $value;
                return;
            }
        }
        $this->configuration[] = ['setting' => $name, 'value' => $value, 'created_at' => null, 'updated_at' => null];
    }

    /** The next id of TABLE, like an auto-increment column. */
    public function nextId(string $table): int
    {
        $this->lastIds[$table] = ($this->lastIds[$table] ?? 0) + 1;
        return $this->lastIds[$table];
    }

    /** @return array<string, mixed> */
    public function client(int $id): array
    {
        return $this->clients[$id] ?? throw new \OutOfBoundsException("no client $id");
    }

    /** @return array<string, mixed> */
    public function product(int $id): array
    {
        return $this->products[$id] ?? throw new \OutOfBoundsException("no product $id");
    }

    /** @return array<string, mixed> */
    public function server(int $id): array
    {
        return $this->servers[$id] ?? throw new \OutOfBoundsException("no server $id");
    }

    /** @return array<string, mixed> */
    public function order(int $id): array
    {
        return $this->orders[$id] ?? throw new \OutOfBoundsException("no order $id");
    }

    /** @return array<string, mixed> */
    public function service(int $id): array
    {
        return $this->services[$id] ?? throw new \OutOfBoundsException("no service $id");
    }

    /**
     * The client custom fields (type 'client') in their display order (sortorder, then id):
     * id => fieldname.
     *
     * @return array<int, string>
     */
    public function clientFields(): array
    {
        $rows = array_filter($this->customFields, fn (array $row): bool => $row['type'] === 'client');
        uasort($rows, fn (array $a, array $b): int => [(int) ($a['sortorder'] ?? 0), $a['id']]
            <=> [(int) ($b['sortorder'] ?? 0), $b['id']]);
        return array_map(fn (array $row): string => (string) $row['fieldname'], $rows);
    }

    /** @return array<string, mixed> the email template NAME (the default language's) */
    public function emailTemplate(string $name): array
    {
        foreach ($this->emailTemplates as $template) {
            if ($template['name'] === $name && $template['language'] === '') {
                return $template;
            }
        }
        throw new \OutOfBoundsException("no email template \"$name\"");
    }

    /**
     * The custom fields of PRODUCT (type 'product', relid the product) in their display order
     * (sortorder, then id): id => fieldname, as stored.
     *
     * @return array<int, string>
     */
    public function productFields(int $productId): array
    {
        $rows = array_filter(
            $this->customFields,
            fn (array $row): bool => $row['type'] === 'product' && (int) $row['relid'] === $productId
        );
        uasort($rows, fn (array $a, array $b): int => [(int) ($a['sortorder'] ?? 0), $a['id']]
            <=> [(int) ($b['sortorder'] ?? 0), $b['id']]);
        return array_map(fn (array $row): string => (string) $row['fieldname'], $rows);
    }

    /** The id of the custom field named NAME of PRODUCT (the first one), or null. */
    public function productFieldId(int $productId, string $name): ?int
    {
        $id = array_search($name, $this->productFields($productId), true);
        return $id === false ? null : $id;
    }

    /**
     * The product custom field values of SERVICE as WHMCS shows them (a password field
     * decrypted), by field name as stored, in display order; '' for a field without a value.
     *
     * @return array<string, string>
     */
    public function serviceFields(int $serviceId): array
    {
        $values = [];
        foreach ($this->productFields((int) $this->service($serviceId)['packageid']) as $fieldId => $name) {
            $values[$name] ??= $this->serviceFieldShown($serviceId, $fieldId);
        }
        return $values;
    }

    /** The value of product custom field FIELD_ID for SERVICE as WHMCS shows it (decrypted). */
    public function serviceFieldShown(int $serviceId, int $fieldId): string
    {
        $raw = $this->serviceFieldValues[$serviceId][$fieldId] ?? '';
        return $this->isPasswordField($fieldId) && $raw !== '' ? Crypto::decrypt($raw) : $raw;
    }

    /** Stores VALUE (as WHMCS got it) in product custom field FIELD_ID of SERVICE: encrypted for a password field. */
    public function setServiceField(int $serviceId, int $fieldId, string $value): void
    {
        $this->serviceFieldValues[$serviceId][$fieldId] = $this->isPasswordField($fieldId) && $value !== ''
            ? Crypto::encrypt($value)
            : $value;
    }

    /** The value of SERVICE's product custom field NAME ('' when unset), as WHMCS shows it. */
    public function serviceFieldValue(int $serviceId, string $name): string
    {
        $fieldId = $this->productFieldId((int) $this->service($serviceId)['packageid'], $name);
        return $fieldId === null ? '' : $this->serviceFieldShown($serviceId, $fieldId);
    }

    /** Whether the custom field FIELD_ID is of type password (stored encrypted). */
    public function isPasswordField(int $fieldId): bool
    {
        return ($this->customFields[$fieldId]['fieldtype'] ?? '') === 'password';
    }

    /**
     * The value of client custom field FIELD_ID for CLIENT as WHMCS shows it: a password field
     * decrypted (its row holds ciphertext).
     */
    public function clientFieldShown(int $clientId, int $fieldId): string
    {
        $raw = $this->clientFieldValues[$clientId][$fieldId] ?? '';
        return $this->isPasswordField($fieldId) && $raw !== '' ? Crypto::decrypt($raw) : $raw;
    }

    /** Stores VALUE (as WHMCS got it) in client custom field FIELD_ID: encrypted for a password field. */
    public function setClientField(int $clientId, int $fieldId, string $value): void
    {
        $this->clientFieldValues[$clientId][$fieldId] = $this->isPasswordField($fieldId) && $value !== ''
            ? Crypto::encrypt($value)
            : $value;
    }

    /** The id of the client custom field named NAME, or null. */
    public function clientFieldId(string $name): ?int
    {
        $id = array_search($name, $this->clientFields(), true);
        return $id === false ? null : $id;
    }

    /**
     * The value of the client custom field NAME for CLIENT ('' when unset), as WHMCS shows it
     * (a password field decrypted); clientFieldValues holds the raw rows.
     */
    public function clientFieldValue(int $clientId, string $name): string
    {
        $fieldId = $this->clientFieldId($name);
        return $fieldId === null ? '' : $this->clientFieldShown($clientId, $fieldId);
    }
}
