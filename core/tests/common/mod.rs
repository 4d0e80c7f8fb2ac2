//! What the core's integration tests share: a real `sgsim` process (found and started the way
//! `sim/tests/common` starts it, its JSON line read, its certificate pinned), and [`Recorder`], a
//! `Host` that records what the core asked of WHMCS and answers like a small WHMCS: `localAPI`
//! commands act on an in-memory database, and `db_value`/`db_insert` read and write it.
//!
//! sgsim is a binary crate, so the core cannot depend on it: the binary is run. It is
//! `$SGSIM_BIN` if set, else the newer of `target/debug/sgsim` and `target/release/sgsim`
//! (`cargo test -p sgwhmcs-core -p sgsim` and `make test-rust` build it). A missing binary fails
//! the test with a message saying how to build it; nothing is skipped.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

mod first_line;

use first_line::first_line;
use serde_json::{json, Map, Value};
use sgwhmcs_core::server::client::{LogRecord, NetSettings};
use sgwhmcs_core::server::tls::{self, Timeouts, Trust};
use sgwhmcs_core::whmcs::host::{Host, SetTo, WhmcsError};
use sgwhmcs_core::whmcs::params::{scalar_text, Params};

/// The admin password every test simulator is started with.
pub const ADMIN_PASSWORD: &str = "Sim-Admin-Pa55word";

/// The module's name as WHMCS stores it in `tblproducts.servertype`.
pub const MODULE: &str = "sgwhmcs";

/// Short timeouts: a test against a local simulator never waits long.
pub fn net() -> NetSettings {
    NetSettings {
        timeouts: Timeouts {
            connect: Duration::from_secs(3),
            overall: Duration::from_secs(10),
        },
        ca_file: None,
    }
}

/// The sgsim binary to run; panics, saying how to build it, when there is none.
pub fn sgsim_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SGSIM_BIN").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "SGSIM_BIN={} is not a file: build sgsim with `cargo build -p sgsim`",
            path.display()
        );
        return path;
    }
    let target = option_env!("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let candidates = [target.join("debug/sgsim"), target.join("release/sgsim")];
    candidates
        .iter()
        .filter_map(|p| Some((std::fs::metadata(p).ok()?.modified().ok()?, p.clone())))
        .max()
        .map(|(_, p)| p)
        .unwrap_or_else(|| {
            panic!(
                "the sgsim binary was not found at {} or {}: build it first with `cargo build -p sgsim` \
                 (or run `make test-rust`, or `cargo test -p sgwhmcs-core -p sgsim`), or set SGSIM_BIN",
                candidates[0].display(),
                candidates[1].display()
            )
        })
}

/// A running simulator, killed when dropped.
pub struct Sim {
    child: Child,
    /// `http` or `https`.
    pub scheme: String,
    /// Bound port on 127.0.0.1.
    pub port: u16,
    /// The admin user.
    pub user: String,
    /// The certificate's SHA-256 (https only), as printed.
    pub sha256: Option<String>,
    url: String,
    agent: ureq::Agent,
}

impl Sim {
    /// A plain-HTTP simulator.
    pub fn http() -> Sim {
        Sim::start(false)
    }

    /// An HTTPS simulator with a self-signed certificate (to be pinned).
    pub fn https() -> Sim {
        Sim::start(true)
    }

    fn start(tls: bool) -> Sim {
        let binary = sgsim_binary();
        let mut args = vec!["--listen", "127.0.0.1:0", "--password", ADMIN_PASSWORD];
        if tls {
            args.push("--tls");
        }
        let mut child = Command::new(&binary)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", binary.display()));
        let line = first_line(&mut child);
        let info: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("sgsim's first line is not JSON ({e}): {line}"));
        let sha256 = info["sha256"].as_str().map(str::to_string);
        let timeouts = net().timeouts;
        let trust = match &sha256 {
            Some(hex) if tls => Trust::Pinned(tls::parse_fingerprint(hex).unwrap()),
            _ => Trust::Roots { ca_file: None },
        };
        Sim {
            scheme: info["scheme"].as_str().unwrap().to_string(),
            port: info["port"].as_u64().unwrap() as u16,
            user: info["user"].as_str().unwrap().to_string(),
            sha256: sha256.filter(|_| tls),
            url: info["url"]
                .as_str()
                .unwrap()
                .trim_end_matches('/')
                .to_string(),
            agent: tls::agent(&trust, timeouts).unwrap(),
            child,
        }
    }

    /// `METHOD path` with the admin credentials: status and JSON answer (`null` when empty).
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url))
            .header(
                "Authorization",
                format!(
                    "Basic {}",
                    sgwhmcs_core::server::client::base64(
                        format!("{}:{ADMIN_PASSWORD}", self.user).as_bytes()
                    )
                ),
            );
        let mut answer = match body {
            Some(v) => {
                request = request.header("Content-Type", "application/json");
                self.agent.run(request.body(v.to_string()).unwrap())
            }
            None => self.agent.run(request.body(()).unwrap()),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = answer.status().as_u16();
        let text = answer.body_mut().read_to_string().unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
        };
        (status, value)
    }

    /// A `/_sim` control; panics unless it answers 200.
    pub fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, v) = self.call(method, &format!("/_sim{path}"), body);
        assert_eq!(status, 200, "{method} /_sim{path}: {v}");
        v
    }

    /// Requests the server counted for `route` (`"POST /customers"`). Reads through
    /// [`Sim::api`] count too: read counts first.
    pub fn count(&self, route: &str) -> u64 {
        self.control("GET", "/stats", None)["routes"][route]
            .as_u64()
            .unwrap_or(0)
    }

    /// Every request the server saw outside `/_sim`.
    pub fn total(&self) -> u64 {
        self.control("GET", "/stats", None)["total"]
            .as_u64()
            .unwrap()
    }

    /// `METHOD /api/v1{path}` with the admin credentials (counted by the server).
    pub fn api(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.call(method, &format!("/api/v1{path}"), body)
    }

    /// The accounts of `collection` (`customers`, `resellers`) that carry `reference`.
    pub fn with_reference(&self, collection: &str, reference: &str) -> Vec<Value> {
        let path = format!(
            "/{collection}?reference={}",
            sgwhmcs_core::server::client::segment(reference)
        );
        let (status, v) = self.api("GET", &path, None);
        assert_eq!(status, 200, "{v}");
        v[collection].as_array().cloned().unwrap_or_default()
    }

    /// Account `name` of `collection`, or `None` when the server does not have it.
    pub fn account(&self, collection: &str, name: &str) -> Option<Value> {
        let path = format!(
            "/{collection}/{}",
            sgwhmcs_core::server::client::segment(name)
        );
        match self.api("GET", &path, None) {
            (200, v) => Some(v),
            (404, _) => None,
            (status, v) => panic!("GET {path}: {status} {v}"),
        }
    }

    /// Makes an account directly (as another WHMCS, or an admin by hand, would have).
    pub fn make(&self, collection: &str, name: &str, reference: Option<&str>) {
        let mut body = json!({"name": name, "storage": {"allotted_bytes": 1_000_000}});
        if let Some(r) = reference {
            body["reference"] = json!(r);
        }
        let (status, v) = self.api("POST", &format!("/{collection}"), Some(&body));
        assert_eq!(status, 201, "{v}");
    }

    /// A customer's pass key as the server holds it.
    pub fn passkey(&self, customer: &str) -> String {
        let path = format!(
            "/customers/{}/passkey",
            sgwhmcs_core::server::client::segment(customer)
        );
        let (status, v) = self.api("GET", &path, None);
        assert_eq!(status, 200, "{v}");
        v["passkey"].as_str().unwrap().to_string()
    }

    /// Whether the web console would let `name` log in with `password`.
    pub fn login(&self, kind: &str, name: &str, password: &str) -> bool {
        self.control(
            "POST",
            "/login",
            Some(&json!({"kind": kind, "name": name, "password": password})),
        )["ok"]
            == json!(true)
    }

    /// Queues a fault (`POST /_sim/faults`).
    pub fn fault(&self, spec: Value) {
        self.control("POST", "/faults", Some(&spec));
    }

    /// The product settings (`configoption1`…) that reach this simulator, as a customer product
    /// with 1 GiB of storage; `extra` members are set over them.
    pub fn product(&self, extra: Value) -> Map<String, Value> {
        let mut p = json!({
            "configoption1": self.scheme,
            "configoption2": "127.0.0.1",
            "configoption3": self.port.to_string(),
            "configoption4": self.user,
            "configoption5": ADMIN_PASSWORD,
            "configoption6": "Signup Customer",
            "configoption8": "on",
            "configoption10": "1073741824",
            "configoption14": "on",
            "configoption24": self.sha256.clone().unwrap_or_default(),
        });
        merge(&mut p, extra);
        match p {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    /// `$params` of a module call for service 7 of client 3 (Acme Widgets, no username or
    /// password on the service), with `extra` set over them.
    pub fn params(&self, extra: Value) -> Params {
        let mut p = Value::Object(self.product(json!({})));
        merge(
            &mut p,
            json!({
                "serviceid": "7", "userid": "3", "username": "", "password": "Svc-Pa55word!",
                "clientsdetails": client_details(),
            }),
        );
        merge(&mut p, extra);
        Params::new(p)
    }

    /// The hooks file's configuration reaching this simulator, with `policy` (labels to values).
    pub fn hooks_config(&self, policy: Value) -> Params {
        self.hooks_config_with(policy, json!({}))
    }

    /// [`Sim::hooks_config`] with the variables of `extra` set over it.
    pub fn hooks_config_with(&self, policy: Value, extra: Value) -> Params {
        let mut config = json!({
            "protocal": self.scheme,
            "serverName": "127.0.0.1",
            "port": self.port.to_string(),
            "userName": self.user,
            "loginPassword": ADMIN_PASSWORD,
            "certificateSha256": self.sha256.clone().unwrap_or_default(),
            "policy": policy,
        });
        merge(&mut config, extra);
        Params::new(config)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Client 3's details as WHMCS gives them.
pub fn client_details() -> Value {
    json!({
        "userid": "3", "id": "3", "firstname": "Jane", "lastname": "Doe",
        "companyname": "Acme Widgets", "email": "jane@acme.test",
        "address1": "1 Main St", "address2": "Suite 2", "city": "Springfield",
        "state": "IL", "postcode": "62701", "countrycode": "US", "country": "US",
        "phonenumber": "5550100",
    })
}

/// Shallow-merges the members of `extra` (an object) into `into`.
pub fn merge(into: &mut Value, extra: Value) {
    if let Value::Object(map) = extra {
        for (k, v) in map {
            into[k] = v;
        }
    }
}

/// One `logModuleCall` the core made.
#[derive(Clone, Debug)]
pub struct ModuleLog {
    /// The function or hook.
    pub action: String,
    /// The request, answer and decoded answer.
    pub record: LogRecord,
    /// The values WHMCS was told to scrub.
    pub secrets: Vec<String>,
}

impl ModuleLog {
    /// Everything the record shows, as one text.
    pub fn text(&self) -> String {
        format!(
            "{} {} {}",
            self.record.request, self.record.response, self.record.processed
        )
    }
}

/// What WHMCS's `encrypt()` makes of a value in this host (`decrypt` reverses it).
pub fn encrypted(value: &str) -> String {
    format!("enc:{}", value.chars().rev().collect::<String>())
}

static ROOTS: AtomicUsize = AtomicUsize::new(0);

/// A `Host` that records every call and answers like a small WHMCS over an in-memory database.
///
/// - `localAPI`: a scripted answer queued for the command is used first; otherwise
///   `GetClientsDetails` reads `tblclients`, `GetOrders` reads `tblorders`, `UpdateClient` writes
///   its `customfields` into `tblcustomfieldsvalues` (encrypted for a password field), and
///   `UpdateClientProduct` writes `serviceusername`/`servicepassword` into `tblhosting`.
/// - `db_value` answers the column of the first row matching every condition (compared as
///   text, as MySQL compares `'7'` and `7`); `db_insert` appends with the next id.
/// - `root_dir` is a fresh folder with an `admin` subfolder, removed on drop.
///
/// The error messages are WHMCS's, as the PHP suites' emulator (`tests/Emulator/LocalApi.php`)
/// gives them. As in WHMCS, text is stored HTML-encoded (`Smith &amp; Sons`) and answered that
/// way: a test puts encoded text into the tables where WHMCS would hold it encoded.
pub struct Recorder {
    /// `logModuleCall` calls, in order.
    pub module_log: Vec<ModuleLog>,
    /// Activity Log lines: message and client id.
    pub activity: Vec<(String, String)>,
    /// `localAPI` calls: command and values, in order.
    pub api_calls: Vec<(String, Value)>,
    /// Answers to give, per command, before the default behaviour.
    pub scripted: HashMap<String, VecDeque<Value>>,
    /// The database: rows per table.
    pub tables: BTreeMap<String, Vec<Map<String, Value>>>,
    /// When set, every database access fails with this message.
    pub db_error: Option<String>,
    /// `decrypt` calls.
    pub decrypted: usize,
    /// Database queries of `db_rows` and `db_update_in`, e.g. `update tblhosting`, in order.
    pub queries: Vec<String>,
    root: PathBuf,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Recorder {
    /// An empty WHMCS with client 3 (see [`client_details`]).
    pub fn new() -> Recorder {
        let n = ROOTS.fetch_add(1, Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("sgwhmcs-core-tests-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("admin")).unwrap();
        let mut host = Recorder {
            module_log: Vec::new(),
            activity: Vec::new(),
            api_calls: Vec::new(),
            scripted: HashMap::new(),
            tables: BTreeMap::new(),
            db_error: None,
            decrypted: 0,
            queries: Vec::new(),
            root,
        };
        host.insert("tblclients", client_details());
        host
    }

    /// Also service 7 of client 3, of product 2 which runs this module.
    pub fn with_service() -> Recorder {
        let mut host = Recorder::new();
        host.insert(
            "tblhosting",
            json!({"id": 7, "userid": 3, "packageid": 2, "username": "", "password": ""}),
        );
        host.insert("tblproducts", json!({"id": 2, "servertype": MODULE}));
        host
    }

    /// WHMCS's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Appends `row` to `table`; answers its id.
    pub fn insert(&mut self, table: &str, row: Value) -> i64 {
        let Value::Object(mut row) = row else {
            panic!("a row is an object")
        };
        let rows = self.tables.entry(table.to_string()).or_default();
        let id = match row.get("id") {
            Some(v) => scalar_text(Some(v)).parse().unwrap(),
            None => {
                let next = rows
                    .iter()
                    .filter_map(|r| scalar_text(r.get("id")).parse::<i64>().ok())
                    .max()
                    .unwrap_or(0)
                    + 1;
                row.insert("id".into(), json!(next));
                next
            }
        };
        rows.push(row);
        id
    }

    /// The rows of `table` (none when it was never written).
    pub fn rows(&self, table: &str) -> Vec<Map<String, Value>> {
        self.tables.get(table).cloned().unwrap_or_default()
    }

    /// The first row of `table` whose `column` reads as `value`.
    pub fn row(&self, table: &str, column: &str, value: &str) -> Option<Map<String, Value>> {
        self.rows(table)
            .into_iter()
            .find(|r| scalar_text(r.get(column)) == value)
    }

    /// Queues `answer` as the next answer to `command`.
    pub fn script(&mut self, command: &str, answer: Value) {
        self.scripted
            .entry(command.to_string())
            .or_default()
            .push_back(answer);
    }

    /// The values of every `localAPI` call of `command`.
    pub fn calls_of(&self, command: &str) -> Vec<Value> {
        self.api_calls
            .iter()
            .filter(|(c, _)| c == command)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A `Pass Key` client custom field of type `kind` (id 41).
    pub fn passkey_field(&mut self, kind: &str) {
        self.insert(
            "tblcustomfields",
            json!({"id": 41, "type": "client", "relid": 0, "fieldname": "Pass Key", "fieldtype": kind}),
        );
    }

    /// What the client field `Pass Key` holds for client `client`, as stored (encrypted or not).
    pub fn stored_passkey(&self, client: &str) -> Option<String> {
        self.stored_in("client", client)
    }

    /// What the product field `Pass Key` holds for service `service`, as stored (encrypted).
    pub fn stored_service_passkey(&self, service: &str) -> Option<String> {
        self.stored_in("product", service)
    }

    fn stored_in(&self, kind: &str, relid: &str) -> Option<String> {
        let field = self.rows("tblcustomfields").into_iter().find(|r| {
            scalar_text(r.get("fieldname")) == "Pass Key" && scalar_text(r.get("type")) == kind
        })?;
        let id = scalar_text(field.get("id"));
        self.rows("tblcustomfieldsvalues")
            .into_iter()
            .find(|r| scalar_text(r.get("fieldid")) == id && scalar_text(r.get("relid")) == relid)
            .and_then(|r| r.get("value").and_then(Value::as_str).map(str::to_string))
    }

    /// The text of `whmcs_error.log` in `folder` (empty when not written).
    pub fn error_log_in(&self, folder: &str) -> String {
        std::fs::read_to_string(self.root.join(folder).join("whmcs_error.log")).unwrap_or_default()
    }

    /// The text of `admin/whmcs_error.log`.
    pub fn error_log(&self) -> String {
        self.error_log_in("admin")
    }

    /// Every text the host was given that an admin or a log reader could see.
    pub fn everything_logged(&self) -> String {
        let mut all: Vec<String> = self.module_log.iter().map(ModuleLog::text).collect();
        all.extend(self.activity.iter().map(|(m, _)| m.clone()));
        all.push(self.error_log());
        all.join("\n")
    }

    fn db(&self) -> Result<(), String> {
        match &self.db_error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Writes the `customfields` of an UpdateClient / UpdateClientProduct call (base64 of a
    /// serialized `[field id => value]`) into `tblcustomfieldsvalues` for `relid`, encrypted for a
    /// password field; only fields of custom field type `kind` (client, product) are written, as
    /// WHMCS saves only the fields of what it updates. `Some(error)` when they cannot be read.
    fn set_fields(&mut self, values: &Value, kind: &str, relid: &str) -> Option<Value> {
        let fields = values.get("customfields").and_then(Value::as_str)?;
        let Some(fields) = decode_base64(fields).and_then(|b| parse_php_fields(&b)) else {
            return Some(json!({"result": "error", "message": "Invalid customfields"}));
        };
        for (field, value) in fields {
            let Some(row) = self.row("tblcustomfields", "id", &field.to_string()) else {
                continue;
            };
            if scalar_text(row.get("type")) != kind {
                continue;
            }
            let value = if scalar_text(row.get("fieldtype")) == "password" {
                encrypted(&value)
            } else {
                value
            };
            let rows = self
                .tables
                .entry("tblcustomfieldsvalues".into())
                .or_default();
            rows.retain(|r| {
                scalar_text(r.get("fieldid")) != field.to_string()
                    || scalar_text(r.get("relid")) != relid
            });
            self.insert(
                "tblcustomfieldsvalues",
                json!({"fieldid": field, "relid": relid.parse::<i64>().unwrap(), "value": value}),
            );
        }
        None
    }

    fn update_client(&mut self, values: &Value) -> Value {
        let client = scalar_text(values.get("clientid"));
        if self.row("tblclients", "id", &client).is_none() {
            return json!({"result": "error", "message": "Client ID Not Found"});
        }
        if let Some(answer) = self.set_fields(values, "client", &client) {
            return answer;
        }
        json!({"result": "success", "clientid": client})
    }

    fn update_service(&mut self, values: &Value) -> Value {
        let service = scalar_text(values.get("serviceid"));
        let Some(rows) = self.tables.get_mut("tblhosting") else {
            return json!({"result": "error", "message": "Service ID Not Found"});
        };
        let Some(row) = rows
            .iter_mut()
            .find(|r| scalar_text(r.get("id")) == service)
        else {
            return json!({"result": "error", "message": "Service ID Not Found"});
        };
        if let Some(name) = values.get("serviceusername") {
            row.insert("username".into(), name.clone());
        }
        if let Some(password) = values.get("servicepassword").and_then(Value::as_str) {
            row.insert("password".into(), json!(encrypted(password)));
        }
        if let Some(answer) = self.set_fields(values, "product", &service) {
            return answer;
        }
        json!({"result": "success", "serviceid": service})
    }

    fn clients_details(&self, values: &Value) -> Value {
        let id = scalar_text(values.get("clientid"));
        match self.row("tblclients", "id", &id) {
            // Newer WHMCS answers the details both at the top and under "client".
            Some(row) => {
                let mut answer = Value::Object(row.clone());
                answer["result"] = json!("success");
                answer["client"] = Value::Object(row);
                answer
            }
            None => json!({"result": "error", "message": "Client Not Found"}),
        }
    }

    fn orders(&self, values: &Value) -> Value {
        let id = scalar_text(values.get("id"));
        let found: Vec<Value> = self
            .rows("tblorders")
            .into_iter()
            .filter(|r| scalar_text(r.get("id")) == id)
            .map(Value::Object)
            .collect();
        json!({"result": "success", "totalresults": found.len(), "orders": {"order": found}})
    }
}

impl Host for Recorder {
    fn log_module_call(&mut self, action: &str, record: &LogRecord, secrets: &[String]) {
        self.module_log.push(ModuleLog {
            action: action.to_string(),
            record: record.clone(),
            secrets: secrets.to_vec(),
        });
    }

    fn log_activity(&mut self, message: &str, client_id: &str) {
        self.activity
            .push((message.to_string(), client_id.to_string()));
    }

    fn local_api(&mut self, command: &str, values: Value) -> Value {
        self.api_calls.push((command.to_string(), values.clone()));
        if let Some(answer) = self.scripted.get_mut(command).and_then(VecDeque::pop_front) {
            return answer;
        }
        match command {
            "GetClientsDetails" => self.clients_details(&values),
            "GetOrders" => self.orders(&values),
            "UpdateClient" => self.update_client(&values),
            "UpdateClientProduct" => self.update_service(&values),
            _ => json!({"result": "error", "message": "Command Not Found"}),
        }
    }

    fn db_value(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        column: &str,
    ) -> Result<Option<Value>, WhmcsError> {
        self.db()?;
        Ok(self
            .rows(table)
            .into_iter()
            .find(|r| {
                conditions
                    .iter()
                    .all(|(k, v)| scalar_text(r.get(*k)) == scalar_text(Some(v)))
            })
            .and_then(|r| r.get(column).cloned()))
    }

    fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, WhmcsError> {
        self.db()?;
        Ok(self.insert(table, row))
    }

    fn root_dir(&mut self) -> Option<String> {
        Some(self.root.to_string_lossy().into_owned())
    }

    fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError> {
        self.decrypted += 1;
        value
            .strip_prefix("enc:")
            .map(|v| v.chars().rev().collect())
            .ok_or_else(|| "the value is not WHMCS ciphertext".into())
    }

    fn module_name(&self) -> String {
        MODULE.into()
    }

    fn db_rows(
        &mut self,
        table: &str,
        conditions: &[(&str, Value)],
        within: Option<(&str, &[Value])>,
    ) -> Result<Vec<Map<String, Value>>, WhmcsError> {
        self.db()?;
        self.queries.push(format!("select {table}"));
        let same = |a: Option<&Value>, b: &Value| scalar_text(a) == scalar_text(Some(b));
        Ok(self
            .rows(table)
            .into_iter()
            .filter(|r| conditions.iter().all(|(k, v)| same(r.get(*k), v)))
            .filter(|r| within.is_none_or(|(k, vs)| vs.iter().any(|v| same(r.get(k), v))))
            .collect())
    }

    fn db_delete(&mut self, table: &str, id: i64) -> Result<(), WhmcsError> {
        self.db()?;
        self.queries.push(format!("delete {table}"));
        if let Some(rows) = self.tables.get_mut(table) {
            rows.retain(|r| scalar_text(r.get("id")) != id.to_string());
        }
        Ok(())
    }

    fn db_update_in(
        &mut self,
        table: &str,
        key: &str,
        ids: &[i64],
        set: &[(&str, SetTo)],
    ) -> Result<(), WhmcsError> {
        self.db()?;
        self.queries.push(format!("update {table}"));
        let rows = self.tables.entry(table.to_string()).or_default();
        for row in rows.iter_mut() {
            let Ok(id) = scalar_text(row.get(key)).parse::<i64>() else {
                continue;
            };
            if !ids.contains(&id) {
                continue;
            }
            for (column, value) in set {
                let new = match value {
                    SetTo::Value(v) => v.clone(),
                    // `CASE id WHEN <id> THEN <n> … END`, as MySQL evaluates it: NULL when unnamed.
                    SetTo::Case(sql) => sql
                        .split(" WHEN ")
                        .skip(1)
                        .filter_map(|w| w.trim_end_matches(" END").split_once(" THEN "))
                        .find(|(when, _)| when.parse() == Ok(id))
                        .map_or(Value::Null, |(_, then)| json!(then.parse::<u64>().unwrap())),
                };
                row.insert(column.to_string(), new);
            }
        }
        Ok(())
    }
}

/// Standard base64 (RFC 4648) to bytes; `None` when it is not.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let v = T.iter().position(|t| *t == c)? as u32;
        bits = bits << 6 | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

/// PHP's `unserialize()` of an array of `i:<id>;s:<len>:"<text>";` pairs (what `UpdateClient`'s
/// `customfields` holds); `None` for anything else, or a length that does not match.
pub fn parse_php_fields(bytes: &[u8]) -> Option<Vec<(i64, String)>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix("a:")?;
    let (count, mut rest) = rest.split_once(":{")?;
    let count: usize = count.parse().ok()?;
    let mut out = Vec::new();
    for _ in 0..count {
        let (id, after) = rest.strip_prefix("i:")?.split_once(';')?;
        let (len, after) = after.strip_prefix("s:")?.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let after = after.strip_prefix('"')?;
        let value = after.get(..len)?;
        rest = after[len..].strip_prefix("\";")?;
        out.push((id.parse().ok()?, value.to_string()));
    }
    (rest == "}").then_some(out)
}
