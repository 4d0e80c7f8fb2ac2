//! The Backup Server: what it says and how the module talks to it.
//!
//! - [`api`]: its wire types, the only place that knows what the server sends and takes (the
//!   account, its error codes, and in `api/reference.rs` the reference and the ownership rule).
//! - [`api_identity`], [`error_codes`], [`limits`], [`value_rules`]: facts shared with sgsim (it
//!   includes them by path).
//! - [`endpoint`]: where a server is and how to log in; [`tls`]: the agent and the pin.
//! - [`client`]: one method per endpoint, every failure a `ClientError`; [`listing`]: every
//!   account through the paged lists.
//!
//! It uses `text` and `secrets` only: nothing here knows WHMCS.

pub mod api;
pub mod api_identity;
pub mod client;
pub mod endpoint;
pub mod error_codes;
pub mod limits;
pub mod listing;
pub mod tls;
pub mod value_rules;
