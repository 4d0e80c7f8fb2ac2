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
