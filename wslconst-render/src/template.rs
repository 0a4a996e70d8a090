//! The typed context every artifact template renders from.
//!
//! Templates receive these fields, never strings looked up by name, so a template
//! that names a constant which does not exist is a compile error (see the UI test
//! `template_names_missing_constant`).

use wslconst::guid::GuidStyle;
use wslconst::profile::{self, ProfileNamespace};
use wslconst::upstream::{self, Tree};

/// Every upstream constant, typed, with the revisions they were read at.
#[derive(Clone, Copy, Debug)]
pub struct TemplateConstants {
    /// [`profile::WSL_TERMINAL_NAMESPACE`].
    pub wsl_terminal_namespace: ProfileNamespace,
    /// [`profile::GENERATED_PROFILES_TERMINAL_NAMESPACE`].
    pub generated_profiles_terminal_namespace: ProfileNamespace,
    /// [`profile::TERMINAL_PROFILE_NAMESPACE`].
    pub terminal_profile_namespace: ProfileNamespace,
    /// [`profile::RUNTIME_GENERATED_PROFILE_NAMESPACE`].
    pub runtime_generated_profile_namespace: ProfileNamespace,
    /// [`upstream::WSL_BINARY_NAME`].
    pub wsl_binary_name: &'static str,
    /// [`upstream::WSL_DISTRIBUTION_ID_ARG`].
    pub wsl_distribution_id_arg: &'static str,
    /// [`upstream::WSL_DISTRIBUTION_CONF`].
    pub wsl_distribution_conf: &'static str,
    /// [`upstream::WSL_GENERATOR_NAMESPACE`].
    pub wsl_generator_namespace: &'static str,
    /// [`upstream::GUID_FORMAT`].
    pub guid_format: GuidStyle,
    /// The microsoft/WSL revision.
    pub wsl_source_rev: &'static str,
    /// The microsoft/terminal revision.
    pub terminal_source_rev: &'static str,
}

/// The constants of this build.
pub const CONSTANTS: TemplateConstants = TemplateConstants {
    wsl_terminal_namespace: profile::WSL_TERMINAL_NAMESPACE,
    generated_profiles_terminal_namespace: profile::GENERATED_PROFILES_TERMINAL_NAMESPACE,
    terminal_profile_namespace: profile::TERMINAL_PROFILE_NAMESPACE,
    runtime_generated_profile_namespace: profile::RUNTIME_GENERATED_PROFILE_NAMESPACE,
    wsl_binary_name: upstream::WSL_BINARY_NAME,
    wsl_distribution_id_arg: upstream::WSL_DISTRIBUTION_ID_ARG,
    wsl_distribution_conf: upstream::WSL_DISTRIBUTION_CONF,
    wsl_generator_namespace: upstream::WSL_GENERATOR_NAMESPACE,
    guid_format: upstream::GUID_FORMAT,
    wsl_source_rev: upstream::revision(Tree::Wsl),
    terminal_source_rev: upstream::revision(Tree::Terminal),
};

/// askama escaper for values inside Python string literals (`'...'` or `"..."`).
///
/// Output is pure ASCII: quotes and backslashes are escaped, control characters
/// and the rest of Latin-1 become `\xNN`, the rest `\uXXXX` / `\UXXXXXXXX`. A value can
/// therefore never end its literal or change the file's encoding. It is not
/// safe inside f-strings (braces are left alone), and templates use none.
///
/// ```
/// use askama::filters::Escaper;
/// let mut out = String::new();
/// wslconst_render::template::Python.write_escaped_str(&mut out, "it's \"é\"\n😀\\").unwrap();
/// assert_eq!(out, r#"it\'s \"\xe9\"\n\U0001f600\\"#);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Python;

impl askama::filters::Escaper for Python {
    fn write_escaped_str<W: core::fmt::Write>(
        &self,
        mut dest: W,
        string: &str,
    ) -> core::fmt::Result {
        for c in string.chars() {
            match c {
                '\\' => dest.write_str("\\\\")?,
                '\'' => dest.write_str("\\'")?,
                '"' => dest.write_str("\\\"")?,
                '\n' => dest.write_str("\\n")?,
                '\r' => dest.write_str("\\r")?,
                '\t' => dest.write_str("\\t")?,
                ' '..='~' => dest.write_char(c)?,
                c if (c as u32) < 0x100 => write!(dest, "\\x{:02x}", c as u32)?,
                c if (c as u32) < 0x1_0000 => write!(dest, "\\u{:04x}", c as u32)?,
                c => write!(dest, "\\U{:08x}", c as u32)?,
            }
        }
        Ok(())
    }
}

/// `validate.py`: the standalone offline validator and GUID calculator.
#[derive(askama::Template)]
#[template(path = "validate.py")]
pub struct ValidatePy<'a> {
    /// The typed constants.
    pub c: &'a TemplateConstants,
    /// The document it validates against (conventions, constants, vectors).
    pub reference: &'a wslconst_model::constants::ConstantsJson,
    /// `wslconst <version>`.
    pub generator: &'static str,
    /// The reference's `wslRules`, as compact JSON.
    pub wsl_rules_json: String,
}

/// `validate.py`, rendered for `reference` (this build's constants.json).
pub fn validate_py(reference: &wslconst_model::constants::ConstantsJson) -> String {
    use askama::Template as _;
    ValidatePy {
        c: &CONSTANTS,
        reference,
        generator: concat!("wslconst ", env!("CARGO_PKG_VERSION")),
        wsl_rules_json: reference.wsl_rules_json(),
    }
    .render()
    .expect("validate.py renders")
}
