//! UUIDv5 over UTF-16LE names, as `CreateV5Uuid` in WSL and Terminal computes it.
//!
//! Both projects hash the raw code units of a `std::wstring`: UTF-16, little
//! endian, no terminator, no byte-order mark. Characters outside the BMP become
//! surrogate pairs. This module encodes a Rust `&str` that way inside the hash,
//! so there is no intermediate buffer and no length limit at run time.
//!
//! At compile time the only bound is rustc's `long_running_const_eval` lint,
//! which stops a single `const` evaluation after a few million steps; names used
//! in `const` items are far below that (see the `v5` tests for a 4 KiB name).

use crate::guid::Guid;
use crate::sha1::Sha1;

/// Applies RFC 4122 version 5 and variant bits to a SHA-1 digest.
pub(crate) const fn finish_v5(digest: [u8; 20]) -> Guid {
    let mut b = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        b[i] = digest[i];
        i += 1;
    }
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    Guid::from_bytes(b)
}

/// UUIDv5 of `namespace` and raw name bytes (RFC 4122 §4.3).
///
/// ```
/// use wslconst::{v5, Guid};
/// let ns = Guid::parse_or_panic("6ba7b810-9dad-11d1-80b4-00c04fd430c8"); // RFC 4122 DNS
/// assert_eq!(v5::v5_bytes(ns, b"python.org").format(wslconst::GuidStyle::BARE).as_str(),
///            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
/// ```
pub const fn v5_bytes(namespace: Guid, name: &[u8]) -> Guid {
    let mut h = Sha1::new();
    h.update(namespace.as_bytes());
    h.update(name);
    finish_v5(h.finish())
}

/// UUIDv5 of `namespace` and the UTF-16LE code units of `name`: Windows'
/// `CreateV5Uuid(ns, as_bytes(wstring_view(name)))`.
///
/// ```
/// use wslconst::{v5, Guid};
/// let terminal = Guid::parse_or_panic("{2bde4a90-d05f-401c-9492-e40884ead1d8}");
/// assert_eq!(v5::v5_utf16le(terminal, "Ubuntu").to_string(),
///            "{2c4de342-38b7-51cf-b940-2309a097f518}");
/// ```
pub const fn v5_utf16le(namespace: Guid, name: &str) -> Guid {
    finish_v5(sha1_utf16le(namespace, name))
}

/// SHA-1 over the namespace bytes and the UTF-16LE code units of `name`: the
/// digest UUIDv5 takes its bytes from (shown by `wslconst explain`).
pub const fn sha1_utf16le(namespace: Guid, name: &str) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(namespace.as_bytes());
    let mut units = Utf16Units::new(name);
    while let Some(unit) = units.next_unit() {
        let le = unit.to_le_bytes();
        h.push_pair(le[0], le[1]);
    }
    h.finish()
}

/// UUIDv5 over UTF-16LE names for many names at run time, as fast as the CPU
/// allows: it reuses one buffer and uses RustCrypto's SHA-1, which takes the
/// CPU's SHA extensions when it has them. Results equal [`v5_utf16le`], the
/// `const` definition (tested on every name shape, and compared by `wslconst`'s
/// batch benchmark); use this where throughput matters, like `wslconst guid --stdin`.
///
/// Needs the `fast-sha1` feature.
///
/// ```
/// # #[cfg(feature = "fast-sha1")] {
/// use wslconst::{v5::{V5Hasher, v5_utf16le}, profile::TERMINAL_PROFILE_NAMESPACE};
/// let mut hasher = V5Hasher::new();
/// let ns = TERMINAL_PROFILE_NAMESPACE.guid();
/// assert_eq!(hasher.utf16le(ns, "Ubuntu 😀"), v5_utf16le(ns, "Ubuntu 😀"));
/// # }
/// ```
#[cfg(feature = "fast-sha1")]
#[derive(Clone, Debug, Default)]
pub struct V5Hasher {
    buf: alloc::vec::Vec<u8>,
}

#[cfg(feature = "fast-sha1")]
impl V5Hasher {
    /// A hasher with an empty buffer.
    pub fn new() -> V5Hasher {
        V5Hasher::default()
    }

    /// `v5_utf16le(namespace, name)`.
    pub fn utf16le(&mut self, namespace: Guid, name: &str) -> Guid {
        use ::sha1::Digest as _;
        self.buf.clear();
        self.buf.extend_from_slice(namespace.as_bytes());
        for unit in name.encode_utf16() {
            self.buf.extend_from_slice(&unit.to_le_bytes());
        }
        let digest: [u8; 20] = ::sha1::Sha1::digest(&self.buf).into();
        finish_v5(digest)
    }
}

/// A `const` iterator over the UTF-16 code units of a `&str`.
///
/// `str::encode_utf16` is not callable in `const fn`; this is the same encoding,
/// checked against it in the tests.
///
/// ```
/// use wslconst::v5::Utf16Units;
/// let mut units = Utf16Units::new("é😀");
/// assert_eq!(units.next_unit(), Some(0x00e9));
/// assert_eq!(units.next_unit(), Some(0xd83d));
/// assert_eq!(units.next_unit(), Some(0xde00));
/// assert_eq!(units.next_unit(), None);
/// ```
#[derive(Clone, Copy)]
pub struct Utf16Units<'a> {
    bytes: &'a [u8],
    at: usize,
    pending_low_surrogate: Option<u16>,
}

impl<'a> Utf16Units<'a> {
    /// Starts at the beginning of `s`.
    pub const fn new(s: &'a str) -> Utf16Units<'a> {
        Utf16Units {
            bytes: s.as_bytes(),
            at: 0,
            pending_low_surrogate: None,
        }
    }

    /// The next code unit, or `None` at the end.
    pub const fn next_unit(&mut self) -> Option<u16> {
        if let Some(low) = self.pending_low_surrogate.take() {
            return Some(low);
        }
        if self.at >= self.bytes.len() {
            return None;
        }
        let b = self.bytes;
        let i = self.at;
        // The input is a `&str`, so it is valid UTF-8 and every sequence is complete.
        let (scalar, len) = match b[i] {
            0x00..=0x7f => (b[i] as u32, 1),
            0xc0..=0xdf => ((((b[i] & 0x1f) as u32) << 6) | (b[i + 1] & 0x3f) as u32, 2),
            0xe0..=0xef => (
                (((b[i] & 0x0f) as u32) << 12)
                    | (((b[i + 1] & 0x3f) as u32) << 6)
                    | (b[i + 2] & 0x3f) as u32,
                3,
            ),
            _ => (
                (((b[i] & 0x07) as u32) << 18)
                    | (((b[i + 1] & 0x3f) as u32) << 12)
                    | (((b[i + 2] & 0x3f) as u32) << 6)
                    | (b[i + 3] & 0x3f) as u32,
                4,
            ),
        };
        self.at += len;
        if scalar < 0x1_0000 {
            Some(scalar as u16)
        } else {
            let offset = scalar - 0x1_0000;
            self.pending_low_surrogate = Some(0xdc00 | (offset & 0x3ff) as u16);
            Some(0xd800 | (offset >> 10) as u16)
        }
    }
}

impl Iterator for Utf16Units<'_> {
    type Item = u16;
    fn next(&mut self) -> Option<u16> {
        self.next_unit()
    }
}

/// The UTF-16LE bytes WSL and Terminal hash for `name` (for display and tests).
///
/// ```
/// assert_eq!(wslconst::v5::utf16le_bytes("Aé"), vec![0x41, 0x00, 0xe9, 0x00]);
/// ```
#[cfg(feature = "alloc")]
pub fn utf16le_bytes(name: &str) -> alloc::vec::Vec<u8> {
    Utf16Units::new(name).flat_map(u16::to_le_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[&str] = &[
        "",
        "Ubuntu",
        "NixOS",
        "Ubuntu-24.04",
        "Ünïcødé",
        "日本語のディストリ",
        "emoji 😀 and 𝄞 (astral)",
        "line\r\nbreak",
        "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
    ];

    #[test]
    fn utf16_units_match_std_encode_utf16() {
        for s in SAMPLES {
            assert_eq!(
                Utf16Units::new(s).collect::<Vec<_>>(),
                s.encode_utf16().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
        // Every boundary scalar value of each UTF-8 length, and a sweep.
        let all: String = (0..=0x10ffffu32)
            .step_by(97)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(
            Utf16Units::new(&all).collect::<Vec<_>>(),
            all.encode_utf16().collect::<Vec<_>>()
        );
    }

    #[test]
    fn agrees_with_the_uuid_crate_on_utf16le_names() {
        let ns = Guid::parse_or_panic("{be9372fe-59e1-4876-bda9-c33c8f2f1af1}");
        let long = "x".repeat(100_000) + "😀";
        for s in SAMPLES.iter().copied().chain([long.as_str()]) {
            let theirs =
                uuid::Uuid::new_v5(&uuid::Uuid::from_bytes(*ns.as_bytes()), &utf16le_bytes(s));
            let expected = Guid::from_bytes(*theirs.as_bytes());
            assert_eq!(v5_utf16le(ns, s), expected, "{s:?}");
            assert_eq!(v5_bytes(ns, &utf16le_bytes(s)), expected);
        }
    }

    #[cfg(feature = "fast-sha1")]
    #[test]
    fn the_run_time_hasher_equals_the_const_definition() {
        let mut hasher = V5Hasher::new();
        let ns = Guid::parse_or_panic("{2bde4a90-d05f-401c-9492-e40884ead1d8}");
        let long = "é".repeat(10_000);
        let all: String = (0..=0x10ffffu32)
            .step_by(4099)
            .filter_map(char::from_u32)
            .collect();
        for s in SAMPLES.iter().copied().chain([long.as_str(), all.as_str()]) {
            assert_eq!(hasher.utf16le(ns, s), v5_utf16le(ns, s), "{s:?}");
        }
        // Every length across two block boundaries, with a surrogate pair at each end.
        for len in 0..80 {
            let name = format!("😀{}😀", "x".repeat(len));
            assert_eq!(hasher.utf16le(ns, &name), v5_utf16le(ns, &name), "{len}");
        }
    }

    #[test]
    fn sets_version_and_variant() {
        let g = v5_utf16le(Guid::NIL, "anything");
        assert_eq!(g.version(), 5);
        assert!(g.is_rfc4122_variant());
    }

    #[test]
    fn evaluates_a_4k_name_at_compile_time() {
        const NAME: &str = {
            const BYTES: [u8; 4096] = [b'n'; 4096];
            match core::str::from_utf8(&BYTES) {
                Ok(s) => s,
                Err(_) => panic!(),
            }
        };
        const G: Guid = v5_utf16le(Guid::NIL, NAME);
        assert_eq!(
            G,
            Guid::from_bytes(
                *uuid::Uuid::new_v5(&uuid::Uuid::nil(), &utf16le_bytes(NAME)).as_bytes()
            )
        );
    }
}
