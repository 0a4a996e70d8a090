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

use crate::distribution_conf::{ConfKey, ValueKind};
use crate::wsl_rules::{self, FileRule};

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
    pub wsl_rules: WslRulesJson,
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
            wsl_rules: WslRulesJson::compiled(),
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

    #[test]
    fn modes_are_written_as_octal_strings() {
        let json = serde_json::to_value(WslRulesJson::compiled()).unwrap();
        assert_eq!(
            json["files"]["windowsterminal.profileTemplate"]["modes"],
            serde_json::json!(["0660", "0640"])
        );
        assert_eq!(json["maxAttachmentSize"], 1048576);
    }
}

/// The `wslRules` section of `constants.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WslRulesJson {
    /// [`wsl_rules::MAX_ATTACHMENT_SIZE`].
    pub max_attachment_size: u64,
    /// [`wsl_rules::PROFILE_TEMPLATE_PATH`].
    pub profile_template_path: String,
    /// The template WSL uses when the distro ships none.
    pub default_profile_template: String,
    /// The rule of each file, by the `wsl-distribution.conf` key naming it
    /// (`distributionConf` for the file itself).
    pub files: std::collections::BTreeMap<String, FileRuleJson>,
    /// Every key WSL reads from `wsl-distribution.conf`, in the order a
    /// rendered file lists them, with the kind of value WSL parses.
    pub distribution_conf_keys: Vec<ConfKeyJson>,
}

/// One key of `wsl-distribution.conf` in `constants.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfKeyJson {
    /// `section.key`.
    pub name: String,
    /// `string`, `bool` or `int`.
    pub kind: String,
}

/// One [`FileRule`] in `constants.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileRuleJson {
    /// Accepted modes as four-digit octal strings (`"0644"`), tightest last.
    pub modes: Vec<String>,
    /// [`FileRule::dirs`].
    pub dirs: Vec<String>,
    /// [`FileRule::max_size`].
    pub max_size: Option<u64>,
}

impl From<&FileRule> for FileRuleJson {
    fn from(rule: &FileRule) -> Self {
        FileRuleJson {
            modes: rule.modes.iter().map(|m| format!("{m:04o}")).collect(),
            dirs: rule.dirs.iter().map(|d| (*d).to_owned()).collect(),
            max_size: rule.max_size,
        }
    }
}

impl WslRulesJson {
    /// The rules compiled into this build.
    pub fn compiled() -> WslRulesJson {
        WslRulesJson {
            max_attachment_size: wsl_rules::MAX_ATTACHMENT_SIZE,
            profile_template_path: wsl_rules::PROFILE_TEMPLATE_PATH.to_owned(),
            default_profile_template: crate::fragment::DEFAULT_TEMPLATE.to_owned(),
            files: [
                ("distributionConf", &wsl_rules::DISTRIBUTION_CONF),
                ("oobe.command", &wsl_rules::OOBE_COMMAND),
                ("shortcut.icon", &wsl_rules::SHORTCUT_ICON),
                (
                    "windowsterminal.profileTemplate",
                    &wsl_rules::PROFILE_TEMPLATE,
                ),
            ]
            .into_iter()
            .map(|(key, rule)| (key.to_owned(), FileRuleJson::from(rule)))
            .collect(),
            distribution_conf_keys: ConfKey::ALL
                .iter()
                .map(|key| ConfKeyJson {
                    name: key.name().to_owned(),
                    kind: match key.kind() {
                        ValueKind::String => "string",
                        ValueKind::Bool => "bool",
                        ValueKind::Int => "int",
                    }
                    .to_owned(),
                })
                .collect(),
        }
    }
}
