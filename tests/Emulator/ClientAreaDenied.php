<?php

/**
 * WHMCS refused a client-area request (another client's service, a function the module does not
 * allow, a missing CSRF token): no module function ran.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class ClientAreaDenied extends \RuntimeException
{
}
