//! WHMCS as the core sees it: `$params` ([`params`]), the host port through which the core asks
//! WHMCS for anything ([`host`]), its error log, where it keeps a pass key ([`passkey`]), the
//! install's id and the external reference that ties an account to a service ([`reference`](mod@reference)),
//! and generated passwords. It uses `text`, `secrets` and `server`.

pub mod error_log;
pub mod host;
pub mod params;
pub mod passkey;
pub mod password;
pub mod reference;
