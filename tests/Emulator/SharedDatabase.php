<?php

/**
 * One emulated WHMCS database shared by several PHP processes, as one MySQL database is shared by
 * concurrent WHMCS requests (two admins, the cron, a client): the Store serialized in a file.
 * Each statement (one query of `Capsule`, one localAPI command) runs under an exclusive `flock`
 * of that file: the file is read into the process's Store, the statement runs on the emulator's
 * own Database (so every strictness of the single-process emulator holds), and the Store is
 * written back when it changed. Statements are atomic and see every earlier statement of any
 * process, as MySQL's autocommit statements are; nothing makes two statements one transaction,
 * as nothing does in WHMCS. A single-process test never uses this: the Store then lives in
 * memory only. The Database's indexes (TableIndex) need nothing here: each statement's Store is
 * read afresh, and an index whose rows differ from the Store's is rebuilt on its first use.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class SharedDatabase
{
    /** Statements of this process running now (a statement never takes the lock twice). */
    private int $depth = 0;

    public function __construct(public readonly string $file)
    {
    }

    /** Makes FILE hold STORE (the state a test prepared in its own process); answers the database. */
    public static function create(Store $store, string $file): self
    {
        if (file_put_contents($file, serialize($store), LOCK_EX) === false) {
            throw new \RuntimeException("cannot write the shared database $file");
        }
        return new self($file);
    }

    /** The Store as the last statement of any process left it. */
    public function load(): Store
    {
        $handle = $this->open();
        try {
            flock($handle, LOCK_SH);
            return self::decode((string) stream_get_contents($handle));
        } finally {
            flock($handle, LOCK_UN);
            fclose($handle);
        }
    }

    /** Copies the shared state into WHMCS's Store, for a test to read it through the emulator. */
    public function into(Whmcs $whmcs): void
    {
        self::copy($this->load(), $whmcs->store());
    }

    /**
     * Runs RUN as one statement on WHMCS (this process's emulated installation): under the lock,
     * with WHMCS's Store holding the shared state, written back after. Answers what RUN answered.
     */
    public function statement(Whmcs $whmcs, callable $run): mixed
    {
        if ($this->depth > 0) {
            return $run();
        }
        $handle = $this->open();
        flock($handle, LOCK_EX);
        $this->depth++;
        try {
            $before = (string) stream_get_contents($handle);
            self::copy(self::decode($before), $whmcs->store());
            $result = $run();
            $after = serialize($whmcs->store());
            if ($after !== $before) {
                ftruncate($handle, 0);
                rewind($handle);
                fwrite($handle, $after);
                fflush($handle);
            }
            return $result;
        } finally {
            $this->depth--;
            flock($handle, LOCK_UN);
            fclose($handle);
        }
    }

    /** @return resource */
    private function open()
    {
        $handle = fopen($this->file, 'c+');
        if ($handle === false) {
            throw new \RuntimeException("cannot open the shared database {$this->file}");
        }
        return $handle;
    }

    private static function decode(string $serialized): Store
    {
        $store = unserialize($serialized, ['allowed_classes' => [Store::class]]);
        if (!$store instanceof Store) {
            throw new \RuntimeException('the shared database does not hold a Store');
        }
        return $store;
    }

    /** Sets every property of TO (its private id counters too) to FROM's. */
    private static function copy(Store $from, Store $to): void
    {
        \Closure::bind(function (Store $from): void {
            foreach (get_object_vars($from) as $name => $value) {
                $this->$name = $value;
            }
        }, $to, Store::class)($from);
    }
}
