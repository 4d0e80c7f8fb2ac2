//! Read access to WHMCS's `$params` (or a hook's `$vars`) as plain JSON values.
//!
//! WHMCS passes strings almost everywhere, but booleans, integers and nested arrays occur
//! (`server`, `serversecure`, `clientsdetails`, `configoptions`). These helpers read any of them as
//! the trimmed text an admin would have typed, so the rules below need not care.

use serde_json::{Map, Value};

/// The arguments of one WHMCS call, converted once at the edge.
#[derive(Clone, Debug, Default)]
pub struct Params(Map<String, Value>);

impl Params {
    /// Wraps a JSON object; anything else becomes an empty set of parameters.
    pub fn new(value: Value) -> Self {
        match value {
            Value::Object(map) => Params(map),
            _ => Params(Map::new()),
        }
    }

    /// The trimmed text of `key`; empty when absent, null or not a scalar.
    pub fn text(&self, key: &str) -> String {
        scalar_text(self.0.get(key))
    }

    /// The value of `configoptionN` (1-based), trimmed.
    pub fn setting(&self, n: usize) -> String {
        self.text(&format!("configoption{n}"))
    }

    /// Whether a yes/no value is ticked: `on`, `yes`, `1`, `true` (any case), or a PHP `true`.
    pub fn flag(&self, key: &str) -> bool {
        is_yes(self.0.get(key))
    }

    /// A nested array (`clientsdetails`, `configoptions`), empty when absent.
    pub fn nested(&self, key: &str) -> Params {
        match self.0.get(key) {
            Some(Value::Object(map)) => Params(map.clone()),
            _ => Params::default(),
        }
    }

    /// The members, in the order WHMCS passed them.
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter()
    }

    /// Whether `key` holds anything other than nothing.
    pub fn has(&self, key: &str) -> bool {
        !self.text(key).is_empty()
    }
}

/// The trimmed text of a scalar JSON value (a number as its digits, `true` as `1`); empty for
/// nothing, `false`, arrays and objects.
pub fn scalar_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(true)) => "1".to_string(),
        _ => String::new(),
    }
}

/// Reads a yes/no value the way WHMCS products store it.
pub fn is_yes(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "on" | "yes" | "1" | "true"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_text_numbers_and_flags() {
        let p =
            Params::new(json!({"a": " x ", "n": 42, "on": "ON", "t": true, "off": "", "z": null}));
        assert_eq!(p.text("a"), "x");
        assert_eq!(p.text("n"), "42");
        assert!(p.flag("on") && p.flag("t"));
        assert!(!p.flag("off") && !p.flag("z") && !p.flag("missing"));
        assert_eq!(p.text("z"), "");
    }

    #[test]
    fn non_object_is_empty() {
        assert_eq!(Params::new(json!([1, 2])).text("0"), "");
    }
}
