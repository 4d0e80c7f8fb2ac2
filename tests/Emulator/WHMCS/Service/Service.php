<?php

/**
 * A service (tblhosting row) (an Eloquent model in WHMCS 8), as `$params['model']` holds it: see Model.
 */

declare(strict_types=1);

namespace WHMCS\Service;

final class Service extends \SgWhmcs\Tests\Emulator\Model
{
}
