//! `wslconst pin`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use wslconst_model::pin::{self as repin, PinFile, SourceTree};

use super::{EXIT_CHECK_FAILED, Failure, Outcome, write_file};

/// Re-pin: read every constant from real source trees and rewrite the pin file.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst pin --wsl-src ~/src/WSL --terminal-src ~/src/terminal\n  \
    wslconst pin --wsl-src $WSL --wsl-rev 3e27a6a5 --terminal-src $T --terminal-rev 20588130 --check\n\n\
    Run it from a build on the embedded default (WSLCONST_*_SRC unset): a build against\n\
    drifted sources fails before it could run.")]
pub struct PinArgs {
    /// A microsoft/WSL checkout.
    #[arg(long, value_name = "DIR")]
    wsl_src: PathBuf,
    /// A microsoft/terminal checkout.
    #[arg(long, value_name = "DIR")]
    terminal_src: PathBuf,
    /// The WSL revision, when the checkout has no .git.
    #[arg(long, value_name = "REV")]
    wsl_rev: Option<String>,
    /// The Terminal revision, when the checkout has no .git.
    #[arg(long, value_name = "REV")]
    terminal_rev: Option<String>,
    /// The pin file to rewrite [default: the one this binary was built from].
    #[arg(long, value_name = "FILE")]
    pin_file: Option<PathBuf>,
    /// Do not write; exit 1 if the pin file is not up to date.
    #[arg(long)]
    check: bool,
}

pub fn run(args: PinArgs) -> Outcome {
    let pin_path = args.pin_file.unwrap_or_else(repin::default_pin_path);
    let wsl = SourceTree {
        root: args.wsl_src,
        revision: args.wsl_rev,
    };
    let terminal = SourceTree {
        root: args.terminal_src,
        revision: args.terminal_rev,
    };
    for (flag, tree) in [("--wsl-src", &wsl), ("--terminal-src", &terminal)] {
        if !tree.root.is_dir() {
            return Err(Failure::usage(format!(
                "{flag} {}: not a directory",
                tree.root.display()
            )));
        }
    }
    let new = repin::extract(&wsl, &terminal).map_err(|e| Failure::usage(e.to_string()))?;
    let old =
        match std::fs::read_to_string(&pin_path) {
            Ok(text) => Some(PinFile::parse(&text).map_err(|e| {
                Failure::usage(format!("{}: not a pin file: {e}", pin_path.display()))
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Failure::usage(format!(
                    "cannot read {}: {e}",
                    pin_path.display()
                )));
            }
        };
    let changes = match &old {
        Some(old) => repin::describe_changes(old, &new),
        None => vec![format!(
            "new pin file with {} constants",
            new.constants.len()
        )],
    };
    for change in &changes {
        println!("{change}");
    }
    if old.as_ref().is_some_and(|o| o.render() == new.render()) {
        println!("{} is up to date", pin_path.display());
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        eprintln!(
            "{} is not up to date with these trees; run the same command without --check",
            pin_path.display()
        );
        return Ok(ExitCode::from(EXIT_CHECK_FAILED));
    }
    write_file(&pin_path, &new.render())?;
    println!(
        "wrote {}; rebuild to use it, and review the diff before committing",
        pin_path.display()
    );
    Ok(ExitCode::SUCCESS)
}
