//! The account name rule of `docs/settings.md`: the service's username, else a name derived from
//! the client, and the contact details that go with the account.

use crate::server::api::Contact;
use crate::settings::rules::{self, is_name_char, Problem, MAX_NAME};
use crate::text::cut::cut;
use crate::whmcs::params::Params;

/// The label under which a bad service username is reported.
pub const USERNAME_LABEL: &str = "Username (service)";

/// The account name a service uses, and whether it was derived (so must be stored back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountName {
    /// The service's own username.
    Given(String),
    /// Derived from the client; `-<suffix>` (the service or client id) may be appended when the
    /// name is taken.
    Derived { base: String, suffix: String },
}

impl AccountName {
    /// Reads the name from `$params`: `Err` names what is wrong with a given username.
    pub fn from_params(params: &Params) -> Result<AccountName, Problem> {
        let username = params.text("username");
        if !username.is_empty() {
            return rules::account_name(&username).map(AccountName::Given);
        }
        Ok(AccountName::derived(
            &params.nested("clientsdetails"),
            &params.text("serviceid"),
            "service",
        ))
    }

    /// A name derived from `client`, with `-<suffix>` as the way out when it is taken; when
    /// nothing usable is left of the client's names, `<fallback>-<suffix>`.
    pub fn derived(client: &Params, suffix: &str, fallback: &str) -> AccountName {
        let mut base = derive(client);
        if base.is_empty() {
            base = format!("{fallback}-{suffix}");
        }
        AccountName::Derived {
            base: cut(&base, MAX_NAME, "").trim_end().to_string(),
            suffix: suffix.to_string(),
        }
    }

    /// The first name to try.
    pub fn first(&self) -> &str {
        match self {
            AccountName::Given(name) => name,
            AccountName::Derived { base, .. } => base,
        }
    }

    /// The name to try when the first is taken by someone else (derived names only).
    pub fn alternative(&self) -> Option<String> {
        match self {
            AccountName::Given(_) => None,
            AccountName::Derived { base, suffix } if !suffix.is_empty() => {
                let suffix = format!("-{suffix}");
                let keep = MAX_NAME.saturating_sub(suffix.len());
                Some(format!("{}{suffix}", cut(base, keep, "").trim_end()))
            }
            AccountName::Derived { .. } => None,
        }
    }
}

/// The company name, else first and last name, keeping only characters a name may hold. A
/// company with no letter or digit left (clients type `-` or `.` into a required company field)
/// counts as none; so does a person's name, which leaves '' (the caller's fallback).
pub fn derive(client: &Params) -> String {
    let person = format!("{} {}", client.text("firstname"), client.text("lastname"));
    [client.text("companyname"), person]
        .iter()
        .map(|source| name_chars(source))
        .find(|kept| kept.chars().any(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_default()
}

/// SOURCE with only the characters a name may hold, runs of spaces made one.
fn name_chars(source: &str) -> String {
    let kept: String = source.chars().filter(|c| is_name_char(*c)).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The contact details of the client, as the server stores them.
pub fn contact(client: &Params) -> Contact {
    let address = [client.text("address1"), client.text("address2")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let country = match client.text("countrycode") {
        c if c.is_empty() => client.text("country"),
        c => c,
    };
    Contact {
        email: client.text("email"),
        first_name: client.text("firstname"),
        last_name: client.text("lastname"),
        company: client.text("companyname"),
        phone: client.text("phonenumber"),
        address,
        city: client.text("city"),
        state: client.text("state"),
        postcode: client.text("postcode"),
        country,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(v: serde_json::Value) -> Params {
        Params::new(v)
    }

    #[test]
    fn given_username_is_checked() {
        let p = params(json!({"username": "acme-42"}));
        assert_eq!(
            AccountName::from_params(&p).unwrap(),
            AccountName::Given("acme-42".into())
        );
        let p = params(json!({"username": "acme/42"}));
        assert!(AccountName::from_params(&p).is_err());
    }

    #[test]
    fn derives_from_company_then_person() {
        let p = params(
            json!({"serviceid": "7", "clientsdetails": {"companyname": "Acme, Inc. (EU)", "firstname": "Jane"}}),
        );
        let name = AccountName::from_params(&p).unwrap();
        assert_eq!(name.first(), "Acme Inc. EU");
        assert_eq!(name.alternative().unwrap(), "Acme Inc. EU-7");
        let p = params(
            json!({"serviceid": "7", "clientsdetails": {"firstname": "Zoë", "lastname": "O'Neil"}}),
        );
        assert_eq!(AccountName::from_params(&p).unwrap().first(), "Zo ONeil");
        let p = params(json!({"serviceid": "9", "clientsdetails": {"firstname": "李"}}));
        assert_eq!(AccountName::from_params(&p).unwrap().first(), "service-9");
    }

    #[test]
    fn a_company_or_name_of_punctuation_only_counts_as_none() {
        let p = params(json!({"serviceid": "7", "clientsdetails": {
            "companyname": "-", "firstname": "Jane", "lastname": "Doe"}}));
        assert_eq!(AccountName::from_params(&p).unwrap().first(), "Jane Doe");
        let p = params(json!({"serviceid": "7", "clientsdetails": {
            "companyname": ". / .", "firstname": "李", "lastname": "-"}}));
        assert_eq!(AccountName::from_params(&p).unwrap().first(), "service-7");
    }

    #[test]
    fn long_names_are_cut_to_fit_with_suffix() {
        let long = "A".repeat(100);
        let p = params(json!({"serviceid": "12345", "clientsdetails": {"companyname": long}}));
        let name = AccountName::from_params(&p).unwrap();
        assert_eq!(name.first().len(), 64);
        let alt = name.alternative().unwrap();
        assert_eq!(alt.len(), 64);
        assert!(alt.ends_with("-12345"));
    }

    #[test]
    fn contact_joins_address_and_prefers_country_code() {
        let c = contact(&params(
            json!({"address1": "1 Main St", "address2": "Suite 2", "country": "United States", "countrycode": "US", "email": "j@x.test"}),
        ));
        assert_eq!(c.address, "1 Main St, Suite 2");
        assert_eq!(c.country, "US");
        assert_eq!(c.email, "j@x.test");
    }
}
