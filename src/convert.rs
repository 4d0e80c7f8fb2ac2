//! Zend values ⇄ JSON values, once on the way in and once on the way out.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is cut off: `$params` is a few levels deep at most.
const MAX_DEPTH: usize = 16;

/// Converts a PHP array to a JSON value: string keys to an object, a list to an array.
pub fn array_to_json(table: &ZendHashTable) -> Value {
    table_to_json(table, 0)
}

fn table_to_json(table: &ZendHashTable, depth: usize) -> Value {
    if depth >= MAX_DEPTH {
        return Value::Null;
    }
    if table.has_sequential_keys() && !table.is_empty() {
        return Value::Array(table.values().map(|v| zval_to_json(v, depth + 1)).collect());
    }
    let mut map = Map::new();
    for (key, value) in table.iter() {
        let key = match key {
            ArrayKey::Long(n) => n.to_string(),
            ArrayKey::String(s) => s,
            ArrayKey::Str(s) => s.to_string(),
            ArrayKey::ZendString(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
        };
        map.insert(key, zval_to_json(value, depth + 1));
    }
    Value::Object(map)
}

/// Converts one PHP value; objects and resources become null (the core never needs them).
pub fn zval_to_json(value: &Zval, depth: usize) -> Value {
    let value = value.dereference();
    if let Some(b) = value.bool() {
        Value::Bool(b)
    } else if let Some(n) = value.long() {
        Value::Number(n.into())
    } else if let Some(f) = value.double() {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    } else if let Some(s) = value.zend_str() {
        Value::String(String::from_utf8_lossy(s.as_bytes()).into_owned())
    } else if let Some(t) = value.array() {
        table_to_json(t, depth)
    } else {
        Value::Null
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
        Value::Object(map) => out.set_hashtable(object(map)),
    }
    out
}

fn list(items: &[Value]) -> ZBox<ZendHashTable> {
    let mut table = ZendHashTable::with_capacity(items.len().try_into().unwrap_or(u32::MAX));
    for item in items {
        // Pushing onto a fresh table only fails when PHP is out of memory; the entry is then lost.
        let _ = table.push(json_to_zval(item));
    }
    table
}

fn object(map: &Map<String, Value>) -> ZBox<ZendHashTable> {
    let mut table = ZendHashTable::with_capacity(map.len().try_into().unwrap_or(u32::MAX));
    for (key, item) in map {
        let _ = table.insert(key.as_str(), json_to_zval(item));
    }
    table
}
