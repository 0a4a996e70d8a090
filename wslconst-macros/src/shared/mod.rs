//! Code shared, through `#[path]`, by the proc macros, `wslconst`'s build script
//! and the `wslconst pin` command: reading C++ declarations and the pin file.

#![allow(dead_code)]

pub mod cpp;
pub mod pin;
