//! The extension's INI directives: registered at startup with the core's defaults, shown by
//! `php --ri sgwhmcs`, and read on each call straight from the engine's table of directives (one
//! hash lookup each, no call into PHP's `ini_get`).

use std::ffi::{CStr, CString};
use std::path::PathBuf;
use std::time::Duration;

use ext_php_rs::ffi::zend_ini_entry;
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef, ModuleEntry};
use sgwhmcs_core::client::NetSettings;
use sgwhmcs_core::tls::Timeouts;

/// Seconds to connect (TCP and TLS handshake).
const CONNECT_TIMEOUT: &CStr = c"sgwhmcs.connect_timeout";
/// Seconds one WHMCS call may spend on the Backup Server in all.
const TIMEOUT: &CStr = c"sgwhmcs.timeout";
/// A PEM file of extra trusted CAs. `PHP_INI_SYSTEM`: only php.ini (or `-d`) sets it, so no
/// `.user.ini` of a web folder and no `ini_set` of PHP code can change what TLS trusts.
const CA_FILE: &CStr = c"sgwhmcs.ca_file";

/// The longest timeout a directive may set, in seconds; more is taken as this.
const MAX_SECONDS: f64 = 3600.0;

unsafe extern "C" {
    /// PHP's own table of a module's INI directives (name, local and master value), as
    /// `php --ri` shows it for every extension (main/php_ini.h; not among ext-php-rs's bindings).
    fn display_ini_entries(module: *mut ModuleEntry);
}

/// Registers the directives. Their defaults are the core's `NetSettings::default()`, the one
/// place they are written; the table is leaked because PHP keeps pointers into it for the life
/// of the process (as a C extension's `static` table).
pub fn register(module_number: i32) {
    let defaults = NetSettings::default();
    let ca_default = defaults
        .ca_file
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let table: &'static [IniEntryDef] = Box::leak(Box::new([
        IniEntryDef::new(
            CONNECT_TIMEOUT,
            leaked(&seconds_text(defaults.timeouts.connect)),
            IniEntryPermission::All,
        ),
        IniEntryDef::new(
            TIMEOUT,
            leaked(&seconds_text(defaults.timeouts.overall)),
            IniEntryPermission::All,
        ),
        IniEntryDef::new(CA_FILE, leaked(&ca_default), IniEntryPermission::System),
        IniEntryDef::end(),
    ]));
    IniEntryDef::register(table, module_number);
}

/// Adds the directives and their values to the extension's `phpinfo()` / `php --ri` section.
///
/// # Safety
/// `module` must be the module entry PHP passed to the extension's info function.
pub unsafe fn display(module: *mut ModuleEntry) {
    // SAFETY: PHP's own function, called with PHP's own module entry, from the info function.
    unsafe { display_ini_entries(module) };
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

/// A duration as a directive's text, e.g. `5` or `0.5`.
fn seconds_text(duration: Duration) -> String {
    duration.as_secs_f64().to_string()
}

/// `text` as a C string that lives as long as the process (text with a NUL is cut there).
fn leaked(text: &str) -> &'static CStr {
    let bytes: Vec<u8> = text.bytes().take_while(|b| *b != 0).collect();
    let owned = CString::new(bytes).unwrap_or_default();
    Box::leak(owned.into_boxed_c_str())
}

fn seconds(name: &CStr, default: Duration) -> Duration {
    match value(name).parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s.min(MAX_SECONDS)),
        _ => default,
    }
}

/// The current value of directive `name`, trimmed; empty when it is unset or unknown.
fn value(name: &CStr) -> String {
    let Ok(name) = name.to_str() else {
        return String::new();
    };
    let globals = ExecutorGlobals::get();
    // SAFETY: `EG(ini_directives)` is set up at engine startup and lives as long as the engine;
    // each member is a pointer to a `zend_ini_entry` the table owns, whose `value` (when not
    // null) is a live zend_string. Nothing here keeps a pointer past this function.
    let text = unsafe {
        globals
            .ini_directives
            .as_ref()
            .and_then(|table| table.get(name))
            .and_then(|member| member.ptr::<zend_ini_entry>())
            .and_then(|entry| entry.as_ref())
            .and_then(|entry| entry.value.as_ref())
            .map(|value| String::from_utf8_lossy(value.as_bytes()).trim().to_string())
    };
    text.unwrap_or_default()
}
