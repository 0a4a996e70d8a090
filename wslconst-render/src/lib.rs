//! The artifacts wslconst renders from its constants and models.
//!
//! - [`template`]: the typed context every askama template renders from, and
//!   `validate.py` (a standalone validator and GUID calculator in Python);
//! - [`powershell`]: `Import-NixOSWSL.ps1` and `Compute-WslProfileGuid.ps1`,
//!   with the escaper that keeps every value one single-quoted string;
//! - [`artifacts`]: all of them, `constants.json` and `SHA256SUMS`, as
//!   `wslconst render` writes them.
//!
//! A template that names a constant which does not exist is a compile error:
//! templates receive typed fields, never strings looked up by name.
#![deny(missing_docs)]

pub mod artifacts;
pub mod powershell;
pub mod template;
