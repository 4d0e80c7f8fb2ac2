{* sgwhmcs client area (written beside the module by php/generate-module.php).
   Every value in $sgwhmcs is HTML-escaped by the extension; every word is from lang/english.php.
   The classes fit both WHMCS client themes: Bootstrap 3 ("six") and Bootstrap 4 ("twenty-one"). *}
<div class="sgwhmcs-clientarea">
{if !isset($sgwhmcs) || $sgwhmcs.error}
    <div class="alert alert-warning sgwhmcs-unavailable" role="alert">{$LANG.sgwhmcs.unavailable}</div>
{else}
    <div class="panel panel-default card mb-3 sgwhmcs-summary">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$LANG.sgwhmcs.title}</h3>
        </div>
        <div class="panel-body card-body">
            <div class="row">
                <div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.account}</strong></div>
                <div class="col-sm-8 col-md-8 sgwhmcs-account">{$sgwhmcs.account}</div>
            </div>
            <div class="row">
                <div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.status}</strong></div>
                <div class="col-sm-8 col-md-8">
                    <span class="sgwhmcs-status label label-{$sgwhmcs.status_class} badge badge-{$sgwhmcs.status_class}">{$LANG.sgwhmcs[$sgwhmcs.status_key]}</span>
                </div>
            </div>
            <div class="row mt-2">
                <div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.storage}</strong></div>
                <div class="col-sm-8 col-md-8">
{if $sgwhmcs.storage_known}
                    <div class="progress mb-1" style="margin-bottom: 4px;">
                        <div class="sgwhmcs-storage-bar progress-bar progress-bar-{$sgwhmcs.storage_class} bg-{$sgwhmcs.storage_class}" role="progressbar" style="width: {$sgwhmcs.storage_percent}%;" aria-valuenow="{$sgwhmcs.storage_percent}" aria-valuemin="0" aria-valuemax="100"></div>
                    </div>
                    <small class="sgwhmcs-storage text-muted">{$LANG.sgwhmcs.storage_of|sprintf:$sgwhmcs.storage_used:$sgwhmcs.storage_allotted:$sgwhmcs.storage_percent}</small>
{else}
                    <span class="text-muted">{$LANG.sgwhmcs.storage_unknown}</span>
{/if}
                </div>
            </div>
            <div class="row mt-2">
                <div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.mcal}</strong></div>
                <div class="col-sm-8 col-md-8 sgwhmcs-mcal">{if $sgwhmcs.mcal_auto || $sgwhmcs.mcal_allotted === ''}{$LANG.sgwhmcs.mcal_pool|sprintf:$sgwhmcs.mcal_used}{else}{$LANG.sgwhmcs.mcal_of|sprintf:$sgwhmcs.mcal_used:$sgwhmcs.mcal_allotted}{/if}</div>
            </div>
        </div>
    </div>
{if isset($sgwhmcs.machines)}
    <div class="panel panel-default card mb-3 sgwhmcs-machines">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$LANG.sgwhmcs.machines} <span class="badge badge-secondary sgwhmcs-machine-count">{$sgwhmcs.machine_count}</span></h3>
        </div>
        <div class="panel-body card-body">
{if $sgwhmcs.stale_count > 0}
            <div class="alert alert-danger sgwhmcs-stale-summary" role="alert">{$LANG.sgwhmcs.machines_stale_summary|sprintf:$sgwhmcs.stale_count}</div>
{/if}
{if $sgwhmcs.machines|@count == 0}
            <p class="text-muted sgwhmcs-no-machines">{$LANG.sgwhmcs.machines_none}</p>
{else}
            <div class="table-responsive">
            <table class="table table-striped table-sm table-condensed mb-0">
                <thead>
                    <tr>
                        <th>{$LANG.sgwhmcs.machine}</th>
                        <th>{$LANG.sgwhmcs.os}</th>
                        <th>{$LANG.sgwhmcs.last_backup}</th>
                        <th>{$LANG.sgwhmcs.result}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
{foreach $sgwhmcs.machines as $machine}
                    <tr class="sgwhmcs-machine{if $machine.flagged} sgwhmcs-flagged table-danger danger{/if}">
                        <td class="sgwhmcs-machine-name">{$machine.name}</td>
                        <td>{$machine.os}</td>
                        <td class="sgwhmcs-last-backup">{if $machine.last_backup}{$machine.last_backup}{else}{$LANG.sgwhmcs.never}{/if}</td>
                        <td><span class="sgwhmcs-result label label-{$machine.result_class} badge badge-{$machine.result_class}">{$LANG.sgwhmcs[$machine.result_key]}</span></td>
                        <td class="sgwhmcs-health">{if $machine.health_key == 'health_stale'}<strong class="text-danger">&#9888; {$LANG.sgwhmcs.health_stale|sprintf:$machine.stale_days}</strong>{elseif $machine.health_key == 'health_never'}<strong class="text-danger">&#9888; {$LANG.sgwhmcs.health_never}</strong>{else}<span class="text-success">&#10003; {$LANG.sgwhmcs.health_ok}</span>{/if}</td>
                    </tr>
{/foreach}
                </tbody>
            </table>
            </div>
{if $sgwhmcs.machines_more}
            <p class="text-muted small mt-2 sgwhmcs-machines-more">{$LANG.sgwhmcs.machines_more|sprintf:$sgwhmcs.machines_shown:$sgwhmcs.machine_count}</p>
{/if}
{/if}
        </div>
    </div>
    <div class="panel panel-default card mb-3 sgwhmcs-connect">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$LANG.sgwhmcs.connect}</h3>
        </div>
        <div class="panel-body card-body">
            <p>{$LANG.sgwhmcs.connect_intro}</p>
            <div class="row"><div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.server}</strong></div><div class="col-sm-8 col-md-8"><code class="sgwhmcs-server">{$sgwhmcs.server_host}</code></div></div>
            <div class="row"><div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.port}</strong></div><div class="col-sm-8 col-md-8"><code class="sgwhmcs-port">{$sgwhmcs.server_port}</code></div></div>
            <div class="row"><div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.account}</strong></div><div class="col-sm-8 col-md-8"><code>{$sgwhmcs.account}</code></div></div>
            <div class="row mt-2">
                <div class="col-sm-4 col-md-4"><strong>{$LANG.sgwhmcs.passkey}</strong></div>
                <div class="col-sm-8 col-md-8">
{if $sgwhmcs.passkey_shown}
                    <code class="sgwhmcs-passkey">{$sgwhmcs.passkey}</code>
                    <p class="small text-muted mt-1 mb-0">{$LANG.sgwhmcs.passkey_note}</p>
{elseif $sgwhmcs.can_reveal}
                    <form method="post" action="clientarea.php?action=productdetails&amp;id={$sgwhmcs.serviceid}" class="sgwhmcs-reveal">
                        <input type="hidden" name="token" value="{$token|default:''|escape:'html'}" />
                        <input type="hidden" name="id" value="{$sgwhmcs.serviceid}" />
                        <input type="hidden" name="modop" value="custom" />
                        <input type="hidden" name="a" value="{$sgwhmcs.reveal_function}" />
                        <span class="text-muted">{$LANG.sgwhmcs.passkey_hidden}</span>
                        <button type="submit" class="btn btn-default btn-secondary btn-sm">{$LANG.sgwhmcs.passkey_reveal}</button>
                    </form>
{else}
                    <span class="text-muted">{$LANG.sgwhmcs.passkey_inactive}</span>
{/if}
                </div>
            </div>
        </div>
    </div>
{/if}
    <div class="panel panel-default card mb-3 sgwhmcs-downloads">
        <div class="panel-heading card-header">
            <h3 class="panel-title card-title m-0 h5">{$LANG.sgwhmcs.downloads}</h3>
        </div>
        <div class="panel-body card-body">
{if $sgwhmcs.downloads|@count == 0}
            <p class="text-muted mb-0">{$LANG.sgwhmcs.downloads_none}</p>
{else}
{foreach $sgwhmcs.downloads as $download}
            <a class="btn btn-default btn-outline-primary btn-sm mr-2 mb-2 sgwhmcs-download" href="{$download.url}" rel="noopener noreferrer">&#8681; {$download.os}</a>
{/foreach}
{/if}
        </div>
    </div>
{/if}
</div>
