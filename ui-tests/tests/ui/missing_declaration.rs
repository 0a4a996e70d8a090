// The header no longer declares the constant (only a use is left).
mod upstream {
    wslconst_macros::upstream! {
        pin = "../fixtures/missing/upstream-pin.json";
        wsl_src = "../fixtures/missing/wsl";

        wsl WslTerminalNamespace: Guid = "src/windows/common/wslutil.h";
    }
}

fn main() {}
