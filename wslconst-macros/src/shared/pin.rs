//! The pin file: every upstream constant as last extracted from real sources,
//! and how to find each one again in a source tree.
//!
//! Compiled into the proc macros and, through `#[path]`, into `wslconst pin`,
//! so the file is read and written by one piece of code.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::cpp::{self, CppValue, ExtractError, Kind};

/// Which upstream repository a constant comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tree {
    /// `microsoft/WSL`.
    Wsl,
    /// `microsoft/terminal`.
    Terminal,
}

impl Tree {
    pub const ALL: [Tree; 2] = [Tree::Wsl, Tree::Terminal];

    /// The GitHub `owner/name`.
    pub fn repo(self) -> &'static str {
        match self {
            Tree::Wsl => "microsoft/WSL",
            Tree::Terminal => "microsoft/terminal",
        }
    }

    /// How people call it in messages.
    pub fn label(self) -> &'static str {
        match self {
            Tree::Wsl => "WSL",
            Tree::Terminal => "Terminal",
        }
    }

    /// The keyword in `upstream!` and the variant name in `wslconst::upstream::Tree`.
    pub fn keyword(self) -> &'static str {
        match self {
            Tree::Wsl => "wsl",
            Tree::Terminal => "terminal",
        }
    }

    /// The environment variable a user sets to build against a source tree.
    pub fn src_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_WSL_SRC",
            Tree::Terminal => "WSLCONST_TERMINAL_SRC",
        }
    }

    /// The environment variable with the tree's revision.
    pub fn rev_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_WSL_REV",
            Tree::Terminal => "WSLCONST_TERMINAL_REV",
        }
    }

    /// What build.rs hands to the macros once it has checked the user's variable.
    pub fn resolved_src_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_RESOLVED_WSL_SRC",
            Tree::Terminal => "WSLCONST_RESOLVED_TERMINAL_SRC",
        }
    }

    /// The resolved revision build.rs hands to the macros.
    pub fn resolved_rev_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_RESOLVED_WSL_REV",
            Tree::Terminal => "WSLCONST_RESOLVED_TERMINAL_REV",
        }
    }

    /// The `wslconst pin` flag that takes this tree.
    pub fn pin_flag(self) -> &'static str {
        match self {
            Tree::Wsl => "--wsl-src",
            Tree::Terminal => "--terminal-src",
        }
    }

    pub fn from_repo(repo: &str) -> Option<Tree> {
        Tree::ALL.into_iter().find(|t| t.repo() == repo)
    }
}

/// The pin file as stored (`wslconst/upstream-pin.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinFile {
    #[serde(rename = "$comment")]
    pub comment: String,
    pub constants: Vec<PinEntry>,
    /// Terminal's profile schema, summarized (`wslconst::schema_summary`). Kept
    /// opaque here: the macros do not read it, build.rs does.
    #[serde(
        rename = "profileSchema",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub profile_schema: Option<serde_json::Value>,
}

/// One constant: its value and exactly where it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinEntry {
    /// The constant's name in `wslconst` (upstream's primary name).
    pub name: String,
    /// `guid` or `string`.
    pub kind: String,
    /// Canonical value: GUIDs lowercase with braces, strings as decoded text.
    pub value: String,
    /// `owner/name` on GitHub.
    pub repo: String,
    /// The commit the value was read at.
    pub revision: String,
    /// Path inside the repository.
    pub path: String,
    /// 1-based line of the declaration at that revision.
    pub line: u32,
    /// The name declared at that line (it may differ from `name`, see UPSTREAM.md).
    pub symbol: String,
}

/// The comment written at the top of every pin file.
pub const PIN_COMMENT: &str = "Upstream constants as last extracted from real sources by `wslconst pin`. \
Data, not code: build.rs embeds it when WSLCONST_WSL_SRC / WSLCONST_TERMINAL_SRC are unset, \
and compares real sources against it when they are set. Regenerate, do not edit by hand.";

impl PinFile {
    /// Parses pin file text; the error names the line and column.
    pub fn parse(text: &str) -> Result<PinFile, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The exact bytes `wslconst pin` writes: pretty JSON and a final newline.
    pub fn render(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("pin file serializes");
        out.push('\n');
        out
    }

    pub fn entry(&self, name: &str) -> Option<&PinEntry> {
        self.constants.iter().find(|e| e.name == name)
    }
}

/// A place a constant may be declared: a file and the name it is declared under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub symbol: String,
}

/// A declaration found by [`locate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub value: CppValue,
    pub path: String,
    pub symbol: String,
    pub line: u32,
    /// Every file that was read, so callers can track them for rebuilds.
    pub files_read: Vec<PathBuf>,
}

/// One declaration and its value, for [`LocateError::Disagree`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub location: Location,
    pub line: u32,
    pub value: String,
}

/// Why [`locate`] found nothing usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocateError {
    /// None of the files exists in the tree.
    NoFile { paths: Vec<String> },
    /// A file exists but could not be read.
    Unreadable { path: String, error: String },
    /// The files exist but none declares the constant.
    Missing {
        tried: Vec<(Location, ExtractError)>,
    },
    /// A declaration exists but is not what the constant needs.
    Malformed {
        location: Location,
        error: ExtractError,
    },
    /// Two locations declare different values.
    Disagree {
        first: Box<Declaration>,
        second: Box<Declaration>,
    },
}

impl fmt::Display for LocateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocateError::NoFile { paths } => {
                write!(f, "{} not found in the tree", paths.join(" nor "))
            }
            LocateError::Unreadable { path, error } => write!(f, "cannot read {path}: {error}"),
            LocateError::Missing { tried } => {
                let parts: Vec<String> = tried
                    .iter()
                    .map(|(loc, e)| {
                        let detail = match e {
                            ExtractError::Missing { uses } if !uses.is_empty() => {
                                let lines: Vec<String> = uses.iter().map(u32::to_string).collect();
                                format!(
                                    "the name only appears as a use, at line {}",
                                    lines.join(", ")
                                )
                            }
                            _ => "the name does not appear at all".to_owned(),
                        };
                        format!(
                            "no declaration of `{}` in {} ({detail})",
                            loc.symbol, loc.path
                        )
                    })
                    .collect();
                f.write_str(&parts.join("; "))
            }
            LocateError::Malformed { location, error } => match error {
                ExtractError::Malformed { line, reason } => write!(
                    f,
                    "malformed declaration of `{}` at {}:{line}: {reason}",
                    location.symbol, location.path
                ),
                other => write!(f, "`{}` in {}: {other}", location.symbol, location.path),
            },
            LocateError::Disagree { first, second } => write!(
                f,
                "upstream disagrees with itself: `{}` at {}:{} is {} but `{}` at {}:{} is {}",
                first.location.symbol,
                first.location.path,
                first.line,
                first.value,
                second.location.symbol,
                second.location.path,
                second.line,
                second.value
            ),
        }
    }
}

/// Reads a constant from a source tree.
///
/// Locations are tried in order; the first that declares the constant is the one
/// recorded. Every other location that also declares it must agree, so a stale
/// copy left behind by an upstream refactor cannot silently win or lose.
pub fn locate(root: &Path, locations: &[Location], kind: Kind) -> Result<Located, LocateError> {
    let mut files_read = Vec::new();
    let mut missing = Vec::new();
    let mut winner: Option<Located> = None;
    for location in locations {
        let file = root.join(&location.path);
        let text = match std::fs::read(&file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(LocateError::Unreadable {
                    path: location.path.clone(),
                    error: e.to_string(),
                });
            }
        };
        files_read.push(file);
        match cpp::extract(&text, &location.symbol, kind) {
            Ok(found) => match &winner {
                None => {
                    winner = Some(Located {
                        value: found.value,
                        path: location.path.clone(),
                        symbol: location.symbol.clone(),
                        line: found.line,
                        files_read: Vec::new(),
                    })
                }
                Some(first) if first.value != found.value => {
                    return Err(LocateError::Disagree {
                        first: Box::new(Declaration {
                            location: Location {
                                path: first.path.clone(),
                                symbol: first.symbol.clone(),
                            },
                            line: first.line,
                            value: first.value.canonical(),
                        }),
                        second: Box::new(Declaration {
                            location: location.clone(),
                            line: found.line,
                            value: found.value.canonical(),
                        }),
                    });
                }
                Some(_) => {}
            },
            Err(error @ ExtractError::Missing { .. }) => missing.push((location.clone(), error)),
            Err(error) => {
                return Err(LocateError::Malformed {
                    location: location.clone(),
                    error,
                });
            }
        }
    }
    match winner {
        Some(mut located) => {
            located.files_read = files_read;
            Ok(located)
        }
        None if files_read.is_empty() => Err(LocateError::NoFile {
            paths: locations.iter().map(|l| l.path.clone()).collect(),
        }),
        None => Err(LocateError::Missing { tried: missing }),
    }
}

/// The command that re-pins, for error messages.
pub fn repin_command(wsl: &str, terminal: &str) -> String {
    format!(
        "env -u WSLCONST_WSL_SRC -u WSLCONST_TERMINAL_SRC cargo run -p wslconst -- pin --wsl-src {wsl} --terminal-src {terminal}"
    )
}
