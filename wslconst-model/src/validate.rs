//! Offline validation of a `constants.json` against the constants compiled in.
//!
//! Recomputes every vector from the file's own namespaces, checks the
//! cross-validation rule inside the file, and compares every field with this
//! build. Each finding names the field. `validate.py` (rendered from
//! `templates/validate.py`) applies the same rules in the same order with the same
//! messages; a test holds the two to that.
//!
//! ```
//! use wslconst_model::constants::ConstantsJson;
//! use wslconst_model::validate::validate;
//!
//! let reference = ConstantsJson::compiled();
//! let mut doc: serde_json::Value = serde_json::from_str(&reference.render()).unwrap();
//! assert!(validate(&doc, &reference).is_empty());
//! doc["constants"]["WslTerminalNamespace"]["value"] = "{be9372fe-59e1-4876-bda9-c33c8f2f1af2}".into();
//! let findings = validate(&doc, &reference);
//! assert_eq!(findings[0].field, "constants.WslTerminalNamespace.value");
//! ```

use std::fmt;

use serde_json::{Map, Value};

use crate::constants::ConstantsJson;
use wslconst::guid::Guid;
use wslconst::profile::{DistributionId, ProfileNamespace};

/// One problem, naming the field it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Dotted path of the field, e.g. `constants.WslTerminalNamespace.value` or `vectors[2].guid`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The conventions fields, in document order.
const CONVENTIONS: [&str; 6] = [
    "guidFormat",
    "inputEncoding",
    "tier1Input",
    "tier2Input",
    "wslSourceRev",
    "terminalSourceRev",
];
const CONSTANT_FIELDS: [&str; 8] = [
    "kind", "value", "repo", "revision", "path", "line", "symbol", "origin",
];
const ORIGINS: [&str; 2] = ["pin-file", "source-tree"];

/// A JSON value as findings show it (the same in `validate.py`).
fn show(v: Option<&Value>) -> String {
    match v {
        None => "nothing (missing)".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => serde_json::to_string(s).expect("strings serialize"),
        Some(Value::Array(_)) => "an array".into(),
        Some(Value::Object(_)) => "an object".into(),
    }
}

struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Finding {
            field: field.into(),
            message: message.into(),
        });
    }

    fn expect_eq(&mut self, field: String, found: Option<&Value>, expected: &Value) {
        if found != Some(expected) {
            self.add(
                field,
                format!("expected {}, found {}", show(Some(expected)), show(found)),
            );
        }
    }

    /// Like [`Findings::expect_eq`], but objects are compared member by
    /// member, so a difference deep inside names its own field.
    fn expect_tree(&mut self, field: String, found: Option<&Value>, expected: &Value) {
        if let (Some(found @ Value::Array(_)), Value::Array(_)) = (found, expected) {
            if found != expected {
                let text = |v: &Value| serde_json::to_string(v).expect("JSON serializes");
                self.add(
                    field,
                    format!("expected {}, found {}", text(expected), text(found)),
                );
            }
            return;
        }
        let (Some(Value::Object(found)), Value::Object(expected)) = (found, expected) else {
            return self.expect_eq(field, found, expected);
        };
        for (key, value) in expected {
            self.expect_tree(format!("{field}.{key}"), found.get(key), value);
        }
        let known: Vec<&str> = expected.keys().map(String::as_str).collect();
        self.unknown_keys(&format!("{field}."), found, &known, "field");
    }

    fn unknown_keys(&mut self, prefix: &str, map: &Map<String, Value>, known: &[&str], what: &str) {
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        for key in keys {
            if !known.contains(&key.as_str()) {
                self.add(format!("{prefix}{key}"), format!("unknown {what}"));
            }
        }
    }
}

/// A reference entry as the JSON object it is written as.
fn as_object(entry: &impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(entry).expect("constants.json entries serialize") {
        Value::Object(m) => m,
        _ => unreachable!("constants and vectors serialize to objects"),
    }
}

/// The file's value of a namespace constant, if it is a well-formed GUID.
fn file_namespace(constants: Option<&Map<String, Value>>, name: &str) -> Option<ProfileNamespace> {
    let value = constants?.get(name)?.get("value")?.as_str()?;
    Guid::parse(value).ok().map(ProfileNamespace::from_guid)
}

/// Recomputes a vector from the file's own constants; `None` when the vector or
/// the namespace it needs is too broken to compute (other findings say why).
fn recompute(vector: &Map<String, Value>, constants: Option<&Map<String, Value>>) -> Option<Guid> {
    let text = |key: &str| vector.get(key).and_then(Value::as_str);
    let guid = match text("kind")? {
        "tier1" => {
            file_namespace(constants, "TERMINAL_PROFILE_NAMESPACE_GUID")?.profile(text("name")?)
        }
        "tier2" => {
            let id = DistributionId::parse(text("distributionId")?).ok()?;
            file_namespace(constants, "WslTerminalNamespace")?.profile(&id.to_wsl_string())
        }
        "fragment" => {
            let root = file_namespace(constants, "RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID")?;
            let source = text("source")?;
            let space = if source.is_empty() {
                root
            } else {
                root.child(source)
            };
            space.profile(text("name")?)
        }
        _ => return None,
    };
    Some(guid.guid())
}

/// Every problem with `doc` as a `constants.json` for this build, in a stable order.
///
/// Twin: `validate` in templates/validate.py (wslconst-cli/tests/validate_py.rs
/// holds the two to the same findings).
pub fn validate(doc: &Value, reference: &ConstantsJson) -> Vec<Finding> {
    let mut out = Findings(Vec::new());
    let Some(root) = doc.as_object() else {
        out.add(
            "(root)",
            format!("expected an object, found {}", show(Some(doc))),
        );
        return out.0;
    };
    let expected_root = serde_json::to_value(reference).expect("constants.json serializes");

    if !root.get("generator").is_some_and(Value::is_string) {
        out.add(
            "generator",
            format!("expected a string, found {}", show(root.get("generator"))),
        );
    }
    for key in CONVENTIONS {
        out.expect_eq(key.into(), root.get(key), &expected_root[key]);
    }

    let constants = root.get("constants").and_then(Value::as_object);
    match constants {
        None => out.add(
            "constants",
            format!("expected an object, found {}", show(root.get("constants"))),
        ),
        Some(constants) => {
            for (name, expected) in &reference.constants {
                let field = format!("constants.{name}");
                let Some(found) = constants.get(name) else {
                    out.add(field, "missing");
                    continue;
                };
                let Some(found) = found.as_object() else {
                    out.add(
                        field,
                        format!("expected an object, found {}", show(Some(found))),
                    );
                    continue;
                };
                let expected = as_object(expected);
                for key in CONSTANT_FIELDS {
                    if key == "origin" {
                        let ok = found
                            .get(key)
                            .and_then(Value::as_str)
                            .is_some_and(|o| ORIGINS.contains(&o));
                        if !ok {
                            out.add(
                                format!("{field}.origin"),
                                format!(
                                    "expected \"pin-file\" or \"source-tree\", found {}",
                                    show(found.get(key))
                                ),
                            );
                        }
                    } else {
                        out.expect_eq(format!("{field}.{key}"), found.get(key), &expected[key]);
                    }
                }
                out.unknown_keys(&format!("{field}."), found, &CONSTANT_FIELDS, "field");
            }
            let known: Vec<&str> = reference.constants.keys().map(String::as_str).collect();
            out.unknown_keys(
                "constants.",
                constants,
                &known,
                "constant: this build does not know it",
            );
            let value = |name: &str| constants.get(name).and_then(|c| c.get("value"));
            let (wsl, terminal) = (
                value("GeneratedProfilesTerminalNamespace"),
                value("TERMINAL_PROFILE_NAMESPACE_GUID"),
            );
            if let (Some(wsl), Some(terminal)) = (wsl, terminal)
                && wsl != terminal
            {
                out.add(
                    "constants.GeneratedProfilesTerminalNamespace.value",
                    format!(
                        "cross-validation failed: {} must equal constants.TERMINAL_PROFILE_NAMESPACE_GUID.value {}, or WSL's hide entry misses Terminal's generated profile",
                        show(Some(wsl)),
                        show(Some(terminal))
                    ),
                );
            }
        }
    }

    match root.get("vectors").and_then(Value::as_array) {
        None => out.add(
            "vectors",
            format!("expected an array, found {}", show(root.get("vectors"))),
        ),
        Some(vectors) => {
            if vectors.len() != reference.vectors.len() {
                out.add(
                    "vectors",
                    format!(
                        "expected {} vectors, found {}",
                        reference.vectors.len(),
                        vectors.len()
                    ),
                );
            }
            for (i, found) in vectors.iter().enumerate() {
                let field = format!("vectors[{i}]");
                let Some(found) = found.as_object() else {
                    out.add(
                        field,
                        format!("expected an object, found {}", show(Some(found))),
                    );
                    continue;
                };
                if let Some(expected) = reference.vectors.get(i).map(as_object) {
                    let mut keys: Vec<&String> = expected.keys().chain(found.keys()).collect();
                    keys.sort();
                    keys.dedup();
                    for key in keys {
                        match expected.get(key) {
                            Some(e) => out.expect_eq(format!("{field}.{key}"), found.get(key), e),
                            None => out.add(format!("{field}.{key}"), "unknown field"),
                        }
                    }
                }
                let published = found
                    .get("guid")
                    .and_then(Value::as_str)
                    .and_then(|g| Guid::parse(g).ok());
                if let (Some(published), Some(computed)) = (published, recompute(found, constants))
                    && published != computed
                {
                    out.add(
                        format!("{field}.guid"),
                        format!("recomputing from the file's constants gives \"{computed}\", the file says \"{published}\""),
                    );
                }
            }
        }
    }

    out.expect_tree(
        "wslRules".into(),
        root.get("wslRules"),
        &expected_root["wslRules"],
    );

    let top_level: Vec<&str> = ["generator"]
        .into_iter()
        .chain(CONVENTIONS)
        .chain(["constants", "vectors", "wslRules"])
        .collect();
    out.unknown_keys("", root, &top_level, "field");
    out.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> (Value, ConstantsJson) {
        let reference = ConstantsJson::compiled();
        (
            serde_json::from_str(&reference.render()).unwrap(),
            reference,
        )
    }

    fn findings(doc: &Value, reference: &ConstantsJson) -> Vec<String> {
        validate(doc, reference)
            .iter()
            .map(Finding::to_string)
            .collect()
    }

    #[test]
    fn the_rendered_file_is_valid() {
        let (d, r) = doc();
        assert_eq!(findings(&d, &r), Vec::<String>::new());
    }

    #[test]
    fn a_tampered_namespace_is_named_and_breaks_its_vectors() {
        let (mut d, r) = doc();
        d["constants"]["TERMINAL_PROFILE_NAMESPACE_GUID"]["value"] =
            "{2bde4a90-d05f-401c-9492-e40884ead1d9}".into();
        let f = findings(&d, &r);
        assert!(
            f[0].starts_with(
                "constants.TERMINAL_PROFILE_NAMESPACE_GUID.value: expected \"{2bde4a90"
            ),
            "{f:?}"
        );
        assert!(f.iter().any(|l| l.starts_with(
            "constants.GeneratedProfilesTerminalNamespace.value: cross-validation failed"
        )));
        let recomputed = f
            .iter()
            .filter(|l| l.contains("recomputing from the file's constants"))
            .count();
        assert_eq!(recomputed, 5, "every tier1 vector: {f:?}");
    }

    #[test]
    fn drift_in_provenance_and_conventions_is_named() {
        let (mut d, r) = doc();
        d["wslSourceRev"] = "0000".into();
        d["guidFormat"] = "uppercase-braces".into();
        d["constants"]["WSL_BINARY_NAME"]["line"] = 18.into();
        d["constants"]["WSL_BINARY_NAME"]["origin"] = "memory".into();
        d["vectors"][0]["guid"] = "{2c4de342-38b7-51cf-b940-2309a097f519}".into();
        d["extra"] = true.into();
        let f = findings(&d, &r);
        assert_eq!(
            f[0],
            "guidFormat: expected \"lowercase-braces\", found \"uppercase-braces\""
        );
        assert!(f[1].starts_with("wslSourceRev: expected \"3e27a6a5"));
        assert_eq!(
            f[2],
            "constants.WSL_BINARY_NAME.line: expected 17, found 18"
        );
        assert_eq!(
            f[3],
            "constants.WSL_BINARY_NAME.origin: expected \"pin-file\" or \"source-tree\", found \"memory\""
        );
        assert!(
            f[4].starts_with(
                "vectors[0].guid: expected \"{2c4de342-38b7-51cf-b940-2309a097f518}\""
            )
        );
        assert!(f[5].starts_with("vectors[0].guid: recomputing from the file's constants gives"));
        assert_eq!(f[6], "extra: unknown field");
        assert_eq!(f.len(), 7, "{f:?}");
    }

    #[test]
    fn structural_damage_is_named_not_a_panic() {
        let (mut d, r) = doc();
        d["constants"]
            .as_object_mut()
            .unwrap()
            .remove("WslGeneratorNamespace");
        d["constants"]["Bogus"] = Value::Null;
        d["vectors"] = Value::Null;
        let f = findings(&d, &r);
        assert!(
            f.contains(&"constants.WslGeneratorNamespace: missing".to_string()),
            "{f:?}"
        );
        assert!(f.contains(
            &"constants.Bogus: unknown constant: this build does not know it".to_string()
        ));
        assert!(f.contains(&"vectors: expected an array, found null".to_string()));
        assert_eq!(
            findings(&Value::Array(vec![]), &r),
            vec!["(root): expected an object, found an array"]
        );
    }
}
