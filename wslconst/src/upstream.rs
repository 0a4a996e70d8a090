//! The constants read from Microsoft's WSL and Windows Terminal sources.
//!
//! [`extracted`] holds them as upstream names them, each with its provenance;
//! the typed constants below are what the rest of the crate and its users use.
//! Where each value came from is decided by the build (docs/GUIDE.md, "Where
//! the constants come from"):
//!
//! ```
//! use wslconst::upstream::{self, Origin};
//! let p = upstream::extracted::WslTerminalNamespace.provenance;
//! assert_eq!(p.tree.repo(), "microsoft/WSL");
//! assert_eq!(p.path, "src/windows/common/wslutil.h");
//! assert!(matches!(p.origin, Origin::PinFile | Origin::SourceTree));
//! ```

use crate::guid::{Guid, GuidStyle};
use crate::message::Message;

pub use wslconst_upstream::Tree;

/// A value read from upstream, with where it was read.
#[derive(Clone, Copy, Debug)]
pub struct Extracted<T: 'static> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub provenance: Provenance,
}

/// Where an upstream value was read.
#[derive(Clone, Copy, Debug)]
pub struct Provenance {
    /// The constant's name in this crate (upstream's primary name).
    pub constant: &'static str,
    /// The repository.
    pub tree: Tree,
    /// The commit (or `unknown` for a tree without git and without a `*_REV` variable).
    pub revision: &'static str,
    /// Path inside the repository.
    pub path: &'static str,
    /// 1-based line of the declaration.
    pub line: u32,
    /// The name declared at that line.
    pub symbol: &'static str,
    /// Pin file or real source tree.
    pub origin: Origin,
    /// Every place the constant is looked for, in order of preference.
    pub lookup: &'static [Location],
}

/// Whether a value was read from a source tree at build time or from the pin file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The embedded default: `upstream-pin.json`, as last extracted from real sources.
    PinFile,
    /// A source tree named by `WSLCONST_WSL_SRC` / `WSLCONST_TERMINAL_SRC`, checked
    /// against the pin file.
    SourceTree,
}

impl Origin {
    /// `pin-file` or `source-tree`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Origin::PinFile => "pin-file",
            Origin::SourceTree => "source-tree",
        }
    }
}

/// A place a constant may be declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Path inside the repository.
    pub path: &'static str,
    /// The declared name.
    pub symbol: &'static str,
}

/// An extracted value of either kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// From a `GUID` initializer.
    Guid(Guid),
    /// From a string literal.
    Str(&'static str),
}

/// One entry of [`extracted::ALL`].
#[derive(Clone, Copy, Debug)]
pub struct Constant {
    /// The value.
    pub value: Value,
    /// Where it was read.
    pub provenance: Provenance,
}

/// Every upstream constant, named as upstream names it.
///
/// The locations listed here are the single place that says where upstream
/// declares what; docs/UPSTREAM.md explains each.
pub mod extracted {
    wslconst_macros::upstream! {
        /// Namespace of the profiles WSL writes into its Terminal fragment (Tier 2).
        wsl WslTerminalNamespace: Guid = "src/windows/common/wslutil.h";
        /// The namespace WSL's hide entry uses; must equal Terminal's
        /// `TERMINAL_PROFILE_NAMESPACE_GUID`.
        wsl GeneratedProfilesTerminalNamespace: Guid = "src/windows/common/wslutil.h";
        /// The `printf` format of WSL's `GuidToString`.
        wsl GUID_FORMAT_STRING: Str = "src/shared/inc/stringshared.h";
        /// The WSL executable's file name.
        wsl WSL_BINARY_NAME: Str = "src/windows/inc/wsl.h";
        /// The argument WSL's fragment passes the distribution id with.
        wsl WSL_DISTRIBUTION_ID_ARG: Str = "src/windows/inc/wsl.h";
        /// Where WSL reads a distribution's import-time configuration.
        wsl WSL_DISTRIBUTION_CONF: Str = "src/shared/inc/lxinitshared.h";
        /// Namespace of Terminal's dynamic profiles (Tier 1).
        terminal TERMINAL_PROFILE_NAMESPACE_GUID: Guid =
            "src/cascadia/TerminalSettingsModel/DynamicProfileUtils.h",
            "src/cascadia/TerminalSettingsModel/DefaultProfileUtils.h";
        /// Root namespace of GUIDs Terminal generates for fragment profiles without one.
        /// The pinned revision declares it in `Profile.h`; a branch of the
        /// "Native" settings-model refactor (0cacbbc0) in `Native/Profile.cpp`.
        terminal RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID: Guid =
            "src/cascadia/TerminalSettingsModel/Native/Profile.cpp" as RuntimeGeneratedProfileNamespace,
            "src/cascadia/TerminalSettingsModel/Profile.h";
        /// The `source` of profiles from Terminal's legacy WSL generator.
        terminal WslGeneratorNamespace: Str =
            "src/cascadia/TerminalSettingsModel/LegacyProfileGeneratorNamespaces.h";
    }
}

/// `wsl.exe`.
pub const WSL_BINARY_NAME: &str = extracted::WSL_BINARY_NAME.value;

/// `--distribution-id`.
pub const WSL_DISTRIBUTION_ID_ARG: &str = extracted::WSL_DISTRIBUTION_ID_ARG.value;

/// `/etc/wsl-distribution.conf`.
pub const WSL_DISTRIBUTION_CONF: &str = extracted::WSL_DISTRIBUTION_CONF.value;

/// `Windows.Terminal.Wsl`.
pub const WSL_GENERATOR_NAMESPACE: &str = extracted::WslGeneratorNamespace.value;

/// How WSL writes GUIDs, as implied by its `GUID_FORMAT_STRING`.
///
/// A format string that is not a GUID format fails the build.
pub const GUID_FORMAT: GuidStyle = match GuidStyle::from_printf(extracted::GUID_FORMAT_STRING.value)
{
    Ok(style) => style,
    Err(reason) => fail_upstream(&extracted::GUID_FORMAT_STRING.provenance, reason),
};

/// The revision every constant of `tree` was read at.
///
/// All constants of one tree share a revision; the build checks it.
pub const fn revision(tree: Tree) -> &'static str {
    let mut i = 0;
    while i < extracted::ALL.len() {
        let p = &extracted::ALL[i].provenance;
        if p.tree as u8 == tree as u8 {
            return p.revision;
        }
        i += 1;
    }
    "unknown"
}

/// Fails the build for an upstream value that breaks a rule, naming it.
pub const fn fail_upstream(p: &Provenance, reason: &str) -> ! {
    let m = Message::new()
        .text("upstream constant `")
        .text(p.constant)
        .text("` (")
        .text(p.path)
        .text(":")
        .number(p.line)
        .text(") ")
        .text(reason);
    panic!("{}", m.as_str())
}
