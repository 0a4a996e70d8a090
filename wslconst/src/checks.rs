//! Compile-time checks: every one runs in a `const _: () = ...;` item of this
//! crate, so a wrong constant, a broken vector or a changed encoding fails
//! `cargo build` with a message that names it.
//!
//! The functions are public so that crates extracting their own constants, and
//! the UI tests, can assert the same rules:
//!
//! ```
//! use wslconst::{checks, upstream::extracted as x};
//! const _: () = checks::namespaces_agree(
//!     &x::GeneratedProfilesTerminalNamespace,
//!     &x::TERMINAL_PROFILE_NAMESPACE_GUID,
//! );
//! ```

use crate::guid::{Guid, GuidStyle};
use crate::message::Message;
use crate::profile::TERMINAL_PROFILE_NAMESPACE;
use crate::upstream::{self, Extracted, extracted, fail_upstream};
use crate::v5::{Utf16Units, v5_bytes, v5_utf16le};
use crate::vectors::{Vector, VectorInput};

/// WSL hides Terminal's own generated profile by computing its GUID in
/// `GeneratedProfilesTerminalNamespace`; that only works while it equals
/// Terminal's `TERMINAL_PROFILE_NAMESPACE_GUID`.
pub const fn namespaces_agree(wsl: &Extracted<Guid>, terminal: &Extracted<Guid>) {
    if !wsl.value.const_eq(&terminal.value) {
        let m = Message::new()
            .text("cross-validation failed: WSL's `")
            .text(wsl.provenance.constant)
            .text("` ")
            .guid(&wsl.value)
            .text(" (")
            .text(wsl.provenance.path).text(":").number(wsl.provenance.line)
            .text(") must equal Terminal's `")
            .text(terminal.provenance.constant)
            .text("` ")
            .guid(&terminal.value)
            .text(" (")
            .text(terminal.provenance.path).text(":").number(terminal.provenance.line)
            .text("); otherwise WSL's hide entry no longer hides Terminal's generated profile and users see two");
        panic!("{}", m.as_str());
    }
}

/// A published vector must come out of this crate's algorithm and constants.
pub const fn vector_holds(v: &Vector) {
    let computed = v.compute().guid();
    if computed.const_eq(&v.expected) {
        return;
    }
    let m = Message::new().text("published test vector failed: ");
    let m = match v.input {
        VectorInput::Tier1 { name } => m
            .text("tier1(\"")
            .text(name)
            .text("\") in TERMINAL_PROFILE_NAMESPACE_GUID"),
        VectorInput::Tier2 { distribution_id } => m
            .text("tier2(")
            .guid(&distribution_id.guid())
            .text(") in WslTerminalNamespace"),
        VectorInput::Fragment { source, name } => m
            .text("fragment_profile(\"")
            .text(source)
            .text("\", \"")
            .text(name)
            .text("\") in RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID"),
    };
    let m = m
        .text(" should be ")
        .guid(&v.expected)
        .text(" (published in ")
        .text(v.published_in)
        .text(") but is ")
        .guid(&computed);
    panic!("{}", m.as_str());
}

/// Asserts every vector of a table.
pub const fn vectors_hold(vectors: &[Vector]) {
    let mut i = 0;
    while i < vectors.len() {
        vector_holds(&vectors[i]);
        i += 1;
    }
}

/// Names are hashed as UTF-16LE code units, surrogate pairs for astral
/// characters, no terminator and no byte-order mark.
pub const fn utf16le_contract() {
    // Each sample: the text and its UTF-16 code units.
    const SAMPLES: &[(&str, &[u16])] = &[
        ("A", &[0x0041]),
        ("é", &[0x00e9]),
        ("€", &[0x20ac]),
        ("😀", &[0xd83d, 0xde00]),
        ("a\r\n", &[0x0061, 0x000d, 0x000a]),
    ];
    let mut s = 0;
    while s < SAMPLES.len() {
        let (text, units) = SAMPLES[s];
        let mut it = Utf16Units::new(text);
        let mut bytes = [0u8; 8];
        let mut n = 0;
        while let Some(unit) = it.next_unit() {
            if n >= units.len() || unit != units[n] {
                panic!(
                    "UTF-16LE contract broken: a name does not encode to the expected UTF-16 code units"
                );
            }
            let le = unit.to_le_bytes();
            bytes[n * 2] = le[0];
            bytes[n * 2 + 1] = le[1];
            n += 1;
        }
        if n != units.len() {
            panic!("UTF-16LE contract broken: a name encodes to too few UTF-16 code units");
        }
        let ns = TERMINAL_PROFILE_NAMESPACE.guid();
        let streamed = v5_utf16le(ns, text);
        let explicit = v5_bytes(ns, bytes.split_at(n * 2).0);
        if !streamed.const_eq(&explicit) {
            panic!(
                "UTF-16LE contract broken: hashing a name differs from hashing its little-endian code units"
            );
        }
        s += 1;
    }
}

/// WSL's GUID strings (the Tier 2 input) are lowercase with braces.
pub const fn guid_format_is_lowercase_braces(format: &Extracted<&str>, implied: GuidStyle) {
    if !implied.braces || implied.uppercase {
        fail_upstream(
            &format.provenance,
            "no longer writes GUIDs lowercase with braces: Tier 2 GUIDs, the constants.json `guidFormat` and every script that formats a distribution id must change with it",
        );
    }
}

/// Every constant read from one repository must come from one revision, or the
/// provenance in `constants.json` would be a lie.
pub const fn one_revision_per_tree(all: &[upstream::Constant]) {
    let mut i = 0;
    while i < all.len() {
        let p = &all[i].provenance;
        let expected = upstream::revision(p.tree);
        if !str_eq(p.revision, expected) {
            fail_upstream(
                p,
                "was read at a different revision than the other constants of its repository; re-pin from one checkout",
            );
        }
        i += 1;
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Shapes of the string constants every artifact depends on.
pub const fn string_constants_are_sane() {
    if !ends_with(upstream::WSL_BINARY_NAME, ".exe") {
        fail_upstream(
            &extracted::WSL_BINARY_NAME.provenance,
            "is not an .exe file name",
        );
    }
    if !starts_with(upstream::WSL_DISTRIBUTION_ID_ARG, "--") {
        fail_upstream(
            &extracted::WSL_DISTRIBUTION_ID_ARG.provenance,
            "is not a long option",
        );
    }
    if !starts_with(upstream::WSL_DISTRIBUTION_CONF, "/etc/") {
        fail_upstream(
            &extracted::WSL_DISTRIBUTION_CONF.provenance,
            "is not a path under /etc",
        );
    }
}

const fn starts_with(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && str_eq(s.split_at(prefix.len()).0, prefix)
}

const fn ends_with(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len() && str_eq(s.split_at(s.len() - suffix.len()).1, suffix)
}

const _: () = namespaces_agree(
    &extracted::GeneratedProfilesTerminalNamespace,
    &extracted::TERMINAL_PROFILE_NAMESPACE_GUID,
);
const _: () =
    guid_format_is_lowercase_braces(&extracted::GUID_FORMAT_STRING, upstream::GUID_FORMAT);
const _: () = utf16le_contract();
const _: () = vectors_hold(crate::vectors::PUBLISHED);
const _: () = one_revision_per_tree(extracted::ALL);
const _: () = string_constants_are_sane();
