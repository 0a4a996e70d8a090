//! What WSL and its own image validator (`distributions/validate-modern.py`)
//! expect of the files `/etc/wsl-distribution.conf` names: modes, owner,
//! size and folder. The NixOS module installs files by these rules (read from
//! `constants.json`), and image checks grade against them.
//!
//! ```
//! use wslconst_model::wsl_rules::PROFILE_TEMPLATE;
//!
//! assert!(PROFILE_TEMPLATE.allows_mode(0o640));
//! assert!(!PROFILE_TEMPLATE.allows_mode(0o644));
//! assert_eq!(PROFILE_TEMPLATE.max_size, Some(1024 * 1024));
//! ```

use serde::Serialize;

use crate::distribution_conf::{
    ConfKey, ICON_DIRS, MAX_ATTACHMENT_SIZE, OOBE_DIRS, TEMPLATE_DIRS, ValueKind,
};

/// What the validator expects of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRule {
    /// Permission bits it accepts (anything else is a warning).
    pub modes: &'static [u32],
    /// The folders it should be under; empty when the path is fixed.
    pub dirs: &'static [&'static str],
    /// The largest size WSL reads, when it has one.
    pub max_size: Option<u64>,
}

impl FileRule {
    /// Whether `mode`'s permission bits are one the validator accepts.
    pub fn allows_mode(&self, mode: u32) -> bool {
        self.modes.contains(&(mode & 0o7777))
    }

    /// The mode to install the file with: the validator's last (tightest)
    /// accepted mode.
    pub fn install_mode(&self) -> u32 {
        *self.modes.last().expect("every rule accepts a mode")
    }
}

/// `/etc/wsl-distribution.conf`: 664 or 644, owned by root.
pub const DISTRIBUTION_CONF: FileRule = FileRule {
    modes: &[0o664, 0o644],
    dirs: &[],
    max_size: None,
};

/// `oobe.command`: 775 or 755, owned by root.
pub const OOBE_COMMAND: FileRule = FileRule {
    modes: &[0o775, 0o755],
    dirs: OOBE_DIRS,
    max_size: None,
};

/// `shortcut.icon`: 664 or 644, owned by root, at most 1 MiB.
pub const SHORTCUT_ICON: FileRule = FileRule {
    modes: &[0o664, 0o644],
    dirs: ICON_DIRS,
    max_size: Some(MAX_ATTACHMENT_SIZE),
};

/// `windowsterminal.profileTemplate`: 660 or 640, owned by root, at most 1 MiB.
pub const PROFILE_TEMPLATE: FileRule = FileRule {
    modes: &[0o660, 0o640],
    dirs: TEMPLATE_DIRS,
    max_size: Some(MAX_ATTACHMENT_SIZE),
};

/// Where images conventionally put the profile template.
pub const PROFILE_TEMPLATE_PATH: &str = "/usr/lib/wsl/terminal-profile.json";

/// The `wslRules` section of `constants.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WslRulesJson {
    /// [`MAX_ATTACHMENT_SIZE`].
    pub max_attachment_size: u64,
    /// [`PROFILE_TEMPLATE_PATH`].
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfKeyJson {
    /// `section.key`.
    pub name: String,
    /// `string`, `bool` or `int`.
    pub kind: String,
}

/// One [`FileRule`] in `constants.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
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
            max_attachment_size: MAX_ATTACHMENT_SIZE,
            profile_template_path: PROFILE_TEMPLATE_PATH.to_owned(),
            default_profile_template: crate::fragment::DEFAULT_TEMPLATE.to_owned(),
            files: [
                ("distributionConf", &DISTRIBUTION_CONF),
                ("oobe.command", &OOBE_COMMAND),
                ("shortcut.icon", &SHORTCUT_ICON),
                ("windowsterminal.profileTemplate", &PROFILE_TEMPLATE),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_modes_are_the_tightest_the_validator_accepts() {
        assert_eq!(DISTRIBUTION_CONF.install_mode(), 0o644);
        assert_eq!(PROFILE_TEMPLATE.install_mode(), 0o640);
        assert_eq!(SHORTCUT_ICON.install_mode(), 0o644);
        assert_eq!(OOBE_COMMAND.install_mode(), 0o755);
        assert!(
            OOBE_COMMAND.allows_mode(0o100755),
            "file type bits are ignored"
        );
        assert!(PROFILE_TEMPLATE_PATH.starts_with(TEMPLATE_DIRS[0]));
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
