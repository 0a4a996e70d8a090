//! The GUIDs Windows Terminal and WSL give profiles, as distinct types.
//!
//! Three kinds of GUID meet here and mixing them up is the classic failure:
//! a [`ProfileNamespace`] makes profile GUIDs, a [`ProfileGuid`] names a Terminal
//! profile, and a [`DistributionId`] is WSL's registry key for a distro. A distro
//! name is a `&str`, so it cannot be passed where a `DistributionId` is wanted:
//!
//! ```compile_fail
//! wslconst::tier2("Ubuntu"); // expected `DistributionId`, found `&str`
//! ```

use core::fmt;

use crate::guid::{Guid, GuidStyle, GuidText, ParseGuidError};
use crate::upstream;
use crate::v5::v5_utf16le;

/// A UUIDv5 namespace that profile GUIDs are derived in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProfileNamespace(Guid);

impl ProfileNamespace {
    /// Wraps a namespace GUID.
    pub const fn from_guid(guid: Guid) -> ProfileNamespace {
        ProfileNamespace(guid)
    }

    /// The namespace GUID.
    pub const fn guid(self) -> Guid {
        self.0
    }

    /// The profile GUID for `name` in this namespace: `v5(self, utf16le(name))`.
    pub const fn profile(self, name: &str) -> ProfileGuid {
        ProfileGuid(v5_utf16le(self.0, name))
    }

    /// A namespace derived from this one, the way Terminal derives one per
    /// fragment `source`.
    pub const fn child(self, name: &str) -> ProfileNamespace {
        ProfileNamespace(v5_utf16le(self.0, name))
    }
}

impl fmt::Display for ProfileNamespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// WSL's `WslTerminalNamespace`: Tier 2 profile GUIDs are made in it.
pub const WSL_TERMINAL_NAMESPACE: ProfileNamespace =
    ProfileNamespace::from_guid(upstream::extracted::WslTerminalNamespace.value);

/// WSL's `GeneratedProfilesTerminalNamespace`: what WSL's hide entry is computed in.
pub const GENERATED_PROFILES_TERMINAL_NAMESPACE: ProfileNamespace =
    ProfileNamespace::from_guid(upstream::extracted::GeneratedProfilesTerminalNamespace.value);

/// Terminal's `TERMINAL_PROFILE_NAMESPACE_GUID`: Tier 1 profile GUIDs are made in it.
pub const TERMINAL_PROFILE_NAMESPACE: ProfileNamespace =
    ProfileNamespace::from_guid(upstream::extracted::TERMINAL_PROFILE_NAMESPACE_GUID.value);

/// Terminal's `RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID`: root of fragment profile GUIDs.
pub const RUNTIME_GENERATED_PROFILE_NAMESPACE: ProfileNamespace = ProfileNamespace::from_guid(
    upstream::extracted::RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID.value,
);

/// The GUID of a Windows Terminal profile (`"guid"` / `"updates"` in settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileGuid(Guid);

impl ProfileGuid {
    /// Wraps a GUID read from settings or a fragment.
    pub const fn from_guid(guid: Guid) -> ProfileGuid {
        ProfileGuid(guid)
    }

    /// The GUID.
    pub const fn guid(self) -> Guid {
        self.0
    }
}

impl fmt::Display for ProfileGuid {
    /// Lowercase with braces, as Terminal settings and WSL fragments write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A WSL distribution id: the GUID of the distro's key under
/// `HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss`. Random, and new at
/// every import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DistributionId(Guid);

impl DistributionId {
    /// Wraps a registry key GUID.
    pub const fn from_guid(guid: Guid) -> DistributionId {
        DistributionId(guid)
    }

    /// Parses a registry key name, braced or bare, any case.
    ///
    /// ```
    /// let id = wslconst::DistributionId::parse("FC3BF427-722C-4C2B-84BF-17202D2E3740").unwrap();
    /// assert_eq!(id.to_wsl_string().as_str(), "{fc3bf427-722c-4c2b-84bf-17202d2e3740}");
    /// ```
    pub const fn parse(s: &str) -> Result<DistributionId, ParseGuidError> {
        match Guid::parse(s) {
            Ok(g) => Ok(DistributionId(g)),
            Err(e) => Err(e),
        }
    }

    /// The GUID.
    pub const fn guid(self) -> Guid {
        self.0
    }

    /// The id as WSL's `GuidToString` writes it, in the style WSL's
    /// `GUID_FORMAT_STRING` implies: this is the exact Tier 2 input.
    pub const fn to_wsl_string(self) -> GuidText {
        self.0.format(upstream::GUID_FORMAT)
    }
}

impl fmt::Display for DistributionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_wsl_string().as_str())
    }
}

/// Tier 1: the GUID Terminal's legacy WSL generator gives a distro, and the one
/// WSL's fragment hides: `v5(TERMINAL_PROFILE_NAMESPACE_GUID, utf16le(name))`.
///
/// ```
/// assert_eq!(wslconst::tier1("Ubuntu").to_string(), "{2c4de342-38b7-51cf-b940-2309a097f518}");
/// ```
/// Twins: `Get-WslTier1Guid` (templates/powershell/guid.ps1), `tier1` in
/// templates/validate.py and in nix/guid.nix; docs/DESIGN.md names the tests
/// that keep them equal.
pub const fn tier1(distro_name: &str) -> ProfileGuid {
    TERMINAL_PROFILE_NAMESPACE.profile(distro_name)
}

/// Tier 2: the GUID of the profile in WSL's own fragment:
/// `v5(WslTerminalNamespace, utf16le(GuidToString(distribution_id)))`.
///
/// ```
/// use wslconst::{tier2, DistributionId};
/// const ID: DistributionId = match DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}") {
///     Ok(id) => id,
///     Err(_) => panic!(),
/// };
/// assert_eq!(tier2(ID).to_string(), "{ee603799-d7fe-5a9f-a662-e784d8a502df}");
/// ```
/// Twins: `Get-WslTier2Guid` (templates/powershell/guid.ps1), `tier2` in
/// templates/validate.py and in nix/guid.nix.
pub const fn tier2(distribution_id: DistributionId) -> ProfileGuid {
    WSL_TERMINAL_NAMESPACE.profile(distribution_id.to_wsl_string().as_str())
}

/// The GUID Terminal generates for a fragment profile that has no `guid`:
/// `v5(v5(RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID, utf16le(source)), utf16le(name))`,
/// where `source` is the fragment's folder name. An empty `source` uses the
/// runtime namespace itself, as Terminal does.
///
/// ```
/// assert_eq!(wslconst::fragment_profile("Git", "Git Bash").to_string(),
///            "{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}");
/// ```
/// Twins: `Get-WslFragmentProfileGuid` (templates/powershell/guid.ps1),
/// `fragment` in templates/validate.py, `fragmentProfile` in nix/guid.nix.
pub const fn fragment_profile(source: &str, name: &str) -> ProfileGuid {
    fragment_namespace(source).profile(name)
}

/// The namespace Terminal derives for a fragment `source`, in which the GUIDs of
/// its profiles without a `guid` are made (the runtime namespace itself for an
/// empty source).
pub const fn fragment_namespace(source: &str) -> ProfileNamespace {
    if source.is_empty() {
        RUNTIME_GENERATED_PROFILE_NAMESPACE
    } else {
        RUNTIME_GENERATED_PROFILE_NAMESPACE.child(source)
    }
}

/// [`tier1`], [`tier2`] and [`ProfileNamespace::profile`] with a run-time
/// hasher ([`crate::v5::V5Hasher`]): the same GUIDs, faster over many names
/// (`wslconst guid --stdin`). Needs the `fast-sha1` feature.
///
/// ```
/// # #[cfg(feature = "fast-sha1")] {
/// let mut batch = wslconst::profile::BatchHasher::new();
/// assert_eq!(batch.tier1("Ubuntu"), wslconst::tier1("Ubuntu"));
/// # }
/// ```
#[cfg(feature = "fast-sha1")]
#[derive(Clone, Debug, Default)]
pub struct BatchHasher(crate::v5::V5Hasher);

#[cfg(feature = "fast-sha1")]
impl BatchHasher {
    /// A hasher with an empty buffer.
    pub fn new() -> BatchHasher {
        BatchHasher::default()
    }

    /// [`ProfileNamespace::profile`].
    pub fn profile(&mut self, namespace: ProfileNamespace, name: &str) -> ProfileGuid {
        ProfileGuid(self.0.utf16le(namespace.guid(), name))
    }

    /// [`tier1`].
    pub fn tier1(&mut self, distro_name: &str) -> ProfileGuid {
        self.profile(TERMINAL_PROFILE_NAMESPACE, distro_name)
    }

    /// [`tier2`].
    pub fn tier2(&mut self, distribution_id: DistributionId) -> ProfileGuid {
        self.profile(
            WSL_TERMINAL_NAMESPACE,
            distribution_id.to_wsl_string().as_str(),
        )
    }
}

/// Formats any of the profile GUID types in a chosen style.
pub trait FormatGuid {
    /// The underlying GUID in `style`.
    fn format(&self, style: GuidStyle) -> GuidText;
}

impl FormatGuid for ProfileGuid {
    fn format(&self, style: GuidStyle) -> GuidText {
        self.0.format(style)
    }
}

impl FormatGuid for DistributionId {
    fn format(&self, style: GuidStyle) -> GuidText {
        self.0.format(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v5::utf16le_bytes;

    /// The `uuid` crate's UUIDv5, as an independent implementation.
    fn uuid_v5(namespace: Guid, name: &[u8]) -> Guid {
        let ns = uuid::Uuid::from_bytes(*namespace.as_bytes());
        Guid::from_bytes(*uuid::Uuid::new_v5(&ns, name).as_bytes())
    }

    #[test]
    fn tier1_hashes_utf16le_of_any_name() {
        for name in ["NixOS", "Ubuntu-24.04", "Дебиан", "NixOS 😀", "a\r\nb"] {
            let expected = uuid_v5(TERMINAL_PROFILE_NAMESPACE.guid(), &utf16le_bytes(name));
            assert_eq!(tier1(name).guid(), expected, "{name:?}");
        }
    }

    #[test]
    fn tier2_uses_the_lowercase_braced_registry_string() {
        let id = DistributionId::parse("FC3BF427-722C-4C2B-84BF-17202D2E3740").unwrap();
        let expected = uuid_v5(
            WSL_TERMINAL_NAMESPACE.guid(),
            &utf16le_bytes("{fc3bf427-722c-4c2b-84bf-17202d2e3740}"),
        );
        assert_eq!(tier2(id).guid(), expected);
    }

    #[test]
    fn fragment_profile_with_empty_source_uses_the_runtime_namespace() {
        assert_eq!(
            fragment_profile("", "x"),
            RUNTIME_GENERATED_PROFILE_NAMESPACE.profile("x")
        );
    }

    #[cfg(feature = "fast-sha1")]
    #[test]
    fn the_batch_hasher_equals_the_const_functions() {
        let mut batch = BatchHasher::new();
        let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap();
        for name in ["", "Ubuntu", "NixOS", "Ünïcødé 😀"] {
            assert_eq!(batch.tier1(name), tier1(name), "{name:?}");
            assert_eq!(
                batch.profile(fragment_namespace("Git"), name),
                fragment_profile("Git", name)
            );
        }
        assert_eq!(batch.tier2(id), tier2(id));
    }
}
