//! `constants.json`: every constant with its provenance, the GUID conventions,
//! and the published vectors, for tools that cannot link this crate.
//!
//! The output is deterministic: constants sorted by name, vectors in table order.
//!
//! ```
//! let json = wslconst_model::constants::ConstantsJson::compiled().render();
//! assert!(json.contains("\"guidFormat\": \"lowercase-braces\""));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use wslconst::upstream::{self, Tree, Value, extracted};
use wslconst::vectors::{self, VectorInput};

/// The whole document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConstantsJson {
    /// `wslconst <version>`.
    pub generator: String,
    /// How WSL writes GUIDs: `lowercase-braces` (from `GUID_FORMAT_STRING`).
    pub guid_format: String,
    /// How names are encoded before hashing: `UTF-16LE`.
    pub input_encoding: String,
    /// What Tier 1 hashes: `distro-name`.
    pub tier1_input: String,
    /// What Tier 2 hashes: `registry-guid-string`.
    pub tier2_input: String,
    /// The microsoft/WSL revision the WSL constants were read at.
    pub wsl_source_rev: String,
    /// The microsoft/terminal revision the Terminal constants were read at.
    pub terminal_source_rev: String,
    /// Every constant, by upstream name.
    pub constants: BTreeMap<String, ConstantJson>,
    /// The published test vectors.
    pub vectors: Vec<VectorJson>,
    /// What WSL expects of the files an image ships ([`crate::wsl_rules`]).
    pub wsl_rules: crate::wsl_rules::WslRulesJson,
}

/// One constant and where it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConstantJson {
    /// `guid` or `string`.
    pub kind: String,
    /// GUIDs lowercase with braces; strings as text.
    pub value: String,
    /// `owner/name`.
    pub repo: String,
    /// Commit.
    pub revision: String,
    /// Path in the repository.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// The declared name at that line.
    pub symbol: String,
    /// `pin-file` or `source-tree`.
    pub origin: String,
}

/// One published vector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VectorJson {
    /// `tier1`, `tier2` or `fragment`.
    pub kind: String,
    /// The name hashed (Tier 1 and fragment vectors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The fragment source (fragment vectors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The distribution id (Tier 2 vectors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_id: Option<String>,
    /// The published GUID.
    pub guid: String,
    /// Where it was published.
    pub published_in: String,
}

impl ConstantsJson {
    /// The document for the constants compiled into this build.
    pub fn compiled() -> ConstantsJson {
        let constants = extracted::ALL
            .iter()
            .map(|c| {
                let p = &c.provenance;
                let (kind, value) = match c.value {
                    Value::Guid(g) => ("guid", g.to_string()),
                    Value::Str(s) => ("string", s.to_owned()),
                };
                let entry = ConstantJson {
                    kind: kind.into(),
                    value,
                    repo: p.tree.repo().into(),
                    revision: p.revision.into(),
                    path: p.path.into(),
                    line: p.line,
                    symbol: p.symbol.into(),
                    origin: p.origin.as_str().into(),
                };
                (p.constant.to_owned(), entry)
            })
            .collect();
        let vectors = vectors::PUBLISHED
            .iter()
            .map(|v| {
                let mut out = VectorJson {
                    kind: v.kind().into(),
                    name: None,
                    source: None,
                    distribution_id: None,
                    guid: v.expected.to_string(),
                    published_in: v.published_in.into(),
                };
                match v.input {
                    VectorInput::Tier1 { name } => out.name = Some(name.into()),
                    VectorInput::Tier2 { distribution_id } => {
                        out.distribution_id = Some(distribution_id.to_string())
                    }
                    VectorInput::Fragment { source, name } => {
                        out.source = Some(source.into());
                        out.name = Some(name.into());
                    }
                }
                out
            })
            .collect();
        ConstantsJson {
            generator: concat!("wslconst ", env!("CARGO_PKG_VERSION")).into(),
            guid_format: upstream::GUID_FORMAT.name().into(),
            input_encoding: "UTF-16LE".into(),
            tier1_input: "distro-name".into(),
            tier2_input: "registry-guid-string".into(),
            wsl_source_rev: upstream::revision(Tree::Wsl).into(),
            terminal_source_rev: upstream::revision(Tree::Terminal).into(),
            constants,
            vectors,
            wsl_rules: crate::wsl_rules::WslRulesJson::compiled(),
        }
    }

    /// [`ConstantsJson::wsl_rules`] as compact JSON, for embedding.
    pub fn wsl_rules_json(&self) -> String {
        serde_json::to_string(&self.wsl_rules).expect("wslRules serializes")
    }

    /// Pretty JSON with a final newline.
    pub fn render(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("constants.json serializes");
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wslconst::guid::Guid;

    #[test]
    fn every_compiled_constant_is_in_the_document_with_its_provenance() {
        let doc: ConstantsJson = serde_json::from_str(&ConstantsJson::compiled().render()).unwrap();
        assert_eq!(doc.constants.len(), extracted::ALL.len());
        for c in extracted::ALL {
            let entry = &doc.constants[c.provenance.constant];
            match c.value {
                Value::Guid(g) => assert_eq!(entry.value.parse::<Guid>().unwrap(), g),
                Value::Str(s) => assert_eq!(entry.value, s),
            }
            assert_eq!(entry.path, c.provenance.path);
            assert_eq!(entry.line, c.provenance.line);
            assert_eq!(entry.revision, c.provenance.revision);
            assert_eq!(entry.repo, c.provenance.tree.repo());
        }
        assert_eq!(
            doc.constants["WslTerminalNamespace"].value,
            wslconst::WSL_TERMINAL_NAMESPACE.to_string()
        );
    }

    #[test]
    fn vectors_in_the_document_recompute() {
        let doc = ConstantsJson::compiled();
        assert_eq!(doc.vectors.len(), vectors::PUBLISHED.len());
        for (json, v) in doc.vectors.iter().zip(vectors::PUBLISHED) {
            assert_eq!(json.guid, v.compute().to_string(), "{json:?}");
        }
    }

    #[test]
    fn output_is_deterministic_and_sorted() {
        let a = ConstantsJson::compiled().render();
        assert_eq!(a, ConstantsJson::compiled().render());
        let names: Vec<&str> = a
            .lines()
            .filter(|l| l.starts_with("    \"") && l.ends_with(": {"))
            .map(|l| l.trim().trim_end_matches(": {").trim_matches('"'))
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(a.ends_with("}\n"));
    }

    #[test]
    fn conventions_match_what_upstream_implies() {
        let doc = ConstantsJson::compiled();
        assert_eq!(doc.guid_format, "lowercase-braces");
        assert_eq!(doc.input_encoding, "UTF-16LE");
        assert_eq!(doc.tier1_input, "distro-name");
        assert_eq!(doc.tier2_input, "registry-guid-string");
    }
}
