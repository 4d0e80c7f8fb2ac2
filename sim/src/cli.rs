//! The command line: `sgsim [--listen ADDR] [--tls] [--state FILE] [--user NAME]
//! [--password PW] [--cert-host NAME]`.

use std::path::PathBuf;

/// The usage text printed by `--help` and after a bad argument.
pub const USAGE: &str = "\
usage: sgsim [--listen ADDR] [--tls] [--state FILE] [--user NAME] [--password PW] [--cert-host NAME]

Backup Server simulator. Serves /api/v1 (and the /_sim/ controls) with HTTP Basic auth, prints one
JSON line {url, scheme, host, port, user, password, sha256} to stdout, then serves until killed.

  --listen ADDR     address to bind (default 127.0.0.1:0, a free port)
  --tls             serve HTTPS with a self-signed certificate made at start-up
  --state FILE      load accounts from FILE if it exists; write it after every change
  --user NAME       admin user name (default admin)
  --password PW     admin password (default: 20 random characters A-Za-z0-9)
  --cert-host NAME  one more DNS name or IP for the certificate (besides localhost, 127.0.0.1, ::1)
  --help            this text
  --version         the version";

/// The parsed command line.
#[derive(Debug, PartialEq)]
pub struct Args {
    /// Where to bind.
    pub listen: String,
    /// Serve HTTPS.
    pub tls: bool,
    /// The state file.
    pub state: Option<PathBuf>,
    /// Admin user name.
    pub user: String,
    /// Admin password, if given.
    pub password: Option<String>,
    /// Extra certificate name.
    pub cert_host: Option<String>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Run the server.
    Run(Args),
    /// Print the usage.
    Help,
    /// Print the version.
    Version,
}

/// Parse the arguments (without the program name); `Err` holds the message for a bad one.
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut out = Args {
        listen: "127.0.0.1:0".into(),
        tls: false,
        state: None,
        user: "admin".into(),
        password: None,
        cert_host: None,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--version" | "-V" => return Ok(Command::Version),
            "--tls" => out.tls = true,
            "--listen" => out.listen = value("--listen")?,
            "--state" => out.state = Some(PathBuf::from(value("--state")?)),
            "--user" => out.user = value("--user")?,
            "--password" => out.password = Some(value("--password")?),
            "--cert-host" => out.cert_host = Some(value("--cert-host")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if out.user.is_empty() || out.user.contains(':') {
        return Err("--user must be non-empty and hold no ':'".into());
    }
    if out.password.as_deref() == Some("") {
        return Err("--password must not be empty".into());
    }
    Ok(Command::Run(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags() {
        let Command::Run(a) = p(&["--tls", "--listen=127.0.0.1:7", "--user", "root"]).unwrap()
        else {
            panic!()
        };
        assert!(a.tls && a.listen == "127.0.0.1:7" && a.user == "root" && a.password.is_none());
        assert_eq!(p(&["--help"]).unwrap(), Command::Help);
        assert!(p(&["--bogus"]).is_err());
        assert!(p(&["--state"]).is_err());
        assert!(p(&["--user", "a:b"]).is_err());
    }
}
