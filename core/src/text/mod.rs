//! Text for people and bytes for machines, knowing neither WHMCS nor the Backup Server: HTML
//! escaping and entity decoding, how a value is quoted in a message and cut short, byte sizes,
//! the percentage used, and dates (the `time` crate's calendar). Every other room may use it; it
//! uses none.

pub mod cut;
pub mod dates;
pub mod entities;
pub mod format;
pub mod quote;
