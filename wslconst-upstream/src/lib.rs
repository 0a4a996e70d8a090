//! Reading what wslconst pins of Microsoft's WSL and Windows Terminal sources.
//!
//! One crate for the code the proc macros, the build scripts and `wslconst
//! pin` share, so the three read upstream exactly the same way:
//!
//! - [`Tree`]: the two repositories and the variables that name them (no
//!   features: `no_std`, all the core needs for its provenance);
//! - `cpp` and `locate` (feature `reader`): a constant's declaration in a
//!   C++ file, found again in a tree;
//! - `resolve` (feature `reader`): the tree a build reads, and its revision;
//! - `pin` and `schema` (feature `pin-file`): the pin file's format, and the
//!   summary of Terminal's profile schema it holds.
#![cfg_attr(not(feature = "reader"), no_std)]
#![deny(missing_docs)]

mod tree;

pub use tree::Tree;

#[cfg(feature = "reader")]
pub mod cpp;
#[cfg(feature = "reader")]
pub mod locate;
#[cfg(feature = "pin-file")]
pub mod pin;
#[cfg(feature = "reader")]
pub mod resolve;
#[cfg(feature = "pin-file")]
pub mod schema;
