//! The image reader on arbitrary bytes, plain and behind gzip and xz: never
//! panic, never allocate what a header claims, and either read to the end or
//! stop with an error naming an offset inside what was read. The same bytes
//! then go through the image collector (symbolic and hard links, sparse
//! files, the passes that follow links) and WSL's rules: never a panic.
//! Seeds 3 and 4 hold a NixOS link layout, hard links (one escaping), a
//! link loop and GNU/PAX sparse members.
#![no_main]

use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;
use wslconst_model::archive::{Archive, ArchiveError};

fn read(bytes: &[u8]) {
    let Ok(mut archive) = Archive::new(bytes) else {
        return;
    };
    let mut buf = [0u8; 4096];
    loop {
        match archive.next_entry() {
            Ok(Some(entry)) => {
                assert!(entry.path.normalized.starts_with('/'));
                assert!(
                    !entry
                        .path
                        .normalized
                        .split('/')
                        .any(|c| c == ".." || c == ".")
                );
                loop {
                    match archive.data().read(&mut buf) {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) => {
                            let e = ArchiveError::from_io(e);
                            assert!(e.offset <= archive.tar_bytes(), "{e}");
                            return;
                        }
                    }
                }
            }
            Ok(None) => return,
            Err(e) => {
                assert!(e.offset <= archive.tar_bytes(), "{e}");
                let _ = e.to_string();
                return;
            }
        }
    }
}

/// The collector and the rules, reading the bytes as often as they need.
fn check(bytes: &[u8]) {
    if let Ok(facts) = wslconst_model::image::collect_reopening(|| Ok(bytes), &mut ()) {
        assert!(facts.passes <= wslconst_model::image::MAX_PASSES);
        let _ = wslconst_model::image_check::check(&facts, wslconst_model::image_check::Arch::X64);
    }
}

fuzz_target!(|data: &[u8]| {
    read(data);
    check(data);
    // The same bytes as the content of a gzip stream.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    read(&gz.finish().unwrap());
});
