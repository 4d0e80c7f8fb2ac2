//! The WHMCS module functions: the one list of them ([`list`]), the entry that runs each
//! ([`module::call`]), and one file per function or screen. Every one reads an account only
//! through [`ownership`]. It uses every room below it (`text`, `secrets`, `server`, `whmcs`,
//! `settings`).

pub mod admin_tab;
pub mod answer;
pub mod buttons;
pub mod change;
pub mod client_area;
pub mod failure;
pub mod list;
pub mod loader;
pub mod metrics;
pub mod module;
pub mod ownership;
pub mod provision;
pub mod sync;
pub mod usage;
