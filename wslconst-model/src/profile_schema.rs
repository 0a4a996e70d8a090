//! Terminal's profile keys, typed, from `doc/cascadia/profiles.schema.json`.
//!
//! build.rs reads the schema from the Terminal tree in `WSLCONST_TERMINAL_SRC`
//! (and fails the build when it drifted from the pin file), else the summary in
//! `upstream-pin.json` (see `wslconst_upstream::schema`), and generates the tables
//! below.
//!
//! ```
//! use wslconst_model::json::Json;
//! use wslconst_model::profile_schema::{find, SchemaObject};
//!
//! let shape = find(SchemaObject::Profile, "cursorShape").unwrap();
//! assert!(shape.check(&Json::from("bar")).is_ok());
//! assert_eq!(
//!     shape.check(&Json::from("block")).unwrap_err(),
//!     "\"block\" is not one of bar, doubleUnderscore, emptyBox, filledBox, underscore, vintage"
//! );
//! assert!(find(SchemaObject::Profile, "fontFce").is_none());
//! ```

use std::fmt;

use crate::json::Json;

/// A JSON Schema type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    /// `string`.
    String,
    /// `number`: any number.
    Number,
    /// `integer`: a number without a fraction.
    Integer,
    /// `boolean`.
    Boolean,
    /// `object`.
    Object,
    /// `array`.
    Array,
    /// `null`.
    Null,
}

impl JsonType {
    /// Whether `value` is of this type.
    pub fn admits(self, value: &Json) -> bool {
        match (self, value) {
            (JsonType::String, Json::String(_)) => true,
            (JsonType::Number, Json::Integer(_) | Json::Unsigned(_) | Json::Float(_)) => true,
            (JsonType::Integer, Json::Integer(_) | Json::Unsigned(_)) => true,
            (JsonType::Integer, Json::Float(f)) => f.fract() == 0.0,
            (JsonType::Boolean, Json::Bool(_)) => true,
            (JsonType::Object, Json::Object(_)) => true,
            (JsonType::Array, Json::Array(_)) => true,
            (JsonType::Null, Json::Null) => true,
            _ => false,
        }
    }

    /// The schema's name for it.
    pub const fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Null => "null",
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One key of a Terminal settings object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// The key.
    pub name: &'static str,
    /// Allowed types; empty means any.
    pub types: &'static [JsonType],
    /// When strings are restricted: the allowed strings.
    pub enum_values: &'static [&'static str],
    /// Whether the schema marks it deprecated.
    pub deprecated: bool,
}

impl KeySpec {
    /// Checks a value's type and, for strings, the enum.
    pub fn check(&self, value: &Json) -> Result<(), String> {
        if !self.types.is_empty() && !self.types.iter().any(|t| t.admits(value)) {
            let allowed: Vec<&str> = self.types.iter().map(|t| t.name()).collect();
            return Err(format!(
                "{} is {}, expected {}",
                short(value),
                value.type_name(),
                allowed.join(" or ")
            ));
        }
        if let Json::String(s) = value
            && !self.enum_values.is_empty()
            && !self.enum_values.contains(&s.as_str())
        {
            return Err(format!(
                "{s:?} is not one of {}",
                self.enum_values.join(", ")
            ));
        }
        Ok(())
    }
}

fn short(value: &Json) -> String {
    let text = value.dump(0).replace('\n', "");
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(37).collect::<String>())
    } else {
        text
    }
}

/// The colors every scheme must define: Terminal's 16-color table plus
/// foreground and background (`cursorColor` and `selectionBackground` have
/// defaults).
pub const SCHEME_COLORS: [&str; 18] = [
    "background",
    "foreground",
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "purple",
    "cyan",
    "white",
    "brightBlack",
    "brightRed",
    "brightGreen",
    "brightYellow",
    "brightBlue",
    "brightPurple",
    "brightCyan",
    "brightWhite",
];

include!(concat!(env!("OUT_DIR"), "/profile_schema.rs"));

/// The settings objects whose keys are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaObject {
    /// A profile (`$defs/Profile`).
    Profile,
    /// A profile's `font` (`$defs/FontConfig`).
    Font,
    /// A profile's `unfocusedAppearance` (`$defs/AppearanceConfig`).
    Appearance,
    /// A color scheme (`$defs/SchemeList/items`).
    Scheme,
}

impl SchemaObject {
    /// Its keys, sorted.
    pub fn keys(self) -> &'static [KeySpec] {
        match self {
            SchemaObject::Profile => PROFILE,
            SchemaObject::Font => FONT,
            SchemaObject::Appearance => APPEARANCE,
            SchemaObject::Scheme => SCHEME,
        }
    }
}

/// The spec of `key` in `object`.
pub fn find(object: SchemaObject, key: &str) -> Option<&'static KeySpec> {
    object.keys().iter().find(|k| k.name == key)
}

/// The known key nearest to a misspelled one.
pub fn suggest(object: SchemaObject, key: &str) -> Option<&'static str> {
    crate::suggest::nearest(key, object.keys().iter().map(|k| k.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_the_keys_wslconst_relies_on() {
        for key in [
            "name",
            "guid",
            "commandline",
            "icon",
            "startingDirectory",
            "font",
            "colorScheme",
            "hidden",
            "unfocusedAppearance",
        ] {
            assert!(find(SchemaObject::Profile, key).is_some(), "{key}");
        }
        for key in ["face", "size", "weight"] {
            assert!(find(SchemaObject::Font, key).is_some(), "{key}");
        }
        for key in SCHEME_COLORS {
            assert!(find(SchemaObject::Scheme, key).is_some(), "{key}");
        }
        assert!(find(SchemaObject::Profile, "fontFace").unwrap().deprecated);
    }

    #[test]
    fn types_and_enums() {
        let weight = find(SchemaObject::Font, "weight").unwrap();
        assert!(weight.check(&Json::from("bold")).is_ok());
        assert!(weight.check(&Json::Unsigned(600)).is_ok());
        assert!(weight.check(&Json::Float(600.5)).is_err());
        let starting = find(SchemaObject::Profile, "startingDirectory").unwrap();
        assert!(starting.check(&Json::Null).is_ok());
        assert_eq!(
            starting.check(&Json::Bool(true)).unwrap_err(),
            "true is boolean, expected null or string"
        );
        assert_eq!(
            suggest(SchemaObject::Profile, "colourScheme"),
            Some("colorScheme")
        );
    }
}
