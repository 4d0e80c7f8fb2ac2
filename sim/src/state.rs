//! Everything the simulator holds: accounts, recorded mails, request statistics, pending faults,
//! the admin credentials, and the optional `--state` file that keeps accounts across restarts.

use crate::faults::Fault;
use crate::model::{builtins, Account, Download, Kind, Mail};
use crate::store::{Accounts, Id};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// The admin credentials every request must carry (HTTP Basic).
#[derive(Clone)]
pub struct Credentials {
    /// The admin user name.
    pub user: String,
    /// The admin password.
    pub password: String,
}

/// Requests seen outside `/_sim/`, by `METHOD /route-template`.
#[derive(Default, Serialize)]
pub struct Stats {
    /// All of them, including those that failed authentication or met a fault.
    pub total: u64,
    /// Per route key, e.g. `"POST /customers"`.
    pub routes: BTreeMap<String, u64>,
}

/// The mutable state, behind one lock.
pub struct Sim {
    /// Resellers and customers, indexed.
    pub accounts: Accounts,
    /// Mails that `send_mail` would have sent.
    pub mails: Vec<Mail>,
    /// Request counts.
    pub stats: Stats,
    /// Faults waiting to be applied, in order.
    pub faults: VecDeque<Fault>,
    /// Web console passwords by [`password_key`], for `/_sim/login` (never in a representation).
    pub passwords: BTreeMap<String, String>,
    /// The agent download links `GET /server` publishes (`/_sim/downloads`; none at start).
    pub downloads: Vec<Download>,
}

/// The key of an account's web console password in [`Sim::passwords`].
pub fn password_key(kind: Kind, name: &str) -> String {
    format!("{}/{}", kind.as_str(), name.to_lowercase())
}

/// What the `--state` file holds.
#[derive(Deserialize)]
struct Persisted {
    accounts: Vec<Account>,
    #[serde(default)]
    mails: Vec<Mail>,
}

/// What [`App::save`] writes: [`Persisted`], borrowed.
#[derive(Serialize)]
struct PersistedRef<'a> {
    #[serde(serialize_with = "in_creation_order")]
    accounts: &'a Accounts,
    mails: &'a [Mail],
}

fn in_creation_order<S: Serializer>(accounts: &&Accounts, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(accounts.iter())
}

/// The shared application state handed to every handler.
pub struct App {
    sim: Mutex<Sim>,
    /// The admin credentials.
    pub creds: Credentials,
    state_file: Option<PathBuf>,
}

/// How handlers hold the application.
pub type Shared = Arc<App>;

impl Sim {
    /// The built-in accounts and nothing else.
    pub fn fresh() -> Sim {
        Sim {
            accounts: Accounts::of(builtins()).unwrap_or_default(),
            mails: vec![],
            stats: Stats::default(),
            faults: VecDeque::new(),
            passwords: BTreeMap::new(),
            downloads: Vec::new(),
        }
    }

    /// Back to the built-in accounts; stats, mails and faults cleared.
    pub fn reset(&mut self) {
        *self = Sim::fresh();
    }

    /// The account of `kind` named `name` (case-insensitively).
    pub fn find(&self, kind: Kind, name: &str) -> Option<Id> {
        self.accounts.find(kind, name)
    }
}

impl App {
    /// A new application, loading `state_file` when it exists.
    pub fn new(creds: Credentials, state_file: Option<PathBuf>) -> Result<App, String> {
        let mut sim = Sim::fresh();
        if let Some(path) = state_file.as_ref().filter(|p| p.exists()) {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read state file {}: {e}", path.display()))?;
            let p: Persisted = serde_json::from_str(&text)
                .map_err(|e| format!("cannot parse state file {}: {e}", path.display()))?;
            // Built-ins missing from the file come back; the file's own copies win otherwise.
            let mut accounts = p.accounts;
            for b in builtins() {
                if !accounts.iter().any(|a| a.is(b.kind, &b.name)) {
                    accounts.push(b);
                }
            }
            sim.accounts = Accounts::of(accounts)
                .map_err(|e| format!("state file {}: {e}", path.display()))?;
            sim.mails = p.mails;
        }
        Ok(App {
            sim: Mutex::new(sim),
            creds,
            state_file,
        })
    }

    /// Lock the state (a poisoned lock is taken over: the state is plain data).
    pub fn lock(&self) -> MutexGuard<'_, Sim> {
        self.sim.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Write accounts and mails to the `--state` file, if any (atomically, by rename).
    pub fn save(&self, sim: &Sim) {
        let Some(path) = &self.state_file else {
            return;
        };
        // Borrowed, not cloned, and compact: with 10,000 accounts the file is about 6 MB and one
        // write takes tens of milliseconds, once per request (a seed or a bulk usage update
        // writes it once, not once per account).
        let p = PersistedRef {
            accounts: &sim.accounts,
            mails: &sim.mails,
        };
        let tmp = path.with_extension("tmp");
        let result = serde_json::to_vec(&p)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = result {
            eprintln!("sgsim: cannot write state file {}: {e}", path.display());
        }
    }
}
