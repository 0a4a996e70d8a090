//! Whether Windows Terminal can read a settings file: jsoncpp's reader as
//! Terminal configures it, ported for acceptance only (no values).
//!
//! Terminal parses `settings.json` and `state.json` with a default
//! `Json::CharReaderBuilder` (`SettingsLoader::_parseJSON`,
//! `CascadiaSettingsSerialization.cpp:787`, and `ApplicationState.cpp:153`,
//! microsoft/terminal@20588130), after `til::io` strips one UTF-8 BOM
//! (`src/inc/til/io.h:130-136`). jsoncpp's defaults (1.9.6, which Terminal
//! vendors: `json_reader.cpp` `CharReaderBuilder::setDefaults`) allow comments
//! and trailing commas, skip one more BOM, ignore anything after the root
//! value (`failIfExtra` off) and stop at 1000 levels (`stackLimit`).
//!
//! The editor's own parser accepts more than that in three places, found by
//! running jsoncpp itself over the settings and fuzz corpora
//! (`scripts/jsoncpp-check.py`):
//! - whitespace: jsoncpp skips only space, tab, CR and LF (`skipSpaces`);
//! - a comment between a member's name and its `:` (`readObject` reads the
//!   colon with `readToken`, which does not skip comments);
//! - a comment where an array expects a value, before its `]`: `[ /* c */ ]`
//!   or after a trailing comma (`readArray` looks for `]` after whitespace
//!   only, then `readValue` skips the comment and finds `]`).
//!
//! A file Terminal cannot read shows Terminal's settings-load error and
//! leaves the user with defaults, so the editor refuses such input and never
//! writes such output.

use std::fmt;

/// Where and why Terminal's reader stops, in jsoncpp's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// jsoncpp's message, e.g. `Syntax error: value, object or array expected.`
    pub message: &'static str,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} (Windows Terminal's reader, jsoncpp, stops there)",
            self.line, self.column, self.message
        )
    }
}

const BOM: &[u8] = b"\xef\xbb\xbf";
/// `CharReaderBuilder`'s default `stackLimit`.
const STACK_LIMIT: usize = 1000;

/// `Ok` when Terminal reads `text`.
///
/// ```
/// use wslconst_model::settings::terminal_reader::check;
/// assert!(check("{\"profiles\": [1, 2,], // mine\n}").is_ok());
/// let err = check("{\"list\": [ /* all gone */ ]}").unwrap_err();
/// assert_eq!(err.message, "Syntax error: value, object or array expected.");
/// assert!(check("{\"a\": 1,\u{a0}\"b\": 2}").is_err()); // a no-break space
/// ```
pub fn check(text: &str) -> Result<(), Unreadable> {
    let mut bytes = text.as_bytes();
    // til::io strips one BOM, jsoncpp's skipBom another.
    for _ in 0..2 {
        bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    }
    let mut reader = Reader {
        bytes,
        at: 0,
        depth: 0,
    };
    reader.value().map_err(|(at, message)| {
        let before = String::from_utf8_lossy(&bytes[..at.min(bytes.len())]).into_owned();
        let line = 1 + before.matches('\n').count();
        let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
        Unreadable {
            line,
            column,
            message,
        }
    })
    // failIfExtra is off: whatever follows the root value is ignored.
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    ObjectBegin,
    ObjectEnd,
    ArrayBegin,
    ArrayEnd,
    String,
    Number,
    Literal,
    Comma,
    Colon,
    Comment,
    End,
    Error,
}

type Failure = (usize, &'static str);

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    /// `getNextChar`: the next byte, or 0 at the end.
    fn next(&mut self) -> u8 {
        match self.bytes.get(self.at) {
            Some(&b) => {
                self.at += 1;
                b
            }
            None => 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    /// `readToken`: the token and where it starts.
    fn token(&mut self) -> (Token, usize) {
        self.skip_spaces();
        let start = self.at;
        let token = match self.next() {
            b'{' => Token::ObjectBegin,
            b'}' => Token::ObjectEnd,
            b'[' => Token::ArrayBegin,
            b']' => Token::ArrayEnd,
            b'"' => self.string(),
            // Without allowSingleQuotes a `'` falls through to the comment case.
            b'/' | b'\'' => self.comment(),
            b'0'..=b'9' => {
                self.number();
                Token::Number
            }
            // `readNumber(true)`: a number unless `I` follows (an infinity,
            // refused without allowSpecialFloats).
            b'-' | b'+' if self.peek() == Some(b'I') => Token::Error,
            b'-' | b'+' => {
                self.number();
                Token::Number
            }
            b't' => self.literal(b"rue"),
            b'f' => self.literal(b"alse"),
            b'n' => self.literal(b"ull"),
            b',' => Token::Comma,
            b':' => Token::Colon,
            0 => Token::End,
            _ => Token::Error,
        };
        (token, start)
    }

    fn literal(&mut self, rest: &[u8]) -> Token {
        if self.bytes[self.at..].starts_with(rest) {
            self.at += rest.len();
            Token::Literal
        } else {
            Token::Error
        }
    }

    /// `readString`: to the closing quote, a backslash taking the next byte.
    fn string(&mut self) -> Token {
        let mut last = 0;
        while self.at < self.bytes.len() {
            last = self.next();
            if last == b'\\' {
                self.next();
            } else if last == b'"' {
                break;
            }
        }
        if last == b'"' {
            Token::String
        } else {
            Token::Error
        }
    }

    /// `readComment`: `/* ... */` or `// ...` to the end of the line.
    fn comment(&mut self) -> Token {
        match self.next() {
            b'*' => {
                while self.at + 1 < self.bytes.len() {
                    if self.next() == b'*' && self.peek() == Some(b'/') {
                        break;
                    }
                }
                if self.next() == b'/' {
                    Token::Comment
                } else {
                    Token::Error
                }
            }
            b'/' => {
                while self.at < self.bytes.len() {
                    match self.next() {
                        b'\n' => break,
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.at += 1;
                            }
                            break;
                        }
                        _ => {}
                    }
                }
                Token::Comment
            }
            _ => Token::Error,
        }
    }

    /// `readNumber`: digits, a fraction and an exponent, each optional.
    fn number(&mut self) {
        let digits = |r: &mut Self| {
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
        };
        digits(self);
        if self.peek() == Some(b'.') {
            self.at += 1;
            digits(self);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            digits(self);
        }
    }

    /// `readValue`, comments before the value skipped.
    fn value(&mut self) -> Result<(), Failure> {
        if self.depth >= STACK_LIMIT {
            return Err((self.at, "Exceeded stackLimit in readValue()."));
        }
        let (mut token, mut start) = self.token();
        while token == Token::Comment {
            (token, start) = self.token();
        }
        match token {
            Token::ObjectBegin => self.nested(Self::object),
            Token::ArrayBegin => self.nested(Self::array),
            Token::String => self.decode_string(start),
            Token::Number => self.decode_number(start),
            Token::Literal => Ok(()),
            _ => Err((start, "Syntax error: value, object or array expected.")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<(), Failure>) -> Result<(), Failure> {
        self.depth += 1;
        let result = read(self);
        self.depth -= 1;
        result
    }

    /// `readObject` (allowTrailingCommas on, allowNumericKeys off).
    fn object(&mut self) -> Result<(), Failure> {
        loop {
            let (mut name, mut start) = self.token();
            while name == Token::Comment {
                (name, start) = self.token();
            }
            match name {
                Token::ObjectEnd => return Ok(()),
                Token::String => self.decode_string(start)?,
                _ => return Err((start, "Missing '}' or object member name")),
            }
            let (colon, at) = self.token();
            if colon != Token::Colon {
                return Err((at, "Missing ':' after object member name"));
            }
            self.value()?;
            let (mut comma, mut at) = self.token();
            if !matches!(comma, Token::ObjectEnd | Token::Comma | Token::Comment) {
                return Err((at, "Missing ',' or '}' in object declaration"));
            }
            // jsoncpp reads past comments here and does not check what
            // follows: another token is taken as this separator. A bad token
            // is refused here, where jsoncpp would read on past it; the
            // editor's parser refuses such text in the first place.
            while comma == Token::Comment {
                (comma, at) = self.token();
            }
            if comma == Token::Error {
                return Err((at, "Missing '}' or object member name"));
            }
            if comma == Token::ObjectEnd {
                return Ok(());
            }
        }
    }

    /// `readArray` (allowTrailingCommas on, no dropped null placeholders).
    fn array(&mut self) -> Result<(), Failure> {
        loop {
            // Only whitespace before a `]` that ends the array: a comment
            // there is read by `readValue`, which then finds `]`.
            self.skip_spaces();
            if self.peek() == Some(b']') {
                self.at += 1;
                return Ok(());
            }
            self.value()?;
            let (mut token, mut at) = self.token();
            while token == Token::Comment {
                (token, at) = self.token();
            }
            match token {
                Token::Comma => {}
                Token::ArrayEnd => return Ok(()),
                _ => return Err((at, "Missing ',' or ']' in array declaration")),
            }
        }
    }

    /// `decodeString`: only the escapes JSON has; `\u` with four hex
    /// digits, a high surrogate followed by another `\u`.
    fn decode_string(&self, start: usize) -> Result<(), Failure> {
        let body = &self.bytes[start + 1..self.at - 1];
        let mut i = 0;
        while i < body.len() {
            if body[i] != b'\\' {
                i += 1;
                continue;
            }
            let Some(&escape) = body.get(i + 1) else {
                return Err((start, "Empty escape sequence in string"));
            };
            i += 2;
            match escape {
                b'"' | b'/' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                b'u' => {
                    let unit = hex4(body, i).map_err(|m| (start, m))?;
                    i += 4;
                    if (0xd800..=0xdbff).contains(&unit) {
                        if body.len() - i < 6 {
                            return Err((
                                start,
                                "additional six characters expected to parse unicode surrogate pair.",
                            ));
                        }
                        if &body[i..i + 2] != b"\\u" {
                            return Err((
                                start,
                                "expecting another \\u token to begin the second half of a unicode surrogate pair",
                            ));
                        }
                        hex4(body, i + 2).map_err(|m| (start, m))?;
                        i += 6;
                    }
                }
                _ => return Err((start, "Bad escape sequence in string")),
            }
        }
        Ok(())
    }

    /// `decodeNumber`/`decodeDouble`: a JSON number always decodes (1.9.6
    /// reads one past a double's range as an infinity). Other shapes
    /// `readNumber` lets through (`1.`, `-`, `1e`) are refused here, which
    /// is stricter than jsoncpp only for text the editor's parser refuses
    /// anyway.
    fn decode_number(&self, start: usize) -> Result<(), Failure> {
        let text = &self.bytes[start..self.at];
        if is_json_number(text) {
            Ok(())
        } else {
            Err((start, "a number jsoncpp may not read"))
        }
    }
}

fn hex4(body: &[u8], at: usize) -> Result<u32, &'static str> {
    let digits = body
        .get(at..at + 4)
        .ok_or("Bad unicode escape sequence in string: four digits expected.")?;
    digits.iter().try_fold(0u32, |n, &d| {
        char::from(d)
            .to_digit(16)
            .map(|v| n * 16 + v)
            .ok_or("Bad unicode escape sequence in string: hexadecimal digit expected.")
    })
}

/// RFC 8259's number grammar.
fn is_json_number(text: &[u8]) -> bool {
    let mut i = usize::from(text.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while text.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    match text.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if text.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(text.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(text.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case as jsoncpp 1.9.5 (Debian's libjsoncpp-dev) with Terminal's
    /// builder reads it; `scripts/jsoncpp-check.py` holds the editor to the
    /// real reader on whole corpora.
    #[test]
    fn reads_what_terminal_reads() {
        for ok in [
            "{}",
            "\u{feff}{}",
            "\u{feff}\u{feff}{}",
            "{\"a\": [1, 2,],}",
            "{\"a\": [ // c\n 1]}",
            "{\"a\": [1 /* c */, 2 /* d */]}",
            "{\"a\": /* c */ 1}",
            "{ // c\n}",
            "{\"a\": 1} trailing text is ignored",
            "[\"\\ud83d\\ude00\", \"\\u00e9\", \"raw \u{1} control\"]",
            "{\"a\": -0.5e+10, \"b\": 1e400}",
            "{\"a\": 1,\r\n\t\"b\": 2}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
        for (bad, message) in [
            (
                "{\"a\": [ /* c */ ]}",
                "Syntax error: value, object or array expected.",
            ),
            (
                "{\"a\": [1, // c\n]}",
                "Syntax error: value, object or array expected.",
            ),
            (
                "{\"a\" /* c */ : 1}",
                "Missing ':' after object member name",
            ),
            (
                "{\"a\": 1,\u{c}\"b\": 2}",
                "Missing '}' or object member name",
            ),
            (
                "{\"a\": 1,\u{a0}\"b\": 2}",
                "Missing '}' or object member name",
            ),
            ("{\"a\": \"\\x\"}", "Bad escape sequence in string"),
            (
                "{\"a\": \"\\ud83d\"}",
                "additional six characters expected to parse unicode surrogate pair.",
            ),
            (
                "{\"a\": 1 \"b\": 2}",
                "Missing ',' or '}' in object declaration",
            ),
            ("", "Syntax error: value, object or array expected."),
        ] {
            assert_eq!(check(bad).map_err(|e| e.message), Err(message), "{bad:?}");
        }
        let deep = "[".repeat(1001) + &"]".repeat(1001);
        assert!(check(&deep).is_err());
        assert!(check(&("[".repeat(999) + &"]".repeat(999))).is_ok());
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let err = check("{\n  \"é\": [\n    // gone\n  ]\n}").unwrap_err();
        assert_eq!((err.line, err.column), (4, 3));
    }
}
