<?php

/**
 * The little of WHMCS that bench/fpm-front.php's lifecycle rows need under php-fpm, where the
 * emulator (tests/Emulator) would cost more per request than the module call it measures:
 * this install's id in tblconfiguration (the one query a lifecycle call makes) and localAPI
 * answering success (Create stores the derived username with UpdateClientProduct). Not a test
 * double: nothing here is checked, the bench only times the calls.
 */

declare(strict_types=1);

namespace WHMCS\Database {

    /** Capsule::table('tblconfiguration')->where('setting', …)->value('value'), nothing more. */
    final class Capsule
    {
        public const INSTALL = 'fpmbench0000001';

        private function __construct(private string $table)
        {
        }

        public static function table(string $table): self
        {
            return new self($table);
        }

        public function where(string $column, mixed $value): self
        {
            return $this;
        }

        public function value(string $column): ?string
        {
            return $this->table === 'tblconfiguration' ? self::INSTALL : null;
        }
    }
}

namespace {

    /** WHMCS's localAPI: every command succeeds. */
    function localAPI(string $command, array $values = []): array
    {
        return ['result' => 'success'];
    }
}
