{* The emulated product details page, around the module's output as WHMCS's client themes place it
   (WHMCS/templates-twenty-one and templates-nexus, clientareaproductdetails.tpl): the custom
   button's result as an alert, printed as the module answered it ("success" -> moduleactionsuccess,
   anything else -> moduleactionfailed and the text), then the module output, shown only when
   there is some, inside <div class="text-center module-client-area">. Written for the emulator;
   the rest of the real page (status, billing, tabs) is left out. *}
{if $modulecustombuttonresult}
{if $modulecustombuttonresult == "success"}
<div class="alert alert-success text-center" id="alertModuleCustomButtonSuccess">{$LANG.moduleactionsuccess}</div>
{else}
<div class="alert alert-danger text-center" id="alertModuleCustomButtonFailed">{$LANG.moduleactionfailed} {$modulecustombuttonresult}</div>
{/if}
{/if}
{if $moduleclientarea}
<div class="tab-pane text-center" id="manage">
<div class="text-center module-client-area">
{$moduleclientarea}
</div>
</div>
{/if}
