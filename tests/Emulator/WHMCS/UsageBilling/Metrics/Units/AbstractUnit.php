<?php

/**
 * The base of WHMCS's units, with WHMCS's constructor signature
 * (https://developers.whmcs.com/classes/whmcs/usagebilling/metrics/units/abstractunit):
 * `__construct($name, $singlePerUnitName = null, $pluralPerUnitName = null, $prefix = null,
 * $suffix = null)`. `$name` has NO default: `WholeNumber` and `FloatingPoint` declare no
 * constructor, so `new WholeNumber()` throws ArgumentCountError (an \Error, which the pages and
 * the termination that call a provider do not catch); only the named units (Bytes, KiloBytes,
 * MegaBytes, GigaBytes, Accounts, Domains) give defaults. The accessors are WHMCS's: name(),
 * perUnitName(), prefix(), suffix(), decorate(), roundForType(), formatForType(), type().
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Metrics\Units;

use WHMCS\UsageBilling\Contracts\Metrics\UnitInterface;

abstract class AbstractUnit implements UnitInterface
{
    protected const VALUE_TYPE = self::TYPE_FLOAT;

    /** @var mixed */
    private $name;
    /** @var mixed */
    private $singlePerUnitName;
    /** @var mixed */
    private $pluralPerUnitName;
    /** @var mixed */
    private $prefix;
    /** @var mixed */
    private $suffix;

    /**
     * @param mixed $name
     * @param mixed $singlePerUnitName
     * @param mixed $pluralPerUnitName
     * @param mixed $prefix
     * @param mixed $suffix
     */
    public function __construct(
        $name,
        $singlePerUnitName = null,
        $pluralPerUnitName = null,
        $prefix = null,
        $suffix = null
    ) {
        $this->name = $name;
        $this->singlePerUnitName = $singlePerUnitName;
        $this->pluralPerUnitName = $pluralPerUnitName;
        $this->prefix = $prefix;
        $this->suffix = $suffix;
    }

    public function name()
    {
        return $this->name;
    }

    /** The word per unit for VALUE: the singular for 1, else the plural (the name when none). */
    public function perUnitName($value = 0)
    {
        $word = (float) $value === 1.0 ? $this->singlePerUnitName : $this->pluralPerUnitName;
        return $word ?? $this->name;
    }

    public function prefix()
    {
        return $this->prefix;
    }

    public function suffix()
    {
        return $this->suffix;
    }

    /** VALUE as the pages print it: prefix, the number formatted for the type, suffix. */
    public function decorate($value)
    {
        return (string) $this->prefix . $this->formatForType($value) . (string) $this->suffix;
    }

    public function roundForType($value)
    {
        return static::VALUE_TYPE === self::TYPE_INT ? (int) round((float) $value) : round((float) $value, 2);
    }

    public function formatForType($value)
    {
        return static::VALUE_TYPE === self::TYPE_INT
            ? (string) $this->roundForType($value)
            : number_format((float) $this->roundForType($value), 2, '.', '');
    }

    public function type()
    {
        return static::VALUE_TYPE;
    }
}
