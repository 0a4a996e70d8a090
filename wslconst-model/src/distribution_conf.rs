//! `/etc/wsl-distribution.conf`: the typed settings, rendering, and a parser
//! that reads the file exactly as WSL does.
//!
//! WSL reads the file twice, inside the distro: at import
//! (`src/linux/init/main.cpp`, `PostProcessImportedDistribution`: `shortcut.*`,
//! `windowsterminal.*`, `oobe.defaultName`) and at first start
//! (`src/linux/init/init.cpp`: `oobe.command`, `oobe.defaultUid`), both times
//! with `ParseConfigFile` from `src/shared/configfile/configfile.cpp` and
//! without `CFG_SKIP_INVALID_LINES`. Its rules, which [`parse`] reproduces:
//!
//! - `[section]` then `key = value`; `section.key` matches case-insensitively;
//!   names start with a letter and hold only letters and digits;
//! - `#` starts a comment (full line, or trailing outside quotes);
//! - in values `"` toggles quoting and is dropped; escapes are `\\ \" \b \n \t`,
//!   backslash-newline continues the value; spaces around `=` and at the end are
//!   trimmed;
//! - booleans are only `true`, `false`, `1`, `0` (any case); integers go through
//!   `strtol(value, &end, 0)`, so `0x10` is hex and `010` is octal;
//! - the first of two duplicate keys wins; unknown keys warn;
//! - a line WSL cannot parse (one starting with `;` or any non-letter, a bad
//!   section, a missing `=`, a bad escape, an unterminated quote) STOPS the
//!   parse: every key after it is silently lost.
//!
//! ```
//! use wslconst_model::distribution_conf::{parse, DistributionConf};
//!
//! let parsed = parse(b"[shortcut]\nenabled = false\n; comment\n[windowsterminal]\nenabled = false\n");
//! assert_eq!(parsed.conf.shortcut_enabled, Some(false));
//! // The `;` line stopped WSL's parse: Terminal profiles stay enabled.
//! assert_eq!(parsed.conf.windowsterminal_enabled, None);
//! let stop = parsed.stop.unwrap();
//! assert_eq!(stop.line, 3);
//! assert_eq!(stop.lost[0].key, "windowsterminal.enabled");
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::wsl_rules::{ICON_DIRS, OOBE_DIRS, TEMPLATE_DIRS};

/// Every key WSL reads from the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ConfKey {
    /// `oobe.command`: run as root at first start.
    OobeCommand,
    /// `oobe.defaultUid`: the default user after OOBE.
    OobeDefaultUid,
    /// `oobe.defaultName`: the distro name when `wsl --install` is given none.
    OobeDefaultName,
    /// `shortcut.enabled`: create a Start menu shortcut (default true).
    ShortcutEnabled,
    /// `shortcut.icon`: `.ico` for the shortcut and the Terminal profile.
    ShortcutIcon,
    /// `windowsterminal.enabled`: write a Terminal fragment (default true).
    WindowsTerminalEnabled,
    /// `windowsterminal.profileTemplate`: the JSON template of the fragment.
    WindowsTerminalProfileTemplate,
}

/// The type WSL parses a key's value as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Any string.
    String,
    /// `true`/`false`/`1`/`0`.
    Bool,
    /// `strtol(value, &end, 0)` within `int`.
    Int,
}

impl ConfKey {
    /// All keys, in the order a rendered file lists them.
    pub const ALL: [ConfKey; 7] = [
        ConfKey::OobeCommand,
        ConfKey::OobeDefaultUid,
        ConfKey::OobeDefaultName,
        ConfKey::ShortcutEnabled,
        ConfKey::ShortcutIcon,
        ConfKey::WindowsTerminalEnabled,
        ConfKey::WindowsTerminalProfileTemplate,
    ];

    /// `section.key` as WSL spells it.
    pub const fn name(self) -> &'static str {
        match self {
            ConfKey::OobeCommand => "oobe.command",
            ConfKey::OobeDefaultUid => "oobe.defaultUid",
            ConfKey::OobeDefaultName => "oobe.defaultName",
            ConfKey::ShortcutEnabled => "shortcut.enabled",
            ConfKey::ShortcutIcon => "shortcut.icon",
            ConfKey::WindowsTerminalEnabled => "windowsterminal.enabled",
            ConfKey::WindowsTerminalProfileTemplate => "windowsterminal.profileTemplate",
        }
    }

    /// The section part of [`name`](Self::name).
    pub fn section(self) -> &'static str {
        self.name()
            .split_once('.')
            .expect("every key has a section")
            .0
    }

    /// The key part of [`name`](Self::name).
    pub fn key(self) -> &'static str {
        self.name()
            .split_once('.')
            .expect("every key has a section")
            .1
    }

    /// What WSL uses when the key is absent or its value refused: init sets
    /// `GenerateShortcut` and `GenerateTerminalProfile` true before it reads
    /// the file (`main.cpp`, `PostProcessImportedDistribution`); every other
    /// key stays unset.
    pub const fn wsl_default(self) -> Option<bool> {
        match self {
            ConfKey::ShortcutEnabled | ConfKey::WindowsTerminalEnabled => Some(true),
            _ => None,
        }
    }

    /// How WSL parses the value.
    pub const fn kind(self) -> ValueKind {
        match self {
            ConfKey::ShortcutEnabled | ConfKey::WindowsTerminalEnabled => ValueKind::Bool,
            ConfKey::OobeDefaultUid => ValueKind::Int,
            _ => ValueKind::String,
        }
    }

    /// The key whose name matches `name` case-insensitively, as `strcasecmp`.
    pub fn lookup(name: &str) -> Option<ConfKey> {
        ConfKey::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for ConfKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The settings of a `wsl-distribution.conf`; `None` is "not in the file", which
/// for the two `enabled` keys means true.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionConf {
    /// `oobe.command`.
    #[serde(
        rename = "oobe.command",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub oobe_command: Option<String>,
    /// `oobe.defaultUid`.
    #[serde(
        rename = "oobe.defaultUid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub oobe_default_uid: Option<i32>,
    /// `oobe.defaultName`.
    #[serde(
        rename = "oobe.defaultName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub oobe_default_name: Option<String>,
    /// `shortcut.enabled`.
    #[serde(
        rename = "shortcut.enabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shortcut_enabled: Option<bool>,
    /// `shortcut.icon`.
    #[serde(
        rename = "shortcut.icon",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shortcut_icon: Option<String>,
    /// `windowsterminal.enabled`.
    #[serde(
        rename = "windowsterminal.enabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub windowsterminal_enabled: Option<bool>,
    /// `windowsterminal.profileTemplate`.
    #[serde(
        rename = "windowsterminal.profileTemplate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub windowsterminal_profile_template: Option<String>,
}

/// One key's value, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfValue {
    /// A string value.
    String(String),
    /// A boolean value.
    Bool(bool),
    /// An integer value.
    Int(i32),
}

impl fmt::Display for ConfValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfValue::String(s) => write!(f, "{s:?}"),
            ConfValue::Bool(b) => write!(f, "{b}"),
            ConfValue::Int(n) => write!(f, "{n}"),
        }
    }
}

impl DistributionConf {
    /// The value of `key`, if set.
    pub fn get(&self, key: ConfKey) -> Option<ConfValue> {
        match key {
            ConfKey::OobeCommand => self.oobe_command.clone().map(ConfValue::String),
            ConfKey::OobeDefaultUid => self.oobe_default_uid.map(ConfValue::Int),
            ConfKey::OobeDefaultName => self.oobe_default_name.clone().map(ConfValue::String),
            ConfKey::ShortcutEnabled => self.shortcut_enabled.map(ConfValue::Bool),
            ConfKey::ShortcutIcon => self.shortcut_icon.clone().map(ConfValue::String),
            ConfKey::WindowsTerminalEnabled => self.windowsterminal_enabled.map(ConfValue::Bool),
            ConfKey::WindowsTerminalProfileTemplate => self
                .windowsterminal_profile_template
                .clone()
                .map(ConfValue::String),
        }
    }

    fn set(&mut self, key: ConfKey, value: ConfValue) {
        match (key, value) {
            (ConfKey::OobeCommand, ConfValue::String(s)) => self.oobe_command = Some(s),
            (ConfKey::OobeDefaultUid, ConfValue::Int(n)) => self.oobe_default_uid = Some(n),
            (ConfKey::OobeDefaultName, ConfValue::String(s)) => self.oobe_default_name = Some(s),
            (ConfKey::ShortcutEnabled, ConfValue::Bool(b)) => self.shortcut_enabled = Some(b),
            (ConfKey::ShortcutIcon, ConfValue::String(s)) => self.shortcut_icon = Some(s),
            (ConfKey::WindowsTerminalEnabled, ConfValue::Bool(b)) => {
                self.windowsterminal_enabled = Some(b)
            }
            (ConfKey::WindowsTerminalProfileTemplate, ConfValue::String(s)) => {
                self.windowsterminal_profile_template = Some(s)
            }
            (key, value) => unreachable!("{key} never holds {value:?}"),
        }
    }

    /// Whether WSL writes a Terminal fragment (`windowsterminal.enabled`, default true).
    pub fn terminal_enabled(&self) -> bool {
        self.windowsterminal_enabled
            .unwrap_or(ConfKey::WindowsTerminalEnabled.wsl_default() == Some(true))
    }

    /// Whether WSL creates a Start menu shortcut (`shortcut.enabled`, default true).
    pub fn shortcut_enabled(&self) -> bool {
        self.shortcut_enabled
            .unwrap_or(ConfKey::ShortcutEnabled.wsl_default() == Some(true))
    }

    /// The template path WSL will try to read: set, non-empty, and Terminal
    /// profiles enabled (WSL reads it only then).
    pub fn template_path(&self) -> Option<&str> {
        self.windowsterminal_profile_template
            .as_deref()
            .filter(|p| !p.is_empty() && self.terminal_enabled())
    }

    /// The file as WSL reads it back: `[section]`s in a fixed order, strings
    /// quoted and escaped by [`escape_value`], booleans and integers bare.
    ///
    /// ```
    /// use wslconst_model::distribution_conf::{parse, DistributionConf};
    ///
    /// let conf = DistributionConf {
    ///     oobe_default_name: Some("Nix \"OS\" # 1".into()),
    ///     windowsterminal_profile_template: Some("/usr/lib/wsl/terminal-profile.json".into()),
    ///     ..Default::default()
    /// };
    /// let text = conf.render()?;
    /// assert!(text.contains("defaultName = \"Nix \\\"OS\\\" # 1\"\n"));
    /// assert_eq!(parse(text.as_bytes()).conf, conf);
    /// # Ok::<(), wslconst_model::distribution_conf::RenderError>(())
    /// ```
    ///
    /// Twin: `renderDistributionConf` in nix/lib.nix (scripts/nix-vs-rust.py
    /// compares the two byte for byte).
    pub fn render(&self) -> Result<String, RenderError> {
        use askama::Template as _;
        for key in ConfKey::ALL {
            if let Some(ConfValue::String(s)) = self.get(key)
                && let Some(c) = s.chars().find(|c| UNREPRESENTABLE.contains(c))
            {
                return Err(RenderError {
                    key,
                    message: format!(
                        "{key} holds {c:?}, which WSL's parser cannot read back inside a value (a carriage return ends the value, a NUL ends the C string)"
                    ),
                });
            }
        }
        let sections = ["oobe", "shortcut", "windowsterminal"]
            .into_iter()
            .filter_map(|name| {
                let entries: Vec<ConfEntry> = ConfKey::ALL
                    .into_iter()
                    .filter(|k| k.section() == name)
                    .filter_map(|k| {
                        self.get(k).map(|value| ConfEntry {
                            key: k.key(),
                            value,
                        })
                    })
                    .collect();
                (!entries.is_empty()).then_some(ConfSection { name, entries })
            })
            .collect();
        let mut text = DistributionConfTemplate {
            sections,
            path: wslconst::upstream::WSL_DISTRIBUTION_CONF,
            generator: concat!("wslconst ", env!("CARGO_PKG_VERSION")),
        }
        .render()
        .expect("the value check above leaves the escaper nothing to refuse");
        text.push('\n');
        Ok(text)
    }
}

/// Characters no value can carry through WSL's parser.
const UNREPRESENTABLE: [char; 2] = ['\r', '\0'];

/// A value [`DistributionConf::render`] cannot write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    /// The key.
    pub key: ConfKey,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// Quotes and escapes a string for a `wsl-distribution.conf` value: `\` `"`
/// backspace, newline and tab escaped, everything else as is, all inside `"`
/// so `#`, `;` and edge spaces survive.
///
/// ```
/// assert_eq!(
///     wslconst_model::distribution_conf::escape_value("a \"b\" \\ # c\n"),
///     r#""a \"b\" \\ # c\n""#
/// );
/// ```
///
/// Twin: `quoteConfValue` in nix/lib.nix.
pub fn escape_value(value: &str) -> String {
    let mut out = String::new();
    out.push('"');
    ConfEscaper
        .write_escaped_str(&mut out, value)
        .expect("writing to a String cannot fail");
    out.push('"');
    out
}

use askama::filters::Escaper as _;

/// askama escaper for `.conf` templates: the inside of a quoted value, by
/// WSL's `ParseConfigFile` escapes. Refuses (with `fmt::Error`) the characters
/// no escape can carry; [`DistributionConf::render`] checks for them first so
/// users get a message naming the key.
#[derive(Clone, Copy, Debug, Default)]
pub struct ConfEscaper;

impl askama::filters::Escaper for ConfEscaper {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        for c in string.chars() {
            match c {
                '\\' => dest.write_str("\\\\")?,
                '"' => dest.write_str("\\\"")?,
                '\u{8}' => dest.write_str("\\b")?,
                '\n' => dest.write_str("\\n")?,
                '\t' => dest.write_str("\\t")?,
                '\r' | '\0' => return Err(fmt::Error),
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// A rendered section.
#[derive(Debug)]
pub struct ConfSection {
    /// `oobe`, `shortcut`, `windowsterminal`.
    pub name: &'static str,
    /// Its keys.
    pub entries: Vec<ConfEntry>,
}

/// A rendered `key = value`.
#[derive(Debug)]
pub struct ConfEntry {
    /// The key inside its section.
    pub key: &'static str,
    /// The value.
    pub value: ConfValue,
}

/// `templates/wsl-distribution.conf`.
#[derive(askama::Template)]
#[template(path = "wsl-distribution.conf")]
pub struct DistributionConfTemplate {
    /// Non-empty sections in order.
    pub sections: Vec<ConfSection>,
    /// [`wslconst::upstream::WSL_DISTRIBUTION_CONF`].
    pub path: &'static str,
    /// `wslconst <version>`.
    pub generator: &'static str,
}

/// A key WSL applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedKey {
    /// Which key.
    pub key: ConfKey,
    /// The name as written (case may differ).
    pub written: String,
    /// 1-based line where it starts.
    pub line: usize,
    /// The line WSL's own warnings about this key name (see [`ParseStop::wsl_line`]).
    pub wsl_line: usize,
    /// The value as WSL unquoted and unescaped it.
    pub raw: String,
}

/// A key written after the line that stopped the parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LostKey {
    /// `section.key` as written.
    pub key: String,
    /// 1-based line.
    pub line: usize,
    /// The value as it would have been read.
    pub raw: String,
}

/// The line that stopped WSL's parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseStop {
    /// 1-based line.
    pub line: usize,
    /// The line WSL's own warning names. `ParseConfigFile` keeps its own count:
    /// a CR that ends a key or section line counts as a line of its own, so
    /// with CRLF line ends (or a lone CR) it runs ahead of the physical line.
    pub wsl_line: usize,
    /// Why, in WSL's terms (`expected '='`, ...).
    pub reason: String,
    /// Keys after it that WSL never reads.
    pub lost: Vec<LostKey>,
}

/// What WSL makes of a `wsl-distribution.conf`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedConf {
    /// The settings WSL ends up with.
    pub conf: DistributionConf,
    /// Every key WSL applied, in file order.
    pub applied: Vec<AppliedKey>,
    /// Warnings WSL would emit, and the parse stop as an error.
    pub diagnostics: Vec<Diagnostic>,
    /// Where WSL stopped reading, if it did.
    pub stop: Option<ParseStop>,
}

const EOF: i32 = -1;

/// `fgetwc` over bytes in musl's C locale (WSL's init is static musl): bytes
/// at or above 0x80 come back as non-letters and keep their value in strings.
struct Input<'a> {
    bytes: &'a [u8],
    pos: usize,
    eof: bool,
    /// Newlines in `bytes[..pos]`, so line numbers cost nothing per key.
    newlines: usize,
}

impl Input<'_> {
    fn get(&mut self) -> i32 {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                if b == b'\n' {
                    self.newlines += 1;
                }
                i32::from(b)
            }
            None => {
                self.eof = true;
                EOF
            }
        }
    }

    fn unget(&mut self, c: i32) {
        if c != EOF {
            self.pos -= 1;
            if self.bytes[self.pos] == b'\n' {
                self.newlines -= 1;
            }
        }
    }

    /// The 1-based line of the byte just read (the last byte at the end).
    fn line(&self) -> usize {
        let last_is_newline = self.pos > 0 && self.bytes[self.pos - 1] == b'\n';
        1 + self.newlines - usize::from(last_is_newline)
    }
}

fn is_alpha(c: i32) -> bool {
    (0..=0x7f).contains(&c) && (c as u8).is_ascii_alphabetic()
}

fn is_alnum(c: i32) -> bool {
    (0..=0x7f).contains(&c) && (c as u8).is_ascii_alphanumeric()
}

fn is_hspace(c: i32) -> bool {
    c == i32::from(b' ') || c == i32::from(b'\t')
}

fn describe(c: i32) -> String {
    match c {
        EOF => "the end of the file".to_owned(),
        0x0a => "the end of the line".to_owned(),
        c => format!("{:?}", char::from(c as u8)),
    }
}

/// One `key = value` as the reader saw it.
struct RawEntry {
    name: String,
    value: Vec<u8>,
    line: usize,
    /// WSL's `line` when it applies the key (after any continuation lines).
    wsl_line: usize,
}

/// The line that stops the parse: physical, as WSL counts it, and why.
struct Stopped {
    line: usize,
    wsl_line: usize,
    reason: String,
}

/// `ParseConfigFile` in parse mode. With `skip_invalid` it goes on after a bad
/// line (`CFG_SKIP_INVALID_LINES`), which WSL does not do; [`parse`] uses that
/// only to list what the stop lost.
///
/// `wsl_line` is WSL's own `line` counter, moved where `ParseConfigFile` moves
/// it: at its `NewLine` label unless a trailing comment is pending, at each LF
/// the comment skip reads, at a blank line's CR LF or LF, and at a `\` LF
/// continuation.
fn read_entries(bytes: &[u8], skip_invalid: bool) -> (Vec<RawEntry>, Option<Stopped>) {
    let mut input = Input {
        bytes,
        pos: 0,
        eof: false,
        newlines: 0,
    };
    let mut entries = Vec::new();
    let mut stop = None;
    let mut ch: i32 = 0;
    let mut section = String::new();
    let mut wsl_line = 0;
    let mut trailing_comment = false;
    'new_line: loop {
        if !trailing_comment {
            wsl_line += 1;
        }
        // Skip the rest of a comment, then find the start of the next line's content.
        let problem: (usize, String) = 'line: loop {
            if ch == i32::from(b'#') {
                loop {
                    ch = input.get();
                    if ch == i32::from(b'\r') {
                        ch = input.get();
                    }
                    if ch == i32::from(b'\n') {
                        wsl_line += 1;
                    }
                    if ch == i32::from(b'\n') || ch == EOF {
                        break;
                    }
                }
                trailing_comment = false;
            }
            if input.eof {
                return (entries, stop);
            }
            loop {
                ch = input.get();
                if !is_hspace(ch) {
                    break;
                }
            }
            match ch {
                EOF | 0x23 => {}
                0x0a => wsl_line += 1,
                0x0d => {
                    let next = input.get();
                    if next == i32::from(b'\n') {
                        wsl_line += 1;
                    } else {
                        input.unget(next);
                    }
                }
                0x5b => {
                    // [section]
                    ch = input.get();
                    if !is_alpha(ch) {
                        break 'line (
                            input.line(),
                            format!(
                                "invalid section name: it must start with a letter, found {}",
                                describe(ch)
                            ),
                        );
                    }
                    let mut name = String::new();
                    while is_alnum(ch) {
                        name.push(char::from(ch as u8));
                        ch = input.get();
                    }
                    if ch != i32::from(b']') {
                        break 'line (
                            input.line(),
                            format!(
                                "expected ']' after [{name}, found {} (section names hold only letters and digits)",
                                describe(ch)
                            ),
                        );
                    }
                    loop {
                        ch = input.get();
                        if !is_hspace(ch) {
                            break;
                        }
                    }
                    match ch {
                        EOF | 0x0a | 0x0d => {}
                        // A trailing comment: skipped at the top of the loop.
                        0x23 => trailing_comment = true,
                        _ => {
                            break 'line (
                                input.line(),
                                format!(
                                    "expected the end of the line after [{name}], found {}",
                                    describe(ch)
                                ),
                            );
                        }
                    }
                    section = name;
                    continue 'new_line;
                }
                c if !is_alpha(c) => {
                    break 'line (
                        input.line(),
                        format!(
                            "invalid key: a line must start with a letter, '[', '#' or a blank, found {}",
                            describe(c)
                        ),
                    );
                }
                _ => {
                    // key = value
                    let line = input.line();
                    let mut name = section.clone();
                    if !name.is_empty() {
                        name.push('.');
                    }
                    while is_alnum(ch) {
                        name.push(char::from(ch as u8));
                        ch = input.get();
                    }
                    while is_hspace(ch) {
                        ch = input.get();
                    }
                    if ch != i32::from(b'=') {
                        break 'line (
                            input.line(),
                            format!(
                                "expected '=' after key {name}, found {} (key names hold only letters and digits)",
                                describe(ch)
                            ),
                        );
                    }
                    loop {
                        ch = input.get();
                        if !is_hspace(ch) {
                            break;
                        }
                    }
                    let mut value = Vec::new();
                    let mut trimmed = 0;
                    let mut in_quote = false;
                    while ch != EOF && ch != i32::from(b'\n') && ch != i32::from(b'\r') {
                        match ch {
                            0x22 => in_quote = !in_quote,
                            0x5c => {
                                let escaped = input.get();
                                match escaped {
                                    0x5c | 0x22 => value.push(escaped as u8),
                                    0x62 => value.push(0x08),
                                    0x6e => value.push(b'\n'),
                                    0x74 => value.push(b'\t'),
                                    0x0d => {}
                                    // A continuation line.
                                    0x0a => wsl_line += 1,
                                    other => {
                                        break 'line (
                                            input.line(),
                                            format!(
                                                "invalid escape '\\{}' in the value of {name} (only \\\\ \\\" \\b \\n \\t and a backslash at the end of the line are allowed)",
                                                if other == EOF {
                                                    String::from("<end of file>")
                                                } else {
                                                    char::from(other as u8).to_string()
                                                }
                                            ),
                                        );
                                    }
                                }
                            }
                            // A trailing comment: skipped at the top of the loop.
                            0x23 if !in_quote => {
                                trailing_comment = true;
                                break;
                            }
                            c => value.push(c as u8),
                        }
                        if !is_hspace(ch) {
                            trimmed = value.len();
                        }
                        ch = input.get();
                    }
                    if in_quote {
                        break 'line (
                            input.line(),
                            format!("unterminated quote in the value of {name}"),
                        );
                    }
                    value.truncate(trimmed);
                    entries.push(RawEntry {
                        name,
                        value,
                        line,
                        wsl_line,
                    });
                    continue 'new_line;
                }
            }
        };
        // InvalidLine.
        if stop.is_none() {
            let (line, reason) = problem;
            stop = Some(Stopped {
                line,
                wsl_line,
                reason,
            });
        }
        if !skip_invalid {
            return (entries, stop);
        }
        while ch != EOF && ch != i32::from(b'\n') {
            ch = input.get();
        }
    }
}

/// `ParseBool` without the extended forms: how WSL reads every boolean of its
/// config files (`wsl-distribution.conf`, and `/etc/wsl.conf`'s too).
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    if value == "1" || value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value == "0" || value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// `strtol(value, &end, 0)` with the checks of `ConfigKey::ParseImpl(int)`.
fn parse_int(value: &str) -> Option<i32> {
    let s = value.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    if value.is_empty() {
        return None;
    }
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(hex) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
        (16, hex)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    let n = if negative { -magnitude } else { magnitude };
    i32::try_from(n).ok()
}

/// " (WSL's own warning will say line N ...)" when WSL numbers a line differently.
fn wsl_line_note(line: usize, wsl_line: usize) -> String {
    if line == wsl_line {
        return String::new();
    }
    format!(
        " (WSL's own warning will say line {wsl_line}: it counts a CR that ends a key or section line as a line of its own, so CRLF-ended lines count twice)"
    )
}

/// The column (1-based) of the first NUL on `line`.
fn nul_column(bytes: &[u8], line: usize) -> Option<usize> {
    let text = bytes.split(|&b| b == b'\n').nth(line.checked_sub(1)?)?;
    text.iter().position(|&b| b == 0).map(|at| at + 1)
}

/// Reads `bytes` as WSL does and reports what it would warn about, where it
/// would stop, and what that stop loses.
pub fn parse(bytes: &[u8]) -> ParsedConf {
    let (entries, stop) = read_entries(bytes, false);
    let mut parsed = ParsedConf::default();
    let mut seen: Vec<(ConfKey, usize)> = Vec::new();
    for mut entry in entries {
        // WSL hands values on as C strings (value.c_str()): a value ends at its
        // first NUL, for strings, integers and booleans alike.
        if let Some(nul) = entry.value.iter().position(|&b| b == 0) {
            entry.value.truncate(nul);
            let column = nul_column(bytes, entry.line)
                .map(|c| format!(", column {c}"))
                .unwrap_or_default();
            parsed.diagnostics.push(
                Diagnostic::warning(
                    "nul-byte",
                    format!(
                        "a NUL byte in the value of {} (line {}{column}): WSL reads the value only up to it, as {:?}; a NUL in this file is never intended",
                        entry.name,
                        entry.line,
                        String::from_utf8_lossy(&entry.value)
                    ),
                )
                .at_line(entry.line),
            );
        }
        let raw = String::from_utf8_lossy(&entry.value).into_owned();
        let note = wsl_line_note(entry.line, entry.wsl_line);
        let Some(key) = ConfKey::lookup(&entry.name) else {
            let hint = suggest_key(&entry.name)
                .map(|k| format!("; did you mean {k}?"))
                .unwrap_or_else(|| {
                    format!(
                        "; WSL reads only {}",
                        ConfKey::ALL.map(ConfKey::name).join(", ")
                    )
                });
            // An error, as WSL's validator grades it (validate-modern.py calls
            // error() for a key it does not know), though WSL itself ignores it.
            parsed.diagnostics.push(
                Diagnostic::error(
                    "unknown-key",
                    format!("unknown key {}: WSL ignores it{hint}{note}", entry.name),
                )
                .at_line(entry.line),
            );
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            parsed.diagnostics.push(
                Diagnostic::warning(
                    "duplicate-key",
                    format!(
                        "{} is already set on line {first}; WSL keeps the first and ignores this one{note}",
                        key
                    ),
                )
                .at_line(entry.line),
            );
            continue;
        }
        // Like `ConfigKey::Parse`, a value that fails to parse still counts as
        // the key's first occurrence.
        seen.push((key, entry.line));
        let value = match key.kind() {
            ValueKind::String => Some(ConfValue::String(raw.clone())),
            ValueKind::Bool => parse_bool(&raw).map(ConfValue::Bool),
            ValueKind::Int => parse_int(&raw).map(ConfValue::Int),
        };
        match value {
            Some(value) => {
                parsed.conf.set(key, value);
                parsed.applied.push(AppliedKey {
                    key,
                    written: entry.name,
                    line: entry.line,
                    wsl_line: entry.wsl_line,
                    raw,
                });
            }
            None => {
                let expected = match key.kind() {
                    ValueKind::Bool => "a boolean: true, false, 1 or 0",
                    _ => "an integer (strtol base 0: 1000, 0x3e8 or 01750)",
                };
                let default = match key {
                    ConfKey::OobeDefaultUid => "no default user is set",
                    _ => "the default (true) stays",
                };
                parsed.diagnostics.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!(
                            "{key} = {raw:?} is not {expected}; WSL ignores it and {default}{note}"
                        ),
                    )
                    .at_line(entry.line),
                );
            }
        }
    }
    if let Some(Stopped {
        line,
        wsl_line,
        reason,
    }) = stop
    {
        let (all, _) = read_entries(bytes, true);
        let lost: Vec<LostKey> = all
            .into_iter()
            .filter(|e| e.line > line)
            .map(|e| LostKey {
                key: e.name,
                line: e.line,
                raw: String::from_utf8_lossy(&e.value).into_owned(),
            })
            .collect();
        let lost_text = if lost.is_empty() {
            String::from("no key follows, so none is lost yet, but any key added below it will be")
        } else {
            format!(
                "silently ignores every key after it: {}",
                lost.iter()
                    .map(|l| format!("{} (line {})", l.key, l.line))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        parsed.diagnostics.push(
            Diagnostic::error(
                "parse-stopped",
                format!(
                    "{reason}: WSL stops reading the file here and {lost_text}; fix or remove this line{}",
                    wsl_line_note(line, wsl_line)
                ),
            )
            .at_line(line),
        );
        parsed.stop = Some(ParseStop {
            line,
            wsl_line,
            reason,
            lost,
        });
    }
    parsed
}

/// The known key closest to a misspelled one, if any is close.
fn suggest_key(name: &str) -> Option<&'static str> {
    crate::suggest::nearest(name, ConfKey::ALL.map(ConfKey::name))
}

/// Parses and then checks what the values mean: paths WSL refuses, places WSL's
/// validator expects, a `defaultUid` that is not what it looks like.
pub fn check(bytes: &[u8]) -> ParsedConf {
    let mut parsed = parse(bytes);
    let mut extra = Vec::new();
    for applied in &parsed.applied {
        let line = applied.line;
        let key = applied.key;
        let value = applied.raw.as_str();
        match key {
            ConfKey::OobeDefaultName => {
                if let Err(e) = crate::distro_name::check(value) {
                    extra.push(
                        Diagnostic::error(
                            "invalid-name",
                            format!(
                                "oobe.defaultName = {value:?}: WSL refuses this name and the install fails with \"{}\"",
                                e.to_string().split(" (").next().unwrap_or_default()
                            ),
                        )
                        .at_line(line),
                    );
                }
            }
            ConfKey::ShortcutIcon | ConfKey::WindowsTerminalProfileTemplate
                if !value.is_empty() =>
            {
                let (what, fallback, dirs) = if key == ConfKey::ShortcutIcon {
                    ("icon", "the default icon", ICON_DIRS)
                } else {
                    ("profile template", "the default template", TEMPLATE_DIRS)
                };
                if value.contains("..") {
                    extra.push(
                        Diagnostic::error(
                            "path-dotdot",
                            format!(
                                "{key} = {value:?} contains \"..\": WSL refuses the path and silently uses {fallback}; use a plain absolute path such as {}",
                                suggested_path(key)
                            ),
                        )
                        .at_line(line),
                    );
                } else if !value.starts_with('/') {
                    extra.push(
                        Diagnostic::warning(
                            "path-relative",
                            format!(
                                "{key} = {value:?} is relative: WSL resolves it from / inside the distro; write it absolute"
                            ),
                        )
                        .at_line(line),
                    );
                } else if !dirs.iter().any(|d| value.starts_with(d)) {
                    extra.push(
                        Diagnostic::warning(
                            "path-location",
                            format!(
                                "{key} = {value:?}: WSL's validator expects the {what} under {}",
                                dirs.join(" or ")
                            ),
                        )
                        .at_line(line),
                    );
                }
                if key == ConfKey::WindowsTerminalProfileTemplate && !parsed.conf.terminal_enabled()
                {
                    extra.push(
                        Diagnostic::warning(
                            "template-unused",
                            "windowsterminal.enabled is false, so WSL never reads the profile template",
                        )
                        .at_line(line),
                    );
                }
            }
            ConfKey::OobeDefaultUid => {
                let written = value.trim();
                let n = parsed.conf.oobe_default_uid.unwrap_or_default();
                if written.len() > 1 && written.starts_with('0') && !written.starts_with("0x") {
                    extra.push(
                        Diagnostic::warning(
                            "octal-uid",
                            format!(
                                "oobe.defaultUid = {written} is octal to WSL (strtol base 0) and means {n}; drop the leading zero"
                            ),
                        )
                        .at_line(line),
                    );
                } else if n != 1000 {
                    extra.push(
                        Diagnostic::warning(
                            "uid-not-1000",
                            format!(
                                "oobe.defaultUid = {n}: WSL's validator expects 1000, the first user a distro's OOBE creates"
                            ),
                        )
                        .at_line(line),
                    );
                }
            }
            ConfKey::OobeCommand => {
                let program = value.split_whitespace().next().unwrap_or("");
                if program.starts_with('/') && !OOBE_DIRS.iter().any(|d| program.starts_with(d)) {
                    extra.push(
                        Diagnostic::warning(
                            "path-location",
                            format!(
                                "oobe.command runs {program:?}: WSL's validator expects it under {}",
                                OOBE_DIRS.join(" or ")
                            ),
                        )
                        .at_line(line),
                    );
                }
            }
            _ => {}
        }
    }
    if parsed.conf.oobe_default_name.is_none() && parsed.stop.is_none() {
        // MessageDistributionNameNeeded, what `wsl --install --from-file`
        // says for an image without a default name.
        extra.push(Diagnostic::warning(
            "no-default-name",
            "no oobe.defaultName: a plain `wsl --install --from-file IMAGE` fails with \"This distribution doesn't contain a default name. Use --name to choose the distribution name.\"; the name must come from --name (or `wsl --import NAME`) or from the distribution manifest",
        ));
    }
    parsed.diagnostics.extend(extra);
    parsed.diagnostics.sort_by_key(|d| d.line);
    parsed
}

fn suggested_path(key: ConfKey) -> &'static str {
    match key {
        ConfKey::ShortcutIcon => "/usr/lib/wsl/icon.ico",
        _ => "/usr/lib/wsl/terminal-profile.json",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(text: &str) -> ParsedConf {
        parse(text.as_bytes())
    }

    /// One row per rule of WSL's parser (docs/UPSTREAM.md, "as WSL reads it").
    #[test]
    fn parser_rules_table() {
        struct Row {
            rule: &'static str,
            text: &'static str,
            want: DistributionConf,
            stop_line: Option<usize>,
        }
        let d = DistributionConf::default;
        let rows = [
            Row {
                rule: "keys are matched case-insensitively",
                text: "[WindowsTerminal]\nPROFILETEMPLATE = /usr/lib/wsl/t.json\n",
                want: DistributionConf {
                    windowsterminal_profile_template: Some("/usr/lib/wsl/t.json".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "true/false/1/0 in any case are booleans",
                text: "[shortcut]\nenabled = FALSE\n[windowsterminal]\nenabled = 0\n",
                want: DistributionConf {
                    shortcut_enabled: Some(false),
                    windowsterminal_enabled: Some(false),
                    ..d()
                },
                stop_line: None,
            },
            // The NUL rows: WSL passes value.c_str() on, so a value ends at its
            // first NUL (found by running WSL's ParseConfigFile, issue #11).
            Row {
                rule: "a NUL ends a plain value",
                text: "[oobe]\ncommand = ab\0cd\ndefaultName = n\n",
                want: DistributionConf {
                    oobe_command: Some("ab".into()),
                    oobe_default_name: Some("n".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "a NUL ends a quoted value",
                text: "[oobe]\ncommand = \"a\0b\"\n",
                want: DistributionConf {
                    oobe_command: Some("a".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "a NUL first leaves the value set and empty",
                text: "[oobe]\ncommand = \0abc\n",
                want: DistributionConf {
                    oobe_command: Some(String::new()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "a NUL ends an integer",
                text: "[oobe]\ndefaultUid = 10\x0099\ncommand = after\n",
                want: DistributionConf {
                    oobe_default_uid: Some(10),
                    oobe_command: Some("after".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "a NUL ends a boolean",
                text: "[shortcut]\nenabled = false\0junk\n",
                want: DistributionConf {
                    shortcut_enabled: Some(false),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "yes/no/on/off are not booleans: the default stays",
                text: "[shortcut]\nenabled = no\n[windowsterminal]\nenabled = off\n",
                want: d(),
                stop_line: None,
            },
            Row {
                rule: "the first of two duplicate keys wins",
                text: "[oobe]\ndefaultName = first\ndefaultname = second\n",
                want: DistributionConf {
                    oobe_default_name: Some("first".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "an invalid first value still blocks the duplicate",
                text: "[shortcut]\nenabled = nope\nenabled = false\n",
                want: d(),
                stop_line: None,
            },
            Row {
                rule: "unknown keys are skipped, parsing goes on",
                text: "[oobe]\ncolour = red\ndefaultUid = 1000\n",
                want: DistributionConf {
                    oobe_default_uid: Some(1000),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "# comments, full-line and trailing outside quotes",
                text: "# top\n[oobe] # section comment\ndefaultName = a # trailing\ncommand = \"b # kept\"\n",
                want: DistributionConf {
                    oobe_default_name: Some("a".into()),
                    oobe_command: Some("b # kept".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "quotes toggle and are removed; escapes \\\\ \\\" \\b \\n \\t",
                text: "[oobe]\ncommand = a\" b \"c \\\"q\\\" \\\\ \\n\\t\\b\n",
                want: DistributionConf {
                    oobe_command: Some("a b c \"q\" \\ \n\t\u{8}".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "backslash-newline continues the value",
                text: "[oobe]\ncommand = one \\\ntwo\n",
                want: DistributionConf {
                    oobe_command: Some("one two".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "spaces around = and at the end are trimmed, quoted ones kept",
                text: "[oobe]\ndefaultName   =   spaced out   \ncommand=\"  kept  \"  \n",
                want: DistributionConf {
                    oobe_default_name: Some("spaced out".into()),
                    oobe_command: Some("  kept  ".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "CRLF line ends",
                text: "[oobe]\r\ndefaultName = crlf\r\n\r\n[shortcut]\r\nenabled = false\r\n",
                want: DistributionConf {
                    oobe_default_name: Some("crlf".into()),
                    shortcut_enabled: Some(false),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "integers use strtol base 0",
                text: "[oobe]\ndefaultUid = 0x3e8\n",
                want: DistributionConf {
                    oobe_default_uid: Some(1000),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "a leading ; stops the parse",
                text: "[oobe]\ndefaultName = a\n; ini comment\ncommand = lost\n",
                want: DistributionConf {
                    oobe_default_name: Some("a".into()),
                    ..d()
                },
                stop_line: Some(3),
            },
            Row {
                rule: "a malformed section stops the parse",
                text: "[oobe]\ndefaultName = a\n[windows-terminal]\nenabled = false\n",
                want: DistributionConf {
                    oobe_default_name: Some("a".into()),
                    ..d()
                },
                stop_line: Some(3),
            },
            Row {
                rule: "a section name starting with a digit stops the parse",
                text: "[1oobe]\n",
                want: d(),
                stop_line: Some(1),
            },
            Row {
                rule: "text after ] stops the parse",
                text: "[oobe] x\ndefaultName = a\n",
                want: d(),
                stop_line: Some(1),
            },
            Row {
                rule: "a missing = stops the parse",
                text: "[oobe]\ndefaultName a\ncommand = lost\n",
                want: d(),
                stop_line: Some(2),
            },
            Row {
                rule: "a key with _ or . stops the parse",
                text: "[oobe]\ndefault_uid = 1000\n",
                want: d(),
                stop_line: Some(2),
            },
            Row {
                rule: "a dotted key outside a section stops the parse",
                text: "oobe.defaultName = a\n",
                want: d(),
                stop_line: Some(1),
            },
            Row {
                rule: "a bad escape stops the parse",
                text: "[oobe]\ncommand = C:\\path\ndefaultName = lost\n",
                want: d(),
                stop_line: Some(2),
            },
            Row {
                rule: "an unterminated quote stops the parse",
                text: "[oobe]\ndefaultName = \"open\n[shortcut]\nenabled = false\n",
                want: d(),
                stop_line: Some(2),
            },
            Row {
                rule: "a UTF-8 byte order mark stops the parse on line 1",
                text: "\u{feff}[oobe]\ndefaultName = a\n",
                want: d(),
                stop_line: Some(1),
            },
            Row {
                rule: "backslash-CRLF ends the value (keeping the space before it) instead of continuing it",
                text: "[oobe]\r\ncommand = one \\\r\ndefaultName = two\r\n",
                want: DistributionConf {
                    oobe_command: Some("one ".into()),
                    oobe_default_name: Some("two".into()),
                    ..d()
                },
                stop_line: None,
            },
            Row {
                rule: "keys before any section have no section",
                text: "command = x\n[oobe]\ncommand = y\n",
                want: DistributionConf {
                    oobe_command: Some("y".into()),
                    ..d()
                },
                stop_line: None,
            },
        ];
        for row in rows {
            let got = conf(row.text);
            assert_eq!(got.conf, row.want, "{}", row.rule);
            assert_eq!(
                got.stop.as_ref().map(|s| s.line),
                row.stop_line,
                "{}",
                row.rule
            );
        }
    }

    /// WSL's UnitTests.cpp, ModernInstall, "Distribution default name is
    /// invalid": `[oobe]\ndefaultName = invalid!` fails to install with
    /// `Invalid distribution name: "invalid!".`; and "no default name": a
    /// plain install fails with MessageDistributionNameNeeded.
    #[test]
    fn names_wsl_refuses_and_a_missing_default_name() {
        let got = check(b"[oobe]\ndefaultName = invalid!\n");
        let bad: Vec<&Diagnostic> = got
            .diagnostics
            .iter()
            .filter(|d| d.rule == "invalid-name")
            .collect();
        assert_eq!(bad.len(), 1, "{:?}", got.diagnostics);
        assert_eq!(bad[0].line, Some(2));
        assert!(
            bad[0]
                .message
                .contains("Invalid distribution name: \"invalid!\"."),
            "{}",
            bad[0].message
        );
        assert_eq!(bad[0].severity, crate::diagnostic::Severity::Error);
        for name in ["Legacy", "has space", "NixOS"] {
            let got = check(format!("[oobe]\ndefaultName = {name}\n").as_bytes());
            let refused = got.diagnostics.iter().any(|d| d.rule == "invalid-name");
            assert_eq!(refused, name != "NixOS", "{name}");
        }
        let got = check(b"[shortcut]\nenabled = false\n");
        let missing = got
            .diagnostics
            .iter()
            .find(|d| d.rule == "no-default-name")
            .unwrap();
        assert!(missing.message.contains("This distribution doesn't contain a default name. Use --name to choose the distribution name."));
        assert_eq!(missing.severity, crate::diagnostic::Severity::Warning);
    }

    #[test]
    fn a_nul_is_named_with_its_line_and_column() {
        let got = conf("[oobe]\ncommand = ab\0cd\n");
        let nul: Vec<&Diagnostic> = got
            .diagnostics
            .iter()
            .filter(|d| d.rule == "nul-byte")
            .collect();
        assert_eq!(nul.len(), 1, "{:?}", got.diagnostics);
        assert_eq!(nul[0].line, Some(2));
        assert!(
            nul[0].message.contains("line 2, column 13"),
            "{}",
            nul[0].message
        );
        assert!(nul[0].message.contains("as \"ab\""), "{}", nul[0].message);
        assert_eq!(nul[0].severity, crate::diagnostic::Severity::Warning);
    }

    /// (physical line, WSL's line) of every key WSL reads, and of the stop.
    fn wsl_lines(text: &[u8]) -> Vec<(usize, usize)> {
        let (entries, stop) = read_entries(text, false);
        let mut lines: Vec<_> = entries.iter().map(|e| (e.line, e.wsl_line)).collect();
        lines.extend(stop.map(|s| (s.line, s.wsl_line)));
        lines
    }

    /// WSL counts a CR that ends a key or section line as a line; its
    /// warnings then name a later line than the file has. Each expectation
    /// is the line WSL's own parser warned about (scripts/wsl-oracle's conf
    /// driver), which the oracle keeps checking on every case.
    #[test]
    fn wsl_numbers_lines_as_its_parser_does() {
        // A trailing comment, a blank CRLF line, and a `\` CR LF that ends
        // the value inside a quote: the stop, which WSL names line 6.
        let text = b"# comment\r\n[oobe]\r\ndefaultName = n # trailing\r\n\r\ncommand = \"a\\\r\nb\r\nbogus = 1\r\n";
        assert_eq!(wsl_lines(text), [(3, 4), (5, 6)]);
        assert_eq!(
            wsl_lines(b"[oobe]\ncommand = x\nbogus = 1\n"),
            [(2, 2), (3, 3)]
        );
        // An open quote continues across `\` LF (a `#` in it is no comment);
        // WSL applies the key at the continuation's last line.
        assert_eq!(
            wsl_lines(b"[oobe]\ncommand = \"a\\\nb # c\"\r\nbogus = 1\n"),
            [(2, 3), (4, 5)]
        );
        assert_eq!(
            wsl_lines(b"[x]\r\na = 1\r\nb = 2\r\n;\r\n"),
            [(2, 3), (3, 5), (4, 7)]
        );
        // A lone CR ends the value and WSL counts a line; the physical line
        // goes on (found by the conf oracle on the fuzz corpus).
        assert_eq!(wsl_lines(b"if = \r\" ="), [(1, 1), (1, 2)]);
        let got = conf("[oobe]\r\ndefaultName = n\r\nbogus = 1\r\n");
        let unknown = got
            .diagnostics
            .iter()
            .find(|d| d.rule == "unknown-key")
            .unwrap();
        assert_eq!(unknown.line, Some(3), "the physical line");
        assert!(
            unknown
                .message
                .contains("WSL's own warning will say line 5"),
            "{}",
            unknown.message
        );
        let got = conf("[oobe]\ndefaultName = n\nbogus = 1\n");
        let unknown = got
            .diagnostics
            .iter()
            .find(|d| d.rule == "unknown-key")
            .unwrap();
        assert!(
            !unknown.message.contains("WSL's own warning"),
            "{}",
            unknown.message
        );
        let stop = conf("[oobe]\r\ndefaultName = n\r\n;bad\r\n");
        let stopped = stop
            .diagnostics
            .iter()
            .find(|d| d.rule == "parse-stopped")
            .unwrap();
        assert_eq!(stopped.line, Some(3));
        assert!(
            stopped.message.contains("will say line 5"),
            "{}",
            stopped.message
        );
    }

    #[test]
    fn stop_reports_lost_keys_with_lines() {
        let got = conf(
            "[oobe]\ndefaultName = a\n; note\n[windowsterminal]\nenabled = false\nprofileTemplate = /usr/lib/wsl/t.json\n",
        );
        let stop = got.stop.unwrap();
        assert_eq!(stop.line, 3);
        let lost: Vec<_> = stop.lost.iter().map(|l| (l.key.as_str(), l.line)).collect();
        assert_eq!(
            lost,
            [
                ("windowsterminal.enabled", 5),
                ("windowsterminal.profileTemplate", 6)
            ]
        );
        let error = got
            .diagnostics
            .iter()
            .find(|d| d.rule == "parse-stopped")
            .unwrap();
        assert!(
            error.message.contains("windowsterminal.enabled (line 5)"),
            "{}",
            error.message
        );
    }

    #[test]
    fn warnings_for_unknown_duplicate_and_invalid() {
        let got = conf("[oobe]\ndefaultNmae = x\n[shortcut]\nenabled = yes\nenabled = true\n");
        let rules: Vec<_> = got.diagnostics.iter().map(|d| (d.rule, d.line)).collect();
        assert_eq!(
            rules,
            [
                ("unknown-key", Some(2)),
                ("invalid-value", Some(4)),
                ("duplicate-key", Some(5))
            ]
        );
        assert!(
            got.diagnostics[0]
                .message
                .contains("did you mean oobe.defaultName?")
        );
    }

    #[test]
    fn check_flags_paths_and_uids() {
        let got = check(
            b"[oobe]\ndefaultName = n\ndefaultUid = 01750\ncommand = /opt/oobe.sh\n[shortcut]\nicon = /usr/lib/wsl/../x.ico\n[windowsterminal]\nenabled = false\nprofileTemplate = profile.json\n",
        );
        let rules: Vec<_> = got.diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [
                "octal-uid",
                "path-location",
                "path-dotdot",
                "path-relative",
                "template-unused"
            ]
        );
        assert_eq!(got.conf.oobe_default_uid, Some(1000));
    }

    #[test]
    fn strtol_base_zero() {
        for (text, want) in [
            ("1000", Some(1000)),
            ("0x3E8", Some(1000)),
            ("01750", Some(1000)),
            ("0", Some(0)),
            ("-1", Some(-1)),
            ("+7", Some(7)),
            (" 12", Some(12)),
            ("", None),
            ("12a", None),
            ("0x", None),
            ("08", None),
            ("99999999999", None),
        ] {
            assert_eq!(parse_int(text), want, "{text:?}");
        }
    }

    #[test]
    fn render_round_trips_hostile_values() {
        let hostile = [
            "plain",
            "  edge spaces  ",
            "quote \" and backslash \\",
            "hash # semicolon ; = equals",
            "new\nline\ttab\u{8}bs",
            "ünïcødé 😀 \u{202e}",
            "[section]",
            "trailing backslash \\",
            "",
        ];
        for value in hostile {
            let conf = DistributionConf {
                oobe_command: Some(value.into()),
                oobe_default_uid: Some(1000),
                oobe_default_name: Some(value.into()),
                shortcut_enabled: Some(false),
                shortcut_icon: Some(value.into()),
                windowsterminal_enabled: Some(true),
                windowsterminal_profile_template: Some(value.into()),
            };
            let text = conf.render().unwrap();
            let back = parse(text.as_bytes());
            assert_eq!(back.conf, conf, "{value:?}\n{text}");
            assert!(
                back.diagnostics.is_empty(),
                "{value:?}: {:?}",
                back.diagnostics
            );
        }
        let empty = DistributionConf::default().render().unwrap();
        assert_eq!(parse(empty.as_bytes()).conf, DistributionConf::default());
    }

    #[test]
    fn render_refuses_what_wsl_cannot_read() {
        for bad in ["carriage\rreturn", "nul\0byte"] {
            let err = DistributionConf {
                oobe_default_name: Some(bad.into()),
                ..Default::default()
            }
            .render()
            .unwrap_err();
            assert_eq!(err.key, ConfKey::OobeDefaultName);
        }
    }
}
