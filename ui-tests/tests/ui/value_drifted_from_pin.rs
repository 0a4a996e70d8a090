// The source tree declares a different value than the pin file records.
mod upstream {
    wslconst_macros::upstream! {
        pin = "../fixtures/drifted/upstream-pin.json";
        terminal_src = "../fixtures/drifted/terminal";
        terminal_rev = "fixture-new";

        terminal TERMINAL_PROFILE_NAMESPACE_GUID: Guid =
            "src/cascadia/TerminalSettingsModel/DynamicProfileUtils.h";
    }
}

fn main() {}
