<?php

/**
 * WHMCS's HTML encoding of request input (`WHMCS\Input\Sanitize`): everything a person or an API
 * caller sends is encoded on the way in (`&` -> `&amp;`, `'` -> `&#039;`, `"` -> `&quot;`, `<` `>`)
 * and stored that way; module `$params` (APIVersion 1.1) are decoded again, hook `$vars` and
 * `localAPI` results are not.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Html
{
    /** VALUE encoded like WHMCS encodes request input (strings only; arrays recursively). */
    public static function encode(mixed $value): mixed
    {
        if (is_array($value)) {
            return array_map([self::class, 'encode'], $value);
        }
        if (!is_string($value)) {
            return $value;
        }
        // Text of an install from before UTF-8 (Windows-1252 bytes) is in its database as it was
        // stored then; htmlspecialchars() in UTF-8 mode would answer '' for it, so its special
        // characters are encoded byte-wise instead and its other bytes kept.
        $charset = mb_check_encoding($value, 'UTF-8') ? 'UTF-8' : 'ISO-8859-1';
        return htmlspecialchars($value, ENT_QUOTES | ENT_HTML401, $charset);
    }

    /** VALUE decoded like WHMCS decodes module `$params` (strings only; arrays recursively, objects kept). */
    public static function decode(mixed $value): mixed
    {
        if (is_array($value)) {
            return array_map([self::class, 'decode'], $value);
        }
        return is_string($value) ? htmlspecialchars_decode($value, ENT_QUOTES | ENT_HTML401) : $value;
    }
}
