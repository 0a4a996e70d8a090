//! Microsoft WSL and Windows Terminal GUID constants as compile-time facts.
//!
//! Whether Windows Terminal shows one correct profile for a WSL distro depends on
//! namespace GUIDs buried in Microsoft's C++ sources and on hashing names as
//! UTF-16LE. This crate reads those constants from the upstream sources at
//! compile time ([`upstream`]), asserts them against each other and against
//! published GUIDs in `const` context ([`checks`]), and computes profile GUIDs
//! with `const fn`s:
//!
//! ```
//! use wslconst::{tier1, tier2, fragment_profile, DistributionId};
//!
//! const NIXOS: wslconst::ProfileGuid = tier1("NixOS");
//! assert_eq!(NIXOS.to_string(), "{c397f356-5e7b-55bc-956b-8cb4b9762c26}");
//!
//! let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}")?;
//! assert_eq!(tier2(id).to_string(), "{ee603799-d7fe-5a9f-a662-e784d8a502df}");
//! assert_eq!(fragment_profile("Git", "Git Bash").to_string(), "{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}");
//! # Ok::<(), wslconst::ParseGuidError>(())
//! ```

//!
//! This crate is the core: typed constants with their provenance
//! ([`upstream`]), [`Guid`] and its styles, the profile GUID functions
//! ([`profile`]), the UUIDv5 over UTF-16LE they rest on ([`v5`]), the
//! published vectors ([`vectors`]), the `const` checks ([`checks`]) and every
//! step of a computation shown ([`explain`]). It is `no_std` with default
//! features off (`alloc` brings [`explain`]); `serde` and `uuid` are features.
//!
//! What WSL and Terminal do with these GUIDs (the fragment, the conf, the
//! settings files, images) is modelled in `wslconst-model`; the rendered
//! artifacts are `wslconst-render`'s; the `wslconst` command is
//! `wslconst-cli`'s.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;

// The proc macros expand to `::wslconst::...` paths, also inside this crate.
extern crate self as wslconst;

pub mod checks;
#[cfg(feature = "alloc")]
pub mod explain;
pub mod guid;
mod message;
pub mod profile;
mod sha1;
pub mod upstream;
pub mod v5;
pub mod vectors;

pub use guid::{Guid, GuidStyle, GuidText, ParseGuidError};
pub use profile::{
    DistributionId, GENERATED_PROFILES_TERMINAL_NAMESPACE, ProfileGuid, ProfileNamespace,
    RUNTIME_GENERATED_PROFILE_NAMESPACE, TERMINAL_PROFILE_NAMESPACE, WSL_TERMINAL_NAMESPACE,
    fragment_profile, tier1, tier2,
};
