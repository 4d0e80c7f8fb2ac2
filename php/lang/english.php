<?php

// The sgwhmcs module's client-area words (php/templates/clientarea.tpl), in English.
//
// WHMCS never reads a server module's lang/ folder: the module file loads these itself, for the
// client's language, and gives them to the template as $sgwhmcs_lang. It reads, each word from
// the last file that has it:
//   lang/english.php                (this file; rewritten when the module is regenerated)
//   lang/overrides/english.php      (your changes to the English words)
//   lang/<language>.php             (a translation, e.g. lang/german.php)
//   lang/overrides/<language>.php   (your changes to it)
// <language> is the client's WHMCS language (the one chosen in the client area, else the
// client's profile, else WHMCS's default language). To translate, or to change a word, put a
// file in lang/overrides/ with only the lines you change, e.g. lang/overrides/german.php:
//   <?php
//   $_LANG['title'] = 'Sicherungskonto';
// A word missing from every file of the language is shown in English. Placeholders (%s, %d)
// are filled in by the template, in this order.

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

$_LANG['title'] = 'Backup account';
$_LANG['unavailable'] = 'The backup details cannot be shown right now. '
    . 'Please try again later or contact support.';
$_LANG['account'] = 'Account name';
$_LANG['status'] = 'Status';
$_LANG['status_active'] = 'Active';
$_LANG['status_inactive'] = 'Inactive';
$_LANG['status_reseller_inactive'] = 'Inactive (suspended by the reseller)';
$_LANG['status_unknown'] = 'Unknown';
$_LANG['storage'] = 'Storage';
$_LANG['storage_of'] = '%s of %s used (%d%%)';
$_LANG['storage_unknown'] = 'Not reported';
$_LANG['mcal'] = 'Licences (MCAL)';
$_LANG['mcal_of'] = '%s of %s in use';
$_LANG['mcal_pool'] = '%s in use (shared pool)';
$_LANG['machines'] = 'Machines';
$_LANG['machines_none'] = 'No machine is connected to this account yet.';
$_LANG['machines_stale_summary'] = '%d machine(s) have had no successful backup for more than 7 days.';
$_LANG['machines_more'] = 'Showing %d of %d machines.';
$_LANG['machine'] = 'Machine';
$_LANG['os'] = 'Operating system';
$_LANG['last_backup'] = 'Last backup';
$_LANG['result'] = 'Result';
$_LANG['never'] = 'Never';
$_LANG['result_success'] = 'Success';
$_LANG['result_warning'] = 'Warning';
$_LANG['result_failed'] = 'Failed';
$_LANG['result_never'] = 'No backup yet';
$_LANG['result_unknown'] = 'Unknown';
$_LANG['health_ok'] = 'OK';
$_LANG['health_stale'] = 'No successful backup for %d days';
$_LANG['health_never'] = 'No successful backup yet';
$_LANG['connect'] = 'Connect a new machine';
$_LANG['connect_intro'] = 'Install the backup agent on the machine, then enter these details:';
$_LANG['server'] = 'Server address';
$_LANG['port'] = 'Port';
$_LANG['passkey'] = 'Pass key';
$_LANG['passkey_hidden'] = 'Hidden';
$_LANG['passkey_reveal'] = 'Show pass key';
$_LANG['passkey_note'] = 'Keep the pass key secret: '
    . 'anyone who has it can register machines to this account.';
$_LANG['passkey_inactive'] = 'The pass key is available while the service is active.';
$_LANG['inactive'] = 'The backup details are shown while the service is active.';
$_LANG['downloads'] = 'Download the backup agent';
$_LANG['downloads_none'] = 'Ask support for the backup agent installer.';
