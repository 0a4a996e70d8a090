//! Decides where upstream constants come from and tells the proc macros and
//! the crates built on this one.
//!
//! - `WSLCONST_WSL_SRC` / `WSLCONST_TERMINAL_SRC`: source trees (Nix sets them
//!   from the flake's pinned inputs); `WSLCONST_WSL_REV` / `WSLCONST_TERMINAL_REV`
//!   give their revisions, else `git rev-parse HEAD` in the tree is asked.
//! - Unset or empty: the embedded default, `upstream-pin.json`.
//!
//! The macros read the result from `WSLCONST_PIN_FILE` and
//! `WSLCONST_RESOLVED_{WSL,TERMINAL}_{SRC,REV}`; they track the header files they
//! read themselves, so an edit to a header rebuilds. Dependents' build scripts
//! (wslconst-model's, which reads Terminal's profile schema) get the same as
//! `DEP_WSLCONST_PIN_FILE` and `DEP_WSLCONST_{WSL,TERMINAL}_{SRC,REV}`.

use std::path::PathBuf;

use wslconst_upstream::Tree;
use wslconst_upstream::resolve::resolve;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let pin = manifest.join("upstream-pin.json");
    println!("cargo::rerun-if-changed=upstream-pin.json");
    println!("cargo::rustc-env=WSLCONST_PIN_FILE={}", pin.display());
    println!("cargo::metadata=pin_file={}", pin.display());
    for tree in Tree::ALL {
        println!("cargo::rerun-if-env-changed={}", tree.src_env());
        println!("cargo::rerun-if-env-changed={}", tree.rev_env());
        let (src, rev) = match resolve(tree) {
            Ok(None) => (String::new(), String::new()),
            Ok(Some(resolved)) => {
                if let Some(warning) = &resolved.warning {
                    println!("cargo::warning={warning}");
                }
                (resolved.root.display().to_string(), resolved.revision)
            }
            Err(message) => {
                eprintln!("error: {message}");
                std::process::exit(1)
            }
        };
        println!("cargo::rustc-env={}={src}", tree.resolved_src_env());
        println!("cargo::rustc-env={}={rev}", tree.resolved_rev_env());
        let key = tree.keyword();
        println!("cargo::metadata={key}_src={src}");
        println!("cargo::metadata={key}_rev={rev}");
    }
}
