//! The Terminal profile template a distro ships for WSL: checked by WSL's and
//! Terminal's rules, and rendered from typed options.
//!
//! WSL's rules (`main.cpp` and `_CreateTerminalProfile`): at most 1 MiB, a path
//! without `..` (best under `/usr/lib/wsl`), JSON without comments, an object
//! with a `profiles` array of objects. Terminal's rules (its
//! `profiles.schema.json`, see [`crate::profile_schema`]): known keys with the
//! right types and enum values, a `name` for every new profile, a `name` and all
//! colors for every scheme. Keys WSL overwrites are warned about.
//!
//! ```
//! use wslconst_model::profile_template::{check, ProfileTemplateOptions};
//!
//! let options = ProfileTemplateOptions {
//!     font_face: Some("Cascadia Code".into()),
//!     font_size: Some(11.0),
//!     ..Default::default()
//! };
//! let text = options.render()?;
//! assert!(check(text.as_bytes(), None).is_empty());
//!
//! let typo = check(br#"{"profiles": [{"fontFce": "x"}]}"#, None);
//! assert!(typo[0].message.contains("did you mean fontFace?"));
//! # Ok::<(), wslconst_model::profile_template::OptionsError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::fragment::{FragmentError, parse_template};
use crate::json::Json;
use crate::profile_schema::{self, SchemaObject};
use crate::wsl_rules::{MAX_ATTACHMENT_SIZE, TEMPLATE_DIRS};

pub use crate::profile_schema::SCHEME_COLORS;

/// Keys WSL sets on every profile of the template, whatever it holds.
pub const WSL_OWNED_KEYS: [&str; 7] = [
    "commandline",
    "guid",
    "icon",
    "name",
    "pathTranslationStyle",
    "wsl.distribution-type",
    "wsl.distribution-version",
];

/// Keys a fragment profile may hold beyond the schema's profile keys.
const FRAGMENT_KEYS: [&str; 3] = [
    "updates",
    "wsl.distribution-type",
    "wsl.distribution-version",
];

/// Color schemes Terminal ships (its `defaults.json`).
pub const BUILTIN_SCHEMES: [&str; 13] = [
    "Campbell",
    "Campbell Powershell",
    "Vintage",
    "One Half Dark",
    "One Half Light",
    "Solarized Dark",
    "Solarized Light",
    "Tango Dark",
    "Tango Light",
    "Dark+",
    "CGA",
    "IBM 5153",
    "Ottosson",
];

/// Checks a profile template. `image_path` is where the distro ships it (the
/// value of `windowsterminal.profileTemplate`), when known.
///
/// Twin, for WSL's own rules: `checkProfileTemplate` in nix/lib.nix.
pub fn check(bytes: &[u8], image_path: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(path) = image_path {
        if path.contains("..") {
            out.push(Diagnostic::error(
                "path-dotdot",
                format!("the template path {path:?} contains \"..\": WSL refuses it and silently uses its default template"),
            ));
        } else if !TEMPLATE_DIRS.iter().any(|d| path.starts_with(d)) {
            out.push(Diagnostic::warning(
                "path-location",
                format!(
                    "the template path {path:?} is not under {}, where WSL's validator expects it",
                    TEMPLATE_DIRS.join(" or ")
                ),
            ));
        }
    }
    if bytes.len() as u64 > MAX_ATTACHMENT_SIZE {
        out.push(Diagnostic::error(
            "too-large",
            format!(
                "the template is {} bytes; WSL reads at most {MAX_ATTACHMENT_SIZE} (1 MiB) and silently uses its default template instead",
                bytes.len()
            ),
        ));
        return out;
    }
    let json = match parse_template(bytes) {
        Ok(json) => json,
        Err(e) => {
            let mut d = Diagnostic::error(
                "wsl-rejects",
                format!("{}; {}", e.explain(), e.wsl_outcome()),
            );
            if let FragmentError::Parse(p) = &e {
                d = d.at_line(p.line);
            }
            out.push(d);
            return out;
        }
    };
    check_document(&json, true, &mut out);
    out
}

/// Checks a fragment file as Terminal reads it (no WSL stamping).
pub fn check_fragment(bytes: &[u8]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match crate::json::parse(bytes) {
        Ok(json @ Json::Object(_)) => check_document(&json, false, &mut out),
        Ok(other) => out.push(Diagnostic::error(
            "not-an-object",
            format!(
                "a fragment must be a JSON object, this is {}",
                other.type_phrase()
            ),
        )),
        Err(e) => out.push(Diagnostic::error("not-json", e.explain()).at_line(e.line)),
    }
    out
}

/// Terminal's rules on a parsed template (`stamped`: WSL will stamp its keys
/// on every profile) or fragment.
fn check_document(json: &Json, stamped: bool, out: &mut Vec<Diagnostic>) {
    let Json::Object(root) = json else { return };
    let mut defined_schemes = Vec::new();
    for (key, value) in root {
        match key.as_str() {
            "profiles" => {}
            "schemes" => check_schemes(value, &mut defined_schemes, out),
            "actions" => {}
            other => out.push(
                Diagnostic::warning(
                    "unknown-key",
                    format!("Terminal reads only \"profiles\", \"schemes\" and \"actions\" from a fragment; it ignores {other:?}"),
                )
                .at_path(other),
            ),
        }
    }
    let Some(Json::Array(profiles)) = root.get("profiles") else {
        if !stamped {
            return;
        }
        unreachable!("parse_template checked profiles")
    };
    for (index, entry) in profiles.iter().enumerate() {
        let at = format!("profiles[{index}]");
        let profile = match entry {
            Json::Object(profile) => profile,
            Json::Null if stamped => continue,
            other => {
                let message = if stamped {
                    FragmentError::EntryNotObject {
                        index,
                        found: other.type_name(),
                    }
                    .to_string()
                } else {
                    format!(
                        "a profile must be an object, this is {}",
                        other.type_phrase()
                    )
                };
                out.push(Diagnostic::error("not-an-object", message).at_path(at));
                continue;
            }
        };
        let updates = profile.contains_key("updates");
        if !stamped && !updates && !profile.contains_key("name") {
            out.push(
                Diagnostic::error(
                    "profile-needs-name",
                    "a new profile needs a \"name\" (or \"updates\": \"{guid}\" to change an existing one); Terminal skips it otherwise",
                )
                .at_path(at.clone()),
            );
        }
        for (key, value) in profile {
            let path = format!("{at}.{key}");
            if stamped && WSL_OWNED_KEYS.contains(&key.as_str()) && !updates {
                out.push(
                    Diagnostic::warning(
                        "wsl-overwrites",
                        format!(
                            "WSL overwrites {key:?} on every profile of the template; remove it"
                        ),
                    )
                    .at_path(path),
                );
                continue;
            }
            if FRAGMENT_KEYS.contains(&key.as_str()) {
                if key == "updates"
                    && !matches!(value, Json::String(s) if wslconst::Guid::parse(s).is_ok())
                {
                    out.push(
                        Diagnostic::error(
                            "wrong-type",
                            "\"updates\" must be a profile GUID string \"{...}\"",
                        )
                        .at_path(path),
                    );
                }
                continue;
            }
            check_profile_member(key, value, &path, out);
            match (key.as_str(), value) {
                ("colorScheme", Json::String(name))
                    if !defined_schemes.contains(name)
                        && !BUILTIN_SCHEMES.contains(&name.as_str()) =>
                {
                    out.push(
                            Diagnostic::warning(
                                "unknown-scheme",
                                format!("color scheme {name:?} is neither defined in this file's \"schemes\" nor built into Terminal; it works only where the user's settings define it"),
                            )
                            .at_path(path),
                        );
                }
                _ => {}
            }
        }
    }
}

/// Checks a profile entry of `settings.json` against Terminal's schema: every
/// key known, of the right type and, for enums, one of the allowed strings.
/// `guid`, `source` and `hidden` are profile keys like any other there.
///
/// ```
/// use wslconst_model::json::Json;
/// use wslconst_model::profile_template::check_settings_profile;
///
/// let profile = Json::Object([("cursorShape".to_owned(), Json::from("blok"))].into());
/// let found = check_settings_profile(&profile);
/// assert_eq!(found[0].path.as_deref(), Some("cursorShape"));
/// assert!(found[0].message.contains("is not one of bar"));
/// ```
pub fn check_settings_profile(profile: &Json) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match profile {
        Json::Object(members) => {
            for (key, value) in members {
                check_profile_member(key, value, key, &mut out);
            }
        }
        other => out.push(Diagnostic::error(
            "not-an-object",
            format!(
                "a profile must be an object, this is {}",
                other.type_phrase()
            ),
        )),
    }
    out
}

/// One member of a profile, and the members of its `font` and
/// `unfocusedAppearance` objects.
fn check_profile_member(key: &str, value: &Json, path: &str, out: &mut Vec<Diagnostic>) {
    check_key(SchemaObject::Profile, key, value, path, out);
    match (key, value) {
        ("font", Json::Object(font)) => {
            for (k, v) in font {
                check_key(SchemaObject::Font, k, v, &format!("{path}.{k}"), out);
            }
        }
        ("unfocusedAppearance", Json::Object(appearance)) => {
            for (k, v) in appearance {
                check_key(SchemaObject::Appearance, k, v, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

fn check_key(object: SchemaObject, key: &str, value: &Json, path: &str, out: &mut Vec<Diagnostic>) {
    match profile_schema::find(object, key) {
        Some(spec) => {
            if let Err(problem) = spec.check(value) {
                out.push(Diagnostic::error("wrong-type", problem).at_path(path));
            } else if spec.deprecated {
                out.push(
                    Diagnostic::warning(
                        "deprecated",
                        format!(
                            "{key:?} is deprecated in Terminal's schema{}",
                            replacement(key)
                        ),
                    )
                    .at_path(path),
                );
            }
        }
        None => out.push(unknown_key(object, key, path)),
    }
}

fn replacement(key: &str) -> &'static str {
    match key {
        "fontFace" => "; use \"font\": {\"face\": ...}",
        "fontSize" => "; use \"font\": {\"size\": ...}",
        "fontWeight" => "; use \"font\": {\"weight\": ...}",
        "acrylicOpacity" => "; use \"opacity\"",
        _ => "",
    }
}

fn unknown_key(object: SchemaObject, key: &str, path: &str) -> Diagnostic {
    let revision = profile_schema::SCHEMA_REVISION;
    match profile_schema::suggest(object, key) {
        Some(near) => Diagnostic::error(
            "unknown-key",
            format!("Terminal does not know {key:?} and silently ignores it; did you mean {near}?"),
        ),
        None => Diagnostic::warning(
            "unknown-key",
            format!(
                "{key:?} is not in Terminal's profile schema as read at microsoft/terminal {}; a Terminal that does not know it ignores it (a newer schema may have it: `wslconst pin` on a current checkout updates the key list)",
                &revision[..revision.len().min(12)]
            ),
        ),
    }
    .at_path(path)
}

fn check_schemes(value: &Json, defined: &mut Vec<String>, out: &mut Vec<Diagnostic>) {
    let Json::Array(schemes) = value else {
        out.push(
            Diagnostic::error(
                "wrong-type",
                format!(
                    "\"schemes\" must be an array, this is {}",
                    value.type_name()
                ),
            )
            .at_path("schemes"),
        );
        return;
    };
    for (index, scheme) in schemes.iter().enumerate() {
        let at = format!("schemes[{index}]");
        let Json::Object(map) = scheme else {
            out.push(Diagnostic::error("wrong-type", "a scheme must be an object").at_path(at));
            continue;
        };
        match map.get("name") {
            Some(Json::String(name)) if !name.is_empty() => defined.push(name.clone()),
            _ => out.push(
                Diagnostic::error(
                    "scheme-needs-name",
                    "a scheme needs a non-empty \"name\"; Terminal skips it otherwise",
                )
                .at_path(at.clone()),
            ),
        }
        let missing: Vec<&str> = SCHEME_COLORS
            .iter()
            .copied()
            .filter(|c| !map.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            out.push(
                Diagnostic::error(
                    "scheme-needs-colors",
                    format!(
                        "a scheme needs all of its colors; missing {}",
                        missing.join(", ")
                    ),
                )
                .at_path(at.clone()),
            );
        }
        for (key, value) in map {
            let path = format!("{at}.{key}");
            check_key(SchemaObject::Scheme, key, value, &path, out);
            if key != "name"
                && let Json::String(color) = value
                && !is_color(color)
            {
                out.push(
                    Diagnostic::error(
                        "bad-color",
                        format!("{color:?} is not a color; write #rgb or #rrggbb"),
                    )
                    .at_path(path),
                );
            }
        }
    }
}

/// `^#[A-Fa-f0-9]{3}(?:[A-Fa-f0-9]{3})?$`, the schema's `Color`.
pub fn is_color(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// A font weight: a name or an OpenType weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FontWeight {
    /// `normal`, `bold`, `semi-light`, ...
    Named(String),
    /// 100 to 990.
    Numeric(u16),
}

/// A color scheme definition to embed. Unknown color names are refused by
/// [`ProfileTemplateOptions::to_json`] (with a suggestion), not by serde, so the
/// error can name the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    /// The scheme's name, which profiles refer to.
    pub name: String,
    /// Color name (`background`, `brightBlue`, ...) to `#rrggbb`.
    #[serde(flatten)]
    pub colors: BTreeMap<String, String>,
}

/// Typed options for a profile template. Every field is optional; an empty
/// set renders WSL's own default template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProfileTemplateOptions {
    /// `font.face`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_face: Option<String>,
    /// `font.size` in points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_size: Option<f64>,
    /// `font.weight`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_weight: Option<FontWeight>,
    /// `colorScheme`; defaults to the embedded scheme's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color_scheme: Option<String>,
    /// A scheme to embed in the template's `schemes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// `cursorShape`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_shape: Option<String>,
    /// `opacity`, 0 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opacity: Option<u8>,
    /// `padding`, e.g. `"8, 8"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub padding: Option<String>,
    /// `startingDirectory`; WSL's own default is `~`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_directory: Option<String>,
    /// `tabTitle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_title: Option<String>,
    /// `tabColor`, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_color: Option<String>,
}

/// An option value Terminal would not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    /// The option, as in the JSON options file (`fontSize`, `scheme.red`, ...).
    pub option: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.option, self.message)
    }
}

impl std::error::Error for OptionsError {}

impl ProfileTemplateOptions {
    /// The template document.
    pub fn to_json(&self) -> Result<Json, OptionsError> {
        let err = |option: &str, message: String| OptionsError {
            option: option.to_owned(),
            message,
        };
        let mut profile = BTreeMap::new();
        let mut font = BTreeMap::new();
        if let Some(face) = &self.font_face {
            if face.trim().is_empty() {
                return Err(err("fontFace", "a font face cannot be empty".into()));
            }
            font.insert("face".to_owned(), Json::from(face.as_str()));
        }
        if let Some(size) = self.font_size {
            if !(size.is_finite() && size >= 1.0) {
                return Err(err(
                    "fontSize",
                    format!("{size} is not a size in points (at least 1)"),
                ));
            }
            font.insert(
                "size".to_owned(),
                if size.fract() == 0.0 && size < 1e15 {
                    Json::Unsigned(size as u64)
                } else {
                    Json::Float(size)
                },
            );
        }
        if let Some(weight) = &self.font_weight {
            let value = match weight {
                FontWeight::Named(name) => Json::from(name.as_str()),
                FontWeight::Numeric(n) if (100..=990).contains(n) => Json::Unsigned(u64::from(*n)),
                FontWeight::Numeric(n) => {
                    return Err(err(
                        "fontWeight",
                        format!("{n} is outside the OpenType range 100 to 990"),
                    ));
                }
            };
            schema_check(SchemaObject::Font, "weight", &value, "fontWeight")?;
            font.insert("weight".to_owned(), value);
        }
        if !font.is_empty() {
            profile.insert("font".to_owned(), Json::Object(font));
        }
        let scheme_name = self
            .color_scheme
            .clone()
            .or_else(|| self.scheme.as_ref().map(|s| s.name.clone()));
        if let Some(name) = scheme_name {
            profile.insert("colorScheme".to_owned(), Json::from(name));
        }
        for (option, key, value) in [
            ("cursorShape", "cursorShape", self.cursor_shape.as_deref()),
            ("padding", "padding", self.padding.as_deref()),
            (
                "startingDirectory",
                "startingDirectory",
                self.starting_directory.as_deref(),
            ),
            ("tabTitle", "tabTitle", self.tab_title.as_deref()),
            ("tabColor", "tabColor", self.tab_color.as_deref()),
        ] {
            if let Some(value) = value {
                let value = Json::from(value);
                schema_check(SchemaObject::Profile, key, &value, option)?;
                profile.insert(key.to_owned(), value);
            }
        }
        if let Some(color) = &self.tab_color
            && !is_color(color)
        {
            return Err(err(
                "tabColor",
                format!("{color:?} is not a color; write #rgb or #rrggbb"),
            ));
        }
        if let Some(opacity) = self.opacity {
            if opacity > 100 {
                return Err(err("opacity", format!("{opacity} is above 100")));
            }
            profile.insert("opacity".to_owned(), Json::Unsigned(u64::from(opacity)));
        }
        if !profile.contains_key("startingDirectory") {
            profile.insert("startingDirectory".to_owned(), Json::from("~"));
        }
        let mut root = BTreeMap::new();
        root.insert(
            "profiles".to_owned(),
            Json::Array(vec![Json::Object(profile)]),
        );
        if let Some(scheme) = &self.scheme {
            let mut map = BTreeMap::new();
            if scheme.name.is_empty() {
                return Err(err("scheme.name", "a scheme needs a non-empty name".into()));
            }
            map.insert("name".to_owned(), Json::from(scheme.name.as_str()));
            for (key, color) in &scheme.colors {
                if profile_schema::find(SchemaObject::Scheme, key).is_none() {
                    let hint = profile_schema::suggest(SchemaObject::Scheme, key)
                        .map(|s| format!("; did you mean {s}?"))
                        .unwrap_or_default();
                    return Err(err(
                        &format!("scheme.{key}"),
                        format!("not a scheme color{hint}"),
                    ));
                }
                if !is_color(color) {
                    return Err(err(
                        &format!("scheme.{key}"),
                        format!("{color:?} is not a color; write #rgb or #rrggbb"),
                    ));
                }
                map.insert(key.clone(), Json::from(color.as_str()));
            }
            let missing: Vec<&str> = SCHEME_COLORS
                .iter()
                .copied()
                .filter(|c| !map.contains_key(*c))
                .collect();
            if !missing.is_empty() {
                return Err(err(
                    "scheme",
                    format!(
                        "a scheme needs all of its colors; missing {}",
                        missing.join(", ")
                    ),
                ));
            }
            root.insert("schemes".to_owned(), Json::Array(vec![Json::Object(map)]));
        }
        Ok(Json::Object(root))
    }

    /// The template file: `dump(2)` plus a final newline.
    ///
    /// Twin: `profileTemplate` in nix/lib.nix (scripts/nix-vs-rust.py).
    pub fn render(&self) -> Result<String, OptionsError> {
        let mut text = self.to_json()?.dump(2);
        text.push('\n');
        Ok(text)
    }
}

fn schema_check(
    object: SchemaObject,
    key: &str,
    value: &Json,
    option: &str,
) -> Result<(), OptionsError> {
    match profile_schema::find(object, key) {
        Some(spec) => spec.check(value).map_err(|message| OptionsError {
            option: option.to_owned(),
            message,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<(&'static str, String)> {
        check(text.as_bytes(), None)
            .into_iter()
            .map(|d| (d.rule, d.path.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn wsl_rules() {
        assert_eq!(rules("{\"profiles\": [{}]}"), []);
        assert_eq!(rules("{\"profiles\": {}}")[0].0, "wsl-rejects");
        let comment = check(b"{\n  // c\n  \"profiles\": []\n}", None);
        assert_eq!(comment[0].line, Some(2));
        assert!(comment[0].message.contains("remove the comment"));
        let big = format!(
            "{{\"profiles\": [{{\"tabTitle\": \"{}\"}}]}}",
            "x".repeat(1 << 20)
        );
        assert_eq!(check(big.as_bytes(), None)[0].rule, "too-large");
        assert_eq!(
            check(b"{\"profiles\":[]}", Some("/usr/lib/wsl/../t.json"))[0].rule,
            "path-dotdot"
        );
        assert_eq!(
            check(b"{\"profiles\":[]}", Some("/etc/t.json"))[0].rule,
            "path-location"
        );
        assert!(check(b"{\"profiles\":[]}", Some("/usr/lib/wsl/t.json")).is_empty());
    }

    #[test]
    fn terminal_rules() {
        let got = rules(
            r##"{"profiles": [{"fontFce": "x", "cursorShape": "block", "name": "Mine", "font": {"sise": 3}, "fontFace": "F", "hidden": "yes", "colorScheme": "Nowhere", "completelyNovel": 1}],
                "schemes": [{"name": "S", "background": "black"}], "theme": "dark"}"##,
        );
        let want = [
            ("unknown-key", "theme"),
            ("bad-color", "schemes[0].background"),
            ("scheme-needs-colors", "schemes[0]"),
        ];
        for w in want {
            assert!(got.contains(&(w.0, w.1.to_owned())), "{w:?} in {got:?}");
        }
        for (rule, path) in [
            ("unknown-key", "profiles[0].fontFce"),
            ("wrong-type", "profiles[0].cursorShape"),
            ("wsl-overwrites", "profiles[0].name"),
            ("unknown-key", "profiles[0].font.sise"),
            ("deprecated", "profiles[0].fontFace"),
            ("wrong-type", "profiles[0].hidden"),
            ("unknown-scheme", "profiles[0].colorScheme"),
            ("unknown-key", "profiles[0].completelyNovel"),
        ] {
            assert!(
                got.contains(&(rule, path.to_owned())),
                "{rule} {path} in {got:?}"
            );
        }
        let novel = check(br#"{"profiles": [{"completelyNovel": 1}]}"#, None);
        assert_eq!(novel[0].severity, crate::diagnostic::Severity::Warning);
        let typo = check(br#"{"profiles": [{"fontFce": 1}]}"#, None);
        assert_eq!(typo[0].severity, crate::diagnostic::Severity::Error);
    }

    #[test]
    fn fragments_need_names_for_new_profiles() {
        let got = check_fragment(br#"{"profiles": [{"commandline": "x"}, {"updates": "{2c4de342-38b7-51cf-b940-2309a097f518}", "hidden": true}]}"#);
        let rules: Vec<_> = got.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["profile-needs-name"]);
    }

    fn full_scheme(name: &str) -> Scheme {
        Scheme {
            name: name.into(),
            colors: SCHEME_COLORS
                .iter()
                .map(|c| (c.to_string(), "#102030".to_string()))
                .collect(),
        }
    }

    #[test]
    fn rendered_templates_always_pass_the_check() {
        let options = [
            ProfileTemplateOptions::default(),
            ProfileTemplateOptions {
                font_face: Some("Fira Code \"Retina\"".into()),
                font_size: Some(10.5),
                font_weight: Some(FontWeight::Named("semi-bold".into())),
                scheme: Some(full_scheme("Nix ✨")),
                cursor_shape: Some("filledBox".into()),
                opacity: Some(95),
                padding: Some("8, 4".into()),
                starting_directory: Some("/home/nixos".into()),
                tab_title: Some("NixOS".into()),
                tab_color: Some("#7EBAE4".into()),
                ..Default::default()
            },
            ProfileTemplateOptions {
                font_weight: Some(FontWeight::Numeric(600)),
                color_scheme: Some("One Half Dark".into()),
                ..Default::default()
            },
        ];
        for o in options {
            let text = o.render().unwrap();
            assert_eq!(
                check(text.as_bytes(), Some("/usr/lib/wsl/terminal-profile.json")),
                [],
                "{text}"
            );
        }
    }

    #[test]
    fn bad_options_are_refused_with_the_option_named() {
        let cases = [
            (
                ProfileTemplateOptions {
                    cursor_shape: Some("block".into()),
                    ..Default::default()
                },
                "cursorShape",
            ),
            (
                ProfileTemplateOptions {
                    font_size: Some(0.0),
                    ..Default::default()
                },
                "fontSize",
            ),
            (
                ProfileTemplateOptions {
                    font_weight: Some(FontWeight::Named("heavy".into())),
                    ..Default::default()
                },
                "fontWeight",
            ),
            (
                ProfileTemplateOptions {
                    tab_color: Some("blue".into()),
                    ..Default::default()
                },
                "tabColor",
            ),
            (
                ProfileTemplateOptions {
                    opacity: Some(101),
                    ..Default::default()
                },
                "opacity",
            ),
            (
                ProfileTemplateOptions {
                    scheme: Some(Scheme {
                        name: "S".into(),
                        colors: [("bleu".to_string(), "#000".to_string())].into(),
                    }),
                    ..Default::default()
                },
                "scheme.bleu",
            ),
            (
                ProfileTemplateOptions {
                    scheme: Some(Scheme {
                        name: "S".into(),
                        colors: [("blue".to_string(), "#000".to_string())].into(),
                    }),
                    ..Default::default()
                },
                "scheme",
            ),
        ];
        for (options, option) in cases {
            assert_eq!(options.to_json().unwrap_err().option, option);
        }
    }
}
