//! Writes `$OUT_DIR/profile_schema.rs`: Terminal's profile keys, from the
//! Terminal tree when the build reads one (a difference from the pin file
//! fails the build, like a drifted constant), else from the pin file.
//!
//! Which tree, and which pin file, is the core's decision: its build script
//! hands them over as `DEP_WSLCONST_PIN_FILE` and
//! `DEP_WSLCONST_TERMINAL_{SRC,REV}` (its `links = "wslconst"`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wslconst_upstream::locate::repin_command;
use wslconst_upstream::schema::{self, KeySummary, SchemaPin};

fn main() {
    let pin = PathBuf::from(dep("PIN_FILE"));
    println!("cargo::rerun-if-changed={}", pin.display());
    let terminal = Some(dep("TERMINAL_SRC"))
        .filter(|s| !s.is_empty())
        .map(|src| (PathBuf::from(src), dep("TERMINAL_REV")));
    profile_schema(&pin, terminal);
}

/// A variable the core's build script set.
fn dep(name: &str) -> String {
    let key = format!("DEP_WSLCONST_{name}");
    println!("cargo::rerun-if-env-changed={key}");
    std::env::var(&key).unwrap_or_else(|_| {
        fail(&format!(
            "{key} is not set: wslconst's build script sets it"
        ))
    })
}

type Objects = BTreeMap<String, BTreeMap<String, KeySummary>>;

fn profile_schema(pin: &Path, terminal: Option<(PathBuf, String)>) {
    let text = std::fs::read_to_string(pin)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", pin.display())));
    let document: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{} is not JSON: {e}", pin.display())));
    let pinned: Option<SchemaPin> = document.get("profileSchema").map(|v| {
        serde_json::from_value(v.clone()).unwrap_or_else(|e| {
            fail(&format!(
                "{}: \"profileSchema\" is malformed: {e}; regenerate it with `wslconst pin`",
                pin.display()
            ))
        })
    });
    let (objects, origin, revision): (Objects, _, _) = match (terminal, pinned) {
        (None, Some(pinned)) => (pinned.objects, "PinFile", pinned.revision),
        (None, None) => fail(&format!(
            "{} has no \"profileSchema\" section; regenerate it with `wslconst pin`",
            pin.display()
        )),
        (Some((root, rev)), pinned) => {
            println!(
                "cargo::rerun-if-changed={}",
                root.join(schema::SCHEMA_PATH).display()
            );
            let found = schema::read_tree(&root).unwrap_or_else(|e| fail(&e));
            let Some(pinned) = pinned else {
                // Bootstrapping a pin file: `wslconst pin` adds the section.
                println!(
                    "cargo::warning={} has no \"profileSchema\" section yet; run `wslconst pin`",
                    pin.display()
                );
                return write_profile_schema(&found, "SourceTree", &rev);
            };
            let changes = schema::describe_changes(&pinned.objects, &found);
            if !changes.is_empty() {
                fail(&format!(
                    "Terminal's profile schema drifted from upstream-pin.json (pinned at {}, tree at {rev}):\n  {}\nif the change is intended, re-pin: {}",
                    pinned.revision,
                    changes.join("\n  "),
                    repin_command("<wsl-src>", &root.display().to_string())
                ));
            }
            (found, "SourceTree", rev)
        }
    };
    write_profile_schema(&objects, origin, &revision);
}

fn write_profile_schema(objects: &Objects, origin: &str, revision: &str) {
    let mut out = format!(
        "/// The Terminal revision the schema was read at.\npub const SCHEMA_REVISION: &str = {revision:?};\n/// Where the key lists come from.\npub const SCHEMA_ORIGIN: wslconst::upstream::Origin = wslconst::upstream::Origin::{origin};\n"
    );
    for (name, _) in schema::OBJECTS {
        let keys = objects.get(name).cloned().unwrap_or_default();
        out.push_str(&format!(
            "/// The keys of Terminal's `{name}` object.\npub static {}: &[KeySpec] = &[\n",
            name.to_uppercase()
        ));
        for (key, summary) in keys {
            let types: Vec<String> = summary
                .types
                .iter()
                .map(|t| {
                    let variant = match t.as_str() {
                        "string" => "String",
                        "number" => "Number",
                        "integer" => "Integer",
                        "boolean" => "Boolean",
                        "object" => "Object",
                        "array" => "Array",
                        "null" => "Null",
                        other => fail(&format!(
                            "profile schema: {name}.{key} has unknown JSON type {other:?}"
                        )),
                    };
                    format!("JsonType::{variant}")
                })
                .collect();
            out.push_str(&format!(
                "    KeySpec {{ name: {key:?}, types: &[{}], enum_values: &{:?}, deprecated: {} }},\n",
                types.join(", "),
                summary.enum_values,
                summary.deprecated
            ));
        }
        out.push_str("];\n");
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("profile_schema.rs");
    std::fs::write(&dest, out)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", dest.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
