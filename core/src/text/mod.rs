//! Text for people and bytes for machines, knowing neither WHMCS nor the Backup Server: HTML
//! escaping and entity decoding, how a value is quoted in a message, byte sizes and dates, base64.
//! Every other room may use it; it uses none.

pub mod base64;
pub mod cut;
pub mod entities;
pub mod format;
pub mod quote;
