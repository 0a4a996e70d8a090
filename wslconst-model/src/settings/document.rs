//! A settings file held as a concrete syntax tree, with the checks every edit
//! must pass before its result may be written.

use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstArray, CstInputValue, CstNode, CstObject, CstObjectProp, CstRootNode};

use super::SettingsError;
use wslconst::Guid;

const BOM: char = '\u{feff}';

/// What Terminal's reader (jsoncpp, as Terminal configures it) accepts:
/// comments and trailing commas, and nothing else beyond JSON. The JSON5
/// extensions the parser offers (single quotes, hex numbers, bare keys, ...)
/// are refused because Terminal would refuse the file.
pub fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub(super) struct Document {
    root: CstRootNode,
    bom: bool,
    comments: Vec<String>,
    /// Comments an edit removes on purpose, with the profile that held them.
    removed: Vec<String>,
}

impl Document {
    pub(super) fn parse(text: &str) -> Result<Document, SettingsError> {
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(body) => (true, body),
            None => (false, text),
        };
        let root = parse_tree(body)?;
        if root.value().is_none() {
            return Err(SettingsError::Shape(
                "the file holds no JSON value; start Terminal once so it writes its settings, then run this again".into(),
            ));
        }
        let comments = comments_of(&root);
        Ok(Document {
            root,
            bom,
            comments,
            removed: Vec::new(),
        })
    }

    pub(super) fn root_object(&self) -> Result<CstObject, SettingsError> {
        self.root.object_value().ok_or_else(|| {
            SettingsError::Shape(
                "the top level is not an object, so this is not a Terminal settings file".into(),
            )
        })
    }

    /// The profile list: `profiles.list`, or `profiles` itself when it is a
    /// bare array (the older form Terminal still reads). With `create`, a
    /// missing `profiles` or `list` is added.
    pub(super) fn profile_list(&self, create: bool) -> Result<Option<CstArray>, SettingsError> {
        let root = self.root_object()?;
        let Some(profiles) = unique_member(&root, "profiles", "the top level")? else {
            if !create {
                return Ok(None);
            }
            let prop = root.append(
                "profiles",
                CstInputValue::Object(vec![("list".into(), CstInputValue::Array(Vec::new()))]),
            );
            return Ok(prop.object_value().and_then(|o| o.array_value("list")));
        };
        if let Some(list) = profiles.array_value() {
            return Ok(Some(list));
        }
        let Some(object) = profiles.object_value() else {
            return Err(SettingsError::Shape(
                "\"profiles\" is neither an object nor an array; Terminal cannot read its profiles"
                    .into(),
            ));
        };
        match unique_member(&object, "list", "\"profiles\"")? {
            Some(list) => list.array_value().map(Some).ok_or_else(|| {
                SettingsError::Shape(
                    "\"profiles\".\"list\" is not an array; Terminal cannot read its profiles"
                        .into(),
                )
            }),
            None if create => Ok(Some(object.array_value_or_set("list"))),
            None => Ok(None),
        }
    }

    /// `defaultProfile`, when it is a GUID.
    pub(super) fn default_profile(&self) -> Result<Option<Guid>, SettingsError> {
        let root = self.root_object()?;
        Ok(unique_member(&root, "defaultProfile", "the top level")?
            .and_then(|p| p.value())
            .and_then(|v| v.as_string_lit())
            .and_then(|s| s.decoded_value().ok())
            .and_then(|s| Guid::parse(&s).ok()))
    }

    /// Records comments that go with a removed profile ([`owned_comments`]).
    pub(super) fn removes_comments(&mut self, comments: &[String]) {
        self.removed.extend_from_slice(comments);
    }

    /// The edited text, after checking it parses and still holds every
    /// comment of the original but those removed with their profile.
    pub(super) fn finish(&self) -> Result<String, SettingsError> {
        let body = self.root.to_string();
        let reparsed = parse_tree(&body)
            .map_err(|e| SettingsError::Unsafe(format!("the edited text does not parse ({e})")))?;
        let mut remaining = comments_of(&reparsed);
        let mut kept = self.comments.clone();
        for comment in &self.removed {
            if let Some(i) = kept.iter().position(|c| c == comment) {
                kept.swap_remove(i);
            }
        }
        for comment in &kept {
            match remaining.iter().position(|c| c == comment) {
                Some(i) => {
                    remaining.swap_remove(i);
                }
                None => {
                    return Err(SettingsError::Unsafe(format!(
                        "the edit would lose the comment {comment:?}"
                    )));
                }
            }
        }
        Ok(if self.bom {
            format!("{BOM}{body}")
        } else {
            body
        })
    }
}

/// The JSON value of a settings text (comments and trailing commas allowed,
/// a BOM skipped), as Terminal reads it.
pub fn read_value(text: &str) -> Result<serde_json::Value, SettingsError> {
    let body = text.strip_prefix(BOM).unwrap_or(text);
    parse_tree(body)?
        .value()
        .and_then(|v| v.to_serde_value())
        .ok_or_else(|| SettingsError::Shape("the file holds no JSON value".into()))
}

/// Every member named `key`, in order. jsoncpp keeps the last of duplicate
/// keys, so that is the one Terminal reads.
pub(super) fn members(object: &CstObject, key: &str) -> Vec<CstObjectProp> {
    object
        .properties()
        .into_iter()
        .filter(|p| p.decoded_name().as_deref() == Some(key))
        .collect()
}

/// The member `key` of `object`, refusing duplicates: Terminal reads the
/// last, an editor would likely change the first.
pub(super) fn unique_member(
    object: &CstObject,
    key: &str,
    place: &str,
) -> Result<Option<CstObjectProp>, SettingsError> {
    let mut found = object
        .properties()
        .into_iter()
        .filter(|p| p.decoded_name().as_deref() == Some(key));
    let first = found.next();
    if found.next().is_some() {
        return Err(SettingsError::Shape(format!(
            "{key:?} appears more than once in {place}; Terminal reads only the last one. Merge them by hand, then run this again"
        )));
    }
    Ok(first)
}

fn parse_tree(text: &str) -> Result<CstRootNode, SettingsError> {
    CstRootNode::parse(text, &parse_options()).map_err(|e| SettingsError::Parse {
        line: e.line_display(),
        column: e.column_display(),
        message: e.kind().to_string(),
    })
}

fn comments_of(root: &CstRootNode) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<CstNode> = root.children();
    while let Some(node) = stack.pop() {
        if let Some(comment) = node.as_comment() {
            out.push(comment.raw_value());
        }
        stack.extend(node.children());
    }
    out
}

/// Whether removing or replacing `node` would take a comment with it, or
/// leave one stranded: one inside it, one sharing its line, or one between
/// it and its comma on a later line (the tree removes a node together with
/// its comma and whatever lies between them).
pub(super) fn holds_comment(node: &CstNode) -> bool {
    fn inside(node: &CstNode) -> bool {
        node.is_comment() || node.children().iter().any(inside)
    }
    let same_line = |siblings: &mut dyn Iterator<Item = CstNode>| {
        siblings
            .take_while(|n| !n.is_newline())
            .any(|n| n.is_comment())
    };
    inside(node)
        || same_line(&mut node.previous_siblings())
        || same_line(&mut node.next_siblings())
        || comment_before_comma(node)
}

/// The comments that go when `node` (an element of the profile list) is
/// removed, as the tree removes it: with its comma, the blanks before it on
/// its first line and whatever follows it to the end of its last line. Those
/// are the comments inside it, before it on its own first line, and after it
/// (and its comma) on its last line: Terminal's old default settings put one
/// inside every profile. `Err` names a comment whose profile is ambiguous: one
/// between the previous element and this one on a shared line, between this
/// one and the next on a shared line, or between this one and its comma on a
/// later line.
pub(super) fn owned_comments(node: &CstNode) -> Result<Vec<String>, String> {
    fn inside(node: &CstNode, out: &mut Vec<String>) {
        if let Some(c) = node.as_comment() {
            out.push(c.raw_value());
        }
        for child in node.children() {
            inside(&child, out);
        }
    }
    let mut owned = Vec::new();
    inside(node, &mut owned);
    let mut before = Vec::new();
    for previous in node.previous_siblings() {
        if previous.is_newline() {
            break;
        }
        if let Some(c) = previous.as_comment() {
            before.push(c.raw_value());
        } else if !previous.is_whitespace() {
            if let Some(c) = before.last() {
                return Err(format!(
                    "the comment {c} stands between it and the entry before it on one line, and may belong to either"
                ));
            }
            break;
        }
    }
    owned.extend(before);
    let has_comma = node.trailing_comma().is_some();
    let (mut comma_seen, mut newline_before_comma) = (false, false);
    let mut after = Vec::new();
    for next in node.next_siblings() {
        if next.is_newline() {
            if comma_seen || !has_comma {
                break;
            }
            newline_before_comma = true;
        } else if next.is_comma() {
            // A comma on a later line (a leading-comma layout): the tree
            // removes up to it and keeps what follows on its line.
            if newline_before_comma {
                break;
            }
            comma_seen = true;
        } else if let Some(c) = next.as_comment() {
            if newline_before_comma && !comma_seen {
                return Err(format!(
                    "the comment {} stands between it and its comma, on a later line",
                    c.raw_value()
                ));
            }
            after.push(c.raw_value());
        } else if !next.is_whitespace() {
            if let Some(c) = after.last() {
                return Err(format!(
                    "the comment {c} stands between it and what follows it on one line (the next entry, or the list's end), and may belong to either"
                ));
            }
            break;
        }
    }
    owned.extend(after);
    Ok(owned)
}

/// Runs `insert`, an insertion into `container`, keeping a container that
/// was on one line on one line: the tree lays a new member out over several
/// lines, its own way, so every line break it added inside the container goes
/// again, with the indentation after it, as one space (none in a file that
/// writes no spaces between members, as a minified one).
pub(super) fn keep_one_line<T>(container: &CstNode, insert: impl FnOnce() -> T) -> T {
    let before = container.to_string();
    let result = insert();
    // A bare CR is a line break too, and ends a // comment.
    if before.contains('\n') || before.contains('\r') {
        return result;
    }
    // The file's own spacing: after a comma, after an opening bracket, and
    // before a closing one.
    let spaced = |pattern: &str| if before.contains(pattern) { " " } else { "" };
    let mut stack = vec![container.clone()];
    let mut newlines = Vec::new();
    while let Some(node) = stack.pop() {
        if node.is_newline() {
            newlines.push(node.clone());
        }
        stack.extend(node.children());
    }
    for newline in newlines {
        // The break that ends a // comment stays (never true of a container
        // that was on one line, which cannot hold one before its end).
        if newline
            .previous_sibling()
            .and_then(|n| n.as_comment())
            .is_some_and(|c| c.is_line_comment())
        {
            continue;
        }
        let previous = newline.previous_sibling().map(|n| n.to_string());
        let indent = newline.next_sibling().filter(CstNode::is_whitespace);
        let after = indent
            .as_ref()
            .and_then(CstNode::next_sibling)
            .map(|n| n.to_string());
        let space = match (previous.as_deref(), after.as_deref()) {
            (Some("{"), _) => spaced("{ "),
            (Some("["), _) => spaced("[ "),
            (_, Some("}")) => spaced(" }"),
            (_, Some("]")) => spaced(" ]"),
            _ => spaced(", "),
        };
        if let Some(whitespace) = indent.and_then(|n| n.as_whitespace()) {
            whitespace.set_value(space.to_owned());
        }
        newline.remove();
    }
    result
}

fn comment_before_comma(node: &CstNode) -> bool {
    for next in node.next_siblings() {
        if next.is_comment() {
            return true;
        }
        if !(next.is_whitespace() || next.is_newline()) {
            return false;
        }
    }
    false
}

/// The string member `key` of `object`.
pub(super) fn string_value(object: &CstObject, key: &str) -> Option<String> {
    members(object, key)
        .pop()?
        .value()?
        .as_string_lit()?
        .decoded_value()
        .ok()
}

/// `the profile "NixOS" ({guid})`, for messages.
pub(super) fn describe_profile(profile: &CstObject) -> String {
    match (string_value(profile, "name"), string_value(profile, "guid")) {
        (Some(name), Some(guid)) => format!("the profile {name:?} ({guid})"),
        (None, Some(guid)) => format!("the profile {guid}"),
        (Some(name), None) => format!("the profile {name:?}"),
        (None, None) => "a profile without name or guid".into(),
    }
}
