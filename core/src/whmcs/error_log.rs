//! `whmcs_error.log` in WHMCS's admin folder, where a hook's failure is written as one line (the
//! Activity Log has it too). The folder is web-served: callers pass ids and a reason only.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::text::dates::utc_now;
use crate::whmcs::host::Host;

/// The file failures are appended to, in WHMCS's admin folder.
pub const ERROR_LOG: &str = "whmcs_error.log";

/// Appends `<time> <hook> client <id>: <reason>` (on one line) to the error log; `None` when
/// WHMCS's root is unknown, else whether the write worked.
pub fn write(
    host: &mut dyn Host,
    hook: &str,
    client_id: &str,
    reason: &str,
) -> Option<std::io::Result<()>> {
    error_log_path(host).map(|p| append_line(&p, hook, client_id, reason))
}

/// `<ROOTDIR>/<admin folder>/whmcs_error.log`, honouring `$customadminpath`.
fn error_log_path(host: &mut dyn Host) -> Option<PathBuf> {
    let root = PathBuf::from(host.root_dir()?);
    let admin = admin_folder(&root);
    Some(root.join(admin).join(ERROR_LOG))
}

/// The admin folder's name: `$customadminpath` from `configuration.php`, else `admin`.
pub fn admin_folder(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("configuration.php")).unwrap_or_default();
    // The last assignment wins, as in PHP.
    text.lines()
        .rev()
        .filter_map(|line| line.trim().strip_prefix("$customadminpath"))
        .filter_map(|rest| {
            let value = rest
                .trim_start()
                .strip_prefix('=')?
                .trim()
                .trim_end_matches(';')
                .trim();
            let inner = value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))?;
            let safe = !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && inner != "."
                && inner != "..";
            safe.then(|| inner.to_string())
        })
        .next()
        .unwrap_or_else(|| "admin".to_string())
}

fn append_line(path: &Path, hook: &str, client_id: &str, message: &str) -> std::io::Result<()> {
    let one_line = message.replace(['\r', '\n'], " ");
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(file, "{} {hook} client {client_id}: {one_line}", utc_now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_custom_admin_path() {
        let dir = std::env::temp_dir().join(format!("sgwhmcs-admin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(admin_folder(&dir), "admin");
        std::fs::write(
            dir.join("configuration.php"),
            "<?php\n$db_host = 'x';\n$customadminpath = 'secret-admin';\n",
        )
        .unwrap();
        assert_eq!(admin_folder(&dir), "secret-admin");
        std::fs::write(
            dir.join("configuration.php"),
            "<?php\n$customadminpath = '../etc';\n",
        )
        .unwrap();
        assert_eq!(admin_folder(&dir), "admin");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
