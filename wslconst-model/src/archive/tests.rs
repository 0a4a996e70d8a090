use std::io::{Read, Write};

use super::*;

/// Builds tar archives byte by byte, including the malformed ones.
#[derive(Default)]
pub(crate) struct TarBuilder {
    pub bytes: Vec<u8>,
}

impl TarBuilder {
    pub fn header(
        &mut self,
        name: &[u8],
        typeflag: u8,
        size_field: &[u8],
        link: &[u8],
    ) -> &mut Self {
        let mut h = [0u8; 512];
        h[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..124 + size_field.len()].copy_from_slice(size_field);
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = typeflag;
        h[157..157 + link.len()].copy_from_slice(link);
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        seal(&mut h);
        self.bytes.extend_from_slice(&h);
        self
    }

    pub fn data(&mut self, data: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(data);
        self.bytes.resize(self.bytes.len().div_ceil(512) * 512, 0);
        self
    }

    pub fn file(&mut self, name: &str, data: &[u8]) -> &mut Self {
        let size = format!("{:011o}\0", data.len());
        self.header(name.as_bytes(), b'0', size.as_bytes(), b"")
            .data(data)
    }

    /// A file with a mode and an owner.
    pub fn owned(&mut self, name: &str, mode: u32, uid: u32, data: &[u8]) -> &mut Self {
        self.file(name, data);
        let at = self.bytes.len() - data.len().div_ceil(512) * 512 - 512;
        let h: &mut [u8; 512] = (&mut self.bytes[at..at + 512]).try_into().unwrap();
        h[100..108].copy_from_slice(format!("{mode:07o}\0").as_bytes());
        h[108..116].copy_from_slice(format!("{uid:07o}\0").as_bytes());
        seal(h);
        self
    }

    pub fn symlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.header(name.as_bytes(), b'2', b"00000000000\0", target.as_bytes())
    }

    pub fn hardlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.header(name.as_bytes(), b'1', b"00000000000\0", target.as_bytes())
    }

    pub fn end(&mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(&[0u8; 1024]);
        std::mem::take(&mut self.bytes)
    }
}

/// Recomputes a header's checksum.
pub(crate) fn seal(h: &mut [u8; 512]) {
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

/// The first 64 bytes of a 64-bit little-endian ELF for `machine`.
pub(crate) fn elf(machine: u16) -> Vec<u8> {
    let mut head = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    head.resize(18, 0);
    head.extend_from_slice(&machine.to_le_bytes());
    head.resize(64, 0);
    head
}

pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub(crate) fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// An entry as read: normalized path, kind, size, data.
type ReadEntry = (String, EntryKind, u64, Vec<u8>);

/// Every entry, or the error.
fn read_all(bytes: &[u8]) -> Result<Vec<ReadEntry>, ArchiveError> {
    let mut archive = Archive::new(bytes)?;
    let mut out = Vec::new();
    while let Some(entry) = archive.next_entry()? {
        let mut data = Vec::new();
        archive
            .data()
            .read_to_end(&mut data)
            .map_err(ArchiveError::from_io)?;
        out.push((entry.path.normalized, entry.kind, entry.size, data));
    }
    Ok(out)
}

/// `LEN KEY=VALUE\n`, LEN counting itself.
pub(crate) fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    while len.to_string().len() + body.len() != len {
        len += 1;
    }
    format!("{len}{body}")
}

fn sample() -> Vec<u8> {
    TarBuilder::default()
        .file("./etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
        .symlink("bin/sh", "busybox")
        .header(b"etc/hard", b'1', b"00000000000\0", b"etc/passwd")
        .header(b"usr/", b'5', b"00000000000\0", b"")
        .file("big", &vec![7u8; 70_000])
        .end()
}

#[test]
fn plain_gzip_and_xz_read_the_same() {
    let tar = sample();
    let plain = read_all(&tar).unwrap();
    assert_eq!(plain.len(), 5);
    assert_eq!(plain[0].0, "/etc/passwd");
    assert_eq!(plain[0].3, b"root:x:0:0:root:/root:/bin/sh\n");
    assert_eq!(plain[1].1, EntryKind::Symlink("busybox".into()));
    assert_eq!(plain[2].1, EntryKind::HardLink("etc/passwd".into()));
    assert_eq!(plain[3].1, EntryKind::Directory);
    assert_eq!(plain[4].3.len(), 70_000);
    for (compressed, kind) in [(gzip(&tar), Compression::Gzip), (xz(&tar), Compression::Xz)] {
        assert_eq!(Archive::new(&compressed[..]).unwrap().compression(), kind);
        assert_eq!(read_all(&compressed).unwrap(), plain, "{kind:?}");
    }
    // Two gzip members back to back (pigz -i, cat a.gz b.gz) are one stream.
    let (a, b) = tar.split_at(1024);
    let mut two = gzip(a);
    two.extend(gzip(b));
    assert_eq!(read_all(&two).unwrap(), plain);
}

#[test]
fn unread_data_is_skipped_and_counted() {
    let tar = sample();
    let compressed = gzip(&tar);
    let mut archive = Archive::new(&compressed[..]).unwrap();
    let mut names = Vec::new();
    while let Some(entry) = archive.next_entry().unwrap() {
        names.push(entry.path.normalized);
    }
    assert_eq!(names.len(), 5);
    assert_eq!(archive.tar_bytes(), tar.len() as u64);
    // After the end-of-archive block the stream is read to its end.
    assert_eq!(archive.compressed_bytes(), compressed.len() as u64);
}

#[test]
fn long_names_pax_records_prefixes_and_base256_sizes() {
    let long = format!("nix/store/{}/bin/bash", "a".repeat(200));
    let mut b = TarBuilder::default();
    let size = format!("{:011o}\0", long.len() + 1);
    b.header(b"././@LongLink", b'L', size.as_bytes(), b"")
        .data(format!("{long}\0").as_bytes())
        .file("truncated-name", b"x");
    let pax = [
        ("path", "etc/from-pax-header"),
        ("size", "3"),
        ("uid", "7"),
        (
            "SCHILY.xattr.security.selinux",
            "system_u:object_r:etc_t:s0",
        ),
    ]
    .map(|(k, v)| pax_record(k, v))
    .concat();
    let size = format!("{:011o}\0", pax.len());
    b.header(b"PaxHeaders/x", b'x', size.as_bytes(), b"")
        .data(pax.as_bytes())
        .file("ignored-name", b"abc");
    // ustar prefix + name.
    let mut h = [0u8; 512];
    h[..4].copy_from_slice(b"file");
    h[100..108].copy_from_slice(b"0000644\0");
    h[124..136].copy_from_slice(b"00000000002\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[345..352].copy_from_slice(b"usr/lib");
    seal(&mut h);
    b.bytes.extend_from_slice(&h);
    b.data(b"hi");
    // A size in GNU base-256.
    let mut size = [0u8; 12];
    size[0] = 0x80;
    size[11] = 5;
    b.header(b"base256", b'0', &size, b"").data(b"12345");
    let bytes = b.end();
    let mut archive = Archive::new(&bytes[..]).unwrap();
    archive.next_entry().unwrap();
    let pax_entry = archive.next_entry().unwrap().unwrap();
    assert_eq!(pax_entry.uid, 7);
    assert_eq!(pax_entry.xattrs, ["security.selinux"]);
    let entries = read_all(&bytes).unwrap();
    assert_eq!(entries[0].0, format!("/{long}"));
    assert_eq!(entries[1].0, "/etc/from-pax-header");
    assert_eq!(entries[1].3, b"abc");
    assert_eq!(entries[2].0, "/usr/lib/file");
    assert_eq!(entries[3].3, b"12345");
}

#[test]
fn traversal_is_reported_and_kept_inside() {
    let tar = TarBuilder::default()
        .file("../../etc/shadow", b"root::0:::::")
        .end();
    let mut archive = Archive::new(&tar[..]).unwrap();
    let entry = archive.next_entry().unwrap().unwrap();
    assert!(entry.path.escapes_root);
    assert_eq!(entry.path.normalized, "/etc/shadow");
    assert_eq!(entry.path.raw, "../../etc/shadow");
}

fn error_of(bytes: &[u8]) -> ArchiveError {
    match read_all(bytes) {
        Ok(entries) => panic!(
            "the archive must be refused; read {} entries",
            entries.len()
        ),
        Err(e) => e,
    }
}

#[test]
fn truncated_streams_say_where_and_inside_what() {
    let tar = sample();
    let cut = &tar[..512 + 10];
    let e = error_of(cut);
    assert!(
        matches!(&e.kind, ErrorKind::Truncated { inside: Some(p) } if p == "/etc/passwd"),
        "{e}"
    );
    assert!(
        e.to_string().contains("inside the data of /etc/passwd"),
        "{e}"
    );
    let e = error_of(&tar[..1024 + 100]);
    assert!(
        matches!(e.kind, ErrorKind::Truncated { inside: None }),
        "{e}"
    );
    assert_eq!(e.offset, 1024 + 100);
    // A compressed stream cut short.
    let gz = gzip(&tar);
    let e = error_of(&gz[..gz.len() / 2]);
    assert!(
        matches!(
            e.kind,
            ErrorKind::Truncated { .. } | ErrorKind::Decompress(_)
        ),
        "{e}"
    );
    let xz = xz(&tar);
    let e = error_of(&xz[..xz.len() - 20]);
    assert!(
        matches!(
            e.kind,
            ErrorKind::Truncated { .. } | ErrorKind::Decompress(_)
        ),
        "{e}"
    );
}

#[test]
fn corrupt_and_huge_headers_are_refused_without_allocating() {
    let mut tar = sample();
    tar[1024 + 3] ^= 0x20; // a byte of the second header's name
    let e = error_of(&tar);
    assert!(matches!(e.kind, ErrorKind::CorruptHeader(_)), "{e}");
    assert_eq!(e.offset, 1024);
    assert!(e.to_string().contains("checksum"), "{e}");

    // A long name claiming 8 GiB.
    let huge = TarBuilder::default()
        .header(b"././@LongLink", b'L', b"77777777777\0", b"")
        .end();
    let e = error_of(&huge);
    assert!(
        matches!(
            e.kind,
            ErrorKind::HugeHeader {
                what: "long name",
                ..
            }
        ),
        "{e}"
    );

    // A file claiming almost 2^64 bytes in a tiny stream: truncated, not OOM.
    let mut size = [0xffu8; 12];
    size[..5].copy_from_slice(&[0x80, 0, 0, 0, 0x7f]);
    let absurd = TarBuilder::default()
        .header(b"absurd", b'0', &size, b"")
        .end();
    let e = error_of(&absurd);
    assert!(matches!(e.kind, ErrorKind::Truncated { .. }), "{e}");

    // Numbers that are not numbers.
    let bad = TarBuilder::default()
        .header(b"x", b'0', b"00000000z00\0", b"")
        .end();
    let e = error_of(&bad);
    assert!(e.to_string().contains("size field"), "{e}");

    // A PAX record whose length does not fit.
    let pax = "99 path=x\n";
    let size = format!("{:011o}\0", pax.len());
    let bad = TarBuilder::default()
        .header(b"p", b'x', size.as_bytes(), b"")
        .data(pax.as_bytes())
        .file("f", b"")
        .end();
    assert!(error_of(&bad).to_string().contains("PAX record"));
}

#[test]
fn other_files_are_named_for_what_they_are() {
    for (bytes, says) in [
        (&b"PK\x03\x04rest"[..], "a zip file"),
        (&[0x28, 0xb5, 0x2f, 0xfd, 0, 0][..], "zstd"),
        (&b""[..], "an empty file"),
        (
            &b"hello, this is not an archive at all"[..],
            "neither a tar",
        ),
    ] {
        let e = Archive::new(bytes).err().expect("refused");
        assert!(e.to_string().contains(says), "{e}");
        assert!(e.to_string().contains("WSL imports a tar"), "{e}");
    }
}

#[test]
fn an_extreme_compression_ratio_streams_in_bounded_buffers() {
    // 32 MiB of zeros compress to about 32 KiB; the reader never holds more
    // than its buffers.
    const SIZE: usize = 32 * 1024 * 1024;
    let mut tar = TarBuilder::default();
    let size = format!("{SIZE:011o}\0");
    tar.header(b"zeros", b'0', size.as_bytes(), b"");
    let mut bytes = tar.bytes;
    bytes.resize(bytes.len() + SIZE + 1024, 0);
    let compressed = xz(&bytes);
    assert!(
        compressed.len() * 1000 < bytes.len(),
        "ratio {}",
        bytes.len() / compressed.len()
    );
    let mut archive = Archive::new(&compressed[..]).unwrap();
    let entry = archive.next_entry().unwrap().unwrap();
    assert_eq!(entry.size, SIZE as u64);
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = archive.data().read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    assert_eq!(total, SIZE as u64);
    assert!(archive.next_entry().unwrap().is_none());
}

impl TarBuilder {
    /// A PAX extended header (`x`) holding `records`.
    pub fn pax(&mut self, records: &[(&str, &str)]) -> &mut Self {
        let body: String = records.iter().map(|(k, v)| pax_record(k, v)).collect();
        let size = format!("{:011o}\0", body.len());
        self.header(b"PaxHeaders/x", b'x', size.as_bytes(), b"")
            .data(body.as_bytes())
    }

    /// An old-format GNU sparse member (`S`) of `real_size` bytes whose one
    /// stored part is `data`, at offset 0; `extension_blocks` more map blocks
    /// follow the header.
    pub fn gnu_sparse(
        &mut self,
        name: &str,
        real_size: u64,
        data: &[u8],
        extension_blocks: usize,
    ) -> &mut Self {
        let size = format!("{:011o}\0", data.len());
        self.header(name.as_bytes(), b'S', size.as_bytes(), b"");
        let at = self.bytes.len() - 512;
        let h: &mut [u8; 512] = (&mut self.bytes[at..]).try_into().unwrap();
        h[257..265].copy_from_slice(b"ustar  \0");
        h[386..398].copy_from_slice(b"00000000000\0");
        h[398..410].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
        h[482] = u8::from(extension_blocks > 0);
        h[483..495].copy_from_slice(format!("{real_size:011o}\0").as_bytes());
        seal(h);
        for i in 0..extension_blocks {
            let mut block = [0u8; 512];
            block[504] = u8::from(i + 1 < extension_blocks);
            self.bytes.extend_from_slice(&block);
        }
        self.data(data)
    }

    /// A PAX 1.0 sparse file: GNU.sparse.* records, a made-up name, and the
    /// map (one part at offset 0) opening the data.
    pub fn pax_sparse_1_0(&mut self, name: &str, real_size: u64, data: &[u8]) -> &mut Self {
        let real = real_size.to_string();
        self.pax(&[
            ("GNU.sparse.major", "1"),
            ("GNU.sparse.minor", "0"),
            ("GNU.sparse.name", name),
            ("GNU.sparse.realsize", &real),
        ]);
        let mut body = format!("1\n0\n{}\n", data.len()).into_bytes();
        body.resize(512, 0);
        body.extend_from_slice(data);
        let size = format!("{:011o}\0", body.len());
        self.header(b"GNUSparseFile.0/x", b'0', size.as_bytes(), b"")
            .data(&body)
    }
}

#[test]
fn gnu_and_pax_sparse_files_have_their_real_names_and_sizes() {
    let tar = TarBuilder::default()
        .gnu_sparse("old/gnu", 2 << 20, b"stored", 0)
        .gnu_sparse("old/extended", 3 << 20, b"more", 2)
        .pax_sparse_1_0("usr/lib/wsl/icon.ico", 4 << 20, b"icon")
        .pax(&[
            ("GNU.sparse.size", "5242880"),
            ("GNU.sparse.numblocks", "1"),
            ("GNU.sparse.offset", "0"),
            ("GNU.sparse.numbytes", "3"),
        ])
        .file("pax/zero-zero", b"0.0")
        .pax(&[
            ("GNU.sparse.size", "6291456"),
            ("GNU.sparse.numblocks", "1"),
            ("GNU.sparse.map", "0,3"),
            ("GNU.sparse.name", "pax/zero-one"),
        ])
        .file("GNUSparseFile.1/zero-one", b"0.1")
        .file("after", b"next")
        .end();
    let entries = read_all(&tar).unwrap();
    let summary: Vec<(&str, u64, &[u8])> = entries
        .iter()
        .map(|(p, _, size, data)| (p.as_str(), *size, data.as_slice()))
        .collect();
    assert_eq!(
        summary,
        [
            ("/old/gnu", 2 << 20, &b"stored"[..]),
            ("/old/extended", 3 << 20, b"more"),
            ("/usr/lib/wsl/icon.ico", 4 << 20, b"icon"),
            ("/pax/zero-zero", 5 << 20, b"0.0"),
            ("/pax/zero-one", 6 << 20, b"0.1"),
            ("/after", 4, b"next"),
        ]
    );
}

#[test]
fn a_sparse_map_that_lies_is_an_error_not_a_panic() {
    let mut b = TarBuilder::default();
    b.pax(&[("GNU.sparse.major", "1"), ("GNU.sparse.realsize", "10")]);
    // The map claims 9 parts but the data ends first.
    let size = format!("{:011o}\0", 512);
    let mut body = b"9\n0\n1\n".to_vec();
    body.resize(512, 0);
    b.header(b"GNUSparseFile.0/x", b'0', size.as_bytes(), b"")
        .data(&body);
    let err = error_of(&b.end());
    assert!(matches!(err.kind, ErrorKind::CorruptHeader(_)), "{err}");
    let mut b = TarBuilder::default();
    b.pax(&[("GNU.sparse.major", "1")]);
    let mut body = b"1\nx\n".to_vec();
    body.resize(512, 0);
    b.header(b"GNUSparseFile.0/x", b'0', size.as_bytes(), b"")
        .data(&body);
    assert!(error_of(&b.end()).to_string().contains("sparse map"));
    // A number past 64 bits is an error, not an overflow.
    let mut b = TarBuilder::default();
    b.pax(&[("GNU.sparse.major", "1")]);
    let mut body = b"99999999999999999999\n".to_vec();
    body.resize(512, 0);
    b.header(b"GNUSparseFile.0/x", b'0', size.as_bytes(), b"")
        .data(&body);
    assert!(error_of(&b.end()).to_string().contains("beyond 64 bits"));
}
