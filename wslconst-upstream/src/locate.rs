//! Finding a constant's declaration again in a source tree.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::cpp::{self, CppValue, ExtractError, Kind};

/// A place a constant may be declared: a file and the name it is declared under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Path inside the repository.
    pub path: String,
    /// The declared name.
    pub symbol: String,
}

/// A declaration found by [`locate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// The declared value.
    pub value: CppValue,
    /// The file it was read from.
    pub path: String,
    /// The name it is declared under there.
    pub symbol: String,
    /// 1-based line of the declaration.
    pub line: u32,
    /// Every file that was read, so callers can track them for rebuilds.
    pub files_read: Vec<PathBuf>,
}

/// One declaration and its value, for [`LocateError::Disagree`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// Where.
    pub location: Location,
    /// 1-based line.
    pub line: u32,
    /// The value, canonical.
    pub value: String,
}

/// Why [`locate`] found nothing usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocateError {
    /// None of the files exists in the tree.
    NoFile {
        /// Every path that was looked for.
        paths: Vec<String>,
    },
    /// A file exists but could not be read.
    Unreadable {
        /// The file.
        path: String,
        /// The I/O error.
        error: String,
    },
    /// The files exist but none declares the constant.
    Missing {
        /// Each location read, and why it held no declaration.
        tried: Vec<(Location, ExtractError)>,
    },
    /// A declaration exists but is not what the constant needs.
    Malformed {
        /// Where.
        location: Location,
        /// What is wrong.
        error: ExtractError,
    },
    /// Two locations declare different values.
    Disagree {
        /// The declaration that is recorded.
        first: Box<Declaration>,
        /// The one that differs from it.
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
        "env -u WSLCONST_WSL_SRC -u WSLCONST_TERMINAL_SRC cargo run -p wslconst-cli -- pin --wsl-src {wsl} --terminal-src {terminal}"
    )
}
