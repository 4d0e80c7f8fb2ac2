//! The longest values and the numeric ranges the Backup Server API takes, in one place for both sides: the module checks
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

/// The largest storage allotment (2^63 − 1 bytes).
pub const MAX_STORAGE: u64 = i64::MAX as u64;
/// The largest fixed MCAL allotment (2^31 − 1).
pub const MAX_MCAL: u64 = i32::MAX as u64;
/// A throttle's restricted rate must be above this many bytes per second …
pub const MIN_RATE_EXCLUSIVE: u64 = 1024;
/// … and below this (9999 GiB).
pub const MAX_RATE_EXCLUSIVE: u64 = 9999 * (1 << 30);

/// Whether `c` may appear in an external reference (`whmcs:<install>:service:<id>`).
pub fn is_reference_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-')
}

/// The most accounts one page of `GET /customers` or `GET /resellers` holds; also the default
/// of `?limit=`.
pub const PAGE_MAX_ITEMS: usize = 1000;
/// The most accounts of one kind a list is read to: a million (the most a server is documented
/// to list) and one page more, for its built-in accounts. Counted in accounts, not pages, as a
/// page may end early at [`PAGE_MAX_BYTES`]; a list that goes on past it is not believed (a
/// lying server's cursor could advance forever).
pub const LIST_MAX_ACCOUNTS: usize = 1_000_000 + PAGE_MAX_ITEMS;
/// The longest body of one list page, in bytes: a page ends early rather than pass it. 768 KiB
/// holds a full page of 1000 typical accounts (about 600–700 bytes each with a WHMCS contact),
/// so 10,000 accounts take 10 requests, and still leaves a quarter of the client's 1 MiB answer
/// limit (`MAX_ANSWER_BYTES`) free even when every account carries maximum-length fields (an
/// account is then about 40 KB).
pub const PAGE_MAX_BYTES: usize = 768 * 1024;
