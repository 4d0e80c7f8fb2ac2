<?php

/**
 * WHMCS's Server Sync tool (Setup › Servers › Sync Accounts), emulated from
 * https://developers.whmcs.com/provisioning-modules/server-sync and https://docs.whmcs.com/Server_Sync_Tool:
 * `<module>_ListAccounts` gets the server's params and must answer `['success' => true, 'accounts' =>
 * [[email, username, domain, uniqueIdentifier, product, primaryip, created ('Y-m-d H:i:s'), status
 * (a WHMCS\Service\Status value)], ...]]` or `['success' => false, 'error' => '...']`. Every key is
 * required and every value a string: an answer of another shape is refused (UnexpectedValueException
 * naming the account and key). The page then shows which accounts match a service of that server by
 * the unique identifier (MetaData `ListAccountsUniqueIdentifierField`), which are new and importable,
 * and which services the server no longer has.
 *
 * A matched row is green, an **exact match**, only when identifier, primary IP, product, username,
 * status and creation date all agree; otherwise the fields that differ are red
 * (https://docs.whmcs.com/servers/sync-accounts: "highlights differences in red and highlights exact
 * matches in green"; the compared data: "domain, primary IP address, username, product, status, or
 * creation date"). Compared here, strictly: the identifier exactly (the match itself is
 * case-insensitive); `primaryip` with the service's dedicated IP, else its server's IP address;
 * `product` with the service's product's `ListAccountsProductField` column; `username`; `status`
 * with the service's status; the date of `created` with the service's registration date (WHMCS
 * local time, as WHMCS stores it). The domain is not compared: the module lists none and its
 * services have none of their own (observed in WHMCS 8.12, not documented; modelled strict).
 *
 * Import offers no client and no product choice (observed in WHMCS 8.12, not documented; modelled
 * strict): the client is the one whose e-mail equals the account's `email` (case-insensitively, as
 * MySQL compares), else a new client "Name Placeholder" with that e-mail (the ClientAdd hooks run,
 * as for any new client); the product is the FIRST product (lowest id) of the module whose
 * `ListAccountsProductField` column equals the account's `product`, else a new hidden, free product
 * of the module holding `product` in that column and nothing else ("If a matching product does not
 * exist, the system will create a new product", https://docs.whmcs.com/servers/sync-accounts).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ServerSync
{
    /** The keys of one account, all required (the sample module's ListAccounts). */
    public const ACCOUNT_KEYS = [
        'email', 'username', 'domain', 'uniqueIdentifier', 'product', 'primaryip', 'created', 'status',
    ];

    /** The statuses an account may have: WHMCS\Service\Status's values. */
    public const STATUSES = ['Pending', 'Active', 'Suspended', 'Terminated', 'Cancelled', 'Fraud', 'Completed'];

    /** @var array<int, array<string, array<string, string>>> server id => uniqueIdentifier => account, of the last sync */
    private array $listed = [];

    public function __construct(
        private Whmcs $whmcs,
        private Store $store,
        private ParamsBuilder $params,
        private UsageBilling $usage
    ) {
    }

    /**
     * Runs ListAccounts for SERVER and compares. Answers `error` (the page's message; '' when the
     * listing worked), `matched` (uniqueIdentifier => service id), `importable` (uniqueIdentifiers
     * with no service), `missing` (ids of the server's services the listing lacks), `exact`
     * (the matched uniqueIdentifiers shown green) and `differs` (the others: uniqueIdentifier =>
     * the fields shown red, as `field: listed "x", service "y"`).
     *
     * @return array{error: string, matched: array<string, int>, importable: list<string>, missing: list<int>,
     *     exact: list<string>, differs: array<string, list<string>>}
     */
    public function sync(int $serverId): array
    {
        $server = $this->store->server($serverId);
        $params = ['serverid' => $serverId] + Html::decode($this->params->serverFields($server));
        $answer = $this->whmcs->call('ListAccounts', $params);
        if (!is_array($answer) || !array_key_exists('success', $answer) || !is_bool($answer['success'])) {
            throw new \UnexpectedValueException('ListAccounts must return an array with a boolean "success"');
        }
        if (!$answer['success']) {
            $error = $answer['error'] ?? null;
            if (!is_string($error) || $error === '') {
                throw new \UnexpectedValueException('ListAccounts failed without an "error" string');
            }
            return ['error' => $error, 'matched' => [], 'importable' => [], 'missing' => [], 'exact' => [],
                'differs' => []];
        }
        $accounts = $answer['accounts'] ?? null;
        if (!is_array($accounts) || !array_is_list($accounts)) {
            throw new \UnexpectedValueException('ListAccounts must return "accounts" as a list');
        }
        $byId = [];
        foreach ($accounts as $i => $account) {
            self::check($account, $i);
            if (isset($byId[strtolower($account['uniqueIdentifier'])])) {
                throw new \UnexpectedValueException(
                    "accounts[$i]: uniqueIdentifier \"{$account['uniqueIdentifier']}\" listed twice"
                );
            }
            $byId[strtolower($account['uniqueIdentifier'])] = $account;
        }
        $this->listed[$serverId] = $byId;
        $services = $this->servicesOf($serverId);
        $matched = [];
        $missing = [];
        foreach ($services as $serviceId => $tenant) {
            if (isset($byId[strtolower($tenant)])) {
                $matched[$byId[strtolower($tenant)]['uniqueIdentifier']] = $serviceId;
            } else {
                $missing[] = $serviceId;
            }
        }
        $importable = [];
        foreach ($byId as $account) {
            if (!isset($matched[$account['uniqueIdentifier']])) {
                $importable[] = $account['uniqueIdentifier'];
            }
        }
        $exact = [];
        $differs = [];
        foreach ($matched as $uniqueId => $serviceId) {
            $red = $this->differences($byId[strtolower((string) $uniqueId)], $serviceId);
            if ($red === []) {
                $exact[] = (string) $uniqueId;
            } else {
                $differs[(string) $uniqueId] = $red;
            }
        }
        return ['error' => '', 'matched' => $matched, 'importable' => $importable, 'missing' => $missing,
            'exact' => $exact, 'differs' => $differs];
    }

    /**
     * The fields of ACCOUNT that differ from SERVICE (the page's red cells).
     *
     * @param array<string, string> $account
     * @return list<string>
     */
    private function differences(array $account, int $serviceId): array
    {
        $service = $this->store->service($serviceId);
        $server = $this->store->server((int) $service['server']);
        $dedicated = Html::decode((string) ($service['dedicatedip'] ?? ''));
        $theirs = [
            'uniqueIdentifier' => $this->usage->tenantOf($serviceId),
            'primaryip' => $dedicated !== '' ? $dedicated : Html::decode((string) $server['ipaddress']),
            'product' => Html::decode((string) $this->store->product($service['packageid'])[$this->productField()]),
            'username' => Html::decode((string) $service['username']),
            'status' => (string) $service['domainstatus'],
            'created' => (string) $service['regdate'],
        ];
        $red = [];
        foreach ($theirs as $field => $value) {
            $listed = $field === 'created' ? substr($account['created'], 0, 10) : $account[$field];
            if ($listed !== $value) {
                $red[] = "$field: listed \"$listed\", service \"$value\"";
            }
        }
        return $red;
    }

    /**
     * Imports the listed account UNIQUE_ID of SERVER (from the last sync), as WHMCS does with no
     * choice for the admin: the client by the account's e-mail, else a new "Name Placeholder"
     * client; the product by `ListAccountsProductField`, else a new hidden free product (see the
     * file's comment). The service is made with the account's username, domain, status and
     * creation date; nothing is provisioned (no module function runs). Returns the new service id.
     */
    public function import(int $serverId, string $uniqueId): int
    {
        $account = $this->listed[$serverId][strtolower($uniqueId)]
            ?? throw new \OutOfBoundsException("the last sync of server $serverId listed no account \"$uniqueId\"");
        if (in_array($uniqueId, array_map('strval', array_keys($this->sync($serverId)['matched'])), true)) {
            throw new \LogicException("account \"$uniqueId\" already has a service");
        }
        $clientId = $this->clientFor($account['email']);
        $productId = $this->productFor($account['product'], $serverId);
        $product = $this->store->product($productId);
        $serviceId = $this->store->nextId('services');
        $this->store->services[$serviceId] = [
            'id' => $serviceId,
            'userid' => $clientId,
            // An imported service came from no order (WHMCS stores 0).
            'orderid' => 0,
            'packageid' => $productId,
            'server' => $serverId,
            'username' => Html::encode($account['username']),
            'password' => '',
            'domain' => Html::encode($account['domain']),
            'domainstatus' => $account['status'],
            'configoptions' => $product['configurableoptions'],
            'regdate' => substr($account['created'], 0, 10),
            'diskusage' => '0',
            'disklimit' => '0',
        ];
        return $serviceId;
    }

    /** @return array<int, string> the module's services on SERVER (not Terminated/Cancelled) => their unique identifier */
    private function servicesOf(int $serverId): array
    {
        $services = [];
        foreach ($this->store->services as $id => $service) {
            $gone = in_array($service['domainstatus'], ['Terminated', 'Cancelled'], true);
            if ((int) $service['server'] !== $serverId || $gone) {
                continue;
            }
            if ($this->store->product($service['packageid'])['servertype'] === $this->whmcs->module) {
                $services[$id] = $this->usage->tenantOf($id);
            }
        }
        return $services;
    }

    /** The client whose e-mail is EMAIL (case-insensitively), else a new "Name Placeholder" client. */
    private function clientFor(string $email): int
    {
        if ($email !== '') {
            foreach ($this->store->clients as $id => $client) {
                if (mb_strtolower(Html::decode((string) $client['email'])) === mb_strtolower($email)) {
                    return (int) $id;
                }
            }
        }
        return $this->whmcs->addClient(['firstname' => 'Name', 'lastname' => 'Placeholder', 'email' => $email]);
    }

    /** MetaData's ListAccountsProductField, which must name a setting column (configoption1..24). */
    private function productField(): string
    {
        $field = (string) ($this->whmcs->metaData()['ListAccountsProductField'] ?? '');
        if (preg_match('/^configoption([1-9]|1\d|2[0-4])$/', $field) !== 1) {
            throw new \LogicException('MetaData names no ListAccountsProductField (configoption1..24)');
        }
        return $field;
    }

    /**
     * The first product (lowest id) of the module whose ListAccountsProductField column is
     * REMOTE_PRODUCT; else a new hidden, free product of the module holding it (on SERVER).
     */
    private function productFor(string $remoteProduct, int $serverId): int
    {
        $field = $this->productField();
        $ids = array_keys($this->store->products);
        sort($ids);
        foreach ($ids as $id) {
            $product = $this->store->products[$id];
            $value = Html::decode((string) $product[$field]);
            if ($product['servertype'] === $this->whmcs->module && $value === $remoteProduct) {
                return (int) $id;
            }
        }
        $id = $this->store->nextId('products');
        $product = [
            'id' => $id,
            'name' => $remoteProduct,
            'type' => 'other',
            'servertype' => $this->whmcs->module,
            'servers' => [$serverId],
            'configurableoptions' => [],
            'autosetup' => '',
            'welcomeemail' => 0,
            'hidden' => 1,
            'paytype' => 'free',
        ];
        for ($i = 1; $i <= 24; $i++) {
            $product['configoption' . $i] = '';
        }
        $product[$field] = Html::encode($remoteProduct);
        $this->store->products[$id] = $product;
        return $id;
    }

    private static function check(mixed $account, int $i): void
    {
        if (!is_array($account)) {
            throw new \UnexpectedValueException("accounts[$i] is " . get_debug_type($account) . ', not an array');
        }
        foreach (self::ACCOUNT_KEYS as $key) {
            if (!array_key_exists($key, $account)) {
                throw new \UnexpectedValueException("accounts[$i] lacks \"$key\"");
            }
            if (!is_string($account[$key])) {
                throw new \UnexpectedValueException(
                    "accounts[$i][$key] is " . get_debug_type($account[$key]) . ', not a string'
                );
            }
        }
        if ($account['uniqueIdentifier'] === '') {
            throw new \UnexpectedValueException("accounts[$i] has an empty uniqueIdentifier");
        }
        $created = \DateTime::createFromFormat('!Y-m-d H:i:s', $account['created']);
        if ($created === false || $created->format('Y-m-d H:i:s') !== $account['created']) {
            throw new \UnexpectedValueException("accounts[$i][created] \"{$account['created']}\" is not Y-m-d H:i:s");
        }
        if (!in_array($account['status'], self::STATUSES, true)) {
            throw new \UnexpectedValueException(
                "accounts[$i][status] \"{$account['status']}\" is not a WHMCS\\Service\\Status value"
            );
        }
    }
}
