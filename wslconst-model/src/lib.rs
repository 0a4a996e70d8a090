//! What WSL and Windows Terminal do with a distro, modelled so the result is
//! known before anyone imports an image.
//!
//! Built on the core (`wslconst`: typed constants and GUID functions):
//!
//! - WSL: [`fragment`] (the Terminal fragment WSL writes, byte for byte, on
//!   [`json`], a model of WSL's nlohmann), [`distribution_conf`]
//!   (`/etc/wsl-distribution.conf` parsed exactly as WSL parses it, and
//!   rendered), [`distro_name`] (the names WSL accepts), [`wsl_rules`] (what
//!   WSL's own validator expects of an image's files);
//! - Terminal: [`profile_template`] (WSL's and Terminal's rules for a profile
//!   template, keys from [`profile_schema`]), [`locations`] (where each
//!   install keeps its files), [`settings`] (editing `settings.json` and
//!   `state.json` without touching a byte outside the edit), [`expected`]
//!   (the GUIDs Terminal will expect for a set of distros);
//! - images: [`archive`] (a `.wsl` image read in one streaming pass with
//!   bounded memory), [`image`] (its files, links followed, and what WSL's
//!   import will make of it), [`import_preview`] (what Terminal will show
//!   once WSL imports it), [`image_check`] and [`image_scan`] (WSL's rules
//!   and a secret scan);
//! - the constants as data: [`constants`] (constants.json), [`validate`]
//!   (a constants.json held to this build), [`pin`] (re-pinning from real
//!   trees);
//! - the whole machine: [`doctor`] (why Terminal shows the wrong profiles,
//!   and the fix), [`interop`] (asking Windows from inside WSL);
//! - shared: [`diagnostic`], [`files`] (writes that keep a backup),
//!   [`printable`], [`suggest`].
#![deny(missing_docs)]

pub mod archive;
pub mod constants;
pub mod diagnostic;
pub mod distribution_conf;
pub mod distro_name;
pub mod doctor;
pub mod expected;
pub mod files;
pub mod fragment;
pub mod image;
pub mod image_check;
pub mod image_scan;
pub mod import_preview;
pub mod interop;
pub mod json;
pub mod locations;
pub mod pin;
pub mod printable;
pub mod profile_schema;
pub mod profile_template;
pub mod settings;
pub mod suggest;
pub mod validate;
pub mod wsl_rules;
