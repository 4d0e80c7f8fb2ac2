<?php

/**
 * What a peer WHMCS server module is (bench/fpm.sh's curl rows): the same calls written in PHP
 * with its curl extension, a new handle (so a new TCP and TLS connection) per module call, as PHP
 * code cannot keep one across requests; the requests of one call share it. It checks what the
 * extension checks of each answer (HTTP status, JSON, the account's reference) and logs each
 * request with logModuleCall, as the extension does.
 *
 * TLS: peer modules typically turn verification off for self-signed servers; that is what this
 * does (the extension pins the certificate's SHA-256 instead), so curl's figure is a lower bound.
 */

declare(strict_types=1);

namespace SgWhmcs\Bench;

final class CurlModule
{
    /** This module call's handle: PHP frees it when the request ends, closing its connection. */
    private static ?\CurlHandle $curl = null;

    /** One request to the Backup Server's API; [status, decoded answer or null, raw text]. */
    private static function request(array $params, string $method, string $path, ?array $body = null): array
    {
        $url = sprintf(
            '%s://%s:%s/api/v1%s',
            $params['serverhttpprefix'],
            $params['serverhostname'],
            $params['serverport'],
            $path
        );
        $curl = self::$curl ??= curl_init();
        curl_reset($curl); // the options go, the connection stays
        curl_setopt_array($curl, [
            CURLOPT_URL => $url,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_USERPWD => $params['serverusername'] . ':' . $params['serverpassword'],
            CURLOPT_HTTPHEADER => ['Accept: application/json', 'Content-Type: application/json'],
            CURLOPT_CONNECTTIMEOUT => 5,
            CURLOPT_TIMEOUT => 30,
            CURLOPT_SSL_VERIFYPEER => false,
            CURLOPT_SSL_VERIFYHOST => 0,
        ]);
        if ($body !== null) {
            curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($body));
        }
        $raw = curl_exec($curl);
        $status = (int)curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $error = curl_error($curl);
        $decoded = is_string($raw) ? json_decode($raw, true) : null;
        logModuleCall(
            'benchcurl',
            $method . ' ' . $path,
            ['url' => $url, 'body' => $body],
            (string)$raw,
            $decoded ?? $error,
            [$params['serverpassword']]
        );
        return [$status, $decoded, is_string($raw) ? $raw : $error];
    }

    /**
     * The account name of a service: its username, or (as sgwhmcs derives one for a client with
     * no usable name) "service-<id>".
     */
    public static function accountName(array $params): string
    {
        $username = (string) ($params['username'] ?? '');
        return $username !== '' ? $username : 'service-' . $params['serviceid'];
    }

    /** The service's reference on the Backup Server (the install id is WHMCS's setting). */
    private static function reference(array $params, string $install): string
    {
        return "whmcs:$install:service:" . $params['serviceid'];
    }

    /** The customer named NAME if it carries REFERENCE: [found, ours, error or ''] (one GET). */
    private static function own(array $params, string $name, string $reference): array
    {
        [$status, $answer, $raw] = self::request($params, 'GET', '/customers/' . rawurlencode($name));
        if ($status === 404) {
            return [false, false, ''];
        }
        if ($status !== 200 || !is_array($answer)) {
            return [false, false, "HTTP $status: " . substr($raw, 0, 200)];
        }
        return [true, ($answer['reference'] ?? null) === $reference, ''];
    }

    /**
     * CreateAccount with the requests sgwhmcs makes for a derived name, in its order: the search
     * by reference, the name read, then the create (storage and contact from the product and the
     * client, the service's password).
     */
    public static function createAccount(array $params, string $install): array
    {
        $reference = self::reference($params, $install);
        [$status, $answer, $raw] = self::request($params, 'GET', '/customers?reference=' . rawurlencode($reference));
        if ($status !== 200 || !is_array($answer['customers'] ?? null)) {
            return ['success' => false, 'error' => "HTTP $status: " . substr($raw, 0, 200)];
        }
        if ($answer['customers'] !== []) {
            return ['success' => true, 'error' => ''];
        }
        $name = self::accountName($params);
        [$found, , $error] = self::own($params, $name, $reference);
        if ($error !== '' || $found) {
            return ['success' => false, 'error' => $error ?: "the name $name is taken"];
        }
        $client = $params['clientsdetails'] ?? [];
        [$status, $answer, $raw] = self::request($params, 'POST', '/customers', [
            'name' => $name, 'reference' => $reference, 'password' => $params['password'],
            'active' => true, 'storage' => ['allotted_bytes' => 1073741824],
            'contact' => ['email' => $client['email'] ?? null],
        ]);
        if ($status === 201 && ($answer['name'] ?? null) === $name) {
            return ['success' => true, 'error' => ''];
        }
        return ['success' => false, 'error' => "HTTP $status: " . substr($raw, 0, 200)];
    }

    /**
     * Suspend (false), Unsuspend (true) or Terminate (false): the account read and its reference
     * checked, then (de)activated, as sgwhmcs does.
     */
    public static function setActive(array $params, string $install, bool $active): array
    {
        $name = self::accountName($params);
        [$found, $ours, $error] = self::own($params, $name, self::reference($params, $install));
        if ($error !== '' || !$found || !$ours) {
            return ['success' => false, 'error' => $error ?: "$name is not this service's account"];
        }
        $verb = $active ? 'activate' : 'deactivate';
        [$status, $answer, $raw] = self::request($params, 'POST', '/customers/' . rawurlencode($name) . "/$verb");
        if ($status === 200 && ($answer['active'] ?? null) === $active) {
            return ['success' => true, 'error' => ''];
        }
        return ['success' => false, 'error' => "HTTP $status: " . substr($raw, 0, 200)];
    }

    /** WHMCS's TestConnection: the server answers its info with the admin's credentials. */
    public static function testConnection(array $params): array
    {
        [$status, $answer, $raw] = self::request($params, 'GET', '/server');
        if ($status === 200 && is_array($answer)) {
            return ['success' => true, 'error' => ''];
        }
        return ['success' => false, 'error' => "HTTP $status: " . substr($raw, 0, 200)];
    }
}
