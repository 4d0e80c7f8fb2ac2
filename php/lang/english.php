<?php

// The sgwhmcs module's client-area texts (php/templates/clientarea.tpl). WHMCS loads
// modules/servers/<module>/lang/<language>.php into $LANG; a translation is a copy of this file
// named after the WHMCS language (e.g. german.php) with the right-hand sides translated.
// Placeholders (%s, %d) are filled in by the template, in this order.

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

$_LANG['sgwhmcs']['title'] = 'Backup account';
$_LANG['sgwhmcs']['unavailable'] = 'The backup details cannot be shown right now. '
    . 'Please try again later or contact support.';
$_LANG['sgwhmcs']['account'] = 'Account name';
$_LANG['sgwhmcs']['status'] = 'Status';
$_LANG['sgwhmcs']['status_active'] = 'Active';
$_LANG['sgwhmcs']['status_inactive'] = 'Inactive';
$_LANG['sgwhmcs']['status_reseller_inactive'] = 'Inactive (suspended by the reseller)';
$_LANG['sgwhmcs']['status_unknown'] = 'Unknown';
$_LANG['sgwhmcs']['storage'] = 'Storage';
$_LANG['sgwhmcs']['storage_of'] = '%s of %s used (%d%%)';
$_LANG['sgwhmcs']['storage_unknown'] = 'Not reported';
$_LANG['sgwhmcs']['mcal'] = 'Licences (MCAL)';
$_LANG['sgwhmcs']['mcal_of'] = '%s of %s in use';
$_LANG['sgwhmcs']['mcal_pool'] = '%s in use (shared pool)';
$_LANG['sgwhmcs']['machines'] = 'Machines';
$_LANG['sgwhmcs']['machines_none'] = 'No machine is connected to this account yet.';
$_LANG['sgwhmcs']['machines_stale_summary'] = '%d machine(s) have had no successful backup for more than 7 days.';
$_LANG['sgwhmcs']['machines_more'] = 'Showing %d of %d machines.';
$_LANG['sgwhmcs']['machine'] = 'Machine';
$_LANG['sgwhmcs']['os'] = 'Operating system';
$_LANG['sgwhmcs']['last_backup'] = 'Last backup';
$_LANG['sgwhmcs']['result'] = 'Result';
$_LANG['sgwhmcs']['never'] = 'Never';
$_LANG['sgwhmcs']['result_success'] = 'Success';
$_LANG['sgwhmcs']['result_warning'] = 'Warning';
$_LANG['sgwhmcs']['result_failed'] = 'Failed';
$_LANG['sgwhmcs']['result_never'] = 'No backup yet';
$_LANG['sgwhmcs']['result_unknown'] = 'Unknown';
$_LANG['sgwhmcs']['health_ok'] = 'OK';
$_LANG['sgwhmcs']['health_stale'] = 'No successful backup for %d days';
$_LANG['sgwhmcs']['health_never'] = 'No successful backup yet';
$_LANG['sgwhmcs']['connect'] = 'Connect a new machine';
$_LANG['sgwhmcs']['connect_intro'] = 'Install the backup agent on the machine, then enter these details:';
$_LANG['sgwhmcs']['server'] = 'Server address';
$_LANG['sgwhmcs']['port'] = 'Port';
$_LANG['sgwhmcs']['passkey'] = 'Pass key';
$_LANG['sgwhmcs']['passkey_hidden'] = 'Hidden';
$_LANG['sgwhmcs']['passkey_reveal'] = 'Show pass key';
$_LANG['sgwhmcs']['passkey_note'] = 'Keep the pass key secret: '
    . 'anyone who has it can register machines to this account.';
$_LANG['sgwhmcs']['passkey_inactive'] = 'The pass key is available while the service is active.';
$_LANG['sgwhmcs']['downloads'] = 'Download the backup agent';
$_LANG['sgwhmcs']['downloads_none'] = 'Ask support for the backup agent installer.';
