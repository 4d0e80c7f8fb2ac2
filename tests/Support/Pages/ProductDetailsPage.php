<?php

/**
 * A whole client area "product details" page around a module's output, in the shape WHMCS's
 * client themes give it, for the rendering tests and `make screenshots`. Our own markup, written
 * from reading the public themes (none of their files is copied):
 *
 * - WHMCS/templates-twenty-one `clientareaproductdetails.tpl`, `header.tpl`, `footer.tpl`,
 *   `includes/sidebar.tpl`, `includes/breadcrumb.tpl`, `theme.yaml` (Bootstrap 4.5.2);
 * - WHMCS/templates-nexus `clientareaproductdetails.tpl`, `header.tpl`, `theme.yaml`
 *   (Bootstrap 4.5.3), `sass/theme.scss` and `sass/invoice.scss` (built on Bootstrap 4 with its
 *   own design tokens), `sass/_layout.scss`, `sass/_product-details.scss`, `sass/_sidebar.scss`
 *   (read in a public copy of the theme, unregistry/undomains `templates/nexus/`, and in
 *   WHMCS/templates-nexus itself).
 *
 * Both themes put the page in one shape: header (brand, navigation), a breadcrumb band, then a
 * row of a sidebar (col-lg-4 col-xl-3: the service's menu and actions) and the primary content
 * (col-lg-8 col-xl-9). The product details content is a card with the service overview (status
 * block with the product and group, then registration date, billing cycle, next due date, ...),
 * then `ul.nav.nav-tabs` whose first tab, "Manage" when the service has no domain, holds
 * `<div class="tab-content product-details-tab-container">` → `<div class="tab-pane ... text-center"
 * id="manage">` → `<div class="text-center module-client-area">{$moduleclientarea}</div>`. So
 * module output is centred by default. Both use Bootstrap 4 (Debian's libjs-bootstrap4, 4.6.1,
 * is inlined: no network); the looks differ (our own CSS approximating each).
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support\Pages;

abstract class ProductDetailsPage
{
    /** Bootstrap 4 as Debian ships it (libjs-bootstrap4); both themes are built on 4.5. */
    public const BOOTSTRAP4 = '/usr/share/javascript/bootstrap4/css/bootstrap.min.css';

    /** The element both themes put `{$moduleclientarea}` in. */
    public const MODULE_AREA = '<div class="text-center module-client-area">';

    /**
     * The facts of the service the page shows around the module output.
     *
     * @param array{product: string, group: string, status: string, regdate: string} $service
     */
    public function __construct(private readonly array $service)
    {
    }

    /** The theme's name, for the page title. */
    abstract protected function theme(): string;

    /** CSS of our own that gives the page the theme's look (added after Bootstrap). */
    abstract protected function css(): string;

    /** From `<body>` to the start of the content row: header, navigation, breadcrumb. */
    abstract protected function header(string $company, string $client): string;


    /**
     * The module area of MODULE_HTML: as it is when it already is the theme's
     * `text-center module-client-area` element (an emulator that wraps), else wrapped in it.
     */
    public static function moduleArea(string $moduleHtml): string
    {
        $trimmed = trim($moduleHtml);
        if (str_starts_with($trimmed, self::MODULE_AREA) && str_ends_with($trimmed, '</div>')) {
            return $trimmed;
        }
        return self::MODULE_AREA . "\n" . $moduleHtml . "\n</div>";
    }

    /** The whole page with MODULE_HTML (the module's output, wrapped or not) in its place. */
    public function render(string $moduleHtml): string
    {
        $css = @file_get_contents(self::BOOTSTRAP4);
        if (!is_string($css) || $css === '') {
            throw new \RuntimeException('Bootstrap 4 is missing: apt-get install libjs-bootstrap4 (make deps)');
        }
        $company = 'Example Hosting';
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            . '<meta name="viewport" content="width=device-width, initial-scale=1">' . "\n"
            . '<title>' . self::e('Product Details - ' . $company . ' (' . $this->theme() . ')') . "</title>\n"
            . "<style>\n" . $css . "\n" . $this->css() . "\n</style>\n</head>\n"
            . $this->header($company, 'Acme &amp; Sons')
            . "<section id=\"main-body\">\n<div class=\"container\">\n<div class=\"row\">\n"
            . "<div class=\"col-lg-4 col-xl-3\">\n<div class=\"sidebar\">\n" . $this->sidebar() . "</div>\n</div>\n"
            . "<div class=\"col-lg-8 col-xl-9 primary-content\">\n"
            . $this->overview()
            . $this->tabs($moduleHtml)
            . "</div>\n</div>\n</div>\n</section>\n"
            . self::footerBand($company)
            . "</html>\n";
    }

    /** The service overview card: status block on the left, dates and billing on the right. */
    private function overview(): string
    {
        $status = $this->service['status'];
        $facts = [
            'Registration Date' => $this->service['regdate'],
            'Recurring Amount' => '$4.00 USD',
            'Billing Cycle' => 'Monthly',
            'Next Due Date' => $this->service['regdate'],
            'Payment Method' => 'Bank Transfer',
        ];
        $right = '';
        foreach ($facts as $label => $value) {
            $right .= '<h4>' . self::e($label) . '</h4><p>' . self::e($value) . "</p>\n";
        }
        return "<div class=\"card\">\n<div class=\"card-body\">\n<div class=\"product-details\">\n<div class=\"row\">\n"
            . "<div class=\"col-md-6\">\n"
            . '<div class="product-status product-status-' . self::e(strtolower($status)) . " mb-3\">\n"
            . "<div class=\"product-icon text-center\">\n"
            . '<span class="product-glyph" aria-hidden="true">&#9729;</span>' . "\n"
            . '<h3>' . self::e($this->service['product']) . '</h3><h4>' . self::e($this->service['group']) . "</h4>\n"
            . "</div>\n"
            . '<div class="product-status-text">' . self::e($status) . "</div>\n</div>\n"
            . $this->actions()
            . "</div>\n"
            . "<div class=\"col-md-6 text-center product-facts\">\n" . $right . "</div>\n"
            . "</div>\n</div>\n</div>\n</div>\n";
    }

    /** The buttons under the status block (Nexus: one per row, as here). */
    protected function actions(): string
    {
        return "<div class=\"row product-actions-wrapper\">\n"
            . "<div class=\"col-12\"><a href=\"#\" class=\"btn btn-block btn-success\">Upgrade</a></div>\n"
            . "<div class=\"col-12\"><a href=\"#\" class=\"btn btn-block btn-danger\">Request Cancellation</a></div>\n"
            . "</div>\n";
    }

    /** The tabs under the overview; the first ("Manage") holds the module area. */
    private function tabs(string $moduleHtml): string
    {
        return "<ul class=\"nav nav-tabs responsive-tabs-sm\">\n"
            . "<li class=\"nav-item\"><a href=\"#manage\" class=\"nav-link active\">Manage</a></li>\n"
            . "<li class=\"nav-item\"><a href=\"#additionalinfo\" class=\"nav-link\">Additional Information</a></li>\n"
            . "</ul>\n"
            . "<div class=\"tab-content bg-white product-details-tab-container\">\n"
            . "<div class=\"tab-pane fade show active text-center\" role=\"tabpanel\" id=\"manage\">\n"
            . self::moduleArea($moduleHtml) . "\n"
            . "</div>\n</div>\n";
    }

    /** The main navigation's links, the same in both themes' client area. */
    protected static function mainNav(): string
    {
        $html = "<ul class=\"nav\">\n";
        foreach (['Home', 'Services', 'Domains', 'Billing', 'Support'] as $item) {
            $html .= "<li class=\"nav-item\"><a class=\"nav-link\" href=\"#\">$item</a></li>\n";
        }
        return $html . "<li class=\"nav-item ml-auto\"><a class=\"nav-link\" href=\"#\">Hello, Jane!</a></li>\n</ul>";
    }

    /** The breadcrumb band of the product details page. */
    protected static function breadcrumb(): string
    {
        return "<nav class=\"master-breadcrumb\" aria-label=\"breadcrumb\"><div class=\"container\">\n"
            . "<ol class=\"breadcrumb\"><li class=\"breadcrumb-item\"><a href=\"#\">Portal Home</a></li>"
            . "<li class=\"breadcrumb-item\"><a href=\"#\">Client Area</a></li>"
            . "<li class=\"breadcrumb-item\"><a href=\"#\">My Products &amp; Services</a></li>"
            . "<li class=\"breadcrumb-item active\" aria-current=\"page\">Product Details</li></ol>\n"
            . "</div></nav>\n";
    }

    /** The footer both themes draw: links, then the copyright line. */
    protected static function footerBand(string $company): string
    {
        return "<footer id=\"footer\" class=\"footer\"><div class=\"container\">\n"
            . "<ul class=\"nav\"><li class=\"nav-item\"><a class=\"nav-link\" href=\"#\">Contact Us</a></li>"
            . "<li class=\"nav-item\"><a class=\"nav-link\" href=\"#\">Terms of Service</a></li></ul>\n"
            . '<p class="copyright">Copyright &copy; ' . date('Y') . ' ' . self::e($company)
            . ". All Rights Reserved.</p>\n"
            . "</div></footer>\n</body>\n";
    }

    /** The service menu and actions cards of the sidebar. */
    protected function sidebar(): string
    {
        return self::sidebarCard('Overview', ['Information', 'Addons'], 0)
            . self::sidebarCard('Actions', ['Upgrade/Downgrade', 'Request Cancellation']);
    }

    /** HTML-escapes TEXT for an element or an attribute. */
    protected static function e(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    /**
     * A sidebar card as both themes draw one (`card card-sidebar` with a header and a flush list
     * group; the current item marked active).
     *
     * @param list<string> $items
     * @param int|null $current the index of the current item, if one is
     */
    protected static function sidebarCard(string $title, array $items, ?int $current = null): string
    {
        $html = "<div class=\"mb-3 card card-sidebar\">\n<div class=\"card-header\"><h3 class=\"card-title m-0\">"
            . self::e($title) . "</h3></div>\n<div class=\"list-group list-group-flush\">\n";
        foreach ($items as $i => $item) {
            $active = $i === $current ? ' active' : '';
            $html .= '<a href="#" class="list-group-item list-group-item-action' . $active . '">'
                . self::e($item) . "</a>\n";
        }
        return $html . "</div>\n</div>\n";
    }
}
