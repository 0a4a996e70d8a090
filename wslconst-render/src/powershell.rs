//! The Windows-side PowerShell scripts: `Import-NixOSWSL.ps1` and
//! `Compute-WslProfileGuid.ps1`, rendered from typed values.
//!
//! Every value a script receives lands inside a single-quoted string literal,
//! escaped by [`SingleQuoted`]; no template puts a value into a double-quoted
//! string, a here-string or code. The scripts carry self-check vectors computed
//! here at render time ([`GuidVector`], [`SettingsEditVector`]): where their
//! GUID code disagrees they change nothing, and where their settings editor
//! disagrees they edit no settings and say what to change instead.
//!
//! The import script does only what WSL does not: WSL writes the Terminal
//! fragment itself during `wsl --import` (and Terminal generates a profile for
//! distros WSL did not mark `Modern`), so the script never writes one; it
//! checks everything before its first change, replaces a distro only after
//! exporting it, and cleans up the profiles a reimport leaves in settings.json.
//!
//! Rendered scripts start with a UTF-8 byte order mark: Windows PowerShell 5.1
//! reads a `.ps1` without one in the ANSI code page, which would garble any
//! non-ASCII value (and U+2018..U+201B, which PowerShell treats as quotes).

use base64_engine::encode as base64;
use wslconst_model::settings::vectors::{SETTINGS_EDIT_VECTORS, SettingsEditVector};

use crate::template::{CONSTANTS, TemplateConstants};
use wslconst::profile::ProfileGuid;
use wslconst::vectors::{PUBLISHED, VectorInput};
use wslconst_model::locations::{self, TerminalInstall};

/// The characters PowerShell ends a single-quoted string at: `'` and the
/// Unicode single quotes U+2018, U+2019, U+201A and U+201B
/// (`CharExtensions.IsSingleQuote` in PowerShell's tokenizer).
pub const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// askama escaper for values inside PowerShell single-quoted strings (`'...'`).
///
/// Inside such a string PowerShell expands nothing (`$`, backticks, `$()` are
/// plain text) and the only special characters are the five quotes of
/// [`SINGLE_QUOTES`]; a quote written twice is one literal quote. So every
/// quote is doubled and everything else is copied, newlines and NUL included:
/// the value stays one string literal whatever it holds.
///
/// ```
/// use askama::filters::Escaper;
/// let mut out = String::new();
/// wslconst_render::powershell::SingleQuoted.write_escaped_str(&mut out, "it's ‘$(x)’ `n").unwrap();
/// assert_eq!(out, "it''s ‘‘$(x)’’ `n");
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SingleQuoted;

impl askama::filters::Escaper for SingleQuoted {
    fn write_escaped_str<W: core::fmt::Write>(
        &self,
        mut dest: W,
        string: &str,
    ) -> core::fmt::Result {
        for c in string.chars() {
            dest.write_char(c)?;
            if SINGLE_QUOTES.contains(&c) {
                dest.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// `'value'` as PowerShell source: [`SingleQuoted`] with the quotes around it.
///
/// ```
/// assert_eq!(wslconst_render::powershell::single_quoted("O'Neil"), "'O''Neil'");
/// ```
pub fn single_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    askama::filters::Escaper::write_escaped_str(&SingleQuoted, &mut out, value)
        .expect("writing to a String cannot fail");
    out.push('\'');
    out
}

/// WSL's rule for distro names, for .NET: [`wslconst_model::distro_name::DOTNET_PATTERN`].
pub const DISTRO_NAME_PATTERN: &str = wslconst_model::distro_name::DOTNET_PATTERN;

/// The first WSL release that imports `.wsl` images and writes their Terminal
/// fragment ("This guide only applies to WSL release 2.4.4 and higher",
/// learn.microsoft.com/windows/wsl/build-custom-distro). The import script
/// refuses older ones, and the inbox `wsl.exe`, which has no `--version`.
pub const MIN_WSL_VERSION: &str = "2.4.4";

/// `LXSS_DISTRO_FLAGS_VM_MODE` (`wslservice.idl`): the bit of a distro's
/// registry `Flags` that makes it WSL 2. The import script reads it to print
/// the exact command that restores a replaced distro with its own version.
pub const LXSS_DISTRO_FLAGS_VM_MODE: u32 = 0x8;

/// The one name WSL reserves: [`wslconst_model::distro_name::LEGACY`].
pub const LEGACY_DISTRO_NAME: &str = wslconst_model::distro_name::LEGACY;

/// One GUID the scripts recompute before they change anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuidVector {
    /// `tier1`, `tier2` or `fragment`.
    pub kind: &'static str,
    /// The distro or profile name, or for Tier 2 the distribution id.
    pub input: String,
    /// The fragment source; empty for the tiers.
    pub source: String,
    /// What this crate computes.
    pub expected: ProfileGuid,
}

impl GuidVector {
    fn of(input: &VectorInput) -> GuidVector {
        let (kind, input_text, source) = match *input {
            VectorInput::Tier1 { name } => ("tier1", name.to_owned(), String::new()),
            VectorInput::Tier2 { distribution_id } => {
                ("tier2", distribution_id.to_string(), String::new())
            }
            VectorInput::Fragment { source, name } => {
                ("fragment", name.to_owned(), source.to_owned())
            }
        };
        GuidVector {
            kind,
            input: input_text,
            source,
            expected: input.compute(),
        }
    }
}

/// Names beyond the published vectors that exercise UTF-16: Latin-1
/// accents, CJK, an astral character (a surrogate pair), every PowerShell
/// quote, and the empty name.
const UNICODE_NAMES: &[&str] = &[
    "Ünïcødé",
    "日本語ディストロ",
    "NixOS 😀",
    "it's ‘quoted’ ‚low‛",
    "",
];

/// The GUID self-check vectors: every published vector, recomputed here, then
/// Tier 1 of names that exercise UTF-16 (accents, CJK, an astral character, every
/// PowerShell quote, the empty name) and a fragment profile with a non-ASCII source.
pub fn guid_vectors() -> Vec<GuidVector> {
    let mut vectors: Vec<GuidVector> = PUBLISHED.iter().map(|v| GuidVector::of(&v.input)).collect();
    vectors.extend(
        UNICODE_NAMES
            .iter()
            .map(|name| GuidVector::of(&VectorInput::Tier1 { name })),
    );
    vectors.push(GuidVector::of(&VectorInput::Fragment {
        source: "Ünïcødé.Tools",
        name: "Shell 😀",
    }));
    vectors
}

/// A settings edit vector as the script carries it: texts in base64, GUID
/// lists joined by commas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEditVector {
    /// [`SettingsEditVector::label`].
    pub label: &'static str,
    /// The input, base64.
    pub input_base64: String,
    /// The stale GUIDs, comma-separated.
    pub stale: String,
    /// [`SettingsEditVector::default`].
    pub default: &'static str,
    /// [`SettingsEditVector::replacement`].
    pub replacement: &'static str,
    /// The expected text, base64.
    pub expected_base64: String,
    /// [`SettingsEditVector::manual`].
    pub manual: usize,
}

impl From<&SettingsEditVector> for RenderedEditVector {
    fn from(v: &SettingsEditVector) -> Self {
        RenderedEditVector {
            label: v.label,
            input_base64: base64(v.input.as_bytes()),
            stale: v.stale.join(","),
            default: v.default,
            replacement: v.replacement,
            expected_base64: base64(v.expected.as_bytes()),
            manual: v.manual,
        }
    }
}

/// Everything both scripts render from.
#[derive(Clone, Debug)]
pub struct ScriptContext {
    /// The typed upstream constants.
    pub c: TemplateConstants,
    /// `wslconst <version>`.
    pub generator: String,
    /// The name `Import-NixOSWSL.ps1` imports as when `-Name` is not given.
    pub default_distro_name: String,
    /// WSL's distro name rule ([`DISTRO_NAME_PATTERN`]).
    pub distro_name_pattern: &'static str,
    /// [`LEGACY_DISTRO_NAME`].
    pub legacy_distro_name: &'static str,
    /// GUID self-check vectors.
    pub guid_vectors: Vec<GuidVector>,
    /// Settings editor self-check vectors.
    pub settings_edit_vectors: Vec<RenderedEditVector>,
    /// [`MIN_WSL_VERSION`].
    pub min_wsl_version: &'static str,
    /// [`LXSS_DISTRO_FLAGS_VM_MODE`].
    pub vm_mode_flag: u32,
    /// Where Terminal keeps its settings.
    pub terminal_installs: &'static [TerminalInstall],
    /// The file that marks a portable Terminal install.
    pub portable_marker: &'static str,
    /// The folder of a portable install's settings, beside its executable.
    pub portable_settings_dir: &'static str,
    /// WSL's per-user registry key.
    pub lxss_key: &'static str,
}

impl ScriptContext {
    /// The context of this build: its constants and freshly computed vectors.
    pub fn compiled() -> ScriptContext {
        ScriptContext {
            c: CONSTANTS,
            generator: concat!("wslconst ", env!("CARGO_PKG_VERSION")).to_owned(),
            default_distro_name: "NixOS".to_owned(),
            distro_name_pattern: DISTRO_NAME_PATTERN,
            legacy_distro_name: LEGACY_DISTRO_NAME,
            guid_vectors: guid_vectors(),
            settings_edit_vectors: SETTINGS_EDIT_VECTORS
                .iter()
                .map(RenderedEditVector::from)
                .collect(),
            min_wsl_version: MIN_WSL_VERSION,
            vm_mode_flag: LXSS_DISTRO_FLAGS_VM_MODE,
            terminal_installs: locations::TERMINAL_INSTALLS,
            portable_marker: locations::PORTABLE_MARKER,
            portable_settings_dir: locations::PORTABLE_SETTINGS_DIR,
            lxss_key: locations::LXSS_KEY,
        }
    }
}

/// `Import-NixOSWSL.ps1`.
#[derive(askama::Template)]
#[template(path = "Import-NixOSWSL.ps1")]
pub struct ImportScript<'a> {
    /// What it renders from.
    pub ctx: &'a ScriptContext,
}

/// `Compute-WslProfileGuid.ps1`.
#[derive(askama::Template)]
#[template(path = "Compute-WslProfileGuid.ps1")]
pub struct GuidScript<'a> {
    /// What it renders from.
    pub ctx: &'a ScriptContext,
}

/// Template filters of the scripts.
mod filters {
    /// A value inside a comment (`# ...` or `<# ... #>`): line breaks and
    /// control characters become U+FFFD and `#>` is split, so no value can
    /// end the comment and become code. For provenance in the help text; the
    /// template marks the result `|safe` because this is its escaping.
    #[askama::filter_fn]
    pub fn comment(
        value: impl core::fmt::Display,
        _: &dyn askama::Values,
    ) -> askama::Result<String> {
        Ok(super::comment_text(&value.to_string()))
    }
}

/// See `filters::comment`.
fn comment_text(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .replace("#>", "# >")
}

/// The byte order mark the scripts start with.
pub const BOM: char = '\u{feff}';

/// Renders both scripts from `ctx`: `(file name, contents)` with the BOM.
pub fn render_scripts(ctx: &ScriptContext) -> Vec<(&'static str, String)> {
    use askama::Template as _;
    let with_bom = |text: String| format!("{BOM}{text}");
    vec![
        (
            "Import-NixOSWSL.ps1",
            with_bom(
                ImportScript { ctx }
                    .render()
                    .expect("Import-NixOSWSL.ps1 renders"),
            ),
        ),
        (
            "Compute-WslProfileGuid.ps1",
            with_bom(
                GuidScript { ctx }
                    .render()
                    .expect("Compute-WslProfileGuid.ps1 renders"),
            ),
        ),
    ]
}

/// Standard base64 (RFC 4648, with padding), what `[Convert]::FromBase64String`
/// reads.
mod base64_engine {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = u32::from_be_bytes([0, b[0], b[1], b[2]]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[cfg(test)]
    #[test]
    fn encodes_the_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode(plain.as_bytes()), encoded);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quote_kind_is_doubled_and_nothing_else_changes() {
        for q in SINGLE_QUOTES {
            assert_eq!(single_quoted(&format!("a{q}b")), format!("'a{q}{q}b'"));
        }
        let plain = "$(Remove-Item C:\\) `n; \"x\" \0\r\n@'";
        assert_eq!(
            single_quoted(plain),
            format!("'{}'", plain.replace('\'', "''"))
        );
    }

    #[test]
    fn guid_vectors_include_the_published_ones_unchanged() {
        let vectors = guid_vectors();
        for (v, published) in vectors.iter().zip(PUBLISHED) {
            assert_eq!(v.expected.guid(), published.expected, "{v:?}");
        }
        assert!(
            vectors
                .iter()
                .any(|v| v.input.chars().any(|c| c as u32 > 0xFFFF))
        );
    }
}
