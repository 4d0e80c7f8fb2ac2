<?php

/**
 * A client (tblclients row) (an Eloquent model in WHMCS 8), as `$params['model']` holds it: see Model.
 */

declare(strict_types=1);

namespace WHMCS\User;

final class Client extends \SgWhmcs\Tests\Emulator\Model
{
}
