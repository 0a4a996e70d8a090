//! The part of Terminal's `doc/cascadia/profiles.schema.json` wslconst checks
//! profiles against: for the profile, font, unfocused-appearance and color
//! scheme objects, every key with its JSON types, its string enum (when strings
//! are restricted to one) and whether it is deprecated.
//!
//! wslconst-model's build script reads it (from the Terminal tree, or this
//! summary from the pin file) and `wslconst pin` writes it: one summary for
//! both.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where the schema lives in microsoft/terminal.
pub const SCHEMA_PATH: &str = "doc/cascadia/profiles.schema.json";

/// The objects summarized: name in the summary, JSON pointer to their
/// `properties` in the schema.
pub const OBJECTS: [(&str, &str); 4] = [
    ("profile", "/$defs/Profile/properties"),
    ("font", "/$defs/FontConfig/properties"),
    ("appearance", "/$defs/AppearanceConfig/properties"),
    ("scheme", "/$defs/SchemeList/items/properties"),
];

/// The `profileSchema` section of the pin file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaPin {
    /// `microsoft/terminal`.
    pub repo: String,
    /// The commit the schema was read at.
    pub revision: String,
    /// [`SCHEMA_PATH`].
    pub path: String,
    /// Object name -> key -> summary.
    pub objects: BTreeMap<String, BTreeMap<String, KeySummary>>,
}

/// One key of an object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySummary {
    /// JSON types the value may have (`string`, `number`, `integer`,
    /// `boolean`, `object`, `array`, `null`); empty means any.
    pub types: Vec<String>,
    /// When strings are limited to a list: the list.
    #[serde(rename = "enum", default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
    /// Whether the schema marks it deprecated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
}

#[derive(Default)]
struct Shape {
    types: BTreeSet<String>,
    any: bool,
    free_string: bool,
    strings: BTreeSet<String>,
}

/// Summarizes a whole schema document.
pub fn summarize(schema: &Value) -> Result<BTreeMap<String, BTreeMap<String, KeySummary>>, String> {
    let mut objects = BTreeMap::new();
    for (name, pointer) in OBJECTS {
        let properties = schema
            .pointer(pointer)
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{SCHEMA_PATH} has no object at {pointer}"))?;
        let mut keys = BTreeMap::new();
        for (key, spec) in properties {
            let mut shape = Shape::default();
            collect(schema, spec, &mut shape, 0)?;
            let mut summary = KeySummary {
                deprecated: spec.get("deprecated") == Some(&Value::Bool(true)),
                ..KeySummary::default()
            };
            if !shape.any {
                summary.types = shape.types.into_iter().collect();
                if !shape.free_string && !shape.strings.is_empty() {
                    summary.enum_values = shape.strings.into_iter().collect();
                }
            }
            keys.insert(key.clone(), summary);
        }
        objects.insert(name.to_owned(), keys);
    }
    Ok(objects)
}

/// Unions what `spec` allows into `shape`: `type`, `enum`, `const`, `$ref`,
/// `oneOf`/`anyOf`/`allOf`. Where a spec has both `$ref` and `type`, Terminal
/// uses `type` to add `null`, so both are unioned (lenient, never a false error).
fn collect(root: &Value, spec: &Value, shape: &mut Shape, depth: usize) -> Result<(), String> {
    if depth > 32 {
        return Err(format!("{SCHEMA_PATH}: $ref chain deeper than 32"));
    }
    let Some(obj) = spec.as_object() else {
        shape.any = true;
        return Ok(());
    };
    let mut constrained = false;
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
        constrained = true;
        let pointer = reference
            .strip_prefix('#')
            .ok_or_else(|| format!("{SCHEMA_PATH}: external $ref {reference} is not supported"))?;
        let target = root
            .pointer(pointer)
            .ok_or_else(|| format!("{SCHEMA_PATH}: $ref {reference} points nowhere"))?;
        collect(root, target, shape, depth + 1)?;
    }
    let has_enum = obj.contains_key("enum") || obj.contains_key("const");
    if let Some(types) = obj.get("type") {
        constrained = true;
        let list: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => {
                return Err(format!(
                    "{SCHEMA_PATH}: a \"type\" is neither a string nor a list"
                ));
            }
        };
        for t in list {
            shape.types.insert(t.to_owned());
            if t == "string" && !has_enum {
                shape.free_string = true;
            }
        }
    }
    let values: Vec<&Value> = match (obj.get("enum"), obj.get("const")) {
        (Some(Value::Array(items)), _) => items.iter().collect(),
        (_, Some(c)) => vec![c],
        _ => Vec::new(),
    };
    if !values.is_empty() {
        constrained = true;
    }
    for value in values {
        match value {
            Value::String(s) => {
                shape.types.insert("string".to_owned());
                shape.strings.insert(s.clone());
            }
            Value::Null => {
                shape.types.insert("null".to_owned());
            }
            Value::Bool(_) => {
                shape.types.insert("boolean".to_owned());
            }
            Value::Number(_) => {
                shape.types.insert("number".to_owned());
            }
            _ => shape.any = true,
        }
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(branches)) = obj.get(combinator) {
            constrained = true;
            for branch in branches {
                collect(root, branch, shape, depth + 1)?;
            }
        }
    }
    if !constrained {
        shape.any = true;
    }
    Ok(())
}

/// Reads and summarizes the schema of a Terminal checkout.
pub fn read_tree(
    root: &std::path::Path,
) -> Result<BTreeMap<String, BTreeMap<String, KeySummary>>, String> {
    let path = root.join(SCHEMA_PATH);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let schema: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    summarize(&schema)
}

/// What differs between two summaries, one line per key, for drift messages.
pub fn describe_changes(
    pinned: &BTreeMap<String, BTreeMap<String, KeySummary>>,
    found: &BTreeMap<String, BTreeMap<String, KeySummary>>,
) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = pinned.keys().chain(found.keys()).collect();
    let empty = BTreeMap::new();
    for name in names {
        let old = pinned.get(name).unwrap_or(&empty);
        let new = found.get(name).unwrap_or(&empty);
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            match (old.get(key), new.get(key)) {
                (None, Some(_)) => out.push(format!("{name}.{key}: added upstream")),
                (Some(_), None) => out.push(format!("{name}.{key}: removed upstream")),
                (Some(a), Some(b)) if a != b => out.push(format!(
                    "{name}.{key}: was {}, now {}",
                    serde_json::to_string(a).unwrap_or_default(),
                    serde_json::to_string(b).unwrap_or_default()
                )),
                _ => {}
            }
        }
    }
    out
}
