<?php

/**
 * One measured value of a metric, as documented at
 * https://developers.whmcs.com/classes/whmcs/usagebilling/contracts/metrics/usageinterface
 */

declare(strict_types=1);

namespace WHMCS\UsageBilling\Contracts\Metrics;

interface UsageInterface
{
    public function collectedAt();

    public function startAt();

    public function endAt();

    /** @return int|float */
    public function value();
}
