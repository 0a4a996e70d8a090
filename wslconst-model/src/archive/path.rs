//! Entry paths as a chroot sees them.

/// An entry's path: as the archive writes it, and normalized to an absolute
/// path inside the image (`./etc//passwd` is `/etc/passwd`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPath {
    /// As written in the archive.
    pub raw: String,
    /// Absolute, without `.`, empty components or a trailing `/`; a `..`
    /// that would climb above the root stays at the root, as in a chroot.
    pub normalized: String,
    /// Whether a `..` tried to climb above the root: extracted by a careless
    /// tool, the file would land outside the target folder.
    pub escapes_root: bool,
}

impl EntryPath {
    /// Normalizes `raw`.
    pub fn new(raw: &str) -> EntryPath {
        let (normalized, escapes_root) = normalize("/", raw);
        EntryPath {
            raw: raw.to_owned(),
            normalized,
            escapes_root,
        }
    }
}

/// `path` resolved lexically against the directory `base` (used when `path`
/// is relative), as a chroot would: `(absolute path, whether a ".." tried to
/// climb above the root)`.
///
/// ```
/// use wslconst_model::archive::resolve_lexically as resolve;
/// assert_eq!(resolve("/usr/bin", "../lib/x"), ("/usr/lib/x".to_owned(), false));
/// assert_eq!(resolve("/usr/bin", "/etc/passwd"), ("/etc/passwd".to_owned(), false));
/// assert_eq!(resolve("/", "../../etc/shadow"), ("/etc/shadow".to_owned(), true));
/// ```
pub fn normalize(base: &str, path: &str) -> (String, bool) {
    let mut parts: Vec<&str> = Vec::new();
    let mut escapes = false;
    let start = if path.starts_with('/') { "" } else { base };
    for part in start.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    escapes = true;
                }
            }
            other => parts.push(other),
        }
    }
    (format!("/{}", parts.join("/")), escapes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_as_in_a_chroot() {
        for (raw, normalized, escapes) in [
            ("./etc/passwd", "/etc/passwd", false),
            ("etc//passwd/", "/etc/passwd", false),
            ("/etc/passwd", "/etc/passwd", false),
            (".", "/", false),
            ("usr/../../../etc/shadow", "/etc/shadow", true),
            ("a/./b/../c", "/a/c", false),
        ] {
            let p = EntryPath::new(raw);
            assert_eq!(
                (p.normalized.as_str(), p.escapes_root),
                (normalized, escapes),
                "{raw}"
            );
        }
    }
}
