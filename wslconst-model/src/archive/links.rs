//! Symbolic links inside an image, resolved as the kernel resolves them in a
//! chroot at the image's root: absolute targets start at the image root, `..`
//! applies to the real (resolved) directory, `..` at the root stays there,
//! and following more than [`MAX_FOLLOWS`] links is a loop (`ELOOP`).

use std::collections::HashMap;

/// The most links followed for one path, as Linux's `MAXSYMLINKS`.
pub const MAX_FOLLOWS: usize = 40;

/// Why a path does not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// More than [`MAX_FOLLOWS`] links: a loop, or a chain too long for Linux.
    Loop {
        /// The links followed, in order, up to where the loop showed.
        chain: Vec<String>,
    },
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::Loop { chain } => write!(
                f,
                "symbolic link loop (more than {MAX_FOLLOWS} links): {}",
                chain.join(" -> ")
            ),
        }
    }
}

impl std::error::Error for ResolveError {}

/// Every symbolic link of an image, by its normalized path.
///
/// ```
/// use wslconst_model::archive::Symlinks;
///
/// let mut links = Symlinks::default();
/// links.insert("/bin", "usr/bin");
/// links.insert("/usr/bin/sh", "bash");
/// assert_eq!(links.resolve("/bin/sh").unwrap(), "/usr/bin/bash");
/// links.insert("/loop/a", "b");
/// links.insert("/loop/b", "a");
/// assert!(links.resolve("/loop/a").is_err());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Symlinks {
    targets: HashMap<String, String>,
}

impl Symlinks {
    /// Records that `path` (normalized, absolute) is a link to `target` (as
    /// written in the archive). A later entry for the same path replaces an
    /// earlier one, as extraction would.
    pub fn insert(&mut self, path: &str, target: &str) {
        self.targets.insert(path.to_owned(), target.to_owned());
    }

    /// Forgets a path that a later entry turned into something else.
    pub fn remove(&mut self, path: &str) {
        self.targets.remove(path);
    }

    /// The link target recorded for `path`, if it is a link.
    pub fn target(&self, path: &str) -> Option<&str> {
        self.targets.get(path).map(String::as_str)
    }

    /// How many links there are.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The path `path` (absolute, in the image) names once every link on
    /// the way, and the last component itself, are followed.
    pub fn resolve(&self, path: &str) -> Result<String, ResolveError> {
        let mut chain = Vec::new();
        self.resolve_inner(path, &mut chain, true)
    }

    /// Like [`Symlinks::resolve`], but a link as the last component is not
    /// followed (`lstat` rather than `stat`).
    pub fn resolve_parent(&self, path: &str) -> Result<String, ResolveError> {
        let mut chain = Vec::new();
        self.resolve_inner(path, &mut chain, false)
    }

    fn resolve_inner(
        &self,
        path: &str,
        chain: &mut Vec<String>,
        follow_last: bool,
    ) -> Result<String, ResolveError> {
        // Components still to walk, and the resolved directory so far.
        let mut pending: Vec<String> = components(path).into_iter().rev().collect();
        let mut resolved: Vec<String> = Vec::new();
        while let Some(component) = pending.pop() {
            if component == ".." {
                resolved.pop();
                continue;
            }
            resolved.push(component);
            let is_last = pending.is_empty();
            if is_last && !follow_last {
                break;
            }
            let here = format!("/{}", resolved.join("/"));
            let Some(target) = self.targets.get(&here) else {
                continue;
            };
            chain.push(format!("{here} -> {target}"));
            if chain.len() > MAX_FOLLOWS {
                return Err(ResolveError::Loop {
                    chain: std::mem::take(chain),
                });
            }
            resolved.pop();
            if target.starts_with('/') {
                resolved.clear();
            }
            pending.extend(components(target).into_iter().rev());
        }
        Ok(format!("/{}", resolved.join("/")))
    }
}

/// A path's components without `.` and empty ones; `..` is kept, because
/// it must apply after the links before it are resolved (unlike
/// [`super::resolve_lexically`], which is right for entry names only).
fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> Symlinks {
        let mut l = Symlinks::default();
        for (p, t) in pairs {
            l.insert(p, t);
        }
        l
    }

    #[test]
    fn relative_absolute_and_directory_links() {
        let l = links(&[
            ("/bin", "usr/bin"),
            ("/usr/bin/sh", "/run/current-system/sw/bin/sh"),
            ("/run/current-system", "/nix/var/nix/profiles/system"),
            ("/nix/var/nix/profiles/system", "system-42-link"),
            (
                "/nix/var/nix/profiles/system-42-link",
                "/nix/store/abc-nixos-system",
            ),
            (
                "/nix/store/abc-nixos-system/sw",
                "/nix/store/def-system-path",
            ),
            (
                "/nix/store/def-system-path/bin/sh",
                "/nix/store/ghi-bash/bin/bash",
            ),
        ]);
        assert_eq!(
            l.resolve("/bin/sh").unwrap(),
            "/nix/store/ghi-bash/bin/bash"
        );
        assert_eq!(l.resolve("/usr/bin/env").unwrap(), "/usr/bin/env");
        assert_eq!(
            l.resolve_parent("/bin/sh").unwrap(),
            "/usr/bin/sh",
            "lstat semantics: the last link is not followed"
        );
    }

    #[test]
    fn dotdot_applies_to_the_resolved_directory_and_stops_at_the_root() {
        let l = links(&[
            ("/etc/alternatives", "/usr/lib/alt"),
            ("/up", "../../../.."),
        ]);
        // The kernel resolves /etc/alternatives first, so .. is /usr/lib.
        assert_eq!(l.resolve("/etc/alternatives/../x").unwrap(), "/usr/lib/x");
        assert_eq!(l.resolve("/up/etc/shadow").unwrap(), "/etc/shadow");
        assert_eq!(l.resolve("/../../etc").unwrap(), "/etc");
    }

    #[test]
    fn loops_and_overlong_chains_are_eloop() {
        let l = links(&[("/a", "b"), ("/b", "/a")]);
        let err = l.resolve("/a").unwrap_err();
        assert!(err.to_string().contains("/a -> b"), "{err}");
        let l = links(&[("/self", "self")]);
        assert!(l.resolve("/self/x").is_err());
        // 41 links in a row: Linux gives up at 40.
        let chain: Vec<(String, String)> = (0..41)
            .map(|i| (format!("/l{i}"), format!("/l{}", i + 1)))
            .collect();
        let mut l = Symlinks::default();
        for (p, t) in &chain {
            l.insert(p, t);
        }
        assert!(l.resolve("/l0").is_err());
        assert_eq!(l.resolve("/l1").unwrap(), "/l41");
    }

    #[test]
    fn a_later_entry_replaces_a_link() {
        let mut l = links(&[("/bin/sh", "dash")]);
        l.remove("/bin/sh");
        assert_eq!(l.resolve("/bin/sh").unwrap(), "/bin/sh");
        assert!(l.is_empty());
    }
}
