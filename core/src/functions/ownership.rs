//! The one read every function makes before it changes, deletes or shows an account: the
//! account of (kind, name), returned only when it is this service's
//! ([`ThisService::judge`], `core/src/server/api/reference.rs`). A name alone never identifies an account:
//! names are reused after a delete, another WHMCS install shares the server, and a reseller and a
//! customer may share one. Nothing is sent after a refusal beyond the read that found it.

use crate::server::api::reference::{Ownership, ThisService};
use crate::server::api::{Account, Kind};
use crate::server::client::{Client, ClientError};

/// What the read found under a name.
#[derive(Debug)]
pub enum Own {
    /// This service's account, as read.
    Ours(Box<Account>),
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
    let Some(account) = c.find(kind, name)? else {
        return Ok(Own::Gone);
    };
    Ok(match this.judge(account.reference.as_deref()) {
        Ownership::Ours => Own::Ours(Box::new(account)),
        other => Own::Theirs(other),
    })
}
