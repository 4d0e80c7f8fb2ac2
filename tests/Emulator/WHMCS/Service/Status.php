<?php

/**
 * WHMCS\Service\Status: the service statuses, as the Server Sync sample module uses them
 * (https://developers.whmcs.com/provisioning-modules/server-sync: `'status' => Status::ACTIVE`).
 */

declare(strict_types=1);

namespace WHMCS\Service;

final class Status
{
    public const PENDING = 'Pending';
    public const ACTIVE = 'Active';
    public const SUSPENDED = 'Suspended';
    public const TERMINATED = 'Terminated';
    public const CANCELLED = 'Cancelled';
    public const FRAUD = 'Fraud';
    public const COMPLETED = 'Completed';
}
