//! Where WHMCS keeps a customer's pass key, and reading it back for the e-mails'
//! `{$backup_pass_key}`.
//!
//! Each service's own key is in the product custom field `Pass Key` (`tblcustomfields` of type
//! `product`, `relid` the product; one value per service in `tblcustomfieldsvalues`, `relid` the
//! service), made by the module when missing: a Password field (WHMCS keeps it encrypted), admin
//! only. The client custom field `Pass Key` of the product documentation holds the key of the
//! client's most recently created or reset customer account: the whole story for a client with
//! one service, and the only place for accounts a hook made (they have no service).

use serde_json::{json, Value};

use crate::whmcs::host::{api_ok, Host, WhmcsError};

/// The name of both fields as a literal, for texts made with `concat!` (the settings' help
/// text): typed here only.
macro_rules! field_name {
    () => {
        "Pass Key"
    };
}
pub(crate) use field_name;

/// The name of both fields (the product documentation's name).
pub const FIELD_NAME: &str = field_name!();

/// Which `Pass Key` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The client custom field: one value per client.
    Client,
    /// The custom field of product `id`: one value per service of that product.
    Product(i64),
}

impl Owner {
    fn kind(self) -> &'static str {
        match self {
            Owner::Client => "client",
            Owner::Product(_) => "product",
        }
    }

    /// The field, for messages.
    fn described(self) -> String {
        match self {
            Owner::Client => format!("the client custom field \"{FIELD_NAME}\""),
            Owner::Product(id) => {
                format!("the custom field \"{FIELD_NAME}\" of product #{id}")
            }
        }
    }

    /// Where an admin edits the field.
    fn setup(self) -> String {
        match self {
            Owner::Client => "Setup > Custom Client Fields".into(),
            Owner::Product(id) => {
                format!("the Custom Fields tab of product #{id} (Setup > Products/Services)")
            }
        }
    }

    /// The field in a "could not store it in …" message.
    fn place(self) -> &'static str {
        match self {
            Owner::Client => "the client's",
            Owner::Product(_) => "the service's",
        }
    }
}

/// Where one read or reset key is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home<'a> {
    /// An account a hook made: no service, so only the client field.
    Client(&'a str),
    /// The account of service `service` of client `client`: the service's field, then the
    /// client's (which holds the most recently created or reset key).
    Service {
        /// The service id (`tblhosting.id`).
        service: &'a str,
        /// The client id.
        client: &'a str,
    },
}

/// A client id alone: an account made by a hook.
impl<'a> From<&'a String> for Home<'a> {
    fn from(client: &'a String) -> Home<'a> {
        Home::Client(client)
    }
}

/// How a field of WHMCS custom field type `kind` holds a pass key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
    /// As text (`text`, `textarea`), readable as it is stored.
    Plain,
    /// Encrypted by WHMCS (`password`): read back through WHMCS's `decrypt()`.
    Encrypted,
}

/// Why a pass key could not be kept in, or read from, a `Pass Key` field. Never holds the key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PassKeyError {
    /// WHMCS's own answer (its database or local API), as it is.
    #[error("{0}")]
    Whmcs(WhmcsError),
    /// The field's type cannot hold a free value (a dropdown, tick box or link).
    #[error("{} is a {kind} field, which cannot hold a pass key; in {} change its Field Type to Password (kept encrypted) or Text Box", .owner.described(), .owner.setup())]
    WrongType {
        /// Which field.
        owner: Owner,
        /// Its WHMCS field type.
        kind: String,
    },
    /// The field was missing and could not be made.
    #[error("{} could not be created", .0.described())]
    NotCreated(Owner),
    /// The service a key is for does not exist.
    #[error("WHMCS has no service #{0}")]
    NoService(String),
    /// Storing in a field failed.
    #[error("WHMCS could not store it in {} \"{FIELD_NAME}\" field: {why}", .owner.place())]
    NotStored {
        /// Which field.
        owner: Owner,
        /// Why.
        why: Box<PassKeyError>,
    },
    /// WHMCS's `decrypt()` failed on a password field's value.
    #[error("{} (a password field) could not be decrypted: {why}", .owner.described())]
    Undecryptable {
        /// Which field.
        owner: Owner,
        /// WHMCS's answer.
        why: WhmcsError,
    },
    /// The stored value holds characters a pass key never has.
    #[error("the value in {} is not a pass key (it holds characters a pass key never has); press Store Pass Key Again on the service", .0.described())]
    NotAPassKey(Owner),
}

/// A failed call of WHMCS (the host port answers in its own words).
impl From<WhmcsError> for PassKeyError {
    fn from(why: WhmcsError) -> PassKeyError {
        PassKeyError::Whmcs(why)
    }
}

/// A failed call of WHMCS's local API (`api_ok` words its answer).
impl From<String> for PassKeyError {
    fn from(why: String) -> PassKeyError {
        PassKeyError::Whmcs(WhmcsError(why))
    }
}

/// How a `Pass Key` field of `owner` and type `kind` (`tblcustomfields.fieldtype`) holds the key,
/// or why it cannot: a dropdown, tick box or link field cannot hold a free value.
pub fn holding(owner: Owner, kind: &str) -> Result<Holding, PassKeyError> {
    match kind.trim().to_ascii_lowercase().as_str() {
        "" | "text" | "textarea" => Ok(Holding::Plain),
        "password" => Ok(Holding::Encrypted),
        other => Err(PassKeyError::WrongType {
            owner,
            kind: other.to_string(),
        }),
    }
}

/// Whether a stored field name is `Pass Key`: WHMCS stores the name as typed, HTML-encoded, and a
/// name may carry a display name after `|` (`Pass Key|Backup pass key`), as `$params` shows.
pub fn is_field_name(stored: &str) -> bool {
    let decoded = crate::text::entities::decode_entities(stored);
    decoded.split('|').next().unwrap_or_default().trim() == FIELD_NAME
}

/// One `Pass Key` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Field {
    id: i64,
    owner: Owner,
    holding: Holding,
}

/// The `Pass Key` field of `owner` with the lowest id (two creates racing may have made two:
/// both then use the first), with its type; `None` when there is none.
fn find(host: &mut dyn Host, owner: Owner) -> Result<Option<(i64, String)>, PassKeyError> {
    let mut conditions = vec![("type", json!(owner.kind()))];
    if let Owner::Product(id) = owner {
        conditions.push(("relid", json!(id)));
    }
    let rows = host.db_rows("tblcustomfields", &conditions, None)?;
    Ok(rows
        .iter()
        .filter(|r| {
            r.get("fieldname")
                .and_then(Value::as_str)
                .is_some_and(is_field_name)
        })
        .filter_map(|r| {
            let kind = r.get("fieldtype").and_then(Value::as_str).unwrap_or("");
            Some((as_id(r.get("id")?)?, kind.to_string()))
        })
        .min_by_key(|(id, _)| *id))
}

/// The `Pass Key` field of `owner`, made when missing: admin-only and not on the order form; the
/// client field as a Text Box (what the product documentation describes), a product field as a
/// Password field (kept encrypted; an admin reads it on the service page).
fn ensure(host: &mut dyn Host, owner: Owner) -> Result<Field, PassKeyError> {
    let mut made = None;
    if find(host, owner)?.is_none() {
        let (relid, fieldtype) = match owner {
            Owner::Client => (0, "text"),
            Owner::Product(id) => (id, "password"),
        };
        made = Some(host.db_insert(
            "tblcustomfields",
            json!({
                "type": owner.kind(), "relid": relid, "fieldname": FIELD_NAME,
                "fieldtype": fieldtype,
                "description": "Backup Server pass key, filled in by sgwhmcs", "fieldoptions": "",
                "regexpr": "", "adminonly": "on", "required": "", "showorder": "",
                "showinvoice": "", "sortorder": 0,
            }),
        )?);
    }
    // Read back, not taken from the insert: a create racing this one may have made one too. The
    // first (lowest id) is the field; a later one made here is removed again, so however the
    // races interleave one field is left and every racer writes into it. Only the row inserted
    // here is ever deleted: a field an admin made stays.
    let (id, kind) = find(host, owner)?.ok_or(PassKeyError::NotCreated(owner))?;
    if let Some(mine) = made.filter(|&mine| mine != id) {
        host.db_delete("tblcustomfields", mine)?;
    }
    Ok(Field {
        id,
        owner,
        holding: holding(owner, &kind)?,
    })
}

/// The id of the client custom field `Pass Key`, made when missing and `create` is set.
pub fn field_id(host: &mut dyn Host, create: bool) -> Result<Option<i64>, PassKeyError> {
    if create {
        return ensure(host, Owner::Client).map(|f| Some(f.id));
    }
    Ok(find(host, Owner::Client)?.map(|(id, _)| id))
}

fn as_id(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str()?.trim().parse().ok())
}

/// The product of service `service_id` (`tblhosting.packageid`).
pub fn product_of(host: &mut dyn Host, service_id: &str) -> Result<i64, PassKeyError> {
    host.db_value("tblhosting", &[("id", json!(service_id))], "packageid")?
        .as_ref()
        .and_then(as_id)
        .ok_or_else(|| PassKeyError::NoService(service_id.to_string()))
}

/// Stores `passkey` where `home` says. Both fields are found (or made) and checked before
/// anything is written, so a field that cannot hold a key leaves both as they were. The
/// service's field is written through `UpdateClientProduct`, the client's through
/// `UpdateClient` with `skipvalidation` (without it WHMCS refuses the call on any site with a
/// required or regex-checked client field the client has not filled in); WHMCS encrypts the
/// value for a Password field. Errors say which field and why, never the key.
pub fn store(host: &mut dyn Host, home: Home<'_>, passkey: &str) -> Result<(), PassKeyError> {
    let not_stored = |owner: Owner, why: PassKeyError| PassKeyError::NotStored {
        owner,
        why: Box::new(why),
    };
    let (service, client) = match home {
        Home::Client(client) => (None, client),
        Home::Service { service, client } => (Some(service), client),
    };
    let service_field = match service {
        Some(service) => {
            let product =
                product_of(host, service).map_err(|e| not_stored(Owner::Product(0), e))?;
            let owner = Owner::Product(product);
            let field = ensure(host, owner).map_err(|e| not_stored(owner, e))?;
            Some((service, field))
        }
        None => None,
    };
    let client_field = ensure(host, Owner::Client).map_err(|e| not_stored(Owner::Client, e))?;
    if let Some((service, field)) = service_field {
        let answer = host.local_api(
            "UpdateClientProduct",
            json!({"serviceid": service, "customfields": serialized(field.id, passkey)}),
        );
        api_ok(&answer).map_err(|e| not_stored(field.owner, e.into()))?;
    }
    let answer = host.local_api(
        "UpdateClient",
        json!({
            "clientid": client,
            "customfields": serialized(client_field.id, passkey),
            "skipvalidation": true,
        }),
    );
    api_ok(&answer).map_err(|e| not_stored(Owner::Client, e.into()))
}

/// How many times [`store_current`] stores a key and reads the server's back. Two presses at once
/// need two rounds (a press whose read-back finds the other's newer key stores that one, and the
/// next read-back agrees unless a third reset came meanwhile); the third round is for a third.
pub const ROUNDS: usize = 3;

/// Why [`store_current`] could not leave the server's current key stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsettled {
    /// A field could not take the key: why (from [`store`], without the key).
    NotStored(PassKeyError),
    /// The key was stored, but the server's current key could not be read back: why.
    NotConfirmed(String),
    /// Every read-back found yet another key (resets kept coming) for [`ROUNDS`] rounds.
    StillChanging,
}

/// Stores `key` where `home` says, then reads the server's current key back (`current`) and, while
/// that differs from what was stored, stores it instead, for at most [`ROUNDS`] rounds; `Ok` once
/// a read-back agrees with the key just stored.
///
/// Why this leaves the server's key in WHMCS however two presses (Reset Pass Key, Store Pass Key
/// Again, each ending here) interleave: each press's last write to a field is followed by a
/// read-back that found that same key on the server. Take the last write to a field, by press P.
/// A reset after P's read-back would belong to the other press, which would then read back (and
/// store) after it, so later than P's write: a contradiction. So no reset follows P's read-back,
/// and the key P wrote last is the server's key from then on. A reset answer that arrives late
/// (after the other press stored the newer key) is stored, read back as stale, and replaced.
pub fn store_current(
    host: &mut dyn Host,
    home: Home<'_>,
    key: &str,
    current: &mut dyn FnMut(&mut dyn Host) -> Result<String, String>,
) -> Result<(), Unsettled> {
    let mut key = key.to_string();
    for _ in 0..ROUNDS {
        store(host, home, &key).map_err(Unsettled::NotStored)?;
        let now = current(host).map_err(Unsettled::NotConfirmed)?;
        if now == key {
            return Ok(());
        }
        key = now;
    }
    Err(Unsettled::StillChanging)
}

/// `base64_encode(serialize([$id => $value]))`, the `customfields` of WHMCS's API.
fn serialized(id: i64, value: &str) -> String {
    let fields = format!("a:1:{{i:{id};s:{}:\"{}\";}}", value.len(), value);
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, fields)
}

/// The pass key stored for client `client_id` in the client field, if any.
pub fn stored(host: &mut dyn Host, client_id: &str) -> Result<Option<String>, PassKeyError> {
    stored_in(host, Owner::Client, client_id)
}

/// The pass key stored in the `Pass Key` field of `owner` for `relid` (a client id for the client
/// field, a service id for a product field), if any; a password field's value is decrypted.
/// `Err` when the field cannot hold a pass key or its value cannot be read as one (the value is
/// never in the text).
pub fn stored_in(
    host: &mut dyn Host,
    owner: Owner,
    relid: &str,
) -> Result<Option<String>, PassKeyError> {
    let Some((id, kind)) = find(host, owner)? else {
        return Ok(None);
    };
    let holding = holding(owner, &kind)?;
    let value = host.db_value(
        "tblcustomfieldsvalues",
        &[("fieldid", json!(id)), ("relid", json!(relid))],
        "value",
    )?;
    let Some(raw) = value
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    let key = match holding {
        Holding::Plain => raw,
        Holding::Encrypted => host
            .decrypt(&raw)
            .map_err(|why| PassKeyError::Undecryptable { owner, why })?,
    };
    let key = key.trim();
    // A key is letters and digits; anything else (bytes that were not text, a replacement
    // character, a control) is not one, and must not be mailed as one.
    if !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(PassKeyError::NotAPassKey(owner));
    }
    Ok(Some(key.to_string()).filter(|k| !k.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whmcs::host::fake::FakeHost;

    fn host_with_field(kind: &str, value: &str) -> FakeHost {
        let mut host = FakeHost::default();
        host.rows.insert(
            "tblcustomfields".into(),
            vec![json!({"id": 7, "type": "client", "fieldname": FIELD_NAME, "fieldtype": kind})],
        );
        host.db
            .insert("tblcustomfieldsvalues.value".into(), json!(value));
        host
    }

    #[test]
    fn storing_skips_whmcs_validation_of_other_fields() {
        let mut host = host_with_field("password", "");
        store(&mut host, Home::Client("12"), "ABCD1234").unwrap();
        let (command, values) = &host.api_calls[0];
        assert_eq!(command, "UpdateClient");
        assert_eq!(values["skipvalidation"], json!(true));
        assert_eq!(values["clientid"], json!("12"));
        let fields = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            b"a:1:{i:7;s:8:\"ABCD1234\";}",
        );
        assert_eq!(values["customfields"], json!(fields));
    }

    #[test]
    fn a_password_field_is_decrypted_and_a_text_field_read_as_it_is() {
        let mut host = host_with_field("password", "enc:ABCD1234");
        assert_eq!(
            stored(&mut host, "12").unwrap().as_deref(),
            Some("ABCD1234")
        );
        let mut host = host_with_field("password", "garbage");
        assert!(stored(&mut host, "12")
            .unwrap_err()
            .to_string()
            .contains("could not be decrypted"));
        let mut host = host_with_field("text", "ABCD1234");
        assert_eq!(
            stored(&mut host, "12").unwrap().as_deref(),
            Some("ABCD1234")
        );
        let mut host = host_with_field("text", "");
        assert_eq!(stored(&mut host, "12").unwrap(), None);
    }

    #[test]
    fn a_value_that_is_not_a_key_is_refused_without_showing_it() {
        let mut host = host_with_field("text", "AB\u{FFFD}CD");
        let e = stored(&mut host, "12").unwrap_err().to_string();
        assert!(e.contains("is not a pass key"), "{e}");
        assert!(!e.contains("AB"), "{e}");
    }

    #[test]
    fn a_field_that_cannot_hold_a_key_is_refused_before_anything_is_written() {
        let mut host = host_with_field("tickbox", "");
        let e = store(&mut host, Home::Client("12"), "ABCD1234")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a tickbox field"), "{e}");
        assert!(host.api_calls.is_empty());
    }

    #[test]
    fn storing_the_current_key_stores_a_newer_one_read_back_and_gives_up_after_the_rounds() {
        let mut host = host_with_field("text", "");
        let home = Home::Client("12");
        // Read back as stale once: the newer key is stored, then confirmed.
        let mut reads = vec!["NEWER".to_string(), "NEWER".to_string()].into_iter();
        let mut current = |_: &mut dyn Host| Ok(reads.next().unwrap());
        assert_eq!(
            store_current(&mut host, home, "OLDER", &mut current),
            Ok(())
        );
        let fields: Vec<_> = host
            .api_calls
            .iter()
            .map(|(_, v)| v["customfields"].clone())
            .collect();
        assert_eq!(
            fields,
            [json!(serialized(7, "OLDER")), json!(serialized(7, "NEWER"))]
        );

        let mut host = host_with_field("text", "");
        let mut n = 0;
        let mut changing = |_: &mut dyn Host| {
            n += 1;
            Ok(format!("KEY{n}"))
        };
        let e = store_current(&mut host, home, "KEY0", &mut changing);
        assert_eq!(e, Err(Unsettled::StillChanging));
        assert_eq!(host.api_calls.len(), ROUNDS, "one store per round");

        let mut host = host_with_field("text", "");
        let mut failing = |_: &mut dyn Host| Err("the Backup Server did not answer".to_string());
        let e = store_current(&mut host, home, "KEY0", &mut failing);
        assert_eq!(
            e,
            Err(Unsettled::NotConfirmed(
                "the Backup Server did not answer".into()
            ))
        );

        let mut host = host_with_field("tickbox", "");
        let mut never = |_: &mut dyn Host| -> Result<String, String> { panic!("read back") };
        let e = store_current(&mut host, home, "KEY0", &mut never);
        assert!(matches!(e, Err(Unsettled::NotStored(why)) if why.to_string().contains("tickbox")));
    }

    #[test]
    fn field_types_that_hold_a_key() {
        assert_eq!(holding(Owner::Client, "text"), Ok(Holding::Plain));
        assert_eq!(holding(Owner::Client, "textarea"), Ok(Holding::Plain));
        assert_eq!(holding(Owner::Client, "Password"), Ok(Holding::Encrypted));
        for kind in ["dropdown", "tickbox", "link"] {
            let e = holding(Owner::Client, kind).unwrap_err().to_string();
            assert!(e.contains(&format!("is a {kind} field")), "{e}");
            assert!(e.contains("change its Field Type to Password"), "{e}");
        }
        let e = holding(Owner::Product(4), "dropdown")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"Pass Key\" of product #4 is a dropdown field"),
            "{e}"
        );
        assert!(e.contains("Custom Fields tab of product #4"), "{e}");
    }

    #[test]
    fn field_names_as_whmcs_stores_them() {
        for name in [
            "Pass Key",
            " Pass Key ",
            "Pass&#x20;Key",
            "Pass&#32;Key",
            "Pass Key|Backup key",
        ] {
            assert!(is_field_name(name), "{name}");
        }
        for name in [
            "pass key",
            "PassKey",
            "Pass Key 2",
            "Notes|Pass Key",
            "Pass&amp;#x20;Key",
        ] {
            assert!(!is_field_name(name), "{name}");
        }
    }
}
