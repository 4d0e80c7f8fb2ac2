//! The product's module settings and what they make: the 24 options declared once
//! ([`options`]), the rule of each value ([`rules`]), the typed plans ([`plan`]), the account's
//! name ([`naming`]), a module call's whole plan ([`call_plan`]) and its secrets
//! ([`call_secrets`]). It uses `text`, `secrets`, `server` and `whmcs`.

pub mod call_plan;
pub mod call_secrets;
pub mod naming;
pub mod options;
pub mod plan;
pub mod rules;
pub mod terms;
pub mod whmcs_tables;
