//! Decides where upstream constants come from and tells the proc macros.
//!
//! - `WSLCONST_WSL_SRC` / `WSLCONST_TERMINAL_SRC`: source trees (Nix sets them
//!   from the flake's pinned inputs); `WSLCONST_WSL_REV` / `WSLCONST_TERMINAL_REV`
//!   give their revisions, else `git rev-parse HEAD` in the tree is asked.
//! - Unset or empty: the embedded default, `upstream-pin.json`.
//!
//! The macros read the result from `WSLCONST_PIN_FILE` and
//! `WSLCONST_RESOLVED_{WSL,TERMINAL}_{SRC,REV}`; they track the header files they
//! read themselves, so an edit to a header rebuilds.

#[path = "../wslconst-macros/src/shared/mod.rs"]
mod shared;

#[path = "src/schema_summary.rs"]
mod schema_summary;

use std::path::{Path, PathBuf};
use std::process::Command;

use shared::pin::Tree;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let pin = manifest.join("upstream-pin.json");
    println!("cargo::rerun-if-changed=upstream-pin.json");
    println!("cargo::rustc-env=WSLCONST_PIN_FILE={}", pin.display());
    let mut terminal_tree = None;
    for tree in Tree::ALL {
        println!("cargo::rerun-if-env-changed={}", tree.src_env());
        println!("cargo::rerun-if-env-changed={}", tree.rev_env());
        let (src, rev) = match std::env::var_os(tree.src_env()).filter(|v| !v.is_empty()) {
            None => (String::new(), String::new()),
            Some(dir) => {
                let dir = PathBuf::from(dir);
                let root = match dir.canonicalize() {
                    Ok(root) if root.is_dir() => root,
                    Ok(_) | Err(_) => fail(&format!(
                        "{}={} is not a directory: point it at a {} checkout, or unset it to build on the pin file",
                        tree.src_env(),
                        dir.display(),
                        tree.repo()
                    )),
                };
                let rev = revision(tree, &root);
                (root.display().to_string(), rev)
            }
        };
        println!("cargo::rustc-env={}={src}", tree.resolved_src_env());
        println!("cargo::rustc-env={}={rev}", tree.resolved_rev_env());
        if tree == Tree::Terminal && !src.is_empty() {
            terminal_tree = Some((PathBuf::from(&src), rev));
        }
    }
    profile_schema(&pin, terminal_tree);
}

/// Writes `$OUT_DIR/profile_schema.rs`: Terminal's profile keys from the
/// Terminal tree when one is given (failing on drift from the pin file), else
/// from the pin file.
fn profile_schema(pin: &Path, terminal: Option<(PathBuf, String)>) {
    use schema_summary::{KeySummary, SchemaPin};
    use std::collections::BTreeMap;

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
    let (objects, origin, revision): (BTreeMap<String, BTreeMap<String, KeySummary>>, _, _) = match (
        terminal, pinned,
    ) {
        (None, Some(pinned)) => (pinned.objects, "PinFile", pinned.revision),
        (None, None) => fail(&format!(
            "{} has no \"profileSchema\" section; regenerate it with `wslconst pin`",
            pin.display()
        )),
        (Some((root, rev)), pinned) => {
            println!(
                "cargo::rerun-if-changed={}",
                root.join(schema_summary::SCHEMA_PATH).display()
            );
            let found = schema_summary::read_tree(&root).unwrap_or_else(|e| fail(&e));
            let Some(pinned) = pinned else {
                // Bootstrapping a pin file: `wslconst pin` adds the section.
                println!(
                    "cargo::warning={} has no \"profileSchema\" section yet; run `wslconst pin`",
                    pin.display()
                );
                return write_profile_schema(&found, "SourceTree", &rev);
            };
            let changes = schema_summary::describe_changes(&pinned.objects, &found);
            if !changes.is_empty() {
                fail(&format!(
                    "Terminal's profile schema drifted from upstream-pin.json (pinned at {}, tree at {rev}):\n  {}\nif the change is intended, re-pin: {}",
                    pinned.revision,
                    changes.join("\n  "),
                    shared::pin::repin_command("<wsl-src>", &root.display().to_string())
                ));
            }
            (found, "SourceTree", rev)
        }
    };
    write_profile_schema(&objects, origin, &revision);
}

fn write_profile_schema(
    objects: &std::collections::BTreeMap<
        String,
        std::collections::BTreeMap<String, schema_summary::KeySummary>,
    >,
    origin: &str,
    revision: &str,
) {
    let mut out = format!(
        "/// The Terminal revision the schema was read at.\npub const SCHEMA_REVISION: &str = {revision:?};\n/// Where the key lists come from.\npub const SCHEMA_ORIGIN: crate::upstream::Origin = crate::upstream::Origin::{origin};\n"
    );
    for (name, _) in schema_summary::OBJECTS {
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

fn revision(tree: Tree, root: &Path) -> String {
    if let Some(rev) = std::env::var(tree.rev_env()).ok().filter(|r| !r.is_empty()) {
        return rev;
    }
    let git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output();
    match git {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        _ => {
            println!(
                "cargo::warning={} is not a git checkout and {} is unset: provenance will say revision `unknown`",
                root.display(),
                tree.rev_env()
            );
            "unknown".to_owned()
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
