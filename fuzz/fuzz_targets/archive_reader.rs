//! The image reader on arbitrary bytes, plain and behind gzip and xz: never
//! panic, never allocate what a header claims, and either read to the end or
//! stop with an error naming an offset inside what was read.
#![no_main]

use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;
use wslconst::archive::{Archive, ArchiveError};

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

fuzz_target!(|data: &[u8]| {
    read(data);
    // The same bytes as the content of a gzip stream.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    read(&gz.finish().unwrap());
});
