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
     * with no service), `missing` (ids of the server's services the listing lacks).
     *
     * @return array{error: string, matched: array<string, int>, importable: list<string>, missing: list<int>}
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
            return ['error' => $error, 'matched' => [], 'importable' => [], 'missing' => []];
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
        return ['error' => '', 'matched' => $matched, 'importable' => $importable, 'missing' => $missing];
    }

    /**
     * Imports the listed account UNIQUE_ID of SERVER (from the last sync) for CLIENT as a service of
     * PRODUCT (default: the module's product whose MetaData `ListAccountsProductField` setting equals
     * the account's `product`). The service is made with the account's username, domain, status and
     * creation date; nothing is provisioned (no module function runs). Returns the new service id.
     */
    public function import(int $serverId, string $uniqueId, int $clientId, ?int $productId = null): int
    {
        $account = $this->listed[$serverId][strtolower($uniqueId)]
            ?? throw new \OutOfBoundsException("the last sync of server $serverId listed no account \"$uniqueId\"");
        if (in_array($uniqueId, array_map('strval', array_keys($this->sync($serverId)['matched'])), true)) {
            throw new \LogicException("account \"$uniqueId\" already has a service");
        }
        $this->store->client($clientId);
        $productId ??= $this->productFor($account['product']);
        $this->store->product($productId);
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
            'configoptions' => $this->store->product($productId)['configurableoptions'],
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

    private function productFor(string $remoteProduct): int
    {
        $field = (string) ($this->whmcs->metaData()['ListAccountsProductField'] ?? '');
        if (preg_match('/^configoption([1-9]|1\d|2[0-4])$/', $field) !== 1) {
            throw new \LogicException('MetaData names no ListAccountsProductField (configoptionN): pick the product');
        }
        foreach ($this->store->products as $id => $product) {
            $value = Html::decode((string) $product[$field]);
            if ($product['servertype'] === $this->whmcs->module && $value === $remoteProduct) {
                return $id;
            }
        }
        throw new \OutOfBoundsException("no product of the module has $field \"$remoteProduct\"");
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
