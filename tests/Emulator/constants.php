<?php

/**
 * The constants WHMCS defines before it includes a module: WHMCS (the include guard) and
 * ROOTDIR (the installation's root; here a scratch tree under the temp directory, made by
 * WhmcsTree::create()). Declarations only.
 */

declare(strict_types=1);

define('WHMCS', true);
define('ROOTDIR', sys_get_temp_dir() . '/sgwhmcs-whmcs-' . getmypid());
