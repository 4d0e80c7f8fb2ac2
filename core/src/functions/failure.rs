//! Why a module function or a signup hook did not do its work: one variant per outcome, whose
//! text is made here and rendered once, at the edge (`module::call`, the hook's report). The
//! reasons inside (`why`) are the Backup Server client's explanations ([`crate::functions::provision::explain`])
//! or WHMCS's answers, already free of secrets.

use crate::settings::plan::SettingsError;
use crate::whmcs::params::NotUtf8Secret;
use crate::whmcs::password::NoRandomness;

/// A failed module function or hook. Messages never hold a secret.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The settings (module, server or hooks file) break a rule: nothing was sent.
    #[error("{0}")]
    Settings(#[from] SettingsError),
    /// No random password could be made for an account that needs one.
    #[error("No web console password could be generated: {0}; nothing was created")]
    NoPassword(#[from] NoRandomness),
    /// The generated password could not be stored on the service before the create.
    #[error("The service has no password and WHMCS could not store a generated one ({0}); nothing was created: set a password on the service and run Create again")]
    PasswordNotStored(String),
    /// The account could not be created (or adopted).
    #[error("Could not create {noun}: {why}")]
    Create {
        /// `reseller` or `customer`.
        noun: &'static str,
        /// What went wrong.
        why: String,
    },
    /// The account was made under a derived name that WHMCS could not store on the service.
    #[error("The {noun} \"{name}\" was created, but WHMCS could not store it as the service's username ({why}); set the username to \"{name}\" by hand so that suspend and terminate find it")]
    UsernameNotStored {
        /// `reseller` or `customer`.
        noun: &'static str,
        /// The account's name.
        name: String,
        /// WHMCS's answer.
        why: String,
    },
    /// The account was made but its pass key not stored: the whole message, already scrubbed
    /// (see [`crate::functions::provision::store_passkey`]).
    #[error("{0}")]
    PassKeyNotStored(String),
    /// Suspend, Unsuspend or Terminate failed.
    #[error("Could not {verb} {noun} \"{name}\": {why}")]
    SetActive {
        /// `activate` or `deactivate`.
        verb: &'static str,
        /// `reseller` or `customer`.
        noun: &'static str,
        /// The account's name.
        name: String,
        /// What went wrong.
        why: String,
    },
    /// Test Connection failed.
    #[error("Connection failed: {0}")]
    Connection(String),
    /// A `ClientAdd` hook without a client id.
    #[error("ClientAdd gave no client_id; nothing was created")]
    NoClientId,
    /// A `ClientAdd` hook whose password cannot be used as given.
    #[error("ClientAdd password {0}")]
    ClientPassword(NotUtf8Secret),
    /// An `AcceptOrder` hook without an order id.
    #[error("AcceptOrder gave no orderid; nothing was created")]
    NoOrderId,
    /// WHMCS's `GetOrders` failed.
    #[error("GetOrders for order {order} failed: {why}")]
    GetOrders {
        /// The order id.
        order: String,
        /// WHMCS's answer.
        why: String,
    },
    /// The order does not exist or names no client.
    #[error("order {0} was not found, or has no client")]
    NoOrderClient(String),
    /// WHMCS's `GetClientsDetails` failed.
    #[error("GetClientsDetails for client {client} failed: {why}")]
    GetClientsDetails {
        /// The client id.
        client: String,
        /// WHMCS's answer.
        why: String,
    },
    /// ChangePackage failed (`core/src/functions/change.rs`): the account was left as it was.
    #[error("Could not change the {noun} \"{name}\": {why}")]
    ChangePackage {
        /// `reseller` or `customer`.
        noun: &'static str,
        /// The account's name.
        name: String,
        /// What went wrong and what to change.
        why: String,
    },
    /// ChangePassword failed (`core/src/functions/change.rs`).
    #[error("Could not change the web console password of the {noun} \"{name}\": {why}. The account keeps its old password until this succeeds; a change made by an admin stays stored in WHMCS (run Change Password again), one made by the client is undone by WHMCS")]
    ChangePassword {
        /// `reseller` or `customer`.
        noun: &'static str,
        /// The account's name.
        name: String,
        /// What went wrong.
        why: String,
    },
    /// WHMCS's own data (its products, services or install id) could not be read or written:
    /// its answer, as is.
    #[error("{0}")]
    Whmcs(String),
    /// UsageUpdate could not read the server's lists or write the usage.
    #[error("Usage of server {server} was not updated: {why}")]
    UsageNotUpdated {
        /// The WHMCS server id.
        server: String,
        /// What went wrong.
        why: String,
    },
    /// ListAccounts could not list the server's accounts.
    #[error("Could not list the accounts: {0}")]
    AccountsNotListed(String),
    /// A usage billing call the module does not know (its name made printable).
    #[error("sgwhmcs has no usage billing call \"{0}\"")]
    NoMetricCall(String),
    /// The server's usage (`usage()`) was not read.
    #[error("the usage of {host} was not read: {why}")]
    ServerUsageNotRead {
        /// The server's host.
        host: String,
        /// What went wrong.
        why: String,
    },
    /// One tenant's usage (`tenantUsage()`) was not read.
    #[error("the usage of \"{tenant}\" was not read: {why}")]
    TenantUsageNotRead {
        /// The tenant, made printable.
        tenant: String,
        /// What went wrong.
        why: String,
    },
    /// The tenant's account belongs to another WHMCS install.
    #[error("the account \"{0}\" belongs to another WHMCS install; its usage is not billed here")]
    ForeignTenant(String),
    /// The server has no account of the tenant's name.
    #[error("the Backup Server has no account \"{0}\"")]
    NoTenant(String),
    /// LoadResellers: the product's connection settings are broken (nothing was sent).
    #[error("Could not list the resellers: {0}")]
    ResellersSettings(SettingsError),
    /// LoadResellers: the server could not be listed. Shown as HTML on the product's page.
    #[error("Could not list the resellers: {0}. Type the reseller's name instead, or fix the connection and press the refresh button")]
    ResellersNotListed(String),
    /// Delete on Backup Server pressed on a service that is not Terminated (its status shown:
    /// `"Active"` or `of unknown status`).
    #[error("Delete on Backup Server is only for a Terminated service, and this one is {0}: terminate it first (Terminate keeps the account, inactive); nothing was sent")]
    NotTerminated(String),
    /// A module function that is no admin button was run as one.
    #[error("{0} is not an admin button")]
    NotAButton(&'static str),
    /// A pass key button pressed on a reseller's service.
    #[error("{button} is for customers: the {account} has no pass key (only customers do); nothing was sent")]
    NoPassKey {
        /// The button's label.
        button: &'static str,
        /// The account, described (`reseller "name"`).
        account: String,
    },
    /// The pass key could not be reset or read.
    #[error("Could not {verb} the pass key of the {account}: {why}")]
    PassKeyNotRead {
        /// `reset` or `read`.
        verb: &'static str,
        /// The account, described.
        account: String,
        /// What went wrong.
        why: String,
    },
    /// Link Existing Account failed.
    #[error("Could not link the {account}: {why}")]
    NotLinked {
        /// The account, described.
        account: String,
        /// What went wrong.
        why: String,
    },
    /// Delete on Backup Server failed.
    #[error("Could not delete the {account}: {why}")]
    NotDeleted {
        /// The account, described.
        account: String,
        /// What went wrong.
        why: String,
    },
    /// `tenantUsage()`: the tenant's account is not billed as a service of this install.
    #[error("the usage of \"{tenant}\" is not billed here: {why}")]
    TenantNotBilled {
        /// The tenant, made printable.
        tenant: String,
        /// Whose the account is, or why it is not the service's.
        why: String,
    },
    /// An `AcceptOrder` hook whose `orderid` is no order id (shown made printable).
    #[error("AcceptOrder gave the orderid \"{0}\", which is not an order id; nothing was created")]
    BadOrderId(String),
    /// An `AcceptOrder` hook could not tell whether the order is provisioned by a module of this
    /// extension, so it made no account rather than risk a second one for the order.
    #[error("could not tell whether order #{order} holds a product of a Backup Server module ({why}); the hook made no account, so that the order does not get two: if the order has no such product, create the client's account by hand in the Backup Server's web console")]
    OrderNotChecked {
        /// The order id.
        order: String,
        /// What could not be read.
        why: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_renders_the_text_the_suites_expect() {
        let cases: [(Failure, &str); 4] = [
            (
                Failure::Create {
                    noun: "customer",
                    why: "the Backup Server refused it: no (X)".into(),
                },
                "Could not create customer: the Backup Server refused it: no (X)",
            ),
            (
                Failure::SetActive {
                    verb: "deactivate",
                    noun: "reseller",
                    name: "acme".into(),
                    why: "it does not exist on the Backup Server".into(),
                },
                "Could not deactivate reseller \"acme\": it does not exist on the Backup Server",
            ),
            (
                Failure::UsernameNotStored {
                    noun: "customer",
                    name: "Acme".into(),
                    why: "Database error".into(),
                },
                "The customer \"Acme\" was created, but WHMCS could not store it as the service's username (Database error); set the username to \"Acme\" by hand so that suspend and terminate find it",
            ),
            (
                Failure::GetOrders {
                    order: "12".into(),
                    why: "Order ID Not Found".into(),
                },
                "GetOrders for order 12 failed: Order ID Not Found",
            ),
        ];
        for (failure, text) in cases {
            assert_eq!(failure.to_string(), text);
        }
    }

    #[test]
    fn the_new_functions_failures_render_their_texts() {
        let cases = [
            (
                Failure::UsageNotUpdated {
                    server: "3".into(),
                    why: "it timed out".into(),
                },
                "Usage of server 3 was not updated: it timed out",
            ),
            (
                Failure::NoTenant("U-4".into()),
                "the Backup Server has no account \"U-4\"",
            ),
            (
                Failure::NotTerminated("of unknown status".into()),
                "Delete on Backup Server is only for a Terminated service, and this one is of unknown status: terminate it first (Terminate keeps the account, inactive); nothing was sent",
            ),
            (
                Failure::NotLinked {
                    account: "customer \"acme\"".into(),
                    why: "no".into(),
                },
                "Could not link the customer \"acme\": no",
            ),
        ];
        for (failure, text) in cases {
            assert_eq!(failure.to_string(), text);
        }
    }
}
