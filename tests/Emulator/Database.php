<?php

/**
 * The WHMCS tables the emulated `Capsule` query builder can reach, as rows over the Store:
 * tblcustomfields, tblcustomfieldsvalues (client fields: relid the client; product fields: relid
 * the service), tblhosting (its `password` encrypted, as
 * WHMCS stores it: read ciphertext, write what encrypt() gave), tblclients, tblproducts,
 * tblservers (its `password` encrypted, as WHMCS stores it), tblemailtemplates, tblconfiguration (WHMCS's
 * settings: `setting`, `value`, timestamps; no id column). Any other table fails like a
 * missing SQL table, and a column the real table lacks fails like MySQL's unknown column, so code
 * that queries a wrong name fails here as it would in WHMCS. Every query is recorded for tests.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Database
{
    /** The columns of each reachable table, as in WHMCS 8's schema. */
    public const COLUMNS = [
        'tblcustomfields' => ['id', 'type', 'relid', 'fieldname', 'fieldtype', 'description', 'fieldoptions',
            'regexpr', 'adminonly', 'required', 'showorder', 'showinvoice', 'sortorder', 'created_at', 'updated_at'],
        'tblcustomfieldsvalues' => ['id', 'fieldid', 'relid', 'value', 'created_at', 'updated_at'],
        'tblhosting' => ['id', 'userid', 'orderid', 'packageid', 'server', 'regdate', 'domain', 'paymentmethod',
            'qty', 'firstpaymentamount', 'amount', 'billingcycle', 'nextduedate', 'nextinvoicedate',
            'termination_date', 'completed_date', 'domainstatus', 'username', 'password', 'notes',
            'subscriptionid', 'promoid', 'promocount', 'suspendreason', 'overideautosuspend',
            'overidesuspenduntil', 'dedicatedip', 'assignedips', 'ns1', 'ns2', 'diskusage', 'disklimit',
            'bwusage', 'bwlimit', 'lastupdate', 'created_at', 'updated_at'],
        'tblclients' => ['id', 'uuid', 'firstname', 'lastname', 'companyname', 'email', 'address1', 'address2',
            'city', 'state', 'postcode', 'country', 'phonenumber', 'tax_id', 'password', 'authmodule',
            'authdata', 'currency', 'defaultgateway', 'credit', 'taxexempt', 'latefeeoveride',
            'overideduenotices', 'separateinvoices', 'disableautocc', 'datecreated', 'notes', 'billingcid',
            'securityqid', 'securityqans', 'groupid', 'cardtype', 'cardlastfour', 'cardnum', 'startdate',
            'expdate', 'issuenumber', 'bankname', 'banktype', 'bankcode', 'bankacct', 'gatewayid', 'lastlogin',
            'ip', 'host', 'status', 'language', 'pwresetkey', 'emailoptout', 'marketing_emails_opt_in',
            'overrideautoclose', 'allow_sso', 'email_verified', 'email_preferences', 'created_at',
            'updated_at', 'pwresetexpiry'],
        'tblproducts' => ['id', 'type', 'gid', 'name', 'slug', 'description', 'hidden', 'showdomainoptions',
            'welcomeemail', 'stockcontrol', 'qty', 'proratabilling', 'proratadate', 'proratachargenextmonth',
            'paytype', 'allowqty', 'subdomain', 'autosetup', 'servertype', 'servergroup', 'configoption1',
            'configoption2', 'configoption3', 'configoption4', 'configoption5', 'configoption6', 'configoption7',
            'configoption8', 'configoption9', 'configoption10', 'configoption11', 'configoption12',
            'configoption13', 'configoption14', 'configoption15', 'configoption16', 'configoption17',
            'configoption18', 'configoption19', 'configoption20', 'configoption21', 'configoption22',
            'configoption23', 'configoption24', 'freedomain', 'freedomainpaymentterms', 'freedomaintlds',
            'recurringcycles', 'autoterminatedays', 'autoterminateemail', 'configoptionsupgrade',
            'billingcycleupgrade', 'upgradeemail', 'overagesenabled', 'overagesdisklimit', 'overagesbwlimit',
            'overagesdiskprice', 'overagesbwprice', 'tax', 'affiliateonetime', 'affiliatepaytype',
            'affiliatepayamount', 'order', 'retired', 'is_featured', 'color', 'tagline', 'short_description',
            'created_at', 'updated_at'],
        'tblservers' => ['id', 'name', 'ipaddress', 'assignedips', 'hostname', 'monthlycost', 'noc',
            'statusaddress', 'nameserver1', 'nameserver1ip', 'nameserver2', 'nameserver2ip', 'nameserver3',
            'nameserver3ip', 'nameserver4', 'nameserver4ip', 'nameserver5', 'nameserver5ip', 'maxaccounts',
            'type', 'username', 'password', 'accesshash', 'secure', 'port', 'active', 'disabled'],
        'tblconfiguration' => ['setting', 'value', 'created_at', 'updated_at'],
        'tblemailtemplates' => ['id', 'type', 'name', 'subject', 'message', 'attachments', 'fromname',
            'fromemail', 'disabled', 'custom', 'language', 'copyto', 'blind_copy_to', 'plaintext',
            'created_at', 'updated_at'],
    ];

    /** @var list<array{table: string, operation: string, wheres: list<array{string, string, mixed}>}> */
    public array $queries = [];

    /**
     * The indexed columns of each table that has indexes, as WHMCS's MySQL schema declares them;
     * they only make queries fast (TableIndex: an answer is exactly the full scan's). Source:
     * WHMCS 7.8.0's install schema, `resources/sql/install/<table>.schema.sql` (as published in
     * the GitHub repository puarudz/WHMCS-7.8.0-decoded; no WHMCS 8 install schema was found to
     * cite). tblhosting: `PRIMARY KEY (id)` and `KEY` on `userid`, `orderid`, `packageid`
     * (`productid`), `server` (`serverid`) and `domainstatus`; its prefix key `domain(64)` is left
     * out (the module never looks a service up by domain). The other tables: their `PRIMARY KEY
     * (id)` only (their other keys, such as tblcustomfields' `relid`, serve tables of a few rows
     * here). tblcustomfieldsvalues and tblconfiguration have none here: the emulator's rows of the
     * former carry no `id`, the latter has no `id` column.
     */
    public const INDEXES = [
        'tblhosting' => ['id', 'userid', 'orderid', 'packageid', 'server', 'domainstatus'],
        'tblclients' => ['id'],
        'tblproducts' => ['id'],
        'tblservers' => ['id'],
        'tblcustomfields' => ['id'],
        'tblemailtemplates' => ['id'],
    ];

    /**
     * Whether queries use INDEXES (on by default). Off, every query scans all rows, as before the
     * indexes: a test compares both answers, and the usage bench can show the difference.
     */
    public bool $useIndexes = true;

    /**
     * Whether each recorded query keeps its conditions (on by default). The usage bench turns it
     * off: a million-service run would otherwise keep every batch's thousand ids in this log.
     */
    public bool $recordConditions = true;

    /** @var array<string, TableIndex> table => its index, made on first use */
    private array $indexes = [];

    /** What the next executed query throws (the database went away, a deadlock), then heals. */
    public ?\Throwable $throwNext = null;

    /** When set, only a query of this table throws $throwNext (the queries before it run). */
    public ?string $throwNextOn = null;

    /**
     * Table => what runs once before the next insert into it (then dropped): another request's
     * statement landing between a caller's read and its insert, as two PHP processes racing
     * would have it, within one process.
     *
     * @var array<string, \Closure(): void>
     */
    public array $beforeNextInsertInto = [];

    public function __construct(private Store $store)
    {
    }

    /**
     * How many queries ran (since the installation was made), of TABLE and OPERATION when given
     * (operations: get, first, value, pluck, count, exists, insert, insertGetId, update, delete):
     * a test can tell a batched write from one query per row.
     */
    public function queryCount(?string $table = null, ?string $operation = null): int
    {
        return count(array_filter(
            $this->queries,
            fn (array $query): bool => ($table === null || $query['table'] === $table)
                && ($operation === null || $query['operation'] === $operation)
        ));
    }

    /** Forgets the queries counted so far (e.g. those of the test's own setup). */
    public function resetQueryCount(): void
    {
        $this->queries = [];
    }

    /** @param list<array{string, string, mixed}> $wheres */
    public function record(string $table, string $operation, array $wheres): void
    {
        if ($this->throwNext !== null && ($this->throwNextOn ?? $table) === $table) {
            [$thrown, $this->throwNext, $this->throwNextOn] = [$this->throwNext, null, null];
            throw $thrown;
        }
        $this->queries[] = [
            'table' => $table, 'operation' => $operation, 'wheres' => $this->recordConditions ? $wheres : [],
        ];
    }

    /**
     * Fails like MySQL when TABLE lacks one of COLUMNS (CLAUSE: 'where clause', 'field list', ...).
     *
     * @param list<string> $columns
     */
    public function checkColumns(string $table, array $columns, string $clause): void
    {
        $known = self::COLUMNS[$table] ?? throw self::missing($table);
        foreach ($columns as $column) {
            if (!in_array($column, $known, true)) {
                throw new \RuntimeException(
                    "SQLSTATE[42S22]: Column not found: 1054 Unknown column '$column' in '$clause'"
                );
            }
        }
    }

    /**
     * The rows of TABLE, each under a key that update() and delete() take back; each row holds
     * only the table's columns.
     *
     * @return array<int|string, array<string, mixed>>
     */
    public function rows(string $table): array
    {
        $columns = array_flip(self::COLUMNS[$table] ?? throw self::missing($table));
        return array_map(fn (array $row): array => array_intersect_key($row, $columns), $this->storeRows($table));
    }

    /**
     * The rows of TABLE under KEYS (those it holds), in the order of KEYS: what rows() gives for
     * them, without making the others. For the tables of INDEXES.
     *
     * @param list<int|string> $keys
     * @return array<int|string, array<string, mixed>>
     */
    public function rowsAt(string $table, array $keys): array
    {
        $columns = array_flip(self::COLUMNS[$table] ?? throw self::missing($table));
        $source = $this->indexedSource($table);
        $rows = [];
        foreach ($keys as $key) {
            if (isset($source[$key])) {
                $rows[$key] = array_intersect_key($this->storeRow($table, $key, $source[$key]), $columns);
            }
        }
        return $rows;
    }

    /**
     * The index of TABLE, describing its rows as they are now; null for a table without one (see
     * INDEXES) or when $useIndexes is off.
     */
    public function index(string $table): ?TableIndex
    {
        if (!$this->useIndexes || !isset(self::INDEXES[$table])) {
            return null;
        }
        $this->indexes[$table] ??= new TableIndex(self::INDEXES[$table], $table === 'tblservers' ? 'id' : null);
        $this->indexes[$table]->sync($this->indexedSource($table));
        return $this->indexes[$table];
    }

    /**
     * The Store's array behind TABLE (one of INDEXES): its rows by key, as the Store keeps them.
     *
     * @return array<int|string, array<string, mixed>>
     */
    private function indexedSource(string $table): array
    {
        return match ($table) {
            'tblhosting' => $this->store->services,
            'tblclients' => $this->store->clients,
            'tblproducts' => $this->store->products,
            'tblservers' => $this->store->servers,
            'tblcustomfields' => $this->store->customFields,
            'tblemailtemplates' => $this->store->emailTemplates,
            default => throw new \LogicException("$table has no index"),
        };
    }

    /**
     * Row KEY of TABLE (one of INDEXES) as the query builder sees it, from the Store's ROW.
     *
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function storeRow(string $table, int|string $key, array $row): array
    {
        switch ($table) {
            case 'tblhosting':
                // The service password column holds WHMCS's encrypt() of it, as in WHMCS.
                $shown = array_diff_key($row, ['configoptions' => true, 'customfields' => true]);
                $plain = (string) $row['password'];
                $shown['password'] = $plain === '' ? '' : Crypto::encrypt($plain);
                return $shown;
            case 'tblproducts':
                return array_diff_key($row, ['servers' => true, 'configurableoptions' => true, 'customfields' => true]);
            case 'tblservers':
                // The password column holds WHMCS's encrypt() of it, as in WHMCS (read only here).
                $plain = (string) ($row['password'] ?? '');
                return ['id' => $key, 'password' => $plain === '' ? '' : Crypto::encrypt($plain)] + $row;
            default:
                return $row;
        }
    }

    /** @return array<int|string, array<string, mixed>> */
    private function storeRows(string $table): array
    {
        switch ($table) {
            case 'tblcustomfieldsvalues':
                // Client fields' values (relid the client) and product fields' (relid the service),
                // as they are stored: a password field's value is ciphertext.
                $rows = [];
                foreach ($this->store->clientFieldValues as $clientId => $values) {
                    foreach ($values as $fieldId => $value) {
                        $rows["$clientId:$fieldId"] = ['fieldid' => $fieldId, 'relid' => $clientId, 'value' => $value];
                    }
                }
                foreach ($this->store->serviceFieldValues as $serviceId => $values) {
                    foreach ($values as $fieldId => $value) {
                        $rows["s$serviceId:$fieldId"] =
                            ['fieldid' => $fieldId, 'relid' => $serviceId, 'value' => $value];
                    }
                }
                return $rows;
            case 'tblconfiguration':
                return $this->store->configuration;
            default:
                if (!isset(self::INDEXES[$table])) {
                    throw self::missing($table);
                }
                $rows = [];
                foreach ($this->indexedSource($table) as $key => $row) {
                    $rows[$key] = $this->storeRow($table, $key, $row);
                }
                return $rows;
        }
    }

    /**
     * Adds ROW to TABLE; answers the new id (0 for tables without one).
     *
     * @param array<string, mixed> $row
     */
    public function insert(string $table, array $row): int
    {
        if (isset($this->beforeNextInsertInto[$table])) {
            $racer = $this->beforeNextInsertInto[$table];
            unset($this->beforeNextInsertInto[$table]);
            $racer();
        }
        $this->checkColumns($table, array_map('strval', array_keys($row)), 'field list');
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
                $type = $this->store->customFields[$fieldId]['type'] ?? null;
                if ($type === 'client') {
                    $this->store->clientFieldValues[$clientId][$fieldId] = (string) ($row['value'] ?? '');
                } elseif ($type === 'product') {
                    $this->store->serviceFieldValues[$clientId][$fieldId] = (string) ($row['value'] ?? '');
                }
                return 0;
            case 'tblconfiguration':
                // No auto-increment column: Laravel's insertGetId answers PDO's lastInsertId, 0.
                $this->store->configuration[] = $row + ['value' => '', 'created_at' => null, 'updated_at' => null];
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
        $this->checkColumns($table, array_map('strval', array_keys($values)), 'field list');
        $raw = array_filter($values, fn (mixed $value): bool => $value instanceof RawExpression);
        foreach ($raw as $expression) {
            $this->checkColumns($table, $expression->columns(), 'field list');
        }
        $rows = $raw === [] ? [] : (isset(self::INDEXES[$table]) ? $this->rowsAt($table, $keys) : $this->rows($table));
        // The index lets go of the rows while they are written (PHP would otherwise copy the whole
        // table for the first write) and takes them back when no indexed column changed.
        $index = $this->index($table);
        $index?->release();
        foreach ($keys as $key) {
            foreach ($raw as $column => $expression) {
                $values[$column] = $expression->evaluate($rows[$key] ?? []);
            }
            switch ($table) {
                case 'tblcustomfields':
                    $this->store->customFields[$key] = array_merge($this->store->customFields[$key], $values);
                    break;
                case 'tblcustomfieldsvalues':
                    [$owner, $fieldId] = explode(':', (string) $key);
                    if (array_key_exists('value', $values)) {
                        if (str_starts_with($owner, 's')) {
                            $serviceId = (int) substr($owner, 1);
                            $this->store->serviceFieldValues[$serviceId][(int) $fieldId] = (string) $values['value'];
                        } else {
                            $this->store->clientFieldValues[(int) $owner][(int) $fieldId] = (string) $values['value'];
                        }
                    }
                    break;
                case 'tblhosting':
                    if (array_key_exists('password', $values)) {
                        // Written encrypted (what encrypt() gave); the store keeps the plain text.
                        $values['password'] = Crypto::decrypt((string) $values['password']);
                    }
                    // Column by column in place, as array_merge would set them (a new row per
                    // service would cost a million-service UsageUpdate 600 MB of PHP memory).
                    foreach ($values as $column => $value) {
                        $this->store->services[$key][$column] = $value;
                    }
                    break;
                case 'tblclients':
                    $this->store->clients[$key] = array_merge($this->store->clients[$key], $values);
                    break;
                default:
                    $this->rows($table);
                    throw new \RuntimeException("the emulator does not update $table");
            }
        }
        if ($index !== null && array_intersect(array_keys($values), $index->columns) === []) {
            $index->adopt($this->indexedSource($table));
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
                case 'tblcustomfields':
                    // Its values stay, as in WHMCS's table (no foreign key); they are never read again.
                    unset($this->store->customFields[$key]);
                    break;
                case 'tblcustomfieldsvalues':
                    [$owner, $fieldId] = explode(':', (string) $key);
                    if (str_starts_with($owner, 's')) {
                        unset($this->store->serviceFieldValues[(int) substr($owner, 1)][(int) $fieldId]);
                    } else {
                        unset($this->store->clientFieldValues[(int) $owner][(int) $fieldId]);
                    }
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
