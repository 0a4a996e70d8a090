//! Which of Windows Terminal's files an edit goes to: the files named, else
//! every installed one found (the packaged channels, the unpackaged install
//! under `%LOCALAPPDATA%`, and portable installs named by their folder).

use std::path::{Path, PathBuf};

use super::FileKind;
use crate::interop::Interop;
use crate::locations::{KnownFolders, PORTABLE_MARKER, PortableInstall, TERMINAL_INSTALLS};

/// Where to look.
#[derive(Clone, Debug, Default)]
pub struct Targets {
    /// Files named explicitly: these and no others.
    pub files: Vec<PathBuf>,
    /// `%LOCALAPPDATA%`, when it is not the environment's (inside WSL).
    pub local_app_data: Option<PathBuf>,
    /// Only these installs, by channel name (`stable`, ...); all when empty.
    pub channels: Vec<&'static str>,
    /// Portable installs: each folder holding `WindowsTerminal.exe` and the marker.
    pub portable: Vec<PathBuf>,
}

/// The environment's known folders, `%LOCALAPPDATA%` replaced when given.
/// Inside WSL the environment has neither folder: Windows is asked through
/// interop ([`Interop`]), `%ProgramData%` being `C:\ProgramData`.
pub fn known_folders(local_app_data: Option<&Path>) -> KnownFolders {
    let mut folders = KnownFolders::from_env();
    if let Some(dir) = local_app_data {
        folders.local_app_data = Some(dir.to_owned());
    }
    if (folders.local_app_data.is_none() || folders.program_data.is_none())
        && let Ok(interop) = Interop::detect()
    {
        if folders.local_app_data.is_none() {
            folders.local_app_data = interop.local_app_data().ok();
        }
        if folders.program_data.is_none() {
            let dir = interop.windows_root.join("ProgramData");
            folders.program_data = dir.is_dir().then_some(dir);
        }
    }
    folders
}

/// Why `%LOCALAPPDATA%` is unknown, and the flag that gives it.
pub fn local_app_data_hint() -> String {
    let why = match Interop::detect() {
        Ok(interop) => match interop.local_app_data() {
            Ok(_) => "it could not be found".to_owned(),
            Err(e) => format!("asking Windows failed: {e}"),
        },
        Err(e) => e.to_string(),
    };
    format!(
        "LOCALAPPDATA is not set and {why}; pass --local-appdata (inside WSL: /mnt/c/Users/NAME/AppData/Local)"
    )
}

impl Targets {
    /// Each install's settings folder, labelled by its channel or, for a
    /// portable install, its folder: the chosen channels whose folder is
    /// known, then the portable installs, each of which must be one.
    pub fn settings_dirs(&self, folders: &KnownFolders) -> Result<Vec<(String, PathBuf)>, String> {
        let mut dirs = Vec::new();
        for install in TERMINAL_INSTALLS {
            if !self.channels.is_empty() && !self.channels.contains(&install.channel) {
                continue;
            }
            if let Some(dir) = install.settings_dir.resolve(folders) {
                dirs.push((install.channel.to_owned(), dir));
            }
        }
        for dir in &self.portable {
            let install = PortableInstall::new(dir);
            if !install.is_portable() {
                return Err(format!(
                    "{}: no {PORTABLE_MARKER} file there, so Terminal does not run it as a portable install",
                    dir.display()
                ));
            }
            dirs.push((dir.display().to_string(), install.settings_dir()));
        }
        Ok(dirs)
    }

    /// The existing `kind` files to edit; an error says what was looked for
    /// and what to pass instead.
    pub fn files(&self, kind: FileKind) -> Result<Vec<PathBuf>, String> {
        if !self.files.is_empty() {
            let other = match kind {
                FileKind::Settings => FileKind::State,
                FileKind::State => FileKind::Settings,
            };
            if let Some(path) = self
                .files
                .iter()
                .find(|p| p.file_name().is_some_and(|n| n == other.file_name()))
            {
                return Err(format!(
                    "{}: this command edits {}, not {}",
                    path.display(),
                    kind.file_name(),
                    other.file_name()
                ));
            }
            return Ok(self.files.clone());
        }
        let folders = known_folders(self.local_app_data.as_deref());
        let mut looked = Vec::new();
        let mut found = Vec::new();
        for (_, dir) in self.settings_dirs(&folders)? {
            let path = dir.join(kind.file_name());
            if path.is_file() {
                found.push(path);
            } else {
                looked.push(path.display().to_string());
            }
        }
        if found.is_empty() {
            let hint = if folders.local_app_data.is_none() {
                local_app_data_hint()
            } else {
                format!("looked for {}", looked.join(", "))
            };
            return Err(format!(
                "no Windows Terminal {} found: {hint}; or pass --file PATH",
                kind.file_name()
            ));
        }
        Ok(found)
    }
}
