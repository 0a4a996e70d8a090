//! `wslconst settings`: locate, merge and clean Windows Terminal's settings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use wslconst::upstream::WSL_GENERATOR_NAMESPACE;
use wslconst::{DistributionId, Guid, tier1, tier2};
use wslconst_model::diagnostic::Severity;
use wslconst_model::expected::{Distro, WSL_FRAGMENT_SOURCE, expected_profiles};
use wslconst_model::locations::{
    MACHINE_FRAGMENTS, TERMINAL_INSTALLS, USER_FRAGMENTS, WSL_FRAGMENTS,
};
use wslconst_model::settings::targets::{Targets, known_folders};
use wslconst_model::settings::{
    FileEdit, FileKind, Operation, ProfileEntry, ProfileMatch, edit_file,
};

use super::model::read_input;
use super::{EXIT_CHECK_FAILED, Failure, Outcome};

/// Locate, merge and clean Windows Terminal's settings.json and state.json.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    wslconst settings locate\n  \
    wslconst settings expected --distro NixOS='{fc3bf427-722c-4c2b-84bf-17202d2e3740}' --json\n  \
    wslconst settings upsert --distro NixOS --set colorScheme='\"One Half Dark\"' --dry-run\n  \
    wslconst settings upsert --profile nixos-profile.json --file settings.json\n  \
    wslconst settings upsert --distro NixOS --distribution-id ID --profile settings-only.json\n  \
    wslconst settings hide --distro NixOS\n  \
    wslconst settings remove --distribution-id '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'\n  \
    wslconst settings prune-state --distro NixOS\n\n\
    Without --file, every installed Terminal's file is edited: the packaged channels and the\n\
    unpackaged install under %LOCALAPPDATA% (inside WSL pass --local-appdata\n\
    /mnt/c/Users/NAME/AppData/Local), and portable installs named with --portable.\n\
    Only the edited entries change: comments, trailing commas, indentation and key order stay\n\
    byte for byte. Before a file changes its exact bytes go to FILE.YYYYMMDD-HHMMSS.bak (UTC);\n\
    the new file replaces it atomically. A second identical run changes nothing.\n\
    Exit codes: 0 done (or nothing to do), 1 something was left for you to do by hand or the\n\
    profile breaks Terminal's schema, 2 unreadable file or usage.")]
pub struct SettingsArgs {
    #[command(subcommand)]
    command: SettingsCommand,
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Where each kind of Terminal install keeps settings.json and state.json.
    Locate(LocateArgs),
    /// The profile GUIDs Terminal will expect for distros.
    Expected(ExpectedArgs),
    /// Add a profile, or update the keys given on the entry with its GUID.
    Upsert(UpsertArgs),
    /// Hide a profile (adds {"guid", "hidden": true} when it has no entry).
    Hide(HideArgs),
    /// Remove a distro's profiles from settings.json.
    Remove(RemoveArgs),
    /// Point defaultProfile at a profile.
    SetDefault(SetDefaultArgs),
    /// Drop GUIDs from state.json's generatedProfiles ("profile no longer detected").
    PruneState(PruneArgs),
}

/// Which files to edit, and how.
#[derive(Args)]
struct Target {
    /// Edit this file (repeatable) instead of finding the installed ones.
    #[arg(long, value_name = "PATH")]
    file: Vec<PathBuf>,
    /// Only these installs (repeatable; default: every one found).
    #[arg(long, value_enum, value_name = "CHANNEL")]
    channel: Vec<Channel>,
    /// Also a portable install: the folder holding WindowsTerminal.exe and .portable (repeatable).
    #[arg(long, value_name = "DIR")]
    portable: Vec<PathBuf>,
    /// %LOCALAPPDATA% (default: the LOCALAPPDATA environment variable).
    #[arg(long, value_name = "DIR")]
    local_appdata: Option<PathBuf>,
    /// Print a diff of what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Channel {
    Stable,
    Preview,
    Canary,
    Unpackaged,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Stable => "stable",
            Channel::Preview => "preview",
            Channel::Canary => "canary",
            Channel::Unpackaged => "unpackaged",
        }
    }
}

/// A distro, and its registry GUID when the Tier 2 profile is meant.
#[derive(Args)]
struct DistroChoice {
    /// The profile's GUID.
    #[arg(long, value_name = "GUID", value_parser = parse_guid, conflicts_with = "distro")]
    guid: Option<Guid>,
    /// The distro by name: its Tier 2 profile with --distribution-id, else Tier 1.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    distro: Option<String>,
    /// The distro's registry GUID (HKCU\...\Lxss\{id}), with --distro.
    #[arg(long, value_name = "ID", value_parser = parse_id, requires = "distro")]
    distribution_id: Option<DistributionId>,
}

impl DistroChoice {
    fn guid(&self) -> Result<Guid, Failure> {
        match (&self.guid, &self.distro) {
            (Some(guid), _) => Ok(*guid),
            (None, Some(name)) => Ok(match self.distribution_id {
                Some(id) => tier2(id).guid(),
                None => tier1(name).guid(),
            }),
            (None, None) => Err(Failure::usage("name the profile with --guid or --distro")),
        }
    }
}

#[derive(Args)]
struct LocateArgs {
    /// %LOCALAPPDATA% (default: the LOCALAPPDATA environment variable).
    #[arg(long, value_name = "DIR")]
    local_appdata: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ExpectedArgs {
    /// NAME, or NAME=ID with the distro's registry GUID (repeatable).
    #[arg(
        long,
        value_name = "NAME[=ID]",
        allow_hyphen_values = true,
        required = true
    )]
    distro: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct UpsertArgs {
    /// The profile as a JSON object (`-` reads stdin): its "guid" names it, or --guid/--distro.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    #[command(flatten)]
    which: DistroChoice,
    /// Set KEY to VALUE (repeatable). VALUE is JSON; text that is not JSON is a string.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Write even when the profile breaks Terminal's schema.
    #[arg(long)]
    skip_schema_check: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
struct HideArgs {
    /// The profile's GUID.
    #[arg(long, value_name = "GUID", value_parser = parse_guid, required_unless_present = "distro")]
    guid: Option<Guid>,
    /// Hide Terminal's own generated profile of this distro (Tier 1).
    #[arg(
        long,
        value_name = "NAME",
        allow_hyphen_values = true,
        conflicts_with = "guid"
    )]
    distro: Option<String>,
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
struct RemoveArgs {
    /// A profile GUID (repeatable).
    #[arg(long, value_name = "GUID", value_parser = parse_guid)]
    guid: Vec<Guid>,
    /// Profiles with this "name" (with --source).
    #[arg(
        long,
        value_name = "NAME",
        allow_hyphen_values = true,
        requires = "source"
    )]
    name: Option<String>,
    /// Profiles with this "source" (with --name), e.g. Microsoft.WSL.
    #[arg(
        long,
        value_name = "SOURCE",
        allow_hyphen_values = true,
        requires = "name"
    )]
    source: Option<String>,
    /// A distro's WSL profiles: its Tier 2 GUID, or a commandline with --distribution-id ID
    /// (repeatable).
    #[arg(long, value_name = "ID", value_parser = parse_id)]
    distribution_id: Vec<DistributionId>,
    /// A distro's profiles by name: its Tier 1 GUID, or its name with the source
    /// Windows.Terminal.Wsl or Microsoft.WSL (repeatable).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    distro: Vec<String>,
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
struct SetDefaultArgs {
    #[command(flatten)]
    which: DistroChoice,
    /// Only when defaultProfile names one of these GUIDs now (repeatable).
    #[arg(long, value_name = "GUID", value_parser = parse_guid)]
    only_if: Vec<Guid>,
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
struct PruneArgs {
    /// A GUID to drop (repeatable).
    #[arg(long, value_name = "GUID", value_parser = parse_guid)]
    guid: Vec<Guid>,
    /// A distro's Tier 1 GUID (repeatable).
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    distro: Vec<String>,
    /// A distro's Tier 2 GUID (repeatable).
    #[arg(long, value_name = "ID", value_parser = parse_id)]
    distribution_id: Vec<DistributionId>,
    #[command(flatten)]
    target: Target,
}

fn parse_guid(s: &str) -> Result<Guid, String> {
    Guid::parse(s).map_err(|e| format!("{s:?} is not a GUID: {e}"))
}

fn parse_id(s: &str) -> Result<DistributionId, String> {
    DistributionId::parse(s).map_err(|e| format!("{s:?} is not a distribution id: {e}"))
}

pub fn run(args: SettingsArgs) -> Outcome {
    match args.command {
        SettingsCommand::Locate(args) => run_locate(args),
        SettingsCommand::Expected(args) => run_expected(args),
        SettingsCommand::Upsert(args) => run_upsert(args),
        SettingsCommand::Hide(args) => {
            let guid = match (&args.guid, &args.distro) {
                (Some(guid), _) => *guid,
                (None, Some(name)) => tier1(name).guid(),
                (None, None) => unreachable!("clap requires one"),
            };
            apply(&args.target, FileKind::Settings, &[Operation::Hide(guid)])
        }
        SettingsCommand::Remove(args) => run_remove(args),
        SettingsCommand::SetDefault(args) => {
            let to = args.which.guid()?;
            let op = if args.only_if.is_empty() {
                Operation::SetDefault(to)
            } else {
                Operation::MoveDefault {
                    from: args.only_if,
                    to,
                }
            };
            apply(&args.target, FileKind::Settings, &[op])
        }
        SettingsCommand::PruneState(args) => {
            let mut guids = args.guid;
            guids.extend(args.distro.iter().map(|n| tier1(n).guid()));
            guids.extend(args.distribution_id.iter().map(|id| tier2(*id).guid()));
            if guids.is_empty() {
                return Err(Failure::usage(
                    "name what to drop with --guid, --distro or --distribution-id",
                ));
            }
            apply(
                &args.target,
                FileKind::State,
                &[Operation::PruneGenerated(guids)],
            )
        }
    }
}

#[derive(Serialize)]
struct Located {
    channel: &'static str,
    #[serde(rename = "packageFamilyName")]
    package_family_name: Option<&'static str>,
    settings: String,
    state: String,
    resolved: Option<PathBuf>,
    exists: bool,
}

fn run_locate(args: LocateArgs) -> Outcome {
    let folders = known_folders(args.local_appdata.as_deref());
    let installs: Vec<Located> = TERMINAL_INSTALLS
        .iter()
        .map(|install| {
            let resolved = install.settings_json().resolve(&folders);
            Located {
                channel: install.channel,
                package_family_name: install.package_family_name,
                settings: install.settings_json().to_string(),
                state: install.state_json().to_string(),
                exists: resolved.as_deref().is_some_and(Path::is_file),
                resolved,
            }
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        let doc = serde_json::json!({
            "installs": installs,
            "portable": {
                "marker": wslconst_model::locations::PORTABLE_MARKER,
                "settingsDir": wslconst_model::locations::PORTABLE_SETTINGS_DIR,
            },
            "fragments": {
                "user": USER_FRAGMENTS.to_string(),
                "machine": MACHINE_FRAGMENTS.to_string(),
                "wsl": WSL_FRAGMENTS.to_string(),
            },
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializes")
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for install in &installs {
        let state = match (&install.resolved, install.exists) {
            (Some(path), true) => format!("found: {}", path.display()),
            (Some(path), false) => format!("not installed ({} does not exist)", path.display()),
            (None, _) => "%LOCALAPPDATA% unknown: set LOCALAPPDATA or pass --local-appdata".into(),
        };
        writeln!(
            out,
            "{:<11} {}\n            {state}",
            install.channel, install.settings
        )?;
    }
    writeln!(
        out,
        "portable    <folder of WindowsTerminal.exe>\\{}\\settings.json, when {} is beside the exe",
        wslconst_model::locations::PORTABLE_SETTINGS_DIR,
        wslconst_model::locations::PORTABLE_MARKER
    )?;
    writeln!(out, "fragments   {USER_FRAGMENTS}\\<app>\\*.json")?;
    writeln!(out, "            {MACHINE_FRAGMENTS}\\<app>\\*.json")?;
    writeln!(out, "            WSL's own: {WSL_FRAGMENTS}")?;
    Ok(ExitCode::SUCCESS)
}

fn run_expected(args: ExpectedArgs) -> Outcome {
    let mut distros = Vec::new();
    for spec in &args.distro {
        let (name, id) = match spec.split_once('=') {
            Some((name, id)) => (
                name,
                Some(parse_id(id).map_err(|e| Failure::usage(format!("--distro {spec}: {e}")))?),
            ),
            None => (spec.as_str(), None),
        };
        if name.is_empty() {
            return Err(Failure::usage(format!(
                "--distro {spec:?}: the name is empty"
            )));
        }
        distros.push(Distro::new(name, id));
    }
    let expected = expected_profiles(&distros);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&expected).expect("serializes")
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &expected {
        writeln!(out, "{}", e.name)?;
        writeln!(
            out,
            "  profile  {}  (source {}; customize this one)",
            e.profile, e.source
        )?;
        writeln!(
            out,
            "  tier1    {}  (Terminal's generated profile, source {WSL_GENERATOR_NAMESPACE})",
            e.tier1
        )?;
        match (&e.tier2, &e.fragment) {
            (Some(tier2), Some(fragment)) => {
                writeln!(
                    out,
                    "  tier2    {tier2}  (WSL's fragment, source {WSL_FRAGMENT_SOURCE})"
                )?;
                writeln!(out, "  hidden   {}  (WSL's fragment hides Tier 1)", e.tier1)?;
                writeln!(out, "  fragment {fragment}")?;
            }
            _ => writeln!(
                out,
                "  tier2    unknown until imported: wslconst settings expected --distro {}=ID",
                e.name
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_upsert(args: UpsertArgs) -> Outcome {
    let mut entry = match &args.profile {
        Some(path) => {
            let bytes = read_input(path)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::usage(format!("{}: not UTF-8", path.display())))?;
            let named = if args.which.guid.is_some() || args.which.distro.is_some() {
                Some(args.which.guid()?)
            } else {
                None
            };
            ProfileEntry::from_json_text_for(&text, named)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?
        }
        None => ProfileEntry::new(args.which.guid()?),
    };
    for assignment in &args.set {
        let Some((key, value)) = assignment.split_once('=') else {
            return Err(Failure::usage(format!(
                "--set {assignment:?}: write KEY=VALUE, e.g. --set colorScheme=Campbell"
            )));
        };
        if key == "guid" {
            return Err(Failure::usage(
                "--set guid=...: the GUID names the entry; use --guid or --distro",
            ));
        }
        let value = serde_json::from_str(value)
            .unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
        entry = entry.with(key, value);
    }
    let diagnostics = entry.check();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    for d in &diagnostics {
        eprintln!("{}", d.render("profile"));
    }
    if errors > 0 && !args.skip_schema_check {
        eprintln!(
            "profile: {errors} error(s) against Terminal's schema; nothing was written (fix them, or pass --skip-schema-check)"
        );
        return Ok(ExitCode::from(EXIT_CHECK_FAILED));
    }
    apply(
        &args.target,
        FileKind::Settings,
        &[Operation::Upsert(entry)],
    )
}

fn run_remove(args: RemoveArgs) -> Outcome {
    let mut matches: Vec<ProfileMatch> = args.guid.into_iter().map(ProfileMatch::Guid).collect();
    if let (Some(name), Some(source)) = (args.name, args.source) {
        matches.push(ProfileMatch::NameAndSource { name, source });
    }
    for id in args.distribution_id {
        matches.push(ProfileMatch::Guid(tier2(id).guid()));
        matches.push(ProfileMatch::CommandlineDistributionId(id));
    }
    for name in args.distro {
        matches.push(ProfileMatch::Guid(tier1(&name).guid()));
        for source in [WSL_GENERATOR_NAMESPACE, WSL_FRAGMENT_SOURCE] {
            matches.push(ProfileMatch::NameAndSource {
                name: name.clone(),
                source: source.to_owned(),
            });
        }
    }
    if matches.is_empty() {
        return Err(Failure::usage(
            "name what to remove with --guid, --name and --source, --distribution-id or --distro",
        ));
    }
    apply(
        &args.target,
        FileKind::Settings,
        &[Operation::Remove(matches)],
    )
}

impl Target {
    /// Where the model looks for the files to edit.
    fn targets(&self) -> Targets {
        Targets {
            files: self.file.clone(),
            local_app_data: self.local_appdata.clone(),
            channels: self.channel.iter().map(|c| c.name()).collect(),
            portable: self.portable.clone(),
        }
    }
}

/// Edits every target file, reporting as it goes.
fn apply(target: &Target, kind: FileKind, operations: &[Operation]) -> Outcome {
    let files = target.targets().files(kind).map_err(Failure::usage)?;
    let mut left = 0;
    let mut out = std::io::stdout().lock();
    for path in files {
        let edit = edit_file(&path, kind, operations, target.dry_run)
            .map_err(|e| Failure::usage(e.to_string()))?;
        left += edit.outcome.left_to_user.len();
        report_edit(&mut out, &edit, target.dry_run)?;
    }
    Ok(if left > 0 {
        ExitCode::from(EXIT_CHECK_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn report_edit(out: &mut impl Write, edit: &FileEdit, dry_run: bool) -> std::io::Result<()> {
    let path = edit.path.display();
    for change in &edit.outcome.changes {
        writeln!(out, "{path}: {change}")?;
    }
    for note in &edit.outcome.notes {
        eprintln!("{path}: note: {note}");
    }
    for todo in &edit.outcome.left_to_user {
        eprintln!("{path}: left to you: {todo}");
    }
    if edit.outcome.is_unchanged() {
        writeln!(out, "{path}: nothing to change")?;
    } else if dry_run {
        write!(out, "{}", edit.diff())?;
        writeln!(out, "{path}: dry run, nothing written")?;
    } else if let Some(replaced) = &edit.replaced {
        writeln!(
            out,
            "{path}: written; the previous bytes are in {}",
            replaced.backup.display()
        )?;
    }
    Ok(())
}
