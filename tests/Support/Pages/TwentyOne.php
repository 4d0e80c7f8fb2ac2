<?php

/**
 * The product details page in the shape of Twenty-One, WHMCS 8's default client theme
 * (Bootstrap 4.5): white header with the brand, a knowledgebase search and the cart, the main
 * navigation below it, a grey breadcrumb band, sidebar cards with a grey active item, the
 * "Upgrade"/"Request Cancellation" buttons side by side, a dark footer. Structure read in
 * WHMCS/templates-twenty-one (header.tpl, footer.tpl, clientareaproductdetails.tpl,
 * includes/sidebar.tpl, css/theme.css for its primary colour #336699); markup and CSS are ours.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support\Pages;

final class TwentyOne extends ProductDetailsPage
{
    protected function theme(): string
    {
        return 'Twenty-One';
    }

    protected function css(): string
    {
        return <<<'CSS'
html { background: #222; }
body { background: #f6f6f6; color: #333; font-size: 15px; }
a { color: #336699; }
header.header { background: #fff; border-bottom: 1px solid #e5e5e5; }
header.header .topbar { background: #2b2b2b; color: rgba(255,255,255,.7); font-size: .8rem; padding: 4px 0; }
header.header .brand-row { min-height: 72px; }
header.header .navbar-brand { font-size: 1.6rem; font-weight: 600; color: #336699; }
header.header .search {
  width: 300px;
  border: 1px solid #ddd;
  border-radius: 4px;
  padding: 6px 12px;
  color: #999;
  font-size: .9rem;
}
header.header .cart-btn {
  border: 1px solid #ddd;
  border-radius: 4px;
  padding: 6px 12px;
  color: #666;
  margin-left: 12px;
}
header.header .main-nav { border-top: 1px solid #eee; }
header.header .main-nav .nav-link { color: #444; padding: 12px 14px; font-size: .95rem; }
.master-breadcrumb { background: #eaeaea; border-bottom: 1px solid #ddd; }
.master-breadcrumb .breadcrumb { background: transparent; margin: 0; padding: 9px 0; font-size: .85rem; }
section#main-body { padding: 24px 0 40px; }
.sidebar .card-title { font-size: 16px; }
.sidebar .list-group { font-size: .9em; }
.sidebar .list-group-item { padding: 7px 15px; border-color: #f5f5f5; color: #333; }
.sidebar .list-group-item.active { background: #666; border-color: #666; color: #fff; }
.primary-content .card { margin-bottom: 15px; }
.product-details .product-status { border-radius: 4px; overflow: hidden; }
.product-details .product-icon { background: #efefef; padding: 26px 20px; }
.product-details .product-icon .product-glyph {
  display: inline-block;
  width: 84px;
  height: 84px;
  line-height: 84px;
  border-radius: 50%;
  background: #336699;
  color: #fff;
  font-size: 44px;
}
.product-details .product-icon h3 { margin: 12px 0 4px; font-size: 1.5rem; }
.product-details .product-icon h4 { font-size: 1.05rem; color: #777; }
.product-status-active { background: #46a546; } .product-status-suspended { background: #0768b8; }
.product-status-pending { background: #f89406; }
.product-status-terminated, .product-status-cancelled { background: #666; }
.product-status-text { color: #fff; text-align: center; text-transform: uppercase; padding: 5px; }
.product-facts h4 { font-size: 1rem; font-weight: 600; margin: 10px 0 2px; }
.product-facts p { margin: 0; color: #555; }
.nav-tabs .nav-link { color: #555; } .nav-tabs .nav-link.active { color: #222; }
div.product-details-tab-container { padding: 20px; border: 1px solid #dee2e6; border-top: 0; background: #fff; }
.module-client-area { padding: 15px 15px 0; }
footer.footer { background: #222; color: #ccc; padding: 28px 0 20px; font-size: .9rem; }
footer.footer .nav-link { color: #fff; padding-left: 0; }
footer.footer .copyright { margin: 20px 0 0; color: #999; font-size: .85rem; text-align: center; }
CSS;
    }

    protected function header(string $company, string $client): string
    {
        return "<body class=\"primary-bg-color loggedin clientareaproductdetails\">\n"
            . "<header id=\"header\" class=\"header\">\n"
            . "<div class=\"topbar\"><div class=\"container d-flex\"><div class=\"mr-auto\">No Notifications</div>"
            . "<div class=\"ml-auto\">Logged in as: <u>$client</u></div></div></div>\n"
            . "<div class=\"navbar navbar-light brand-row\"><div class=\"container\">\n"
            . '<a class="navbar-brand mr-3" href="#">' . self::e($company) . "</a>\n"
            . "<div class=\"ml-auto d-flex align-items-center\">"
            . "<span class=\"search\">Search our knowledgebase...</span>"
            . "<span class=\"cart-btn\">Cart (0)</span></div>\n"
            . "</div></div>\n"
            . "<div class=\"main-nav\"><div class=\"container\">" . self::mainNav() . "</div></div>\n"
            . "</header>\n"
            . self::breadcrumb();
    }


    /** Twenty-One puts the two buttons side by side (col-6 each). */
    protected function actions(): string
    {
        return "<div class=\"row\">\n"
            . "<div class=\"col-6\"><a href=\"#\" class=\"btn btn-block btn-success\">Upgrade</a></div>\n"
            . "<div class=\"col-6\"><a href=\"#\" class=\"btn btn-block btn-danger\">Request Cancellation</a></div>\n"
            . "</div>\n";
    }
}
