// A pin file edited by hand: an uppercase GUID, an entry pointing at a file the
// declaration does not list, and an entry nothing extracts. The embedded default
// must not accept any of them.
mod upstream {
    wslconst_macros::upstream! {
        pin = "../fixtures/hand-edited/upstream-pin.json";

        wsl WslTerminalNamespace: Guid = "src/windows/common/wslutil.h";
        wsl WSL_BINARY_NAME: Str = "src/windows/inc/wsl.h";
    }
}

fn main() {}
