//! Every step of a profile GUID computation, for when a GUID on a Windows
//! machine does not match and someone has to find out why.
//!
//! ```
//! let e = wslconst::explain::Explanation::tier1("Ubuntu");
//! assert_eq!(e.steps[0].name_utf16le, "55 00 62 00 75 00 6e 00 74 00 75 00");
//! assert_eq!(e.guid.to_string(), "{2c4de342-38b7-51cf-b940-2309a097f518}");
//! ```

use alloc::borrow::ToOwned as _;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};
use core::fmt::{self, Write as _};

use crate::guid::Guid;
use crate::profile;
use crate::profile::{DistributionId, ProfileNamespace};
use crate::upstream;
use crate::v5::{finish_v5, sha1_utf16le, utf16le_bytes};

/// One UUIDv5: namespace, name, digest, and the bits set on it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct HashStep {
    /// Which namespace this is, in upstream's words.
    pub namespace_name: String,
    /// The namespace GUID.
    pub namespace: Guid,
    /// Its 16 bytes in network order, as hashed (hex, space-separated).
    pub namespace_bytes: String,
    /// The name hashed.
    pub name: String,
    /// Its UTF-16LE bytes, as hashed (hex, space-separated).
    pub name_utf16le: String,
    /// Number of UTF-16 code units in the name.
    pub utf16_units: usize,
    /// SHA-1 of namespace bytes then name bytes (hex).
    pub sha1: String,
    /// Byte 6 of the digest before and after `(b & 0x0f) | 0x50` (hex).
    pub version_byte: (String, String),
    /// Byte 8 of the digest before and after `(b & 0x3f) | 0x80` (hex).
    pub variant_byte: (String, String),
    /// The resulting GUID.
    pub result: Guid,
}

/// The whole computation of one profile GUID.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Explanation {
    /// `tier1`, `tier2` or `fragment`.
    pub kind: &'static str,
    /// What the input means and how it was turned into a name.
    pub summary: String,
    /// The UUIDv5 steps, in order (two for fragment profiles).
    pub steps: Vec<HashStep>,
    /// The final GUID.
    pub guid: Guid,
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn step(namespace_name: &str, namespace: ProfileNamespace, name: &str) -> HashStep {
    let ns = namespace.guid();
    let digest = sha1_utf16le(ns, name);
    let result = finish_v5(digest);
    let name_bytes = utf16le_bytes(name);
    HashStep {
        namespace_name: namespace_name.into(),
        namespace: ns,
        namespace_bytes: hex(ns.as_bytes()),
        name: name.into(),
        utf16_units: name_bytes.len() / 2,
        name_utf16le: hex(&name_bytes),
        sha1: hex(&digest).replace(' ', ""),
        version_byte: (
            format!("{:02x}", digest[6]),
            format!("{:02x}", result.as_bytes()[6]),
        ),
        variant_byte: (
            format!("{:02x}", digest[8]),
            format!("{:02x}", result.as_bytes()[8]),
        ),
        result,
    }
}

impl Explanation {
    /// Tier 1: the distro name in Terminal's profile namespace.
    pub fn tier1(distro_name: &str) -> Explanation {
        let s = step(
            "TERMINAL_PROFILE_NAMESPACE_GUID",
            profile::TERMINAL_PROFILE_NAMESPACE,
            distro_name,
        );
        Explanation {
            kind: "tier1",
            summary: "Tier 1: the distro name, as Terminal's legacy WSL generator names its profile and WSL's fragment hides it".into(),
            guid: s.result,
            steps: vec![s],
        }
    }

    /// Tier 2: WSL's string form of the distribution id in `WslTerminalNamespace`.
    pub fn tier2(id: DistributionId) -> Explanation {
        let name = id.to_wsl_string();
        let s = step(
            "WslTerminalNamespace",
            profile::WSL_TERMINAL_NAMESPACE,
            &name,
        );
        Explanation {
            kind: "tier2",
            summary: format!(
                "Tier 2: the registry GUID written as WSL's GuidToString writes it ({}), the profile in WSL's own fragment",
                upstream::GUID_FORMAT.name()
            ),
            guid: s.result,
            steps: vec![s],
        }
    }

    /// A fragment profile without a `guid`: source namespace, then name.
    pub fn fragment(source: &str, name: &str) -> Explanation {
        let root = profile::RUNTIME_GENERATED_PROFILE_NAMESPACE;
        let mut steps = Vec::new();
        let namespace = if source.is_empty() {
            root
        } else {
            let s = step("RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID", root, source);
            let derived = ProfileNamespace::from_guid(s.result);
            steps.push(s);
            derived
        };
        let label = if source.is_empty() {
            "RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID (empty source)".to_owned()
        } else {
            format!("namespace of source {source:?}")
        };
        let s = step(&label, namespace, name);
        Explanation {
            kind: "fragment",
            summary: "fragment profile without a guid: the source (the fragment's folder name) makes a namespace, the profile name is hashed in it".into(),
            guid: s.result,
            steps: {
                steps.push(s);
                steps
            },
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary)?;
        for (i, s) in self.steps.iter().enumerate() {
            writeln!(f)?;
            writeln!(f, "step {}: UUIDv5 (RFC 4122) of namespace and name", i + 1)?;
            writeln!(
                f,
                "  namespace        {} = {}",
                s.namespace_name, s.namespace
            )?;
            writeln!(
                f,
                "  namespace bytes  {}  (network order, as in the string)",
                s.namespace_bytes
            )?;
            writeln!(f, "  name             {:?}", s.name)?;
            writeln!(
                f,
                "  name bytes       {}  (UTF-16LE, {} code units, no terminator, no BOM)",
                if s.name_utf16le.is_empty() {
                    "(none)"
                } else {
                    &s.name_utf16le
                },
                s.utf16_units
            )?;
            writeln!(f, "  sha1             {}", s.sha1)?;
            writeln!(
                f,
                "  version          byte 6: {} -> {}  ((b & 0x0f) | 0x50: version 5)",
                s.version_byte.0, s.version_byte.1
            )?;
            writeln!(
                f,
                "  variant          byte 8: {} -> {}  ((b & 0x3f) | 0x80: RFC 4122)",
                s.variant_byte.0, s.variant_byte.1
            )?;
            writeln!(
                f,
                "  result           {}  (first 16 digest bytes with those bits)",
                s.result
            )?;
        }
        writeln!(f)?;
        write!(f, "guid {}", self.guid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_agree_with_the_const_functions() {
        assert_eq!(
            Explanation::tier1("Дебиан 😀").guid,
            crate::tier1("Дебиан 😀").guid()
        );
        let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap();
        let e = Explanation::tier2(id);
        assert_eq!(e.guid, crate::tier2(id).guid());
        assert_eq!(e.steps[0].name, "{fc3bf427-722c-4c2b-84bf-17202d2e3740}");
        let f = Explanation::fragment("Git", "Git Bash");
        assert_eq!(f.steps.len(), 2);
        assert_eq!(f.guid, crate::fragment_profile("Git", "Git Bash").guid());
        assert_eq!(Explanation::fragment("", "x").steps.len(), 1);
    }

    #[test]
    fn shows_bytes_digest_and_bits() {
        let e = Explanation::tier1("😀");
        let s = &e.steps[0];
        assert_eq!(
            s.namespace_bytes,
            "2b de 4a 90 d0 5f 40 1c 94 92 e4 08 84 ea d1 d8"
        );
        assert_eq!(s.name_utf16le, "3d d8 00 de");
        assert_eq!(s.utf16_units, 2);
        assert_eq!(s.sha1.len(), 40);
        assert_eq!(s.version_byte.1.chars().next(), Some('5'));
        assert!(matches!(
            s.variant_byte.1.chars().next(),
            Some('8' | '9' | 'a' | 'b')
        ));
        let text = e.to_string();
        assert!(
            text.contains("name bytes       3d d8 00 de  (UTF-16LE, 2 code units"),
            "{text}"
        );
        assert!(text.ends_with(&format!("guid {}", e.guid)));
    }
}
