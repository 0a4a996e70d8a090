//! Editing a settings file on disk: read, edit, back up, replace.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{EditOutcome, FileKind, Operation, SettingsError, edit};
use crate::files::{Replaced, replace_keeping_backup};

/// One file edited (or, on a dry run, what editing it would do).
#[derive(Clone, Debug)]
pub struct FileEdit {
    /// The file as given.
    pub path: PathBuf,
    /// Its text before.
    pub original: String,
    /// What the edit did.
    pub outcome: EditOutcome,
    /// Where it was written and backed up; `None` on a dry run or when
    /// nothing changed.
    pub replaced: Option<Replaced>,
}

impl FileEdit {
    /// A unified diff from the original to the edited text (empty when
    /// nothing changed).
    pub fn diff(&self) -> String {
        unified_diff(
            &self.path.display().to_string(),
            &self.original,
            &self.outcome.text,
        )
    }
}

/// A unified diff of two texts of the file `label`, three lines of context.
pub fn unified_diff(label: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(label, &format!("{label} (edited)"))
        .to_string()
}

/// Why a file could not be edited. The file is as it was.
#[derive(Debug)]
pub enum FileEditError {
    /// It could not be read.
    Read(PathBuf, std::io::Error),
    /// It is not UTF-8, which is all Terminal reads.
    NotUtf8(PathBuf, usize),
    /// Its contents cannot be edited safely.
    Edit(PathBuf, SettingsError),
    /// Writing the backup or the new file failed.
    Write(PathBuf, std::io::Error),
}

impl fmt::Display for FileEditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileEditError::Read(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            FileEditError::NotUtf8(path, offset) => write!(
                f,
                "{}: not UTF-8 at byte {offset}; Terminal reads its settings as UTF-8, so re-save the file as UTF-8 first",
                path.display()
            ),
            FileEditError::Edit(path, e) => write!(f, "{}: {e}", path.display()),
            FileEditError::Write(path, e) => write!(
                f,
                "cannot write {}: {e}; the file is unchanged",
                path.display()
            ),
        }
    }
}

impl std::error::Error for FileEditError {}

/// Reads `path`, applies `operations`, and unless `dry_run`, replaces the
/// file through [`replace_keeping_backup`] when the text changed.
pub fn edit_file(
    path: &Path,
    kind: FileKind,
    operations: &[Operation],
    dry_run: bool,
) -> Result<FileEdit, FileEditError> {
    let bytes = std::fs::read(path).map_err(|e| FileEditError::Read(path.to_owned(), e))?;
    let original = String::from_utf8(bytes)
        .map_err(|e| FileEditError::NotUtf8(path.to_owned(), e.utf8_error().valid_up_to()))?;
    let outcome =
        edit(kind, &original, operations).map_err(|e| FileEditError::Edit(path.to_owned(), e))?;
    let replaced = if dry_run || outcome.is_unchanged() {
        None
    } else {
        Some(
            replace_keeping_backup(path, original.as_bytes(), outcome.text.as_bytes())
                .map_err(|e| FileEditError::Write(path.to_owned(), e))?,
        )
    };
    Ok(FileEdit {
        path: path.to_owned(),
        original,
        outcome,
        replaced,
    })
}
