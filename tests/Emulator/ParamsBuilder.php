<?php

/**
 * Builds the `$params` array WHMCS 8 passes to a server module function, as
 * docs/whmcs.md ("`$params`") and docs/whmcs-compatibility.md describe: service
 * fields with INTEGER ids, configoption1..24, configoptions and customfields by name,
 * clientsdetails keyed like GetClientsDetails (no `model`), the server fields (`serversecure` a
 * bool, `serverhttpprefix` '' without a server, an empty port filled from MetaData's
 * DefaultSSLPort/DefaultNonSSLPort, an empty hostname falling back to the IP, an IPv6 one in
 * brackets), everything HTML-DECODED (APIVersion 1.1), and `model`: the service's Eloquent-like
 * object graph (WHMCS\Module\Server::buildParams / getServerParams in WHMCS 8).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ParamsBuilder
{
    /** The error a lazily loaded relation of the model throws when read (its query failing). */
    public const LAZY_FAILURE = 'SQLSTATE[HY000]: General error: 2006 MySQL server has gone away (lazy loading order)';

    /**
     * @param \Closure(): array<string, mixed> $metaData the module's MetaData()
     */
    public function __construct(
        private Store $store,
        private LocalApi $api,
        private string $module,
        private ?\Closure $metaData = null
    ) {
    }

    /**
     * The params of a service-level call (CreateAccount, SuspendAccount, ...).
     *
     * @return array<string, mixed>
     */
    public function forService(int $serviceId): array
    {
        $service = $this->store->service($serviceId);
        $product = $this->store->product($service['packageid']);
        $params = [
            'accountid' => $serviceId,
            'serviceid' => $serviceId,
            'addonId' => 0,
            'userid' => (int) $service['userid'],
            'pid' => (int) $product['id'],
            'packageid' => (int) $product['id'],
            'serverid' => (int) $service['server'],
            'domain' => $service['domain'],
            'username' => $service['username'],
            'password' => $service['password'],
            'status' => $service['domainstatus'],
            'producttype' => $product['type'],
            'type' => $product['type'],
            'moduletype' => $this->module,
        ];
        for ($i = 1; $i <= 24; $i++) {
            $params['configoption' . $i] = (string) ($product['configoption' . $i] ?? '');
        }
        $params['configoptions'] = self::byShortName($service['configoptions']);
        // The service's product custom fields (tblcustomfields type 'product'), by name; a
        // password field decrypted (WHMCS\Module\Server::buildParams).
        $params['customfields'] = self::byShortName($this->store->serviceFields($serviceId));
        $details = $this->api->clientDetails($service['userid']);
        unset($details['model']);
        $params['clientsdetails'] = $details;
        $server = $service['server'] > 0 ? $this->store->server($service['server']) : null;
        $params = Html::decode($params + $this->serverFields($server));
        $params['model'] = $this->serviceModel($serviceId);
        return $params;
    }

    /**
     * The params of TestConnection: server fields only, from a NEW, unsaved server object built
     * from the form, so `serverid` is always 0 (even for a saved server).
     *
     * @param array<string, mixed> $server a tblservers row (the form's values)
     * @param int $ignoredServerId kept for callers of the old signature: WHMCS passes 0 anyway
     * @return array<string, mixed>
     */
    public function forServer(array $server, int $ignoredServerId = 0): array
    {
        return Html::decode(['serverid' => 0] + $this->serverFields($server));
    }

    /**
     * The server fields of PARAMS; empty (with `server` false, `serverhttpprefix` '') when no
     * server is assigned.
     *
     * @param array<string, mixed>|null $server a tblservers row
     * @return array<string, mixed>
     */
    public function serverFields(?array $server): array
    {
        if ($server === null) {
            return [
                'server' => false,
                'serverip' => '',
                'serverhostname' => '',
                'serverusername' => '',
                'serverpassword' => '',
                'serveraccesshash' => '',
                'serversecure' => false,
                'serverport' => '',
                'serverhttpprefix' => '',
            ];
        }
        $secure = $server['secure'] === 'on';
        $ip = (string) $server['ipaddress'];
        $hostname = (string) $server['hostname'];
        if ($hostname === '') {
            $hostname = filter_var($ip, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6) !== false ? "[$ip]" : $ip;
        }
        $port = (string) $server['port'];
        if ($port === '') {
            $meta = $this->metaData === null ? [] : ($this->metaData)();
            $port = (string) ($meta[$secure ? 'DefaultSSLPort' : 'DefaultNonSSLPort'] ?? '');
        }
        return [
            'server' => true,
            'serverip' => $ip,
            'serverhostname' => $hostname,
            'serverusername' => (string) $server['username'],
            'serverpassword' => (string) $server['password'],
            'serveraccesshash' => (string) $server['accesshash'],
            'serversecure' => $secure,
            'serverport' => $port,
            'serverhttpprefix' => $secure ? 'https' : 'http',
        ];
    }

    /**
     * The service's model: WHMCS\Service\Service with its raw row, `client` (whose `services`
     * hold this very object: a cycle), `product`, `serverModel`, and `order`, a lazy relation
     * whose query fails when read.
     */
    public function serviceModel(int $serviceId): \WHMCS\Service\Service
    {
        $row = $this->store->service($serviceId);
        $clientId = (int) $row['userid'];
        $client = new \WHMCS\User\Client($this->store->client($clientId));
        $services = [];
        $this_ = null;
        foreach ($this->store->services as $id => $other) {
            if ((int) $other['userid'] !== $clientId) {
                continue;
            }
            $model = new \WHMCS\Service\Service(
                array_diff_key($other, ['configoptions' => true, 'customfields' => true]),
                ['order' => self::LAZY_FAILURE]
            );
            $model->setRelation('client', $client);
            $product = $this->store->product($other['packageid']);
            $model->setRelation('product', new \WHMCS\Product\Product(array_diff_key(
                $product,
                ['servers' => true, 'configurableoptions' => true, 'customfields' => true]
            )));
            $model->setRelation('serverModel', $other['server'] > 0
                ? new \WHMCS\Product\Server(['id' => $other['server']] + $this->store->server($other['server']))
                : null);
            $services[] = $model;
            if ($id === $serviceId) {
                $this_ = $model;
            }
        }
        $client->setRelation('services', $services);
        return $this_ ?? throw new \LogicException("no model for service $serviceId");
    }

    /**
     * Options keyed by the part of their name before any `|`, as WHMCS passes them.
     *
     * @param array<string, mixed> $values
     * @return array<string, mixed>
     */
    private static function byShortName(array $values): array
    {
        $short = [];
        foreach ($values as $name => $value) {
            $short[trim(explode('|', (string) $name, 2)[0])] = $value;
        }
        return $short;
    }
}
