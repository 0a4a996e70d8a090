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

/// What [`replace_keeping_backup`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    /// The file written: the path given, or the file its symlink points at.
    pub target: PathBuf,
    /// The exact previous bytes, beside it as `NAME.YYYYMMDD-HHMMSS.bak`.
    pub backup: PathBuf,
}

/// Replaces a user's file whose bytes were read as `expected` with `new`:
///
/// - a symlink is written through (the link stays a link), as Terminal does;
/// - if the file no longer holds `expected` (another program saved it since),
///   nothing is written and the error says so;
/// - the previous bytes go to a new `NAME.YYYYMMDD-HHMMSS.bak` (UTC; `-2`,
///   `-3`, ... when that exists), never over an older backup;
/// - the new bytes go to a temporary file in the same folder, with the old
///   file's permissions, flushed to disk, then renamed over the old file, so
///   a reader sees the old file or the new one, never half of one.
pub fn replace_keeping_backup(
    path: &Path,
    expected: &[u8],
    new: &[u8],
) -> std::io::Result<Replaced> {
    use std::io::Write as _;
    let target = if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        std::fs::canonicalize(path)?
    } else {
        path.to_owned()
    };
    let current = std::fs::read(&target)?;
    if current != expected {
        return Err(std::io::Error::other(format!(
            "{} changed while wslconst was editing it (another program saved it); nothing was written, run the command again",
            target.display()
        )));
    }
    let permissions = std::fs::metadata(&target)?.permissions();
    let stamp = utc_timestamp(std::time::SystemTime::now());
    let (backup, mut file) = create_unique(&target, &format!(".{stamp}"), ".bak")?;
    file.write_all(&current)?;
    file.sync_all()?;
    drop(file);
    let (tmp, mut file) = create_unique(
        &target,
        &format!(".wslconst-{}", std::process::id()),
        ".tmp",
    )?;
    let written = (|| {
        file.write_all(new)?;
        file.set_permissions(permissions)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(Replaced { target, backup })
}

/// Moves `path` aside to a new `NAME.YYYYMMDD-HHMMSS.bak` beside it, so
/// programs that load `*.json` no longer see it and its bytes are kept.
/// Returns the backup's path.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = utc_timestamp(std::time::SystemTime::now());
    // Reserve the name, then rename over the empty placeholder.
    let (backup, file) = create_unique(path, &format!(".{stamp}"), ".bak")?;
    drop(file);
    if let Err(e) = std::fs::rename(path, &backup) {
        let _ = std::fs::remove_file(&backup);
        return Err(e);
    }
    Ok(backup)
}

/// A new file `PATH{middle}{suffix}`, or `PATH{middle}-N{suffix}` for the
/// first N from 2 that does not exist yet.
fn create_unique(
    path: &Path,
    middle: &str,
    suffix: &str,
) -> std::io::Result<(PathBuf, std::fs::File)> {
    for n in 1u32.. {
        let mut name = path.as_os_str().to_owned();
        name.push(middle);
        if n > 1 {
            name.push(format!("-{n}"));
        }
        name.push(suffix);
        let candidate = PathBuf::from(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns")
}

/// `YYYYMMDD-HHMMSS` in UTC, the import script's backup stamp format.
pub fn utc_timestamp(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 >= 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
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

    #[test]
    fn timestamps_are_utc_civil_time() {
        use std::time::{Duration, UNIX_EPOCH};
        assert_eq!(utc_timestamp(UNIX_EPOCH), "19700101-000000");
        // 2024-02-29T23:59:59Z, a leap day.
        assert_eq!(
            utc_timestamp(UNIX_EPOCH + Duration::from_secs(1_709_251_199)),
            "20240229-235959"
        );
        // 2026-11-21T21:15:59Z.
        assert_eq!(
            utc_timestamp(UNIX_EPOCH + Duration::from_secs(1_795_295_759)),
            "20261121-211559"
        );
    }

    #[test]
    fn replacing_keeps_every_backup_and_refuses_a_file_changed_meanwhile() {
        let dir = std::env::temp_dir().join(format!("wslconst-replace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let real = dir.join("real.json");
        std::fs::write(&real, "one").unwrap();
        let link = dir.join("settings.json");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, &link).unwrap();
        #[cfg(not(unix))]
        std::fs::copy(&real, &link).unwrap();
        let first = replace_keeping_backup(&link, b"one", b"two").unwrap();
        let second = replace_keeping_backup(&link, b"two", b"three").unwrap();
        assert_ne!(first.backup, second.backup);
        assert_eq!(std::fs::read(&first.backup).unwrap(), b"one");
        assert_eq!(std::fs::read(&second.backup).unwrap(), b"two");
        assert_eq!(std::fs::read(&link).unwrap(), b"three");
        #[cfg(unix)]
        {
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(std::fs::read(&real).unwrap(), b"three");
        }
        let err = replace_keeping_backup(&link, b"two", b"four").unwrap_err();
        assert!(
            err.to_string()
                .contains("changed while wslconst was editing it"),
            "{err}"
        );
        assert_eq!(std::fs::read(&link).unwrap(), b"three");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
