//! The action hooks of `whmcsHooks.php`: `SGSignupReseller` / `SGSignupCustomer` registered on
//! `ClientAdd` or `AcceptOrder`. The hooks file's configuration is mapped onto the module's
//! settings table, so it is checked by the same rules with the same messages; or the connection
//! comes from a WHMCS server record of the module (`$sgwhmcsServerId`), whose password WHMCS keeps
//! encrypted. `AcceptOrder` makes no account for an order that holds a service of a product of
//! this extension's module: that service's Create makes the account (one account per order). A
//! hook never fails WHMCS: every problem becomes one line in `whmcs_error.log` and the Activity
//! Log.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::functions::failure::Failure;
use crate::functions::module;
use crate::functions::provision::{self, Order, Provisioned};
use crate::secrets::{basic_credential, Secrets};
use crate::server::api::Kind;
use crate::server::client::NetSettings;
use crate::server::endpoint::Endpoint;
use crate::settings::naming::{self, AccountName};
use crate::settings::options::{field, Action, OPTIONS};
use crate::settings::plan::{self, Policy, Problems, Scope};
use crate::settings::terms::{no_hooks_connection, Terms};
use crate::text::entities::decode_value;
use crate::text::quote::printable;
use crate::whmcs::error_log::{self, ERROR_LOG};
use crate::whmcs::host::{api_ok, Host};
use crate::whmcs::params::decode_params;
use crate::whmcs::params::{is_yes, scalar_text, NotUtf8Secret, Params};

/// The hooks file's connection variables and the server-record variable, declared beside the
/// settings they stand for.
pub use crate::settings::terms::{CONNECTION_KEYS, SERVER_ID_KEY};

/// How much of a module file is read to tell whether it forwards to this extension (the
/// generated file's forwarder is in its first few kilobytes).
const MODULE_FILE_HEAD: u64 = 64 * 1024;

/// Whether the WHMCS server module `module` (a product's `tblproducts.servertype`, a server's
/// `tblservers.type`) is one generated for this extension. Its name must be one the generator
/// gives (lowercase letters and digits, starting with a letter: so no `../` or `/` can make it
/// name another path), and its file `<ROOTDIR>/modules/servers/<name>/<name>.php` must forward
/// to the extension under that name (`\SgWhmcs\module_call('<name>'`, in every generated file).
/// Told from the file, not from PHP's functions: a hook's request has not loaded the module file.
/// Anything that cannot be read (no `ROOTDIR`, no such file) is not this extension's.
pub fn is_extension_module(host: &mut dyn Host, module: &str) -> bool {
    let generated_name = module.len() <= 200
        && module.starts_with(|c: char| c.is_ascii_lowercase())
        && module
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !generated_name {
        return false;
    }
    let Some(root) = host.root_dir() else {
        return false;
    };
    let file = Path::new(&root)
        .join("modules/servers")
        .join(module)
        .join(format!("{module}.php"));
    let mut head = Vec::new();
    let read = File::open(file).and_then(|f| f.take(MODULE_FILE_HEAD).read_to_end(&mut head));
    let marker = format!("\\SgWhmcs\\module_call('{module}',");
    read.is_ok() && head.windows(marker.len()).any(|w| w == marker.as_bytes())
}

/// The WHMCS hook point a signup hook runs at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookPoint {
    /// A client was added (by the admin, the API or sign-up): `$vars` is the client.
    ClientAdd,
    /// An order was accepted: `$vars` names the order, whose client is looked up.
    AcceptOrder,
}

impl HookPoint {
    /// Which hook point `vars` come from (`AcceptOrder` carries `orderid` and no `client_id`).
    pub fn of(vars: &Params) -> HookPoint {
        if vars.has("orderid") && !vars.has("client_id") {
            HookPoint::AcceptOrder
        } else {
            HookPoint::ClientAdd
        }
    }

    /// Its WHMCS name.
    pub fn name(self) -> &'static str {
        match self {
            HookPoint::ClientAdd => "ClientAdd",
            HookPoint::AcceptOrder => "AcceptOrder",
        }
    }
}

/// The hooks-file variables that hold secrets (the settings [`CONNECTION_KEYS`] maps onto the
/// module's secret fields).
pub fn config_secret_keys() -> impl Iterator<Item = &'static str> {
    CONNECTION_KEYS
        .iter()
        .filter(|(_, n)| [field::PASSWORD, field::FINGERPRINT].contains(n))
        .map(|(key, _)| *key)
}

/// The secrets of a hook run: the hooks file's password and pin, the client's password (each as
/// given and trimmed) and the Basic credential, so an echoed `Authorization` header is masked whole.
pub fn secrets(vars: &Params, config: &Params) -> Secrets {
    let mut out = Secrets::default();
    for key in config_secret_keys() {
        out.add(config.text(key));
        out.add(config.secret(key).unwrap_or_default());
    }
    out.add(vars.text("password"));
    out.add(vars.secret("password").unwrap_or_default());
    out.add(basic_credential(
        &config.text("userName"),
        &config.text("loginPassword"),
    ));
    out
}

/// Runs a signup hook; answers what happened (also logged). Never panics on bad input.
pub fn signup(
    kind: Kind,
    vars: &Params,
    config: &Params,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<String, String> {
    // WHMCS stores and passes request input HTML-encoded ("Smith &amp; Sons"): decoded once here.
    let vars = &decode_params(vars);
    // `userid` is the client too (WHMCS 7 passed only it); `user_id` never is: in WHMCS 8 it is
    // the User (login) id, a different number that may be another client's.
    let mut client_id = vars.text("client_id");
    if client_id.is_empty() {
        client_id = vars.text("userid");
    }
    let mut run = Signup {
        kind,
        hook: HookPoint::of(vars),
        vars,
        order_id: vars.text("orderid"),
        password: vars.secret("password"),
        config,
        client_id,
        personal: personal_data(vars),
        secrets: secrets(vars, config),
        server: None,
    };
    let outcome = run.run(host, net);
    run.report(host, outcome)
}

/// One signup hook run: its input, and what it has learnt so far that its report needs (the
/// client, once known; personal values to keep out of the error log; the secrets).
struct Signup<'a> {
    kind: Kind,
    hook: HookPoint,
    /// The hook's `$vars`, decoded: for `ClientAdd`, the client's details.
    vars: &'a Params,
    /// `AcceptOrder`'s order.
    order_id: String,
    /// `ClientAdd`'s password, exactly as given, or why it cannot be used.
    password: Result<String, NotUtf8Secret>,
    config: &'a Params,
    client_id: String,
    personal: Vec<String>,
    secrets: Secrets,
    /// The WHMCS server the connection is taken from (`$sgwhmcsServerId`), once read.
    server: Option<String>,
}

/// The client a hook makes an account for.
struct Client {
    details: Params,
    /// The password the client signed up with (empty when WHMCS gives none).
    password: String,
}

impl Signup<'_> {
    /// Reads the order (`AcceptOrder`), plans, finds the client, provisions and stores the pass
    /// key; answers the success line, or why no account was needed.
    fn run(&mut self, host: &mut dyn Host, net: &NetSettings) -> Result<String, Failure> {
        if self.hook == HookPoint::AcceptOrder {
            let order = read_order(host, &self.order_id)?;
            self.client_id = order.client_id.clone();
            // Before the configuration is read: the hook has nothing to do for this order.
            if let Some((service, module)) = module_service(host, &order)? {
                return Ok(format!(
                    "order #{}: provisioned by the product's module, the hook made no account (service #{service} is a product of the module \"{module}\", whose Create makes the account; one account per order)",
                    order.id
                ));
            }
        }
        let (endpoint, policy) = self.plan(host)?;
        let client = self.find_client(host)?;
        let (order, name, generated) = self.order(host, &policy, client)?;
        let made = provision::provision(host, net, &endpoint, &policy, &name, &order)?;
        self.personal.push(made.name.clone());
        provision::store_passkey(host, &order, &made, &self.client_id)?;
        Ok(self.success(&endpoint, &made, generated))
    }

    /// The hooks file's configuration, checked by the module's rules; the connection from the
    /// WHMCS server `$sgwhmcsServerId` names, else from the file's variables.
    fn plan(&mut self, host: &mut dyn Host) -> Result<(Endpoint, Policy), Failure> {
        // The admin edits variables at the top of the hooks file, not module settings: name those.
        let mut problems = Problems::in_terms(Terms::HooksFile);
        let server = self.config.text(SERVER_ID_KEY);
        let settings = settings(self.kind, self.config, server.is_empty(), &mut problems);
        let required = [field::HOST, field::USERNAME, field::PASSWORD];
        let endpoint = if !server.is_empty() {
            self.server = Some(printable(&server));
            server_record(host, &server, &mut problems).map(|(endpoint, secrets)| {
                self.secrets.extend(secrets.to_vec());
                endpoint
            })
        } else if CONNECTION_KEYS
            .iter()
            .filter(|(_, n)| required.contains(n))
            .all(|(k, _)| self.config.text(k).is_empty())
        {
            problems.add("Connection", no_hooks_connection());
            None
        } else {
            plan::endpoint(&settings, &mut problems)
        };
        let policy = plan::policy(&settings, &mut problems);
        Ok(problems.finish(Scope::Hooks, endpoint.zip(policy))?)
    }

    /// The client: `$vars` itself for `ClientAdd`, the order's client for `AcceptOrder`.
    fn find_client(&mut self, host: &mut dyn Host) -> Result<Client, Failure> {
        let client = match self.hook {
            HookPoint::AcceptOrder => Client {
                details: client_details(host, &self.client_id)?,
                password: String::new(),
            },
            HookPoint::ClientAdd => {
                if self.client_id.is_empty() {
                    return Err(Failure::NoClientId);
                }
                let password = self.password.clone().map_err(Failure::ClientPassword)?;
                Client {
                    details: self.vars.clone(),
                    password,
                }
            }
        };
        self.personal.extend(personal_data(&client.details));
        Ok(client)
    }

    /// The order to provision, the name to give, and whether the password was generated.
    fn order(
        &mut self,
        host: &mut dyn Host,
        policy: &Policy,
        client: Client,
    ) -> Result<(Order, AccountName, bool), Failure> {
        let name = AccountName::derived(&client.details, &self.client_id, "client");
        self.personal.push(name.first().to_string());
        self.personal.extend(name.alternative());
        // An account never gets an empty web console password.
        let generated = client.password.is_empty();
        let password = if generated {
            crate::whmcs::password::generate().map_err(Failure::NoPassword)?
        } else {
            client.password
        };
        self.secrets.add(password.clone());
        let order = Order {
            hints: &provision::HOOK_HINTS,
            // A WHMCS server's connection is edited in its record, whose fields the module's
            // words name; otherwise in the variables of the hooks file.
            terms: if self.server.is_some() {
                Terms::ModuleSettings
            } else {
                Terms::HooksFile
            },
            action: self.hook.name(),
            contact: naming::contact(&client.details),
            password,
            reference: crate::whmcs::reference::for_client(host, &self.client_id).map_err(
                |why| Failure::Create {
                    noun: policy.kind.noun(),
                    why: why.to_string(),
                },
            )?,
            secrets: self.secrets.clone(),
        };
        Ok((order, name, generated))
    }

    /// The success line: what was made, what was stored, and any warning.
    fn success(&self, endpoint: &Endpoint, made: &Provisioned, generated: bool) -> String {
        let stored = if made.passkey.is_some() {
            format!(
                "; pass key stored in the client's {} field",
                crate::whmcs::passkey::FIELD_NAME
            )
        } else {
            String::new()
        };
        let generated = if generated {
            "; WHMCS gave no password, so a strong random web console password was set (reset it in the web console to hand one to the client)"
        } else {
            ""
        };
        // A hook's success line is the only thing the admin sees of it: the plain-http warning too.
        let warning = module::plain_http_warning(endpoint, self.hook.name())
            .map(|w| format!("; {w}"))
            .unwrap_or_default();
        format!(
            "{} \"{}\" is on the Backup Server{stored}{generated}{warning}",
            made.noun, made.name
        )
    }

    /// What the report adds when the connection came from a WHMCS server while connection
    /// variables of the file hold values: they were ignored, and should go.
    fn ignored_note(&self) -> String {
        let Some(server) = &self.server else {
            return String::new();
        };
        let set: Vec<String> = CONNECTION_KEYS
            .iter()
            .filter(|(_, n)| *n != field::PROTOCOL)
            .filter(|(key, _)| {
                self.config
                    .secret(key)
                    .map_or(true, |v| !v.trim().is_empty())
            })
            .map(|(key, _)| format!("${key}"))
            .collect();
        match set.len() {
            0 => String::new(),
            n => format!(
                "; warning: {} {} ignored, the connection comes from WHMCS server {server} (${SERVER_ID_KEY}): empty {} in whmcsHooks.php, so that no password sits in the file",
                set.join(", "),
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
            ),
        }
    }

    /// Logs the outcome (Activity Log; a failure also in the error log) and answers its line.
    fn report(
        self,
        host: &mut dyn Host,
        outcome: Result<String, Failure>,
    ) -> Result<String, String> {
        let hook = self.hook.name();
        let client_id = &self.client_id;
        // The edge: a failure's text is rendered here, once, in the hooks file's terms.
        let line = match &outcome {
            Ok(done) => done.clone(),
            // The connection came from a WHMCS server: the module's words (its fields) are right,
            // and the admin is told where that server is edited.
            Err(why @ Failure::Settings(_)) if self.server.is_some() => why.to_string(),
            Err(why) => match &self.server {
                Some(server) => format!(
                    "{why} (the connection is WHMCS server {server}'s, named by ${SERVER_ID_KEY}: its Hostname, Port, Username, Password and Access Hash are edited in Setup › Products/Services › Servers)"
                ),
                // Made in the hooks file's terms (`Problems::in_terms`, `Order::terms`).
                None => why.to_string(),
            },
        };
        let line = self
            .secrets
            .scrub(&format!("{line}{}", self.ignored_note()));
        match &outcome {
            Ok(_) => host.log_activity(&format!("sgwhmcs {hook}: {line}"), client_id),
            Err(_) => {
                // The file is in a web-served folder: ids and the reason only, no names or addresses.
                let reason = impersonal(&line, &self.personal);
                let note = match error_log::write(host, hook, client_id, &reason) {
                    Some(Err(e)) => format!(" (and {ERROR_LOG} could not be written: {e})"),
                    _ => String::new(),
                };
                host.log_activity(&format!("sgwhmcs {hook} failed: {line}{note}"), client_id);
            }
        }
        outcome.map(|_| line.clone()).map_err(|_| line)
    }
}

/// Maps the hooks file's configuration onto the module's positional settings; its connection
/// variables only `with_connection` (they are ignored when a WHMCS server gives it).
fn settings(kind: Kind, config: &Params, with_connection: bool, problems: &mut Problems) -> Params {
    let mut map = Map::new();
    let mut put = |n: usize, v: String| {
        map.insert(format!("configoption{n}"), Value::String(v));
    };
    for (key, n) in CONNECTION_KEYS.into_iter().filter(|_| with_connection) {
        let name = problems.field(n);
        let value = if n == field::PASSWORD || n == field::FINGERPRINT {
            // A refused secret is a problem, so its converted text below is never sent.
            plan::secret(config, key, &name, problems)
                .map_or_else(|| config.text(key), |s| s.expose().to_string())
        } else if n == field::USERNAME {
            plan::login_user(config, key, &name, problems)
        } else {
            config.text(key)
        };
        put(n, value);
    }
    let action = match kind {
        Kind::Reseller => Action::SignupReseller,
        Kind::Customer => Action::SignupCustomer,
    };
    put(field::ACTION, action.text().to_string());
    for (label, value) in config.nested("policy").entries() {
        let position = OPTIONS
            .iter()
            .position(|o| o.label == label.as_str())
            .map(|i| i + 1);
        match position {
            Some(n) if (field::RESELLER..=field::RETRIEVE_PASSKEY).contains(&n) => {
                let text = scalar_text(Some(value));
                let text = if matches!(value, Value::Bool(true)) { "on".to_string() } else { text };
                put(n, text);
            }
            Some(_) => problems.add(label, "is set at the top of the hooks file, not in its policy"),
            None => problems.add(
                label,
                "is not a setting name; use the labels of the module settings, e.g. \"Storage Allotted\"",
            ),
        }
    }
    Params::new(Value::Object(map))
}

/// The connection of WHMCS server `id` (`$sgwhmcsServerId`): it must exist, be of a module of
/// this extension and not be disabled; its fields are read from `tblservers` (the password
/// through WHMCS's `decrypt()`) and checked by the rules of an assigned server, Access Hash pin
/// included; with the secrets it holds (its password, Access Hash and Basic credential). Every
/// problem is named after the variable; nothing is sent after one.
fn server_record(
    host: &mut dyn Host,
    id: &str,
    problems: &mut Problems,
) -> Option<(Endpoint, Secrets)> {
    let label = format!("${SERVER_ID_KEY}");
    let number = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && id.chars().all(|c| c.is_ascii_digit()));
    let Some(number) = number else {
        problems.add(
            &label,
            format!(
                "\"{}\" is not a WHMCS server id; put the number of a server of the module (Setup › Products/Services › Servers, the id in its edit link), or leave it empty",
                printable(id)
            ),
        );
        return None;
    };
    let read = |host: &mut dyn Host, column: &str| {
        host.db_value("tblservers", &[("id", json!(number))], column)
            .map_err(|e| format!("WHMCS server {number} could not be read: {e}"))
    };
    let module = match read(host, "type") {
        Err(why) => {
            problems.add(&label, why);
            return None;
        }
        Ok(None) => {
            problems.add(
                &label,
                format!("there is no WHMCS server {number} (Setup › Products/Services › Servers); put the id of a server of the module"),
            );
            return None;
        }
        Ok(Some(module)) => scalar_text(Some(&module)),
    };
    if !is_extension_module(host, &module) {
        problems.add(
            &label,
            format!(
                "WHMCS server {number} is a server of the module \"{}\", not of a Backup Server module made with sgwhmcs; put the id of a server whose Module is the one you generated",
                printable(&module)
            ),
        );
        return None;
    }
    match read(host, "disabled") {
        Err(why) => {
            problems.add(&label, why);
            return None;
        }
        Ok(disabled) if is_yes(disabled.as_ref()) => {
            problems.add(
                &label,
                format!("WHMCS server {number} is disabled (Setup › Products/Services › Servers); enable it, or put the id of another server"),
            );
            return None;
        }
        Ok(_) => {}
    }
    let fields = match crate::settings::whmcs_tables::server_fields(host, &number.to_string()) {
        Ok(fields) => fields,
        Err(why) => {
            problems.add(&label, why.to_string());
            return None;
        }
    };
    let record = Params::new(Value::Object(fields));
    let mut found = Problems::default();
    let endpoint = plan::server_endpoint(&record, &mut found);
    for problem in found.0 {
        problems.add(
            &format!("{label}: WHMCS server {number}, {}", problem.label),
            problem.problem,
        );
    }
    endpoint.map(|endpoint| {
        let secrets = crate::settings::call_secrets::secrets(&record, &endpoint);
        (endpoint, secrets)
    })
}

/// An order, as `GetOrders` shows it: its client and the services (tblhosting ids) it holds.
struct SeenOrder {
    id: String,
    client_id: String,
    /// The `relid` of each line item of type `product`.
    services: Vec<String>,
}

/// The order `order_id` through `GetOrders`: its client (`userid`) and its product line items'
/// services (`lineitems.lineitem[]` of `type` `product`, whose `relid` is the tblhosting id).
fn read_order(host: &mut dyn Host, order_id: &str) -> Result<SeenOrder, Failure> {
    if order_id.is_empty() {
        return Err(Failure::NoOrderId);
    }
    if order_id.len() > 18 || !order_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::BadOrderId(printable(order_id)));
    }
    // localAPI answers carry WHMCS's HTML-encoded stored values: decoded once here.
    let orders = decode_value(&host.local_api("GetOrders", json!({"id": order_id})));
    api_ok(&orders).map_err(|why| Failure::GetOrders {
        order: order_id.to_string(),
        why,
    })?;
    let order = orders
        .pointer("/orders/order/0")
        .cloned()
        .unwrap_or_default();
    let client_id = scalar_text(order.get("userid"));
    if client_id.is_empty() || scalar_text(order.get("id")) != order_id {
        return Err(Failure::NoOrderClient(order_id.to_string()));
    }
    let items = match order.pointer("/lineitems/lineitem") {
        Some(Value::Array(items)) => items.clone(),
        // One line item may come as the item itself.
        Some(item @ Value::Object(_)) => vec![item.clone()],
        _ => Vec::new(),
    };
    let services = items
        .iter()
        .filter(|item| scalar_text(item.get("type")).eq_ignore_ascii_case("product"))
        .map(|item| scalar_text(item.get("relid")))
        .collect();
    Ok(SeenOrder {
        id: order_id.to_string(),
        client_id,
        services,
    })
}

/// The first service of `order` whose product uses a server module of this extension
/// ([`is_extension_module`]), with that module: `tblhosting.packageid`, then
/// `tblproducts.servertype`. When that cannot be told (a table cannot be read, a line item names
/// no service there) the hook makes no account rather than risk a second one: `Err`.
fn module_service(
    host: &mut dyn Host,
    order: &SeenOrder,
) -> Result<Option<(String, String)>, Failure> {
    let unknown = |why: String| Failure::OrderNotChecked {
        order: order.id.clone(),
        why,
    };
    for service in &order.services {
        let id = service
            .parse::<i64>()
            .ok()
            .filter(|_| service.chars().all(|c| c.is_ascii_digit()))
            .ok_or_else(|| {
                unknown(format!(
                    "a product line item names the service \"{}\", which is not a service id",
                    printable(service)
                ))
            })?;
        let product = host
            .db_value("tblhosting", &[("id", json!(id))], "packageid")
            .map_err(|e| unknown(format!("service {id} could not be read: {e}")))?
            .ok_or_else(|| unknown(format!("its service {id} was not found")))?;
        let product = json!(scalar_text(Some(&product)).parse::<i64>().unwrap_or(0));
        let module = host
            .db_value("tblproducts", &[("id", product)], "servertype")
            .map_err(|e| {
                unknown(format!(
                    "the product of service {id} could not be read: {e}"
                ))
            })?;
        let module = scalar_text(module.as_ref());
        if is_extension_module(host, &module) {
            return Ok(Some((id.to_string(), module)));
        }
    }
    Ok(None)
}

/// The client's details through `GetClientsDetails`.
fn client_details(host: &mut dyn Host, client_id: &str) -> Result<Params, Failure> {
    // localAPI answers carry WHMCS's HTML-encoded stored values: decoded once here.
    let details = decode_value(&host.local_api(
        "GetClientsDetails",
        json!({"clientid": client_id, "stats": false}),
    ));
    api_ok(&details).map_err(|why| Failure::GetClientsDetails {
        client: client_id.to_string(),
        why,
    })?;
    let details = Params::new(details);
    // Newer WHMCS answers with the details both at the top and under "client".
    Ok(match details.nested("client") {
        c if c.has("email") => c,
        _ => details,
    })
}

/// The client details a hook receives that identify a person, for keeping them out of the
/// error log.
const PERSONAL_KEYS: [&str; 12] = [
    "firstname",
    "lastname",
    "fullname",
    "companyname",
    "email",
    "address1",
    "address2",
    "city",
    "state",
    "postcode",
    "phonenumber",
    "password",
];

/// The personal values among `client`'s details.
fn personal_data(client: &Params) -> Vec<String> {
    PERSONAL_KEYS.iter().map(|k| client.text(k)).collect()
}

/// `line` with every value of `personal` (names, e-mail, company, address, phone, account names
/// made from them) replaced, longest first, so that what is left is ids and the reason.
pub fn impersonal(line: &str, personal: &[String]) -> String {
    let mut values: Vec<&String> = personal.iter().filter(|v| v.chars().count() >= 2).collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let plain = values.into_iter().fold(line.to_string(), |text, v| {
        replace_whole(&text, v, PERSONAL)
    });
    // A server or a proxy may quote the request back JSON-escaped, re-encoded, HTML-escaped or in
    // base64: those forms go too (values of 4 characters or more, which the secrets' search does
    // not mistake for parts of ordinary words as often as a state code would be).
    let long: Vec<String> = personal
        .iter()
        .filter(|v| v.chars().count() >= 4)
        .cloned()
        .collect();
    crate::secrets::Scrubber::new(&long).scrub_as(&plain, PERSONAL)
}

/// What personal data is replaced by in `whmcs_error.log`.
const PERSONAL: &str = "[client data]";

/// `text` with each occurrence of `value` that is not part of a longer word (a state code `IL`
/// inside `AUTH_FAILED` stays) replaced by `with`.
fn replace_whole(text: &str, value: &str, with: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(value) {
        let before = match at {
            0 => out.chars().last(),
            _ => rest[..at].chars().last(),
        };
        let after = rest[at + value.len()..].chars().next();
        out.push_str(&rest[..at]);
        let inside = (word(before) && word(value.chars().next()))
            || (word(after) && word(value.chars().last()));
        out.push_str(if inside { value } else { with });
        rest = &rest[at + value.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_log_line_keeps_no_personal_data() {
        let client = Params::new(json!({
            "firstname": "Jane", "lastname": "Doe", "companyname": "Acme Widgets", "email": "jane@acme.test",
            "city": "Springfield", "state": "IL", "postcode": "62701", "phonenumber": "5550100",
        }));
        let mut personal = personal_data(&client);
        personal.push("Acme Widgets-12".into());
        let line = "Could not create customer: the name \"Acme Widgets-12\" is already taken (jane@acme.test, Jane Doe, Springfield)";
        let clean = impersonal(line, &personal);
        for value in ["Acme", "jane@", "Jane", "Doe", "Springfield"] {
            assert!(!clean.contains(value), "{clean}");
        }
        assert!(
            clean.starts_with("Could not create customer: the name"),
            "{clean}"
        );
        assert_eq!(
            impersonal("AUTH_FAILED in IL, ILX", &personal),
            "AUTH_FAILED in [client data], ILX"
        );
    }

    #[test]
    fn personal_data_quoted_back_in_another_form_goes_too() {
        let company = "Smith & Sons <\"Backup\"> 'Zoë'".to_string();
        let personal = vec![company.clone(), "IL".to_string()];
        let json = serde_json::to_string(&company).unwrap();
        let php = "Smith & Sons <\\\"Backup\\\"> 'Zo\\u00eb'";
        let html = "Smith &amp; Sons &lt;&quot;Backup&quot;&gt; &#039;Zoë&#039;";
        for quoted in [json.as_str(), php, html] {
            let clean = impersonal(&format!("refused {quoted} in IL"), &personal);
            assert!(
                !clean.contains("Smith") && !clean.contains("Backup"),
                "{clean}"
            );
            assert!(clean.starts_with("refused "), "{clean}");
            assert!(clean.ends_with(" in [client data]"), "{clean}");
        }
        assert_eq!(impersonal("AUTH_FAILED", &personal), "AUTH_FAILED");
    }

    #[test]
    fn the_hook_point_is_told_by_the_vars() {
        let of = |v: Value| HookPoint::of(&Params::new(v));
        assert_eq!(of(json!({"client_id": "3"})), HookPoint::ClientAdd);
        assert_eq!(of(json!({"orderid": "12"})), HookPoint::AcceptOrder);
        assert_eq!(
            of(json!({"orderid": "12", "client_id": "3"})),
            HookPoint::ClientAdd
        );
        assert_eq!(HookPoint::AcceptOrder.name(), "AcceptOrder");
    }

    #[test]
    fn hook_secrets_come_from_the_one_key_list() {
        let keys: Vec<&str> = config_secret_keys().collect();
        assert_eq!(keys, ["loginPassword", "certificateSha256"]);
        let found = secrets(
            &Params::new(json!({"password": " Cl-pw "})),
            &Params::new(json!({"userName": "admin", "loginPassword": "Lg-pw"})),
        );
        for s in ["Lg-pw", " Cl-pw ", "Cl-pw", "admin:Lg-pw"] {
            assert!(found.contains(&s.to_string()), "{s}");
        }
    }

    /// A host whose WHMCS root is a scratch folder, answering `db_value` by `table.column` (as
    /// the fake host does) and `GetOrders` as given.
    struct RootedHost {
        root: std::path::PathBuf,
        inner: crate::whmcs::host::fake::FakeHost,
    }

    impl RootedHost {
        fn new(name: &str) -> RootedHost {
            let root =
                std::env::temp_dir().join(format!("sgwhmcs-hooks-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("modules/servers")).unwrap();
            RootedHost {
                root,
                inner: Default::default(),
            }
        }

        fn module(&self, name: &str, text: &str) {
            let dir = self.root.join("modules/servers").join(name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{name}.php")), text).unwrap();
        }
    }

    impl Drop for RootedHost {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }

    use crate::whmcs::host::WhmcsError;

    impl Host for RootedHost {
        fn log_module_call(&mut self, a: &str, r: &crate::server::client::LogRecord, s: &[String]) {
            self.inner.log_module_call(a, r, s);
        }
        fn log_activity(&mut self, message: &str, client_id: &str) {
            self.inner.log_activity(message, client_id);
        }
        fn local_api(&mut self, command: &str, values: Value) -> Value {
            self.inner.local_api(command, values)
        }
        fn db_value(
            &mut self,
            table: &str,
            conditions: &[(&str, Value)],
            column: &str,
        ) -> Result<Option<Value>, WhmcsError> {
            self.inner.db_value(table, conditions, column)
        }
        fn db_insert(&mut self, table: &str, row: Value) -> Result<i64, WhmcsError> {
            self.inner.db_insert(table, row)
        }
        fn root_dir(&mut self) -> Option<String> {
            Some(self.root.to_string_lossy().into_owned())
        }
        fn decrypt(&mut self, value: &str) -> Result<String, WhmcsError> {
            self.inner.decrypt(value)
        }
    }

    const FORWARDER: &str = "<?php\nfunction backupx_CreateAccount($p) { return \\SgWhmcs\\module_call('backupx', 'CreateAccount', $p); }\n";

    #[test]
    fn a_module_is_this_extensions_by_its_name_and_its_forwarder() {
        let mut host = RootedHost::new("modules");
        host.module("backupx", FORWARDER);
        host.module(
            "cpanel",
            "<?php\nfunction cpanel_CreateAccount($p) { return 'success'; }\n",
        );
        // A forwarder under another name (a copied folder) is not that module's.
        host.module("copied", FORWARDER);
        assert!(is_extension_module(&mut host, "backupx"));
        for not_ours in [
            "cpanel",
            "copied",
            "missing",
            "",
            "Backupx",
            "BACKUPX",
            "backupx/",
            "./backupx",
            "../servers/backupx",
            "backupx\0",
            "1backupx",
            "backup-x",
        ] {
            assert!(!is_extension_module(&mut host, not_ours), "{not_ours:?}");
        }
        // Without a WHMCS root nothing can be told: not ours.
        assert!(!is_extension_module(
            &mut crate::whmcs::host::fake::FakeHost::default(),
            "backupx"
        ));
    }

    #[test]
    fn an_order_is_the_modules_when_one_product_line_is_of_its_module() {
        let mut host = RootedHost::new("orders");
        host.module("backupx", FORWARDER);
        host.inner.api_answers.insert(
            "GetOrders".into(),
            json!({"result": "success", "orders": {"order": [{"id": 12, "userid": 4, "lineitems": {"lineitem": [
                {"type": "domain", "relid": 9},
                {"type": "product", "relid": 30},
            ]}}]}}),
        );
        let order = read_order(&mut host, "12").unwrap();
        assert_eq!(order.client_id, "4");
        assert_eq!(order.services, ["30"], "only product lines name services");
        host.inner
            .db
            .insert("tblhosting.packageid".into(), json!(7));
        host.inner
            .db
            .insert("tblproducts.servertype".into(), json!("backupx"));
        assert_eq!(
            module_service(&mut host, &order).unwrap(),
            Some(("30".to_string(), "backupx".to_string()))
        );
        host.inner
            .db
            .insert("tblproducts.servertype".into(), json!("cpanel"));
        assert_eq!(module_service(&mut host, &order).unwrap(), None);
        // A service that is not there: the hook cannot tell, so it makes no account.
        host.inner.db.remove("tblhosting.packageid");
        let why = module_service(&mut host, &order).unwrap_err().to_string();
        assert!(why.starts_with("could not tell whether order #12"), "{why}");
        // Another order's answer is not this order's.
        let why = read_order(&mut host, "13").err().unwrap().to_string();
        assert_eq!(why, "order 13 was not found, or has no client");
        for bad in ["12a", "-1", "1 2", "99999999999999999999"] {
            assert!(
                matches!(read_order(&mut host, bad), Err(Failure::BadOrderId(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_server_record_gives_the_connection_or_a_problem_naming_the_variable() {
        let mut host = RootedHost::new("servers");
        host.module("backupx", FORWARDER);
        let mut problems = Problems::default();
        assert!(server_record(&mut host, "3", &mut problems).is_none());
        assert_eq!(
            problems.0[0].to_string(),
            "$sgwhmcsServerId: there is no WHMCS server 3 (Setup › Products/Services › Servers); put the id of a server of the module"
        );
        for (column, value) in [
            ("type", json!("backupx")),
            ("disabled", json!(0)),
            ("hostname", json!("b.test")),
            ("username", json!("admin")),
            ("password", json!("enc:S3cret &amp; more")),
            ("secure", json!("on")),
            ("port", json!("")),
            ("accesshash", json!("")),
        ] {
            host.inner.db.insert(format!("tblservers.{column}"), value);
        }
        let mut problems = Problems::default();
        let (endpoint, secrets) = server_record(&mut host, "3", &mut problems).unwrap();
        assert!(problems.0.is_empty());
        for secret in ["S3cret & more", "admin:S3cret & more"] {
            assert!(secrets.contains(&secret.to_string()), "{secret}");
        }
        assert_eq!(endpoint.base_url(), "https://b.test:6061/api/v1");
        assert_eq!(endpoint.user, "admin");
        assert_eq!(
            endpoint.password.expose(),
            "S3cret & more",
            "decrypted, then decoded"
        );
        host.inner.db.insert("tblservers.disabled".into(), json!(1));
        let mut problems = Problems::default();
        assert!(server_record(&mut host, "3", &mut problems).is_none());
        assert!(problems.0[0]
            .to_string()
            .contains("WHMCS server 3 is disabled"));
        host.inner.db.insert("tblservers.disabled".into(), json!(0));
        host.inner
            .db
            .insert("tblservers.type".into(), json!("../x"));
        let mut problems = Problems::default();
        assert!(server_record(&mut host, "3", &mut problems).is_none());
        assert!(problems.0[0].to_string().contains("of the module \"../x\""));
        for id in ["0", "x", "3.0", "-3", "99999999999999999999"] {
            let mut problems = Problems::default();
            assert!(server_record(&mut host, id, &mut problems).is_none());
            assert!(
                problems.0[0]
                    .to_string()
                    .contains("is not a WHMCS server id"),
                "{id}"
            );
        }
    }

    #[test]
    fn hooks_config_maps_onto_module_settings() {
        let config = Params::new(json!({
            "protocal": "https", "serverName": "b.test", "port": "", "userName": "admin", "loginPassword": "pw",
            "policy": {"Storage Allotted": "1024", "Is Auto MCAL": true, "Bogus": "1", "Action": "x"},
        }));
        let mut problems = Problems::default();
        let s = settings(Kind::Reseller, &config, true, &mut problems);
        assert_eq!(s.setting(field::HOST), "b.test");
        assert_eq!(s.setting(field::ACTION), "Signup Reseller");
        assert_eq!(s.setting(field::STORAGE), "1024");
        assert_eq!(s.setting(field::MCAL_AUTO), "on");
        let found: Vec<String> = problems.0.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("Bogus: is not a setting name"));
        assert!(found[1].starts_with("Action: is set at the top"));
    }
}
