<?php

/**
 * The setup the server-level Lifecycle tests share (ListAccounts, MetricProvider): sgsim added as
 * a WHMCS server under Setup › Servers, and products of an Action on it.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Lifecycle;

use SgWhmcs\Tests\Support\Labels;

trait SimServerSetup
{
    /** Adds the test's sgsim as a WHMCS server (TLS, pinned by its SHA-256) and answers its id. */
    private function addSimServer(): int
    {
        return $this->whmcs->addServer(['name' => 'Backup', 'ipaddress' => ''] + $this->sim->serverRecord());
    }

    /** Adds product `$name` making `$action` accounts of `$storage` bytes on server `$serverId`. */
    private function addSimProduct(string $name, string $action, string $storage, int $serverId): int
    {
        return $this->whmcs->addProduct($name, [
            Labels::ACTION => $action, Labels::STORAGE => $storage,
        ], ['servers' => [$serverId]]);
    }
}
