//! The extension's INI directives and how they become the core's network settings.

use std::path::PathBuf;
use std::time::Duration;

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};
use sgwhmcs_core::client::NetSettings;
use sgwhmcs_core::tls::Timeouts;

use crate::host::{call_php, string};

/// `sgwhmcs.connect_timeout` (seconds), `sgwhmcs.timeout` (seconds, whole request),
/// `sgwhmcs.ca_file` (PEM of extra trusted CAs).
pub static INI_ENTRIES: IniEntryDefs<4> = IniEntryDefs::new([
    IniEntryDef::new(c"sgwhmcs.connect_timeout", c"5", IniEntryPermission::All),
    IniEntryDef::new(c"sgwhmcs.timeout", c"30", IniEntryPermission::All),
    IniEntryDef::new(c"sgwhmcs.ca_file", c"", IniEntryPermission::All),
    IniEntryDef::end(),
]);

fn ini(name: &str) -> String {
    call_php("ini_get", &[string(name)])
        .and_then(|v| v.string())
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn seconds(name: &str, default: f64) -> Duration {
    let value = ini(name)
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0);
    Duration::from_secs_f64(value.unwrap_or(default).min(3600.0))
}

/// The network settings in force for this request.
pub fn net_settings() -> NetSettings {
    let ca = ini("sgwhmcs.ca_file");
    NetSettings {
        timeouts: Timeouts {
            connect: seconds("sgwhmcs.connect_timeout", 5.0),
            overall: seconds("sgwhmcs.timeout", 30.0),
        },
        ca_file: (!ca.is_empty()).then(|| PathBuf::from(ca)),
    }
}
