//! The 128-bit GUID, with a `const` parser and the formatter WSL and Terminal use.
//!
//! Bytes are kept in network order (the order of the canonical string), which is
//! the order UUIDv5 hashes. Windows' in-memory `GUID` struct stores its first three
//! fields little-endian; [`Guid::from_fields`] takes those fields as numbers, the
//! way the C++ initializers spell them, so no byte swapping is ever done by hand.

use core::fmt;

/// A GUID in network byte order.
///
/// ```
/// use wslconst::Guid;
///
/// const G: Guid = Guid::parse_or_panic("{2BDE4A90-D05F-401C-9492-E40884EAD1D8}");
/// assert_eq!(G.to_string(), "{2bde4a90-d05f-401c-9492-e40884ead1d8}");
/// assert_eq!(G, Guid::from_fields(0x2bde4a90, 0xd05f, 0x401c, [0x94, 0x92, 0xe4, 0x08, 0x84, 0xea, 0xd1, 0xd8]));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Guid([u8; 16]);

/// How a GUID is written out.
///
/// [`GuidStyle::WSL`] is what WSL's `GuidToString` writes (see
/// `GUID_FORMAT_STRING` in [`crate::upstream`]) and what `Display` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GuidStyle {
    /// Wrap in `{` `}`.
    pub braces: bool,
    /// Use `A-F` instead of `a-f`.
    pub uppercase: bool,
}

impl GuidStyle {
    /// `{2bde4a90-d05f-401c-9492-e40884ead1d8}`: WSL's `GuidToString` default.
    pub const WSL: GuidStyle = GuidStyle {
        braces: true,
        uppercase: false,
    };
    /// `2bde4a90-d05f-401c-9492-e40884ead1d8`.
    pub const BARE: GuidStyle = GuidStyle {
        braces: false,
        uppercase: false,
    };
    /// `{2BDE4A90-D05F-401C-9492-E40884EAD1D8}`, as the registry editor shows keys.
    pub const UPPER: GuidStyle = GuidStyle {
        braces: true,
        uppercase: true,
    };

    /// Its name in constants.json: `lowercase-braces`, `uppercase-bare`, ...
    ///
    /// ```
    /// assert_eq!(wslconst::GuidStyle::WSL.name(), "lowercase-braces");
    /// ```
    pub const fn name(self) -> &'static str {
        match (self.uppercase, self.braces) {
            (false, true) => "lowercase-braces",
            (false, false) => "lowercase-bare",
            (true, true) => "uppercase-braces",
            (true, false) => "uppercase-bare",
        }
    }
}

impl GuidStyle {
    /// The style a C `printf` format writes GUIDs in, for formats shaped like WSL's
    /// `GUID_FORMAT_STRING`: `{%08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x}`,
    /// with or without the braces, all `x` or all `X`.
    ///
    /// ```
    /// use wslconst::GuidStyle;
    /// assert_eq!(GuidStyle::from_printf("{%08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x}"), Ok(GuidStyle::WSL));
    /// assert!(GuidStyle::from_printf("%s").is_err());
    /// ```
    pub const fn from_printf(format: &str) -> Result<GuidStyle, &'static str> {
        const BARE: &[u8] = b"%08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x";
        let f = format.as_bytes();
        let braces = match f.len() {
            n if n == BARE.len() => false,
            n if n == BARE.len() + 2 => {
                if f[0] != b'{' || f[n - 1] != b'}' {
                    return Err("the two extra characters are not a { } pair");
                }
                true
            }
            _ => {
                return Err(
                    "not a GUID format: expected %08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x, optionally in braces",
                );
            }
        };
        let start = if braces { 1 } else { 0 };
        let mut upper: Option<bool> = None;
        let mut i = 0;
        while i < BARE.len() {
            let c = f[start + i];
            if BARE[i] == b'x' {
                let this_upper = match c {
                    b'x' => false,
                    b'X' => true,
                    _ => return Err("a conversion is not %x or %X"),
                };
                match upper {
                    Some(u) if u != this_upper => return Err("mixes %x and %X"),
                    _ => upper = Some(this_upper),
                }
            } else if c != BARE[i] {
                return Err(
                    "not a GUID format: expected %08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x, optionally in braces",
                );
            }
            i += 1;
        }
        Ok(GuidStyle {
            braces,
            uppercase: matches!(upper, Some(true)),
        })
    }
}

/// Why a string is not a GUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseGuidError {
    /// The string has the wrong length for a GUID with or without braces.
    Length {
        /// Length of the input in bytes.
        found: usize,
    },
    /// A `{` without a closing `}` or the other way round.
    Braces,
    /// A `-` is missing at the given byte offset (counted without the brace).
    Hyphen {
        /// Byte offset of the expected hyphen.
        at: usize,
    },
    /// A character that is not a hex digit, at the given byte offset.
    Digit {
        /// Byte offset of the offending character.
        at: usize,
    },
}

impl ParseGuidError {
    /// A lowercase, human explanation, usable in `const` panics.
    pub const fn message(&self) -> &'static str {
        match self {
            ParseGuidError::Length { .. } => {
                "expected 36 characters (bare) or 38 (braced), like {2bde4a90-d05f-401c-9492-e40884ead1d8}"
            }
            ParseGuidError::Braces => "unbalanced braces: use both { and } or neither",
            ParseGuidError::Hyphen { .. } => "expected '-' after 8, 12, 16 and 20 hex digits",
            ParseGuidError::Digit { .. } => "expected a hex digit 0-9, a-f or A-F",
        }
    }
}

impl fmt::Display for ParseGuidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseGuidError::Length { found } => {
                write!(f, "{} (found {found} characters)", self.message())
            }
            ParseGuidError::Hyphen { at } | ParseGuidError::Digit { at } => {
                write!(f, "{} at offset {at}", self.message())
            }
            ParseGuidError::Braces => f.write_str(self.message()),
        }
    }
}

impl core::error::Error for ParseGuidError {}

/// Offsets, in a bare GUID string, of the first of each pair of hex digits.
const HEX_PAIR_OFFSETS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

const fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl Guid {
    /// The all-zero GUID.
    pub const NIL: Guid = Guid([0; 16]);

    /// From 16 bytes in network order.
    pub const fn from_bytes(bytes: [u8; 16]) -> Guid {
        Guid(bytes)
    }

    /// The 16 bytes in network order (the order UUIDv5 hashes).
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// From the fields of a Windows `GUID` initializer,
    /// `{ Data1, Data2, Data3, { Data4[0..8] } }`.
    pub const fn from_fields(data1: u32, data2: u16, data3: u16, data4: [u8; 8]) -> Guid {
        let d1 = data1.to_be_bytes();
        let d2 = data2.to_be_bytes();
        let d3 = data3.to_be_bytes();
        Guid([
            d1[0], d1[1], d1[2], d1[3], d2[0], d2[1], d3[0], d3[1], data4[0], data4[1], data4[2],
            data4[3], data4[4], data4[5], data4[6], data4[7],
        ])
    }

    /// Parses `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` or the same without braces,
    /// in any case.
    pub const fn parse(s: &str) -> Result<Guid, ParseGuidError> {
        let bytes = s.as_bytes();
        let start = match bytes.len() {
            36 => {
                if bytes[0] == b'{' || bytes[35] == b'}' {
                    return Err(ParseGuidError::Braces);
                }
                0
            }
            38 => {
                if bytes[0] != b'{' || bytes[37] != b'}' {
                    return Err(ParseGuidError::Braces);
                }
                1
            }
            found => return Err(ParseGuidError::Length { found }),
        };
        let mut hyphen = 0;
        while hyphen < 4 {
            let at = [8, 13, 18, 23][hyphen];
            if bytes[start + at] != b'-' {
                return Err(ParseGuidError::Hyphen { at });
            }
            hyphen += 1;
        }
        let mut out = [0u8; 16];
        let mut i = 0;
        while i < 16 {
            let at = HEX_PAIR_OFFSETS[i];
            let hi = match hex_value(bytes[start + at]) {
                Some(v) => v,
                None => return Err(ParseGuidError::Digit { at }),
            };
            let lo = match hex_value(bytes[start + at + 1]) {
                Some(v) => v,
                None => return Err(ParseGuidError::Digit { at: at + 1 }),
            };
            out[i] = (hi << 4) | lo;
            i += 1;
        }
        Ok(Guid(out))
    }

    /// [`Guid::parse`] for literals in `const` items: a bad literal fails the build.
    pub const fn parse_or_panic(s: &str) -> Guid {
        match Guid::parse(s) {
            Ok(g) => g,
            Err(e) => panic!("{}", e.message()),
        }
    }

    /// Writes the GUID in the given style.
    ///
    /// ```
    /// use wslconst::{Guid, GuidStyle};
    /// let g = Guid::parse_or_panic("2bde4a90-d05f-401c-9492-e40884ead1d8");
    /// assert_eq!(g.format(GuidStyle::UPPER).as_str(), "{2BDE4A90-D05F-401C-9492-E40884EAD1D8}");
    /// assert_eq!(g.format(GuidStyle::BARE).as_str(), "2bde4a90-d05f-401c-9492-e40884ead1d8");
    /// ```
    pub const fn format(&self, style: GuidStyle) -> GuidText {
        let digits: &[u8; 16] = if style.uppercase {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        let start = if style.braces { 1 } else { 0 };
        let mut buf = [0u8; 38];
        if style.braces {
            buf[0] = b'{';
            buf[37] = b'}';
        }
        let mut hyphen = 0;
        while hyphen < 4 {
            buf[start + [8, 13, 18, 23][hyphen]] = b'-';
            hyphen += 1;
        }
        let mut i = 0;
        while i < 16 {
            let at = start + HEX_PAIR_OFFSETS[i];
            buf[at] = digits[(self.0[i] >> 4) as usize];
            buf[at + 1] = digits[(self.0[i] & 0x0f) as usize];
            i += 1;
        }
        GuidText {
            buf,
            len: if style.braces { 38 } else { 36 },
        }
    }

    /// The RFC 4122 version number (5 for every GUID this crate derives).
    pub const fn version(&self) -> u8 {
        self.0[6] >> 4
    }

    /// True when the variant bits are the RFC 4122 `10xx` pattern.
    pub const fn is_rfc4122_variant(&self) -> bool {
        self.0[8] & 0xc0 == 0x80
    }

    /// `const` equality (`PartialEq` is not callable in `const fn`).
    pub const fn const_eq(&self, other: &Guid) -> bool {
        let mut i = 0;
        while i < 16 {
            if self.0[i] != other.0[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// A formatted GUID held on the stack; dereferences to `str`.
#[derive(Clone, Copy)]
pub struct GuidText {
    buf: [u8; 38],
    len: usize,
}

impl GuidText {
    /// The text.
    pub const fn as_str(&self) -> &str {
        let (text, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(text) {
            Ok(s) => s,
            // The buffer only ever holds ASCII hex digits, hyphens and braces.
            Err(_) => unreachable!(),
        }
    }

    /// The text as ASCII bytes.
    pub const fn as_bytes(&self) -> &[u8] {
        self.buf.split_at(self.len).0
    }
}

impl core::ops::Deref for GuidText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for GuidText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for GuidText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Guid {
    /// Lowercase with braces, exactly as WSL's `GuidToString` writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format(GuidStyle::WSL).as_str())
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

impl core::str::FromStr for Guid {
    type Err = ParseGuidError;
    fn from_str(s: &str) -> Result<Guid, ParseGuidError> {
        Guid::parse(s)
    }
}

#[cfg(feature = "uuid")]
impl From<uuid::Uuid> for Guid {
    fn from(u: uuid::Uuid) -> Guid {
        Guid(*u.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl From<Guid> for uuid::Uuid {
    fn from(g: Guid) -> uuid::Uuid {
        uuid::Uuid::from_bytes(g.0)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Guid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.format(GuidStyle::WSL).as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Guid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Guid, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        Guid::parse(&s).map_err(|e| serde::de::Error::custom(format_args!("{s:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "{2bde4a90-d05f-401c-9492-e40884ead1d8}";

    #[test]
    fn parses_braced_bare_and_any_case() {
        let g = Guid::parse(SAMPLE).unwrap();
        assert_eq!(Guid::parse(&SAMPLE[1..37]).unwrap(), g);
        assert_eq!(Guid::parse(&SAMPLE.to_uppercase()).unwrap(), g);
        assert_eq!(g.to_string(), SAMPLE);
    }

    #[test]
    fn formats_every_style() {
        let g = Guid::parse(SAMPLE).unwrap();
        assert_eq!(
            &*g.format(GuidStyle::BARE),
            "2bde4a90-d05f-401c-9492-e40884ead1d8"
        );
        assert_eq!(
            &*g.format(GuidStyle::UPPER),
            "{2BDE4A90-D05F-401C-9492-E40884EAD1D8}"
        );
        assert_eq!(
            &*g.format(GuidStyle {
                braces: false,
                uppercase: true
            }),
            "2BDE4A90-D05F-401C-9492-E40884EAD1D8"
        );
    }

    #[test]
    fn rejects_malformed_input_with_the_reason() {
        assert_eq!(Guid::parse(""), Err(ParseGuidError::Length { found: 0 }));
        assert_eq!(
            Guid::parse("{2bde4a90-d05f-401c-9492-e40884ead1d8"),
            Err(ParseGuidError::Length { found: 37 })
        );
        assert_eq!(
            Guid::parse("(2bde4a90-d05f-401c-9492-e40884ead1d8)"),
            Err(ParseGuidError::Braces)
        );
        assert_eq!(
            Guid::parse("2bde4a90-d05f-401c-9492-e40884ead1d}"),
            Err(ParseGuidError::Braces)
        );
        assert_eq!(
            Guid::parse("2bde4a90d-05f-401c-9492-e40884ead1d8"),
            Err(ParseGuidError::Hyphen { at: 8 })
        );
        assert_eq!(
            Guid::parse("2bde4a90-d05f-401c-9492-e40884ead1dg"),
            Err(ParseGuidError::Digit { at: 35 })
        );
        let err = Guid::parse("{2bde4a90-d05f-401c-9492-e40884eadxd8}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a hex digit 0-9, a-f or A-F at offset 33"
        );
    }

    #[test]
    fn from_fields_matches_the_cpp_initializer_order() {
        // The byte written `0x8` in WSL's header is the fourth Data4 byte.
        let g = Guid::from_fields(
            0x2bde4a90,
            0xd05f,
            0x401c,
            [0x94, 0x92, 0xe4, 0x8, 0x84, 0xea, 0xd1, 0xd8],
        );
        assert_eq!(g, Guid::parse(SAMPLE).unwrap());
    }

    #[test]
    fn reads_the_style_from_a_printf_format() {
        let wsl = "{%08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x}";
        assert_eq!(GuidStyle::from_printf(wsl), Ok(GuidStyle::WSL));
        assert_eq!(
            GuidStyle::from_printf(&wsl[1..wsl.len() - 1]),
            Ok(GuidStyle::BARE)
        );
        assert_eq!(
            GuidStyle::from_printf(&wsl.replace('x', "X")),
            Ok(GuidStyle::UPPER)
        );
        assert_eq!(
            GuidStyle::from_printf(&wsl.replacen('x', "X", 1)),
            Err("mixes %x and %X")
        );
        assert!(GuidStyle::from_printf(&wsl.replace("%04hx", "%04hd")).is_err());
        assert!(
            GuidStyle::from_printf("(%08x-%04hx-%04hx-%02x%02x-%02x%02x%02x%02x%02x%02x)").is_err()
        );
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn round_trips_through_uuid() {
        let g = Guid::parse(SAMPLE).unwrap();
        let u: uuid::Uuid = g.into();
        assert_eq!(u.to_string(), &SAMPLE[1..37]);
        assert_eq!(Guid::from(u), g);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn round_trips_through_serde() {
        let g = Guid::parse(SAMPLE).unwrap();
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(json, format!("\"{SAMPLE}\""));
        assert_eq!(serde_json::from_str::<Guid>(&json).unwrap(), g);
        let bad = serde_json::from_str::<Guid>("\"nope\"").unwrap_err();
        assert!(bad.to_string().contains("\"nope\": expected 36"), "{bad}");
    }
}
