<?php

/**
 * The certificate a TLS server presents, as PEM, for tests that trust it through the
 * `sgwhmcs.ca_file` INI setting rather than a pin.
 *
 * The handshake here cannot verify the certificate (that is what the test sets up), so it is
 * pinned instead: PHP refuses the connection unless the certificate's SHA-256 is the one the
 * simulator printed, and the fingerprint of what was captured is checked again.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

final class PeerCertificate
{
    private const TIMEOUT_SECONDS = 10.0;

    /** The PEM of the certificate SIM serves; fails unless its SHA-256 is the one SIM printed. */
    public static function pemOf(Sim $sim): string
    {
        $expected = strtolower((string) $sim->sha256);
        if (preg_match('/^[0-9a-f]{64}$/', $expected) !== 1) {
            throw new \RuntimeException('the simulator printed no certificate fingerprint (is it TLS?)');
        }
        $context = stream_context_create(['ssl' => [
            'capture_peer_cert' => true,
            // Only here, and only because the fingerprint below is checked instead.
            'verify_peer' => false,
            'verify_peer_name' => false,
            'allow_self_signed' => true,
            'peer_fingerprint' => ['sha256' => $expected],
        ]]);
        $errorCode = 0;
        $error = '';
        $socket = @stream_socket_client(
            "tls://$sim->host:$sim->port",
            $errorCode,
            $error,
            self::TIMEOUT_SECONDS,
            STREAM_CLIENT_CONNECT,
            $context
        );
        if ($socket === false) {
            $last = error_get_last()['message'] ?? '';
            throw new \RuntimeException("cannot capture the certificate of $sim->url: $error $last");
        }
        $certificate = stream_context_get_params($socket)['options']['ssl']['peer_certificate'] ?? null;
        fclose($socket);
        if (!$certificate instanceof \OpenSSLCertificate) {
            throw new \RuntimeException("$sim->url presented no certificate");
        }
        if (!hash_equals($expected, (string) openssl_x509_fingerprint($certificate, 'sha256'))) {
            throw new \RuntimeException("the certificate captured from $sim->url is not the one it printed");
        }
        $pem = '';
        if (!openssl_x509_export($certificate, $pem)) {
            throw new \RuntimeException('openssl_x509_export failed');
        }
        return $pem;
    }

    /** Writes TEXT to a new temporary file and returns its path (the caller removes it). */
    public static function tempFile(string $text, string $suffix = '.pem'): string
    {
        $base = tempnam(sys_get_temp_dir(), 'sgwhmcs-ca-');
        if ($base === false) {
            throw new \RuntimeException('cannot make a temporary file');
        }
        $path = $base . $suffix;
        if (!rename($base, $path) || file_put_contents($path, $text) !== strlen($text)) {
            throw new \RuntimeException("cannot write $path");
        }
        return $path;
    }
}
