//! The extension's INI directives: registered at startup with the core's defaults, shown by
//! `php --ri sgwhmcs`, and read on each call straight from the engine's table of directives (one
//! hash lookup each, no call into PHP's `ini_get`).

use std::ffi::CStr;
use std::path::PathBuf;
use std::time::Duration;

use ext_php_rs::ffi::zend_ini_entry;
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef, IniEntryDefs};
use sgwhmcs_core::server::client::{
    NetSettings, DEFAULT_CA_FILE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
};
use sgwhmcs_core::server::tls::Timeouts;

/// Seconds to connect (TCP and TLS handshake).
const CONNECT_TIMEOUT: &CStr = c"sgwhmcs.connect_timeout";
/// Seconds one WHMCS call may spend on the Backup Server in all.
const TIMEOUT: &CStr = c"sgwhmcs.timeout";
/// A PEM file of extra trusted CAs. `PHP_INI_SYSTEM`: only php.ini (or `-d`) sets it, so no
/// `.user.ini` of a web folder and no `ini_set` of PHP code can change what TLS trusts.
const CA_FILE: &CStr = c"sgwhmcs.ca_file";

/// The longest timeout a directive may set, in seconds; more is taken as this.
const MAX_SECONDS: f64 = 3600.0;

/// The directives with the core's default texts (`sgwhmcs_core::server::client::DEFAULT_*`, which
/// `NetSettings::default()` reads too). A `static` like a C extension's table: PHP reads it at
/// startup, and nothing is allocated that could show as leaked.
static ENTRIES: IniEntryDefs<4> = IniEntryDefs::new([
    IniEntryDef::new(
        CONNECT_TIMEOUT,
        DEFAULT_CONNECT_TIMEOUT,
        IniEntryPermission::All,
    ),
    IniEntryDef::new(TIMEOUT, DEFAULT_TIMEOUT, IniEntryPermission::All),
    IniEntryDef::new(CA_FILE, DEFAULT_CA_FILE, IniEntryPermission::System),
    IniEntryDef::end(),
]);

/// Registers the directives.
pub fn register(module_number: i32) {
    IniEntryDef::register(ENTRIES.as_slice(), module_number);
}

/// Adds the directives to the extension's `phpinfo()` / `php --ri` section as PHP's own
/// `display_ini_entries()` does for every extension: name, local value, master value. (That
/// function is not among ext-php-rs's bindings, and `cargo php stubs` cannot load an extension
/// that links it, so the same table is printed with the bindings that are.)
pub fn display() {
    ext_php_rs::info_table_start!();
    ext_php_rs::info_table_header!("Directive", "Local Value", "Master Value");
    for name in [CONNECT_TIMEOUT, TIMEOUT, CA_FILE] {
        let (local, master) = values(name);
        let shown = |v: Option<String>| match v {
            Some(v) if !v.is_empty() => v.replace('\0', ""),
            _ => "no value".to_string(),
        };
        ext_php_rs::info_table_row!(name.to_string_lossy().as_ref(), shown(local), shown(master));
    }
    ext_php_rs::info_table_end!();
}

/// The network settings in force for this call: what php.ini, `-d`, `.user.ini` or `ini_set`
/// left in the engine's table; a timeout that is not a positive number is the default.
pub fn net_settings() -> NetSettings {
    let defaults = NetSettings::default();
    let ca = value(CA_FILE);
    NetSettings {
        timeouts: Timeouts {
            connect: seconds(CONNECT_TIMEOUT, defaults.timeouts.connect),
            overall: seconds(TIMEOUT, defaults.timeouts.overall),
        },
        ca_file: if ca.is_empty() {
            defaults.ca_file
        } else {
            Some(PathBuf::from(ca))
        },
    }
}

fn seconds(name: &CStr, default: Duration) -> Duration {
    match value(name).parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s.min(MAX_SECONDS)),
        _ => default,
    }
}

/// The current value of directive `name`, trimmed; empty when it is unset or unknown.
fn value(name: &CStr) -> String {
    // SAFETY: see `with_entry`; the local value is copied before this returns. Only the local
    // value is read: this runs three times on every call.
    unsafe { with_entry(name, |entry| zend_text(entry.value)) }
        .flatten()
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// The local value of directive `name` (what this request sees) and its master value (php.ini's,
/// before any `ini_set` or `.user.ini`); `None` when unset or unknown.
fn values(name: &CStr) -> (Option<String>, Option<String>) {
    // SAFETY: see `with_entry`; both values are copied before this returns.
    unsafe {
        with_entry(name, |entry| {
            let local = zend_text(entry.value);
            // PHP keeps php.ini's value aside only once the directive has been changed.
            let master = if entry.modified != 0 {
                zend_text(entry.orig_value)
            } else {
                local.clone()
            };
            (local, master)
        })
    }
    .unwrap_or((None, None))
}

/// What `read` answers of the engine's entry of directive `name`; `None` when it is unknown.
///
/// # Safety
///
/// `EG(ini_directives)` is set up at engine startup and lives as long as the engine; each member
/// is a pointer to a `zend_ini_entry` the table owns, whose `value` and `orig_value` (when not
/// null) are live zend_strings. `read` must keep no pointer of the entry.
unsafe fn with_entry<T>(name: &CStr, read: impl FnOnce(&zend_ini_entry) -> T) -> Option<T> {
    let name = name.to_str().ok()?;
    let globals = ExecutorGlobals::get();
    let entry = globals
        .ini_directives
        .as_ref()
        .and_then(|table| table.get(name))
        .and_then(|member| member.ptr::<zend_ini_entry>())
        .and_then(|entry| entry.as_ref())?;
    Some(read(entry))
}

/// The text of one of an INI entry's zend_strings; `None` for a null pointer.
///
/// # Safety
///
/// `s` is null or points to a live zend_string.
unsafe fn zend_text(s: *mut ext_php_rs::ffi::zend_string) -> Option<String> {
    s.as_ref()
        .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
}
