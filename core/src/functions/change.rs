//! `ChangePackage` and `ChangePassword`: an existing account follows its service.
//!
//! WHMCS stores an upgrade, a downgrade, a configurable option change or a new password on the
//! service first and only then calls the module; it never rolls back (`docs/whmcs.md`). So the
//! account is read, only what differs from the product's plan is sent, in one PATCH (none when
//! nothing differs, so running it twice is harmless), and a refusal leaves the account exactly as
//! it was (the Backup Server applies a PATCH whole or not at all) with a message saying what to
//! change. [`diff`] is the pure part: a plan against an account, into a PATCH body.

use serde_json::{json, Map, Value};

use crate::functions::failure::Failure;
use crate::functions::list::Function;
use crate::functions::ownership::{read_own, Own};
use crate::functions::provision::{explain, with_client};
use crate::server::api::reference::ThisService;
use crate::server::api::{Account, Code, ErrorCode, Kind, Lenient};
use crate::server::client::{Client, ClientError, NetSettings};
use crate::server::limits::MAX_PASSWORD;
use crate::settings::call_plan::{Change, NewPassword};
use crate::settings::call_secrets::stored_pass_keys;
use crate::settings::options::{field, label};
use crate::settings::plan::Policy;
use crate::text::quote::shown;
use crate::whmcs::host::Host;

/// What WHMCS shows and keeps after a failed change, said at the end of a refusal.
pub const WHMCS_KEEPS: &str = "The account on the Backup Server was left as it was; WHMCS already shows the new package (it does not roll back), so set the service back to its previous product or options, or run Change Package again once that is done";

/// The members of a PATCH that bring `account` to `policy`: storage, MCAL, throttling, the
/// consolidated report, auto authorization and (customers) the reseller. Empty when nothing
/// differs. A member the answer does not show in a readable form counts as differing, so it is
/// sent (sending a value the account already has changes nothing).
pub fn diff(policy: &Policy, account: &Account) -> Map<String, Value> {
    let mut body = Map::new();
    // A member the answer does not show in a readable form (absent, or not of its type) is
    // `None` here, so it counts as differing.
    let storage = account.storage();
    let mut wanted_storage = Map::new();
    if storage.and_then(|s| s.allotted_bytes) != Some(policy.storage.allotted_bytes) {
        wanted_storage.insert(
            "allotted_bytes".into(),
            json!(policy.storage.allotted_bytes),
        );
    }
    // No location in the product: the server's choice stands.
    if let Some(location) = &policy.storage.location {
        let have = storage
            .and_then(|s| s.location.as_ref())
            .and_then(Lenient::read);
        if have != Some(location) {
            wanted_storage.insert("location".into(), json!(location));
        }
    }
    if !wanted_storage.is_empty() {
        body.insert("storage".into(), Value::Object(wanted_storage));
    }

    let mcal = account.mcal();
    let auto = mcal.and_then(|m| m.auto);
    let same_mcal = if policy.mcal.auto {
        auto == Some(true)
    } else {
        auto == Some(false) && mcal.and_then(|m| m.allotted) == policy.mcal.allotted.map(u64::from)
    };
    if !same_mcal {
        body.insert("mcal".into(), json!(policy.mcal));
    }

    let same_throttle = match (&policy.throttle, &account.throttle) {
        (None, None) => true,
        (Some(wanted), Some(Lenient::Read(have))) => wanted == have,
        _ => false,
    };
    if !same_throttle {
        body.insert("throttle".into(), json!(policy.throttle));
    }

    if let Some(report) = &policy.report {
        let have = account.consolidated_report.as_ref().and_then(Lenient::read);
        if have != Some(report) {
            body.insert("consolidated_report".into(), json!(report));
        }
    }

    let have_auth = account.auto_authorization.as_ref().and_then(Lenient::read);
    if have_auth != Some(&policy.auto_authorization) {
        body.insert(
            "auto_authorization".into(),
            json!(policy.auto_authorization),
        );
    }

    if let Some(reseller) = &policy.reseller {
        let same = account
            .reseller
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(reseller));
        if !same {
            body.insert("reseller".into(), json!(reseller));
        }
    }
    body
}

/// `<name>_ChangePackage`: the account takes the (new) product's settings and configurable options.
pub fn change_package(plan: Change, host: &mut dyn Host, net: &NetSettings) -> Result<(), Failure> {
    let Change {
        endpoint,
        policy,
        username,
        ids,
        secrets: call_secrets,
    } = plan;
    let kind = policy.kind;
    let failed = |why| Failure::ChangePackage {
        noun: kind.noun(),
        name: username.clone(),
        why,
    };
    let this =
        ThisService::of(host, &ids.service, &ids.client).map_err(|e| failed(e.to_string()))?;
    let mut secrets = call_secrets.known;
    secrets.extend(stored_pass_keys(&call_secrets.custom_fields, host));
    let action = Function::ChangePackage.name();
    let outcome = with_client(host, action, &endpoint, net, &secrets, |c| {
        let account = existing(c, kind, &username, &this)?;
        let body = diff(&policy, &account);
        if body.is_empty() {
            return Ok("success".into());
        }
        // Lengths are checked as for a create (the account's own fields are not sent).
        crate::settings::rules::request_lengths(&crate::functions::provision::policy_account(
            &policy, &username,
        ))?;
        match c.patch(kind, &username, Value::Object(body)) {
            Ok(after) => settled(&policy, &after),
            Err(e) if e.is_ambiguous() => match read_own(c, kind, &username, &this) {
                Ok(Own::Ours(after)) if diff(&policy, &after).is_empty() => Ok("success".into()),
                Ok(Own::Theirs(whose)) => Err(format!("{}; read back, {}", explain(&e), whose.refusal())),
                Ok(_) => Err(format!("{}; read back, the account does not show the new package yet: running Change Package again is safe", explain(&e))),
                Err(read) => Err(format!(
                    "{}; reading it back failed too ({}), so whether the change was made is unknown: running Change Package again is safe",
                    explain(&e),
                    explain(&read)
                )),
            },
            Err(e) => Err(refusal(&e, &account)),
        }
    });
    outcome.map(|_: String| ()).map_err(failed)
}

/// This service's account of `kind` named `name`, or why not. Kinds are part of identity: the
/// other kind's account of that name is looked at only to explain, and only when it carries this
/// service's reference does it mean the product was switched between reseller and customer
/// (refused: a change of package cannot turn one into the other). An account of either kind that
/// is another service's, another install's or nobody's is never changed.
fn existing(c: &mut Client, kind: Kind, name: &str, this: &ThisService) -> Result<Account, String> {
    let other = match kind {
        Kind::Reseller => Kind::Customer,
        Kind::Customer => Kind::Reseller,
    };
    let whose = match read_own(c, kind, name, this).map_err(|e| explain(&e))? {
        Own::Ours(account) => return Ok(*account),
        Own::Theirs(whose) => Some(whose),
        Own::Gone => None,
    };
    let switched = matches!(read_own(c, other, name, this), Ok(Own::Ours(..)));
    Err(match (whose, switched) {
        (None, true) => kind_switch(kind, other, name),
        (Some(whose), true) => format!(
            "{} The {} \"{}\" of the same name was not changed: {}",
            kind_switch(kind, other, name),
            kind.noun(),
            shown(name),
            whose.refusal()
        ),
        (Some(whose), false) => format!("the {} \"{}\" on the Backup Server: {}", kind.noun(), shown(name), whose.refusal()),
        (None, false) => format!(
            "it does not exist on the Backup Server (no {} of that name); run Create, or set the service's username to the account's name",
            kind.noun()
        ),
    })
}

/// Why a product switched between reseller and customer is refused.
fn kind_switch(wanted: Kind, found: Kind, name: &str) -> String {
    let action = match wanted {
        Kind::Reseller => "Signup Reseller",
        Kind::Customer => "Signup Customer",
    };
    format!(
        "\"{name}\" is a {} on the Backup Server, but the product now makes {}s ({} \"{action}\"); a change of package cannot turn a {} into a {}, so nothing was sent. {WHMCS_KEEPS}; for a {} make a new service",
        found.noun(),
        wanted.noun(),
        label(field::ACTION),
        found.noun(),
        wanted.noun(),
        wanted.noun()
    )
}

/// Success when the answer to the PATCH shows the plan; a server that answers otherwise did not
/// do what it was asked, and saying "success" would leave WHMCS and the account apart.
fn settled(policy: &Policy, after: &Account) -> Result<String, String> {
    let left = diff(policy, after);
    if left.is_empty() {
        return Ok("success".into());
    }
    let names: Vec<&str> = left.keys().map(String::as_str).collect();
    Err(format!(
        "the Backup Server answered the change with an account whose {} still differ from the package; running Change Package again is safe",
        names.join(", ")
    ))
}

/// GiB, rounded up: what the `Storage GB` option must at least be to hold `bytes`.
fn gib_up(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 30)
}

/// A refusal of the PATCH in words that say what to change.
fn refusal(e: &ClientError, account: &Account) -> String {
    let noun = account.kind.map_or("account", Kind::noun);
    let server = match e {
        ClientError::Api { message, .. } => message.as_str(),
        _ => "",
    };
    let advice = match e.code() {
        Some(ErrorCode::Known(Code::StorageBelowUsed)) => {
            let used = account.used_bytes().unwrap_or(0);
            format!(
                "the {noun} already uses {} GB ({used} bytes); choose at least {} GB of storage, or free space on the Backup Server first",
                gib_up(used),
                gib_up(used)
            )
        }
        Some(ErrorCode::Known(Code::McalBelowUsed)) => {
            let used = account.mcal_used().unwrap_or(0);
            format!("the {noun} already uses {used} MCALs; choose at least {used} MCALs, or remove machines from it first")
        }
        Some(ErrorCode::Known(Code::InsufficientStorage)) if account.kind == Some(Kind::Reseller) => format!(
            "its customers hold more storage than that ({server}); choose more storage, or lower its customers' allotments first"
        ),
        Some(ErrorCode::Known(Code::InsufficientStorage)) => format!(
            "its reseller has too little storage left ({server}); choose less storage, or raise the reseller's allotment first"
        ),
        Some(ErrorCode::Known(Code::InsufficientMcal)) if account.kind == Some(Kind::Reseller) => format!(
            "its fixed-MCAL customers hold more MCALs than that ({server}); choose more MCALs, or lower its customers' first"
        ),
        Some(ErrorCode::Known(Code::InsufficientMcal)) => format!(
            "its reseller has too few MCALs left ({server}); choose fewer MCALs, or raise the reseller's first"
        ),
        Some(ErrorCode::Known(Code::NotFound)) => {
            return "it does not exist on the Backup Server any more; run Create, or set the service's username to the account's name".into()
        }
        _ => return explain(e),
    };
    format!("{advice}. {WHMCS_KEEPS}.")
}

/// Why a new web console password cannot be sent, never quoting it; `None` when it can.
pub fn password_problem(password: &str) -> Option<String> {
    if password.is_empty() {
        return Some("is empty; enter the new web console password".into());
    }
    if password.chars().any(char::is_control) {
        return Some("contains a control character (a line break or tab, for example), which a web console password cannot hold; nothing was sent".into());
    }
    let count = password.chars().count();
    if count > MAX_PASSWORD {
        return Some(format!(
            "is {count} characters long where the Backup Server takes at most {MAX_PASSWORD}; nothing was sent"
        ));
    }
    None
}

/// The label a bad new password is reported under.
pub const PASSWORD_LABEL: &str = "Password (service)";

/// `<name>_ChangePassword`: the service's (new) password becomes the account's web console
/// password, checked first and never shown.
pub fn change_password(
    plan: NewPassword,
    host: &mut dyn Host,
    net: &NetSettings,
) -> Result<(), Failure> {
    let NewPassword {
        endpoint,
        kind,
        username,
        password,
        ids,
        secrets: call_secrets,
    } = plan;
    let failed = |why| Failure::ChangePassword {
        noun: kind.noun(),
        name: username.clone(),
        why,
    };
    let this =
        ThisService::of(host, &ids.service, &ids.client).map_err(|e| failed(e.to_string()))?;
    let mut secrets = call_secrets.known;
    secrets.add(password.expose());
    secrets.extend(stored_pass_keys(&call_secrets.custom_fields, host));
    let action = Function::ChangePassword.name();
    let outcome = with_client(host, action, &endpoint, net, &secrets, |c| {
        // Identity first: another service's account of this name never gets this password.
        match read_own(c, kind, &username, &this).map_err(|e| explain(&e))? {
            Own::Ours(..) => {}
            Own::Gone => {
                return Err(format!(
                    "it does not exist on the Backup Server (no {} of that name)",
                    kind.noun()
                ))
            }
            Own::Theirs(whose) => return Err(whose.refusal()),
        }
        match c.patch(kind, &username, json!({"password": password.expose()})) {
            Ok(_) => Ok(()),
            Err(ClientError::Api {
                code: ErrorCode::Known(Code::NotFound),
                ..
            }) => Err(format!(
                "it does not exist on the Backup Server (no {} of that name)",
                kind.noun()
            )),
            Err(e) if e.is_ambiguous() => Err(format!(
                "{}; whether the password was changed is unknown (it cannot be read back): run Change Password again",
                explain(&e)
            )),
            Err(e) => Err(explain(&e)),
        }
    });
    outcome.map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::api::{Mcal, Report, Storage, StorageUse, Throttle, ThrottleMode};

    fn policy() -> Policy {
        Policy {
            kind: Kind::Customer,
            reseller: Some("Acme Resellers".into()),
            active: true,
            auto_authorization: true,
            storage: Storage {
                allotted_bytes: 100 << 30,
                location: Some("vault-a".into()),
            },
            report: Some(Report {
                enabled: true,
                emails: vec!["r@acme.test".into()],
            }),
            mcal: Mcal {
                auto: false,
                allotted: Some(24),
            },
            throttle: Some(Throttle {
                enabled: true,
                mode: ThrottleMode::Window,
                from: Some("2200".into()),
                till: Some("0600".into()),
                rate_bytes: Some(1_048_576),
            }),
            send_mail: true,
            retrieve_passkey: false,
        }
    }

    /// The account as sgsim answers after a create with [`policy`].
    fn account() -> Account {
        serde_json::from_value(json!({
            "name": "acme-42", "kind": "customer", "reseller": "acme resellers", "active": true,
            "auto_authorization": true,
            "storage": {"allotted_bytes": 107374182400u64, "used_bytes": 5, "location": "vault-a"},
            "consolidated_report": {"enabled": true, "emails": ["r@acme.test"]},
            "mcal": {"auto": false, "allotted": 24, "used": 3},
            "throttle": {"enabled": true, "mode": "window", "from": "2200", "till": "0600", "rate_bytes": 1048576},
            "contact": {"email": "j@acme.test"}, "clients": 0
        }))
        .unwrap()
    }

    #[test]
    fn nothing_differs_nothing_is_sent() {
        assert!(diff(&policy(), &account()).is_empty());
    }

    #[test]
    fn only_what_differs_is_sent() {
        let mut p = policy();
        p.storage.allotted_bytes = 500 << 30;
        p.mcal.allotted = Some(30);
        let body = diff(&p, &account());
        assert_eq!(
            Value::Object(body),
            json!({"storage": {"allotted_bytes": 536870912000u64}, "mcal": {"auto": false, "allotted": 30}})
        );
    }

    #[test]
    fn throttle_report_authorization_and_reseller() {
        let mut p = policy();
        p.throttle = None;
        p.report = Some(Report {
            enabled: false,
            emails: vec![],
        });
        p.auto_authorization = false;
        p.reseller = Some("Other".into());
        p.mcal = Mcal {
            auto: true,
            allotted: None,
        };
        let body = Value::Object(diff(&p, &account()));
        assert_eq!(
            body,
            json!({"throttle": null, "consolidated_report": {"enabled": false, "emails": []},
                   "auto_authorization": false, "reseller": "Other", "mcal": {"auto": true}})
        );
    }

    #[test]
    fn a_reseller_plan_sends_no_customer_members() {
        let mut p = policy();
        p.kind = Kind::Reseller;
        p.reseller = None;
        p.report = None;
        let mut a = account();
        a.reseller = None;
        a.consolidated_report = None;
        assert!(diff(&p, &a).is_empty());
    }

    #[test]
    fn a_location_left_empty_keeps_the_servers() {
        let mut p = policy();
        p.storage.location = None;
        assert!(diff(&p, &account()).is_empty());
        p.storage.location = Some("vault-b".into());
        assert_eq!(
            Value::Object(diff(&p, &account())),
            json!({"storage": {"location": "vault-b"}})
        );
    }

    #[test]
    fn an_answer_that_lies_or_is_unreadable_counts_as_differing() {
        let mut a = account();
        a.storage = Some(Lenient::Odd(json!("lots")));
        a.mcal = Some(Lenient::Odd(json!({"auto": "no"})));
        a.throttle = Some(Lenient::Odd(json!({"enabled": "yes"})));
        a.consolidated_report = Some(Lenient::Odd(json!([1, 2])));
        a.auto_authorization = Some(Lenient::Odd(json!(1)));
        a.reseller = None;
        let body = diff(&policy(), &a);
        let keys: Vec<&str> = body.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "storage",
                "mcal",
                "throttle",
                "consolidated_report",
                "auto_authorization",
                "reseller"
            ]
        );
        // The same read from the wire: an odd member does not make the answer no account.
        let wire: Account = serde_json::from_value(json!({
            "name": "acme-42", "kind": "customer", "storage": "lots", "mcal": {"auto": "no"},
            "throttle": {"enabled": "yes"}, "consolidated_report": [1, 2], "auto_authorization": 1
        }))
        .unwrap();
        assert_eq!(wire.odd(), Some("storage"));
        assert_eq!(diff(&policy(), &wire).len(), 6);
        // A global throttle the answer leaves out (or sends as null) is the global throttle.
        let mut p = policy();
        p.throttle = None;
        let mut a = account();
        a.throttle = None;
        assert!(!diff(&p, &a).contains_key("throttle"));
        let null: Account = serde_json::from_value(json!({"name": "a", "throttle": null})).unwrap();
        assert!(!diff(&p, &null).contains_key("throttle"));
    }

    #[test]
    fn refusals_say_what_to_choose() {
        let e = ClientError::Api {
            status: 422,
            code: ErrorCode::Known(Code::StorageBelowUsed),
            message: "customer \"acme-42\" already uses 85899345920 bytes; 53687091200 asked"
                .into(),
            field: Some("storage.allotted_bytes".into()),
        };
        let mut a = account();
        a.storage = Some(Lenient::Read(StorageUse {
            allotted_bytes: Some(1),
            used_bytes: Some(85_899_345_920),
            location: None,
        }));
        let text = refusal(&e, &a);
        assert!(
            text.starts_with(
                "the customer already uses 80 GB (85899345920 bytes); choose at least 80 GB"
            ),
            "{text}"
        );
        assert!(text.contains("left as it was"), "{text}");
        a.storage = Some(Lenient::Read(StorageUse {
            used_bytes: Some(1),
            ..StorageUse::default()
        }));
        assert!(refusal(&e, &a).contains("choose at least 1 GB"));
        let e = ClientError::Api {
            status: 422,
            code: ErrorCode::Known(Code::McalBelowUsed),
            message: String::new(),
            field: None,
        };
        assert!(refusal(&e, &account()).contains("already uses 3 MCALs; choose at least 3 MCALs"));
    }

    #[test]
    fn passwords_are_checked_without_being_quoted() {
        assert_eq!(password_problem("N3w-Pa55"), None);
        assert_eq!(password_problem(" spaced out "), None);
        for bad in [
            "",
            "a\nb",
            "tab\there",
            "nul\0x",
            &"x".repeat(MAX_PASSWORD + 1),
        ] {
            let why = password_problem(bad).unwrap();
            assert!(bad.is_empty() || !why.contains(bad), "{why}");
        }
        assert_eq!(password_problem(&"é".repeat(MAX_PASSWORD)), None);
    }
}
