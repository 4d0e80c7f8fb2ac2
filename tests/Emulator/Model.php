<?php

/**
 * An Eloquent-like model, as `$params['model']` is in WHMCS 8: a PHP object whose attributes and
 * relations are read as properties (through __get), whose relations form a circular graph
 * (service -> client -> services -> the same service), and whose lazily loaded relations may throw
 * when read. Code that converts `$params` to data must not walk into it.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

class Model
{
    /** @var array<string, mixed> */
    private array $relations = [];

    /**
     * @param array<string, mixed> $attributes the row's columns
     * @param array<string, string> $failing relation name => the error reading it throws
     */
    public function __construct(private array $attributes, private array $failing = [])
    {
    }

    public function setRelation(string $name, mixed $value): void
    {
        $this->relations[$name] = $value;
    }

    public function __get(string $name): mixed
    {
        if (array_key_exists($name, $this->attributes)) {
            return $this->attributes[$name];
        }
        if (array_key_exists($name, $this->relations)) {
            return $this->relations[$name];
        }
        if (isset($this->failing[$name])) {
            throw new \RuntimeException($this->failing[$name]);
        }
        return null;
    }

    public function __isset(string $name): bool
    {
        return isset($this->attributes[$name]) || isset($this->relations[$name]);
    }

    /** @return array<string, mixed> the attributes, as Eloquent's toArray() without relations */
    public function toArray(): array
    {
        return $this->attributes;
    }
}
