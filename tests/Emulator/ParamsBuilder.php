<?php

/**
 * Builds the `$params` array WHMCS passes to a server module function, exactly as
 * shared/design/whmcs-contract.md § `$params` describes: service fields, configoption1..24,
 * configoptions and customfields by name, clientsdetails keyed like GetClientsDetails, and the
 * server fields (server-only for TestConnection).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ParamsBuilder
{
    public function __construct(private Store $store, private LocalApi $api, private string $module)
    {
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
            'accountid' => (string) $serviceId,
            'serviceid' => (string) $serviceId,
            'addonId' => 0,
            'userid' => (string) $service['userid'],
            'pid' => (string) $product['id'],
            'packageid' => (string) $product['id'],
            'serverid' => (string) $service['server'],
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
        $params['customfields'] = self::byShortName($service['customfields']);
        $params['clientsdetails'] = $this->api->clientDetails($service['userid']);
        $server = $service['server'] > 0 ? $this->store->server($service['server']) : null;
        return $params + self::serverFields($server);
    }

    /**
     * The params of a server-level call (TestConnection): server fields only. A saved server
     * has its id; an unsaved one (the form not yet saved) has serverid 0.
     *
     * @param array<string, mixed> $server a tblservers row
     * @return array<string, mixed>
     */
    public function forServer(array $server, int $serverId): array
    {
        return ['serverid' => $serverId] + self::serverFields($server);
    }

    /**
     * The server fields of PARAMS; all empty with `server` false when no server is assigned.
     *
     * @param array<string, mixed>|null $server a tblservers row
     * @return array<string, mixed>
     */
    public static function serverFields(?array $server): array
    {
        $secure = $server !== null && $server['secure'] === 'on';
        return [
            'server' => $server !== null,
            'serverip' => (string) ($server['ipaddress'] ?? ''),
            'serverhostname' => (string) ($server['hostname'] ?? ''),
            'serverusername' => (string) ($server['username'] ?? ''),
            'serverpassword' => (string) ($server['password'] ?? ''),
            'serveraccesshash' => (string) ($server['accesshash'] ?? ''),
            'serversecure' => $secure,
            'serverport' => (string) ($server['port'] ?? ''),
            'serverhttpprefix' => $secure ? 'https' : 'http',
        ];
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
