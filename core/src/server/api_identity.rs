//! How a Backup Server API says that it is one: the member and value of `GET /server` that the
//! module requires before it calls anything else a Backup Server (Test Connection) and that sgsim
//! answers (it includes this file). A web server on the wrong port, a stock console or a proxy's
//! page does not carry it, so its answers are never taken for the API's. Plain constants only, so
//! that it compiles on its own in either crate.

/// The member of `GET /server`'s answer that names the API.
pub const API_MEMBER: &str = "api";

/// What [`API_MEMBER`] holds: this contract (`docs/backup-server-api.md`), major version 1. A
/// server of an incompatible later contract answers another version.
pub const API_IDENTITY: &str = "backup-server/1";

/// The prefix every version of this contract's identity starts with.
pub const API_FAMILY: &str = "backup-server/";
