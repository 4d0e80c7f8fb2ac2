//! The one list of WHMCS module functions the extension implements, with the shape each returns.
//!
//! The generator writes exactly these into `modules/servers/<name>/<name>.php`, and the extension
//! dispatches exactly these, so a module file can never name a function the extension lacks.
//! (A function's existence switches WHMCS features on, so only implemented ones are listed.)

use serde_json::{json, Value};

/// What a module function returns to WHMCS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The `MetaData()` array.
    Meta,
    /// The `ConfigOptions()` array.
    Options,
    /// `"success"` or an error message.
    Status,
    /// `['success' => bool, 'error' => string]`.
    Result,
    /// An object WHMCS calls into (`MetricProvider`): written in PHP by the generator, whose
    /// class forwards to `SgWhmcs\metric_call()`.
    Provider,
    /// `[label => html]` (`AdminServicesTabFields`).
    Fields,
    /// `[button label => function suffix]` (`AdminCustomButtonArray`); takes no `$params`.
    Buttons,
    /// An HTML fragment (`AdminLink`).
    Html,
    /// A Loader's `[value => label]`; on failure the message, which the module file throws.
    Loader,
    /// A client-area page: `['templatefile' => 'clientarea', 'vars' => [...]]`.
    Page,
    /// A client-area custom function (`RevealPassKey`): `"success"` or the reason, like
    /// [`Shape::Status`]; on `"success"` the generated module file marks the request so that the
    /// same request's `ClientArea` shows what was asked for.
    Reveal,
    /// A list of names (`ClientAreaAllowedFunctions()`), called without `$params`.
    Names,
}

impl Shape {
    /// The name the generated module file uses for this shape.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Meta => "meta",
            Shape::Options => "options",
            Shape::Status => "status",
            Shape::Result => "result",
            Shape::Provider => "provider",
            Shape::Fields => "fields",
            Shape::Buttons => "buttons",
            Shape::Html => "html",
            Shape::Loader => "loader",
            Shape::Page => "page",
            Shape::Reveal => "reveal",
            Shape::Names => "names",
        }
    }

    /// This shape carrying a failure message (for panics and unknown functions).
    pub fn failure(self, message: &str) -> Value {
        match self {
            Shape::Meta => json!({
                "DisplayName": format!("Backup Server ({message})"),
                "APIVersion": "1.1",
                "RequiresServer": true,
            }),
            Shape::Options => json!({
                "sgwhmcs": {"FriendlyName": "sgwhmcs", "Type": "text", "Description": message},
            }),
            Shape::Status | Shape::Reveal => Value::String(message.to_string()),
            Shape::Result => json!({"success": false, "error": message}),
            Shape::Provider => Value::Null,
            Shape::Fields => {
                json!({ crate::functions::admin_tab::TAB_LABEL: crate::text::format::escape(message) })
            }
            Shape::Buttons => json!({}),
            Shape::Html => Value::String(crate::text::format::escape(message)),
            Shape::Loader => Value::String(message.to_string()),
            // A client reads this page: the template shows one line and never prints `reason`.
            Shape::Page => crate::functions::client_area::failure(message),
            Shape::Names => json!([]),
        }
    }
}

/// Declares [`Function`] from one ordered list, so that a function's name, its shape and its
/// place in the generated module file are written once.
macro_rules! functions {
    ($($function:ident => $shape:ident,)*) => {
        /// A module function the extension implements.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Function {
            $(
                #[doc = concat!("`", stringify!($function), "()`.")]
                $function,
            )*
        }

        impl Function {
            /// Every function, in the order the generated file lists them.
            pub const ALL: &'static [Function] = &[$(Function::$function),*];

            /// The function's WHMCS name (`<module>_<name>`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Function::$function => stringify!($function),)*
                }
            }

            /// What the function returns to WHMCS.
            pub fn shape(self) -> Shape {
                match self {
                    $(Function::$function => Shape::$shape,)*
                }
            }
        }
    };
}

// Adding a function: one line here, and its arm in `module::call`.
functions! {
    MetaData => Meta,
    ConfigOptions => Options,
    CreateAccount => Status,
    SuspendAccount => Status,
    UnsuspendAccount => Status,
    TerminateAccount => Status,
    TestConnection => Result,
    ChangePackage => Status,
    ChangePassword => Status,
    UsageUpdate => Status,
    ListAccounts => Result,
    MetricProvider => Provider,
    AdminServicesTabFields => Fields,
    AdminCustomButtonArray => Buttons,
    ResetPassKey => Status,
    StorePassKey => Status,
    LinkAccount => Status,
    DeleteOnServer => Status,
    AdminLink => Html,
    LoadResellers => Loader,
    ClientArea => Page,
    ClientAreaAllowedFunctions => Names,
    RevealPassKey => Reveal,
}

impl Function {
    /// The listed function named exactly `name`, or `None`.
    pub fn parse(name: &str) -> Option<Function> {
        Function::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// The longest part of an unknown function's name a message quotes.
const MAX_QUOTED: usize = 64;

/// The answer to a function that is not listed, quoting at most the start of its name.
pub fn unknown_function(function: &str) -> String {
    let quoted = crate::text::cut::cut(function, MAX_QUOTED, "…");
    format!("sgwhmcs has no module function {quoted}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_are_quoted_short() {
        assert_eq!(
            unknown_function("Foo"),
            "sgwhmcs has no module function Foo"
        );
        let long = "ä".repeat(1_000_000);
        let message = unknown_function(&long);
        assert_eq!(
            message.chars().count(),
            "sgwhmcs has no module function ".len() + 65
        );
        assert!(message.ends_with('…'));
        assert_eq!(Function::parse(&long), None);
    }

    #[test]
    fn names_parse_back_to_their_function_in_file_order() {
        let names: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "MetaData",
                "ConfigOptions",
                "CreateAccount",
                "SuspendAccount",
                "UnsuspendAccount",
                "TerminateAccount",
                "TestConnection",
                "ChangePackage",
                "ChangePassword",
                "UsageUpdate",
                "ListAccounts",
                "MetricProvider",
                "AdminServicesTabFields",
                "AdminCustomButtonArray",
                "ResetPassKey",
                "StorePassKey",
                "LinkAccount",
                "DeleteOnServer",
                "AdminLink",
                "LoadResellers",
                "ClientArea",
                "ClientAreaAllowedFunctions",
                "RevealPassKey"
            ]
        );
        for f in Function::ALL {
            assert_eq!(Function::parse(f.name()), Some(*f));
        }
        assert_eq!(Function::CreateAccount.shape(), Shape::Status);
        assert_eq!(Function::TestConnection.shape(), Shape::Result);
        assert_eq!(Function::parse("createaccount"), None);
    }
}
