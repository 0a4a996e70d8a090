//! The `wslconst` command-line tool: a thin layer over the library crates.
//!
//! This file parses arguments, dispatches, and owns exit codes and error
//! output; each module translates one group of subcommands into calls of
//! `wslconst`, `wslconst-model` and `wslconst-render`, and prints.

mod artifacts;
mod doctor;
mod guid;
mod image;
mod model;
mod pin;
mod settings;

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use wslconst_model::files::{Written, write_with_backup};

/// Exit code for a check that failed (drift, findings, a stale file).
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code for bad usage or unreadable input.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "wslconst",
    version,
    about = "WSL and Windows Terminal GUID constants as compile-time facts",
    after_help = "Examples:\n  \
        wslconst render out/                       write constants.json, validate.py, the .ps1 scripts\n  \
        wslconst guid tier1 Ubuntu                 Terminal's GUID for a distro name\n  \
        wslconst guid tier2 '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'\n  \
        wslconst explain tier1 NixOS               every step of the computation\n  \
        wslconst validate out/constants.json\n  \
        wslconst fragment --name NixOS --distribution-id ID --template t.json\n  \
        wslconst template check terminal-profile.json\n  \
        wslconst distribution-conf check rootfs/etc/wsl-distribution.conf\n  \
        wslconst settings upsert --distro NixOS --set colorScheme=Campbell --dry-run\n  \
        wslconst check-image nixos.wsl --personal jdoe\n  \
        wslconst doctor                            why Terminal shows a distro twice, or not at all\n\n\
        Exit codes: 0 ok, 1 a check failed, 2 usage or unreadable input. NO_COLOR is respected."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Guid(guid::GuidArgs),
    Explain(guid::ExplainArgs),
    Validate(artifacts::ValidateArgs),
    Render(artifacts::RenderArgs),
    Constants(artifacts::ConstantsArgs),
    Fragment(model::FragmentArgs),
    Template(model::TemplateArgs),
    DistributionConf(model::DistributionConfArgs),
    Pin(pin::PinArgs),
    Settings(settings::SettingsArgs),
    CheckImage(image::CheckImageArgs),
    Doctor(doctor::DoctorArgs),
    Completions(artifacts::CompletionsArgs),
}

/// A failure to report: message, and whether it is a failed check or bad input.
pub struct Failure {
    pub message: String,
    pub code: u8,
    /// The reader closed the pipe (`| head`): it has all it wants, nothing to report.
    pub closed_pipe: bool,
}

impl Failure {
    /// Bad usage or unreadable input (exit 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: EXIT_USAGE,
            closed_pipe: false,
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure {
            closed_pipe: e.kind() == std::io::ErrorKind::BrokenPipe,
            ..Failure::usage(format!("i/o error: {e}"))
        }
    }
}

/// What a command returns: the exit code to use, or a failure to report.
pub type Outcome = Result<ExitCode, Failure>;

/// Whether to color output on a stream: only on a terminal, and never when
/// `NO_COLOR` is set to anything non-empty (https://no-color.org).
pub fn color_enabled(is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    is_terminal && no_color.is_none_or(OsStr::is_empty)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Guid(args) => guid::run_guid(args),
        Command::Explain(args) => guid::run_explain(args),
        Command::Validate(args) => artifacts::run_validate(args),
        Command::Render(args) => artifacts::run_render(args),
        Command::Constants(args) => artifacts::run_constants(args),
        Command::Fragment(args) => model::run_fragment(args),
        Command::Template(args) => model::run_template(args),
        Command::DistributionConf(args) => model::run_distribution_conf(args),
        Command::Pin(args) => pin::run(args),
        Command::Settings(args) => settings::run(args),
        Command::CheckImage(args) => image::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Completions(args) => artifacts::run_completions(args, &mut Cli::command()),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) if failure.closed_pipe => ExitCode::SUCCESS,
        Err(failure) => {
            let color = color_enabled(
                std::io::stderr().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            );
            let prefix = if color {
                "\x1b[1;31merror:\x1b[0m"
            } else {
                "error:"
            };
            eprintln!("wslconst: {prefix} {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Writes a file atomically, keeping a previous different file as `.bak` and
/// leaving an identical one alone.
pub fn write_file(path: &Path, text: &str) -> Result<Written, Failure> {
    let written = write_with_backup(path, text)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
    if let Written::Replaced { backup } = &written {
        eprintln!("previous {} kept as {}", path.display(), backup.display());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_turns_color_off_and_only_terminals_get_it() {
        assert!(color_enabled(true, None));
        assert!(color_enabled(true, Some(OsStr::new(""))));
        assert!(!color_enabled(true, Some(OsStr::new("1"))));
        assert!(!color_enabled(false, None));
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
