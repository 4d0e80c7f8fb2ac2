<?php

/**
 * The WHMCS tables the emulated `Capsule` query builder can reach, as rows over the Store:
 * tblcustomfields, tblcustomfieldsvalues (client fields), tblhosting, tblclients, tblproducts,
 * tblservers (without the encrypted password). Any other table fails like a missing SQL table.
 * Every query is recorded for tests.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Database
{
    /** @var list<array{table: string, operation: string, wheres: list<array{string, string, mixed}>}> */
    public array $queries = [];

    public function __construct(private Store $store)
    {
    }

    /** @param list<array{string, string, mixed}> $wheres */
    public function record(string $table, string $operation, array $wheres): void
    {
        $this->queries[] = ['table' => $table, 'operation' => $operation, 'wheres' => $wheres];
    }

    /**
     * The rows of TABLE, each under a key that update() and delete() take back.
     *
     * @return array<int|string, array<string, mixed>>
     */
    public function rows(string $table): array
    {
        switch ($table) {
            case 'tblcustomfields':
                return $this->store->customFields;
            case 'tblcustomfieldsvalues':
                $rows = [];
                foreach ($this->store->clientFieldValues as $clientId => $values) {
                    foreach ($values as $fieldId => $value) {
                        $rows["$clientId:$fieldId"] = ['fieldid' => $fieldId, 'relid' => $clientId, 'value' => $value];
                    }
                }
                return $rows;
            case 'tblhosting':
                return array_map(fn (array $service): array => array_diff_key(
                    $service,
                    ['configoptions' => true, 'customfields' => true]
                ), $this->store->services);
            case 'tblclients':
                return $this->store->clients;
            case 'tblproducts':
                return array_map(fn (array $product): array => array_diff_key(
                    $product,
                    ['servers' => true, 'configurableoptions' => true, 'customfields' => true]
                ), $this->store->products);
            case 'tblservers':
                $rows = [];
                foreach ($this->store->servers as $id => $server) {
                    $rows[$id] = ['id' => $id] + array_diff_key($server, ['password' => true]);
                }
                return $rows;
            default:
                throw self::missing($table);
        }
    }

    /**
     * Adds ROW to TABLE; answers the new id (0 for tables without one).
     *
     * @param array<string, mixed> $row
     */
    public function insert(string $table, array $row): int
    {
        switch ($table) {
            case 'tblcustomfields':
                $id = $this->store->nextId('tblcustomfields');
                $this->store->customFields[$id] = ['id' => $id] + $row + [
                    'type' => '',
                    'relid' => 0,
                    'fieldname' => '',
                    'fieldtype' => 'text',
                ];
                return $id;
            case 'tblcustomfieldsvalues':
                $fieldId = (int) ($row['fieldid'] ?? 0);
                $clientId = (int) ($row['relid'] ?? 0);
                if (($this->store->customFields[$fieldId]['type'] ?? null) === 'client') {
                    $this->store->clientFieldValues[$clientId][$fieldId] = (string) ($row['value'] ?? '');
                }
                return 0;
            default:
                $this->rows($table);
                throw new \RuntimeException("the emulator does not insert into $table");
        }
    }

    /**
     * Sets VALUES on the rows of TABLE under KEYS.
     *
     * @param list<int|string> $keys
     * @param array<string, mixed> $values
     */
    public function update(string $table, array $keys, array $values): void
    {
        foreach ($keys as $key) {
            switch ($table) {
                case 'tblcustomfields':
                    $this->store->customFields[$key] = array_merge($this->store->customFields[$key], $values);
                    break;
                case 'tblcustomfieldsvalues':
                    [$clientId, $fieldId] = array_map('intval', explode(':', (string) $key));
                    if (array_key_exists('value', $values)) {
                        $this->store->clientFieldValues[$clientId][$fieldId] = (string) $values['value'];
                    }
                    break;
                case 'tblhosting':
                    $this->store->services[$key] = array_merge($this->store->services[$key], $values);
                    break;
                case 'tblclients':
                    $this->store->clients[$key] = array_merge($this->store->clients[$key], $values);
                    break;
                default:
                    $this->rows($table);
                    throw new \RuntimeException("the emulator does not update $table");
            }
        }
    }

    /**
     * Removes the rows of TABLE under KEYS.
     *
     * @param list<int|string> $keys
     */
    public function delete(string $table, array $keys): void
    {
        foreach ($keys as $key) {
            switch ($table) {
                case 'tblcustomfieldsvalues':
                    [$clientId, $fieldId] = array_map('intval', explode(':', (string) $key));
                    unset($this->store->clientFieldValues[$clientId][$fieldId]);
                    break;
                default:
                    $this->rows($table);
                    throw new \RuntimeException("the emulator does not delete from $table");
            }
        }
    }

    private static function missing(string $table): \RuntimeException
    {
        return new \RuntimeException(
            "SQLSTATE[42S02]: Base table or view not found: 1146 Table 'whmcs.$table' doesn't exist"
        );
    }
}
