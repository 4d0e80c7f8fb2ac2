<?php

/**
 * The emulated Module Log (what `logModuleCall()` records), with the secret values given in
 * `$replaceVars` scrubbed as WHMCS does: arrays and other non-strings are first rendered to text
 * (print_r style), then every occurrence of each secret is replaced by as many asterisks.
 * The raw arguments are kept beside the rendered entry so tests can inspect both.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ModuleLog
{
    /** @var list<array<string, mixed>> entries in call order */
    private array $entries = [];

    /**
     * Renders a logged value to the text WHMCS stores.
     */
    public static function render(mixed $value): string
    {
        if (is_string($value)) {
            return $value;
        }
        if (is_bool($value)) {
            return $value ? '1' : '';
        }
        if ($value === null || is_scalar($value)) {
            return (string) $value;
        }
        return print_r($value, true);
    }

    /**
     * Replaces each secret in TEXT by asterisks.
     *
     * @param array<mixed> $secrets
     */
    public static function scrub(string $text, array $secrets): string
    {
        foreach ($secrets as $secret) {
            if (is_array($secret) || is_object($secret)) {
                continue;
            }
            $secret = (string) $secret;
            if ($secret !== '') {
                $text = str_replace($secret, str_repeat('*', strlen($secret)), $text);
            }
        }
        return $text;
    }

    /** What the next logModuleCall() throws (its database insert failed), then heals. */
    public ?\Throwable $throwNext = null;

    /**
     * Records one logModuleCall().
     *
     * @param array<string, mixed> $context what the emulator knew about the running module call
     * @return array<string, mixed> the entry
     */
    public function record(
        mixed $module,
        mixed $action,
        mixed $request,
        mixed $response,
        mixed $processedData,
        mixed $replaceVars,
        array $context
    ): array {
        if ($this->throwNext !== null) {
            [$thrown, $this->throwNext] = [$this->throwNext, null];
            throw $thrown;
        }
        $secrets = is_array($replaceVars) ? $replaceVars : [];
        $entry = [
            'module' => self::render($module),
            'action' => self::render($action),
            'request' => self::scrub(self::render($request), $secrets),
            'response' => self::scrub(self::render($response), $secrets),
            'processed' => self::scrub(self::render($processedData), $secrets),
            'raw' => [
                'request' => $request,
                'response' => $response,
                'processed' => $processedData,
                'replaceVars' => $replaceVars,
            ],
            'context' => $context,
        ];
        $this->entries[] = $entry;
        return $entry;
    }

    /** @return list<array<string, mixed>> */
    public function entries(): array
    {
        return $this->entries;
    }

    /**
     * The raw request arrays logged, optionally only those of one HTTP method and URL path suffix.
     *
     * @return list<array<string, mixed>>
     */
    public function requests(?string $method = null, ?string $pathSuffix = null): array
    {
        $found = [];
        foreach ($this->entries as $entry) {
            $request = $entry['raw']['request'];
            if (!is_array($request)) {
                continue;
            }
            if ($method !== null && strtoupper((string) ($request['method'] ?? '')) !== $method) {
                continue;
            }
            $path = (string) parse_url((string) ($request['url'] ?? ''), PHP_URL_PATH);
            if ($pathSuffix !== null && !str_ends_with($path, $pathSuffix)) {
                continue;
            }
            $found[] = $request;
        }
        return $found;
    }
}
