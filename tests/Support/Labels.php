<?php

/**
 * The 24 Module Settings labels of docs/settings.md, in their stored order
 * (position = index + 1). What the tests expect ConfigOptions() to declare.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

final class Labels
{
    public const PROTOCOL = 'Protocol';
    public const HOST = 'HostName or IP Address';
    public const PORT = 'WebConsole Port';
    public const USERNAME = 'UserName';
    public const PASSWORD = 'Password';
    public const ACTION = 'Action';
    public const RESELLER = 'Reseller Name';
    public const ACTIVATION = 'Activation Status';
    public const AUTO_AUTHORIZATION = 'Auto Authorization Status';
    public const STORAGE = 'Storage Allotted';
    public const LOCATION = 'Storage Location';
    public const REPORT = 'Enable Consolidated Report';
    public const REPORT_EMAIL = 'Consolidated Report Email';
    public const AUTO_MCAL = 'Is Auto MCAL';
    public const MCAL = 'Allot MCAL';
    public const THROTTLING = 'Bandwidth Throttling';
    public const THROTTLE_ENABLED = 'Enable Throttle for new configuration';
    public const THROTTLE_MODE = 'Throttle Settings';
    public const THROTTLE_FROM = 'Throttle From';
    public const THROTTLE_TILL = 'Throttle Till';
    public const RATE = 'Restricted Rate';
    public const SEND_MAIL = 'Send Mail';
    public const PASS_KEY = 'Retrieve Customer Pass Key';
    public const FINGERPRINT = 'Server Certificate SHA-256';

    /**
     * Label => [Type, Default, Options] as docs/settings.md declares them.
     */
    public const TABLE = [
        self::PROTOCOL => ['dropdown', 'https', ['http', 'https']],
        self::HOST => ['text', '', null],
        self::PORT => ['text', '', null],
        self::USERNAME => ['text', '', null],
        self::PASSWORD => ['password', '', null],
        self::ACTION => ['dropdown', 'Signup Customer', ['Signup Reseller', 'Signup Customer']],
        self::RESELLER => ['text', '', null],
        self::ACTIVATION => ['yesno', 'on', null],
        self::AUTO_AUTHORIZATION => ['yesno', '', null],
        self::STORAGE => ['text', '', null],
        self::LOCATION => ['text', '', null],
        self::REPORT => ['yesno', '', null],
        self::REPORT_EMAIL => ['text', '', null],
        self::AUTO_MCAL => ['yesno', 'on', null],
        self::MCAL => ['text', '', null],
        self::THROTTLING => ['dropdown', 'Global Configuration', ['Global Configuration', 'New Configuration']],
        self::THROTTLE_ENABLED => ['yesno', '', null],
        self::THROTTLE_MODE => ['dropdown', 'Always Throttle', ['Always Throttle', 'Throttle only at specified time']],
        self::THROTTLE_FROM => ['text', '', null],
        self::THROTTLE_TILL => ['text', '', null],
        self::RATE => ['text', '', null],
        self::SEND_MAIL => ['yesno', '', null],
        self::PASS_KEY => ['yesno', '', null],
        self::FINGERPRINT => ['text', '', null],
    ];

    /** @return list<string> the labels in order */
    public static function all(): array
    {
        return array_keys(self::TABLE);
    }
}
