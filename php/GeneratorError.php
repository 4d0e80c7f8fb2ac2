<?php

/**
 * Why the module generator refused: the message says what to fix.
 */

declare(strict_types=1);

namespace SgWhmcs\Generator;

final class GeneratorError extends \RuntimeException
{
}
