//! The profile GUIDs Windows Terminal will expect for a set of WSL distros,
//! for the Nix modules, the scripts and `wslconst settings expected`.
//!
//! A distro can show up in Terminal under two GUIDs:
//!
//! - Tier 1, from its name: Terminal's own WSL generator
//!   (`source` [`WSL_GENERATOR_NAMESPACE`]). Terminal skips distros WSL marks
//!   `Modern`, and WSL's fragment hides this GUID for its distros anyway.
//! - Tier 2, from its distribution id: the profile in WSL's fragment
//!   (`source` [`WSL_FRAGMENT_SOURCE`]). The id is random and new at every
//!   import, so it is known only after the import.
//!
//! ```
//! use wslconst_model::expected::{expected_profiles, Distro};
//! use wslconst::DistributionId;
//!
//! let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}")?;
//! let [ubuntu, nixos] = expected_profiles(&[
//!     Distro::new("Ubuntu", Some(id)),
//!     Distro::new("NixOS", None),
//! ])
//! .try_into()
//! .unwrap();
//! assert_eq!(ubuntu.profile.to_string(), "{ee603799-d7fe-5a9f-a662-e784d8a502df}");
//! assert_eq!(ubuntu.hidden[0].to_string(), "{2c4de342-38b7-51cf-b940-2309a097f518}");
//! assert_eq!(nixos.profile.to_string(), "{c397f356-5e7b-55bc-956b-8cb4b9762c26}");
//! assert!(nixos.hidden.is_empty());
//! # Ok::<(), wslconst::ParseGuidError>(())
//! ```

use serde::Serialize;

use crate::locations::WSL_FRAGMENTS;
use wslconst::upstream::WSL_GENERATOR_NAMESPACE;
use wslconst::{DistributionId, ProfileGuid, tier1, tier2};

/// The `source` of the profiles in WSL's fragments: the fragment folder's
/// name, which Terminal takes as the source.
pub const WSL_FRAGMENT_SOURCE: &str = "Microsoft.WSL";

/// A distro, and its distribution id once it is imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distro {
    /// The registered name.
    pub name: String,
    /// The `Lxss` subkey GUID, when known.
    pub distribution_id: Option<DistributionId>,
}

impl Distro {
    /// A distro by name and, when known, id.
    pub fn new(name: &str, distribution_id: Option<DistributionId>) -> Distro {
        Distro {
            name: name.to_owned(),
            distribution_id,
        }
    }
}

/// What Terminal will expect for one distro.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedProfiles {
    /// The distro's name.
    pub name: String,
    /// Its distribution id, when known.
    #[serde(serialize_with = "display_option")]
    pub distribution_id: Option<DistributionId>,
    /// Tier 1: Terminal's generated profile for the name.
    #[serde(serialize_with = "display")]
    pub tier1: ProfileGuid,
    /// Tier 2: the profile of WSL's fragment, when the id is known.
    #[serde(serialize_with = "display_option")]
    pub tier2: Option<ProfileGuid>,
    /// The profile the user sees, and the GUID a `settings.json` entry that
    /// customizes it must carry: Tier 2 when the id is known, else Tier 1.
    #[serde(serialize_with = "display")]
    pub profile: ProfileGuid,
    /// The `source` of that profile.
    pub source: &'static str,
    /// GUIDs hidden for this distro: Tier 1, when WSL's fragment (Tier 2)
    /// is the profile shown.
    #[serde(serialize_with = "display_all")]
    pub hidden: Vec<ProfileGuid>,
    /// Where WSL writes the fragment, when the id is known.
    pub fragment: Option<String>,
}

/// The expected profiles of each distro, in order.
pub fn expected_profiles(distros: &[Distro]) -> Vec<ExpectedProfiles> {
    distros.iter().map(expected_for).collect()
}

fn expected_for(distro: &Distro) -> ExpectedProfiles {
    let tier1 = tier1(&distro.name);
    let tier2 = distro.distribution_id.map(tier2);
    ExpectedProfiles {
        name: distro.name.clone(),
        distribution_id: distro.distribution_id,
        tier1,
        tier2,
        profile: tier2.unwrap_or(tier1),
        source: if tier2.is_some() {
            WSL_FRAGMENT_SOURCE
        } else {
            WSL_GENERATOR_NAMESPACE
        },
        hidden: if tier2.is_some() {
            vec![tier1]
        } else {
            Vec::new()
        },
        fragment: tier2.map(|guid| format!("{WSL_FRAGMENTS}\\{guid}.json")),
    }
}

fn display<S: serde::Serializer>(value: &impl std::fmt::Display, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

fn display_option<S: serde::Serializer, T: std::fmt::Display>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

fn display_all<S: serde::Serializer, T: std::fmt::Display>(
    values: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(ToString::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_path_and_source_are_the_ones_wsl_writes() {
        let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap();
        let expected = expected_for(&Distro::new("Ubuntu", Some(id)));
        let request = crate::fragment::FragmentRequest::new("Ubuntu", id);
        let fragment = crate::fragment::create_fragment(&request).unwrap();
        assert_eq!(expected.fragment.as_deref(), Some(fragment.path.as_str()));
        assert!(
            WSL_FRAGMENTS
                .relative
                .ends_with(&format!("\\{WSL_FRAGMENT_SOURCE}"))
        );
        assert_eq!(
            serde_json::to_value(&expected).unwrap(),
            serde_json::json!({
                "name": "Ubuntu",
                "distributionId": "{fc3bf427-722c-4c2b-84bf-17202d2e3740}",
                "tier1": "{2c4de342-38b7-51cf-b940-2309a097f518}",
                "tier2": "{ee603799-d7fe-5a9f-a662-e784d8a502df}",
                "profile": "{ee603799-d7fe-5a9f-a662-e784d8a502df}",
                "source": "Microsoft.WSL",
                "hidden": ["{2c4de342-38b7-51cf-b940-2309a097f518}"],
                "fragment": fragment.path,
            })
        );
    }

    #[test]
    fn without_an_id_the_generated_profile_is_the_one_shown() {
        let expected = expected_for(&Distro::new("Debian", None));
        assert_eq!(
            expected.profile.to_string(),
            "{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}"
        );
        assert_eq!(expected.source, "Windows.Terminal.Wsl");
        assert_eq!(expected.tier2, None);
        assert_eq!(expected.fragment, None);
    }
}
