//! What a `.wsl` image holds, as WSL's rules need it, gathered in one
//! streaming pass over the archive ([`crate::archive`]) with bounded memory:
//!
//! - every symbolic link (to resolve paths as a chroot would);
//! - a compact record of every other entry (type, mode, owner, size, and for
//!   executables the ELF identification), keyed by a hash of its path, so
//!   even images with hundreds of thousands of files stay small;
//! - the bytes of the few files the rules read (`/etc/wsl-distribution.conf`,
//!   `/etc/wsl.conf`, `/etc/passwd`, `os-release`, and files up to 1 MiB in
//!   the folders WSL's validator wants the template, icon and OOBE command
//!   in, or wherever the conf names them when the conf comes first), up to
//!   [`MAX_BUFFERED`] bytes in all, keyed by the entry that holds the data,
//!   so hard links share one copy.
//!
//! On NixOS those files are links (`/etc/wsl-distribution.conf` ->
//! `/etc/static/...` -> `/nix/store/...`), and a link may come before or
//! after its target in the stream. What the first pass could not keep is
//! read by [`collect_reopening`] in a second pass that stops after the last
//! entry it needs (a third only when the conf itself was reached through a
//! link and names files that came before it). A stream that cannot be read
//! again (stdin) says so for each file instead ([`Unread::OnePassOnly`]).
//!
//! Other readers of the first pass (the security scan) see every entry and
//! every data chunk through an [`EntryVisitor`].

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, btree_map};
use std::hash::{Hash, Hasher};
use std::io::Read;

use crate::archive::{
    Archive, ArchiveError, Compression, Entry, EntryKind, ResolveError, Symlinks,
};
use crate::distribution_conf;
use crate::wsl_rules::{ICON_DIRS, MAX_ATTACHMENT_SIZE, OOBE_DIRS, TEMPLATE_DIRS};
use wslconst::upstream::WSL_DISTRIBUTION_CONF;

/// The most file contents kept in memory at once.
pub const MAX_BUFFERED: u64 = 64 * 1024 * 1024;

/// Files whose contents the rules read wherever they are.
pub const READ_FILES: [&str; 5] = [
    WSL_DISTRIBUTION_CONF,
    "/etc/wsl.conf",
    "/etc/passwd",
    "/etc/os-release",
    "/usr/lib/os-release",
];

/// An ELF file's identification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elf {
    /// 64-bit (`ELFCLASS64`).
    pub class64: bool,
    /// Little-endian (`ELFDATA2LSB`).
    pub little_endian: bool,
    /// `e_machine`: 62 is x86-64, 183 is AArch64.
    pub machine: u16,
}

impl Elf {
    /// The identification in a file's first 20 bytes, when it is ELF.
    pub fn parse(head: &[u8]) -> Option<Elf> {
        if head.len() < 20 || &head[..4] != b"\x7fELF" {
            return None;
        }
        let little_endian = head[5] == 1;
        let machine = if little_endian {
            u16::from_le_bytes([head[18], head[19]])
        } else {
            u16::from_be_bytes([head[18], head[19]])
        };
        Some(Elf {
            class64: head[4] == 2,
            little_endian,
            machine,
        })
    }

    /// `x86-64`, `aarch64`, or the machine number.
    /// "64-bit little-endian x86-64", for messages.
    pub fn describe(&self) -> String {
        format!(
            "{}-bit {}-endian {}",
            if self.class64 { 64 } else { 32 },
            if self.little_endian { "little" } else { "big" },
            self.machine_name()
        )
    }

    /// The machine's name, or its `e_machine` number.
    pub fn machine_name(&self) -> String {
        match self.machine {
            62 => "x86-64".into(),
            183 => "aarch64".into(),
            n => format!("machine {n}"),
        }
    }
}

/// What an entry other than a symbolic link is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// A regular file (or a hard link to one).
    File,
    /// A directory.
    Directory,
    /// A device, FIFO or other special entry.
    Special,
}

/// One entry's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRecord {
    /// What it is.
    pub kind: RecordKind,
    /// Permission bits.
    pub mode: u32,
    /// Owner.
    pub uid: u64,
    /// Group.
    pub gid: u64,
    /// Size in bytes (a sparse file's real size).
    pub size: u64,
    /// Bytes of data the archive holds for it (less than `size` for a sparse
    /// file; a hostile one may claim more).
    pub data_size: u64,
    /// Its ELF identification, for executable files.
    pub elf: Option<Elf>,
    /// Offset of its header in the tar.
    pub offset: u64,
}

/// Sees every entry and every chunk of data of the pass.
pub trait EntryVisitor {
    /// A new entry begins.
    fn entry(&mut self, _entry: &Entry) {}
    /// A chunk of the current entry's data, `at` bytes into the file.
    fn data(&mut self, _entry: &Entry, _at: u64, _chunk: &[u8]) {}
    /// Progress: bytes of the (compressed) file read so far.
    fn progress(&mut self, _compressed_bytes: u64) {}
}

impl EntryVisitor for () {}

/// Runs a visitor on a thread of its own, so that decompression (on the
/// caller's thread) and, say, the security scan overlap. Chunks are copied
/// into recycled buffers; at most eight wait in the queue.
pub struct OnThread<V> {
    queue: Option<std::sync::mpsc::SyncSender<Message>>,
    free: std::sync::mpsc::Receiver<Vec<u8>>,
    worker: Option<std::thread::JoinHandle<V>>,
}

enum Message {
    Entry(Entry),
    Data(u64, Vec<u8>),
}

impl<V: EntryVisitor + Send + 'static> OnThread<V> {
    /// Starts the thread.
    pub fn spawn(mut visitor: V) -> OnThread<V> {
        let (queue, messages) = std::sync::mpsc::sync_channel::<Message>(8);
        let (give_back, free) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            let mut current: Option<Entry> = None;
            for message in messages {
                match message {
                    Message::Entry(entry) => {
                        visitor.entry(&entry);
                        current = Some(entry);
                    }
                    Message::Data(at, buf) => {
                        if let Some(entry) = &current {
                            visitor.data(entry, at, &buf);
                        }
                        let _ = give_back.send(buf);
                    }
                }
            }
            visitor
        });
        OnThread {
            queue: Some(queue),
            free,
            worker: Some(worker),
        }
    }

    /// Waits for the thread to see everything, and returns the visitor.
    pub fn finish(mut self) -> V {
        drop(self.queue.take());
        match self.worker.take().expect("finished once").join() {
            Ok(visitor) => visitor,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    fn send(&mut self, message: Message) {
        if let Some(queue) = &self.queue {
            // A send fails only when the thread panicked; finish() reports it.
            let _ = queue.send(message);
        }
    }
}

impl<V: EntryVisitor + Send + 'static> EntryVisitor for OnThread<V> {
    fn entry(&mut self, entry: &Entry) {
        self.send(Message::Entry(entry.clone()));
    }

    fn data(&mut self, _entry: &Entry, at: u64, chunk: &[u8]) {
        let mut buf = self.free.try_recv().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(chunk);
        self.send(Message::Data(at, buf));
    }
}

/// Everything gathered.
#[derive(Debug, Default)]
pub struct ImageFacts {
    /// How the image is compressed.
    pub compression: Option<Compression>,
    /// Entries read.
    pub entries: u64,
    /// Bytes of the uncompressed tar.
    pub tar_bytes: u64,
    /// Bytes of the file.
    pub compressed_bytes: u64,
    /// Every symbolic link.
    pub symlinks: Symlinks,
    /// Entries whose name climbs above the root: `(name, offset)`.
    pub escaping_names: Vec<(String, u64)>,
    /// The first entry carrying an extended attribute WSL 1 cannot store,
    /// and every such attribute seen.
    pub wsl1_xattrs: Option<(String, BTreeSet<String>)>,
    /// Files the rules read whose contents were not kept, by resolved path.
    pub contents_not_kept: BTreeMap<String, Unread>,
    /// Hard links that climb above the root or name no earlier entry.
    pub broken_hard_links: Vec<BrokenHardLink>,
    /// How many times the image was read (1, or 2-3 when files the rules
    /// read were reached through links).
    pub passes: u32,
    /// Entries in a `*.target.wants` folder of systemd's configuration
    /// folders: the units enabled at boot.
    pub systemd_wants: Vec<String>,
    records: HashMap<u64, FileRecord>,
    /// File contents by the offset of the entry holding them.
    contents: HashMap<u64, Vec<u8>>,
    buffered: u64,
}

/// Why the contents of a file the rules read were not kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unread {
    /// Larger than WSL reads (`MAX_ATTACHMENT_SIZE`).
    TooLarge(u64),
    /// [`MAX_BUFFERED`] was reached.
    BufferFull,
    /// Reached through a link or named by the conf after it had been
    /// streamed past, in an image that can be read once only (stdin).
    OnePassOnly,
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::TooLarge(size) => write!(
                f,
                "it is {size} bytes, more than WSL reads ({MAX_ATTACHMENT_SIZE})"
            ),
            Unread::BufferFull => write!(
                f,
                "the {} MiB kept of the image's files was used up",
                MAX_BUFFERED >> 20
            ),
            Unread::OnePassOnly => f.write_str(
                "it is reached through a link, or named by the conf, after the stream had passed it, and a stream from stdin cannot be read twice: give the image as a file",
            ),
        }
    }
}

/// A hard link extraction cannot make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenHardLink {
    /// The link's name, as written.
    pub name: String,
    /// Its target, as written.
    pub target: String,
    /// Offset of its header.
    pub offset: u64,
    /// The target climbs above the root (else it names no earlier entry).
    pub escapes_root: bool,
}

/// Extended attributes WSL 1 cannot store (validate-modern.py's list).
pub const WSL1_UNSUPPORTED_XATTRS: [&str; 3] = ["security.selinux", "security.ima", "security.evm"];

fn path_key(path: &str) -> u64 {
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

impl ImageFacts {
    /// The record at exactly `path` (normalized; a link there is not followed).
    pub fn record(&self, path: &str) -> Option<&FileRecord> {
        self.records.get(&path_key(path))
    }

    /// `path` with every link followed, and the record found there.
    pub fn lookup(&self, path: &str) -> Result<(String, Option<&FileRecord>), ResolveError> {
        let real = self.symlinks.resolve(path)?;
        let record = self.record(&real);
        Ok((real, record))
    }

    /// The kept contents of `path` (a resolved path; a hard link shares its
    /// target's).
    pub fn contents(&self, path: &str) -> Option<&[u8]> {
        let record = self.record(path)?;
        self.contents.get(&record.offset).map(Vec::as_slice)
    }

    /// The kept contents of the file `path` leads to, every link followed.
    pub fn contents_through_links(&self, path: &str) -> Option<&[u8]> {
        let (normalized, _) = crate::archive::resolve_lexically("/", path);
        self.contents(&self.symlinks.resolve(&normalized).ok()?)
    }

    /// Why the contents of `path` (a resolved path) were not kept, when a
    /// rule wanted them.
    pub fn unread(&self, path: &str) -> Option<Unread> {
        self.contents_not_kept.get(path).copied()
    }

    /// Every path the rules read: [`READ_FILES`] and what the conf names.
    fn wanted_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = READ_FILES.iter().map(|p| (*p).to_owned()).collect();
        if let Some(conf) = self.contents_through_links(WSL_DISTRIBUTION_CONF) {
            paths.extend(named_paths(conf));
        }
        paths
    }

    /// The wanted files not read yet: the offsets of the entries holding
    /// them (with the resolved path of each), and the resolved paths of
    /// those that cannot be kept.
    fn missing(&self) -> (BTreeMap<u64, String>, BTreeMap<String, Unread>) {
        let mut pending = BTreeMap::new();
        let mut refused = BTreeMap::new();
        let mut budget = self.buffered;
        for path in self.wanted_paths() {
            let Ok(real) = self.symlinks.resolve(&path) else {
                continue;
            };
            let Some(record) = self.record(&real) else {
                continue;
            };
            if record.kind != RecordKind::File || self.contents.contains_key(&record.offset) {
                continue;
            }
            // What the archive stores counts too: a sparse header may claim a
            // small real size over a large stored part.
            let size = record.size.max(record.data_size);
            if size > MAX_ATTACHMENT_SIZE {
                refused.insert(real, Unread::TooLarge(size));
            } else if budget + size > MAX_BUFFERED {
                refused.insert(real, Unread::BufferFull);
            } else if let btree_map::Entry::Vacant(slot) = pending.entry(record.offset) {
                slot.insert(real);
                budget += size;
            }
        }
        (pending, refused)
    }

    /// Reads the entries at `offsets` from a new reader of the same image,
    /// stopping after the last one.
    fn read_again(
        &mut self,
        reader: impl Read,
        offsets: &BTreeMap<u64, String>,
    ) -> Result<(), ArchiveError> {
        let Some((&last, _)) = offsets.last_key_value() else {
            return Ok(());
        };
        let mut archive = Archive::new(reader)?;
        while let Some(entry) = archive.next_entry()? {
            if entry.offset > last {
                break;
            }
            if !offsets.contains_key(&entry.offset) {
                continue;
            }
            let mut kept = Vec::new();
            archive
                .data()
                .take(MAX_ATTACHMENT_SIZE)
                .read_to_end(&mut kept)
                .map_err(ArchiveError::from_io)?;
            self.buffered += kept.len() as u64;
            self.contents.insert(entry.offset, kept);
        }
        self.passes += 1;
        Ok(())
    }

    fn wants_contents(&self, path: &str, size: u64, named: &BTreeSet<String>) -> bool {
        let in_wsl_dirs = TEMPLATE_DIRS
            .iter()
            .chain(ICON_DIRS)
            .chain(OOBE_DIRS)
            .any(|d| path.starts_with(d));
        (READ_FILES.contains(&path) || named.contains(path) || in_wsl_dirs)
            && size <= MAX_ATTACHMENT_SIZE
    }
}

/// The most passes [`collect_reopening`] makes: the first, one for files
/// reached through links, and one for files a linked conf names.
pub const MAX_PASSES: u32 = 3;

/// Reads the whole image once, gathering [`ImageFacts`] and showing every
/// entry and data chunk to `visitor`. Files the rules read that this one
/// pass could not keep are listed in [`ImageFacts::contents_not_kept`]; use
/// [`collect_reopening`] when the image can be read again.
pub fn collect(
    reader: impl Read,
    visitor: &mut dyn EntryVisitor,
) -> Result<ImageFacts, ArchiveError> {
    let mut facts = first_pass(reader, visitor)?;
    let (pending, refused) = facts.missing();
    facts.give_up(pending, refused, Unread::OnePassOnly);
    Ok(facts)
}

/// Like [`collect`], reading the image again (through `open`) when files the
/// rules read were reached through links the first pass had not yet seen:
/// at most [`MAX_PASSES`] in all, each later one stopping after the last
/// entry it needs. Only the first pass is shown to `visitor`.
pub fn collect_reopening<R: Read>(
    mut open: impl FnMut() -> std::io::Result<R>,
    visitor: &mut dyn EntryVisitor,
) -> Result<ImageFacts, ArchiveError> {
    let mut facts = first_pass(open().map_err(ArchiveError::from_io)?, visitor)?;
    loop {
        let (pending, refused) = facts.missing();
        if pending.is_empty() || facts.passes >= MAX_PASSES {
            facts.give_up(pending, refused, Unread::BufferFull);
            return Ok(facts);
        }
        facts.read_again(open().map_err(ArchiveError::from_io)?, &pending)?;
    }
}

impl ImageFacts {
    /// Stops reading: the files still `pending` are recorded as not kept
    /// for `reason`, beside those `refused` outright.
    fn give_up(
        &mut self,
        pending: BTreeMap<u64, String>,
        mut refused: BTreeMap<String, Unread>,
        reason: Unread,
    ) {
        refused.extend(pending.into_values().map(|path| (path, reason)));
        self.contents_not_kept = refused;
    }
}

fn first_pass(
    reader: impl Read,
    visitor: &mut dyn EntryVisitor,
) -> Result<ImageFacts, ArchiveError> {
    let mut archive = Archive::new(reader)?;
    let mut facts = ImageFacts {
        compression: Some(archive.compression()),
        passes: 1,
        ..ImageFacts::default()
    };
    // Paths the conf names, once it has been read.
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut buf = vec![0u8; 256 * 1024];
    while let Some(entry) = archive.next_entry()? {
        facts.entries += 1;
        visitor.entry(&entry);
        let path = entry.path.normalized.clone();
        if entry.path.escapes_root {
            facts
                .escaping_names
                .push((entry.path.raw.clone(), entry.offset));
        }
        if is_wants_entry(&path) {
            facts.systemd_wants.push(path.clone());
        }
        let unsupported: Vec<&String> = entry
            .xattrs
            .iter()
            .filter(|x| WSL1_UNSUPPORTED_XATTRS.iter().any(|u| x.starts_with(u)))
            .collect();
        if !unsupported.is_empty() {
            let sample = facts
                .wsl1_xattrs
                .get_or_insert_with(|| (path.clone(), BTreeSet::new()));
            sample.1.extend(unsupported.into_iter().cloned());
        }
        let kind = match &entry.kind {
            EntryKind::Symlink(target) => {
                facts.symlinks.insert(&path, target);
                facts.records.remove(&path_key(&path));
                continue;
            }
            EntryKind::HardLink(target) => {
                facts.hard_link(&entry, &path, target);
                continue;
            }
            EntryKind::File | EntryKind::Other(_) => RecordKind::File,
            EntryKind::Directory => RecordKind::Directory,
            _ => RecordKind::Special,
        };
        facts.symlinks.remove(&path);
        let keep = kind == RecordKind::File
            && facts.wants_contents(&path, entry.size.max(entry.data_size), &named)
            && facts.buffered + entry.data_size <= MAX_BUFFERED;
        let mut kept = Vec::new();
        let mut head = [0u8; 20];
        let mut at = 0u64;
        loop {
            let n = archive
                .data()
                .read(&mut buf)
                .map_err(ArchiveError::from_io)?;
            if n == 0 {
                break;
            }
            let chunk = &buf[..n];
            if at < 20 {
                let take = (20 - at as usize).min(n);
                head[at as usize..at as usize + take].copy_from_slice(&chunk[..take]);
            }
            if keep {
                kept.extend_from_slice(chunk);
            }
            visitor.data(&entry, at, chunk);
            at += n as u64;
        }
        visitor.progress(archive.compressed_bytes());
        facts.records.insert(
            path_key(&path),
            FileRecord {
                kind,
                mode: entry.mode,
                uid: entry.uid,
                gid: entry.gid,
                size: entry.size,
                data_size: entry.data_size,
                // Whatever its mode: a non-executable ELF is still graded
                // by its header (the mode is a finding of its own), as WSL's
                // validator runs libmagic on the bytes.
                elf: if at >= 20 { Elf::parse(&head) } else { None },
                offset: entry.offset,
            },
        );
        if keep {
            if path == WSL_DISTRIBUTION_CONF {
                named.extend(named_paths(&kept));
            }
            facts.buffered += kept.len() as u64;
            facts.contents.insert(entry.offset, kept);
        }
    }
    facts.tar_bytes = archive.tar_bytes();
    facts.compressed_bytes = archive.compressed_bytes();
    visitor.progress(facts.compressed_bytes);
    Ok(facts)
}

impl ImageFacts {
    /// A hard link: the same record (and so the same kept contents) under a
    /// second name. tar names the target by its path as written, which must
    /// be an earlier entry inside the root.
    fn hard_link(&mut self, entry: &Entry, path: &str, target: &str) {
        let (target_path, escapes_root) = crate::archive::resolve_lexically("/", target);
        self.symlinks.remove(path);
        self.records.remove(&path_key(path));
        let broken = |escapes_root| BrokenHardLink {
            name: entry.path.raw.clone(),
            target: target.to_owned(),
            offset: entry.offset,
            escapes_root,
        };
        if escapes_root {
            self.broken_hard_links.push(broken(true));
        } else if let Some(record) = self.record(&target_path).copied() {
            self.records.insert(path_key(path), record);
        } else if let Some(link) = self.symlinks.target(&target_path).map(str::to_owned) {
            // A hard link to a symbolic link is a second link to the same place.
            self.symlinks.insert(path, &link);
        } else {
            self.broken_hard_links.push(broken(false));
        }
    }
}

/// systemd's unit folders, as WSL's validator lists them.
pub const SYSTEMD_UNIT_DIRS: [&str; 3] = [
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/etc/systemd/system",
];

fn is_wants_entry(path: &str) -> bool {
    SYSTEMD_UNIT_DIRS.iter().any(|dir| {
        path.strip_prefix(dir)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(wants, unit)| {
                wants.ends_with(".target.wants") && !unit.is_empty() && !unit.contains('/')
            })
    })
}

/// The files `/etc/wsl-distribution.conf` names (icon, template, OOBE
/// command), lexically normalized.
fn named_paths(conf: &[u8]) -> Vec<String> {
    let parsed = distribution_conf::parse(conf);
    [
        parsed.conf.shortcut_icon,
        parsed.conf.windowsterminal_profile_template,
        parsed
            .conf
            .oobe_command
            .map(|c| c.split_whitespace().next().unwrap_or("").to_owned()),
    ]
    .into_iter()
    .flatten()
    .filter(|p| !p.is_empty())
    .map(|p| crate::archive::resolve_lexically("/", &p).0)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::tests::{TarBuilder, elf, gzip};

    const CONF: &[u8] =
        b"[windowsterminal]\nprofileTemplate = /opt/t.json\n[shortcut]\nicon = /usr/lib/wsl/nixos.ico\n";

    fn image() -> Vec<u8> {
        let mut b = TarBuilder::default();
        b.file("bin/busybox", &elf(62));
        // Executable bit: mode 0755.
        let last = b.bytes.len() - 1024;
        b.bytes[last + 100..last + 108].copy_from_slice(b"0000755\0");
        crate::archive::tests::seal((&mut b.bytes[last..last + 512]).try_into().unwrap());
        b.symlink("bin/sh", "busybox")
            .symlink("usr/bin", "../bin")
            .file("etc/wsl-distribution.conf", CONF)
            .file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n")
            .file("opt/t.json", b"{\"profiles\": []}")
            .file("usr/lib/wsl/nixos.ico", b"\x00\x00\x01\x00")
            .file("opt/big.bin", &vec![1u8; 100_000])
            .header(b"etc/passwd-hard", b'1', b"00000000000\0", b"etc/passwd");
        b.end()
    }

    #[derive(Default)]
    struct Seen {
        entries: usize,
        bytes: u64,
    }

    impl EntryVisitor for Seen {
        fn entry(&mut self, _: &Entry) {
            self.entries += 1;
        }
        fn data(&mut self, _: &Entry, _: u64, chunk: &[u8]) {
            self.bytes += chunk.len() as u64;
        }
    }

    #[test]
    fn one_pass_gathers_links_records_and_the_files_the_rules_read() {
        let bytes = gzip(&image());
        let mut seen = Seen::default();
        let facts = collect(&bytes[..], &mut seen).unwrap();
        assert_eq!(facts.compression, Some(Compression::Gzip));
        assert_eq!(facts.entries, 9);
        assert_eq!(seen.entries, 9);
        assert_eq!(seen.bytes, 64 + CONF.len() as u64 + 26 + 16 + 4 + 100_000);
        let (real, record) = facts.lookup("/usr/bin/sh").unwrap();
        assert_eq!(real, "/bin/busybox");
        let record = record.unwrap();
        assert_eq!(record.mode, 0o755);
        assert_eq!(record.elf.unwrap().machine_name(), "x86-64");
        assert!(facts.contents("/etc/passwd").unwrap().starts_with(b"root:"));
        assert!(
            facts.contents("/etc/passwd-hard").is_some(),
            "a hard link shares the contents"
        );
        // Named by the conf, which came first: kept although outside /usr/lib/wsl.
        assert_eq!(
            facts.contents("/opt/t.json").unwrap(),
            b"{\"profiles\": []}"
        );
        assert!(facts.contents("/usr/lib/wsl/nixos.ico").is_some());
        assert!(facts.contents("/opt/big.bin").is_none());
        assert_eq!(facts.record("/opt/big.bin").unwrap().size, 100_000);
        assert!(facts.contents_not_kept.is_empty());
    }

    #[test]
    fn a_visitor_on_its_own_thread_sees_the_same() {
        let bytes = gzip(&image());
        let mut direct = Seen::default();
        collect(&bytes[..], &mut direct).unwrap();
        let mut threaded = OnThread::spawn(Seen::default());
        collect(&bytes[..], &mut threaded).unwrap();
        let seen = threaded.finish();
        assert_eq!((seen.entries, seen.bytes), (direct.entries, direct.bytes));
    }

    #[test]
    fn a_template_before_the_conf_is_reported_as_not_kept() {
        let tar = TarBuilder::default()
            .file("opt/t.json", b"{}")
            .file(
                "etc/wsl-distribution.conf",
                b"[windowsterminal]\nprofileTemplate = /opt/t.json\n",
            )
            .file("opt/t.json", b"{\"profiles\": []}")
            .end();
        let facts = collect(&tar[..], &mut ()).unwrap();
        // The second copy (after the conf) is what extraction leaves, and kept.
        assert_eq!(
            facts.contents("/opt/t.json").unwrap(),
            b"{\"profiles\": []}"
        );
        let tar = TarBuilder::default()
            .file(
                "etc/wsl-distribution.conf",
                b"[windowsterminal]\nprofileTemplate = /opt/big.json\n",
            )
            .file("opt/big.json", &vec![b' '; 2 * 1024 * 1024])
            .end();
        let facts = collect(&tar[..], &mut ()).unwrap();
        assert_eq!(
            facts.unread("/opt/big.json"),
            Some(Unread::TooLarge(2 * 1024 * 1024))
        );
    }

    #[test]
    fn escaping_names_and_wsl1_xattrs_are_noted() {
        let pax = crate::archive::tests::pax_record(
            "SCHILY.xattr.security.selinux",
            "system_u:object_r:bin_t:s0",
        ) + &crate::archive::tests::pax_record("SCHILY.xattr.user.comment", "fine");
        let size = format!("{:011o}\0", pax.len());
        let tar = TarBuilder::default()
            .file("../../etc/evil", b"x")
            .header(b"PaxHeaders/sh", b'x', size.as_bytes(), b"")
            .data(pax.as_bytes())
            .file("bin/sh", b"")
            .end();
        let facts = collect(&tar[..], &mut ()).unwrap();
        assert_eq!(facts.escaping_names, [("../../etc/evil".to_owned(), 0)]);
        let (sample, names) = facts.wsl1_xattrs.unwrap();
        assert_eq!(sample, "/bin/sh");
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["security.selinux"]);
    }

    /// A sparse header may claim a small real size over a large stored part:
    /// neither pass reads more than WSL would (issue #9 review).
    #[test]
    fn a_sparse_file_storing_more_than_it_claims_is_not_read() {
        let mut b = TarBuilder::default();
        b.symlink("etc/passwd", "/nix/store/p-passwd").gnu_sparse(
            "nix/store/p-passwd",
            1,
            &vec![b'a'; 2 * 1024 * 1024],
            0,
        );
        let tar = b.end();
        let facts = collect_reopening(|| Ok(&tar[..]), &mut ()).unwrap();
        assert!(facts.contents("/nix/store/p-passwd").is_none());
        assert_eq!(
            facts.unread("/nix/store/p-passwd"),
            Some(Unread::TooLarge(2 * 1024 * 1024))
        );
    }
}
