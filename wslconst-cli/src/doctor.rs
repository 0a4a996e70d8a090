//! `wslconst doctor`: reads the machine, prints what is wrong by distro,
//! and with `--fix` fixes what is safe to fix.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use wslconst_model::doctor::fix::{apply, plan};
use wslconst_model::doctor::registry::parse_export;
use wslconst_model::doctor::{Finding, Level, Machine, Report, diagnose};
use wslconst_model::interop::{Interop, LXSS_KEY};
use wslconst_model::settings::targets::{Targets, known_folders, local_app_data_hint};

use super::settings::{Channel, report_edit};
use super::{EXIT_CHECK_FAILED, Failure, Outcome};

/// Explain why Windows Terminal shows a distro twice, not at all, or "profile no longer detected", and fix it
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst doctor                                   inside WSL: asks Windows through interop\n  \
    wslconst doctor --registry lxss.reg --local-appdata /mnt/c/Users/me/AppData/Local\n  \
    wslconst doctor --fix --dry-run                   the diffs --fix would write\n\n\
Reads WSL's registrations (HKCU\\...\\Lxss), WSL's fragments and every Terminal install's\n\
settings.json and state.json, and names what makes Terminal show a profile twice, none,\n\
or \"profile no longer detected\", with the command that fixes each. Exit 0 healthy,\n\
1 findings, 2 unreadable input.")]
pub struct DoctorArgs {
    /// A `reg export` of HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss (default: exported through interop).
    #[arg(long, value_name = "FILE")]
    registry: Option<PathBuf>,
    /// %LOCALAPPDATA% (default: LOCALAPPDATA, else asked from Windows through interop).
    #[arg(long, value_name = "DIR")]
    local_appdata: Option<PathBuf>,
    /// %ProgramData%, for machine-wide fragments (default: ProgramData, else C:\ProgramData).
    #[arg(long, value_name = "DIR")]
    program_data: Option<PathBuf>,
    /// Only these Terminal installs (repeatable; default: every one found).
    #[arg(long, value_enum, value_name = "CHANNEL")]
    channel: Vec<Channel>,
    /// Also a portable install: the folder holding WindowsTerminal.exe and .portable (repeatable).
    #[arg(long, value_name = "DIR")]
    portable: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Fix what is safe to fix: settings.json and state.json through the settings editor
    /// (backups, every comment kept), orphan fragments moved aside to a backup.
    #[arg(long)]
    fix: bool,
    /// With --fix: print the diffs, write nothing.
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// With --fix: fix even while Windows Terminal runs (it writes its files back).
    #[arg(long, requires = "fix")]
    force: bool,
}

pub fn run(args: DoctorArgs) -> Outcome {
    let registrations = match &args.registry {
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            parse_export(&bytes).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?
        }
        None => {
            let interop = Interop::detect().map_err(|e| {
                Failure::usage(format!(
                    "cannot read WSL's registrations: {e}; on Windows run `reg export {LXSS_KEY} lxss.reg` and pass --registry lxss.reg"
                ))
            })?;
            let bytes = interop.export_lxss().map_err(|e| {
                Failure::usage(format!(
                    "cannot export {LXSS_KEY}: {e}; pass --registry FILE"
                ))
            })?;
            parse_export(&bytes)
                .map_err(|e| Failure::usage(format!("reg export of {LXSS_KEY}: {e}")))?
        }
    };
    let mut folders = known_folders(args.local_appdata.as_deref());
    if let Some(dir) = &args.program_data {
        folders.program_data = Some(dir.clone());
    }
    if folders.local_app_data.is_none() {
        return Err(Failure::usage(local_app_data_hint()));
    }
    let targets = Targets {
        channels: args.channel.iter().map(|c| c.name()).collect(),
        portable: args.portable.clone(),
        ..Targets::default()
    };
    let installs: Vec<(String, PathBuf)> = targets
        .settings_dirs(&folders)
        .map_err(Failure::usage)?
        .into_iter()
        .filter(|(_, dir)| dir.is_dir())
        .collect();
    let machine = Machine::read(registrations, &installs, &folders);
    let report = diagnose(&machine);
    let mut out = std::io::stdout().lock();
    if !args.fix {
        print_report(&mut out, &report, args.json)?;
        return Ok(exit_code(&report));
    }
    if !args.force && !args.dry_run {
        match Interop::detect().and_then(|i| i.terminal_running()) {
            Ok(true) => {
                return Err(Failure::usage(
                    "Windows Terminal is running, and it writes settings.json and state.json back from memory: close every Terminal window (run this from another console), or pass --force",
                ));
            }
            Ok(false) => {}
            Err(e) => eprintln!(
                "wslconst: note: cannot tell whether Windows Terminal runs ({e}); close it before fixing"
            ),
        }
    }
    let fixes = plan(&report);
    let applied = apply(&fixes, args.dry_run).map_err(|e| Failure::usage(e.to_string()))?;
    for edit in &applied.edits {
        report_edit(&mut out, edit, args.dry_run)?;
    }
    for (path, backup) in &applied.retired {
        match backup {
            Some(backup) => writeln!(
                out,
                "{}: an orphan fragment, moved aside to {}",
                path.display(),
                backup.display()
            )?,
            None => writeln!(
                out,
                "{}: an orphan fragment; would be moved aside",
                path.display()
            )?,
        }
    }
    if args.dry_run {
        print_report(&mut out, &report, args.json)?;
        return Ok(exit_code(&report));
    }
    // What is left, read again from disk.
    let after = diagnose(&Machine::read(
        machine.registrations.clone(),
        &installs,
        &folders,
    ));
    writeln!(out)?;
    print_report(&mut out, &after, args.json)?;
    Ok(exit_code(&after))
}

fn exit_code(report: &Report) -> ExitCode {
    if report.healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_CHECK_FAILED)
    }
}

fn print_report(out: &mut impl Write, report: &Report, json: bool) -> std::io::Result<()> {
    if json {
        let mut doc = serde_json::to_value(report).expect("serializes");
        doc["healthy"] = report.healthy().into();
        return writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializes")
        );
    }
    for d in &report.distros {
        writeln!(out, "{}  {}", d.name, d.distribution_id)?;
        writeln!(
            out,
            "  tier1  {}  (Terminal's generated profile; WSL's fragment hides it)",
            d.tier1
        )?;
        writeln!(out, "  tier2  {}  (WSL's fragment)", d.tier2)?;
        for place in &d.appears {
            writeln!(out, "  in     {place}")?;
        }
        if d.findings.is_empty() {
            writeln!(out, "  ok")?;
        }
        for f in &d.findings {
            write_finding(out, f)?;
        }
        writeln!(out)?;
    }
    if !report.other.is_empty() {
        writeln!(out, "Not tied to a registered distro")?;
        for f in &report.other {
            write_finding(out, f)?;
        }
        writeln!(out)?;
    }
    let count = |level| report.findings().filter(|f| f.level == level).count();
    writeln!(
        out,
        "{} error(s), {} warning(s), {} note(s){}",
        count(Level::Error),
        count(Level::Warning),
        count(Level::Info),
        if report.healthy() { ": healthy" } else { "" }
    )
}

fn write_finding(out: &mut impl Write, f: &Finding) -> std::io::Result<()> {
    let level = match f.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    };
    writeln!(out, "  {level}[{}]: {}", f.rule, f.message)?;
    for p in &f.places {
        match p.line {
            Some(line) => writeln!(out, "    at {}:{line}", p.path.display())?,
            None => writeln!(out, "    at {}", p.path.display())?,
        }
    }
    writeln!(
        out,
        "    fix: {}{}",
        f.fix,
        if f.fixed_by_doctor() {
            "  (wslconst doctor --fix does this)"
        } else {
            ""
        }
    )
}
