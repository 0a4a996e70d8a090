// WSL's GeneratedProfilesTerminalNamespace no longer equals Terminal's
// TERMINAL_PROFILE_NAMESPACE_GUID: WSL's hide entry would miss Terminal's profile.
mod upstream {
    wslconst_macros::upstream! {
        pin = "../fixtures/namespace-mismatch/upstream-pin.json";
        wsl_src = "../fixtures/namespace-mismatch/wsl";
        wsl_rev = "fixture";
        terminal_src = "../fixtures/namespace-mismatch/terminal";
        terminal_rev = "fixture";

        wsl GeneratedProfilesTerminalNamespace: Guid = "src/windows/common/wslutil.h";
        terminal TERMINAL_PROFILE_NAMESPACE_GUID: Guid =
            "src/cascadia/TerminalSettingsModel/DynamicProfileUtils.h";
    }
}

const _: () = wslconst::checks::namespaces_agree(
    &upstream::GeneratedProfilesTerminalNamespace,
    &upstream::TERMINAL_PROFILE_NAMESPACE_GUID,
);

fn main() {}
