//! Hand-written settings.json edits with the exact text each must produce.
//!
//! The Rust editor ([`super`]) is tested on them, and the PowerShell import
//! script (wslconst-render's `powershell`) embeds them and runs its own editor
//! on them before it edits a real file: the two editors are held to one set
//! of expectations.

/// One edit of Terminal's `settings.json` with the exact text
/// it must produce: comments, trailing commas, CRLF, indentation and every
/// unrelated byte kept. The import script runs its editor on these before it
/// edits a real file, and edits nothing (saying what to change by hand) on a
/// machine where one disagrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SettingsEditVector {
    /// What it exercises.
    pub label: &'static str,
    /// The file before.
    pub input: &'static str,
    /// GUIDs of a replaced distro, to remove.
    pub stale: &'static [&'static str],
    /// A GUID to make `defaultProfile` (`-SetDefault`), or empty.
    pub default: &'static str,
    /// The new GUID `defaultProfile` moves to if it named a stale one, or empty.
    pub replacement: &'static str,
    /// The file after.
    pub expected: &'static str,
    /// How many changes the editor must refuse and leave to the user.
    pub manual: usize,
}

const OLD: &str = "{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}";
const NEW: &str = "{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}";

/// See [`SettingsEditVector`]. The expected texts are written by hand.
pub const SETTINGS_EDIT_VECTORS: &[SettingsEditVector] = &[
    SettingsEditVector {
        label: "comments, a trailing comma, an upper-case stale GUID, defaultProfile moved",
        input: "{\n    // my settings\n    \"defaultProfile\": \"{5F2A8D7E-1C3B-5E4F-9A6B-7C8D9E0F1A2B}\",\n    \"profiles\": {\n        \"list\": [\n            { \"guid\": \"{61c54bbd-c2c6-5271-96e7-009a87ff44bf}\", \"name\": \"Windows PowerShell\" }, // keep me\n            {\n                \"guid\": \"{5F2A8D7E-1C3B-5E4F-9A6B-7C8D9E0F1A2B}\",\n                \"hidden\": false,\n                \"name\": \"NixOS\",\n                \"source\": \"Microsoft.WSL\"\n            },\n            /* Ünïcødé ‘comment’ */\n            { \"guid\": \"{2c4de342-38b7-51cf-b940-2309a097f518}\" },\n        ]\n    }\n}\n",
        stale: &[OLD],
        default: "",
        replacement: NEW,
        expected: "{\n    // my settings\n    \"defaultProfile\": \"{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}\",\n    \"profiles\": {\n        \"list\": [\n            { \"guid\": \"{61c54bbd-c2c6-5271-96e7-009a87ff44bf}\", \"name\": \"Windows PowerShell\" }, // keep me\n            /* Ünïcødé ‘comment’ */\n            { \"guid\": \"{2c4de342-38b7-51cf-b940-2309a097f518}\" },\n        ]\n    }\n}\n",
        manual: 0,
    },
    SettingsEditVector {
        label: "CRLF, profiles as a bare array, the last entry removed, defaultProfile added",
        input: "{\r\n  \"profiles\": [\r\n    {\"guid\": \"{2c4de342-38b7-51cf-b940-2309a097f518}\"},\r\n    {\"guid\": \"{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}\"}\r\n  ]\r\n}\r\n",
        stale: &[OLD],
        default: NEW,
        replacement: NEW,
        expected: "{\r\n  \"defaultProfile\": \"{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}\",\r\n  \"profiles\": [\r\n    {\"guid\": \"{2c4de342-38b7-51cf-b940-2309a097f518}\"}\r\n  ]\r\n}\r\n",
        manual: 0,
    },
    SettingsEditVector {
        label: "a stale profile holding a comment is left to the user",
        input: "{\n  \"profiles\": { \"list\": [\n    { \"guid\": \"{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}\", // why I keep this\n      \"name\": \"NixOS\" }\n  ] }\n}",
        stale: &[OLD],
        default: "",
        replacement: "",
        expected: "{\n  \"profiles\": { \"list\": [\n    { \"guid\": \"{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}\", // why I keep this\n      \"name\": \"NixOS\" }\n  ] }\n}",
        manual: 1,
    },
];
