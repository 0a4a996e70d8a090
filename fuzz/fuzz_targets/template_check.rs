//! The profile template check and nlohmann model on arbitrary bytes: never
//! panic, and what parses prints back to text that parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wslconst_model::json::{Json, parse};
use wslconst_model::profile_template::{check, check_fragment};

fuzz_target!(|data: &[u8]| {
    let _ = check(data, Some("/usr/lib/wsl/terminal-profile.json"));
    let _ = check_fragment(data);
    if let Ok(value) = parse(data) {
        let printed = value.dump(2);
        let again = parse(printed.as_bytes()).expect("dump output parses");
        // NaN cannot come out of the parser, so equality is exact.
        assert!(same(&value, &again), "{printed}");
        assert_eq!(again.dump(2), printed);
    }
});

/// nlohmann's equality, except that -0.0 == 0.0 would hide a sign lost in
/// printing. `-0` parses as integer 0 and prints as `0`, which reads back as
/// unsigned 0: the same number to nlohmann.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Integer(x), Json::Unsigned(y)) | (Json::Unsigned(y), Json::Integer(x)) => {
            u64::try_from(*x) == Ok(*y)
        }
        (Json::Float(x), Json::Float(y)) => x.to_bits() == y.to_bits(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => a == b,
    }
}
