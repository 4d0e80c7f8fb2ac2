//! `sgsim`, the Backup Server simulator: binds, prints one JSON line (URL, admin credentials,
//! certificate fingerprint), then serves the `/api/v1` contract and the `/_sim/` controls until
//! SIGTERM or SIGINT. See docs/backup-server-api.md.
//!
//! The modules stand in floors; each imports from its own floor or those below, never from one
//! above (`tools/check-module-graph.py` fails on a cycle):
//!
//! - the ground, importing nothing of the crate: the module's own `error_codes` (included by
//!   path: the codes and their wire texts), `util`, `server` (the accept loop, the connection kill
//!   switch), `cli`; then `error` (the one error shape and the extractors that answer with it);
//! - types: `model` (accounts, machines, downloads, their representation), `store` (the
//!   accounts with their indexes by name, reference and reseller), `wire` (request bodies), and
//!   the module's own `limits` and `value_rules`, included by path so that both refuse the same
//!   values;
//! - rules: `validate` (an account, a request), `listing` (the paged lists), `machines` (seeding
//!   and listing a customer's machines);
//! - state: `faults` (pending faults, how they spoil an answer), `state` (what the simulator
//!   holds, the `--state` file), and what the API and the controls do to it: `accounts`, `bulk`;
//! - the top: `front` (authentication, statistics and faults around every request), `routes`
//!   (the contract's routes, which hand their templates to the front door), `sim_routes`
//!   (`/_sim/`), and `tls`, which `main` uses to serve them.

mod accounts;
#[path = "../../core/src/server/api_identity.rs"]
#[allow(dead_code)]
mod api_identity;
mod bulk;
mod cli;
mod error;
#[path = "../../core/src/server/error_codes.rs"]
mod error_codes;
mod faults;
mod front;
#[path = "../../core/src/server/limits.rs"]
#[allow(dead_code)]
mod limits;
mod listing;
mod machines;
mod model;
mod routes;
mod server;
mod sim_routes;
mod state;
mod store;
mod tls;
mod util;
mod validate;
#[path = "../../core/src/server/value_rules.rs"]
mod value_rules;
mod wire;

use cli::{Args, Command};
use serde_json::json;
use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("sgsim {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("sgsim: {msg}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sgsim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("sgsim: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// Bind, announce, serve until a signal.
async fn run(args: Args) -> Result<(), String> {
    let creds = state::Credentials {
        user: args.user.clone(),
        password: args.password.clone().unwrap_or_else(util::password),
    };
    let app = Arc::new(state::App::new(creds, args.state.clone())?);
    let tls = if args.tls {
        Some(tls::self_signed(args.cert_host.as_deref())?)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    announce(addr, &app.creds, tls.as_ref().map(|t| t.sha256.as_str()))?;

    let router = routes::app(app);
    let serving = server::serve(listener, tls.map(|t| t.acceptor), router);
    tokio::select! {
        _ = serving => Ok(()),
        r = shutdown_signal() => r,
    }
}

/// Print the one JSON line that tells a test or a person where and how to connect.
fn announce(
    addr: SocketAddr,
    creds: &state::Credentials,
    sha256: Option<&str>,
) -> Result<(), String> {
    let scheme = if sha256.is_some() { "https" } else { "http" };
    let host = addr.ip().to_string();
    let url_host = if addr.is_ipv6() {
        format!("[{host}]")
    } else {
        host.clone()
    };
    let line = json!({
        "url": format!("{scheme}://{url_host}:{}", addr.port()),
        "scheme": scheme,
        "host": host,
        "port": addr.port(),
        "user": creds.user,
        "password": creds.password,
        "sha256": sha256,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() -> Result<(), String> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| format!("cannot watch SIGTERM: {e}"))?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    Ok(())
}
