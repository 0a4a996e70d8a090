//! Reading a `.wsl` image (a tar, plain or gzip- or xz-compressed) in one
//! streaming pass with bounded memory, whatever it holds.
//!
//! The compression is told by magic bytes, not by the file name. Headers are
//! parsed here rather than by a general tar library so that every size an
//! archive claims is checked before anything is allocated for it: a long
//! name or PAX record beyond [`Limits::max_metadata`] is an error, not an
//! allocation, and entry data is only ever streamed. A hostile archive
//! (truncated, corrupt headers, absurd sizes) gives an [`ArchiveError`] that
//! names the byte offset, never a panic.
//!
//! ```
//! use std::io::Read;
//! use wslconst_model::archive::{Archive, EntryKind};
//!
//! // A one-file tar, built in memory.
//! let mut tar = Vec::new();
//! let mut header = [0u8; 512];
//! header[..10].copy_from_slice(b"etc/passwd");
//! header[100..108].copy_from_slice(b"0000644\0");
//! header[108..116].copy_from_slice(b"0000000\0");
//! header[116..124].copy_from_slice(b"0000000\0");
//! header[124..136].copy_from_slice(b"00000000005\0");
//! header[156] = b'0';
//! header[257..263].copy_from_slice(b"ustar\0");
//! header[148..156].copy_from_slice(b"        ");
//! let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
//! header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
//! tar.extend_from_slice(&header);
//! let mut data = [0u8; 512];
//! data[..5].copy_from_slice(b"root:");
//! tar.extend_from_slice(&data);
//! tar.extend_from_slice(&[0u8; 1024]);
//!
//! let mut archive = Archive::new(&tar[..])?;
//! let entry = archive.next_entry()?.unwrap();
//! assert_eq!(entry.path.normalized, "/etc/passwd");
//! assert_eq!(entry.kind, EntryKind::File);
//! let mut text = String::new();
//! archive.data().read_to_string(&mut text)?;
//! assert_eq!(text, "root:");
//! assert!(archive.next_entry()?.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod header;
mod links;
mod path;

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

pub use links::{MAX_FOLLOWS, ResolveError, Symlinks};
pub use path::{EntryPath, normalize as resolve_lexically};

/// How the tar is compressed, told by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// A plain tar.
    None,
    /// gzip (`1f 8b`), all members.
    Gzip,
    /// xz (`fd 37 7a 58 5a 00`), all streams.
    Xz,
}

impl Compression {
    /// The compression of a file starting with `prefix` (at least 512 bytes,
    /// or the whole file when shorter).
    pub fn detect(prefix: &[u8]) -> Result<Compression, ArchiveError> {
        if prefix.starts_with(&[0x1f, 0x8b]) {
            return Ok(Compression::Gzip);
        }
        if prefix.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            return Ok(Compression::Xz);
        }
        if prefix.len() >= 512 {
            match header::check_first(&prefix[..512]) {
                Some(Ok(())) => return Ok(Compression::None),
                Some(Err(why)) => {
                    return Err(ArchiveError::at(0, ErrorKind::CorruptHeader(why)));
                }
                None => {}
            }
        }
        let kind = match prefix {
            [0x28, 0xb5, 0x2f, 0xfd, ..] => "zstd-compressed data, which WSL does not import",
            [b'B', b'Z', b'h', ..] => "bzip2-compressed data, which WSL does not import",
            [b'P', b'K', 3, 4, ..] => "a zip file",
            [] => "an empty file",
            _ => "neither a tar nor gzip- or xz-compressed data",
        };
        Err(ArchiveError::at(
            0,
            ErrorKind::NotAnArchive(format!(
                "{kind} (first bytes: {})",
                prefix
                    .iter()
                    .take(8)
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        ))
    }

    /// Its name in messages.
    pub const fn name(self) -> &'static str {
        match self {
            Compression::None => "tar",
            Compression::Gzip => "gzip",
            Compression::Xz => "xz",
        }
    }
}

/// Bounds on what an archive may make the reader hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest GNU long name or PAX header block read into memory.
    pub max_metadata: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_metadata: 1024 * 1024,
        }
    }
}

/// What an entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link to the target, as written.
    Symlink(String),
    /// A hard link to an earlier entry's path, as written.
    HardLink(String),
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A FIFO.
    Fifo,
    /// Any other type flag (GNU sparse files, volume headers, ...).
    Other(u8),
}

/// One member of the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its path, as written and normalized.
    pub path: EntryPath,
    /// What it is.
    pub kind: EntryKind,
    /// Permission and special bits (`0o4755`, ...).
    pub mode: u32,
    /// Owner.
    pub uid: u64,
    /// Group.
    pub gid: u64,
    /// Size in bytes: what the file holds once extracted (for a sparse file,
    /// its real size, holes included).
    pub size: u64,
    /// Bytes of data the archive holds for it, what [`Archive::data`] reads:
    /// `size`, except for sparse files (their stored parts only).
    pub data_size: u64,
    /// Offset of its (first) header in the uncompressed tar.
    pub offset: u64,
    /// Extended attributes it carries (PAX `SCHILY.xattr.*` names).
    pub xattrs: Vec<String>,
}

/// Why an archive cannot be read further.
#[derive(Debug)]
pub struct ArchiveError {
    /// Offset in the uncompressed tar where reading stopped.
    pub offset: u64,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// The kinds of [`ArchiveError`].
#[derive(Debug)]
pub enum ErrorKind {
    /// The file is not a tar, gzip or xz stream.
    NotAnArchive(String),
    /// The stream ends inside a header or an entry's data.
    Truncated {
        /// The entry whose data was cut, if any.
        inside: Option<String>,
    },
    /// A header is not a tar header (bad checksum or number).
    CorruptHeader(String),
    /// A long name or PAX header larger than the limit.
    HugeHeader {
        /// `long name`, `long link name` or `PAX header`.
        what: &'static str,
        /// Its claimed size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The gzip or xz stream is corrupt.
    Decompress(String),
    /// Reading the file failed.
    Io(io::Error),
}

impl ArchiveError {
    fn at(offset: u64, kind: ErrorKind) -> ArchiveError {
        ArchiveError { offset, kind }
    }
}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match &self.kind {
            ErrorKind::NotAnArchive(what) => write!(
                f,
                "not a WSL image: {what}; WSL imports a tar, gzip- or xz-compressed"
            ),
            ErrorKind::Truncated { inside: Some(path) } => write!(
                f,
                "the archive ends at byte {at} of the tar, inside the data of {path}: the file is truncated (an interrupted download or copy?)"
            ),
            ErrorKind::Truncated { inside: None } => write!(
                f,
                "the archive ends at byte {at} of the tar, inside a header: the file is truncated (an interrupted download or copy?)"
            ),
            ErrorKind::CorruptHeader(why) => write!(
                f,
                "the tar header at byte {at} is corrupt ({why}); the archive is damaged from there on"
            ),
            ErrorKind::HugeHeader { what, size, limit } => write!(
                f,
                "the {what} at byte {at} claims {size} bytes, more than the {limit} wslconst reads; a hostile or damaged archive"
            ),
            ErrorKind::Decompress(why) => write!(
                f,
                "the compressed stream is corrupt near byte {at} of the tar ({why})"
            ),
            ErrorKind::Io(e) => write!(f, "reading failed near byte {at} of the tar: {e}"),
        }
    }
}

impl std::error::Error for ArchiveError {}

impl ArchiveError {
    /// The archive error an [`EntryData`] read failed with; other I/O
    /// errors become [`ErrorKind::Io`] at offset 0.
    pub fn from_io(e: io::Error) -> ArchiveError {
        if e.get_ref().is_some_and(|inner| inner.is::<ArchiveError>()) {
            let inner = e.into_inner().expect("checked above");
            return *inner.downcast::<ArchiveError>().expect("checked above");
        }
        ArchiveError::at(0, ErrorKind::Io(e))
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count += amt as u64;
        self.inner.consume(amt);
    }
}

type Source<'a> = Counting<BufReader<Box<dyn Read + 'a>>>;

/// The decompressed tar stream.
enum Stream<'a> {
    Plain(Source<'a>),
    Gzip(flate2::bufread::MultiGzDecoder<Source<'a>>),
    Xz(liblzma::bufread::XzDecoder<Source<'a>>),
}

impl Stream<'_> {
    fn compressed_bytes(&self) -> u64 {
        match self {
            Stream::Plain(s) => s.count,
            Stream::Gzip(d) => d.get_ref().count,
            Stream::Xz(d) => d.get_ref().count,
        }
    }
}

impl Read for Stream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Gzip(d) => d.read(buf),
            Stream::Xz(d) => d.read(buf),
        }
    }
}

/// A streaming reader of an image's entries.
pub struct Archive<'a> {
    stream: Stream<'a>,
    compression: Compression,
    limits: Limits,
    /// Bytes of the tar read so far.
    offset: u64,
    /// Data of the current entry not yet read.
    remaining: u64,
    /// Padding after the current entry's data.
    padding: u64,
    /// The current entry's path, for truncation messages.
    current: Option<String>,
    finished: bool,
}

impl<'a> Archive<'a> {
    /// Opens an image, telling its compression from its first bytes.
    pub fn new(reader: impl Read + 'a) -> Result<Archive<'a>, ArchiveError> {
        Archive::with_limits(reader, Limits::default())
    }

    /// [`Archive::new`] with other limits.
    pub fn with_limits(
        mut reader: impl Read + 'a,
        limits: Limits,
    ) -> Result<Archive<'a>, ArchiveError> {
        // The first block tells the compression; it is read, then put back in
        // front of the rest.
        let mut prefix = Vec::with_capacity(512);
        (&mut reader)
            .take(512)
            .read_to_end(&mut prefix)
            .map_err(|e| ArchiveError::at(0, ErrorKind::Io(e)))?;
        let compression = Compression::detect(&prefix)?;
        let boxed: Box<dyn Read + 'a> = Box::new(io::Cursor::new(prefix).chain(reader));
        let source = Counting {
            inner: BufReader::with_capacity(256 * 1024, boxed),
            count: 0,
        };
        let stream = match compression {
            Compression::None => Stream::Plain(source),
            Compression::Gzip => Stream::Gzip(flate2::bufread::MultiGzDecoder::new(source)),
            Compression::Xz => Stream::Xz(liblzma::bufread::XzDecoder::new_multi_decoder(source)),
        };
        Ok(Archive {
            stream,
            compression,
            limits,
            offset: 0,
            remaining: 0,
            padding: 0,
            current: None,
            finished: false,
        })
    }

    /// The compression the image uses.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Bytes of the file read so far (compressed).
    pub fn compressed_bytes(&self) -> u64 {
        self.stream.compressed_bytes()
    }

    /// Bytes of the tar read so far (uncompressed).
    pub fn tar_bytes(&self) -> u64 {
        self.offset
    }

    /// The next entry, after skipping what is left of the current one's
    /// data; `None` at the end of the archive.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ArchiveError> {
        if self.finished {
            return Ok(None);
        }
        let skip = self.remaining + self.padding;
        self.skip(skip)?;
        self.remaining = 0;
        self.padding = 0;
        self.current = None;
        let mut long_name = None;
        let mut long_link = None;
        let mut pax = header::Pax::default();
        loop {
            let start = self.offset;
            let mut block = [0u8; 512];
            match self.read_block(&mut block)? {
                Block::End => {
                    self.finished = true;
                    return Ok(None);
                }
                Block::Full => {}
            }
            if block.iter().all(|&b| b == 0) {
                // The end-of-archive marker. What follows is padding, but the
                // compressed stream is read to its end so that a damaged or
                // truncated trailer is still reported.
                self.finished = true;
                self.drain()?;
                return Ok(None);
            }
            let raw = header::Header::parse(&block)
                .map_err(|why| ArchiveError::at(start, ErrorKind::CorruptHeader(why)))?;
            let size = pax.size.unwrap_or(raw.size);
            match raw.typeflag {
                b'L' | b'K' | b'x' | b'g' => {
                    let what = match raw.typeflag {
                        b'L' => "long name",
                        b'K' => "long link name",
                        _ => "PAX header",
                    };
                    if raw.size > self.limits.max_metadata {
                        return Err(ArchiveError::at(
                            start,
                            ErrorKind::HugeHeader {
                                what,
                                size: raw.size,
                                limit: self.limits.max_metadata,
                            },
                        ));
                    }
                    let data = self.read_exact_data(raw.size, start)?;
                    match raw.typeflag {
                        b'L' => long_name = Some(header::until_nul(&data)),
                        b'K' => long_link = Some(header::until_nul(&data)),
                        b'x' => pax.merge(&data).map_err(|why| {
                            ArchiveError::at(start, ErrorKind::CorruptHeader(why))
                        })?,
                        // Global PAX headers set defaults for later entries;
                        // images do not use them for paths, so only their size
                        // is checked.
                        _ => {}
                    }
                    continue;
                }
                _ => {}
            }
            // A GNU sparse file (PAX formats 0.1 and 1.0) is filed under a
            // made-up GNUSparseFile.N/ name; its real one is GNU.sparse.name.
            let name = pax
                .sparse_name
                .take()
                .or(pax.path.take())
                .or(long_name.take())
                .unwrap_or(raw.name);
            let link = pax
                .linkpath
                .take()
                .or(long_link.take())
                .unwrap_or(raw.linkname);
            let kind = match raw.typeflag {
                b'0' | b'\0' | b'7' | b'S' => EntryKind::File,
                b'1' => EntryKind::HardLink(link),
                b'2' => EntryKind::Symlink(link),
                b'3' => EntryKind::CharDevice,
                b'4' => EntryKind::BlockDevice,
                b'5' => EntryKind::Directory,
                b'6' => EntryKind::Fifo,
                other => EntryKind::Other(other),
            };
            // Links, devices, directories and FIFOs carry no data, whatever
            // their size field says.
            let data_size = match kind {
                EntryKind::File | EntryKind::Other(_) => size,
                _ => 0,
            };
            let path = EntryPath::new(&name);
            self.current = Some(path.normalized.clone());
            self.remaining = data_size;
            self.padding = padding(data_size);
            let mut real_size = data_size;
            if let Some((gnu_size, extended)) = raw.gnu_sparse {
                // Old GNU format: more of the sparse map in 512-byte blocks
                // after the header, each with a flag for another one.
                let mut more = extended;
                while more {
                    let mut block = [0u8; 512];
                    if let Block::End = self.read_block(&mut block)? {
                        return Err(ArchiveError::at(
                            self.offset,
                            ErrorKind::Truncated {
                                inside: self.current.clone(),
                            },
                        ));
                    }
                    more = block[504] != 0;
                }
                real_size = gnu_size;
            }
            if let Some(size) = pax.sparse_size.take() {
                real_size = size;
            }
            if pax.sparse_major.take() == Some(1) {
                // PAX sparse 1.0: the map opens the data, in 512-byte blocks.
                let map = self.skip_sparse_map(start)?;
                self.remaining = data_size - map;
            }
            return Ok(Some(Entry {
                path,
                kind,
                mode: raw.mode,
                uid: pax.uid.unwrap_or(raw.uid),
                gid: pax.gid.unwrap_or(raw.gid),
                size: real_size,
                data_size: self.remaining,
                offset: start,
                xattrs: std::mem::take(&mut pax.xattrs),
            }));
        }
    }

    /// Reads the sparse map that opens a PAX 1.0 sparse file's data (decimal
    /// numbers, one a line: the count, then an offset and a size for each
    /// part), up to the end of its last block; returns the bytes it took.
    fn skip_sparse_map(&mut self, header_at: u64) -> Result<u64, ArchiveError> {
        let corrupt = |why: String| ArchiveError::at(header_at, ErrorKind::CorruptHeader(why));
        let mut consumed = 0u64;
        let mut numbers_left: Option<u64> = None;
        let mut digits = 0u32;
        let mut count = 0u64;
        let mut block = [0u8; 512];
        loop {
            if self.remaining < 512 {
                return Err(corrupt(
                    "a sparse map longer than the data it opens".to_owned(),
                ));
            }
            if self.fill(&mut block)? < 512 {
                return Err(ArchiveError::at(
                    self.offset,
                    ErrorKind::Truncated {
                        inside: self.current.clone(),
                    },
                ));
            }
            self.remaining -= 512;
            consumed += 512;
            if consumed > self.limits.max_metadata {
                return Err(ArchiveError::at(
                    header_at,
                    ErrorKind::HugeHeader {
                        what: "sparse map",
                        size: consumed,
                        limit: self.limits.max_metadata,
                    },
                ));
            }
            for &b in &block {
                match b {
                    b'0'..=b'9' => {
                        count = count
                            .checked_mul(10)
                            .and_then(|c| c.checked_add(u64::from(b - b'0')))
                            .ok_or_else(|| {
                                corrupt("a sparse map number beyond 64 bits".to_owned())
                            })?;
                        digits += 1;
                    }
                    b'\n' if digits > 0 => {
                        let left = numbers_left.get_or_insert(count.saturating_mul(2) + 1);
                        *left -= 1;
                        if *left == 0 {
                            return Ok(consumed);
                        }
                        count = 0;
                        digits = 0;
                    }
                    _ => return Err(corrupt(format!("a sparse map with the byte {b:#04x}"))),
                }
            }
        }
    }

    /// The current entry's data, as a reader that ends with it. A read
    /// error carries an [`ArchiveError`] (see [`ArchiveError::from_io`]).
    pub fn data(&mut self) -> EntryData<'_, 'a> {
        EntryData { archive: self }
    }

    fn read_block(&mut self, block: &mut [u8; 512]) -> Result<Block, ArchiveError> {
        match self.fill(block)? {
            0 => Ok(Block::End),
            512 => Ok(Block::Full),
            _ => Err(ArchiveError::at(
                self.offset,
                ErrorKind::Truncated { inside: None },
            )),
        }
    }

    /// Reads until `buf` is full or the stream ends; how much was read.
    fn fill(&mut self, buf: &mut [u8]) -> Result<usize, ArchiveError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.stream.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    self.offset += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.stream_error(e)),
            }
        }
        Ok(filled)
    }

    /// An error of the decompressed stream at the current offset.
    fn stream_error(&self, e: io::Error) -> ArchiveError {
        let offset = self.offset;
        match (self.compression, e.kind()) {
            (
                Compression::Gzip | Compression::Xz,
                io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::Other,
            ) => ArchiveError::at(offset, ErrorKind::Decompress(e.to_string())),
            (_, io::ErrorKind::UnexpectedEof) => ArchiveError::at(
                offset,
                ErrorKind::Truncated {
                    inside: self.current.clone(),
                },
            ),
            _ => ArchiveError::at(offset, ErrorKind::Io(e)),
        }
    }

    /// Reads `size` bytes of metadata (bounded by the caller) and their padding.
    fn read_exact_data(&mut self, size: u64, header_at: u64) -> Result<Vec<u8>, ArchiveError> {
        let mut data = vec![0u8; size as usize];
        if self.fill(&mut data)? < data.len() {
            return Err(ArchiveError::at(
                self.offset,
                ErrorKind::Truncated {
                    inside: Some(format!("the header block at byte {header_at}")),
                },
            ));
        }
        self.skip(padding(size))?;
        Ok(data)
    }

    /// Reads the stream to its end.
    fn drain(&mut self) -> Result<(), ArchiveError> {
        let mut scratch = [0u8; 64 * 1024];
        loop {
            match self.stream.read(&mut scratch) {
                Ok(0) => return Ok(()),
                Ok(k) => self.offset += k as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.stream_error(e)),
            }
        }
    }

    fn skip(&mut self, mut n: u64) -> Result<(), ArchiveError> {
        let mut scratch = [0u8; 64 * 1024];
        while n > 0 {
            let want = n.min(scratch.len() as u64) as usize;
            match self.stream.read(&mut scratch[..want]) {
                Ok(0) => {
                    return Err(ArchiveError::at(
                        self.offset,
                        ErrorKind::Truncated {
                            inside: self.current.clone(),
                        },
                    ));
                }
                Ok(k) => {
                    n -= k as u64;
                    self.offset += k as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.stream_error(e)),
            }
        }
        Ok(())
    }
}

enum Block {
    Full,
    End,
}

fn padding(size: u64) -> u64 {
    (512 - size % 512) % 512
}

/// The data of the current entry ([`Archive::data`]).
pub struct EntryData<'r, 'a> {
    archive: &'r mut Archive<'a>,
}

impl Read for EntryData<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let archive = &mut *self.archive;
        if archive.remaining == 0 {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(archive.remaining.min(usize::MAX as u64) as usize);
        let n = match archive.stream.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                let error = archive.stream_error(e);
                return Err(io::Error::new(io::ErrorKind::InvalidData, error));
            }
        };
        if n == 0 {
            // The ArchiveError travels inside the io::Error
            // (`get_ref().downcast_ref::<ArchiveError>()`).
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                ArchiveError::at(
                    archive.offset,
                    ErrorKind::Truncated {
                        inside: archive.current.clone(),
                    },
                ),
            ));
        }
        archive.remaining -= n as u64;
        archive.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
pub(crate) mod tests;
