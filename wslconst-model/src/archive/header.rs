//! One 512-byte tar header (v7, ustar, GNU and PAX extensions), parsed with
//! every number checked.

/// The fields of a header block that the reader uses.
#[derive(Debug)]
pub(super) struct Header {
    pub name: String,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub typeflag: u8,
    pub linkname: String,
    /// An old-format GNU sparse member (`S`): its real size, and whether
    /// extension blocks of its sparse map follow the header.
    pub gnu_sparse: Option<(u64, bool)>,
}

impl Header {
    /// Parses a block that is not all zeros.
    pub fn parse(block: &[u8; 512]) -> Result<Header, String> {
        let stored = number(&block[148..156]).map_err(|e| format!("checksum field: {e}"))?;
        let unsigned: u64 = block
            .iter()
            .enumerate()
            .map(|(i, &b)| u64::from(if (148..156).contains(&i) { b' ' } else { b }))
            .sum();
        // Some old tars summed signed chars; accept either.
        let signed: i64 = block
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                i64::from(if (148..156).contains(&i) {
                    b' ' as i8
                } else {
                    b as i8
                })
            })
            .sum();
        if stored != unsigned && i64::try_from(stored).ok() != Some(signed) {
            return Err(format!(
                "checksum {stored} does not match the header's sum {unsigned}"
            ));
        }
        let field = |range: std::ops::Range<usize>, what: &str| {
            number(&block[range]).map_err(|e| format!("{what} field: {e}"))
        };
        let mode = field(100..108, "mode")?;
        // POSIX ustar ("ustar\0") has a name prefix at 345; GNU's format
        // ("ustar  \0") keeps times and the sparse map there instead.
        let posix = &block[257..263] == b"ustar\0";
        let gnu = &block[257..265] == b"ustar  \0";
        let mut name = until_nul(&block[0..100]);
        if posix {
            let prefix = until_nul(&block[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        Ok(Header {
            name,
            mode: u32::try_from(mode & 0o7777).unwrap_or(0),
            uid: field(108..116, "uid")?,
            gid: field(116..124, "gid")?,
            size: field(124..136, "size")?,
            typeflag: block[156],
            linkname: until_nul(&block[157..257]),
            gnu_sparse: if gnu && block[156] == b'S' {
                Some((field(483..495, "sparse real size")?, block[482] != 0))
            } else {
                None
            },
        })
    }
}

/// Whether the first block of a file is a tar header: `Some(Ok)` when it
/// parses, `Some(Err)` when it carries the ustar magic but does not parse,
/// `None` when it is not tar at all.
pub(super) fn check_first(block: &[u8]) -> Option<Result<(), String>> {
    let block = <&[u8; 512]>::try_from(block).ok()?;
    if block.iter().all(|&b| b == 0) {
        return None;
    }
    match Header::parse(block) {
        Ok(_) => Some(Ok(())),
        Err(why) if &block[257..262] == b"ustar" => Some(Err(why)),
        Err(_) => None,
    }
}

/// A numeric field: octal ASCII (spaces and NULs around it), or GNU's
/// base-256 (first byte with the high bit set).
fn number(field: &[u8]) -> Result<u64, String> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        if field[0] == 0xff {
            return Err("a negative base-256 number".into());
        }
        let mut value: u64 = u64::from(field[0] & 0x7f);
        for &b in &field[1..] {
            value = value
                .checked_mul(256)
                .and_then(|v| v.checked_add(u64::from(b)))
                .ok_or("a base-256 number beyond 64 bits")?;
        }
        return Ok(value);
    }
    let text = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ' || b == 0)
        .take_while(|&b| b != b' ' && b != 0)
        .collect::<Vec<u8>>();
    if text.is_empty() {
        return Ok(0);
    }
    let mut value: u64 = 0;
    for &b in &text {
        if !(b'0'..=b'7').contains(&b) {
            return Err(format!(
                "{:?} is not an octal number",
                String::from_utf8_lossy(field)
            ));
        }
        value = value
            .checked_mul(8)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or("an octal number beyond 64 bits")?;
    }
    Ok(value)
}

/// The bytes up to the first NUL, as text that loses none of them
/// ([`crate::printable::decode_bytes`]: tar names are bytes).
pub(super) fn until_nul(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    crate::printable::decode_bytes(&bytes[..end])
}

/// What a PAX extended header (`x`) overrides in the next entry.
#[derive(Debug, Default)]
pub(super) struct Pax {
    pub path: Option<String>,
    pub linkpath: Option<String>,
    pub size: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    /// Names of extended attributes (`SCHILY.xattr.NAME`).
    pub xattrs: Vec<String>,
    /// A GNU sparse file's real name (`GNU.sparse.name`, formats 0.1, 1.0).
    pub sparse_name: Option<String>,
    /// A GNU sparse file's real size (`GNU.sparse.realsize` in 1.0,
    /// `GNU.sparse.size` in 0.0 and 0.1).
    pub sparse_size: Option<u64>,
    /// `GNU.sparse.major`: 1 means the sparse map opens the data.
    pub sparse_major: Option<u64>,
}

impl Pax {
    /// Reads records `LEN KEY=VALUE\n`.
    pub fn merge(&mut self, mut data: &[u8]) -> Result<(), String> {
        while !data.is_empty() {
            if data.iter().all(|&b| b == 0) {
                break;
            }
            let space = data
                .iter()
                .position(|&b| b == b' ')
                .ok_or("a PAX record without a length")?;
            let len: usize = std::str::from_utf8(&data[..space])
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or("a PAX record length that is not a number")?;
            if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
                return Err(format!("a PAX record of length {len} that does not fit"));
            }
            let record = &data[space + 1..len - 1];
            let eq = record
                .iter()
                .position(|&b| b == b'=')
                .ok_or("a PAX record without '='")?;
            let (key, value) = (&record[..eq], &record[eq + 1..]);
            let text = || crate::printable::decode_bytes(value);
            let num = || -> Result<u64, String> {
                std::str::from_utf8(value)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| format!("PAX {} is not a number", String::from_utf8_lossy(key)))
            };
            match key {
                b"path" => self.path = Some(text()),
                b"linkpath" => self.linkpath = Some(text()),
                b"size" => self.size = Some(num()?),
                b"uid" => self.uid = Some(num()?),
                b"gid" => self.gid = Some(num()?),
                b"GNU.sparse.name" => self.sparse_name = Some(text()),
                b"GNU.sparse.realsize" | b"GNU.sparse.size" => self.sparse_size = Some(num()?),
                b"GNU.sparse.major" => self.sparse_major = Some(num()?),
                _ => {
                    if let Some(name) = key.strip_prefix(b"SCHILY.xattr.") {
                        self.xattrs.push(crate::printable::decode_bytes(name));
                    }
                }
            }
            data = &data[len..];
        }
        Ok(())
    }
}
