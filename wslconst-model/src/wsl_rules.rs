//! What WSL and its own image validator (`distributions/validate-modern.py`)
//! expect of the files `/etc/wsl-distribution.conf` names: modes, owner,
//! size and folder. The NixOS module installs files by these rules (read from
//! `constants.json`), the conf check warns by them, and image checks grade
//! against them. The one home of these limits; `constants::WslRulesJson`
//! carries them into constants.json.
//!
//! ```
//! use wslconst_model::wsl_rules::PROFILE_TEMPLATE;
//!
//! assert!(PROFILE_TEMPLATE.allows_mode(0o640));
//! assert!(!PROFILE_TEMPLATE.allows_mode(0o644));
//! assert_eq!(PROFILE_TEMPLATE.max_size, Some(1024 * 1024));
//! ```

/// Largest icon or template WSL sends to Windows (`UtilReadFileRaw(path, 1024 * 1024)`).
pub const MAX_ATTACHMENT_SIZE: u64 = 1024 * 1024;

/// Where WSL's validator wants the profile template.
pub const TEMPLATE_DIRS: &[&str] = &["/usr/lib/wsl/"];
/// Where WSL's validator wants the shortcut icon.
pub const ICON_DIRS: &[&str] = &["/usr/lib/wsl/", "/usr/share/wsl/"];
/// Where WSL's validator wants the OOBE command.
pub const OOBE_DIRS: &[&str] = &["/usr/lib/wsl/", "/usr/libexec/wsl/"];

/// Twins: the NixOS module installs files with these modes (`modeOf` in
/// nix/lib.nix, read from constants.json's `wslRules`), and validate.py
/// checks a constants.json's `wslRules` against this build's.
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
}
