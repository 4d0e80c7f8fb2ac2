<?php

/**
 * The functions of the fake modules of FakeModule (declarations only).
 */

declare(strict_types=1);

use SgWhmcs\Tests\Whmcs\FakeModule;

// phpcs:disable PSR1.Methods.CamelCapsMethodName,Squiz.Functions.GlobalFunction -- WHMCS names module functions so

function emufake_MetaData()
{
    return ['DisplayName' => 'Fake', 'APIVersion' => '1.1', 'DefaultSSLPort' => '2087', 'DefaultNonSSLPort' => '2086'];
}

function emufake_ConfigOptions()
{
    return ['Plan' => ['Type' => 'text', 'Default' => 'basic']];
}

function emufake_CreateAccount($params)
{
    FakeModule::record('CreateAccount', $params);
    return 'success';
}

function emufake_SuspendAccount($params)
{
    FakeModule::record('SuspendAccount', $params);
    return 'success';
}

function emufake_TestConnection($params)
{
    FakeModule::record('TestConnection', $params);
    return FakeModule::$testConnection;
}

function emuoptout_MetaData()
{
    return ['DisplayName' => 'Fake opting out', 'APIVersion' => '1.1', 'AutoGenerateUsernameAndPassword' => false];
}

function emuoptout_ConfigOptions()
{
    return [];
}

function emuoptout_CreateAccount($params)
{
    FakeModule::record('CreateAccount', $params);
    return 'success';
}

function emubill_MetaData()
{
    return [
        'DisplayName' => 'Fake billing',
        'APIVersion' => '1.1',
        'ListAccountsUniqueIdentifierDisplayName' => 'Username',
        'ListAccountsUniqueIdentifierField' => 'username',
        'ListAccountsProductField' => 'configoption1',
    ];
}

function emubill_ConfigOptions()
{
    return ['Plan' => ['Type' => 'text', 'Default' => 'basic']];
}

function emubill_CreateAccount($params)
{
    return FakeModule::answer('CreateAccount', $params, 'success');
}

function emubill_MetricProvider($params)
{
    return FakeModule::answer('MetricProvider', $params, null);
}

function emubill_UsageUpdate($params)
{
    return FakeModule::answer('UsageUpdate', $params, 'success');
}

function emubill_ListAccounts($params)
{
    return FakeModule::answer('ListAccounts', $params, ['success' => true, 'accounts' => []]);
}

function emubill_ChangePackage($params)
{
    return FakeModule::answer('ChangePackage', $params, 'success');
}

function emubill_ChangePassword($params)
{
    return FakeModule::answer('ChangePassword', $params, 'success');
}

function emubill_TerminateAccount($params)
{
    return FakeModule::answer('TerminateAccount', $params, 'success');
}

function emubill_AdminServicesTabFields($params)
{
    return FakeModule::answer('AdminServicesTabFields', $params, []);
}

function emubill_ClientArea($params)
{
    return FakeModule::answer('ClientArea', $params, ['templatefile' => 'emubill-page', 'vars' => []]);
}

function emupage_MetaData()
{
    return ['DisplayName' => 'Fake pages', 'APIVersion' => '1.1'];
}

function emupage_ConfigOptions()
{
    return ['Plan' => ['Type' => 'text', 'Default' => 'basic']];
}

function emupage_CreateAccount($params)
{
    FakeModule::record('CreateAccount', $params);
    return 'success';
}

function emupage_ClientArea($params)
{
    return FakeModule::answer('ClientArea', $params, ['templatefile' => 'overview', 'vars' => []]);
}

function emupage_ClientAreaAllowedFunctions()
{
    return ['Whole', 'Say'];
}

function emupage_Whole($params)
{
    return FakeModule::answer('Whole', $params, 'success');
}

function emupage_Say($params)
{
    return FakeModule::answer('Say', $params, 'success');
}
