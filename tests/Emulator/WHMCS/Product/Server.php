<?php

/**
 * A server (tblservers row) (an Eloquent model in WHMCS 8), as `$params['model']` holds it: see Model.
 */

declare(strict_types=1);

namespace WHMCS\Product;

final class Server extends \SgWhmcs\Tests\Emulator\Model
{
}
