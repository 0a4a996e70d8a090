//! Editing Windows Terminal's `settings.json` and `state.json` without losing
//! a byte of the user's.
//!
//! Users keep `settings.json` by hand: comments, trailing commas, their own
//! indentation and key order. Edits here go through a concrete syntax tree
//! ([`jsonc_parser::cst`]), so only the edited node changes; every other byte,
//! comments included, stays where it was. Before an edit is accepted the
//! result must parse and hold every comment the original held, but those a
//! removed profile takes with it (inside it, or on its own first or last
//! line; each is listed in the change); a comment that could belong to a
//! neighbour leaves the profile to the user, and a profile is never
//! overwritten where a comment sits, with an instruction instead.
//!
//! ```
//! use wslconst_model::settings::{edit, FileKind, Operation, ProfileEntry};
//! use wslconst::tier1;
//!
//! let before = "{\n    // mine\n    \"profiles\": { \"list\": [] },\n}\n";
//! let profile = ProfileEntry::new(tier1("NixOS").guid())
//!     .with("colorScheme", serde_json::json!("One Half Dark"));
//! let outcome = edit(FileKind::Settings, before, &[Operation::Upsert(profile)])?;
//! assert!(outcome.text.starts_with("{\n    // mine\n"));
//! assert!(outcome.text.contains("\"colorScheme\": \"One Half Dark\""));
//!
//! // The same operation again changes nothing.
//! let again = edit(FileKind::Settings, &outcome.text, &[Operation::Upsert(
//!     ProfileEntry::new(tier1("NixOS").guid()).with("colorScheme", serde_json::json!("One Half Dark")),
//! )])?;
//! assert!(again.is_unchanged());
//! # Ok::<(), wslconst_model::settings::SettingsError>(())
//! ```

mod document;
mod entry;
mod file;
pub mod targets;
pub mod terminal_reader;
pub mod vectors;

use std::fmt;

use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject};

use wslconst::{DistributionId, Guid};

use document::{
    Document, describe_profile, holds_comment, keep_one_line, owned_comments, string_value,
    unique_member,
};
pub use document::{parse_options, read_value};
pub use entry::ProfileEntry;
pub use file::{FileEdit, FileEditError, edit_file, unified_diff};

/// Which of Terminal's two files is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `settings.json`: the user's settings, JSON with comments.
    Settings,
    /// `state.json`: Terminal's own state (`generatedProfiles` among it).
    State,
}

impl FileKind {
    /// The file's name.
    pub const fn file_name(self) -> &'static str {
        match self {
            FileKind::Settings => "settings.json",
            FileKind::State => "state.json",
        }
    }
}

/// How a profile to remove is recognized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileMatch {
    /// Its `"guid"` (any case, with or without braces).
    Guid(Guid),
    /// Its `"name"` and `"source"`, both exactly.
    NameAndSource {
        /// `"name"`.
        name: String,
        /// `"source"`, e.g. `Microsoft.WSL` or `Windows.Terminal.Wsl`.
        source: String,
    },
    /// A `"commandline"` that starts the distro by id
    /// (`wsl.exe --distribution-id {id}`), as WSL's fragment writes it.
    CommandlineDistributionId(DistributionId),
}

impl ProfileMatch {
    fn matches(&self, profile: &CstObject) -> bool {
        match self {
            ProfileMatch::Guid(guid) => profile_guid(profile) == Some(*guid),
            ProfileMatch::NameAndSource { name, source } => {
                string_value(profile, "name").as_deref() == Some(name.as_str())
                    && string_value(profile, "source").as_deref() == Some(source.as_str())
            }
            ProfileMatch::CommandlineDistributionId(id) => string_value(profile, "commandline")
                .is_some_and(|line| commandline_distribution_id(&line) == Some(id.guid())),
        }
    }
}

impl fmt::Display for ProfileMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileMatch::Guid(guid) => write!(f, "\"guid\": \"{guid}\""),
            ProfileMatch::NameAndSource { name, source } => {
                write!(f, "\"name\": {name:?} with \"source\": {source:?}")
            }
            ProfileMatch::CommandlineDistributionId(id) => write!(
                f,
                "a \"commandline\" with {} {id}",
                wslconst::upstream::WSL_DISTRIBUTION_ID_ARG
            ),
        }
    }
}

/// The distribution id a command line starts, if it passes
/// `--distribution-id ID`.
///
/// ```
/// use wslconst_model::settings::commandline_distribution_id;
/// let line = r"C:\WINDOWS\system32\wsl.exe --distribution-id {fc3bf427-722c-4c2b-84bf-17202d2e3740}";
/// assert_eq!(
///     commandline_distribution_id(line).unwrap().to_string(),
///     "{fc3bf427-722c-4c2b-84bf-17202d2e3740}"
/// );
/// assert_eq!(commandline_distribution_id("wsl.exe -d NixOS"), None);
/// ```
pub fn commandline_distribution_id(commandline: &str) -> Option<Guid> {
    let flag = wslconst::upstream::WSL_DISTRIBUTION_ID_ARG;
    let mut words = commandline.split_whitespace();
    while let Some(word) = words.next() {
        if let Some(value) = word.strip_prefix(flag) {
            let value = match value.strip_prefix('=') {
                Some(joined) => joined,
                None if value.is_empty() => words.next()?,
                None => continue,
            };
            return Guid::parse(value.trim_matches('"')).ok();
        }
    }
    None
}

/// One change to make.
#[derive(Clone, Debug)]
pub enum Operation {
    /// Adds the profile to `profiles.list`, or sets its keys on the entries
    /// that already have its GUID. Keys the entry has and the update does not
    /// name are kept. `settings.json` only.
    Upsert(ProfileEntry),
    /// Sets `"hidden": true` on the profile with this GUID, adding an entry
    /// `{"guid": ..., "hidden": true}` when there is none. `settings.json` only.
    Hide(Guid),
    /// Removes every profile any of the matches recognizes. `settings.json` only.
    Remove(Vec<ProfileMatch>),
    /// Points `defaultProfile` at this GUID. `settings.json` only.
    SetDefault(Guid),
    /// Points `defaultProfile` at `to`, but only when it names one of `from`
    /// (a distro re-imported under a new GUID). `settings.json` only.
    MoveDefault {
        /// The GUIDs it may name now.
        from: Vec<Guid>,
        /// The GUID to name instead.
        to: Guid,
    },
    /// Removes these GUIDs from `generatedProfiles`, so Terminal no longer
    /// reports them as "no longer detected". `state.json` only.
    PruneGenerated(Vec<Guid>),
}

impl Operation {
    /// The file this operation edits.
    pub fn file_kind(&self) -> FileKind {
        match self {
            Operation::PruneGenerated(_) => FileKind::State,
            _ => FileKind::Settings,
        }
    }
}

/// Why a file cannot be edited safely. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsError {
    /// Not JSON with comments and trailing commas.
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The file holds something other than what Terminal writes there.
    Shape(String),
    /// The operation does not apply to this file.
    WrongFile {
        /// The file given.
        given: FileKind,
        /// The file the operation edits.
        expected: FileKind,
    },
    /// Windows Terminal's own reader cannot read the file: it would not
    /// load it either.
    TerminalCannotRead(terminal_reader::Unreadable),
    /// The edit would have lost a comment or produced an unreadable file
    /// (a bug in wslconst: please report it with the file).
    Unsafe(String),
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Parse {
                line,
                column,
                message,
            } => write!(
                f,
                "line {line}, column {column}: {}; Terminal cannot read it either, fix it first",
                message.to_lowercase()
            ),
            SettingsError::Shape(message) => f.write_str(message),
            SettingsError::TerminalCannotRead(unreadable) => write!(
                f,
                "{unreadable}: Terminal cannot load this file either and shows its settings error; fix it first"
            ),
            SettingsError::WrongFile { given, expected } => write!(
                f,
                "this operation edits {}, not {}",
                expected.file_name(),
                given.file_name()
            ),
            SettingsError::Unsafe(message) => write!(
                f,
                "refusing to write: {message}; the file was left alone (this is a wslconst bug, please report it)"
            ),
        }
    }
}

impl std::error::Error for SettingsError {}

/// What [`edit`] produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditOutcome {
    /// The new text (the original when nothing changed).
    pub text: String,
    /// What changed, one line each.
    pub changes: Vec<String>,
    /// What could not be done safely, as instructions for the user.
    pub left_to_user: Vec<String>,
    /// Things worth knowing that need no action from wslconst.
    pub notes: Vec<String>,
}

impl EditOutcome {
    /// Whether the text is byte for byte the original.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Applies `operations` in order to the text of a `settings.json` or
/// `state.json`. A UTF-8 byte order mark is kept.
///
/// Twin: `Edit-TerminalSettingsText` (templates/powershell/jsonc.ps1), the
/// import script's editor; both are held to [`vectors::SETTINGS_EDIT_VECTORS`].
pub fn edit(
    kind: FileKind,
    text: &str,
    operations: &[Operation],
) -> Result<EditOutcome, SettingsError> {
    for op in operations {
        if op.file_kind() != kind {
            return Err(SettingsError::WrongFile {
                given: kind,
                expected: op.file_kind(),
            });
        }
    }
    let mut doc = Document::parse(text)?;
    // Terminal reads less than that parser accepts (see `terminal_reader`):
    // a file it cannot read is not ours to guess at.
    terminal_reader::check(text).map_err(SettingsError::TerminalCannotRead)?;
    let (mut current, mut changes, mut left_to_user, mut notes) =
        (text.to_owned(), Vec::new(), Vec::new(), Vec::new());
    // One operation at a time, each checked on the text it produces, so an
    // operation whose result Terminal could not read is undone (the tree
    // read again from the last good text) and left to the user alone, with
    // the others done.
    for op in operations {
        let mut run = Run {
            doc: &mut doc,
            changes: Vec::new(),
            left_to_user: Vec::new(),
            notes: Vec::new(),
        };
        run.apply(op)?;
        let Run {
            changes: done,
            left_to_user: left,
            notes: noted,
            ..
        } = run;
        left_to_user.extend(left);
        notes.extend(noted);
        if done.is_empty() {
            continue;
        }
        let edited = doc.finish()?;
        match terminal_reader::check(&edited) {
            Ok(()) => {
                current = edited;
                changes.extend(done);
            }
            Err(unreadable) => {
                left_to_user.push(format!(
                    "{} was not done: the result would stop Windows Terminal's reader at {unreadable}, typically a comment left alone in an emptied list; do it by hand and move or delete that comment",
                    done.join("; ")
                ));
                doc = Document::parse(&current)?;
            }
        }
    }
    let text = if changes.is_empty() {
        text.to_owned()
    } else {
        current
    };
    Ok(EditOutcome {
        text,
        changes,
        left_to_user,
        notes,
    })
}

struct Run<'a> {
    doc: &'a mut Document,
    changes: Vec<String>,
    left_to_user: Vec<String>,
    notes: Vec<String>,
}

impl Run<'_> {
    fn apply(&mut self, op: &Operation) -> Result<(), SettingsError> {
        match op {
            Operation::Upsert(entry) => self.upsert(entry),
            Operation::Hide(guid) => {
                self.upsert(&ProfileEntry::new(*guid).with("hidden", serde_json::Value::Bool(true)))
            }
            Operation::Remove(matches) => self.remove(matches),
            Operation::SetDefault(guid) => self.set_default(*guid, None),
            Operation::MoveDefault { from, to } => self.set_default(*to, Some(from)),
            Operation::PruneGenerated(guids) => self.prune_generated(guids),
        }
    }

    fn upsert(&mut self, entry: &ProfileEntry) -> Result<(), SettingsError> {
        let list = self.doc.profile_list(true)?.expect("created on demand");
        let existing: Vec<CstObject> = profiles(&list)
            .filter(|p| profile_guid(p) == Some(entry.guid()))
            .collect();
        if existing.is_empty() {
            if append_would_move_comment(&list) {
                self.left_to_user.push(format!(
                    "a comment follows the last profile on the line that closes the list, where a new entry would push it off its profile; add {} to the list by hand",
                    entry.to_value()
                ));
                return Ok(());
            }
            keep_one_line(&list.clone().into(), || list.append(entry.to_input()));
            self.changes
                .push(format!("added the profile {}", entry.describe()));
            return Ok(());
        }
        if existing.len() > 1 {
            self.notes.push(format!(
                "{} entries have \"guid\": \"{}\"; Terminal layers them, so each gets the update",
                existing.len(),
                entry.guid()
            ));
        }
        for profile in existing {
            for (key, value) in entry.members() {
                let wanted = entry::value_of(value);
                let mut found = document::members(&profile, key);
                if found.len() > 1 {
                    self.left_to_user.push(format!(
                        "{} has {key:?} {} times and Terminal reads only the last; set it by hand to {wanted} and delete the others",
                        describe_profile(&profile),
                        found.len()
                    ));
                    continue;
                }
                let Some(prop) = found.pop() else {
                    keep_one_line(&profile.clone().into(), || {
                        profile.append(key, value.clone())
                    });
                    self.changes
                        .push(format!("set {key:?} of {}", describe_profile(&profile)));
                    continue;
                };
                let current = prop.value();
                if current.as_ref().and_then(CstNode::to_serde_value).as_ref() == Some(&wanted) {
                    continue;
                }
                if current.as_ref().is_some_and(holds_comment) {
                    self.left_to_user.push(format!(
                        "{} holds a comment in {key:?}; set it by hand to {wanted}",
                        describe_profile(&profile)
                    ));
                    continue;
                }
                prop.set_value(value.clone());
                self.changes
                    .push(format!("set {key:?} of {}", describe_profile(&profile)));
            }
        }
        Ok(())
    }

    fn remove(&mut self, matches: &[ProfileMatch]) -> Result<(), SettingsError> {
        let Some(list) = self.doc.profile_list(false)? else {
            return Ok(());
        };
        let mut removed = Vec::new();
        for element in list.elements() {
            let Some(profile) = element.as_object() else {
                continue;
            };
            let Some(by) = matches.iter().find(|m| m.matches(&profile)) else {
                continue;
            };
            let what = describe_profile(&profile);
            let comments = match owned_comments(&element) {
                Ok(comments) => comments,
                Err(why) => {
                    self.left_to_user.push(format!(
                        "{what} (matched by {by}) was left alone: {why}; remove it by hand if you no longer need it"
                    ));
                    continue;
                }
            };
            removed.extend(profile_guid(&profile));
            element.remove();
            self.doc.removes_comments(&comments);
            if comments.is_empty() {
                self.changes
                    .push(format!("removed {what} (matched by {by})"));
            } else {
                self.changes.push(format!(
                    "removed {what} (matched by {by}) with its comment{} {}",
                    if comments.len() == 1 { "" } else { "s" },
                    comments.join(" ")
                ));
            }
        }
        if let Some(default) = self.doc.default_profile()?
            && removed.contains(&default)
        {
            self.notes.push(format!(
                "\"defaultProfile\" still names {default}, which was removed; Terminal falls back to the first profile until you set another (wslconst settings set-default)"
            ));
        }
        Ok(())
    }

    fn set_default(
        &mut self,
        to: Guid,
        only_from: Option<&Vec<Guid>>,
    ) -> Result<(), SettingsError> {
        let root = self.doc.root_object()?;
        let current = self.doc.default_profile()?;
        if current == Some(to) {
            return Ok(());
        }
        if let Some(from) = only_from
            && !current.is_some_and(|c| from.contains(&c))
        {
            return Ok(());
        }
        let value = CstInputValue::String(to.to_string());
        match unique_member(&root, "defaultProfile", "the top level")? {
            Some(prop) => {
                if prop.value().as_ref().is_some_and(holds_comment) {
                    self.left_to_user.push(format!(
                        "\"defaultProfile\" holds a comment; set it by hand to \"{to}\""
                    ));
                    return Ok(());
                }
                prop.set_value(value);
            }
            // First, as Terminal writes it; last when a comment follows `{`
            // on its line, which the tree would otherwise move after the new
            // member.
            None if comment_after_open_brace(&root) => {
                keep_one_line(&root.clone().into(), || {
                    root.append("defaultProfile", value)
                });
            }
            None => {
                keep_one_line(&root.clone().into(), || {
                    root.insert(0, "defaultProfile", value)
                });
            }
        }
        self.changes.push(match current {
            Some(old) => format!("\"defaultProfile\" moved from {old} to {to}"),
            None => format!("\"defaultProfile\" set to {to}"),
        });
        Ok(())
    }

    fn prune_generated(&mut self, guids: &[Guid]) -> Result<(), SettingsError> {
        let root = self.doc.root_object()?;
        let Some(prop) = unique_member(&root, "generatedProfiles", "the top level")? else {
            return Ok(());
        };
        let Some(list) = prop.array_value() else {
            return Err(SettingsError::Shape(
                "\"generatedProfiles\" is not an array; Terminal rewrites state.json itself, so deleting the file's \"generatedProfiles\" entry is safe".into(),
            ));
        };
        for element in list.elements() {
            let Some(guid) = element
                .as_string_lit()
                .and_then(|s| s.decoded_value().ok())
                .and_then(|s| Guid::parse(&s).ok())
            else {
                continue;
            };
            if !guids.contains(&guid) {
                continue;
            }
            if holds_comment(&element) {
                self.left_to_user.push(format!(
                    "the \"generatedProfiles\" entry {guid} holds a comment; remove it by hand"
                ));
                continue;
            }
            element.remove();
            self.changes
                .push(format!("removed {guid} from \"generatedProfiles\""));
        }
        Ok(())
    }
}

/// Whether the tree, appending to `list`, would put the new element between
/// the last element and a comment on its line: the case where that comment
/// and the closing bracket share the line.
fn append_would_move_comment(list: &CstArray) -> bool {
    let Some(last) = list.elements().pop() else {
        return false;
    };
    let mut comment = false;
    for next in last.next_siblings() {
        if next.is_newline() {
            return false;
        }
        if next.token_char() == Some(']') {
            return comment;
        }
        comment |= next.is_comment();
    }
    false
}

/// Whether a comment follows the object's `{` on the same line.
fn comment_after_open_brace(object: &CstObject) -> bool {
    object
        .children()
        .into_iter()
        .skip_while(|n| n.token_char() != Some('{'))
        .skip(1)
        .take_while(|n| !n.is_newline())
        .any(|n| n.is_comment())
}

/// The objects of a profile list, in order.
fn profiles(list: &CstArray) -> impl Iterator<Item = CstObject> {
    list.elements().into_iter().filter_map(|e| e.as_object())
}

/// A profile's `"guid"`, when it is one.
fn profile_guid(profile: &CstObject) -> Option<Guid> {
    string_value(profile, "guid").and_then(|s| Guid::parse(&s).ok())
}

#[cfg(test)]
mod tests;
