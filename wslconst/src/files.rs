//! Writing files a user may already have: never lose a byte of theirs.

use std::path::{Path, PathBuf};

/// What [`write_with_backup`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// The file already held exactly this text; it was not touched.
    Unchanged,
    /// There was no file; it was created.
    Created,
    /// A different file was there; it was kept as `backup` and replaced.
    Replaced {
        /// Where the previous contents are.
        backup: PathBuf,
    },
}

/// Writes `text` to `path` atomically (a temporary file renamed over it),
/// keeping a different previous file as `path.bak`, and leaving an identical
/// one alone.
pub fn write_with_backup(path: &Path, text: &str) -> std::io::Result<Written> {
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let outcome = match std::fs::read(path) {
        Ok(current) if current == text.as_bytes() => return Ok(Written::Unchanged),
        Ok(_) => {
            let backup = with_suffix(".bak");
            std::fs::copy(path, &backup)?;
            Written::Replaced { backup }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Written::Created,
        Err(e) => return Err(e),
    };
    let tmp = with_suffix(".tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_keeps_identical_files_and_backs_up_different_ones() {
        let dir = std::env::temp_dir().join(format!("wslconst-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.json");
        let _ = std::fs::remove_file(&path);
        assert_eq!(write_with_backup(&path, "one").unwrap(), Written::Created);
        assert_eq!(write_with_backup(&path, "one").unwrap(), Written::Unchanged);
        assert!(
            !dir.join("out.json.bak").exists(),
            "no backup of an identical file"
        );
        let backup = dir.join("out.json.bak");
        assert_eq!(
            write_with_backup(&path, "two").unwrap(),
            Written::Replaced {
                backup: backup.clone()
            }
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "one");
        assert!(!dir.join("out.json.tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
