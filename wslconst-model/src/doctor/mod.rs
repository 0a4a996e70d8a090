//! Why Windows Terminal shows two profiles for a distro, none, or "profile
//! no longer detected": the machine's registrations, fragments,
//! `settings.json` and `state.json` read together, each problem named with
//! the files involved, a sentence that explains it and the command that
//! fixes it.
//!
//! What Terminal shows for a distro, from its source (microsoft/terminal at
//! the pinned revision; docs/UPSTREAM.md):
//! - WSL's fragment (`Fragments\Microsoft.WSL\{tier2}.json`) adds the Tier 2
//!   profile and hides Tier 1 with an `updates` entry;
//! - Terminal's own generator adds Tier 1, except for distros WSL marks
//!   `Modern` (`WslDistroGenerator.cpp`);
//! - a `settings.json` entry with the same GUID layers over either;
//! - a generated or fragment profile whose GUID `state.json` lists in
//!   `generatedProfiles` but which has no `settings.json` entry was deleted
//!   by the user, so Terminal hides it (`SettingsLoader::DisableDeletedProfiles`).

pub mod fix;
pub mod registry;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use wslconst::upstream::WSL_GENERATOR_NAMESPACE;
use wslconst::{DistributionId, Guid, ProfileGuid, tier1, tier2};

use crate::expected::WSL_FRAGMENT_SOURCE;
use crate::locations::{KnownFolders, MACHINE_FRAGMENTS, USER_FRAGMENTS};
use crate::settings::{
    FileKind, Operation, ProfileEntry, ProfileMatch, commandline_distribution_id,
};
use registry::Registration;

/// The profiles Terminal ships in `defaults.json`: Windows PowerShell,
/// Command Prompt (`src/cascadia/TerminalSettingsModel/defaults.json:39`,
/// `:58`); a `defaultProfile` naming one of them is fine.
const BUILTIN_PROFILES: [&str; 2] = [
    "{61c54bbd-c2c6-5271-96e7-009a87ff44bf}",
    "{0caa0dad-35be-5f56-a8ff-afceeeaa6101}",
];

/// Keys a settings entry holds without customizing anything: Terminal
/// writes them for every generated profile it sees.
const PLAIN_KEYS: [&str; 4] = ["guid", "hidden", "name", "source"];

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Harmless now; worth cleaning.
    Info,
    /// Clutter that misleads, or a risk for later.
    Warning,
    /// What the user sees is wrong.
    Error,
}

/// A file and, when it helps, the line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// One change `--fix` makes for a finding.
#[derive(Clone, Debug)]
pub enum Repair {
    /// An operation of the settings editor on a settings.json or state.json.
    Edit(PathBuf, FileKind, Operation),
    /// An orphan fragment moved aside to a backup.
    Retire(PathBuf),
}

/// One problem.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// A stable id: `orphan-fragment`, `duplicate-profile`, ...
    pub rule: &'static str,
    /// How much it matters.
    pub level: Level,
    /// The registered distro it concerns, when one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distro: Option<String>,
    /// The files involved.
    pub places: Vec<Place>,
    /// One sentence.
    pub message: String,
    /// The command that fixes it.
    pub fix: String,
    /// What `doctor --fix` changes for it; none when the fix is left to
    /// the user (the JSON says `"fixedByDoctor"`).
    #[serde(rename = "fixedByDoctor", serialize_with = "any_repair")]
    pub repairs: Vec<Repair>,
}

/// A settings.json or state.json, read.
#[derive(Clone, Debug)]
pub struct SettingsFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its value (comments dropped), or why it could not be read.
    pub value: Result<Value, String>,
}

/// One Terminal install's files.
#[derive(Clone, Debug)]
pub struct Install {
    /// `stable`, `preview`, ..., or the portable folder.
    pub label: String,
    /// Its settings.json, when it exists.
    pub settings: Option<SettingsFile>,
    /// Its state.json, when it exists.
    pub state: Option<SettingsFile>,
}

/// One profile of a fragment file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FragmentProfile {
    /// `guid`.
    pub guid: Option<Guid>,
    /// `updates`: the GUID it modifies.
    pub updates: Option<Guid>,
    /// `name`.
    pub name: Option<String>,
    /// `commandline`.
    pub commandline: Option<String>,
    /// `hidden`.
    pub hidden: Option<bool>,
}

/// A fragment file.
#[derive(Clone, Debug)]
pub struct FragmentFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its folder's name: the fragment's `source` (`Microsoft.WSL` for WSL's).
    pub app: String,
    /// Its profiles.
    pub profiles: Vec<FragmentProfile>,
}

/// Everything the doctor reads.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    /// WSL's registered distros.
    pub registrations: Vec<Registration>,
    /// Every Terminal install found.
    pub installs: Vec<Install>,
    /// Every fragment file, per user and machine-wide.
    pub fragments: Vec<FragmentFile>,
}

impl Machine {
    /// Reads the Terminal files of `installs` (settings folders by label)
    /// and the fragment folders of `folders`.
    pub fn read(
        registrations: Vec<Registration>,
        installs: &[(String, PathBuf)],
        folders: &KnownFolders,
    ) -> Machine {
        let read = |path: PathBuf| -> Option<SettingsFile> {
            let bytes = std::fs::read(&path).ok()?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let value = crate::settings::read_value(&text).map_err(|e| e.to_string());
            Some(SettingsFile { path, text, value })
        };
        let installs = installs
            .iter()
            .map(|(label, dir)| Install {
                label: label.clone(),
                settings: read(dir.join("settings.json")),
                state: read(dir.join("state.json")),
            })
            .collect();
        let mut fragments = Vec::new();
        for root in [USER_FRAGMENTS, MACHINE_FRAGMENTS]
            .iter()
            .filter_map(|p| p.resolve(folders))
        {
            let Ok(apps) = std::fs::read_dir(&root) else {
                continue;
            };
            let mut apps: Vec<PathBuf> = apps.flatten().map(|e| e.path()).collect();
            apps.sort();
            for app_dir in apps.into_iter().filter(|p| p.is_dir()) {
                let app = app_dir
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let Ok(files) = std::fs::read_dir(&app_dir) else {
                    continue;
                };
                let mut files: Vec<PathBuf> = files
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                    })
                    .collect();
                files.sort();
                for path in files {
                    let text = std::fs::read(&path)
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default();
                    let value = crate::settings::read_value(&text).ok();
                    fragments.push(FragmentFile {
                        path,
                        app: app.clone(),
                        profiles: value.as_ref().map(fragment_profiles).unwrap_or_default(),
                    });
                }
            }
        }
        Machine {
            registrations,
            installs,
            fragments,
        }
    }
}

fn fragment_profiles(value: &Value) -> Vec<FragmentProfile> {
    value["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| FragmentProfile {
            guid: guid_of(&p["guid"]),
            updates: guid_of(&p["updates"]),
            name: p["name"].as_str().map(str::to_owned),
            commandline: p["commandline"].as_str().map(str::to_owned),
            hidden: p["hidden"].as_bool(),
        })
        .collect()
}

fn guid_of(v: &Value) -> Option<Guid> {
    v.as_str().and_then(|s| Guid::parse(s).ok())
}

/// One entry of a settings.json profile list, as Terminal reads it.
#[derive(Clone, Debug)]
struct Entry {
    guid: Guid,
    name: Option<String>,
    source: Option<String>,
    hidden: Option<bool>,
    /// Keys beyond [`PLAIN_KEYS`], with their values.
    custom: BTreeMap<String, Value>,
    commandline_id: Option<Guid>,
    line: Option<usize>,
}

fn entries(file: &SettingsFile) -> Vec<Entry> {
    let Ok(value) = &file.value else {
        return Vec::new();
    };
    let list = match &value["profiles"] {
        Value::Array(list) => list,
        Value::Object(o) => match o.get("list") {
            Some(Value::Array(list)) => list,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    list.iter()
        .filter_map(|p| {
            let object = p.as_object()?;
            let guid = guid_of(&p["guid"])?;
            Some(Entry {
                guid,
                name: p["name"].as_str().map(str::to_owned),
                source: p["source"].as_str().map(str::to_owned),
                hidden: p["hidden"].as_bool(),
                custom: object
                    .iter()
                    .filter(|(k, _)| !PLAIN_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                commandline_id: p["commandline"]
                    .as_str()
                    .and_then(commandline_distribution_id),
                line: line_of(&file.text, &guid),
            })
        })
        .collect()
}

/// The line of a profile entry's `"guid"`, else the first line naming
/// `guid` (in any case, braces or not).
fn line_of(text: &str, guid: &Guid) -> Option<usize> {
    let needle = guid.to_string()[1..37].to_ascii_lowercase();
    let naming = |l: &&str| l.to_ascii_lowercase().contains(&needle);
    let lines: Vec<&str> = text.lines().collect();
    lines
        .iter()
        .position(|l| naming(l) && l.contains("\"guid\""))
        .or_else(|| lines.iter().position(naming))
        .map(|i| i + 1)
}

fn default_profile(file: &SettingsFile) -> Option<Guid> {
    file.value
        .as_ref()
        .ok()
        .and_then(|v| guid_of(&v["defaultProfile"]))
}

fn generated(file: &SettingsFile) -> Vec<Guid> {
    let Ok(value) = &file.value else {
        return Vec::new();
    };
    value["generatedProfiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(guid_of)
        .collect()
}

fn place(path: &Path, line: Option<usize>) -> Place {
    Place {
        path: path.to_owned(),
        line,
    }
}

/// What the doctor found, by distro.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Each registered distro.
    pub distros: Vec<DistroReport>,
    /// Findings not tied to a registered distro.
    pub other: Vec<Finding>,
}

/// One registered distro.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DistroReport {
    /// Its name.
    pub name: String,
    /// Its distribution id.
    pub distribution_id: String,
    /// Its Tier 1 GUID.
    pub tier1: String,
    /// Its Tier 2 GUID.
    pub tier2: String,
    /// Where each appears: `fragment: PATH`, `settings.json: PATH:LINE`, ...
    pub appears: Vec<String>,
    /// Its findings.
    pub findings: Vec<Finding>,
}

fn any_repair<S: serde::Serializer>(repairs: &[Repair], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(!repairs.is_empty())
}

impl Finding {
    /// Whether `doctor --fix` fixes it.
    pub fn fixed_by_doctor(&self) -> bool {
        !self.repairs.is_empty()
    }
}

impl Report {
    /// Every finding.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.distros
            .iter()
            .flat_map(|d| &d.findings)
            .chain(&self.other)
    }

    /// Whether anything but information was found.
    pub fn healthy(&self) -> bool {
        self.findings().all(|f| f.level == Level::Info)
    }
}

/// What a registered distro looks like to Terminal.
struct Distro<'a> {
    reg: &'a Registration,
    tier1: ProfileGuid,
    tier2: ProfileGuid,
    fragment: Option<&'a FragmentFile>,
}

/// Everything the rules need, computed once.
struct View<'a> {
    machine: &'a Machine,
    distros: Vec<Distro<'a>>,
    /// WSL fragment files no registered distro owns.
    orphan_fragments: Vec<&'a FragmentFile>,
}

impl<'a> View<'a> {
    fn new(machine: &'a Machine) -> View<'a> {
        let wsl: Vec<&FragmentFile> = machine
            .fragments
            .iter()
            .filter(|f| f.app == WSL_FRAGMENT_SOURCE)
            .collect();
        let distros: Vec<Distro> = machine
            .registrations
            .iter()
            .map(|reg| {
                let tier2 = tier2(reg.id);
                Distro {
                    reg,
                    tier1: tier1(&reg.name),
                    tier2,
                    fragment: wsl.iter().copied().find(|f| owns(f, reg.id, tier2)),
                }
            })
            .collect();
        let orphan_fragments = wsl
            .into_iter()
            .filter(|f| {
                !machine
                    .registrations
                    .iter()
                    .any(|r| owns(f, r.id, tier2(r.id)))
            })
            .collect();
        View {
            machine,
            distros,
            orphan_fragments,
        }
    }

    /// Whether Terminal's own generator makes the distro's Tier 1 profile.
    fn generated_tier1(d: &Distro) -> bool {
        !d.reg.modern
            && !["docker-desktop", "rancher-desktop"]
                .iter()
                .any(|p| d.reg.name.starts_with(p))
    }

    /// Whether Terminal shows the distro's Tier 1 and its Tier 2 profile,
    /// given an install's settings entries: an entry's `hidden` wins; without
    /// one, the generator makes Tier 1 unless the fragment's `updates` entry
    /// hides it, and the fragment makes Tier 2.
    fn shown_tiers(d: &Distro, list: &[Entry]) -> (bool, bool) {
        let hidden = |g: ProfileGuid| {
            list.iter()
                .rfind(|e| e.guid == g.guid())
                .and_then(|e| e.hidden)
        };
        let hidden_by_fragment = d.fragment.is_some_and(|f| {
            f.profiles
                .iter()
                .any(|p| p.updates == Some(d.tier1.guid()) && p.hidden == Some(true))
        });
        let tier1 = match hidden(d.tier1) {
            Some(hidden) => !hidden && (Self::generated_tier1(d) || d.fragment.is_some()),
            None => Self::generated_tier1(d) && !hidden_by_fragment,
        };
        let tier2 = d.fragment.is_some() && hidden(d.tier2) != Some(true);
        (tier1, tier2)
    }

    /// The GUID of a profile Terminal shows for the distro, if any.
    fn shown(d: &Distro) -> Option<ProfileGuid> {
        if d.fragment.is_some() {
            Some(d.tier2)
        } else if Self::generated_tier1(d) {
            Some(d.tier1)
        } else {
            None
        }
    }

    /// The distro registered under `name`, when exactly one is.
    fn by_name(&self, name: &str) -> Option<&Distro<'a>> {
        let mut found = self.distros.iter().filter(|d| d.reg.name == name);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Whether a GUID is a WSL profile no registered distro has: a Tier 2
    /// of an orphan fragment, an entry from WSL's fragments or Terminal's
    /// WSL generator, or an entry launching a distribution id no longer
    /// registered.
    fn dead_wsl_guid(&self, guid: Guid, entries: &[Entry]) -> bool {
        let live = self
            .distros
            .iter()
            .any(|d| d.tier1.guid() == guid || d.tier2.guid() == guid);
        if live {
            return false;
        }
        self.orphan_fragments
            .iter()
            .any(|f| f.profiles.iter().any(|p| p.guid == Some(guid)))
            || entries.iter().any(|e| {
                e.guid == guid
                    && (matches!(e.source.as_deref(), Some(s) if s == WSL_FRAGMENT_SOURCE || s == WSL_GENERATOR_NAMESPACE)
                        || e.commandline_id.is_some_and(|id| {
                            !self.distros.iter().any(|d| d.reg.id.guid() == id)
                        }))
            })
    }
}

/// Whether settings entry `e` holds customization the profile Terminal shows
/// for `d` lost: on its Tier 1 while its fragment's Tier 2 is shown, or on
/// the Tier 2 of an earlier import of the same name.
fn stranded(view: &View, d: &Distro, e: &Entry, list: &[Entry]) -> bool {
    let shown = list.iter().rfind(|x| x.guid == d.tier2.guid());
    // Once every key is on the shown profile's entry (moved, or set there
    // anew), nothing is lost any more.
    let missing = e
        .custom
        .keys()
        .any(|k| !shown.is_some_and(|x| x.custom.contains_key(k)));
    d.fragment.is_some()
        && missing
        && (e.guid == d.tier1.guid()
            || (e.source.as_deref() == Some(WSL_FRAGMENT_SOURCE)
                && e.name.as_deref() == Some(d.reg.name.as_str())
                && view.dead_wsl_guid(e.guid, list)))
}

/// Whether a WSL fragment file is the one of distribution `id`: named by
/// its Tier 2 GUID, or holding it, or launching the id.
fn owns(f: &FragmentFile, id: DistributionId, tier2: ProfileGuid) -> bool {
    let stem = f.path.file_stem().map(|s| s.to_string_lossy().into_owned());
    stem.and_then(|s| Guid::parse(&s).ok()) == Some(tier2.guid())
        || f.profiles.iter().any(|p| {
            p.guid == Some(tier2.guid())
                || p.commandline
                    .as_deref()
                    .and_then(commandline_distribution_id)
                    == Some(id.guid())
        })
}

/// Reads the machine and names every problem.
pub fn diagnose(machine: &Machine) -> Report {
    let view = View::new(machine);
    let mut distros: Vec<DistroReport> = view
        .distros
        .iter()
        .map(|d| DistroReport {
            name: d.reg.name.clone(),
            distribution_id: d.reg.id.to_string(),
            tier1: d.tier1.to_string(),
            tier2: d.tier2.to_string(),
            appears: Vec::new(),
            findings: Vec::new(),
        })
        .collect();
    let mut other = Vec::new();

    for (i, d) in view.distros.iter().enumerate() {
        let report = &mut distros[i];
        if let Some(f) = d.fragment {
            report
                .appears
                .push(format!("fragment {}", f.path.display()));
            check_fragment(d, f, &mut report.findings);
        } else if d.reg.modern {
            report.findings.push(Finding {
                rule: "missing-fragment",
                level: Level::Error,
                distro: Some(d.reg.name.clone()),
                places: Vec::new(),
                message: format!(
                    "{} is registered but WSL's Terminal fragment for it ({}.json) is missing, and Terminal's own generator skips distros WSL imported, so Terminal shows no profile for it",
                    d.reg.name, d.tier2
                ),
                fix: format!(
                    "wslconst fragment --name {} --distribution-id '{}' -o <Fragments\\Microsoft.WSL\\{}.json> (add --template with the distro's profile template, if it ships one)",
                    shell_word(&d.reg.name),
                    d.reg.id,
                    d.tier2
                ),
                repairs: Vec::new(),
            });
        }
    }

    for install in &machine.installs {
        let Some(settings) = &install.settings else {
            continue;
        };
        let list = entries(settings);
        let state = install.state.as_ref();
        let generated = state.map(generated).unwrap_or_default();
        for (i, d) in view.distros.iter().enumerate() {
            let report = &mut distros[i];
            for e in list
                .iter()
                .filter(|e| e.guid == d.tier1.guid() || e.guid == d.tier2.guid())
            {
                let tier = if e.guid == d.tier1.guid() {
                    "Tier 1"
                } else {
                    "Tier 2"
                };
                report.appears.push(format!(
                    "{tier} entry in {}:{}",
                    settings.path.display(),
                    e.line.unwrap_or(0)
                ));
            }
            check_distro_settings(
                &view,
                d,
                settings,
                state,
                &list,
                &generated,
                &mut report.findings,
            );
        }
        check_install(&view, settings, state, &list, &generated, &mut other);
    }

    if !machine.installs.iter().any(|i| i.settings.is_some()) {
        other.push(Finding {
            rule: "no-terminal-settings",
            level: Level::Warning,
            distro: None,
            places: Vec::new(),
            message: "no Windows Terminal settings.json was found, so nothing of what Terminal shows could be checked: Terminal never ran for this user, or %LOCALAPPDATA% is elsewhere".to_owned(),
            fix: "start Windows Terminal once, or pass --local-appdata /mnt/c/Users/NAME/AppData/Local (or --portable DIR)".to_owned(),
            repairs: Vec::new(),
        });
    }
    for f in &view.orphan_fragments {
        let name = f.profiles.iter().find_map(|p| p.name.clone());
        other.push(Finding {
            rule: "orphan-fragment",
            level: Level::Warning,
            distro: None,
            places: vec![place(&f.path, None)],
            message: format!(
                "WSL's fragment for {} belongs to no registered distro (an unregister or a reimport left it behind); Terminal still shows its profile, which opens nothing",
                name.map_or("an unknown distro".to_owned(), |n| format!("{n:?}"))
            ),
            fix: format!("rm {}", shell_word(&f.path.display().to_string())),
            repairs: vec![Repair::Retire(f.path.clone())],
        });
    }
    Report { distros, other }
}

fn check_fragment(d: &Distro, f: &FragmentFile, out: &mut Vec<Finding>) {
    let suffix = format!(
        "\\{} {} {}",
        wslconst::upstream::WSL_BINARY_NAME,
        wslconst::upstream::WSL_DISTRIBUTION_ID_ARG,
        d.reg.id
    )
    .to_ascii_lowercase();
    let mut wrong = Vec::new();
    for p in &f.profiles {
        if let Some(updates) = p.updates {
            if updates != d.tier1.guid() && p.guid.is_none() {
                wrong.push(format!(
                    "its hide entry updates {updates}, not Tier 1 {}",
                    d.tier1
                ));
            }
            continue;
        }
        if p.guid != Some(d.tier2.guid()) {
            wrong.push(format!(
                "a profile has guid {}, not Tier 2 {}",
                p.guid.map_or("(none)".into(), |g| g.to_string()),
                d.tier2
            ));
        }
        if !p
            .commandline
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().ends_with(&suffix))
        {
            wrong.push(format!(
                "a profile's commandline is {:?}, not ...{suffix}",
                p.commandline.as_deref().unwrap_or("")
            ));
        }
    }
    if !wrong.is_empty() {
        out.push(Finding {
            rule: "fragment-mismatch",
            level: Level::Error,
            distro: Some(d.reg.name.clone()),
            places: vec![place(&f.path, None)],
            message: format!("the fragment is not what WSL writes for {}: {}", d.reg.name, wrong.join("; ")),
            fix: format!(
                "wslconst fragment --name {} --distribution-id '{}' -o {} (add --template with the distro's template, if it ships one)",
                shell_word(&d.reg.name),
                d.reg.id,
                shell_word(&f.path.display().to_string())
            ),
            repairs: Vec::new(),
        });
    }
}

/// The findings of one distro in one install.
fn check_distro_settings(
    view: &View,
    d: &Distro,
    settings: &SettingsFile,
    state: Option<&SettingsFile>,
    list: &[Entry],
    generated: &[Guid],
    out: &mut Vec<Finding>,
) {
    let entry = |g: ProfileGuid| list.iter().rfind(|e| e.guid == g.guid());
    let edit = |op| Repair::Edit(settings.path.clone(), FileKind::Settings, op);
    let tier1_entry = entry(d.tier1);
    let (tier1_shown, tier2_shown) = View::shown_tiers(d, list);
    if tier1_shown && tier2_shown {
        out.push(Finding {
            rule: "duplicate-profile",
            level: Level::Error,
            distro: Some(d.reg.name.clone()),
            places: vec![place(&settings.path, tier1_entry.and_then(|e| e.line))],
            message: format!(
                "Terminal shows {} twice: its own generated profile (Tier 1, {}) is not hidden, beside WSL's (Tier 2, {})",
                d.reg.name, d.tier1, d.tier2
            ),
            fix: format!(
                "wslconst settings hide --guid '{}' --file {}",
                d.tier1,
                shell_word(&settings.path.display().to_string())
            ),
            repairs: vec![edit(Operation::Hide(d.tier1.guid()))],
        });
    }
    // Customization on a GUID Terminal no longer shows for this distro: its
    // Tier 1 while the fragment's Tier 2 is shown, or the Tier 2 of an
    // earlier import of the same name.
    if d.fragment.is_some() {
        let tier2_entry = entry(d.tier2);
        let old = list.iter().filter(|e| stranded(view, d, e, list));
        for e in old {
            let keys: Vec<&str> = e.custom.keys().map(String::as_str).collect();
            // The keys the shown profile's entry lacks are copied; one it
            // sets to something else is the user's to merge.
            let mut profile = ProfileEntry::new(d.tier2.guid());
            let mut clash = Vec::new();
            for (key, value) in &e.custom {
                match tier2_entry.and_then(|t| t.custom.get(key)) {
                    Some(existing) if existing != value => clash.push(key.as_str()),
                    Some(_) => {}
                    None => profile = profile.with(key, value.clone()),
                }
            }
            out.push(Finding {
                rule: "customization-on-old-guid",
                level: Level::Error,
                distro: Some(d.reg.name.clone()),
                places: vec![place(&settings.path, e.line)],
                message: format!(
                    "{} set on {} no longer applies: Terminal shows {} as {} (Tier 2, from WSL's fragment)",
                    keys.join(", "),
                    e.guid,
                    d.reg.name,
                    d.tier2
                ),
                fix: format!(
                    "{}copy {} to an entry with \"guid\": \"{}\" and hide {} (`wslconst settings upsert --guid '{}' --set KEY=VALUE ...`, then `wslconst settings hide --guid '{}'`)",
                    if clash.is_empty() {
                        String::new()
                    } else {
                        format!("{} differ between the two entries, merge them by hand: ", clash.join(", "))
                    },
                    keys.join(", "),
                    d.tier2,
                    e.guid,
                    d.tier2,
                    e.guid
                ),
                repairs: if clash.is_empty() {
                    vec![edit(Operation::Upsert(profile)), edit(Operation::Hide(e.guid))]
                } else {
                    Vec::new()
                },
            });
        }
    }
    if let (Some(state), Some(shown)) = (state, View::shown(d))
        && generated.contains(&shown.guid())
        && entry(shown).is_none()
    {
        out.push(Finding {
            rule: "hidden-as-deleted",
            level: Level::Error,
            distro: Some(d.reg.name.clone()),
            places: vec![place(&state.path, line_of(&state.text, &shown.guid()))],
            message: format!(
                "Terminal hides {} ({shown}) as deleted by the user: state.json lists it as seen, and settings.json has no entry for it (someone removed it)",
                d.reg.name
            ),
            fix: format!(
                "with Terminal closed: wslconst settings prune-state --guid '{shown}' --file {}",
                shell_word(&state.path.display().to_string())
            ),
            repairs: vec![Repair::Edit(
                state.path.clone(),
                FileKind::State,
                Operation::PruneGenerated(vec![shown.guid()]),
            )],
        });
    }
}

/// The findings of one install that are not one distro's.
fn check_install(
    view: &View,
    settings: &SettingsFile,
    state: Option<&SettingsFile>,
    list: &[Entry],
    generated: &[Guid],
    out: &mut Vec<Finding>,
) {
    let file = shell_word(&settings.path.display().to_string());
    for e in list.iter().filter(|e| view.dead_wsl_guid(e.guid, list)) {
        // Customization a reimport stranded is the distro's finding.
        let migrated = !e.custom.is_empty()
            && e.name
                .as_deref()
                .and_then(|n| view.by_name(n))
                .is_some_and(|d| d.fragment.is_some());
        if migrated {
            continue;
        }
        out.push(Finding {
            rule: "orphan-settings-entry",
            level: Level::Warning,
            distro: None,
            places: vec![place(&settings.path, e.line)],
            message: format!(
                "the entry for {} ({}) matches no registered distro; Terminal ignores it{}",
                e.name.as_deref().unwrap_or("a WSL profile"),
                e.guid,
                if e.custom.is_empty() {
                    ""
                } else {
                    ", with the settings it holds"
                }
            ),
            fix: format!("wslconst settings remove --guid '{}' --file {file}", e.guid),
            // Without settings of the user's in it, removing it loses nothing.
            repairs: if e.custom.is_empty() {
                vec![Repair::Edit(
                    settings.path.clone(),
                    FileKind::Settings,
                    Operation::Remove(vec![ProfileMatch::Guid(e.guid)]),
                )]
            } else {
                Vec::new()
            },
        });
    }
    if let Some(default) = default_profile(settings) {
        let known = profile_exists(view, default, list, generated);
        if !known {
            let replacement = replacement_for(view, default, list);
            out.push(Finding {
                rule: "default-profile-missing",
                level: Level::Error,
                distro: replacement.map(|d| d.reg.name.clone()),
                places: vec![place(&settings.path, line_of(&settings.text, &default))],
                message: format!(
                    "defaultProfile names {default}, which no profile has, so Terminal opens its first profile instead{}",
                    replacement.map_or(String::new(), |d| format!(
                        "; it was {}'s before a reimport",
                        d.reg.name
                    ))
                ),
                fix: match replacement.and_then(View::shown) {
                    Some(g) => format!("wslconst settings set-default --guid '{g}' --file {file}"),
                    None => format!("wslconst settings set-default --guid GUID --file {file} (the profile you want)"),
                },
                repairs: replacement
                    .and_then(View::shown)
                    .map(|to| {
                        Repair::Edit(
                            settings.path.clone(),
                            FileKind::Settings,
                            Operation::MoveDefault {
                                from: vec![default],
                                to: to.guid(),
                            },
                        )
                    })
                    .into_iter()
                    .collect(),
            });
        }
    }
    if let Some(state) = state {
        let stale: Vec<Guid> = generated
            .iter()
            .copied()
            .filter(|g| view.dead_wsl_guid(*g, list))
            .collect();
        if !stale.is_empty() {
            let shown: Vec<String> = stale.iter().map(Guid::to_string).collect();
            out.push(Finding {
                rule: "stale-generated",
                level: Level::Info,
                distro: None,
                places: vec![place(&state.path, None)],
                message: format!(
                    "state.json remembers WSL profiles of distros that are gone ({}); harmless, but a remembered Tier 1 GUID would hide a future distro of that name whose entry is missing",
                    shown.join(", ")
                ),
                fix: format!(
                    "with Terminal closed: wslconst settings prune-state {} --file {}",
                    shown.iter().map(|g| format!("--guid '{g}'")).collect::<Vec<_>>().join(" "),
                    shell_word(&state.path.display().to_string())
                ),
                repairs: vec![Repair::Edit(
                    state.path.clone(),
                    FileKind::State,
                    Operation::PruneGenerated(stale),
                )],
            });
        }
    }
}

/// Whether Terminal has a profile with `guid`: a user profile of
/// settings.json (no `source`, or a source Terminal still provides), a
/// live fragment's, a registered distro's generated Tier 1, a built-in
/// one, or another generator's it has seen.
fn profile_exists(view: &View, guid: Guid, list: &[Entry], generated: &[Guid]) -> bool {
    if view.dead_wsl_guid(guid, list) {
        return false;
    }
    BUILTIN_PROFILES
        .iter()
        .any(|b| Guid::parse(b).ok() == Some(guid))
        || list.iter().any(|e| e.guid == guid)
        || view
            .machine
            .fragments
            .iter()
            .any(|f| f.profiles.iter().any(|p| p.guid == Some(guid)))
        || view
            .distros
            .iter()
            .any(|d| View::shown(d).is_some_and(|g| g.guid() == guid))
        || generated.contains(&guid)
}

/// The registered distro a dead WSL GUID belonged to, by the name its old
/// fragment or settings entry gives, when exactly one distro has that name.
fn replacement_for<'v>(view: &'v View, guid: Guid, list: &[Entry]) -> Option<&'v Distro<'v>> {
    let from_fragment = view
        .orphan_fragments
        .iter()
        .flat_map(|f| &f.profiles)
        .find(|p| p.guid == Some(guid))
        .and_then(|p| p.name.clone());
    let from_entry = list
        .iter()
        .find(|e| e.guid == guid)
        .and_then(|e| e.name.clone());
    view.by_name(&from_fragment.or(from_entry)?)
}

/// `s` as one shell word.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/:{}=@%+,".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
