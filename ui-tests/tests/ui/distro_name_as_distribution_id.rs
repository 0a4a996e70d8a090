// Tier 2 takes WSL's registry GUID, not the distro's name.
fn main() {
    let _ = wslconst::tier2("Ubuntu");
}
