//! WHMCS action hooks: the signup hooks of `whmcsHooks.php` ([`signup`]), contact sync on
//! `ClientEdit` ([`contact_sync`]) and the `{$backup_pass_key}` e-mail merge field ([`email`]).
//! The top room: it may call the module functions.

pub mod contact_sync;
pub mod email;
pub mod signup;
