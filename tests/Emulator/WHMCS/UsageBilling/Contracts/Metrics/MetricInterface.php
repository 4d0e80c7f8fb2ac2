<?php

/**
 * A usage metric, as documented at
 * https://developers.whmcs.com/classes/whmcs/usagebilling/contracts/metrics/metricinterface
 * (the TYPE_* constants' values are WHMCS's internal strings; code compares the constants).
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Contracts\Metrics;

interface MetricInterface
{
    public const TYPE_SNAPSHOT = 'snapshot';
    public const TYPE_PERIOD_DAY = 'day';
    public const TYPE_PERIOD_MONTH = 'month';

    /** @return UsageInterface|null */
    public function usage();

    /** @return static a copy carrying USAGE */
    public function withUsage(?UsageInterface $usage = null);

    /** @return UnitInterface */
    public function units();

    /** @return string the canonical name used by code and between systems */
    public function systemName();

    /** @return string the name shown to users */
    public function displayName();

    /** @return string one of the TYPE_* constants */
    public function type();
}
