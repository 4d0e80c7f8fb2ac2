//! Zend values ⇄ JSON values, once on the way in and once on the way out.
//!
//! The way in never panics and is bounded: keys are read as raw bytes (ext-php-rs's own
//! iterator panics on a key that is not UTF-8), text that is not UTF-8 is decoded by the rule of
//! `sgwhmcs_core::whmcs::params` and its path remembered, objects are never looked into, and the total
//! number of values and bytes is capped, since arrays shared many times inside `$params` can
//! expand to gigabytes that PHP's `memory_limit` does not count.

use std::collections::BTreeSet;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{Map, Number, Value};
use sgwhmcs_core::functions::answer::{Answer, Items, Streamed};
use sgwhmcs_core::whmcs::params::{decode_text, pointer, Params};

/// Nesting deeper than this is cut off: `$params` is a few levels deep at most.
const MAX_DEPTH: usize = 16;
/// The most values (array members, counted with their keys) one conversion reads.
pub const MAX_NODES: usize = 100_000;
/// The most bytes of text (values and keys) one conversion reads.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// A PHP array converted to JSON, with the paths of the text that had to be decoded.
pub struct Converted {
    /// The array as JSON (an object, or a list for a PHP list).
    pub value: Value,
    /// JSON pointers of the values and keys that were not UTF-8 (see `Params`).
    pub transcoded: BTreeSet<String>,
}

impl Converted {
    /// The converted array as the core's parameters.
    pub fn into_params(self) -> Params {
        Params::with_transcoded(self.value, self.transcoded)
    }
}

/// Converts a PHP array, or says (naming it `what`, e.g. `$params`) that it is too large.
pub fn read_array(table: &ZendHashTable, what: &str) -> Result<Converted, String> {
    let mut reader = Reader::default();
    let value = reader.table(table, 0);
    if reader.over {
        return Err(format!(
            "{what} is too large to read: more than {MAX_NODES} values or {} MB of text in all (passed at {})",
            MAX_BYTES / (1024 * 1024),
            reader.passed_at
        ));
    }
    Ok(Converted {
        value,
        transcoded: reader.transcoded,
    })
}

/// Converts a PHP value (e.g. a host function's answer) within the same bounds; null past them.
pub fn zval_to_json(value: &Zval) -> Value {
    let mut reader = Reader::default();
    let value = reader.value(value, 0);
    if reader.over {
        Value::Null
    } else {
        value
    }
}

/// A PHP string's text by the rule of `sgwhmcs_core::whmcs::params` (UTF-8, else Windows-1252).
pub fn zval_text(value: &Zval) -> Option<String> {
    value.zend_str().map(|s| decode_text(s.as_bytes()).0)
}

#[derive(Default)]
struct Reader {
    nodes: usize,
    bytes: usize,
    over: bool,
    /// Where a bound was passed (a JSON pointer, cut), so the message names the member.
    passed_at: String,
    transcoded: BTreeSet<String>,
    /// The member names from the top down to the value being read. Its JSON pointer is built
    /// from them only when needed (text that had to be decoded, a bound passed): building one
    /// per member cost more than the rest of the conversion.
    names: Vec<String>,
}

impl Reader {
    /// Counts one value of `bytes` bytes; false once a bound is passed.
    fn count(&mut self, bytes: usize) -> bool {
        self.nodes += 1;
        self.bytes = self.bytes.saturating_add(bytes);
        self.over |= self.nodes > MAX_NODES || self.bytes > MAX_BYTES;
        !self.over
    }

    /// The JSON pointer of the value being read.
    fn path(&self) -> String {
        self.names.iter().map(|n| pointer(n)).collect()
    }

    /// Notes the value being read as where a bound was passed (the first time only).
    fn passed(&mut self) {
        if self.passed_at.is_empty() {
            let path = self.path();
            self.passed_at = match path.as_str() {
                "" => "the top".to_string(),
                p => sgwhmcs_core::text::cut::cut(p, 120, "…"),
            };
        }
    }

    /// Text of raw bytes, remembering the value's path when it had to be decoded.
    fn text(&mut self, bytes: &[u8]) -> String {
        let (text, decoded) = decode_text(bytes);
        if decoded {
            self.transcoded.insert(self.path());
        }
        text
    }

    fn table(&mut self, table: &ZendHashTable, depth: usize) -> Value {
        if depth >= MAX_DEPTH {
            return Value::Null;
        }
        let mut members = Vec::new();
        let mut sequential = true;
        let mut iter = Iter::new(table);
        while let Some((key, value)) = iter.next_zval() {
            let name = if let Some(n) = key.long() {
                sequential &= usize::try_from(n).ok() == Some(members.len());
                if !self.count(0) {
                    self.passed();
                    break;
                }
                n.to_string()
            } else {
                sequential = false;
                let raw = key.zend_str().map(|s| s.as_bytes()).unwrap_or_default();
                if !self.count(raw.len()) {
                    self.passed();
                    break;
                }
                let (name, decoded) = decode_text(raw);
                if decoded {
                    self.names.push(name);
                    self.transcoded.insert(self.path());
                    self.names.pop().unwrap_or_default()
                } else {
                    name
                }
            };
            self.names.push(name);
            let value = self.value(value, depth + 1);
            let name = self.names.pop().unwrap_or_default();
            if self.over {
                break;
            }
            members.push((name, value));
        }
        if sequential && !members.is_empty() {
            return Value::Array(members.into_iter().map(|(_, v)| v).collect());
        }
        Value::Object(members.into_iter().collect::<Map<_, _>>())
    }

    /// One value; objects and resources become null without being looked into (the core never
    /// needs them, and reading an object's properties can run PHP code).
    fn value(&mut self, value: &Zval, depth: usize) -> Value {
        let value = value.dereference();
        if let Some(b) = value.bool() {
            Value::Bool(b)
        } else if let Some(n) = value.long() {
            Value::Number(n.into())
        } else if let Some(f) = value.double() {
            Number::from_f64(f).map_or(Value::Null, Value::Number)
        } else if let Some(s) = value.zend_str() {
            if !self.count(s.len()) {
                self.passed();
                return Value::Null;
            }
            Value::String(self.text(s.as_bytes()))
        } else if let Some(t) = value.array() {
            self.table(t, depth)
        } else {
            Value::Null
        }
    }
}

/// Converts a JSON value to a PHP value, keeping object member order.
pub fn json_to_zval(value: &Value) -> Zval {
    let mut out = Zval::new();
    match value {
        Value::Null => out.set_null(),
        Value::Bool(b) => out.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => out.set_long(i),
            None => out.set_double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => {
            if out.set_string(s, false).is_err() {
                out.set_null();
            }
        }
        Value::Array(items) => out.set_hashtable(list(items)),
        Value::Object(map) => out.set_hashtable(object(map, None)),
    }
    out
}

/// Converts a module function's answer to a PHP value. Its streamed member, if any, is built
/// item by item (each item is PHP before the next is made), so a long list is never whole in
/// Rust and in PHP at once.
pub fn answer_to_zval(answer: Answer) -> Zval {
    if answer.streamed.is_none() || !answer.value.is_object() {
        return json_to_zval(&answer.value);
    }
    let mut out = Zval::new();
    out.set_hashtable(answer_to_table(answer));
    out
}

/// [`answer_to_zval`] for an answer that is a PHP array; any other value gives an empty array.
pub fn answer_to_table(answer: Answer) -> ZBox<ZendHashTable> {
    match answer.value {
        Value::Object(map) => object(&map, answer.streamed),
        value => json_to_table(&value),
    }
}

fn items_table(items: Items) -> ZBox<ZendHashTable> {
    let mut table = ZendHashTable::new();
    match items {
        Items::List(items) => {
            for item in items {
                let _ = table.push(json_to_zval(&item));
            }
        }
        Items::Keyed(items) => {
            for (key, item) in items {
                let _ = table.insert(key.as_str(), json_to_zval(&item));
            }
        }
    }
    table
}

/// Converts a JSON object or list to a PHP array; any other value gives an empty array.
pub fn json_to_table(value: &Value) -> ZBox<ZendHashTable> {
    match value {
        Value::Array(items) => list(items),
        Value::Object(map) => object(map, None),
        _ => ZendHashTable::new(),
    }
}

fn list(items: &[Value]) -> ZBox<ZendHashTable> {
    let mut table = ZendHashTable::with_capacity(items.len().try_into().unwrap_or(u32::MAX));
    for item in items {
        // Pushing onto a fresh table only fails when PHP is out of memory; the entry is then lost.
        let _ = table.push(json_to_zval(item));
    }
    table
}

/// `map` as a PHP array; the member named by `streamed`, if any, made from its items.
fn object(map: &Map<String, Value>, mut streamed: Option<Streamed>) -> ZBox<ZendHashTable> {
    let mut table = ZendHashTable::with_capacity(map.len().try_into().unwrap_or(u32::MAX));
    for (key, item) in map {
        let value = match streamed.take_if(|s| s.member == key) {
            Some(s) => {
                let mut value = Zval::new();
                value.set_hashtable(items_table(s.items));
                value
            }
            None => json_to_zval(item),
        };
        let _ = table.insert(key.as_str(), value);
    }
    table
}
