//! A profile to add or update, keyed by its GUID.

use jsonc_parser::cst::{CstInputValue, CstNode, CstRootNode};
use serde_json::Value;

use super::SettingsError;
use super::document::parse_options;
use crate::diagnostic::Diagnostic;
use crate::json::Json;
use wslconst::Guid;

/// A Terminal profile entry: its GUID and the keys to set, in the order they
/// are written when the entry is new.
#[derive(Clone, Debug)]
pub struct ProfileEntry {
    guid: Guid,
    members: Vec<(String, CstInputValue)>,
}

impl ProfileEntry {
    /// An entry with only a GUID.
    pub fn new(guid: Guid) -> ProfileEntry {
        ProfileEntry {
            guid,
            members: Vec::new(),
        }
    }

    /// Sets `key` (replacing an earlier value of it). `"guid"` is the entry's
    /// identity and cannot be set this way.
    ///
    /// # Panics
    ///
    /// When `key` is `"guid"`.
    pub fn with(mut self, key: &str, value: Value) -> ProfileEntry {
        assert_ne!(key, "guid", "the GUID is given to ProfileEntry::new");
        let value = input_of(&value);
        match self.members.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.members.push((key.to_owned(), value)),
        }
        self
    }

    /// Reads a profile object (JSON, comments allowed) with a `"guid"`.
    /// Keys keep their order.
    pub fn from_json_text(text: &str) -> Result<ProfileEntry, SettingsError> {
        ProfileEntry::from_json_text_for(text, None)
    }

    /// Reads a profile object whose GUID may also be given apart (when the
    /// caller computed it, e.g. from a distro name): the object's `"guid"`,
    /// when it has one, must be the same.
    pub fn from_json_text_for(
        text: &str,
        guid: Option<Guid>,
    ) -> Result<ProfileEntry, SettingsError> {
        let entry = ProfileEntry::parse_object(text, guid.is_some())?;
        match (entry.guid, guid) {
            (Some(found), Some(given)) if found != given => Err(SettingsError::Shape(format!(
                "the profile's \"guid\" {found} is not {given}, the profile named on the command line"
            ))),
            (_, Some(given)) => Ok(ProfileEntry {
                guid: given,
                members: entry.members,
            }),
            (Some(found), None) => Ok(ProfileEntry {
                guid: found,
                members: entry.members,
            }),
            (None, None) => unreachable!("parse_object requires a guid here"),
        }
    }

    fn parse_object(text: &str, guid_given: bool) -> Result<ParsedObject, SettingsError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let root =
            CstRootNode::parse(text, &parse_options()).map_err(|e| SettingsError::Parse {
                line: e.line_display(),
                column: e.column_display(),
                message: e.kind().to_string(),
            })?;
        let object = root
            .object_value()
            .ok_or_else(|| SettingsError::Shape("a profile must be a JSON object".into()))?;
        let mut guid = None;
        let mut members: Vec<(String, CstInputValue)> = Vec::new();
        for prop in object.properties() {
            let (Some(key), Some(value)) = (prop.decoded_name(), prop.value()) else {
                continue;
            };
            if members.iter().any(|(k, _)| *k == key) || (key == "guid" && guid.is_some()) {
                return Err(SettingsError::Shape(format!(
                    "the profile has {key:?} twice; keep one"
                )));
            }
            if key == "guid" {
                let text = value.as_string_lit().and_then(|s| s.decoded_value().ok());
                guid = Some(text.as_deref().and_then(|s| Guid::parse(s).ok()).ok_or_else(|| {
                    SettingsError::Shape(format!(
                        "the profile's \"guid\" must be a GUID string like \"{{2c4de342-38b7-51cf-b940-2309a097f518}}\", found {value}"
                    ))
                })?);
                continue;
            }
            members.push((key, input_of_node(&value)));
        }
        if guid.is_none() && !guid_given {
            return Err(SettingsError::Shape(
                "the profile has no \"guid\"; wslconst finds the entry to update by it (give it, or name the profile with --distro or --guid)".into(),
            ));
        }
        Ok(ParsedObject { guid, members })
    }

    /// The GUID.
    pub fn guid(&self) -> Guid {
        self.guid
    }

    /// The keys to set, in order.
    pub fn members(&self) -> impl Iterator<Item = (&str, &CstInputValue)> {
        self.members.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The whole entry, `"guid"` first, as written when it is new.
    pub fn to_input(&self) -> CstInputValue {
        let mut members = vec![(
            "guid".to_owned(),
            CstInputValue::String(self.guid.to_string()),
        )];
        members.extend(self.members.iter().cloned());
        CstInputValue::Object(members)
    }

    /// The whole entry as a JSON value.
    pub fn to_value(&self) -> Value {
        value_of(&self.to_input())
    }

    /// Checks the keys and value types against Terminal's profile schema
    /// ([`crate::profile_schema`]): a misspelled key, a wrong type or a
    /// string outside an enum is an error.
    pub fn check(&self) -> Vec<Diagnostic> {
        crate::profile_template::check_settings_profile(&Json::from(&self.to_value()))
    }

    /// `"NixOS" ({guid})` or `{guid}`, for messages.
    pub fn describe(&self) -> String {
        match self.members.iter().find(|(k, _)| k == "name") {
            Some((_, CstInputValue::String(name))) => format!("{name:?} ({})", self.guid),
            _ => self.guid.to_string(),
        }
    }
}

/// A profile object as read, before its GUID is settled.
struct ParsedObject {
    guid: Option<Guid>,
    members: Vec<(String, CstInputValue)>,
}

/// A JSON value as the tree inserts it. Objects keep `serde_json`'s key order.
fn input_of(value: &Value) -> CstInputValue {
    match value {
        Value::Null => CstInputValue::Null,
        Value::Bool(b) => CstInputValue::Bool(*b),
        Value::Number(n) => CstInputValue::Number(n.to_string()),
        Value::String(s) => CstInputValue::String(s.clone()),
        Value::Array(items) => CstInputValue::Array(items.iter().map(input_of).collect()),
        Value::Object(map) => {
            CstInputValue::Object(map.iter().map(|(k, v)| (k.clone(), input_of(v))).collect())
        }
    }
}

/// A parsed value as the tree inserts it, keys in the order written.
fn input_of_node(node: &CstNode) -> CstInputValue {
    if let Some(object) = node.as_object() {
        return CstInputValue::Object(
            object
                .properties()
                .into_iter()
                .filter_map(|p| Some((p.decoded_name()?, input_of_node(&p.value()?))))
                .collect(),
        );
    }
    if let Some(array) = node.as_array() {
        return CstInputValue::Array(array.elements().iter().map(input_of_node).collect());
    }
    if let Some(number) = node.as_number_lit() {
        return CstInputValue::Number(number.to_string());
    }
    // Strings, booleans and null: the tree's own conversion is exact for them.
    input_of(&node.to_serde_value().unwrap_or(Value::Null))
}

/// The JSON value of an input, for comparing with what a file holds.
pub(super) fn value_of(input: &CstInputValue) -> Value {
    match input {
        CstInputValue::Null => Value::Null,
        CstInputValue::Bool(b) => Value::Bool(*b),
        CstInputValue::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
        CstInputValue::String(s) => Value::String(s.clone()),
        CstInputValue::Array(items) => Value::Array(items.iter().map(value_of).collect()),
        CstInputValue::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), value_of(v)))
                .collect(),
        ),
    }
}
