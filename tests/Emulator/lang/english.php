<?php

// A few of WHMCS's own client-area words ($LANG of the emulated client area): the keys the
// product details page uses around module output. WHMCS fills $LANG from its own lang/ folder
// (and lang/overrides/) only; a server module's lang/ folder is never read. Keys as in WHMCS's
// lang/english.php (moduleactionsuccess, moduleactionfailed, manage: used by the public
// Twenty-One and Six themes' clientareaproductdetails.tpl); the texts are the emulator's.

$_LANG['moduleactionsuccess'] = 'Action Completed Successfully!';
$_LANG['moduleactionfailed'] = 'Action Failed';
$_LANG['manage'] = 'Manage';
