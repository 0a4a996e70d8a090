//! The typed context every artifact template renders from.
//!
//! Templates receive these fields, never strings looked up by name, so a template
//! that names a constant which does not exist is a compile error (see the UI test
//! `template_names_missing_constant`).

use crate::guid::GuidStyle;
use crate::profile::ProfileNamespace;
use crate::upstream::{self, Tree};

/// Every upstream constant, typed, with the revisions they were read at.
#[derive(Clone, Copy, Debug)]
pub struct TemplateConstants {
    /// [`upstream::WSL_TERMINAL_NAMESPACE`].
    pub wsl_terminal_namespace: ProfileNamespace,
    /// [`upstream::GENERATED_PROFILES_TERMINAL_NAMESPACE`].
    pub generated_profiles_terminal_namespace: ProfileNamespace,
    /// [`upstream::TERMINAL_PROFILE_NAMESPACE`].
    pub terminal_profile_namespace: ProfileNamespace,
    /// [`upstream::RUNTIME_GENERATED_PROFILE_NAMESPACE`].
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
    wsl_terminal_namespace: upstream::WSL_TERMINAL_NAMESPACE,
    generated_profiles_terminal_namespace: upstream::GENERATED_PROFILES_TERMINAL_NAMESPACE,
    terminal_profile_namespace: upstream::TERMINAL_PROFILE_NAMESPACE,
    runtime_generated_profile_namespace: upstream::RUNTIME_GENERATED_PROFILE_NAMESPACE,
    wsl_binary_name: upstream::WSL_BINARY_NAME,
    wsl_distribution_id_arg: upstream::WSL_DISTRIBUTION_ID_ARG,
    wsl_distribution_conf: upstream::WSL_DISTRIBUTION_CONF,
    wsl_generator_namespace: upstream::WSL_GENERATOR_NAMESPACE,
    guid_format: upstream::GUID_FORMAT,
    wsl_source_rev: upstream::revision(Tree::Wsl),
    terminal_source_rev: upstream::revision(Tree::Terminal),
};
