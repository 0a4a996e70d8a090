//! Published test vectors: GUIDs that Microsoft's sources, docs and real
//! machines show, as independent evidence that the constants and the algorithm
//! are right. The build asserts every one (see [`crate::checks`]).
//!
//! These literals are the one deliberate exception to "every GUID comes from the
//! pin file": a vector that came from the same place as the constant would prove
//! nothing.

use crate::guid::Guid;
use crate::profile::{DistributionId, ProfileGuid, fragment_profile, tier1, tier2};

/// What a vector hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VectorInput {
    /// A name in Terminal's profile namespace (Tier 1 for distro names).
    Tier1 {
        /// The profile or distro name.
        name: &'static str,
    },
    /// A WSL distribution id (Tier 2).
    Tier2 {
        /// The registry key GUID.
        distribution_id: DistributionId,
    },
    /// A fragment profile without a `guid`.
    Fragment {
        /// The fragment's folder name.
        source: &'static str,
        /// The profile's name.
        name: &'static str,
    },
}

/// One published GUID and what produces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vector {
    /// The input.
    pub input: VectorInput,
    /// The GUID as published.
    pub expected: Guid,
    /// Where it was published.
    pub published_in: &'static str,
}

impl VectorInput {
    /// The GUID this crate's algorithm and constants give the input.
    pub const fn compute(&self) -> ProfileGuid {
        match *self {
            VectorInput::Tier1 { name } => tier1(name),
            VectorInput::Tier2 { distribution_id } => tier2(distribution_id),
            VectorInput::Fragment { source, name } => fragment_profile(source, name),
        }
    }
}

impl Vector {
    /// Computes the vector's GUID with this crate's algorithm and constants.
    pub const fn compute(&self) -> ProfileGuid {
        self.input.compute()
    }

    /// `tier1`, `tier2` or `fragment`.
    pub const fn kind(&self) -> &'static str {
        match self.input {
            VectorInput::Tier1 { .. } => "tier1",
            VectorInput::Tier2 { .. } => "tier2",
            VectorInput::Fragment { .. } => "fragment",
        }
    }
}

const fn tier1_vector(name: &'static str, expected: &str, published_in: &'static str) -> Vector {
    Vector {
        input: VectorInput::Tier1 { name },
        expected: Guid::parse_or_panic(expected),
        published_in,
    }
}

/// Every published vector (docs/UPSTREAM.md, "The two tiers of profile GUIDs").
pub const PUBLISHED: &[Vector] = &[
    tier1_vector(
        "Ubuntu",
        "{2c4de342-38b7-51cf-b940-2309a097f518}",
        "terminal WslDistroGenerator.cpp comment; Terminal docs",
    ),
    tier1_vector(
        "Debian",
        "{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}",
        "terminal WslDistroGenerator.cpp comment; Terminal docs",
    ),
    tier1_vector(
        "Windows PowerShell",
        "{61c54bbd-c2c6-5271-96e7-009a87ff44bf}",
        "terminal defaults.json",
    ),
    tier1_vector(
        "Azure Cloud Shell",
        "{b453ae62-4e3d-5e58-b989-0a998ec441b8}",
        "terminal AzureCloudShellGenerator.cpp",
    ),
    tier1_vector(
        "NixOS",
        "{c397f356-5e7b-55bc-956b-8cb4b9762c26}",
        "hide entry of a Microsoft.WSL fragment on a user's machine",
    ),
    Vector {
        input: VectorInput::Fragment {
            source: "Git",
            name: "Git Bash",
        },
        expected: Guid::parse_or_panic("{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}"),
        published_in: "Terminal docs, json-fragment-extensions",
    },
    Vector {
        input: VectorInput::Tier2 {
            distribution_id: DistributionId::from_guid(Guid::parse_or_panic(
                "{fc3bf427-722c-4c2b-84bf-17202d2e3740}",
            )),
        },
        expected: Guid::parse_or_panic("{ee603799-d7fe-5a9f-a662-e784d8a502df}"),
        published_in: "a real Microsoft.WSL fragment for Ubuntu",
    },
];
