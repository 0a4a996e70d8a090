//! Where a build reads a tree from: the directory a user's `WSLCONST_*_SRC`
//! names, checked, and its revision.
//!
//! The core's build script resolves both trees once and hands the result to
//! the proc macros and to its dependents, so every reader agrees on them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Tree;

/// A tree a build reads, with its revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The canonical directory.
    pub root: PathBuf,
    /// `WSLCONST_*_REV`, else the checkout's `git rev-parse HEAD`, else `unknown`.
    pub revision: String,
    /// Set when the revision is `unknown`: what the build should warn about.
    pub warning: Option<String>,
}

/// The tree the environment names, `None` when its variable is unset or
/// empty (the build then uses the pin file); an error names the variable and
/// says what to do.
pub fn resolve(tree: Tree) -> Result<Option<Resolved>, String> {
    let Some(dir) = std::env::var_os(tree.src_env()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let dir = PathBuf::from(dir);
    let root = match dir.canonicalize() {
        Ok(root) if root.is_dir() => root,
        Ok(_) | Err(_) => {
            return Err(format!(
                "{}={} is not a directory: point it at a {} checkout, or unset it to build on the pin file",
                tree.src_env(),
                dir.display(),
                tree.repo()
            ));
        }
    };
    let (revision, warning) = revision(tree, &root);
    Ok(Some(Resolved {
        root,
        revision,
        warning,
    }))
}

fn revision(tree: Tree, root: &Path) -> (String, Option<String>) {
    if let Some(rev) = std::env::var(tree.rev_env()).ok().filter(|r| !r.is_empty()) {
        return (rev, None);
    }
    let git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output();
    match git {
        Ok(out) if out.status.success() => {
            (String::from_utf8_lossy(&out.stdout).trim().to_owned(), None)
        }
        _ => (
            "unknown".to_owned(),
            Some(format!(
                "{} is not a git checkout and {} is unset: provenance will say revision `unknown`",
                root.display(),
                tree.rev_env()
            )),
        ),
    }
}
