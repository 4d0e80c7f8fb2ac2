//! A module function's answer as the extension hands it to PHP: a JSON value, one of whose
//! members may be made item by item ([`Streamed`]). Server Sync's accounts and Usage Billing's
//! tenants are as long as the Backup Server is big; building them whole in Rust and then again
//! as a PHP array held the list twice. The extension turns each item into PHP as it comes, so
//! only the PHP answer is ever whole.

use serde_json::{Map, Value};

/// A module function's answer.
pub struct Answer {
    /// The answer; when [`Answer::streamed`] is set, an object holding that member as `null`
    /// where it belongs (members keep their order).
    pub value: Value,
    /// The member made item by item, if any.
    pub streamed: Option<Streamed>,
}

/// A member of an answer made item by item.
pub struct Streamed {
    /// Its name in the answer.
    pub member: &'static str,
    /// Its items: with keys (a PHP array keyed by them, a JSON object) or without (a list).
    pub items: Items,
}

/// The items of a [`Streamed`] member, each made when it is taken.
pub enum Items {
    /// A list.
    List(Box<dyn Iterator<Item = Value>>),
    /// A map, in the iterator's order.
    Keyed(Box<dyn Iterator<Item = (String, Value)>>),
}

impl Answer {
    /// An answer whose `member` (set to `null` in `value`, an object) is made from `items`.
    pub fn streaming(value: Value, member: &'static str, items: Items) -> Answer {
        Answer {
            value,
            streamed: Some(Streamed { member, items }),
        }
    }

    /// The whole answer as one JSON value (for Rust callers and tests; the extension takes the
    /// items one by one instead).
    pub fn into_value(self) -> Value {
        let Answer {
            mut value,
            streamed,
        } = self;
        if let (Some(streamed), Value::Object(map)) = (streamed, &mut value) {
            let whole = match streamed.items {
                Items::List(items) => Value::Array(items.collect()),
                Items::Keyed(items) => Value::Object(items.collect::<Map<String, Value>>()),
            };
            map.insert(streamed.member.to_string(), whole);
        }
        value
    }
}

impl From<Value> for Answer {
    fn from(value: Value) -> Answer {
        Answer {
            value,
            streamed: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_streamed_member_takes_its_place_and_its_items_in_order() {
        let list = Answer::streaming(
            json!({"success": true, "accounts": null, "after": 1}),
            "accounts",
            Items::List(Box::new((1..=3).map(|n| json!(n)))),
        );
        let whole = list.into_value();
        assert_eq!(
            whole,
            json!({"success": true, "accounts": [1, 2, 3], "after": 1})
        );
        let keys: Vec<&String> = whole.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["success", "accounts", "after"]);
        let keyed = Answer::streaming(
            json!({"usage": null}),
            "usage",
            Items::Keyed(Box::new(
                ["b", "a"].into_iter().map(|k| (k.to_string(), json!(k))),
            )),
        );
        let usage = keyed.into_value();
        let keys: Vec<&String> = usage["usage"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["b", "a"], "the iterator's order, not sorted");
        assert_eq!(
            Answer::from(json!("success")).into_value(),
            json!("success")
        );
    }
}
