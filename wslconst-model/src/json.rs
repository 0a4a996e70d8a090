//! JSON exactly as WSL's nlohmann::json 3.12 reads and writes it.
//!
//! WSL parses a distro's Terminal profile template with
//! `nlohmann::json::parse(text, nullptr, true, false)` (exceptions on, comments
//! not allowed, trailing commas not allowed) and writes the fragment with
//! `dump(2)`. This module reproduces both so the fragment wslconst predicts is
//! the fragment WSL writes, byte for byte:
//!
//! - objects are `std::map`s: keys sorted by their UTF-8 bytes, the last of two
//!   duplicate keys wins;
//! - numbers keep nlohmann's three kinds: negative integers, unsigned integers,
//!   and doubles (printed with nlohmann's Grisu2 digits and exponent rules, so
//!   `1e2` comes back as `100.0` and `2.5e22` as `2.4999999999999998e+22`);
//! - errors carry nlohmann's message, line and column.
//!
//! ```
//! use wslconst_model::json::{parse, Json};
//!
//! let value = parse(br#"{"b": [1, 2.50, -3], "a": "\u00e9"}"#)?;
//! assert_eq!(value.dump(2), "{\n  \"a\": \"é\",\n  \"b\": [\n    1,\n    2.5,\n    -3\n  ]\n}");
//! assert!(matches!(value.get("b"), Some(Json::Array(_))));
//!
//! let err = parse(b"{\n  // a comment\n}").unwrap_err();
//! assert_eq!((err.line, err.column), (2, 3));
//! # Ok::<(), wslconst_model::json::JsonError>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

mod grisu;
use std::fmt;

/// Deeper nesting than this is refused. nlohmann has no limit of its own; the
/// limit keeps wslconst's recursive printing and dropping off the stack's edge,
/// and no Terminal profile comes anywhere near it.
pub const MAX_DEPTH: usize = 512;

/// A JSON value with nlohmann's number kinds and `std::map` objects.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A negative integer (`number_integer`).
    Integer(i64),
    /// A non-negative integer (`number_unsigned`).
    Unsigned(u64),
    /// A number with a fraction or exponent, or an integer too large for 64 bits
    /// (`number_float`).
    Float(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object; keys in byte order, as `std::map<std::string, json>` keeps them.
    Object(BTreeMap<String, Json>),
}

impl Json {
    /// The member `key` of an object; `None` for a missing key or a non-object
    /// (nlohmann's `find` returns `end()` for both).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// nlohmann's `type_name()`: `null`, `object`, `array`, `string`, `boolean`,
    /// `number`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Integer(_) | Json::Unsigned(_) | Json::Float(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// "an object", "a string", ...: [`type_name`](Self::type_name) with its
    /// article, for messages.
    pub fn type_phrase(&self) -> String {
        type_phrase(self.type_name())
    }

    /// `dump(indent)`: nlohmann's pretty printer with `ensure_ascii = false`.
    /// No trailing newline.
    pub fn dump(&self, indent: usize) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, indent, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize, level: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Integer(n) => out.push_str(&n.to_string()),
            Json::Unsigned(n) => out.push_str(&n.to_string()),
            Json::Float(f) => write_float(out, *f),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",\n");
                    }
                    push_indent(out, indent * (level + 1));
                    item.write_pretty(out, indent, level + 1);
                }
                out.push('\n');
                push_indent(out, indent * level);
                out.push(']');
            }
            Json::Object(map) if map.is_empty() => out.push_str("{}"),
            Json::Object(map) => {
                out.push_str("{\n");
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",\n");
                    }
                    push_indent(out, indent * (level + 1));
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_pretty(out, indent, level + 1);
                }
                out.push('\n');
                push_indent(out, indent * level);
                out.push('}');
            }
        }
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<&serde_json::Value> for Json {
    /// The value nlohmann would hold for the same JSON text: non-negative
    /// integers are unsigned, negative ones signed, the rest floats.
    fn from(value: &serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Json::Unsigned(u),
                (None, Some(i)) => Json::Integer(i),
                _ => Json::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Json::from).collect()),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Json::from(v)))
                    .collect(),
            ),
        }
    }
}

/// A type name with its article: `an object`, `a number`.
pub fn type_phrase(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// nlohmann's `dump_escaped` with `ensure_ascii = false`.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// nlohmann's `to_chars` for doubles: Grisu2 digits ([`grisu`]), then
/// `format_buffer` with exponents from -4 to 15 printed positionally.
fn write_float(out: &mut String, value: f64) {
    if !value.is_finite() {
        // nlohmann prints non-finite numbers as null; the parser never makes one.
        out.push_str("null");
        return;
    }
    if value.is_sign_negative() {
        out.push('-');
    }
    let value = value.abs();
    if value == 0.0 {
        out.push_str("0.0");
        return;
    }
    let (digits, exponent) = grisu::digits(value);
    let digits = String::from_utf8(digits).expect("digits are ASCII");
    let k = digits.len() as i32;
    // The decimal point sits after the n-th digit.
    let n = k + exponent;
    const MIN_EXP: i32 = -4;
    const MAX_EXP: i32 = 15;
    if k <= n && n <= MAX_EXP {
        out.push_str(&digits);
        push_zeros(out, (n - k) as usize);
        out.push_str(".0");
    } else if 0 < n && n <= MAX_EXP {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if MIN_EXP < n && n <= 0 {
        out.push_str("0.");
        push_zeros(out, (-n) as usize);
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = n - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        let e = e.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    }
}

fn push_zeros(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n('0', n));
}

/// Why nlohmann would throw, with its message and position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// nlohmann's exception id: 101 (parse_error) or 406 (out_of_range: number
    /// overflow); 0 for wslconst's own nesting limit.
    pub id: u16,
    /// 1-based line, as nlohmann counts it (`lines_read + 1`).
    pub line: usize,
    /// Bytes read on that line up to and including the offending one (0 when
    /// the offending byte is a newline).
    pub column: usize,
    /// nlohmann's message after the position, e.g. `syntax error while parsing
    /// value - invalid literal; last read: '/'`.
    pub message: String,
    /// Whether the input had a comment where the error is (WSL parses with
    /// `ignore_comments = false`).
    pub comment: bool,
    /// Whether the error is a trailing comma (`ignore_trailing_commas = false`).
    pub trailing_comma: bool,
}

impl JsonError {
    /// The text of nlohmann's `e.what()`, which WSL prints in its warning.
    pub fn what(&self) -> String {
        match self.id {
            101 => format!(
                "[json.exception.parse_error.101] parse error at line {}, column {}: {}",
                self.line, self.column, self.message
            ),
            406 => format!("[json.exception.out_of_range.406] {}", self.message),
            _ => format!(
                "line {}, column {}: {}",
                self.line, self.column, self.message
            ),
        }
    }

    /// A sentence for people: what is wrong and what to do.
    pub fn explain(&self) -> String {
        let hint = if self.comment {
            "; WSL reads the template with comments disallowed: remove the comment"
        } else if self.trailing_comma {
            "; WSL does not allow trailing commas: remove the comma before the closing bracket"
        } else {
            ""
        };
        format!(
            "line {}, column {}: {}{hint}",
            self.line, self.column, self.message
        )
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what())
    }
}

impl std::error::Error for JsonError {}

/// `nlohmann::json::parse(input, nullptr, true, false)`: strict JSON, no
/// comments, no trailing commas, a UTF-8 BOM skipped, a NUL byte read as the end
/// of input.
pub fn parse(input: &[u8]) -> Result<Json, JsonError> {
    Parser::new(input).parse()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    True,
    False,
    Null,
    String,
    Unsigned,
    Integer,
    Float,
    BeginArray,
    BeginObject,
    EndArray,
    EndObject,
    NameSeparator,
    ValueSeparator,
    ParseError,
    EndOfInput,
}

impl Token {
    /// nlohmann's `token_type_name`.
    fn name(self) -> &'static str {
        match self {
            Token::True => "true literal",
            Token::False => "false literal",
            Token::Null => "null literal",
            Token::String => "string literal",
            Token::Unsigned | Token::Integer | Token::Float => "number literal",
            Token::BeginArray => "'['",
            Token::BeginObject => "'{'",
            Token::EndArray => "']'",
            Token::EndObject => "'}'",
            Token::NameSeparator => "':'",
            Token::ValueSeparator => "','",
            Token::ParseError => "<parse error>",
            Token::EndOfInput => "end of input",
        }
    }
}

const EOF: i32 = -1;

/// nlohmann's lexer: the same `get`/`unget` bookkeeping, so positions and
/// "last read" strings match.
struct Lexer<'a> {
    input: &'a [u8],
    pos: usize,
    current: i32,
    next_unget: bool,
    chars_read_total: usize,
    chars_read_current_line: usize,
    lines_read: usize,
    token_string: Vec<u8>,
    token_buffer: Vec<u8>,
    error_message: Cow<'static, str>,
    value_unsigned: u64,
    value_integer: i64,
    value_float: f64,
    /// Set when the last error started with `/` (a comment).
    saw_comment: bool,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a [u8]) -> Self {
        Lexer {
            input,
            pos: 0,
            current: EOF,
            next_unget: false,
            chars_read_total: 0,
            chars_read_current_line: 0,
            lines_read: 0,
            token_string: Vec::new(),
            token_buffer: Vec::new(),
            error_message: Cow::Borrowed(""),
            value_unsigned: 0,
            value_integer: 0,
            value_float: 0.0,
            saw_comment: false,
        }
    }

    fn get(&mut self) -> i32 {
        self.chars_read_total += 1;
        self.chars_read_current_line += 1;
        if self.next_unget {
            self.next_unget = false;
        } else if self.pos < self.input.len() {
            self.current = i32::from(self.input[self.pos]);
            self.pos += 1;
        } else {
            self.current = EOF;
        }
        if self.current != EOF {
            self.token_string.push(self.current as u8);
        }
        if self.current == i32::from(b'\n') {
            self.lines_read += 1;
            self.chars_read_current_line = 0;
        }
        self.current
    }

    fn unget(&mut self) {
        self.next_unget = true;
        self.chars_read_total -= 1;
        if self.chars_read_current_line == 0 {
            self.lines_read = self.lines_read.saturating_sub(1);
        } else {
            self.chars_read_current_line -= 1;
        }
        if self.current != EOF {
            self.token_string.pop();
        }
    }

    fn reset(&mut self) {
        self.token_buffer.clear();
        self.token_string.clear();
        if self.current != EOF {
            self.token_string.push(self.current as u8);
        }
    }

    fn error(&mut self, message: impl Into<Cow<'static, str>>) -> Token {
        self.error_message = message.into();
        Token::ParseError
    }

    /// nlohmann's `get_token_string`: control characters as `<U+XXXX>`. nlohmann
    /// copies other bytes raw; bytes that are not UTF-8 become U+FFFD here, as
    /// they do when its message is shown as UTF-8.
    fn token_text(&self) -> String {
        let mut out = String::new();
        for c in String::from_utf8_lossy(&self.token_string).chars() {
            if (c as u32) <= 0x1f {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    }

    fn skip_bom(&mut self) -> bool {
        if self.get() == 0xEF {
            return self.get() == 0xBB && self.get() == 0xBF;
        }
        self.unget();
        true
    }

    fn scan(&mut self) -> Token {
        if self.chars_read_total == 0 && !self.skip_bom() {
            return self.error("invalid BOM; must be 0xEF 0xBB 0xBF if given");
        }
        loop {
            let c = self.get();
            if !(c == i32::from(b' ')
                || c == i32::from(b'\t')
                || c == i32::from(b'\n')
                || c == i32::from(b'\r'))
            {
                break;
            }
        }
        self.saw_comment = false;
        match self.current {
            EOF | 0 => Token::EndOfInput,
            c => match c as u8 {
                b'[' => Token::BeginArray,
                b']' => Token::EndArray,
                b'{' => Token::BeginObject,
                b'}' => Token::EndObject,
                b':' => Token::NameSeparator,
                b',' => Token::ValueSeparator,
                b't' => self.scan_literal(b"true", Token::True),
                b'f' => self.scan_literal(b"false", Token::False),
                b'n' => self.scan_literal(b"null", Token::Null),
                b'"' => self.scan_string(),
                b'-' | b'0'..=b'9' => self.scan_number(),
                // No reset: nlohmann's "last read" runs from the start of the
                // last string or number token.
                b'/' => {
                    self.saw_comment = true;
                    self.error("invalid literal")
                }
                _ => self.error("invalid literal"),
            },
        }
    }

    fn scan_literal(&mut self, text: &[u8], token: Token) -> Token {
        for &expected in &text[1..] {
            if self.get() != i32::from(expected) {
                return self.error("invalid literal");
            }
        }
        token
    }

    fn scan_string(&mut self) -> Token {
        self.reset();
        loop {
            let c = self.get();
            if c == EOF {
                return self.error("invalid string: missing closing quote");
            }
            let b = c as u8;
            match b {
                b'"' => return Token::String,
                b'\\' => {
                    let e = self.get();
                    let add: &[u8] = match e {
                        0x22 => b"\"",
                        0x5c => b"\\",
                        0x2f => b"/",
                        0x62 => b"\x08",
                        0x66 => b"\x0c",
                        0x6e => b"\n",
                        0x72 => b"\r",
                        0x74 => b"\t",
                        0x75 => {
                            match self.scan_unicode_escape() {
                                Ok(c) => {
                                    let mut buf = [0u8; 4];
                                    let s = c.encode_utf8(&mut buf);
                                    self.token_buffer.extend_from_slice(s.as_bytes());
                                }
                                Err(message) => return self.error(message),
                            }
                            continue;
                        }
                        _ => {
                            return self
                                .error("invalid string: forbidden character after backslash");
                        }
                    };
                    self.token_buffer.extend_from_slice(add);
                }
                0x00..=0x1f => {
                    return self.error(control_character_message(b));
                }
                0x20..=0x7f => self.token_buffer.push(b),
                _ => {
                    if !self.scan_utf8_continuation(b) {
                        return self.error("invalid string: ill-formed UTF-8 byte");
                    }
                }
            }
        }
    }

    /// After `\u`: the code point, joining surrogate pairs.
    fn scan_unicode_escape(&mut self) -> Result<char, &'static str> {
        const NEED_HEX: &str = "invalid string: '\\u' must be followed by 4 hex digits";
        const NEED_LOW: &str =
            "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
        let high = self.get_codepoint().ok_or(NEED_HEX)?;
        let code = if (0xD800..=0xDBFF).contains(&high) {
            if self.get() != i32::from(b'\\') || self.get() != i32::from(b'u') {
                return Err(NEED_LOW);
            }
            let low = self.get_codepoint().ok_or(NEED_HEX)?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err(NEED_LOW);
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..=0xDFFF).contains(&high) {
            return Err("invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
        } else {
            high
        };
        Ok(char::from_u32(code).expect("surrogates were handled above"))
    }

    fn get_codepoint(&mut self) -> Option<u32> {
        let mut code = 0;
        for _ in 0..4 {
            let c = self.get();
            let digit = match c {
                0x30..=0x39 => c - 0x30,
                0x41..=0x46 => c - 0x41 + 10,
                0x61..=0x66 => c - 0x61 + 10,
                _ => return None,
            };
            code = (code << 4) | digit as u32;
        }
        Some(code)
    }

    /// UTF-8 validation exactly as nlohmann's `next_byte_in_range` table.
    fn scan_utf8_continuation(&mut self, first: u8) -> bool {
        let ranges: &[(u8, u8)] = match first {
            0xC2..=0xDF => &[(0x80, 0xBF)],
            0xE0 => &[(0xA0, 0xBF), (0x80, 0xBF)],
            0xE1..=0xEC | 0xEE..=0xEF => &[(0x80, 0xBF), (0x80, 0xBF)],
            0xED => &[(0x80, 0x9F), (0x80, 0xBF)],
            0xF0 => &[(0x90, 0xBF), (0x80, 0xBF), (0x80, 0xBF)],
            0xF1..=0xF3 => &[(0x80, 0xBF), (0x80, 0xBF), (0x80, 0xBF)],
            0xF4 => &[(0x80, 0x8F), (0x80, 0xBF), (0x80, 0xBF)],
            _ => return false,
        };
        self.token_buffer.push(first);
        for &(lo, hi) in ranges {
            let c = self.get();
            if c == EOF || !(i32::from(lo)..=i32::from(hi)).contains(&c) {
                return false;
            }
            self.token_buffer.push(c as u8);
        }
        true
    }

    fn scan_number(&mut self) -> Token {
        self.reset();
        let mut negative = false;
        let mut is_float = false;
        let mut c = self.current;
        if c == i32::from(b'-') {
            negative = true;
            c = self.get();
            if !is_digit(c) {
                return self.error("invalid number; expected digit after '-'");
            }
        }
        if c != i32::from(b'0') {
            while is_digit(self.get()) {}
        } else {
            self.get();
        }
        // `current` is the byte after the integer part.
        if self.current == i32::from(b'.') {
            is_float = true;
            if !is_digit(self.get()) {
                return self.error("invalid number; expected digit after '.'");
            }
            while is_digit(self.get()) {}
        }
        if self.current == i32::from(b'e') || self.current == i32::from(b'E') {
            is_float = true;
            let mut c = self.get();
            if c == i32::from(b'+') || c == i32::from(b'-') {
                c = self.get();
                if !is_digit(c) {
                    return self.error("invalid number; expected digit after exponent sign");
                }
            } else if !is_digit(c) {
                return self.error("invalid number; expected '+', '-', or digit after exponent");
            }
            while is_digit(self.get()) {}
        }
        self.unget();
        let text = std::str::from_utf8(&self.token_string).expect("number tokens are ASCII");
        if !is_float {
            if negative {
                if let Ok(v) = text.parse::<i64>() {
                    self.value_integer = v;
                    return Token::Integer;
                }
            } else if let Ok(v) = text.parse::<u64>() {
                self.value_unsigned = v;
                return Token::Unsigned;
            }
        }
        self.value_float = text.parse::<f64>().unwrap_or(f64::INFINITY);
        Token::Float
    }
}

fn is_digit(c: i32) -> bool {
    (0x30..=0x39).contains(&c)
}

fn control_character_message(b: u8) -> String {
    const NAMES: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    let short = match b {
        0x08 => " or \\b",
        0x09 => " or \\t",
        0x0a => " or \\n",
        0x0c => " or \\f",
        0x0d => " or \\r",
        _ => "",
    };
    format!(
        "invalid string: control character U+{b:04X} ({}) must be escaped to \\u{b:04X}{short}",
        NAMES[b as usize]
    )
}

/// Where a container's next element goes while parsing.
enum Frame {
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>, String),
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    last: Token,
}

impl<'a> Parser<'a> {
    fn new(input: &'a [u8]) -> Self {
        Parser {
            lexer: Lexer::new(input),
            last: Token::EndOfInput,
        }
    }

    fn next(&mut self) -> Token {
        self.last = self.lexer.scan();
        self.last
    }

    fn fail(&self, context: &str, expected: Option<Token>) -> JsonError {
        let mut message = format!("syntax error while parsing {context} - ");
        if self.last == Token::ParseError {
            message.push_str(&format!(
                "{}; last read: '{}'",
                self.lexer.error_message,
                self.lexer.token_text()
            ));
        } else {
            message.push_str(&format!("unexpected {}", self.last.name()));
        }
        if let Some(expected) = expected {
            let name = if expected == Token::ParseError {
                // nlohmann's `literal_or_value` placeholder.
                "'[', '{', or a literal"
            } else {
                expected.name()
            };
            message.push_str(&format!("; expected {name}"));
        }
        JsonError {
            comment: self.lexer.saw_comment,
            ..self.error_here(101, message)
        }
    }

    /// An error at the lexer's current position.
    fn error_here(&self, id: u16, message: String) -> JsonError {
        JsonError {
            id,
            line: self.lexer.lines_read + 1,
            column: self.lexer.chars_read_current_line,
            message,
            comment: false,
            trailing_comma: false,
        }
    }

    fn scalar(&self) -> Result<Json, JsonError> {
        Ok(match self.last {
            Token::True => Json::Bool(true),
            Token::False => Json::Bool(false),
            Token::Null => Json::Null,
            Token::Unsigned => Json::Unsigned(self.lexer.value_unsigned),
            Token::Integer => Json::Integer(self.lexer.value_integer),
            Token::Float => {
                let f = self.lexer.value_float;
                if !f.is_finite() {
                    return Err(self.error_here(
                        406,
                        format!("number overflow parsing '{}'", self.lexer.token_text()),
                    ));
                }
                Json::Float(f)
            }
            Token::String => Json::String(
                String::from_utf8(self.lexer.token_buffer.clone())
                    .expect("the lexer validated UTF-8"),
            ),
            _ => unreachable!("scalar() is called on scalar tokens only"),
        })
    }

    fn too_deep(&self) -> JsonError {
        self.error_here(
            0,
            format!(
                "nesting deeper than {MAX_DEPTH} levels; wslconst stops here (WSL itself has no limit, no Terminal profile needs one)"
            ),
        )
    }

    /// nlohmann's `sax_parse_internal`, iterative like it.
    fn parse(mut self) -> Result<Json, JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        self.next();
        'value: loop {
            // Parse one value starting at `self.last`.
            let mut value = match self.last {
                Token::BeginObject => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.too_deep());
                    }
                    match self.next() {
                        Token::EndObject => Json::Object(BTreeMap::new()),
                        Token::String => {
                            let key = self.key()?;
                            stack.push(Frame::Object(BTreeMap::new(), key));
                            self.next();
                            continue 'value;
                        }
                        _ => return Err(self.fail("object key", Some(Token::String))),
                    }
                }
                Token::BeginArray => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.too_deep());
                    }
                    if self.next() == Token::EndArray {
                        Json::Array(Vec::new())
                    } else {
                        stack.push(Frame::Array(Vec::new()));
                        continue 'value;
                    }
                }
                Token::True
                | Token::False
                | Token::Null
                | Token::String
                | Token::Unsigned
                | Token::Integer
                | Token::Float => self.scalar()?,
                Token::ParseError => return Err(self.fail("value", None)),
                // nlohmann 3.12 (and 3.11.3) names an input with nothing in it
                // (the end read first: chars_read_total == 1); 3.11.2 says
                // "unexpected end of input" (scripts/nlohmann-diff.py allows it).
                Token::EndOfInput if self.lexer.chars_read_total == 1 => {
                    return Err(self.error_here(
                        101,
                        "attempting to parse an empty input; check that your input string or stream contains the expected JSON".to_owned(),
                    ));
                }
                _ => {
                    let mut err = self.fail("value", Some(Token::ParseError));
                    err.trailing_comma = self.last == Token::EndArray
                        && matches!(stack.last(), Some(Frame::Array(items)) if !items.is_empty());
                    return Err(err);
                }
            };
            // Hand the value to its container, closing containers as they end.
            loop {
                match stack.pop() {
                    None => {
                        if self.next() != Token::EndOfInput {
                            return Err(self.fail("value", Some(Token::EndOfInput)));
                        }
                        return Ok(value);
                    }
                    Some(Frame::Array(mut items)) => {
                        items.push(value);
                        match self.next() {
                            Token::ValueSeparator => {
                                stack.push(Frame::Array(items));
                                self.next();
                                continue 'value;
                            }
                            Token::EndArray => value = Json::Array(items),
                            _ => return Err(self.fail("array", Some(Token::EndArray))),
                        }
                    }
                    Some(Frame::Object(mut map, key)) => {
                        // std::map operator[]: a later duplicate replaces the earlier.
                        map.insert(key, value);
                        match self.next() {
                            Token::ValueSeparator => {
                                if self.next() != Token::String {
                                    let mut err = self.fail("object key", Some(Token::String));
                                    err.trailing_comma = self.last == Token::EndObject;
                                    return Err(err);
                                }
                                let key = self.key()?;
                                stack.push(Frame::Object(map, key));
                                self.next();
                                continue 'value;
                            }
                            Token::EndObject => value = Json::Object(map),
                            _ => return Err(self.fail("object", Some(Token::EndObject))),
                        }
                    }
                }
            }
        }
    }

    /// After a key string: the key, and the `:` consumed.
    fn key(&mut self) -> Result<String, JsonError> {
        let key = String::from_utf8(self.lexer.token_buffer.clone()).expect("validated UTF-8");
        if self.next() != Token::NameSeparator {
            return Err(self.fail("object separator", Some(Token::NameSeparator)));
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> JsonError {
        parse(input.as_bytes()).unwrap_err()
    }

    #[test]
    fn dump_matches_nlohmann_layout() {
        let v = parse(br#"{"z":{},"a":[],"m":[{"k":null}],"t":true}"#).unwrap();
        assert_eq!(
            v.dump(2),
            "{\n  \"a\": [],\n  \"m\": [\n    {\n      \"k\": null\n    }\n  ],\n  \"t\": true,\n  \"z\": {}\n}"
        );
        assert_eq!(parse(b"[]").unwrap().dump(2), "[]");
        assert_eq!(parse(b"\"x\"").unwrap().dump(2), "\"x\"");
    }

    #[test]
    fn floats_print_like_nlohmann() {
        let cases = [
            ("1.0", "1.0"),
            ("1e2", "100.0"),
            ("2.50", "2.5"),
            ("0.001", "0.001"),
            ("0.0001", "0.0001"),
            ("0.00001", "1e-05"),
            ("1.5e-7", "1.5e-07"),
            ("1e15", "1e+15"),
            ("1e14", "100000000000000.0"),
            ("123456.789", "123456.789"),
            ("-0.0", "-0.0"),
            ("0.0", "0.0"),
            ("1e100", "1e+100"),
            ("18446744073709551616", "1.8446744073709552e+19"),
            ("0.1", "0.1"),
            ("12.5e3", "12500.0"),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input.as_bytes()).unwrap().dump(2), want, "{input}");
        }
    }

    #[test]
    fn numbers_keep_nlohmann_kinds() {
        assert_eq!(parse(b"-0").unwrap(), Json::Integer(0));
        assert_eq!(parse(b"7").unwrap(), Json::Unsigned(7));
        assert_eq!(parse(b"-7").unwrap(), Json::Integer(-7));
        assert_eq!(
            parse(b"18446744073709551615").unwrap(),
            Json::Unsigned(u64::MAX)
        );
        assert!(matches!(
            parse(b"-9223372036854775809").unwrap(),
            Json::Float(_)
        ));
        let overflow = err("[1e400]");
        assert_eq!(overflow.id, 406);
        assert_eq!(
            overflow.what(),
            "[json.exception.out_of_range.406] number overflow parsing '1e400'"
        );
    }

    #[test]
    fn strings_escape_like_nlohmann() {
        let v = parse(br#""a\"b\\c\/d\b\f\n\r\t\u0001\u007f\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(
            v.dump(2),
            "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\u{7f}é😀\""
        );
    }

    #[test]
    fn duplicate_keys_last_wins_and_keys_sort_by_bytes() {
        let v = parse(br#"{"b":1,"a":2,"b":3,"B":4,"\u00e9":5}"#).unwrap();
        assert_eq!(
            v.dump(2),
            "{\n  \"B\": 4,\n  \"a\": 2,\n  \"b\": 3,\n  \"é\": 5\n}"
        );
    }

    #[test]
    fn bom_and_nul_are_handled_as_nlohmann_does() {
        assert_eq!(
            parse(b"\xef\xbb\xbf{}").unwrap(),
            Json::Object(BTreeMap::new())
        );
        assert_eq!(
            err("\u{feff}").what(),
            "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"
        );
        let bad_bom = parse(b"\xef\xbb{}").unwrap_err();
        assert!(
            bad_bom.message.contains("invalid BOM"),
            "{}",
            bad_bom.message
        );
        // The null byte is nlohmann's end of input.
        assert_eq!(
            parse(b"{}\0trailing").unwrap(),
            Json::Object(BTreeMap::new())
        );
    }

    #[test]
    fn errors_carry_nlohmann_messages_and_positions() {
        let cases: [(&str, usize, usize, &str); 14] = [
            (
                "{\n  // c\n}",
                2,
                3,
                "syntax error while parsing object key - invalid literal; last read: '{<U+000A>  /'; expected string literal",
            ),
            (
                "{\"a\": 1,}",
                1,
                9,
                "syntax error while parsing object key - unexpected '}'; expected string literal",
            ),
            (
                "[1,]",
                1,
                4,
                "syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal",
            ),
            (
                "[1 2]",
                1,
                4,
                "syntax error while parsing array - unexpected number literal; expected ']'",
            ),
            (
                "{\"a\" 1}",
                1,
                6,
                "syntax error while parsing object separator - unexpected number literal; expected ':'",
            ),
            (
                "{\"a\": 1 \"b\"}",
                1,
                11,
                "syntax error while parsing object - unexpected string literal; expected '}'",
            ),
            (
                "trux",
                1,
                4,
                "syntax error while parsing value - invalid literal; last read: 'trux'",
            ),
            (
                "\"a\nb\"",
                2,
                0,
                "syntax error while parsing value - invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n; last read: '\"a<U+000A>'",
            ),
            (
                "\"abc",
                1,
                5,
                "syntax error while parsing value - invalid string: missing closing quote; last read: '\"abc'",
            ),
            (
                "-x",
                1,
                2,
                "syntax error while parsing value - invalid number; expected digit after '-'; last read: '-x'",
            ),
            (
                "1.",
                1,
                3,
                "syntax error while parsing value - invalid number; expected digit after '.'; last read: '1.'",
            ),
            (
                "{} x",
                1,
                4,
                "syntax error while parsing value - invalid literal; last read: '{} x'; expected end of input",
            ),
            (
                "01",
                1,
                2,
                "syntax error while parsing value - unexpected number literal; expected end of input",
            ),
            (
                "\"\\ud800x\"",
                1,
                8,
                "syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\ud800x'",
            ),
        ];
        for (input, line, column, message) in cases {
            let e = err(input);
            assert_eq!(
                (e.line, e.column, e.message.as_str()),
                (line, column, message),
                "{input:?}"
            );
        }
        assert!(err("{\n  // c\n}").comment);
        assert!(err("{\"a\": 1,}").trailing_comma);
        assert!(err("[1,]").trailing_comma);
        assert!(!err("[,]").trailing_comma);
    }

    #[test]
    fn ill_formed_utf8_is_rejected() {
        for bad in [
            &b"\"\xc0\xaf\""[..],
            b"\"\xed\xa0\x80\"",
            b"\"\xf4\x90\x80\x80\"",
            b"\"\xe2\x82\"",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.message.contains("ill-formed UTF-8 byte"), "{}", e.message);
        }
        assert!(parse("\"ü€😀\"".as_bytes()).is_ok());
    }

    #[test]
    fn depth_is_limited_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        let e = parse(deep.as_bytes()).unwrap_err();
        assert_eq!(e.id, 0);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(ok.as_bytes()).is_ok());
    }
}
