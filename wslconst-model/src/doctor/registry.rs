//! WSL's registrations, from a `reg export` of its `Lxss` key.
//!
//! `reg export` (and regedit's export) writes UTF-16LE with a BOM, headed
//! `Windows Registry Editor Version 5.00`: `[KEY]` lines, then
//! `"Name"="text"` (`\\` and `\"` escaped), `"Name"=dword:0000000f`, and
//! `"Name"=hex(N):xx,xx,...` for other kinds (2 is REG_EXPAND_SZ and 7
//! REG_MULTI_SZ, both UTF-16LE), long hex lists continued with a trailing
//! `\`. Each subkey of `Lxss` is one distro, named by its distribution id
//! (`LxssUserSession.cpp` reads and writes these values).

use std::fmt;

use wslconst::DistributionId;

/// One registered distro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// The subkey's name: the distribution id.
    pub id: DistributionId,
    /// `DistributionName`.
    pub name: String,
    /// `BasePath`: where its disk lives.
    pub base_path: Option<String>,
    /// `Version`: 1 or 2.
    pub version: Option<u32>,
    /// `Flavor` (`ID=` of its os-release), when WSL recorded one.
    pub flavor: Option<String>,
    /// `OsVersion` (`VERSION_ID=`).
    pub os_version: Option<String>,
    /// `Modern`: imported the way that writes a fragment; Terminal's own
    /// generator skips it (`WslDistroGenerator.cpp`).
    pub modern: bool,
    /// `TerminalProfilePath`: the fragment WSL wrote, as a Windows path.
    pub terminal_profile_path: Option<String>,
}

/// Why a file is not a `reg export` of the `Lxss` key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryError {
    /// 1-based line, 0 for the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// A registry value as `reg export` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Text(String),
    Dword(u32),
    Other,
}

const LXSS: &str = r"\Software\Microsoft\Windows\CurrentVersion\Lxss";

/// The distros of a `reg export` file, in file order. Subkeys that are not
/// distribution ids (WSL keeps none today) are skipped.
pub fn parse_export(bytes: &[u8]) -> Result<Vec<Registration>, RegistryError> {
    let text = decode(bytes)?;
    let whole = |message: String| RegistryError { line: 0, message };
    let mut lines = text.lines().enumerate().peekable();
    match lines.next() {
        Some((_, header)) if header.trim() == "Windows Registry Editor Version 5.00" => {}
        _ => {
            return Err(whole(
                "not a registry export: the first line must be \"Windows Registry Editor Version 5.00\"; export the key with: reg export HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss lxss.reg".into(),
            ));
        }
    }
    let mut out: Vec<Registration> = Vec::new();
    let mut current: Option<DistributionId> = None;
    let mut seen_lxss = false;
    while let Some((i, raw)) = lines.next() {
        let mut line = raw.trim_end().to_owned();
        // A hex list continues on the next line after a trailing backslash.
        while line.ends_with('\\') && line.contains("=hex") {
            line.pop();
            match lines.next() {
                Some((_, more)) => line.push_str(more.trim()),
                None => break,
            }
        }
        let line = line.trim_start();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        let at = |message: String| RegistryError {
            line: i + 1,
            message,
        };
        if let Some(key) = line.strip_prefix('[') {
            let key = key
                .strip_suffix(']')
                .ok_or_else(|| at(format!("a key line must end with ']': {line}")))?;
            let Some(pos) = key.to_ascii_lowercase().find(&LXSS.to_ascii_lowercase()) else {
                current = None;
                continue;
            };
            seen_lxss = true;
            let rest = &key[pos + LXSS.len()..];
            current = rest
                .strip_prefix('\\')
                .filter(|sub| !sub.contains('\\'))
                .and_then(|sub| DistributionId::parse(sub).ok());
            if let Some(id) = current {
                out.push(Registration {
                    id,
                    name: String::new(),
                    base_path: None,
                    version: None,
                    flavor: None,
                    os_version: None,
                    modern: false,
                    terminal_profile_path: None,
                });
            }
            continue;
        }
        let (name, value) = value_line(line).map_err(at)?;
        let Some(id) = current else { continue };
        let reg = out
            .iter_mut()
            .rfind(|r| r.id == id)
            .expect("pushed at its key");
        match (name.as_str(), value) {
            ("DistributionName", Value::Text(s)) => reg.name = s,
            ("BasePath", Value::Text(s)) => reg.base_path = Some(s),
            ("Version", Value::Dword(n)) => reg.version = Some(n),
            ("Flavor", Value::Text(s)) => reg.flavor = Some(s).filter(|s| !s.is_empty()),
            ("OsVersion", Value::Text(s)) => reg.os_version = Some(s).filter(|s| !s.is_empty()),
            ("Modern", Value::Dword(n)) => reg.modern = n == 1,
            ("TerminalProfilePath", Value::Text(s)) => {
                reg.terminal_profile_path = Some(s).filter(|s| !s.is_empty())
            }
            _ => {}
        }
    }
    if !seen_lxss {
        return Err(whole(format!(
            "the export holds no HKEY_CURRENT_USER{LXSS} key; export that key: reg export HKCU{LXSS} lxss.reg"
        )));
    }
    if let Some(unnamed) = out.iter().find(|r| r.name.is_empty()) {
        return Err(whole(format!(
            "the distro {} has no DistributionName; is the export complete?",
            unnamed.id
        )));
    }
    Ok(out)
}

/// UTF-16LE with a BOM, as `reg export` writes; UTF-8 (with or without a
/// BOM) is taken too, for a file someone converted.
fn decode(bytes: &[u8]) -> Result<String, RegistryError> {
    if let Some(body) = bytes.strip_prefix(&[0xff, 0xfe]) {
        if body.len() % 2 != 0 {
            return Err(RegistryError {
                line: 0,
                message:
                    "an odd number of bytes after the UTF-16 byte-order mark: the file is cut short"
                        .into(),
            });
        }
        return String::from_utf16(&utf16_units(body).collect::<Vec<u16>>()).map_err(|_| {
            RegistryError {
                line: 0,
                message: "not valid UTF-16 (an unpaired surrogate)".into(),
            }
        });
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    String::from_utf8(body.to_vec()).map_err(|_| RegistryError {
        line: 0,
        message: "neither UTF-16LE with a byte-order mark (what reg export writes) nor UTF-8"
            .into(),
    })
}

/// `"Name"=value` (or `@=value`, the default value).
fn value_line(line: &str) -> Result<(String, Value), String> {
    let (name, rest) = if let Some(rest) = line.strip_prefix("@=") {
        (String::new(), rest)
    } else {
        let (name, end) = quoted(line)
            .ok_or_else(|| format!("expected \"Name\"=value or [KEY], found {line:?}"))?;
        let rest = line[end..]
            .strip_prefix('=')
            .ok_or_else(|| format!("expected '=' after \"{name}\""))?;
        (name, rest)
    };
    let value = if rest.starts_with('"') {
        let (text, end) = quoted(rest).ok_or_else(|| format!("unterminated string in {line:?}"))?;
        if !rest[end..].trim().is_empty() {
            return Err(format!("text after the string in {line:?}"));
        }
        Value::Text(text)
    } else if let Some(hex) = rest.strip_prefix("dword:") {
        Value::Dword(
            u32::from_str_radix(hex.trim(), 16)
                .map_err(|_| format!("dword:{hex} is not eight hex digits"))?,
        )
    } else if rest.starts_with("hex") {
        let (kind, list) = rest
            .split_once(':')
            .ok_or_else(|| format!("expected hex(N):xx,... in {line:?}"))?;
        let bytes = list
            .split(',')
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(|b| u8::from_str_radix(b, 16).map_err(|_| format!("{b:?} is not a hex byte")))
            .collect::<Result<Vec<u8>, String>>()?;
        match kind {
            // REG_EXPAND_SZ: UTF-16LE, NUL-terminated.
            "hex(2)" => {
                Value::Text(utf16_string(&bytes).ok_or("a hex(2) value that is not UTF-16LE")?)
            }
            _ => Value::Other,
        }
    } else if rest == "-" {
        Value::Other
    } else {
        return Err(format!("unknown value kind in {line:?}"));
    };
    Ok((name, value))
}

/// A `"..."` at the start of `s` with `\\` and `\"` escapes: the text and the
/// offset after the closing quote.
fn quoted(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// Little-endian 16-bit units.
fn utf16_units(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
}

/// A NUL-terminated UTF-16LE string (REG_EXPAND_SZ).
fn utf16_string(bytes: &[u8]) -> Option<String> {
    let units: Vec<u16> = utf16_units(bytes).take_while(|&u| u != 0).collect();
    String::from_utf16(&units).ok()
}

/// `text` as `reg export` writes it: UTF-16LE with a BOM. For tests and for
/// people building an export by hand.
pub fn encode_export(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "Windows Registry Editor Version 5.00\r\n\r\n\
[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss]\r\n\
\"DefaultDistribution\"=\"{fc3bf427-722c-4c2b-84bf-17202d2e3740}\"\r\n\r\n\
[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{fc3bf427-722c-4c2b-84bf-17202d2e3740}]\r\n\
\"State\"=dword:00000001\r\n\
\"DistributionName\"=\"NixOS \\\"dev\\\"\"\r\n\
\"Version\"=dword:00000002\r\n\
\"BasePath\"=\"C:\\\\Users\\\\me\\\\wsl\\\\nixos\"\r\n\
\"Flavor\"=\"nixos\"\r\n\
\"OsVersion\"=\"25.05\"\r\n\
\"Modern\"=dword:00000001\r\n\
\"ShortcutPath\"=hex(2):43,00,3a,00,5c,00,\\\r\n  78,00,00,00\r\n\
\"TerminalProfilePath\"=\"C:\\\\Users\\\\me\\\\AppData\\\\Local\\\\Microsoft\\\\Windows Terminal\\\\Fragments\\\\Microsoft.WSL\\\\{ee603799-d7fe-5a9f-a662-e784d8a502df}.json\"\r\n\r\n\
[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}]\r\n\
\"DistributionName\"=\"Ubuntü\"\r\n\
\"Version\"=dword:00000001\r\n";

    #[test]
    fn reads_what_reg_export_writes() {
        let regs = parse_export(&encode_export(EXPORT)).unwrap();
        assert_eq!(regs.len(), 2);
        assert_eq!(regs[0].name, "NixOS \"dev\"");
        assert_eq!(regs[0].base_path.as_deref(), Some(r"C:\Users\me\wsl\nixos"));
        assert_eq!((regs[0].version, regs[0].modern), (Some(2), true));
        assert_eq!(regs[0].flavor.as_deref(), Some("nixos"));
        assert!(
            regs[0]
                .terminal_profile_path
                .as_deref()
                .unwrap()
                .ends_with("df}.json")
        );
        assert_eq!(regs[1].name, "Ubuntü");
        assert!(!regs[1].modern);
        assert_eq!(parse_export(EXPORT.as_bytes()).unwrap(), regs, "UTF-8 too");
    }

    #[test]
    fn says_what_is_wrong() {
        let err = parse_export(&encode_export("hello")).unwrap_err();
        assert!(err.message.contains("reg export HKCU"), "{err}");
        let err = parse_export(&encode_export(
            "Windows Registry Editor Version 5.00\n[HKEY_CURRENT_USER\\Software]\n",
        ))
        .unwrap_err();
        assert!(err.message.contains("no HKEY_CURRENT_USER"), "{err}");
        let err = parse_export(&encode_export(
            &EXPORT.replace("dword:00000002", "dword:zz"),
        ))
        .unwrap_err();
        assert_eq!(err.line, 9, "{err}");
        assert!(parse_export(&[0xff, 0xfe, 0x41]).is_err());
    }
}
