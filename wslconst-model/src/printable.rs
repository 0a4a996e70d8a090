//! How names and text from inside an image are shown, so that nothing an
//! image holds can act on the terminal or be mistaken for something else.
//!
//! The convention, in two layers:
//!
//! 1. **Names are kept exactly** ([`decode_bytes`]): a tar name is bytes.
//!    Valid UTF-8 is kept as it is, except that `\` is written `\\`, and each
//!    byte that is not part of valid UTF-8 is written `\xNN` (lowercase hex).
//!    So two different names never decode to the same text, and the bytes
//!    can be recovered; this is also what the JSON report holds.
//! 2. **The human report escapes what a terminal would act on**
//!    ([`printable`]): C0 controls and DEL as `\xNN` (`\n`, `\r` and `\t` by
//!    name), and C1 controls, the line and paragraph separators (U+2028,
//!    U+2029) and the bidirectional controls (U+061C, U+200E, U+200F,
//!    U+202A-U+202E, U+2066-U+2069) as `\u{N}`. An ESC sequence thus prints
//!    as `\x1b[2J`, never clearing the screen, and an override cannot reorder
//!    what follows it.
//!
//! `\xNN` is always a byte (a control below 0x80, or a byte that is not
//! UTF-8, 0x80 and above), `\u{N}` always a character, so the layers never
//! collide.
//!
//! ```
//! use wslconst_model::printable::{decode_bytes, printable};
//! assert_eq!(decode_bytes(b"caf\xc3\xa9 \\ \xff"), "café \\\\ \\xff");
//! assert_eq!(printable("a\x1b]0;pwned\x07\u{202e}txt.exe\r\n"), "a\\x1b]0;pwned\\x07\\u{202e}txt.exe\\r\\n");
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// Bytes as text, losing nothing: see the module documentation.
pub fn decode_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Whether a terminal could act on `c`, or show it misleadingly.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character a terminal would act on escaped visibly.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_names_never_print_the_same() {
        let names: [&[u8]; 8] = [
            b"a\x1bb",
            b"a\\x1bb",
            b"a\xc2\x85b",
            b"a\x85b",
            b"a\\x85b",
            b"a\\u{85}b",
            b"a\nb",
            b"a\\nb",
        ];
        let shown: Vec<String> = names
            .iter()
            .map(|n| printable(&decode_bytes(n)).into_owned())
            .collect();
        for (i, a) in shown.iter().enumerate() {
            assert!(!a.chars().any(needs_escape), "{a:?}");
            for b in &shown[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn every_kind_of_terminal_control_is_escaped() {
        for (c, shown) in [
            ('\u{1b}', "\\x1b"),
            ('\u{7}', "\\x07"),
            ('\u{7f}', "\\x7f"),
            ('\u{9b}', "\\u{9b}"),
            ('\u{2028}', "\\u{2028}"),
            ('\u{2029}', "\\u{2029}"),
            ('\u{202e}', "\\u{202e}"),
            ('\u{2067}', "\\u{2067}"),
            ('\r', "\\r"),
        ] {
            assert_eq!(printable(&format!("x{c}y")), format!("x{shown}y"));
        }
        assert!(matches!(printable("plain ünïcødé 😀"), Cow::Borrowed(_)));
    }
}
