//! The `wslconst` command-line tool.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use wslconst::constants::ConstantsJson;
use wslconst::pin::{self, PinFile, SourceTree};

/// Exit code for a check that failed (drift, a stale pin file).
const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code for bad usage or unreadable input.
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "wslconst",
    version,
    about = "WSL and Windows Terminal GUID constants as compile-time facts",
    after_help = "Examples:\n  wslconst constants > constants.json\n  wslconst pin --wsl-src ../WSL --terminal-src ../terminal"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print constants.json: every constant with its provenance, and the test vectors.
    #[command(after_help = "Example:\n  wslconst constants --output out/constants.json")]
    Constants {
        /// Write to this file (atomically, keeping a .bak of a previous one) instead of stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Re-pin: read every constant from real source trees and rewrite the pin file.
    #[command(after_help = "Examples:\n  \
        wslconst pin --wsl-src ~/src/WSL --terminal-src ~/src/terminal\n  \
        wslconst pin --wsl-src $WSL --wsl-rev 3e27a6a5 --terminal-src $T --terminal-rev 0cacbbc0 --check\n\n\
        Run it from a build on the embedded default (WSLCONST_*_SRC unset): a build against\n\
        drifted sources fails before it could run.")]
    Pin {
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("wslconst: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Constants { output } => {
            let json = ConstantsJson::compiled().render();
            match output {
                None => std::io::stdout()
                    .write_all(json.as_bytes())
                    .map_err(|e| format!("cannot write to stdout: {e}"))?,
                Some(path) => {
                    write_file(&path, &json)?;
                    eprintln!("wrote {}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Pin {
            wsl_src,
            terminal_src,
            wsl_rev,
            terminal_rev,
            pin_file,
            check,
        } => {
            let pin_path = pin_file.unwrap_or_else(pin::default_pin_path);
            let wsl = SourceTree {
                root: wsl_src,
                revision: wsl_rev,
            };
            let terminal = SourceTree {
                root: terminal_src,
                revision: terminal_rev,
            };
            for (flag, tree) in [("--wsl-src", &wsl), ("--terminal-src", &terminal)] {
                if !tree.root.is_dir() {
                    return Err(format!("{flag} {}: not a directory", tree.root.display()));
                }
            }
            let new = pin::extract(&wsl, &terminal).map_err(|e| e.to_string())?;
            let old = match std::fs::read_to_string(&pin_path) {
                Ok(text) => Some(
                    PinFile::parse(&text)
                        .map_err(|e| format!("{}: not a pin file: {e}", pin_path.display()))?,
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read {}: {e}", pin_path.display())),
            };
            let changes = match &old {
                Some(old) => pin::describe_changes(old, &new),
                None => vec![format!(
                    "new pin file with {} constants",
                    new.constants.len()
                )],
            };
            let up_to_date = old.as_ref().is_some_and(|o| o.render() == new.render());
            for change in &changes {
                println!("{change}");
            }
            if up_to_date {
                println!("{} is up to date", pin_path.display());
                return Ok(ExitCode::SUCCESS);
            }
            if check {
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
    }
}

fn write_file(path: &std::path::Path, text: &str) -> Result<(), String> {
    match pin::write_with_backup(path, text) {
        Ok(Some(backup)) => {
            eprintln!("previous {} kept as {}", path.display(), backup.display());
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) => Err(format!("cannot write {}: {e}", path.display())),
    }
}
