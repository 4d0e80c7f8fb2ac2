//! The client area without PHP: the 7-day rule with a fixed "now", the time and size texts,
//! HTML escaping, the texts of template variables (left for the template to escape; `&` kept
//! through WHMCS's decode), which download URLs become links, and `client_area::page` against a
//! real sgsim (vars, the pass key only on request, nothing sent for a service that is not Active,
//! one line when the server is unreachable, nothing sent for a broken setting).

mod common;

use common::{net, Recorder, Sim};
use serde_json::json;
use sgwhmcs_core::functions::client_area::{
    health, link_url, page, page_text, Health, View, REVEAL_NOT_ACTIVE, REVEAL_NO_PASSKEY,
    REVEAL_PARAM,
};
use sgwhmcs_core::functions::list::Function;
use sgwhmcs_core::functions::module;
use sgwhmcs_core::server::api::MachineAnswer;
use sgwhmcs_core::settings::call_plan::OnService;
use sgwhmcs_core::text::dates::{unix_time, utc_to_minute as format_time};
use sgwhmcs_core::text::format::{bytes as format_bytes, escape, percent};

/// 2026-11-30T12:00:00Z, the fixed "now" of these tests.
const NOW: i64 = 1_796_040_000;

fn machine(result: Option<&str>, at: Option<&str>, success: Option<&str>) -> MachineAnswer {
    MachineAnswer {
        name: "pc".into(),
        os: Some("Linux".into()),
        last_backup_at: at.map(str::to_string),
        last_backup_result: result.map(str::to_string),
        last_success_at: success.map(str::to_string),
    }
}

#[test]
fn the_fixed_now_is_the_time_it_claims() {
    assert_eq!(unix_time("2026-11-30T12:00:00Z"), Some(NOW));
    assert_eq!(format_time(NOW), "2026-11-30 12:00 UTC");
}

#[test]
fn seven_days_without_a_success_is_the_line() {
    let exactly_seven = "2026-11-23T12:00:00Z";
    let one_second_more = "2026-11-23T11:59:59Z";
    let m = machine(Some("success"), Some(exactly_seven), Some(exactly_seven));
    assert_eq!(
        health(&m, NOW),
        Health::Healthy,
        "7 days is not more than 7"
    );
    let m = machine(
        Some("success"),
        Some(one_second_more),
        Some(one_second_more),
    );
    assert_eq!(health(&m, NOW), Health::Stale { days: 7 });
    let m = machine(
        Some("failed"),
        Some("2026-11-30T01:00:00Z"),
        Some("2026-11-01T00:00:00Z"),
    );
    assert_eq!(
        health(&m, NOW),
        Health::Stale { days: 29 },
        "a recent failure does not hide an old success"
    );
    let m = machine(Some("warning"), Some("2026-11-30T01:00:00Z"), None);
    assert_eq!(health(&m, NOW), Health::Never);
    assert_eq!(health(&machine(None, None, None), NOW), Health::Never);
    // A server that leaves last_success_at out: a successful last backup is the last success.
    let m = machine(Some("success"), Some("2026-11-29T00:00:00Z"), None);
    assert_eq!(health(&m, NOW), Health::Healthy);
    // Unreadable or future times.
    let m = machine(Some("success"), Some("yesterday"), Some("last week"));
    assert_eq!(health(&m, NOW), Health::Never);
    let m = machine(Some("success"), None, Some("2027-01-01T00:00:00Z"));
    assert_eq!(health(&m, NOW), Health::Healthy);
}

#[test]
fn times_with_offsets_and_fractions_read_as_utc() {
    assert_eq!(unix_time("2026-11-30T13:00:00+01:00"), Some(NOW));
    assert_eq!(unix_time("2026-11-30T12:00:00.999Z"), Some(NOW));
    assert_eq!(unix_time("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(format_time(951_782_400), "2000-02-29 00:00 UTC");
    for bad in [
        "",
        "2026-11-30",
        "2026-13-30T12:00:00Z",
        "2026-11-30T12:00:00",
        "2026-11-30T12:00:00.Z",
        "2026-11-30T12:00:00+0100",
        "２０２６-11-30T12:00:00Z",
    ] {
        assert_eq!(unix_time(bad), None, "{bad}");
    }
}

#[test]
fn sizes_and_percentages_read_as_a_person_expects() {
    assert_eq!(format_bytes(512), "512 B");
    assert_eq!(format_bytes(1536 * 1024 * 1024), "1.5 GiB");
    assert_eq!(format_bytes(u64::MAX), "16.0 EiB");
    assert_eq!(percent(1, 4), Some(25));
    assert_eq!(percent(u64::MAX, u64::MAX), Some(100));
    assert_eq!(
        percent(3_435_973_836, 10_737_418_240),
        Some(32),
        "rounded, as a person reads it"
    );
    assert_eq!(
        percent(999, 1000),
        Some(99),
        "never full while some is left"
    );
}

#[test]
fn escaping_leaves_no_markup_and_no_control_characters() {
    assert_eq!(
        escape("<img src=x onerror='a'>&\"\u{7}"),
        "&lt;img src=x onerror=&#039;a&#039;&gt;&amp;&quot;\u{FFFD}"
    );
    assert_eq!(
        escape("&amp;"),
        "&amp;amp;",
        "already encoded text is shown as sent"
    );
}

/// A customer on `sim` with two machines (one healthy, one stale) and two download links.
fn seeded(sim: &Sim, host: &mut Recorder) -> String {
    let reference = sgwhmcs_core::whmcs::reference::for_service(host, "7").unwrap();
    sim.make("customers", "Acme Widgets", Some(&reference));
    sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": "acme widgets", "machines": [
            {"name": "web-1", "os": "Linux", "last_backup_at": "2026-11-30T02:00:00Z",
             "last_backup_result": "success", "last_success_at": "2026-11-30T02:00:00Z"},
            {"name": "<b>laptop</b>", "os": "Windows 11", "last_backup_at": "2026-11-29T02:00:00Z",
             "last_backup_result": "failed", "last_success_at": "2026-11-10T02:00:00Z"},
        ]})),
    );
    sim.control(
        "POST",
        "/downloads",
        Some(&json!({"downloads": [
            {"os": "Windows", "url": "https://downloads.example.test/agent.msi"},
            {"os": "Linux", "url": "https://downloads.example.test/agent.deb"},
        ]})),
    );
    sim.passkey("Acme Widgets")
}

fn params(sim: &Sim, status: &str) -> sgwhmcs_core::whmcs::params::Params {
    sim.params(json!({"username": "Acme Widgets", "status": status}))
}

/// The page for the seeded customer's service in `status`, at the tests' fixed "now".
fn shown_at_now(sim: &Sim, host: &mut Recorder, status: &str, view: View) -> serde_json::Value {
    page(
        OnService::read(&params(sim, status)),
        host,
        &net(),
        view,
        NOW,
    )
}

#[test]
fn the_page_shows_machines_health_and_downloads_without_the_pass_key() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let key = seeded(&sim, &mut host);
    let reads = sim.count("GET /customers/{name}/passkey");
    let answer = shown_at_now(&sim, &mut host, "Active", View::Overview);
    assert_eq!(answer["templatefile"], "clientarea");
    let v = &answer["vars"]["sgwhmcs"];
    assert_eq!(v["error"], json!(false));
    assert_eq!(v["status_key"], "status_active");
    assert_eq!(v["storage_allotted"], "976.6 KiB");
    assert_eq!(v["machine_count"], json!(2));
    assert_eq!(v["stale_count"], json!(1));
    let machines = v["machines"].as_array().unwrap();
    assert_eq!(
        machines[0]["name"], "<b>laptop</b>",
        "raw: the template escapes"
    );
    assert_eq!(machines[0]["health_key"], "health_stale");
    assert_eq!(machines[0]["stale_days"], json!(20));
    assert_eq!(machines[0]["result_key"], "result_failed");
    assert_eq!(machines[1]["health_key"], "health_ok");
    assert_eq!(machines[1]["last_backup"], "2026-11-30 02:00 UTC");
    assert_eq!(
        v["downloads"][1]["url"],
        "https://downloads.example.test/agent.deb"
    );
    assert_eq!(v["server_host"], "127.0.0.1");
    assert_eq!(v["passkey_shown"], json!(false));
    assert!(!answer.to_string().contains(&key));
    assert_eq!(sim.count("GET /customers/{name}/passkey"), reads);
    assert_eq!(sim.count("GET /customers/{name}/clients"), 1);
}

#[test]
fn storage_over_the_allotment_is_a_full_bar_and_a_danger() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    seeded(&sim, &mut host);
    let allotted = shown_at_now(&sim, &mut host, "Active", View::Overview)["vars"]["sgwhmcs"]
        ["storage_allotted"]
        .clone();
    sim.control(
        "POST",
        "/usage",
        Some(&json!({"kind": "customer", "name": "Acme Widgets", "used_bytes": 5_000_000_000_u64})),
    );
    let v = &shown_at_now(&sim, &mut host, "Active", View::Overview)["vars"]["sgwhmcs"];
    assert_eq!(v["storage_allotted"], allotted);
    assert_eq!(
        v["storage_percent"],
        json!(100),
        "the bar is full, never wider"
    );
    assert_eq!(v["storage_class"], "danger");
}

#[test]
fn the_pass_key_is_read_only_on_request_and_only_for_an_active_service() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let key = seeded(&sim, &mut host);
    let reads = sim.count("GET /customers/{name}/passkey");
    let shown = shown_at_now(&sim, &mut host, "Active", View::RevealPassKey);
    assert_eq!(shown["vars"]["sgwhmcs"]["passkey"], json!(key));
    assert!(
        !format!("{:?}", host.module_log).contains(&key)
            || host.module_log.iter().all(|l| l.secrets.contains(&key)),
        "the key in the Module Log is named for scrubbing"
    );
    let before = sim.total();
    for status in [
        "Suspended",
        "Pending",
        "Terminated",
        "Cancelled",
        "Fraud",
        "",
    ] {
        let other = shown_at_now(&sim, &mut host, status, View::RevealPassKey);
        assert_eq!(
            other["vars"]["sgwhmcs"]["inactive"],
            json!(true),
            "{status}"
        );
        assert!(!other.to_string().contains(&key));
    }
    assert_eq!(
        sim.total(),
        before,
        "nothing sent for a service WHMCS shows no output of"
    );
    assert_eq!(sim.count("GET /customers/{name}/passkey"), reads + 1);
}

#[test]
fn reveal_answers_at_once_and_client_area_shows_the_key_only_when_marked() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let key = seeded(&sim, &mut host);
    let before = sim.total();
    let active = params(&sim, "Active");
    let answer = module::call(Function::RevealPassKey, &active, &mut host, &net());
    assert_eq!(answer, json!("success"));
    let suspended = params(&sim, "Suspended");
    let answer = module::call(Function::RevealPassKey, &suspended, &mut host, &net());
    assert_eq!(answer, json!(REVEAL_NOT_ACTIVE));
    let reseller = sim.params(json!({
        "username": "r", "status": "Active", "configoption6": "Signup Reseller",
    }));
    let answer = module::call(Function::RevealPassKey, &reseller, &mut host, &net());
    assert_eq!(answer, json!(REVEAL_NO_PASSKEY));
    assert_eq!(sim.total(), before, "RevealPassKey sends nothing");

    let plain = module::call(Function::ClientArea, &active, &mut host, &net());
    assert_eq!(plain["vars"]["sgwhmcs"]["passkey_shown"], json!(false));
    assert!(!plain.to_string().contains(&key));
    let mut marked = json!({"username": "Acme Widgets", "status": "Active"});
    marked[REVEAL_PARAM] = json!("1");
    let shown = module::call(Function::ClientArea, &sim.params(marked), &mut host, &net());
    assert_eq!(shown["vars"]["sgwhmcs"]["passkey"], json!(key));
}

#[test]
fn page_texts_survive_whmcs_decode_and_only_plain_web_links_are_kept() {
    assert_eq!(
        page_text("&lt;b&gt; & <i>\u{202E}\u{7}"),
        "&amp;lt;b&amp;gt; &amp; <i>\\u{202E}\u{FFFD}"
    );
    assert_eq!(page_text("&#8238;"), "&amp;#8238;");
    for good in [
        "https://a.test/x?a=1&b=2",
        "HTTP://a.test",
        "http://[::1]:8080/p",
    ] {
        assert!(link_url(good), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        " https://a.test",
        "data:text/html,x",
        "https://a.test/a\"b",
        "https://a.test/a'b",
        "https://a.test/<x>",
        "https:///a",
        "https://",
        "//a.test/x",
        "https://a.test/\u{202E}exe",
        "https://a.test/a b",
        "jAvAsCrIpT:alert(1)",
        "httpx://a.test",
    ] {
        assert!(!link_url(bad), "{bad}");
    }
    assert!(!link_url(&format!("https://a.test/{}", "x".repeat(2100))));
}

#[test]
fn an_unreachable_server_is_one_flag_and_a_broken_setting_sends_nothing() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    let closed = sim.params(json!({"username": "x", "status": "Active", "configoption3": "1"}));
    let answer = module::call(Function::ClientArea, &closed, &mut host, &net());
    assert_eq!(answer["vars"]["sgwhmcs"]["error"], json!(true));
    assert_eq!(answer["templatefile"], "clientarea");
    let before = sim.total();
    let broken =
        sim.params(json!({"username": "x", "status": "Active", "configoption3": "port 80"}));
    let answer = module::call(Function::ClientArea, &broken, &mut host, &net());
    assert_eq!(answer["vars"]["sgwhmcs"]["error"], json!(true));
    let no_name = sim.params(json!({"username": "", "status": "Active"}));
    let answer = module::call(Function::RevealPassKey, &no_name, &mut host, &net());
    assert_ne!(answer, json!("success"));
    let answer = module::call(Function::ClientArea, &no_name, &mut host, &net());
    assert_eq!(answer["vars"]["sgwhmcs"]["error"], json!(true));
    assert_eq!(sim.total(), before, "nothing was sent");
}

#[test]
fn a_lying_server_is_shown_escaped_and_cut_never_as_markup_or_a_script_link() {
    let sim = Sim::http();
    let mut host = Recorder::with_service();
    seeded(&sim, &mut host);
    sim.control(
        "POST",
        "/downloads",
        Some(&json!({"downloads": [
            {"os": "Evil", "url": "http://ok.test/a\"onclick=\"x"},
        ]})),
    );
    sim.control(
        "POST",
        "/machines",
        Some(&json!({"customer": "Acme Widgets", "machines": [
            {"name": "x".repeat(128), "os": "\u{202e}<script>"},
        ]})),
    );
    let answer = shown_at_now(&sim, &mut host, "Active", View::Overview);
    let v = &answer["vars"]["sgwhmcs"];
    assert_eq!(v["downloads"], json!([]), "a URL with a quote is no link");
    // A right-to-left override is shown as text, never raw (format::visible); the template
    // escapes the rest.
    assert_eq!(v["machines"][0]["os"], "\\u{202E}<script>");
    assert_eq!(v["machines"][0]["health_key"], "health_never");
}

#[test]
fn allowed_functions_name_only_the_reveal() {
    let answer = module::call(
        Function::ClientAreaAllowedFunctions,
        &sgwhmcs_core::whmcs::params::Params::new(json!({})),
        &mut Recorder::new(),
        &net(),
    );
    assert_eq!(answer, json!(["RevealPassKey"]));
}
