//! The Terminal fragment WSL writes when it registers a distro, byte for byte.
//!
//! This is `LxssUserSessionImpl::_CreateTerminalProfile`
//! (`src/windows/service/exe/LxssUserSession.cpp` in microsoft/WSL) in Rust:
//!
//! 1. parse the distro's profile template with nlohmann (no comments); the root
//!    must be an object with a `profiles` array, else no fragment;
//! 2. for every entry except one whose `updates` is the Tier 1 GUID string: set
//!    `commandline`, `name`, `guid` (Tier 2), `icon`, `startingDirectory` (only
//!    when missing), `pathTranslationStyle`, and `wsl.distribution-type` /
//!    `wsl.distribution-version` from `/etc/os-release`;
//! 3. if no entry hides Tier 1, insert `{"hidden": true, "updates": <tier1>}` first;
//! 4. `dump(2)` (sorted keys, no trailing newline) to
//!    `%LOCALAPPDATA%\Microsoft\Windows Terminal\Fragments\Microsoft.WSL\{tier2}.json`.
//!
//! ```
//! use wslconst_model::fragment::{FragmentRequest, create_fragment};
//! use wslconst::DistributionId;
//!
//! let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}")?;
//! let fragment = create_fragment(&FragmentRequest::new("Ubuntu", id))?;
//! assert!(fragment.path.ends_with(r"Microsoft.WSL\{ee603799-d7fe-5a9f-a662-e784d8a502df}.json"));
//! assert!(fragment.contents.starts_with("{\n  \"profiles\": [\n    {\n      \"hidden\": true,"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::json::{self, Json, JsonError};
use wslconst::profile::{DistributionId, ProfileGuid, tier1, tier2};
use wslconst::upstream;

/// The template WSL uses when the distro ships none (its literal text).
pub const DEFAULT_TEMPLATE: &str = r#"
                            {
                                "profiles": [{
                                "startingDirectory": "~"
                                }]
                            }"#;

/// `GetSystemDirectory()` on a default Windows install.
pub const DEFAULT_SYSTEM_DIR: &str = r"C:\Windows\system32";

/// The icon WSL uses when the distro ships none: `wsl.exe` in WSL's install
/// folder (`GetBasePath()`), by default `C:\Program Files\WSL`.
pub const DEFAULT_ICON: &str = r"C:\Program Files\WSL\wsl.exe";

/// Where WSL writes fragments, with the environment variable unexpanded.
pub const FRAGMENT_DIR: &str = r"%LOCALAPPDATA%\Microsoft\Windows Terminal\Fragments\Microsoft.WSL";

/// The file name WSL gives the icon it copies out of a distro
/// (`c_shortIconName`), inside the distro's install folder.
pub const SHIPPED_ICON_NAME: &str = "shortcut.ico";

/// `ID=` and `VERSION_ID=` of `/etc/os-release`, as WSL reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID=` (becomes `wsl.distribution-type`).
    pub id: Option<String>,
    /// `VERSION_ID=` (becomes `wsl.distribution-version`).
    pub version_id: Option<String>,
}

impl OsRelease {
    /// `UtilReadFlavorAndVersion`: line by line, `^VERSION_ID="?([a-zA-Z0-9\-_\.,]*)"?$`
    /// and `^ID="?(...)"?$`, stopping once both are found. Values with other
    /// characters (spaces, `~`, `+`, single quotes, a CR) are not read at all.
    ///
    /// ```
    /// let os = wslconst_model::fragment::OsRelease::parse(b"NAME=NixOS\nID=nixos\nVERSION_ID=\"25.05\"\n");
    /// assert_eq!(os.id.as_deref(), Some("nixos"));
    /// assert_eq!(os.version_id.as_deref(), Some("25.05"));
    /// ```
    pub fn parse(bytes: &[u8]) -> OsRelease {
        let mut os = OsRelease::default();
        for line in bytes.split(|&b| b == b'\n') {
            if os.id.is_some() && os.version_id.is_some() {
                break;
            }
            if let Some(v) = match_value(line, b"VERSION_ID=") {
                os.version_id = Some(v);
            } else if let Some(v) = match_value(line, b"ID=") {
                os.id = Some(v);
            }
        }
        os
    }
}

fn match_value(line: &[u8], prefix: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(prefix)?;
    let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b"-_.,".contains(&b)))
        .unwrap_or(rest.len());
    let (value, tail) = rest.split_at(end);
    match tail {
        b"" | b"\"" => Some(String::from_utf8(value.to_vec()).expect("ASCII by construction")),
        _ => None,
    }
}

/// What `_CreateTerminalProfile` is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FragmentRequest {
    /// The distro name (`Configuration.Name`).
    pub name: String,
    /// The registry id of the distro.
    pub distribution_id: DistributionId,
    /// The template bytes WSL received, `None` for the default template.
    pub template: Option<Vec<u8>>,
    /// The icon path WSL records: `<install folder>\shortcut.ico` when the
    /// distro ships an icon, else [`DEFAULT_ICON`].
    pub icon: String,
    /// `GetSystemDirectory()`.
    pub system_dir: String,
    /// The distro's `/etc/os-release`.
    pub os_release: OsRelease,
}

impl FragmentRequest {
    /// A request with the default template, icon and system directory.
    pub fn new(name: &str, distribution_id: DistributionId) -> Self {
        FragmentRequest {
            name: name.to_owned(),
            distribution_id,
            template: None,
            icon: DEFAULT_ICON.to_owned(),
            system_dir: DEFAULT_SYSTEM_DIR.to_owned(),
            os_release: OsRelease::default(),
        }
    }

    /// The icon path WSL records when the distro ships `shortcut.icon` and is
    /// installed in `install_dir` (`Configuration.BasePath`).
    pub fn shipped_icon(install_dir: &str) -> String {
        format!(
            "{}\\{SHIPPED_ICON_NAME}",
            install_dir.trim_end_matches(['\\', '/'])
        )
    }
}

/// The fragment WSL writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    /// `%LOCALAPPDATA%\...\Microsoft.WSL\{tier2}.json`.
    pub path: String,
    /// The exact file contents: UTF-8, no BOM, no trailing newline.
    pub contents: String,
    /// The document.
    pub json: Json,
    /// Tier 2: the GUID every profile entry gets.
    pub profile_guid: ProfileGuid,
    /// Tier 1: the GUID the hide entry hides.
    pub hide_guid: ProfileGuid,
    /// Whether WSL inserted the hide entry (the template had none).
    pub hide_added: bool,
}

/// Why WSL writes no fragment.
#[derive(Clone, Debug, PartialEq)]
pub enum FragmentError {
    /// nlohmann threw `parse_error` (or `out_of_range` for a huge number).
    Parse(JsonError),
    /// The root is not an object (`E_UNEXPECTED`).
    RootNotObject {
        /// What it is instead.
        found: &'static str,
    },
    /// No `profiles`, or not an array (`E_UNEXPECTED`).
    NoProfilesArray {
        /// What `profiles` is, if present.
        found: Option<&'static str>,
    },
    /// An entry of `profiles` is a string, number, boolean or array:
    /// `operator[]` throws `type_error.305` outside the parse `try`, the
    /// function's `CATCH_LOG` swallows it, and no warning reaches the user.
    EntryNotObject {
        /// Index in `profiles`.
        index: usize,
        /// What it is.
        found: &'static str,
    },
}

impl FragmentError {
    /// What WSL itself reports, verbatim where WSL prints it.
    pub fn wsl_outcome(&self) -> String {
        const PREFIX: &str = "Failed to parse terminal profile while registering distribution: ";
        match self {
            // nlohmann throws out_of_range.406 for a number too large for a
            // double: not a parse_error, so _CreateTerminalProfile's
            // catch (...) reports the HRESULT WIL maps a std::exception to
            // (ResultFromCaughtException), by name (ErrorCodeToString).
            FragmentError::Parse(e) if e.id == 406 => format!(
                "nlohmann throws \"{}\" (not a parse_error), so WSL warns \"{PREFIX}ERROR_UNHANDLED_EXCEPTION\" and writes no fragment",
                e.what()
            ),
            // wslconst's own nesting limit: nlohmann 3.12 has none, so WSL
            // reads the template and writes a fragment (found by the fragment
            // oracle, scripts/wsl-oracle: template/depth/600).
            FragmentError::Parse(e) if e.id == 0 => {
                "WSL itself reads it and writes a fragment, which wslconst cannot show".to_owned()
            }
            FragmentError::Parse(e) => {
                format!("WSL warns \"{PREFIX}{}\" and writes no fragment", e.what())
            }
            FragmentError::RootNotObject { .. } | FragmentError::NoProfilesArray { .. } => {
                format!("WSL warns \"{PREFIX}E_UNEXPECTED\" and writes no fragment")
            }
            FragmentError::EntryNotObject { found, .. } => format!(
                "WSL throws \"[json.exception.type_error.305] cannot use operator[] with a string argument with {found}\", logs it, prints nothing and writes no fragment"
            ),
        }
    }

    /// What is wrong and what to do.
    pub fn explain(&self) -> String {
        match self {
            FragmentError::Parse(e) if e.id == 0 => format!(
                "the template is nested deeper than {} levels, more than wslconst's JSON model reads; no Terminal profile needs that depth: flatten it",
                json::MAX_DEPTH
            ),
            FragmentError::Parse(e) => {
                format!("the template is not JSON WSL accepts: {}", e.explain())
            }
            FragmentError::RootNotObject { found } => format!(
                "the template's root is {}; it must be an object with a \"profiles\" array, e.g. {{\"profiles\": [{{}}]}}",
                json::type_phrase(found)
            ),
            FragmentError::NoProfilesArray { found: None } => {
                "the template has no \"profiles\" key; add \"profiles\": [{}]".to_owned()
            }
            FragmentError::NoProfilesArray { found: Some(found) } => format!(
                "the template's \"profiles\" is {}; it must be an array of profile objects (Terminal's settings.json object form {{\"list\": [...]}} is not accepted here)",
                json::type_phrase(found)
            ),
            FragmentError::EntryNotObject { index, found } => format!(
                "profiles[{index}] is {}; every entry must be an object",
                json::type_phrase(found)
            ),
        }
    }
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.explain(), self.wsl_outcome())
    }
}

impl std::error::Error for FragmentError {}

/// Checks the template as WSL's parse step does, returning the document.
pub fn parse_template(template: &[u8]) -> Result<Json, FragmentError> {
    let json = json::parse(template).map_err(FragmentError::Parse)?;
    match &json {
        Json::Object(map) => match map.get("profiles") {
            Some(Json::Array(_)) => Ok(json),
            other => Err(FragmentError::NoProfilesArray {
                found: other.map(Json::type_name),
            }),
        },
        other => Err(FragmentError::RootNotObject {
            found: other.type_name(),
        }),
    }
}

/// Runs `_CreateTerminalProfile` on `request`.
pub fn create_fragment(request: &FragmentRequest) -> Result<Fragment, FragmentError> {
    let template = request
        .template
        .as_deref()
        .unwrap_or(DEFAULT_TEMPLATE.as_bytes());
    let mut json = parse_template(template)?;
    let profile_guid = tier2(request.distribution_id);
    let hide_guid = tier1(&request.name);
    // WSL compares `updates` with GuidToString of Tier 1: lowercase, braces.
    let hide = hide_guid.to_string();
    let commandline = format!(
        "{}\\{} {} {}",
        request.system_dir,
        upstream::WSL_BINARY_NAME,
        upstream::WSL_DISTRIBUTION_ID_ARG,
        request.distribution_id.to_wsl_string()
    );
    let Json::Object(root) = &mut json else {
        unreachable!("parse_template returns objects")
    };
    let Some(Json::Array(profiles)) = root.get_mut("profiles") else {
        unreachable!("parse_template checked profiles")
    };
    let mut found_hide = false;
    for (index, entry) in profiles.iter_mut().enumerate() {
        if entry.get("updates").and_then(Json::as_str) == Some(hide.as_str()) {
            found_hide = true;
            continue;
        }
        // operator[] turns null into an object and throws on other scalars.
        if *entry == Json::Null {
            *entry = Json::Object(Default::default());
        }
        let Json::Object(profile) = entry else {
            return Err(FragmentError::EntryNotObject {
                index,
                found: entry.type_name(),
            });
        };
        profile.insert("commandline".into(), commandline.clone().into());
        profile.insert("name".into(), request.name.clone().into());
        profile.insert("guid".into(), profile_guid.to_string().into());
        profile.insert("icon".into(), request.icon.clone().into());
        profile
            .entry("startingDirectory".into())
            .or_insert_with(|| "~".into());
        profile.insert("pathTranslationStyle".into(), "wsl".into());
        if let Some(id) = request.os_release.id.as_deref().filter(|s| !s.is_empty()) {
            profile.insert("wsl.distribution-type".into(), id.into());
        }
        if let Some(version) = request
            .os_release
            .version_id
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            profile.insert("wsl.distribution-version".into(), version.into());
        }
    }
    if !found_hide {
        let mut entry = std::collections::BTreeMap::new();
        entry.insert("updates".to_owned(), Json::String(hide));
        entry.insert("hidden".to_owned(), Json::Bool(true));
        profiles.insert(0, Json::Object(entry));
    }
    Ok(Fragment {
        path: format!("{FRAGMENT_DIR}\\{profile_guid}.json"),
        contents: json.dump(2),
        json,
        profile_guid,
        hide_guid,
        hide_added: !found_hide,
    })
}

#[cfg(test)]
mod tests {

    /// A number past a double: nlohmann's out_of_range.406 is no parse_error,
    /// so WSL's catch (...) reports ERROR_UNHANDLED_EXCEPTION (issue #11,
    /// WSL's _CreateTerminalProfile compiled and run on these).
    #[test]
    fn an_overflowing_number_is_an_unhandled_exception_to_wsl() {
        let digits = "9".repeat(400);
        for number in ["1e400", "-1e400", "1e309", digits.as_str()] {
            let template = format!("{{\"profiles\": [{{\"x\": {number}}}]}}");
            let mut request = FragmentRequest::new(
                "NixOS",
                wslconst::DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap(),
            );
            request.template = Some(template.into_bytes());
            let error = create_fragment(&request).unwrap_err();
            let outcome = error.wsl_outcome();
            assert!(
                outcome.contains("while registering distribution: ERROR_UNHANDLED_EXCEPTION\"")
                    && outcome.contains("out_of_range.406"),
                "{number}: {outcome}"
            );
        }
    }

    /// nlohmann 3.12 (WSL's) names an empty template; init sends even 0 bytes.
    #[test]
    fn an_empty_template_is_named_as_nlohmann_3_12_names_it() {
        let mut request = FragmentRequest::new(
            "NixOS",
            wslconst::DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap(),
        );
        request.template = Some(Vec::new());
        let outcome = create_fragment(&request).unwrap_err().wsl_outcome();
        assert!(
            outcome.contains("[json.exception.parse_error.101] parse error at line 1, column 1: attempting to parse an empty input; check that your input string or stream contains the expected JSON"),
            "{outcome}"
        );
    }

    use super::*;

    const UBUNTU_ID: &str = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}";

    fn request(name: &str, template: Option<&str>) -> FragmentRequest {
        FragmentRequest {
            template: template.map(|t| t.as_bytes().to_vec()),
            ..FragmentRequest::new(name, DistributionId::parse(UBUNTU_ID).unwrap())
        }
    }

    /// The published Ubuntu vector, default template, byte for byte.
    #[test]
    fn ubuntu_default_template_bytes() {
        let fragment = create_fragment(&request("Ubuntu", None)).unwrap();
        let want = concat!(
            "{\n",
            "  \"profiles\": [\n",
            "    {\n",
            "      \"hidden\": true,\n",
            "      \"updates\": \"{2c4de342-38b7-51cf-b940-2309a097f518}\"\n",
            "    },\n",
            "    {\n",
            "      \"commandline\": \"C:\\\\Windows\\\\system32\\\\wsl.exe --distribution-id {fc3bf427-722c-4c2b-84bf-17202d2e3740}\",\n",
            "      \"guid\": \"{ee603799-d7fe-5a9f-a662-e784d8a502df}\",\n",
            "      \"icon\": \"C:\\\\Program Files\\\\WSL\\\\wsl.exe\",\n",
            "      \"name\": \"Ubuntu\",\n",
            "      \"pathTranslationStyle\": \"wsl\",\n",
            "      \"startingDirectory\": \"~\"\n",
            "    }\n",
            "  ]\n",
            "}"
        );
        assert_eq!(fragment.contents, want);
        assert_eq!(
            fragment.path,
            r"%LOCALAPPDATA%\Microsoft\Windows Terminal\Fragments\Microsoft.WSL\{ee603799-d7fe-5a9f-a662-e784d8a502df}.json"
        );
        assert!(fragment.hide_added);
    }

    #[test]
    fn unicode_names_are_raw_utf8_and_hash_as_utf16() {
        let fragment = create_fragment(&request("Ünïcødé 😀 \"q\"", None)).unwrap();
        assert!(
            fragment
                .contents
                .contains("\"name\": \"Ünïcødé 😀 \\\"q\\\"\""),
            "{}",
            fragment.contents
        );
        assert_eq!(fragment.hide_guid, tier1("Ünïcødé 😀 \"q\""));
        assert!(fragment.contents.contains(&fragment.hide_guid.to_string()));
    }

    #[test]
    fn every_profile_of_a_multi_profile_template_is_stamped() {
        let template = r#"{"profiles": [{"colorScheme": "One"}, {"startingDirectory": "/tmp", "font": {"size": 11}}, null],
                          "schemes": [{"name": "One"}]}"#;
        let fragment = create_fragment(&request("Multi", Some(template))).unwrap();
        let Some(Json::Array(profiles)) = fragment.json.get("profiles") else {
            panic!()
        };
        assert_eq!(profiles.len(), 4);
        for p in &profiles[1..] {
            assert_eq!(
                p.get("guid").and_then(Json::as_str),
                Some(fragment.profile_guid.to_string().as_str())
            );
        }
        assert_eq!(
            profiles[2].get("startingDirectory").and_then(Json::as_str),
            Some("/tmp")
        );
        assert_eq!(
            profiles[1].get("startingDirectory").and_then(Json::as_str),
            Some("~")
        );
        assert!(fragment.json.get("schemes").is_some());
    }

    #[test]
    fn a_template_that_hides_tier1_already_gets_no_second_hide_entry() {
        let hide = tier1("NixOS").to_string();
        let template = format!(
            r#"{{"profiles": [{{"font": {{"face": "Fira"}}}}, {{"updates": "{hide}", "hidden": true}}]}}"#
        );
        let fragment = create_fragment(&request("NixOS", Some(&template))).unwrap();
        assert!(!fragment.hide_added);
        let Some(Json::Array(profiles)) = fragment.json.get("profiles") else {
            panic!()
        };
        assert_eq!(profiles.len(), 2);
        // The hide entry is left exactly as written.
        assert_eq!(profiles[1].get("name"), None);
        // Upper-case GUIDs do not count: WSL compares strings exactly.
        let upper = format!(
            r#"{{"profiles": [{{"updates": "{}", "hidden": true}}]}}"#,
            hide.to_uppercase()
        );
        let fragment = create_fragment(&request("NixOS", Some(&upper))).unwrap();
        assert!(fragment.hide_added);
    }

    #[test]
    fn os_release_adds_distribution_keys() {
        let mut req = request("NixOS", None);
        req.os_release = OsRelease::parse(b"ID=nixos\nVERSION_ID=\"25.05\"\n");
        let fragment = create_fragment(&req).unwrap();
        assert!(
            fragment
                .contents
                .contains("\"wsl.distribution-type\": \"nixos\"")
        );
        assert!(
            fragment
                .contents
                .contains("\"wsl.distribution-version\": \"25.05\"")
        );
    }

    #[test]
    fn os_release_regex_rules() {
        for (text, id, version) in [
            ("ID=debian\nVERSION_ID=\"12\"\n", Some("debian"), Some("12")),
            (
                "ID=\"opensuse-tumbleweed\"\n",
                Some("opensuse-tumbleweed"),
                None,
            ),
            ("ID='arch'\n", None, None),
            ("ID=nixos \n", None, None),
            ("ID=nixos\r\n", None, None),
            ("VERSION_ID=25.05pre~git\n", None, None),
            ("ID_LIKE=debian\nID=ubuntu\n", Some("ubuntu"), None),
            ("ID=\"\"\n", Some(""), None),
        ] {
            let os = OsRelease::parse(text.as_bytes());
            assert_eq!(os.id.as_deref(), id, "{text:?}");
            assert_eq!(os.version_id.as_deref(), version, "{text:?}");
        }
    }

    #[test]
    fn a_template_past_the_depth_limit_says_wsl_reads_it() {
        let deep = format!(
            "{{\"profiles\": [{{\"x\": {}1{}}}]}}",
            "[".repeat(json::MAX_DEPTH + 10),
            "]".repeat(json::MAX_DEPTH + 10)
        );
        let mut request = FragmentRequest::new(
            "NixOS",
            DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap(),
        );
        request.template = Some(deep.into_bytes());
        let err = create_fragment(&request).unwrap_err();
        assert!(
            err.wsl_outcome()
                .contains("WSL itself reads it and writes a fragment"),
            "{err}"
        );
        assert!(
            err.explain().contains("nested deeper than 512 levels"),
            "{err}"
        );
    }

    #[test]
    fn rejected_templates_get_wsl_outcomes() {
        let cases = [
            ("[]", "E_UNEXPECTED"),
            ("{\"profiles\": {\"list\": []}}", "E_UNEXPECTED"),
            ("{}", "E_UNEXPECTED"),
            ("{\"profiles\": [1]}", "type_error.305"),
            (
                "{\n  // hi\n  \"profiles\": []\n}",
                "parse error at line 2, column 3",
            ),
            ("{\"profiles\": [{},]}", "parse error at line 1, column 18"),
        ];
        for (template, outcome) in cases {
            let err = create_fragment(&request("X", Some(template))).unwrap_err();
            assert!(
                err.wsl_outcome().contains(outcome),
                "{template}: {}",
                err.wsl_outcome()
            );
        }
        let comment = create_fragment(&request("X", Some("{/* c */}"))).unwrap_err();
        assert!(
            comment.explain().contains("remove the comment"),
            "{}",
            comment.explain()
        );
    }

    #[test]
    fn starting_directory_present_absent_and_null() {
        for (template, want) in [
            (r#"{"profiles": [{}]}"#, Json::from("~")),
            (
                r#"{"profiles": [{"startingDirectory": "%USERPROFILE%"}]}"#,
                Json::from("%USERPROFILE%"),
            ),
            (r#"{"profiles": [{"startingDirectory": null}]}"#, Json::Null),
        ] {
            let fragment = create_fragment(&request("X", Some(template))).unwrap();
            let Some(Json::Array(profiles)) = fragment.json.get("profiles") else {
                panic!()
            };
            assert_eq!(
                profiles[1].get("startingDirectory"),
                Some(&want),
                "{template}"
            );
        }
    }

    #[test]
    fn wsl_overwrites_the_keys_it_owns() {
        let template = r#"{"profiles": [{"name": "Mine", "guid": "{00000000-0000-0000-0000-000000000000}", "icon": "x.png", "commandline": "bash", "pathTranslationStyle": "none"}]}"#;
        let mut req = request("Distro", Some(template));
        req.icon = FragmentRequest::shipped_icon(r"C:\Users\me\wsl\Distro\");
        let fragment = create_fragment(&req).unwrap();
        let Some(Json::Array(profiles)) = fragment.json.get("profiles") else {
            panic!()
        };
        let p = &profiles[1];
        assert_eq!(p.get("name").and_then(Json::as_str), Some("Distro"));
        assert_eq!(
            p.get("icon").and_then(Json::as_str),
            Some(r"C:\Users\me\wsl\Distro\shortcut.ico")
        );
        assert_eq!(
            p.get("pathTranslationStyle").and_then(Json::as_str),
            Some("wsl")
        );
    }
}
