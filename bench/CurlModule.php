<?php

/**
 * What a peer WHMCS server module is (bench/fpm.sh's middle row): the same calls written in PHP
 * with its curl extension, a new handle (so a new TCP and TLS connection) per module call, as PHP
 * code cannot keep one across requests. It checks what the extension checks of each answer (HTTP
 * status, JSON) and logs each request with logModuleCall, as the extension does.
 *
 * TLS: peer modules typically turn verification off for self-signed servers; that is what this
 * does (the extension pins the certificate's SHA-256 instead), so curl's figure is a lower bound.
 */

declare(strict_types=1);

namespace SgWhmcs\Bench;

final class CurlModule
{
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
        $curl = curl_init($url);
        curl_setopt_array($curl, [
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
        curl_close($curl);
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
