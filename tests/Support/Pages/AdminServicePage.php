<?php

/**
 * The admin's service page (Clients › Client Profile › Products/Services) around a module's
 * answers, for the rendering test and `make screenshots`: Bootstrap 3 (Debian's libjs-bootstrap,
 * inlined: no network), the framework of WHMCS 8's default admin template "Blend" (its markup uses
 * Bootstrap 3's panel, btn-default and pull-right; docs.whmcs.com "Admin Area" names Blend the
 * default admin template). Our own markup and CSS, in the shape docs.whmcs.com's
 * "Products/Services Tab" page describes (docs.whmcs.com/clients/client-profile/
 * products-services-tab): the client's tabs, the service chooser, the service's fields in a
 * two-column label/value form, the "Module Commands" row (WHMCS's own commands, then the buttons
 * of `<module>_AdminCustomButtonArray()`, developers.whmcs.com/provisioning-modules/
 * custom-functions/), the rows of `<module>_AdminServicesTabFields()` printed as the module's
 * HTML (developers.whmcs.com/provisioning-modules/admin-area/), then Save Changes. The result of
 * the last button shows above the form ("Module Command Success", or the error text).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support\Pages;

final class AdminServicePage
{
    /** Bootstrap 3 as Debian ships it (libjs-bootstrap). */
    public const BOOTSTRAP3 = '/usr/share/javascript/bootstrap/css/bootstrap.min.css';

    /** WHMCS's own module commands of a server module, before the module's buttons. */
    public const WHMCS_COMMANDS = ['Create', 'Suspend', 'Unsuspend', 'Terminate', 'Change Package', 'Change Password'];

    /**
     * @param array{id: int, product: string, username: string, status: string, regdate: string,
     *     client: string} $service the service's own fields
     * @param array<string, string> $tab the module's tab fields, label => HTML
     * @param array<string, string> $buttons the module's buttons, label => function suffix
     * @param string $shown what the last button showed ('' for none)
     */
    public function __construct(
        private readonly array $service,
        private readonly array $tab,
        private readonly array $buttons,
        private readonly string $shown = ''
    ) {
    }

    public function render(): string
    {
        $css = @file_get_contents(self::BOOTSTRAP3);
        if (!is_string($css) || $css === '') {
            throw new \RuntimeException('Bootstrap 3 is missing: apt-get install libjs-bootstrap (make deps)');
        }
        $s = $this->service;
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            . '<title>Clients - ' . self::e($s['client']) . " - Products/Services (Blend)</title>\n"
            . "<style>\n" . $css . "\n" . self::CSS . "\n</style>\n</head>\n<body>\n"
            . $this->header()
            . "<div class=\"contentarea container-fluid\">\n"
            . '<h1>Client Profile <small>#' . $s['id'] . ' ' . self::e($s['client']) . "</small></h1>\n"
            . $this->clientTabs()
            . "<div class=\"tab-body\">\n"
            . $this->result()
            . '<form class="service-chooser form-inline"><label>Service</label> <select class="form-control input-sm">'
            . '<option selected>' . self::e($s['product']) . ' - ' . self::e($s['username'])
            . "</option></select></form>\n"
            . "<form method=\"post\" action=\"clientsservices.php\">\n"
            . "<table class=\"form table-form\" width=\"100%\">\n"
            . $this->ownFields()
            . $this->commands()
            . $this->moduleFields()
            . self::row('Admin Notes', '<textarea class="form-control" rows="3"></textarea>')
            . "</table>\n"
            . '<div class="btn-container"><button type="submit" class="btn btn-primary">Save Changes</button> '
            . "<button type=\"reset\" class=\"btn btn-default\">Cancel Changes</button></div>\n"
            . "</form>\n</div>\n</div>\n</body>\n</html>\n";
    }

    /** The admin header: the WHMCS menu bar. */
    private function header(): string
    {
        $menu = '';
        foreach (['Clients', 'Orders', 'Billing', 'Support', 'Reports', 'Utilities', 'Addons'] as $item) {
            $menu .= '<li' . ($item === 'Clients' ? ' class="active"' : '') . "><a href=\"#\">$item</a></li>";
        }
        return "<div class=\"navbar navbar-inverse navbar-static-top admin-header\"><div class=\"container-fluid\">\n"
            . "<span class=\"navbar-brand\">WHMCS</span>\n<ul class=\"nav navbar-nav\">$menu</ul>\n"
            . "<p class=\"navbar-text navbar-right\">Hello, Admin</p>\n</div></div>\n";
    }

    /** The client profile's tabs, Products/Services active. */
    private function clientTabs(): string
    {
        $html = "<ul class=\"nav nav-tabs client-tabs\">\n";
        $tabs = ['Summary', 'Profile', 'Contacts', 'Products/Services', 'Domains', 'Invoices', 'Tickets', 'Log'];
        foreach ($tabs as $tab) {
            $html .= '<li' . ($tab === 'Products/Services' ? ' class="active"' : '') . "><a href=\"#\">$tab</a></li>\n";
        }
        return $html . "</ul>\n";
    }

    /** The box the last module command left (success green, error red), as WHMCS shows it. */
    private function result(): string
    {
        if ($this->shown === '') {
            return '';
        }
        $ok = $this->shown === 'Module Command Success';
        return '<div class="alert alert-' . ($ok ? 'success' : 'danger') . ' module-result"><strong>'
            . ($ok ? 'Success!' : 'Error!') . '</strong> ' . self::e($this->shown) . "</div>\n";
    }

    /** The service's own fields, two label/value pairs a row. */
    private function ownFields(): string
    {
        $s = $this->service;
        $pairs = [
            ['Order #', '1 - <a href="#">View Order</a>', 'Registration Date', self::e($s['regdate'])],
            ['Product/Service', self::e($s['product']), 'First Payment Amount', '4.00'],
            ['Server', 'Backup Server', 'Recurring Amount', '4.00'],
            ['Username', self::e($s['username']), 'Next Due Date', self::e($s['regdate'])],
            ['Password', '&bull;&bull;&bull;&bull;&bull;&bull;&bull;&bull;', 'Billing Cycle', 'Monthly'],
            ['Status', self::e($s['status']), 'Payment Method', 'Bank Transfer'],
        ];
        $html = '';
        foreach ($pairs as [$l1, $v1, $l2, $v2]) {
            $html .= "<tr><td class=\"fieldlabel\">$l1</td><td class=\"fieldarea\">$v1</td>"
                . "<td class=\"fieldlabel\">$l2</td><td class=\"fieldarea\">$v2</td></tr>\n";
        }
        return $html;
    }

    /** The Module Commands row: WHMCS's commands, then the module's buttons. */
    private function commands(): string
    {
        $html = '';
        foreach (self::WHMCS_COMMANDS as $command) {
            $html .= '<button type="button" class="btn btn-default">' . self::e($command) . '</button> ';
        }
        foreach ($this->buttons as $label => $suffix) {
            $html .= '<button type="button" class="btn btn-default module-button" data-function="'
                . self::e($suffix) . '">' . self::e($label) . '</button> ';
        }
        return self::row('Module Commands', '<div class="module-commands">' . $html . '</div>');
    }

    /** The module's tab rows, label escaped, value printed as the module's HTML. */
    private function moduleFields(): string
    {
        $html = '';
        foreach ($this->tab as $label => $value) {
            $html .= self::row(self::e($label), '<span class="module-field">' . $value . '</span>');
        }
        return $html;
    }

    /** A full-width row: LABEL_HTML and VALUE_HTML. */
    private static function row(string $labelHtml, string $valueHtml): string
    {
        return "<tr><td class=\"fieldlabel\">$labelHtml</td>"
            . "<td class=\"fieldarea\" colspan=\"3\">$valueHtml</td></tr>\n";
    }

    private static function e(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    /** Our approximation of Blend's look. */
    private const CSS = <<<'CSS'
body { background: #f2f4f7; font-size: 13px; color: #333; }
.admin-header { background: #1f3a5a; border: 0; margin: 0; }
.admin-header .navbar-brand { color: #fff; font-weight: 700; letter-spacing: .05em; }
.admin-header .navbar-nav > li > a { color: #d6e0eb; }
.admin-header .navbar-nav > .active > a, .admin-header .navbar-nav > .active > a:hover {
  background: #2d5684;
  color: #fff;
}
.admin-header .navbar-text { color: #d6e0eb; margin-right: 15px; }
.contentarea { padding: 15px 30px 40px; }
.contentarea h1 { font-size: 22px; margin: 5px 0 15px; color: #1f3a5a; }
.client-tabs { border-bottom-color: #ccc; }
.client-tabs > li > a { padding: 7px 12px; color: #555; }
.tab-body { background: #fff; border: 1px solid #ccc; border-top: 0; padding: 15px; }
.service-chooser { margin-bottom: 12px; }
.service-chooser label { margin-right: 6px; }
table.form { border-collapse: separate; border-spacing: 2px; margin-bottom: 12px; }
table.form td { padding: 6px 8px; vertical-align: middle; }
table.form td.fieldlabel { width: 16%; background: #efefef; text-align: right; color: #444; }
table.form td.fieldarea { background: #f8f8f8; }
.module-commands .btn { margin: 2px 0; }
.module-commands .module-button { border-color: #8aa4c0; color: #1f3a5a; }
.btn-container { text-align: center; padding: 8px; }
.module-result { margin-bottom: 12px; }
CSS;
}
