// A GUID initializer with seven Data4 bytes instead of eight.
mod upstream {
    wslconst_macros::upstream! {
        pin = "../fixtures/malformed/upstream-pin.json";
        wsl_src = "../fixtures/malformed/wsl";

        wsl WslTerminalNamespace: Guid = "src/windows/common/wslutil.h";
    }
}

fn main() {}
