//! The longest values the Backup Server API takes, in one place for both sides: the module checks
//! them before it sends anything (`rules.rs`), and sgsim validates requests with the same numbers
//! (it includes this file). Only plain constants and `char` tests live here, so that it compiles
//! on its own in either crate.

/// Longest account name, in characters.
pub const MAX_NAME: usize = 64;
/// Longest web console password of an account, in characters.
pub const MAX_PASSWORD: usize = 256;
/// Longest contact field (e-mail, names, company, phone, address, city, state, postcode,
/// country), in characters.
pub const MAX_CONTACT_FIELD: usize = 255;
/// Longest storage location, in characters.
pub const MAX_LOCATION: usize = 1024;
/// Most consolidated report addresses.
pub const MAX_REPORT_EMAILS: usize = 50;
/// Longest e-mail address (RFC 5321's path limit), in characters.
pub const MAX_EMAIL: usize = 254;
/// Longest external reference, in characters.
pub const MAX_REFERENCE: usize = 128;

/// Whether `c` may appear in an external reference (`whmcs:<install>:service:<id>`).
pub fn is_reference_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-')
}
