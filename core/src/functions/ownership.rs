//! The one read every function makes before it changes, deletes or shows an account: the
//! account of (kind, name), returned only when it is this service's
//! ([`ThisService::judge`], `core/src/whmcs/reference.rs`). A name alone never identifies an account:
//! names are reused after a delete, another WHMCS install shares the server, and a reseller and a
//! customer may share one. Nothing is sent after a refusal beyond the read that found it.

use serde_json::Value;

use crate::server::api::{Account, Kind};
use crate::server::client::{Client, ClientError};
use crate::whmcs::reference::{Ownership, ThisService};

/// What the read found under a name.
#[derive(Debug)]
pub enum Own {
    /// This service's account: as read, and its whole answer (for screens that show more).
    Ours(Box<Account>, Value),
    /// No account of that kind and name (the API's `NOT_FOUND`).
    Gone,
    /// An account that is not this service's, and whose it is.
    Theirs(Ownership),
}

/// Reads account `name` of `kind` and judges it against `this`.
pub fn read_own(
    c: &mut Client,
    kind: Kind,
    name: &str,
    this: &ThisService,
) -> Result<Own, ClientError> {
    let Some(whole) = c.read_whole(kind, name)? else {
        return Ok(Own::Gone);
    };
    let account: Account = serde_json::from_value(whole.clone()).map_err(|_| {
        ClientError::BadAnswer("it is not an account (a field has the wrong type)".into())
    })?;
    Ok(match this.judge(account.reference.as_deref()) {
        Ownership::Ours => Own::Ours(Box::new(account), whole),
        other => Own::Theirs(other),
    })
}
