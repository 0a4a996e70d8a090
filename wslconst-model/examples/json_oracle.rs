//! The Rust side of scripts/nlohmann-diff.py: per file, `ok <hex of dump(2)>`
//! or `err <hex of what()>`, exactly as scripts/nlohmann/oracle.cpp prints
//! nlohmann's results; `skip` for inputs past wslconst's nesting limit.

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        match wslconst_model::json::parse(&bytes) {
            Ok(value) => println!("ok {}", hex(value.dump(2).as_bytes())),
            Err(e) if e.id == 0 => println!("skip"),
            Err(e) => println!("err {}", hex(e.what().as_bytes())),
        }
    }
}
