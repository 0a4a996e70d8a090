//! The pin file: every upstream constant as last extracted from real sources.
//!
//! Read by the proc macros (the embedded default) and the core's build
//! script's dependents, and written by `wslconst pin`: one piece of code for
//! the file's format.

use serde::{Deserialize, Serialize};

/// The pin file as stored (`wslconst/upstream-pin.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinFile {
    /// What the file is ([`PIN_COMMENT`]).
    #[serde(rename = "$comment")]
    pub comment: String,
    /// Every constant, in the order the core declares them.
    pub constants: Vec<PinEntry>,
    /// Terminal's profile schema, summarized (`crate::schema`). Kept
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
    /// The name declared at that line (it may differ from `name`: docs/UPSTREAM.md, "The constants").
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

    /// The entry of the constant `name`.
    pub fn entry(&self, name: &str) -> Option<&PinEntry> {
        self.constants.iter().find(|e| e.name == name)
    }
}
