{* sgwhmcs client area (written beside the module by php/generate-module.php).
   WHMCS HTML-decodes every template variable before this template runs, and its Smarty does not
   escape: every value is escaped HERE, with |escape:'html', text and attributes alike. The words
   are the module's own ($sgwhmcs_lang, loaded by the module file from its lang/ folder for the
   client's language; WHMCS's $LANG never holds them). WHMCS puts module output inside
   <div class="text-center module-client-area">: text-left (Bootstrap 3/4) and text-start
   (Bootstrap 5) undo the centring for this content. The classes fit Bootstrap 3 ("six"), 4
   ("twenty-one") and 5 ("nexus"). *}
{if isset($sgwhmcs_lang) && is_array($sgwhmcs_lang)}{$w = $sgwhmcs_lang}{else}{$w = []}{/if}
<div class="sgwhmcs-clientarea text-left text-start">
{if !isset($sgwhmcs) || $sgwhmcs.error}
    <div class="alert alert-warning sgwhmcs-unavailable" role="alert">{$w.unavailable|escape:'html'}</div>
{elseif isset($sgwhmcs.inactive) && $sgwhmcs.inactive}
    <p class="text-muted sgwhmcs-inactive">{$w.inactive|escape:'html'}</p>
{else}
    <div class="panel panel-default card mb-3 sgwhmcs-summary">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$w.title|escape:'html'}</h3>
        </div>
        <div class="panel-body card-body">
            <div class="row">
                <div class="col-sm-4 col-md-4"><strong>{$w.account|escape:'html'}</strong></div>
                <div class="col-sm-8 col-md-8 sgwhmcs-account">{$sgwhmcs.account|escape:'html'}</div>
            </div>
            <div class="row">
                <div class="col-sm-4 col-md-4"><strong>{$w.status|escape:'html'}</strong></div>
                <div class="col-sm-8 col-md-8">
                    <span class="sgwhmcs-status label label-{$sgwhmcs.status_class|escape:'html'} badge badge-{$sgwhmcs.status_class|escape:'html'} bg-{$sgwhmcs.status_class|escape:'html'}">{$w[$sgwhmcs.status_key]|escape:'html'}</span>
                </div>
            </div>
            <div class="row mt-2">
                <div class="col-sm-4 col-md-4"><strong>{$w.storage|escape:'html'}</strong></div>
                <div class="col-sm-8 col-md-8">
{if $sgwhmcs.storage_known}
                    <div class="progress mb-1" style="margin-bottom: 4px;">
                        <div class="sgwhmcs-storage-bar progress-bar progress-bar-{$sgwhmcs.storage_class|escape:'html'} bg-{$sgwhmcs.storage_class|escape:'html'}" role="progressbar" style="width: {$sgwhmcs.storage_percent|intval}%;" aria-valuenow="{$sgwhmcs.storage_percent|intval}" aria-valuemin="0" aria-valuemax="100"></div>
                    </div>
                    <small class="sgwhmcs-storage text-muted">{$w.storage_of|sprintf:$sgwhmcs.storage_used:$sgwhmcs.storage_allotted:$sgwhmcs.storage_percent|escape:'html'}</small>
{else}
                    <span class="text-muted">{$w.storage_unknown|escape:'html'}</span>
{/if}
                </div>
            </div>
            <div class="row mt-2">
                <div class="col-sm-4 col-md-4"><strong>{$w.mcal|escape:'html'}</strong></div>
                <div class="col-sm-8 col-md-8 sgwhmcs-mcal">{if $sgwhmcs.mcal_auto || $sgwhmcs.mcal_allotted === ''}{$w.mcal_pool|sprintf:$sgwhmcs.mcal_used|escape:'html'}{else}{$w.mcal_of|sprintf:$sgwhmcs.mcal_used:$sgwhmcs.mcal_allotted|escape:'html'}{/if}</div>
            </div>
        </div>
    </div>
{if isset($sgwhmcs.machines)}
    <div class="panel panel-default card mb-3 sgwhmcs-machines">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$w.machines|escape:'html'} <span class="badge badge-secondary bg-secondary sgwhmcs-machine-count">{$sgwhmcs.machine_count|escape:'html'}</span></h3>
        </div>
        <div class="panel-body card-body">
{if $sgwhmcs.stale_count > 0}
            <div class="alert alert-danger sgwhmcs-stale-summary" role="alert">{$w.machines_stale_summary|sprintf:$sgwhmcs.stale_count|escape:'html'}</div>
{/if}
{if $sgwhmcs.machines|@count == 0}
            <p class="text-muted sgwhmcs-no-machines">{$w.machines_none|escape:'html'}</p>
{else}
            <div class="table-responsive">
            <table class="table table-striped table-sm table-condensed mb-0">
                <thead>
                    <tr>
                        <th>{$w.machine|escape:'html'}</th>
                        <th>{$w.os|escape:'html'}</th>
                        <th>{$w.last_backup|escape:'html'}</th>
                        <th>{$w.result|escape:'html'}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
{foreach $sgwhmcs.machines as $machine}
                    <tr class="sgwhmcs-machine{if $machine.flagged} sgwhmcs-flagged table-danger danger{/if}">
                        <td class="sgwhmcs-machine-name">{$machine.name|escape:'html'}</td>
                        <td>{$machine.os|escape:'html'}</td>
                        <td class="sgwhmcs-last-backup">{if $machine.last_backup}{$machine.last_backup|escape:'html'}{else}{$w.never|escape:'html'}{/if}</td>
                        <td><span class="sgwhmcs-result label label-{$machine.result_class|escape:'html'} badge badge-{$machine.result_class|escape:'html'} bg-{$machine.result_class|escape:'html'}">{$w[$machine.result_key]|escape:'html'}</span></td>
                        <td class="sgwhmcs-health">{if $machine.health_key == 'health_stale'}<strong class="text-danger">&#9888; {$w.health_stale|sprintf:$machine.stale_days|escape:'html'}</strong>{elseif $machine.health_key == 'health_never'}<strong class="text-danger">&#9888; {$w.health_never|escape:'html'}</strong>{else}<span class="text-success">&#10003; {$w.health_ok|escape:'html'}</span>{/if}</td>
                    </tr>
{/foreach}
                </tbody>
            </table>
            </div>
{if $sgwhmcs.machines_more}
            <p class="text-muted small mt-2 sgwhmcs-machines-more">{$w.machines_more|sprintf:$sgwhmcs.machines_shown:$sgwhmcs.machine_count|escape:'html'}</p>
{/if}
{/if}
        </div>
    </div>
    <div class="panel panel-default card mb-3 sgwhmcs-connect">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$w.connect|escape:'html'}</h3>
        </div>
        <div class="panel-body card-body">
            <p>{$w.connect_intro|escape:'html'}</p>
            <div class="row"><div class="col-sm-4 col-md-4"><strong>{$w.server|escape:'html'}</strong></div><div class="col-sm-8 col-md-8"><code class="sgwhmcs-server">{$sgwhmcs.server_host|escape:'html'}</code></div></div>
            <div class="row"><div class="col-sm-4 col-md-4"><strong>{$w.port|escape:'html'}</strong></div><div class="col-sm-8 col-md-8"><code class="sgwhmcs-port">{$sgwhmcs.server_port|escape:'html'}</code></div></div>
            <div class="row"><div class="col-sm-4 col-md-4"><strong>{$w.account|escape:'html'}</strong></div><div class="col-sm-8 col-md-8"><code>{$sgwhmcs.account|escape:'html'}</code></div></div>
            <div class="row mt-2">
                <div class="col-sm-4 col-md-4"><strong>{$w.passkey|escape:'html'}</strong></div>
                <div class="col-sm-8 col-md-8">
{if $sgwhmcs.passkey_shown}
                    <code class="sgwhmcs-passkey">{$sgwhmcs.passkey|escape:'html'}</code>
                    <p class="small text-muted mt-1 mb-0">{$w.passkey_note|escape:'html'}</p>
{elseif $sgwhmcs.can_reveal}
                    <form method="post" action="clientarea.php?action=productdetails&amp;id={$sgwhmcs.serviceid|escape:'url'}" class="sgwhmcs-reveal">
                        <input type="hidden" name="token" value="{$token|default:''|escape:'html'}" />
                        <input type="hidden" name="id" value="{$sgwhmcs.serviceid|escape:'html'}" />
                        <input type="hidden" name="modop" value="custom" />
                        <input type="hidden" name="a" value="{$sgwhmcs.reveal_function|escape:'html'}" />
                        <span class="text-muted">{$w.passkey_hidden|escape:'html'}</span>
                        <button type="submit" class="btn btn-default btn-secondary btn-sm">{$w.passkey_reveal|escape:'html'}</button>
                    </form>
{else}
                    <span class="text-muted">{$w.passkey_inactive|escape:'html'}</span>
{/if}
                </div>
            </div>
        </div>
    </div>
{/if}
    <div class="panel panel-default card mb-3 sgwhmcs-downloads">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$w.downloads|escape:'html'}</h3>
        </div>
        <div class="panel-body card-body">
{if $sgwhmcs.downloads|@count == 0}
            <p class="text-muted mb-0">{$w.downloads_none|escape:'html'}</p>
{else}
{foreach $sgwhmcs.downloads as $download}
{if $download.url|lower|substr:0:8 == 'https://' || $download.url|lower|substr:0:7 == 'http://'}
            <a class="btn btn-default btn-outline-primary btn-sm mr-2 me-2 mb-2 sgwhmcs-download" href="{$download.url|escape:'html'}" rel="noopener noreferrer">&#8681; {$download.os|escape:'html'}</a>
{else}
            <span class="btn btn-default btn-sm disabled mr-2 me-2 mb-2 sgwhmcs-download-invalid">{$download.os|escape:'html'}</span>
{/if}
{/foreach}
{/if}
        </div>
    </div>
{/if}
</div>
