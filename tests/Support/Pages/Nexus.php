<?php

/**
 * The product details page in the shape of Nexus, WHMCS 9's default client theme: Bootstrap 4.5
 * underneath (its theme.yaml "provides: bootstrap: 4.5.3"; its sass imports bootstrap-four) with
 * its own design tokens on top: rounded cards (--rounding-md) with wide padding, a light
 * "lifted" page background, a breadcrumb band in an "accented" grey, sidebar cards with a
 * transparent bold header and a light active item, the overview's buttons one per row
 * (`product-actions-wrapper`), a dark footer. Structure read in WHMCS/templates-nexus and a public
 * copy of the whole theme (unregistry/undomains `templates/nexus/`: header.tpl,
 * clientareaproductdetails.tpl, theme.yaml, sass/_layout.scss, sass/_sidebar.scss,
 * sass/_product-details.scss, sass/_global.scss); markup and CSS are ours.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support\Pages;

final class Nexus extends ProductDetailsPage
{
    protected function theme(): string
    {
        return 'Nexus';
    }

    protected function css(): string
    {
        return <<<'CSS'
:root { --rounding-sm: 4px; --rounding-md: 8px; --bg-lifted: #f3f4f6; --bg-accented: #e5e7eb;
  --bg-inverted: #111827; --text: #1f2937; --text-lifted: #6b7280; --text-accented: #111827;
  --border: #e5e7eb; --success: #16a34a; --info: #2563eb; }
html, body { background: var(--bg-inverted); }
body { font-family: "Open Sans", "Noto Sans", "DejaVu Sans", sans-serif; color: var(--text); font-size: 15px; }
a { color: var(--text); }
header.header { background: #fff; }
header.header .topbar { background: #374151; color: rgba(255,255,255,.65); font-size: .8rem; padding: 3px 0; }
header.header .brand-row { min-height: 70px; }
header.header .navbar-brand { font-size: 1.5rem; font-weight: 700; letter-spacing: -.02em; }
header.header .search {
  width: 325px;
  border: 1px solid var(--border);
  border-radius: var(--rounding-sm);
  padding: 6px 12px;
  color: #9ca3af;
  font-size: .9rem;
}
header.header .cart-btn {
  position: relative;
  border: 1px solid #e5e5e5;
  border-radius: var(--rounding-sm);
  padding: 6px 12px;
  color: var(--text-lifted);
  margin-left: 8px;
}
header.header .cart-btn .badge { position: absolute; right: -10px; top: -11px; font-size: 10px; padding: 5px 7px; }
header.header .main-nav { padding: 4px 0 14px; }
header.header .main-nav .nav { gap: 4px; }
header.header .main-nav .nav-link { color: #444; font-size: 16px; padding: 6px 18px 6px 0; }
.master-breadcrumb { background: var(--bg-accented); }
.master-breadcrumb .breadcrumb { background: var(--bg-accented); margin: 0; padding: 9px 0; font-size: .9rem; }
.master-breadcrumb .breadcrumb a { color: var(--text-lifted); }
.master-breadcrumb .breadcrumb-item.active { color: var(--text-accented); }
section#main-body { background: var(--bg-lifted); padding: 20px 0 40px; }
.sidebar .card-sidebar { border-radius: var(--rounding-md); }
.sidebar .card-header { background: transparent; font-weight: 600; padding: 12px 16px; }
.sidebar .card-title { font-size: 14px; font-weight: 600; }
.sidebar .list-group-item { padding: 8px 16px; border: none; font-size: 14px; color: var(--text); }
.sidebar .list-group-item.active { background: var(--bg-lifted); color: var(--text-accented); font-weight: 600; }
.sidebar .list-group:last-child { border-radius: 0 0 var(--rounding-md) var(--rounding-md); }
body .primary-content .card { margin-bottom: 16px; border-radius: var(--rounding-md); }
body .primary-content .card .card-body { padding: 32px; }
.product-details .product-status { border-radius: var(--rounding-md); overflow: hidden; }
.product-details .product-icon {
  background: #efefef;
  padding: 30px;
  border-radius: var(--rounding-md) var(--rounding-md) 0 0;
}
.product-details .product-icon .product-glyph {
  display: inline-block;
  width: 84px;
  height: 84px;
  line-height: 84px;
  border-radius: 50%;
  background: var(--bg-inverted);
  color: #fff;
  font-size: 44px;
}
.product-details .product-icon h3 { margin: 12px 0 4px; font-size: 1.45rem; font-weight: 600; }
.product-details .product-icon h4 { font-size: 1rem; color: var(--text-lifted); }
.product-status-active { background: #46a546; } .product-status-suspended { background: #0768b8; }
.product-status-pending { background: #f89406; }
.product-status-terminated, .product-status-cancelled { background: #666; }
.product-status-text { color: #fff; text-align: center; text-transform: uppercase; padding: 5px; }
.product-actions-wrapper > div:not(:last-child) { margin-bottom: .5rem; }
.product-actions-wrapper .btn { border-radius: var(--rounding-md); }
.product-actions-wrapper .btn-success { background: var(--bg-inverted); border-color: var(--bg-inverted); }
.product-facts h4 { font-size: .95rem; font-weight: 600; margin: 10px 0 2px; }
.product-facts p { margin: 0; color: var(--text-lifted); }
.responsive-tabs-sm .nav-item a { margin-right: 2px; color: var(--text-lifted); }
.responsive-tabs-sm .nav-item a.active { color: var(--text-accented); font-weight: 600; }
div.product-details-tab-container {
  margin: 0;
  padding: 20px;
  border: 1px solid #ddd;
  border-top: 0;
  background: #fff;
  border-radius: 0 0 var(--rounding-md) var(--rounding-md);
}
.module-client-area { padding: 15px 15px 0; }
.alert { border-radius: var(--rounding-md); }
footer.footer { background: var(--bg-inverted); color: #fff; padding: 28px 0 20px; font-size: .9rem; }
footer.footer .nav-link { color: #fff; padding-left: 0; }
footer.footer .copyright { margin: 30px 0 0; font-size: .85rem; text-align: center; color: #9ca3af; }
CSS;
    }

    protected function header(string $company, string $client): string
    {
        return "<body>\n<header id=\"header\" class=\"header\">\n"
            . "<div class=\"topbar\"><div class=\"container d-flex\"><div class=\"mr-auto\">No Notifications</div>"
            . "<div class=\"ml-auto\">Logged in as: <u>$client</u></div></div></div>\n"
            . "<div class=\"navbar navbar-light brand-row\"><div class=\"container mt-2 mb-2\">\n"
            . '<a class="navbar-brand" href="#">' . self::e($company) . "</a>\n"
            . "<div class=\"ml-auto d-flex align-items-center\">"
            . "<span class=\"search\">Search our knowledgebase...</span>"
            . "<span class=\"cart-btn\">Cart<span class=\"badge badge-dark badge-pill\">0</span></span></div>\n"
            . "</div></div>\n"
            . "<div class=\"main-nav\"><div class=\"container\">" . self::mainNav() . "</div></div>\n"
            . "</header>\n"
            . self::breadcrumb();
    }
}
