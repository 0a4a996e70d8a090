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
//! It also models what WSL and Terminal do with an image, so the result is
//! known before anyone imports it: [`fragment`] (the Terminal fragment WSL
//! writes, byte for byte, on [`json`], a model of WSL's nlohmann), [`profile_template`]
//! (WSL's and Terminal's rules for a profile template, and rendering one from
//! typed options, keys from [`profile_schema`]) and [`distribution_conf`]
//! (`/etc/wsl-distribution.conf` parsed exactly as WSL parses it, and rendered).
//!
//! The Windows side is rendered from the same constants: [`powershell`]
//! (`Import-NixOSWSL.ps1`, `Compute-WslProfileGuid.ps1`), with the places
//! Terminal and WSL keep their files in [`locations`]. [`settings`] edits
//! Terminal's `settings.json` and `state.json` without touching a byte outside
//! the edit, and [`expected`] names the GUIDs Terminal will expect for a set
//! of distros. [`archive`] reads a `.wsl` image (tar, gzip or xz) in one
//! streaming pass with bounded memory; [`wsl_rules`] holds what WSL's own
//! validator expects of an image's files.

// The proc macros expand to `::wslconst::...` paths, also inside this crate.
extern crate self as wslconst;

#[path = "../../wslconst-macros/src/shared/mod.rs"]
mod shared;

pub mod archive;
pub mod checks;
pub mod constants;
pub mod diagnostic;
pub mod distribution_conf;
pub mod distro_name;
pub mod expected;
pub mod explain;
pub mod files;
pub mod fragment;
pub mod guid;
pub mod image;
pub mod image_check;
pub mod image_scan;
pub mod json;
pub mod locations;
pub mod pin;
pub mod powershell;
pub mod printable;
pub mod profile;
pub mod profile_schema;
pub mod profile_template;
pub mod schema_summary;
pub mod settings;
mod sha1;
pub mod suggest;
pub mod template;
pub mod upstream;
pub mod v5;
pub mod validate;
pub mod vectors;
pub mod wsl_rules;

pub use guid::{Guid, GuidStyle, GuidText, ParseGuidError};
pub use profile::{DistributionId, ProfileGuid, ProfileNamespace, fragment_profile, tier1, tier2};
