<?php

/**
 * WHMCS's `encrypt()` / `decrypt()`: reversible encryption with the installation's
 * `$cc_encryption_hash` (configuration.php), used for service and server passwords and for
 * client custom fields of type password. The ciphertext is base64 text; decrypting anything
 * that is not ciphertext of this installation gives '' (WHMCS gives garbage or '').
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Crypto
{
    /** The `$cc_encryption_hash` of the emulated configuration.php. */
    public const HASH = 'emulator';

    private const CIPHER = 'aes-256-cbc';

    public static function encrypt(string $plain): string
    {
        $iv = random_bytes(16);
        $cipher = openssl_encrypt($plain, self::CIPHER, self::key(), OPENSSL_RAW_DATA, $iv);
        if ($cipher === false) {
            throw new \RuntimeException('encrypt() failed');
        }
        return base64_encode($iv . $cipher);
    }

    public static function decrypt(string $cipherText): string
    {
        $raw = base64_decode($cipherText, true);
        if ($raw === false || strlen($raw) < 32) {
            return '';
        }
        $plain = openssl_decrypt(substr($raw, 16), self::CIPHER, self::key(), OPENSSL_RAW_DATA, substr($raw, 0, 16));
        return $plain === false ? '' : $plain;
    }

    private static function key(): string
    {
        return hash('sha256', self::HASH, true);
    }
}
