<?php

/**
 * The fake module `emuadmin` of AdminScreensTest (declarations only): admin tab, buttons, a
 * Loader field and AdminLink, each recording its call through FakeModule and answering what the
 * test set.
 */

declare(strict_types=1);

use SgWhmcs\Tests\Whmcs\FakeModule;

// phpcs:disable PSR1.Methods.CamelCapsMethodName,Squiz.Functions.GlobalFunction -- WHMCS names module functions so

function emuadmin_MetaData()
{
    return ['DisplayName' => 'Fake admin', 'APIVersion' => '1.1'];
}

function emuadmin_ConfigOptions()
{
    return [
        'Plan' => ['Type' => 'text', 'Loader' => 'emuadmin_LoadPlans', 'SimpleMode' => true],
        'Other' => ['Type' => 'text'],
        'Advanced' => ['Type' => 'text', 'Loader' => 'emuadmin_LoadPlans'],
    ];
}

function emuadmin_AdminServicesTabFields($params)
{
    return FakeModule::answer('AdminServicesTabFields', $params, ['Row' => '<b>x</b>']);
}

function emuadmin_AdminCustomButtonArray()
{
    FakeModule::record('AdminCustomButtonArray', ['arguments' => func_num_args()]);
    $answer = FakeModule::$answers['AdminCustomButtonArray'] ?? ['Do It' => 'DoIt'];
    return is_callable($answer) ? $answer([]) : $answer;
}

function emuadmin_DoIt($params)
{
    return FakeModule::answer('DoIt', $params, 'success');
}

function emuadmin_LoadPlans($params)
{
    return FakeModule::answer('LoadPlans', $params, ['basic' => 'Basic']);
}

function emuadmin_AdminLink($params)
{
    return FakeModule::answer('AdminLink', $params, '<a href="#">x</a>');
}
