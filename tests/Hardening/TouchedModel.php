<?php

/**
 * For BoundsTest: an object graph like an Eloquent model, whose lazy properties and methods
 * count every read, so a test can show the extension never looks into objects.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hardening;

/** An object graph like an Eloquent model: reading any property or calling a method is seen. */
final class TouchedModel
{
    public static int $touched = 0;
    public ?TouchedModel $self = null;

    public function __get(string $name): mixed
    {
        self::$touched++;
        throw new \LogicException("lazy property $name read");
    }

    public function __isset(string $name): bool
    {
        self::$touched++;
        return true;
    }

    public function __call(string $name, array $arguments): mixed
    {
        self::$touched++;
        throw new \LogicException("method $name called");
    }
}
