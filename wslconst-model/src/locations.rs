//! Where Windows Terminal and WSL keep the files wslconst reads and edits on a
//! Windows machine, as typed values.
//!
//! Paths are relative to a known folder ([`KnownFolder`]) so the same values
//! serve Rust code, the rendered PowerShell scripts (which resolve the folder
//! with `[Environment]::GetFolderPath`) and documentation.
//!
//! ```
//! use wslconst_model::locations::{TERMINAL_INSTALLS, WSL_FRAGMENTS};
//!
//! let stable = &TERMINAL_INSTALLS[0];
//! assert_eq!(
//!     stable.settings_json().to_string(),
//!     r"%LOCALAPPDATA%\Packages\Microsoft.WindowsTerminal_8wekyb3d8bbwe\LocalState\settings.json"
//! );
//! assert_eq!(
//!     WSL_FRAGMENTS.to_string(),
//!     r"%LOCALAPPDATA%\Microsoft\Windows Terminal\Fragments\Microsoft.WSL"
//! );
//! ```

use core::fmt;
use std::path::{Path, PathBuf};

/// A Windows known folder, named as `[Environment+SpecialFolder]` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KnownFolder {
    /// `%LOCALAPPDATA%` (`FOLDERID_LocalAppData`).
    LocalApplicationData,
    /// `%ProgramData%` (`FOLDERID_ProgramData`).
    CommonApplicationData,
}

impl KnownFolder {
    /// The `[Environment+SpecialFolder]` member name PowerShell resolves.
    pub const fn special_folder(self) -> &'static str {
        match self {
            KnownFolder::LocalApplicationData => "LocalApplicationData",
            KnownFolder::CommonApplicationData => "CommonApplicationData",
        }
    }

    /// The environment variable a person would type.
    pub const fn environment_variable(self) -> &'static str {
        match self {
            KnownFolder::LocalApplicationData => "%LOCALAPPDATA%",
            KnownFolder::CommonApplicationData => "%ProgramData%",
        }
    }
}

/// A path below a known folder, with `\` separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WindowsPath {
    /// The folder it is relative to.
    pub base: KnownFolder,
    /// The rest, without a leading separator.
    pub relative: &'static str,
}

impl WindowsPath {
    /// The path on this machine, when the folder it is relative to is known.
    pub fn resolve(&self, folders: &KnownFolders) -> Option<PathBuf> {
        let mut path = folders.get(self.base)?.to_owned();
        path.extend(self.relative.split('\\').filter(|part| !part.is_empty()));
        Some(path)
    }
}

/// Where the known folders are on this machine: from `%LOCALAPPDATA%` and
/// `%ProgramData%` on Windows, or given (inside WSL, for example
/// `/mnt/c/Users/me/AppData/Local`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownFolders {
    /// `%LOCALAPPDATA%`.
    pub local_app_data: Option<PathBuf>,
    /// `%ProgramData%`.
    pub program_data: Option<PathBuf>,
}

impl KnownFolders {
    /// The folders the environment names (`LOCALAPPDATA`, `ProgramData`);
    /// empty values count as unset.
    pub fn from_env() -> KnownFolders {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        KnownFolders {
            local_app_data: var("LOCALAPPDATA"),
            program_data: var("ProgramData"),
        }
    }

    /// The path of `folder`, when known.
    pub fn get(&self, folder: KnownFolder) -> Option<&Path> {
        match folder {
            KnownFolder::LocalApplicationData => self.local_app_data.as_deref(),
            KnownFolder::CommonApplicationData => self.program_data.as_deref(),
        }
    }
}

impl fmt::Display for WindowsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\\{}", self.base.environment_variable(), self.relative)
    }
}

/// One Windows Terminal installation kind and where its settings live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TerminalInstall {
    /// `stable`, `preview`, `canary` or `unpackaged`.
    pub channel: &'static str,
    /// The package family name of a packaged (Store/MSIX) install.
    pub package_family_name: Option<&'static str>,
    /// The folder holding `settings.json` and `state.json`.
    pub settings_dir: WindowsPath,
}

impl TerminalInstall {
    /// `settings.json` (JSON with comments).
    pub fn settings_json(&self) -> SettingsFile {
        SettingsFile(self.settings_dir, "settings.json")
    }

    /// `state.json` (Terminal's own state, `generatedProfiles` among it).
    pub fn state_json(&self) -> SettingsFile {
        SettingsFile(self.settings_dir, "state.json")
    }
}

/// A file inside a [`TerminalInstall::settings_dir`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SettingsFile(WindowsPath, &'static str);

impl SettingsFile {
    /// The folder.
    pub const fn dir(&self) -> WindowsPath {
        self.0
    }

    /// The file name.
    pub const fn file_name(&self) -> &'static str {
        self.1
    }
}

impl SettingsFile {
    /// The path on this machine, when the folder it is relative to is known.
    pub fn resolve(&self, folders: &KnownFolders) -> Option<PathBuf> {
        Some(self.0.resolve(folders)?.join(self.1))
    }
}

impl fmt::Display for SettingsFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\\{}", self.0, self.1)
    }
}

const fn packaged(channel: &'static str, pfn: &'static str, dir: &'static str) -> TerminalInstall {
    TerminalInstall {
        channel,
        package_family_name: Some(pfn),
        settings_dir: WindowsPath {
            base: KnownFolder::LocalApplicationData,
            relative: dir,
        },
    }
}

/// Every installation kind whose settings a script can find without asking:
/// the three packaged channels, then the unpackaged install. A portable
/// install keeps its settings beside its executable and has no fixed place
/// ([`PortableInstall`]).
pub const TERMINAL_INSTALLS: &[TerminalInstall] = &[
    packaged(
        "stable",
        "Microsoft.WindowsTerminal_8wekyb3d8bbwe",
        r"Packages\Microsoft.WindowsTerminal_8wekyb3d8bbwe\LocalState",
    ),
    packaged(
        "preview",
        "Microsoft.WindowsTerminalPreview_8wekyb3d8bbwe",
        r"Packages\Microsoft.WindowsTerminalPreview_8wekyb3d8bbwe\LocalState",
    ),
    packaged(
        "canary",
        "Microsoft.WindowsTerminalCanary_8wekyb3d8bbwe",
        r"Packages\Microsoft.WindowsTerminalCanary_8wekyb3d8bbwe\LocalState",
    ),
    TerminalInstall {
        channel: "unpackaged",
        package_family_name: None,
        settings_dir: WindowsPath {
            base: KnownFolder::LocalApplicationData,
            relative: r"Microsoft\Windows Terminal",
        },
    },
];

/// The file beside `WindowsTerminal.exe` that makes an unpackaged install
/// portable (Terminal's `PortableModeMarkerFile`).
pub const PORTABLE_MARKER: &str = ".portable";

/// The folder beside `WindowsTerminal.exe` where a portable install keeps
/// `settings.json` and `state.json` (Terminal's `PortableModeSettingsFolder`).
pub const PORTABLE_SETTINGS_DIR: &str = "settings";

/// A portable install, unpacked wherever its user chose.
///
/// ```
/// use std::path::Path;
/// use wslconst_model::locations::PortableInstall;
///
/// let install = PortableInstall::new(Path::new("D:/tools/terminal"));
/// assert_eq!(install.settings_json(), Path::new("D:/tools/terminal/settings/settings.json"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortableInstall {
    /// The folder holding `WindowsTerminal.exe`.
    pub install_dir: PathBuf,
}

impl PortableInstall {
    /// The install in `install_dir`.
    pub fn new(install_dir: &Path) -> PortableInstall {
        PortableInstall {
            install_dir: install_dir.to_owned(),
        }
    }

    /// Whether the marker file is there, so Terminal runs portable.
    pub fn is_portable(&self) -> bool {
        self.install_dir.join(PORTABLE_MARKER).is_file()
    }

    /// The folder holding its settings.
    pub fn settings_dir(&self) -> PathBuf {
        self.install_dir.join(PORTABLE_SETTINGS_DIR)
    }

    /// Its `settings.json`.
    pub fn settings_json(&self) -> PathBuf {
        self.settings_dir().join("settings.json")
    }

    /// Its `state.json`.
    pub fn state_json(&self) -> PathBuf {
        self.settings_dir().join("state.json")
    }
}

/// The per-user fragment folder WSL writes its profiles into (`Microsoft.WSL`).
pub const WSL_FRAGMENTS: WindowsPath = WindowsPath {
    base: KnownFolder::LocalApplicationData,
    relative: r"Microsoft\Windows Terminal\Fragments\Microsoft.WSL",
};

/// The per-user fragment root: one folder per application below it.
pub const USER_FRAGMENTS: WindowsPath = WindowsPath {
    base: KnownFolder::LocalApplicationData,
    relative: r"Microsoft\Windows Terminal\Fragments",
};

/// The machine-wide fragment root.
pub const MACHINE_FRAGMENTS: WindowsPath = WindowsPath {
    base: KnownFolder::CommonApplicationData,
    relative: r"Microsoft\Windows Terminal\Fragments",
};

/// WSL's per-user registry key; one subkey per distro, named by its
/// distribution id.
pub const LXSS_KEY: &str = r"HKCU:\Software\Microsoft\Windows\CurrentVersion\Lxss";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_folder_is_the_one_the_fragment_model_writes_to() {
        assert_eq!(WSL_FRAGMENTS.to_string(), crate::fragment::FRAGMENT_DIR);
        assert!(WSL_FRAGMENTS.relative.starts_with(USER_FRAGMENTS.relative));
    }

    #[test]
    fn paths_resolve_against_the_known_folders_given() {
        let folders = KnownFolders {
            local_app_data: Some(PathBuf::from("/mnt/c/Users/me/AppData/Local")),
            program_data: None,
        };
        assert_eq!(
            TERMINAL_INSTALLS[3]
                .settings_json()
                .resolve(&folders)
                .unwrap(),
            Path::new("/mnt/c/Users/me/AppData/Local/Microsoft/Windows Terminal/settings.json")
        );
        assert_eq!(MACHINE_FRAGMENTS.resolve(&folders), None);
    }

    #[test]
    fn a_portable_install_needs_its_marker() {
        let dir = std::env::temp_dir().join(format!("wslconst-portable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let install = PortableInstall::new(&dir);
        assert!(!install.is_portable());
        std::fs::write(dir.join(PORTABLE_MARKER), "").unwrap();
        assert!(install.is_portable());
        assert_eq!(
            install.state_json(),
            dir.join("settings").join("state.json")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn state_json_sits_beside_settings_json() {
        for install in TERMINAL_INSTALLS {
            assert_eq!(install.settings_json().dir(), install.state_json().dir());
            assert!(
                install
                    .settings_json()
                    .to_string()
                    .ends_with(r"\settings.json"),
                "{install:?}"
            );
        }
    }
}
