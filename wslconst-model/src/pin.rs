//! Re-pinning: read every constant from real source trees and write the pin file.
//!
//! `wslconst pin` uses the same declaration reader and the same locations as the
//! compile-time extraction, so a pin file it writes is exactly what a build
//! against the same trees compares with.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use wslconst::upstream::{Value, extracted};
use wslconst_upstream::cpp::Kind;
use wslconst_upstream::locate::{LocateError, Location, locate};

pub use wslconst_upstream::Tree;
pub use wslconst_upstream::pin::{PinEntry, PinFile};

/// The pin file this crate was built from (`wslconst/upstream-pin.json`).
pub fn default_pin_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/upstream-pin.json"))
}

/// A source tree to pin from.
#[derive(Clone, Debug)]
pub struct SourceTree {
    /// The checkout's root directory.
    pub root: PathBuf,
    /// Its revision; asked of git when `None`.
    pub revision: Option<String>,
}

/// Why pinning failed.
#[derive(Debug)]
pub enum PinError {
    /// The tree's revision cannot be told.
    Revision {
        /// Which tree.
        tree: Tree,
        /// Its directory.
        root: PathBuf,
    },
    /// A constant cannot be read from its tree.
    Constant {
        /// The constant.
        constant: &'static str,
        /// The tree it is read from.
        tree: Tree,
        /// The tree's directory.
        root: PathBuf,
        /// Why it was not found.
        error: Box<LocateError>,
    },
    /// Terminal's profile schema cannot be read or summarized.
    Schema {
        /// The Terminal tree's directory.
        root: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for PinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PinError::Revision { tree, root } => write!(
                f,
                "cannot tell the revision of {} tree {}: it is not a git checkout; pass {}",
                tree.label(),
                root.display(),
                rev_flag(*tree)
            ),
            PinError::Schema { root, message } => write!(
                f,
                "profile schema: {message} (in Terminal tree {}); wslconst checks profile keys against it",
                root.display()
            ),
            PinError::Constant {
                constant,
                tree,
                root,
                error,
            } => write!(
                f,
                "`{constant}`: {error} (in {} tree {}); if upstream moved it, update its locations in wslconst/src/upstream.rs (the `upstream!` invocation)",
                tree.label(),
                root.display()
            ),
        }
    }
}

impl std::error::Error for PinError {}

fn rev_flag(tree: Tree) -> &'static str {
    match tree {
        Tree::Wsl => "--wsl-rev",
        Tree::Terminal => "--terminal-rev",
    }
}

fn git_revision(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    let rev = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !rev.is_empty()).then_some(rev)
}

/// Reads every constant this crate extracts from the two trees.
pub fn extract(wsl: &SourceTree, terminal: &SourceTree) -> Result<PinFile, PinError> {
    let revision = |tree: Tree, src: &SourceTree| {
        src.revision
            .clone()
            .or_else(|| git_revision(&src.root))
            .ok_or_else(|| PinError::Revision {
                tree,
                root: src.root.clone(),
            })
    };
    let revisions = [
        revision(Tree::Wsl, wsl)?,
        revision(Tree::Terminal, terminal)?,
    ];
    let mut constants = Vec::new();
    for c in extracted::ALL {
        let p = &c.provenance;
        let (src, rev) = match p.tree {
            Tree::Wsl => (wsl, &revisions[0]),
            Tree::Terminal => (terminal, &revisions[1]),
        };
        let kind = match c.value {
            Value::Guid(_) => Kind::Guid,
            Value::Str(_) => Kind::Str,
        };
        let locations: Vec<Location> = p
            .lookup
            .iter()
            .map(|l| Location {
                path: l.path.into(),
                symbol: l.symbol.into(),
            })
            .collect();
        let found = locate(&src.root, &locations, kind).map_err(|error| PinError::Constant {
            constant: p.constant,
            tree: p.tree,
            root: src.root.clone(),
            error: Box::new(error),
        })?;
        constants.push(PinEntry {
            name: p.constant.into(),
            kind: kind.as_str().into(),
            value: found.value.canonical(),
            repo: p.tree.repo().into(),
            revision: rev.clone(),
            path: found.path,
            line: found.line,
            symbol: found.symbol,
        });
    }
    let objects = wslconst_upstream::schema::read_tree(&terminal.root).map_err(|message| {
        PinError::Schema {
            root: terminal.root.clone(),
            message,
        }
    })?;
    let schema = wslconst_upstream::schema::SchemaPin {
        repo: Tree::Terminal.repo().into(),
        revision: revisions[1].clone(),
        path: wslconst_upstream::schema::SCHEMA_PATH.into(),
        objects,
    };
    Ok(PinFile {
        comment: wslconst_upstream::pin::PIN_COMMENT.into(),
        constants,
        profile_schema: Some(serde_json::to_value(schema).expect("the summary serializes")),
    })
}

/// What changed between two pin files, one line per change, for people.
pub fn describe_changes(old: &PinFile, new: &PinFile) -> Vec<String> {
    let mut changes = Vec::new();
    for n in &new.constants {
        match old.entry(&n.name) {
            None => changes.push(format!(
                "added `{}` = {} ({}:{})",
                n.name, n.value, n.path, n.line
            )),
            Some(o) => {
                if o.value != n.value {
                    changes.push(format!(
                        "VALUE CHANGED `{}`: {} -> {}",
                        n.name, o.value, n.value
                    ));
                }
                if (&o.path, &o.symbol) != (&n.path, &n.symbol) {
                    changes.push(format!(
                        "moved `{}`: `{}` in {} -> `{}` in {}",
                        n.name, o.symbol, o.path, n.symbol, n.path
                    ));
                } else if o.line != n.line {
                    changes.push(format!(
                        "line of `{}`: {}:{} -> {}",
                        n.name, n.path, o.line, n.line
                    ));
                }
                if o.revision != n.revision {
                    changes.push(format!(
                        "revision of `{}`: {} -> {}",
                        n.name, o.revision, n.revision
                    ));
                }
            }
        }
    }
    for o in &old.constants {
        if new.entry(&o.name).is_none() {
            changes.push(format!("removed `{}`", o.name));
        }
    }
    let schema = |pin: &PinFile| {
        pin.profile_schema
            .clone()
            .and_then(|v| serde_json::from_value::<wslconst_upstream::schema::SchemaPin>(v).ok())
    };
    match (schema(old), schema(new)) {
        (Some(o), Some(n)) => {
            for change in wslconst_upstream::schema::describe_changes(&o.objects, &n.objects) {
                changes.push(format!("profile schema: {change}"));
            }
            if o.revision != n.revision {
                changes.push(format!(
                    "revision of the profile schema: {} -> {}",
                    o.revision, n.revision
                ));
            }
        }
        (None, Some(_)) => changes.push("added the profile schema summary".to_owned()),
        (Some(_), None) => changes.push("removed the profile schema summary".to_owned()),
        (None, None) => {}
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, value: &str, line: u32) -> PinEntry {
        PinEntry {
            name: name.into(),
            kind: "string".into(),
            value: value.into(),
            repo: "microsoft/WSL".into(),
            revision: "r1".into(),
            path: "a.h".into(),
            line,
            symbol: name.into(),
        }
    }

    #[test]
    fn describes_value_line_and_membership_changes() {
        let old = PinFile {
            comment: String::new(),
            constants: vec![entry("A", "x", 1), entry("B", "y", 2)],
            profile_schema: None,
        };
        let new = PinFile {
            comment: String::new(),
            constants: vec![entry("A", "z", 5), entry("C", "w", 3)],
            profile_schema: None,
        };
        assert_eq!(
            describe_changes(&old, &new),
            vec![
                "VALUE CHANGED `A`: x -> z",
                "line of `A`: a.h:1 -> 5",
                "added `C` = w (a.h:3)",
                "removed `B`",
            ]
        );
    }
}
