//! Decides where upstream constants come from and tells the proc macros.
//!
//! - `WSLCONST_WSL_SRC` / `WSLCONST_TERMINAL_SRC`: source trees (Nix sets them
//!   from the flake's pinned inputs); `WSLCONST_WSL_REV` / `WSLCONST_TERMINAL_REV`
//!   give their revisions, else `git rev-parse HEAD` in the tree is asked.
//! - Unset or empty: the embedded default, `upstream-pin.json`.
//!
//! The macros read the result from `WSLCONST_PIN_FILE` and
//! `WSLCONST_RESOLVED_{WSL,TERMINAL}_{SRC,REV}`; they track the header files they
//! read themselves, so an edit to a header rebuilds.

#[path = "../wslconst-macros/src/shared/mod.rs"]
mod shared;

use std::path::{Path, PathBuf};
use std::process::Command;

use shared::pin::Tree;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let pin = manifest.join("upstream-pin.json");
    println!("cargo::rerun-if-changed=upstream-pin.json");
    println!("cargo::rustc-env=WSLCONST_PIN_FILE={}", pin.display());
    for tree in Tree::ALL {
        println!("cargo::rerun-if-env-changed={}", tree.src_env());
        println!("cargo::rerun-if-env-changed={}", tree.rev_env());
        let (src, rev) = match std::env::var_os(tree.src_env()).filter(|v| !v.is_empty()) {
            None => (String::new(), String::new()),
            Some(dir) => {
                let dir = PathBuf::from(dir);
                let root = match dir.canonicalize() {
                    Ok(root) if root.is_dir() => root,
                    Ok(_) | Err(_) => fail(&format!(
                        "{}={} is not a directory: point it at a {} checkout, or unset it to build on the pin file",
                        tree.src_env(),
                        dir.display(),
                        tree.repo()
                    )),
                };
                let rev = revision(tree, &root);
                (root.display().to_string(), rev)
            }
        };
        println!("cargo::rustc-env={}={src}", tree.resolved_src_env());
        println!("cargo::rustc-env={}={rev}", tree.resolved_rev_env());
    }
}

fn revision(tree: Tree, root: &Path) -> String {
    if let Some(rev) = std::env::var(tree.rev_env()).ok().filter(|r| !r.is_empty()) {
        return rev;
    }
    let git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output();
    match git {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        _ => {
            println!(
                "cargo::warning={} is not a git checkout and {} is unset: provenance will say revision `unknown`",
                root.display(),
                tree.rev_env()
            );
            "unknown".to_owned()
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
