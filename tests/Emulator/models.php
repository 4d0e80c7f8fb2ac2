<?php

/**
 * The WHMCS model classes `$params['model']` is made of (Eloquent models in WHMCS 8).
 * Declarations only: tests/bootstrap.php includes this file.
 */

declare(strict_types=1);

namespace WHMCS\Service;

final class Service extends \SgWhmcs\Tests\Emulator\Model
{
}

namespace WHMCS\User;

final class Client extends \SgWhmcs\Tests\Emulator\Model
{
}

namespace WHMCS\Product;

final class Product extends \SgWhmcs\Tests\Emulator\Model
{
}

final class Server extends \SgWhmcs\Tests\Emulator\Model
{
}
