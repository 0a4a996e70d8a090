//! WSL's config parser on arbitrary bytes: never panics, reports lines inside
//! the file, and whatever it reads renders back to the same settings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wslconst_model::distribution_conf::{check, parse};

fuzz_target!(|data: &[u8]| {
    let parsed = check(data);
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
    for d in &parsed.diagnostics {
        if let Some(line) = d.line {
            assert!((1..=lines).contains(&line), "line {line} of {lines}");
        }
    }
    if let Some(stop) = &parsed.stop {
        assert!(stop.lost.iter().all(|l| l.line > stop.line));
    }
    // WSL reads a value only up to its first NUL: none survives the parse.
    assert!(parsed.applied.iter().all(|a| !a.raw.contains('\0')));
    // WSL's own line numbers never run behind the physical ones.
    assert!(parsed.applied.iter().all(|a| a.wsl_line >= a.line));
    assert!(parsed.stop.iter().all(|s| s.wsl_line >= s.line));
    // Values holding a CR cannot be written back; everything else must
    // round-trip through the renderer and WSL's parser unchanged.
    if let Ok(text) = parsed.conf.render() {
        let back = parse(text.as_bytes());
        assert_eq!(back.conf, parsed.conf, "{text}");
        assert!(back.stop.is_none(), "{text}");
    }
});
