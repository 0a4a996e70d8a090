//! Finds one named declaration in a C++ source file and reads its value.
//!
//! The proc macros (compile-time extraction) and `wslconst pin` both read
//! upstream with it, so both read upstream exactly the same way. It depends on
//! `std` only.
//!
//! Forms understood (docs/UPSTREAM.md, "Declaration forms the reader understands"):
//!
//! - `[static|inline] constexpr GUID|winrt::guid NAME = { d1, d2, d3, { b0, ..., b7 } };`,
//!   also brace-initialised without `=`, with hex (one or two digits) or decimal
//!   numbers, integer suffixes and comments anywhere;
//! - `#define NAME L"..."` and `#define NAME "..."` (adjacent literals concatenate);
//! - `[static] constexpr std::wstring_view NAME{ L"..." };` and `= L"..."`.

use std::fmt;

/// What kind of value a constant holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A `GUID` / `winrt::guid` initializer.
    Guid,
    /// A string literal, narrow or wide.
    Str,
}

impl Kind {
    /// `guid` or `string`, as the pin file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Guid => "guid",
            Kind::Str => "string",
        }
    }
}

/// The value of a declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CppValue {
    /// The four fields of a Windows `GUID` initializer.
    Guid {
        /// `Data1`.
        data1: u32,
        /// `Data2`.
        data2: u16,
        /// `Data3`.
        data3: u16,
        /// `Data4`, the last eight bytes.
        data4: [u8; 8],
    },
    /// The decoded text of one or more adjacent string literals.
    Str(String),
}

impl CppValue {
    /// The canonical text: `{xxxxxxxx-...}` lowercase with braces, or the string.
    pub fn canonical(&self) -> String {
        match self {
            CppValue::Guid {
                data1,
                data2,
                data3,
                data4: d,
            } => format!(
                "{{{data1:08x}-{data2:04x}-{data3:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}}}",
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
            ),
            CppValue::Str(s) => s.clone(),
        }
    }

    /// Parses the canonical text back (as stored in the pin file).
    pub fn from_canonical(kind: Kind, text: &str) -> Option<CppValue> {
        match kind {
            Kind::Str => Some(CppValue::Str(text.to_owned())),
            Kind::Guid => {
                let hex = text.strip_prefix('{')?.strip_suffix('}')?;
                let parts: Vec<&str> = hex.split('-').collect();
                let ok_lengths = parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]);
                let all_hex = parts.iter().all(|p| {
                    p.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                });
                if !ok_lengths || !all_hex {
                    return None;
                }
                let tail = format!("{}{}", parts[3], parts[4]);
                let mut data4 = [0u8; 8];
                for (i, byte) in data4.iter_mut().enumerate() {
                    *byte = u8::from_str_radix(&tail[i * 2..i * 2 + 2], 16).ok()?;
                }
                Some(CppValue::Guid {
                    data1: u32::from_str_radix(parts[0], 16).ok()?,
                    data2: u16::from_str_radix(parts[1], 16).ok()?,
                    data3: u16::from_str_radix(parts[2], 16).ok()?,
                    data4,
                })
            }
        }
    }
}

/// A declaration found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The declared value.
    pub value: CppValue,
    /// 1-based line of the declared name.
    pub line: u32,
}

/// Why a declaration could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtractError {
    /// No declaration of the name; `uses` are the lines where the name appears otherwise.
    Missing {
        /// Lines where the name is used but not declared.
        uses: Vec<u32>,
    },
    /// A declaration that does not have the expected shape.
    Malformed {
        /// 1-based line of the declaration.
        line: u32,
        /// What is wrong with its shape.
        reason: String,
    },
    /// Two declarations of the name with different values.
    Conflicting {
        /// Line of the first declaration.
        first: u32,
        /// Its value, canonical.
        first_value: String,
        /// Line of the second declaration.
        second: u32,
        /// Its value, canonical.
        second_value: String,
    },
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::Missing { uses } if uses.is_empty() => {
                f.write_str("no declaration, and the name does not appear at all")
            }
            ExtractError::Missing { uses } => {
                let lines: Vec<String> = uses.iter().map(u32::to_string).collect();
                write!(
                    f,
                    "no declaration; the name only appears as a use, at line {}",
                    lines.join(", ")
                )
            }
            ExtractError::Malformed { line, reason } => {
                write!(f, "malformed declaration at line {line}: {reason}")
            }
            ExtractError::Conflicting {
                first,
                first_value,
                second,
                second_value,
            } => write!(
                f,
                "declared twice with different values: {first_value} at line {first}, {second_value} at line {second}"
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Number(String),
    Str {
        wide: bool,
        text: String,
    },
    Punct(char),
    /// `::`, kept apart from `:` so `winrt::guid` reads as one qualified name.
    PathSep,
    /// End of a preprocessor directive.
    EndDirective,
    /// A literal the lexer could not decode; the reason is kept for the error.
    BadLiteral(String),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: u32,
}

struct Lexer<'a> {
    src: &'a [u8],
    at: usize,
    line: u32,
    in_directive: bool,
    line_has_token: bool,
    out: Vec<Token>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_continue(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

impl<'a> Lexer<'a> {
    fn run(text: &'a str) -> Vec<Token> {
        let mut lx = Lexer {
            src: text.as_bytes(),
            at: 0,
            line: 1,
            in_directive: false,
            line_has_token: false,
            out: Vec::new(),
        };
        lx.lex();
        if lx.in_directive {
            lx.emit(Tok::EndDirective);
        }
        lx.out
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn emit(&mut self, tok: Tok) {
        self.out.push(Token {
            tok,
            line: self.line,
        });
    }

    fn newline(&mut self) {
        if self.in_directive {
            self.emit(Tok::EndDirective);
            self.in_directive = false;
        }
        self.line += 1;
        self.line_has_token = false;
    }

    fn lex(&mut self) {
        while self.at < self.src.len() {
            let b = self.peek(0);
            match b {
                b'\n' => {
                    self.at += 1;
                    self.newline();
                }
                b'\\'
                    if self.peek(1) == b'\n'
                        || (self.peek(1) == b'\r' && self.peek(2) == b'\n') =>
                {
                    // Line continuation: the directive goes on.
                    self.at += if self.peek(1) == b'\n' { 2 } else { 3 };
                    self.line += 1;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.at += 1,
                b'/' if self.peek(1) == b'/' => {
                    while self.at < self.src.len() && self.peek(0) != b'\n' {
                        self.at += 1;
                    }
                }
                b'/' if self.peek(1) == b'*' => {
                    self.at += 2;
                    while self.at < self.src.len()
                        && !(self.peek(0) == b'*' && self.peek(1) == b'/')
                    {
                        if self.peek(0) == b'\n' {
                            // A block comment does not end a directive in practice
                            // only when escaped; counting lines is what matters here.
                            self.line += 1;
                        }
                        self.at += 1;
                    }
                    self.at += 2;
                }
                b'#' if !self.line_has_token => {
                    self.in_directive = true;
                    self.line_has_token = true;
                    self.emit(Tok::Punct('#'));
                    self.at += 1;
                }
                b'"' => {
                    self.line_has_token = true;
                    self.string(false, false);
                }
                b'\'' => {
                    self.line_has_token = true;
                    self.char_literal();
                }
                b'0'..=b'9' => {
                    self.line_has_token = true;
                    self.number();
                }
                b':' if self.peek(1) == b':' => {
                    self.line_has_token = true;
                    self.emit(Tok::PathSep);
                    self.at += 2;
                }
                b if is_ident_start(b) => {
                    self.line_has_token = true;
                    self.ident_or_prefixed_literal();
                }
                _ => {
                    self.line_has_token = true;
                    self.emit(Tok::Punct(b as char));
                    self.at += 1;
                }
            }
        }
    }

    fn ident_or_prefixed_literal(&mut self) {
        let start = self.at;
        while self.at < self.src.len() && is_ident_continue(self.peek(0)) {
            self.at += 1;
        }
        let word = String::from_utf8_lossy(&self.src[start..self.at]).into_owned();
        let prefix = matches!(
            word.as_str(),
            "L" | "u8" | "u" | "U" | "LR" | "u8R" | "uR" | "UR" | "R"
        );
        if prefix && self.peek(0) == b'"' {
            let raw = word.ends_with('R');
            let wide = word.starts_with('L');
            self.string(wide, raw);
        } else if prefix && self.peek(0) == b'\'' {
            self.char_literal();
        } else {
            self.emit(Tok::Ident(word));
        }
    }

    fn number(&mut self) {
        let start = self.at;
        while self.at < self.src.len() {
            let b = self.peek(0);
            let separator = b == b'\'' && self.peek(1).is_ascii_alphanumeric();
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || separator {
                self.at += 1;
            } else {
                break;
            }
        }
        let text: String = String::from_utf8_lossy(&self.src[start..self.at])
            .chars()
            .filter(|&c| c != '\'')
            .collect();
        self.emit(Tok::Number(text));
    }

    fn char_literal(&mut self) {
        self.at += 1;
        while self.at < self.src.len() && self.peek(0) != b'\'' && self.peek(0) != b'\n' {
            if self.peek(0) == b'\\' {
                self.at += 1;
            }
            self.at += 1;
        }
        self.at += 1;
        self.emit(Tok::Number("'char'".into()));
    }

    fn string(&mut self, wide: bool, raw: bool) {
        let line = self.line;
        self.at += 1; // opening quote
        if raw {
            let delim_start = self.at;
            while self.at < self.src.len() && self.peek(0) != b'(' {
                self.at += 1;
            }
            let delim = String::from_utf8_lossy(&self.src[delim_start..self.at]).into_owned();
            let close = format!("){delim}\"");
            let body_start = self.at + 1;
            let rest = &self.src[body_start.min(self.src.len())..];
            let end = rest
                .windows(close.len())
                .position(|w| w == close.as_bytes())
                .unwrap_or(rest.len());
            let body = String::from_utf8_lossy(&rest[..end]).into_owned();
            self.line += body.matches('\n').count() as u32;
            self.at = body_start + end + close.len();
            self.out.push(Token {
                tok: Tok::Str { wide, text: body },
                line,
            });
            return;
        }
        let mut bytes = Vec::new();
        loop {
            match self.peek(0) {
                0 if self.at >= self.src.len() => {
                    return self.bad_literal(line, "unterminated string literal");
                }
                b'\n' => return self.bad_literal(line, "unterminated string literal"),
                b'"' => {
                    self.at += 1;
                    break;
                }
                b'\\' => {
                    self.at += 1;
                    if let Err(reason) = self.escape(&mut bytes) {
                        // Skip to the closing quote so lexing can go on.
                        while self.at < self.src.len() && !matches!(self.peek(0), b'"' | b'\n') {
                            self.at += 1;
                        }
                        self.at += usize::from(self.peek(0) == b'"');
                        return self.bad_literal(line, &reason);
                    }
                }
                b => {
                    bytes.push(b);
                    self.at += 1;
                }
            }
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.out.push(Token {
                tok: Tok::Str { wide, text },
                line,
            }),
            Err(_) => self.bad_literal(line, "string literal is not valid UTF-8"),
        }
    }

    fn bad_literal(&mut self, line: u32, reason: &str) {
        self.out.push(Token {
            tok: Tok::BadLiteral(reason.to_owned()),
            line,
        });
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        let c = self.peek(0);
        self.at += 1;
        let simple = match c {
            b'\\' => Some(b'\\'),
            b'"' => Some(b'"'),
            b'\'' => Some(b'\''),
            b'?' => Some(b'?'),
            b'n' => Some(b'\n'),
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'v' => Some(0x0b),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            return Ok(());
        }
        let (radix, max_digits) = match c {
            b'x' => (16, usize::MAX),
            b'u' => (16, 4),
            b'U' => (16, 8),
            b'0'..=b'7' => {
                self.at -= 1;
                (8, 3)
            }
            other => return Err(format!("unknown escape sequence `\\{}`", other as char)),
        };
        let start = self.at;
        while self.at - start < max_digits && (self.peek(0) as char).is_digit(radix) {
            self.at += 1;
        }
        let digits = std::str::from_utf8(&self.src[start..self.at]).unwrap_or("");
        let value = u32::from_str_radix(digits, radix)
            .map_err(|_| format!("bad numeric escape `\\{}{digits}`", c as char))?;
        let ch = char::from_u32(value).ok_or_else(|| {
            format!(
                "escape `\\{}{digits}` is not a Unicode scalar value",
                c as char
            )
        })?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}

fn parse_int(text: &str) -> Option<u64> {
    let t = text.trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        u64::from_str_radix(bin, 2).ok()
    } else if t.len() > 1 && t.starts_with('0') {
        u64::from_str_radix(&t[1..], 8).ok()
    } else {
        t.parse().ok()
    }
}

fn describe(tok: Option<&Token>) -> String {
    match tok.map(|t| &t.tok) {
        None => "the end of the file".into(),
        Some(Tok::Ident(s)) => format!("`{s}`"),
        Some(Tok::Number(s)) => format!("`{s}`"),
        Some(Tok::Str { wide, text }) => format!("{}{text:?}", if *wide { "L" } else { "" }),
        Some(Tok::Punct(c)) => format!("`{c}`"),
        Some(Tok::PathSep) => "`::`".into(),
        Some(Tok::EndDirective) => "the end of the #define".into(),
        Some(Tok::BadLiteral(reason)) => format!("a bad literal ({reason})"),
    }
}

/// Reads one initializer starting at `toks[i]`.
struct Cursor<'t> {
    toks: &'t [Token],
    i: usize,
    line: u32,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.i)
    }

    fn fail<T>(&self, what: &str) -> Result<T, ExtractError> {
        Err(ExtractError::Malformed {
            line: self.line,
            reason: format!("expected {what}, found {}", describe(self.peek())),
        })
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if matches!(self.peek(), Some(Token { tok: Tok::Punct(p), .. }) if *p == c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect_punct(&mut self, c: char) -> Result<(), ExtractError> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.fail(&format!("`{c}`"))
        }
    }

    fn int(&mut self, field: &str, max: u64) -> Result<u64, ExtractError> {
        let Some(Token {
            tok: Tok::Number(text),
            ..
        }) = self.peek()
        else {
            return self.fail(&format!("a number for {field}"));
        };
        let text = text.clone();
        let Some(value) = parse_int(&text) else {
            return self.fail(&format!("an integer for {field}"));
        };
        if value > max {
            return Err(ExtractError::Malformed {
                line: self.line,
                reason: format!("{field} is `{text}`, larger than {max:#x}"),
            });
        }
        self.i += 1;
        Ok(value)
    }

    fn guid_initializer(&mut self) -> Result<CppValue, ExtractError> {
        self.eat_punct('=');
        self.expect_punct('{')?;
        let data1 = self.int("Data1", u32::MAX.into())? as u32;
        self.expect_punct(',')?;
        let data2 = self.int("Data2", u16::MAX.into())? as u16;
        self.expect_punct(',')?;
        let data3 = self.int("Data3", u16::MAX.into())? as u16;
        self.expect_punct(',')?;
        self.expect_punct('{')?;
        let mut data4 = [0u8; 8];
        for (n, byte) in data4.iter_mut().enumerate() {
            if n > 0 {
                self.expect_punct(',')?;
            }
            *byte = self.int(&format!("Data4[{n}]"), 0xff)? as u8;
        }
        self.eat_punct(',');
        if !self.eat_punct('}') {
            return self.fail("`}` after the 8 bytes of Data4");
        }
        self.eat_punct(',');
        self.expect_punct('}')?;
        self.expect_punct(';')?;
        Ok(CppValue::Guid {
            data1,
            data2,
            data3,
            data4,
        })
    }

    fn string_literals(&mut self) -> Result<String, ExtractError> {
        let mut text = String::new();
        let mut count = 0;
        while let Some(tok) = self.peek() {
            match &tok.tok {
                Tok::Str { text: piece, .. } => {
                    text.push_str(piece);
                    count += 1;
                    self.i += 1;
                }
                Tok::BadLiteral(reason) => {
                    return Err(ExtractError::Malformed {
                        line: tok.line,
                        reason: reason.clone(),
                    });
                }
                _ => break,
            }
        }
        if count == 0 {
            return self.fail("a string literal");
        }
        Ok(text)
    }

    fn string_initializer(&mut self) -> Result<CppValue, ExtractError> {
        self.eat_punct('=');
        let braced = self.eat_punct('{');
        let text = self.string_literals()?;
        if braced {
            self.expect_punct('}')?;
        }
        self.expect_punct(';')?;
        Ok(CppValue::Str(text))
    }
}

/// Keywords that may precede a name without declaring it.
const NOT_A_TYPE: &[&str] = &[
    "return",
    "case",
    "throw",
    "co_return",
    "co_yield",
    "sizeof",
    "typeid",
    "else",
    "do",
    "goto",
    "new",
    "delete",
    "and",
    "or",
    "not",
];

/// Finds the declaration of `symbol` in `text` and reads its value as `kind`.
pub fn extract(text: &str, symbol: &str, kind: Kind) -> Result<Found, ExtractError> {
    let toks = Lexer::run(text);
    let mut found: Vec<Found> = Vec::new();
    let mut uses = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let is_symbol = matches!(&toks[i].tok, Tok::Ident(s) if s == symbol);
        if !is_symbol {
            i += 1;
            continue;
        }
        let line = toks[i].line;
        let prev = i.checked_sub(1).map(|p| &toks[p].tok);
        let prev2 = i.checked_sub(2).map(|p| &toks[p].tok);
        let next = toks.get(i + 1).map(|t| &t.tok);
        let is_define = matches!(prev, Some(Tok::Ident(d)) if d == "define")
            && matches!(prev2, Some(Tok::Punct('#')));
        let type_name = match prev {
            Some(Tok::Ident(t)) if !NOT_A_TYPE.contains(&t.as_str()) => Some(t.as_str()),
            Some(Tok::Punct('*')) => Some("*"),
            _ => None,
        };
        let opens_initializer = matches!(next, Some(Tok::Punct('=' | '{')));
        let mut cursor = Cursor {
            toks: &toks,
            i: i + 1,
            line,
        };
        let value = if is_define {
            match kind {
                Kind::Guid => Err(ExtractError::Malformed {
                    line,
                    reason: "declared with #define, expected a GUID initializer".into(),
                }),
                Kind::Str => cursor.string_literals().and_then(|text| {
                    if matches!(
                        cursor.peek().map(|t| &t.tok),
                        Some(Tok::EndDirective) | None
                    ) {
                        Ok(CppValue::Str(text))
                    } else {
                        cursor.fail("the end of the #define after the string literal")
                    }
                }),
            }
        } else if let (Some(type_name), true) = (type_name, opens_initializer) {
            match kind {
                Kind::Guid if !matches!(type_name, "GUID" | "guid" | "IID" | "CLSID") => {
                    Err(ExtractError::Malformed {
                        line,
                        reason: format!("declared as `{type_name}`, expected GUID or winrt::guid"),
                    })
                }
                Kind::Guid => cursor.guid_initializer(),
                Kind::Str => cursor.string_initializer(),
            }
        } else {
            uses.push(line);
            i += 1;
            continue;
        };
        let value = value?;
        if let Some(first) = found.first()
            && first.value != value
        {
            return Err(ExtractError::Conflicting {
                first: first.line,
                first_value: first.value.canonical(),
                second: line,
                second_value: value.canonical(),
            });
        }
        found.push(Found { value, line });
        i = cursor.i;
    }
    found
        .into_iter()
        .next()
        .ok_or(ExtractError::Missing { uses })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guid(text: &str, symbol: &str) -> Result<String, ExtractError> {
        extract(text, symbol, Kind::Guid).map(|f| f.value.canonical())
    }

    fn string(text: &str, symbol: &str) -> Result<String, ExtractError> {
        extract(text, symbol, Kind::Str).map(|f| f.value.canonical())
    }

    const EXPECTED: &str = "{2bde4a90-d05f-401c-9492-e40884ead1d8}";

    #[test]
    fn reads_every_guid_spelling() {
        for decl in [
            "inline constexpr GUID N = {0x2bde4a90, 0xd05f, 0x401c, {0x94, 0x92, 0xe4, 0x8, 0x84, 0xea, 0xd1, 0xd8}};",
            "static constexpr GUID N = { 0x2bde4a90, 0xd05f, 0x401c, { 0x94, 0x92, 0xe4, 0x8, 0x84, 0xea, 0xd1, 0xd8 } };",
            "constexpr GUID N{ 0x2bde4a90, 0xd05f, 0x401c, { 0x94, 0x92, 0xe4, 0x08, 0x84, 0xea, 0xd1, 0xd8 } };",
            "static constexpr winrt::guid N{ 0x2BDE4A90UL, 0xD05Fu, 16412, { 0x94, 0x92, 0xE4, 8, 0x84, 0xea, 0xd1, 0xd8, }, };",
            "GUID /* the ns */ N = { 0x2bde4a90, // first\n 0xd05f, 0x401c, {0x94,0x92,0xe4,0x8,0x84,0xea,0xd1,0xd8}};",
        ] {
            assert_eq!(guid(decl, "N"), Ok(EXPECTED.into()), "{decl}");
        }
    }

    #[test]
    fn reads_string_forms() {
        assert_eq!(
            string("#define WSL_BINARY_NAME L\"wsl.exe\"\n", "WSL_BINARY_NAME"),
            Ok("wsl.exe".into())
        );
        assert_eq!(
            string(
                "#define GUID_FORMAT_STRING \"{%08x-%04hx}\" // c\nint x;",
                "GUID_FORMAT_STRING"
            ),
            Ok("{%08x-%04hx}".into())
        );
        assert_eq!(
            string(
                "static constexpr std::wstring_view WslGeneratorNamespace{ L\"Windows.Terminal.Wsl\" };",
                "WslGeneratorNamespace"
            ),
            Ok("Windows.Terminal.Wsl".into())
        );
        assert_eq!(
            string("#define X \"a\" \\\n  \"b\\t\\x41\"\n", "X"),
            Ok("ab\tA".into())
        );
        assert_eq!(
            string("constexpr auto X = L\"q\\\"\" L\"r\";", "X"),
            Ok("q\"r".into())
        );
    }

    #[test]
    fn reports_the_declaration_line_not_uses() {
        let text = "// N is used below\nauto x = N;\n\n#define N L\"v\"\nf(N);\n";
        assert_eq!(extract(text, "N", Kind::Str).unwrap().line, 4);
        let text = "GUID g = CreateV5Uuid(N, bytes);\nreturn N;";
        assert_eq!(
            extract(text, "N", Kind::Guid),
            Err(ExtractError::Missing { uses: vec![1, 2] })
        );
        assert_eq!(
            extract("", "N", Kind::Guid),
            Err(ExtractError::Missing { uses: vec![] })
        );
    }

    #[test]
    fn ignores_names_in_comments_and_strings() {
        let text = "/* GUID N = {1,2,3,{1,2,3,4,5,6,7,8}}; */\nconst char* s = \"N = {\";\n// N\n";
        assert_eq!(guid(text, "N"), Err(ExtractError::Missing { uses: vec![] }));
    }

    #[test]
    fn explains_malformed_declarations() {
        let seven = "constexpr GUID N = {0x1, 0x2, 0x3, {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7}};";
        assert_eq!(
            guid(seven, "N"),
            Err(ExtractError::Malformed {
                line: 1,
                reason: "expected `,`, found `}`".into()
            })
        );
        let big =
            "constexpr GUID N = {0x1, 0x12345, 0x3, {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8}};";
        assert_eq!(
            guid(big, "N").unwrap_err().to_string(),
            "malformed declaration at line 1: Data2 is `0x12345`, larger than 0xffff"
        );
        let wrong_type = "static constexpr std::wstring_view N{ L\"x\" };";
        assert!(
            guid(wrong_type, "N")
                .unwrap_err()
                .to_string()
                .contains("declared as `wstring_view`")
        );
        let not_literal = "#define N WSL_OTHER\n";
        assert_eq!(
            string(not_literal, "N").unwrap_err().to_string(),
            "malformed declaration at line 1: expected a string literal, found `WSL_OTHER`"
        );
        let bad_escape = "#define N L\"a\\qb\"\n";
        assert_eq!(
            string(bad_escape, "N").unwrap_err().to_string(),
            "malformed declaration at line 1: unknown escape sequence `\\q`"
        );
        let unterminated = "#define N L\"abc\n";
        assert!(
            string(unterminated, "N")
                .unwrap_err()
                .to_string()
                .contains("unterminated")
        );
    }

    #[test]
    fn conflicting_duplicates_are_an_error_and_equal_ones_are_not() {
        let same = "#ifdef A\n#define N \"x\"\n#else\n#define N \"x\"\n#endif\n";
        assert_eq!(extract(same, "N", Kind::Str).unwrap().line, 2);
        let differ = "#ifdef A\n#define N \"x\"\n#else\n#define N \"y\"\n#endif\n";
        assert_eq!(
            string(differ, "N").unwrap_err().to_string(),
            "declared twice with different values: x at line 2, y at line 4"
        );
    }

    #[test]
    fn lexes_raw_strings_chars_and_digit_separators() {
        let text =
            "auto r = LR\"x(N = {)x\";\nchar c = '\\'';\nint big = 1'000;\n#define N \"ok\"\n";
        assert_eq!(
            extract(text, "N", Kind::Str).unwrap(),
            Found {
                value: CppValue::Str("ok".into()),
                line: 4
            }
        );
    }

    #[test]
    fn octal_and_decimal_numbers() {
        assert_eq!(parse_int("010"), Some(8));
        assert_eq!(parse_int("0"), Some(0));
        assert_eq!(parse_int("0x8"), Some(8));
        assert_eq!(parse_int("255u"), Some(255));
        assert_eq!(parse_int("0xg"), None);
    }

    #[test]
    fn canonical_round_trip() {
        let v = CppValue::from_canonical(Kind::Guid, EXPECTED).unwrap();
        assert_eq!(v.canonical(), EXPECTED);
        assert_eq!(
            CppValue::from_canonical(Kind::Guid, "{2BDE4A90-D05F-401C-9492-E40884EAD1D8}"),
            None
        );
        assert_eq!(
            CppValue::from_canonical(Kind::Guid, "2bde4a90-d05f-401c-9492-e40884ead1d8"),
            None
        );
    }
}
