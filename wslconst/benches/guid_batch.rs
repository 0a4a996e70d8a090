//! GUID throughput: wslconst's UUIDv5 against the `uuid` crate's `new_v5` on the
//! same names, in process; and, with `--stdin-uuid`, a stdin-to-stdout batch
//! program built on `uuid::new_v5` that `benches/guid.py` times against
//! `wslconst guid tier1 --stdin` (same I/O, different hashing).
//!
//!   cargo bench -p wslconst --features fast-sha1,uuid --bench guid_batch            in-process figures
//!   cargo bench -p wslconst --features fast-sha1,uuid --bench guid_batch -- --stdin-uuid < names > guids

use std::hint::black_box;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use wslconst::profile::TERMINAL_PROFILE_NAMESPACE;
use wslconst::{GuidStyle, tier1};

/// Deterministic names shaped like real ones: ASCII distro names, accents, CJK, emoji.
fn names(count: usize) -> Vec<String> {
    let shapes = [
        "Ubuntu-{}",
        "NixOS-{}",
        "Débian-{}",
        "開発-{}",
        "dev 😀 {}",
        "archlinux-{}-wsl",
    ];
    (0..count)
        .map(|i| shapes[i % shapes.len()].replace("{}", &i.to_string()))
        .collect()
}

fn stdin_uuid() {
    let ns = uuid::Uuid::from(TERMINAL_PROFILE_NAMESPACE.guid());
    let stdin = std::io::stdin();
    let mut reader = BufReader::with_capacity(1 << 16, stdin.lock());
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = Vec::new();
    let mut utf16 = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).unwrap() == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        let name = std::str::from_utf8(&line).unwrap();
        utf16.clear();
        utf16.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        let g = uuid::Uuid::new_v5(&ns, &utf16);
        writeln!(out, "{{{}}}", g.hyphenated()).unwrap();
    }
    out.flush().unwrap();
}

fn time(label: &str, names: &[String], mut f: impl FnMut(&str) -> [u8; 16]) -> f64 {
    // One warm-up pass, then the best of three.
    let mut best = f64::MAX;
    for round in 0..4 {
        let start = Instant::now();
        for n in names {
            black_box(f(black_box(n)));
        }
        let secs = start.elapsed().as_secs_f64();
        if round > 0 {
            best = best.min(secs);
        }
    }
    let per_sec = names.len() as f64 / best;
    println!(
        "{label:44} {:8.1} ns/GUID {:>12.0} GUIDs/s",
        best * 1e9 / names.len() as f64,
        per_sec
    );
    per_sec
}

fn main() {
    if std::env::args().any(|a| a == "--stdin-uuid") {
        return stdin_uuid();
    }
    let names = names(1_000_000);
    let ns = uuid::Uuid::from(TERMINAL_PROFILE_NAMESPACE.guid());
    println!("{} names, in process, best of 3", names.len());
    let ours = time("wslconst::tier1 (const fn at run time)", &names, |n| {
        *tier1(n).guid().as_bytes()
    });
    let mut utf16 = Vec::new();
    let theirs = time("uuid::Uuid::new_v5 (reused UTF-16LE buffer)", &names, |n| {
        utf16.clear();
        utf16.extend(n.encode_utf16().flat_map(u16::to_le_bytes));
        *uuid::Uuid::new_v5(&ns, &utf16).as_bytes()
    });
    let mut hasher = wslconst::v5::V5Hasher::new();
    let ns_guid = TERMINAL_PROFILE_NAMESPACE.guid();
    let batch = time("wslconst V5Hasher (the --stdin path)", &names, |n| {
        *hasher.utf16le(ns_guid, n).as_bytes()
    });
    time("wslconst::tier1 + format braced", &names, |n| {
        let text = tier1(n).guid().format(GuidStyle::WSL);
        let mut b = [0u8; 16];
        b.copy_from_slice(&text.as_bytes()[1..17]);
        b
    });
    println!("ratio const fn / uuid::new_v5: {:.2}x", ours / theirs);
    println!("ratio V5Hasher / uuid::new_v5: {:.2}x", batch / theirs);
}
