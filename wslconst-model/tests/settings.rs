//! `wslconst_model::settings` on a corpus of hand-written settings.json and
//! state.json files (`tests/settings-corpus`): for every operation on every
//! file, the result parses, holds exactly the intended value, differs from
//! the original only inside the edited node, keeps every comment, is a no-op
//! the second time, and on disk leaves a backup equal to the original.
//!
//! The checks here do not use the editor's own notion of nodes: node ranges
//! come from jsonc-parser's AST, comments from a scanner of this file, and
//! the intended value from editing `serde_json::Value`s.

use std::path::{Path, PathBuf};

use jsonc_parser::ast::{self, Value as Ast};
use jsonc_parser::common::Ranged;
use serde_json::{Value, json};
use wslconst::{DistributionId, Guid, tier1};
use wslconst_model::settings::{
    FileKind, Operation, ProfileEntry, ProfileMatch, edit, edit_file, parse_options, read_value,
};

fn corpus() -> Vec<(String, FileKind, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/settings-corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let kind = if name.ends_with(".state.json") {
                FileKind::State
            } else {
                FileKind::Settings
            };
            (name, kind, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The comments of a text, by a scanner that knows only strings and the two
/// comment forms.
fn comments(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find(['\n', '\r']).map_or(text.len(), |n| i + n);
                out.push((i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |n| i + 2 + n + 2);
                out.push((i, end));
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

fn comment_texts(text: &str) -> Vec<&str> {
    let mut texts: Vec<&str> = comments(text)
        .into_iter()
        .map(|(a, b)| &text[a..b])
        .collect();
    texts.sort_unstable();
    texts
}

/// The comments that go with the element at `[start, end)` when it is
/// removed, by text alone: those inside it, those before it on its first
/// line with only blanks before them, and those after it (and its comma) on
/// its last line when nothing else follows there; `None` when a comment's
/// owner is ambiguous (another entry on the same line, or a comment between
/// the element and its comma on a later line).
fn owned_comments(text: &str, start: usize, end: usize) -> Option<Vec<String>> {
    let all = comments(text);
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
    let mut owned: Vec<String> = Vec::new();
    // What is left of a span once its comments are blanked out.
    let bare = |from: usize, to: usize| -> String {
        let mut t: Vec<u8> = text.as_bytes()[from..to].to_vec();
        for &(a, b) in &all {
            if a >= from && b <= to {
                t[a - from..b - from].fill(b' ');
            }
        }
        String::from_utf8_lossy(&t).into_owned()
    };
    for &(a, b) in &all {
        let on_first_line = a >= line_start && b <= start;
        let inside = a >= start && b <= end;
        let on_last_line = a >= end && b <= line_end;
        if inside {
            owned.push(text[a..b].to_owned());
        } else if on_first_line && bare(b, start).trim().is_empty() {
            // Right before the element: its own, unless an entry precedes it.
            if !bare(line_start, a).trim().is_empty() {
                return None;
            }
            owned.push(text[a..b].to_owned());
        } else if on_last_line
            && bare(end, a)
                .trim()
                .trim_start_matches(',')
                .trim()
                .is_empty()
        {
            // Right after the element (and its comma): its own, unless an
            // entry or the list's `]` follows on the line.
            if !bare(b, line_end).trim().is_empty() {
                return None;
            }
            owned.push(text[a..b].to_owned());
        }
    }
    // A comment between the element and a comma on a later line.
    let after = bare(end, text.len());
    let next = after.trim_start();
    if !bare(end, line_end).contains(',') && next.starts_with(',') {
        let comma = end + (after.len() - next.len());
        if all.iter().any(|&(a, _)| a > end && a < comma) {
            return None;
        }
    }
    Some(owned)
}

/// The AST of a text (after a BOM), with offsets into the whole text.
struct Tree<'a> {
    offset: usize,
    root: Ast<'a>,
}

fn tree(text: &str) -> Tree<'_> {
    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let parsed =
        jsonc_parser::parse_to_ast(&text[offset..], &Default::default(), &parse_options()).unwrap();
    Tree {
        offset,
        root: parsed.value.unwrap(),
    }
}

impl<'a> Tree<'a> {
    fn object(&self) -> &ast::Object<'a> {
        match &self.root {
            Ast::Object(o) => o,
            _ => panic!("not an object"),
        }
    }

    fn member(object: &'a ast::Object<'a>, key: &str) -> Option<&'a Ast<'a>> {
        object
            .properties
            .iter()
            .find(|p| p.name.as_str() == key)
            .map(|p| &p.value)
    }

    /// The profile list, when there is one.
    fn profile_list(&'a self) -> Option<&'a ast::Array<'a>> {
        match Self::member(self.object(), "profiles")? {
            Ast::Array(a) => Some(a),
            Ast::Object(o) => match Self::member(o, "list")? {
                Ast::Array(a) => Some(a),
                _ => None,
            },
            _ => None,
        }
    }

    fn span(&self, node: &impl Ranged) -> (usize, usize) {
        (node.start() + self.offset, node.end() + self.offset)
    }

    /// Where an element may change when it is removed: from the end of the
    /// element before it (or the bracket) to the start of the one after (or
    /// the bracket).
    fn removal_region(&self, array: &ast::Array<'_>, index: usize) -> (usize, usize) {
        let start = match index {
            0 => array.start() + 1,
            i => array.elements[i - 1].end(),
        };
        let end = array
            .elements
            .get(index + 1)
            .map_or(array.end() - 1, |e| e.start());
        (start + self.offset, end + self.offset)
    }

    /// Where an element may be appended: after the last element (or the
    /// bracket) up to the closing bracket.
    fn append_region(&self, array: &ast::Array<'_>) -> (usize, usize) {
        let start = array.elements.last().map_or(array.start() + 1, |e| e.end());
        (start + self.offset, array.end() - 1 + self.offset)
    }

    /// Where a new member of the root object may go: anywhere in it.
    fn root_inside(&self) -> (usize, usize) {
        let (a, b) = self.span(self.object());
        (a + 1, b - 1)
    }
}

fn string_of<'a>(object: &'a ast::Object<'a>, key: &str) -> Option<&'a str> {
    match Tree::member(object, key)? {
        Ast::StringLit(s) => Some(s.value.as_ref()),
        _ => None,
    }
}

/// Checks that `after` is `before` with only the bytes inside `regions`
/// replaced: the pieces between the regions appear in order, the first at
/// the start and the last at the end.
fn assert_only_regions_changed(before: &str, after: &str, regions: &[(usize, usize)], what: &str) {
    if regions.is_empty() {
        assert_eq!(before, after, "{what}: nothing may change");
        return;
    }
    let mut regions = regions.to_vec();
    regions.sort_unstable();
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(start, end) in &regions {
        assert!(start >= at, "{what}: overlapping regions {regions:?}");
        pieces.push(&before[at..start]);
        at = end;
    }
    pieces.push(&before[at..]);
    assert!(
        after.starts_with(pieces[0]),
        "{what}: the text before the edit changed:\n{after}"
    );
    assert!(
        after.ends_with(pieces[pieces.len() - 1]),
        "{what}: the text after the edit changed:\n{after}"
    );
    let mut cursor = pieces[0].len();
    for piece in &pieces[1..pieces.len() - 1] {
        match after[cursor..].find(piece) {
            Some(n) => cursor += n + piece.len(),
            None => panic!("{what}: the untouched text {piece:?} is gone:\n{after}"),
        }
    }
    assert!(
        cursor <= after.len() - pieces[pieces.len() - 1].len(),
        "{what}: untouched text overlaps:\n{after}"
    );
}

/// The profile list inside a settings value, mutably.
fn list_of(value: &mut Value) -> &mut Vec<Value> {
    let profiles = value.get_mut("profiles").unwrap();
    let list = if profiles.is_array() {
        profiles
    } else {
        profiles.get_mut("list").unwrap()
    };
    list.as_array_mut().unwrap()
}

fn same_guid(value: &Value, guid: Guid) -> bool {
    value
        .get("guid")
        .and_then(Value::as_str)
        .and_then(|s| Guid::parse(s).ok())
        == Some(guid)
}

struct Case {
    label: String,
    operations: Vec<Operation>,
    /// The value the file must hold afterwards.
    expected: Value,
    /// Where the bytes may differ.
    regions: Vec<(usize, usize)>,
    /// How many parts are left to the user.
    left_to_user: usize,
    /// Comments the edit removes with a profile (the rest must survive).
    removed_comments: Vec<String>,
}

/// Every operation that applies to one settings file.
fn settings_cases(name: &str, text: &str) -> Vec<Case> {
    let value = read_value(text).unwrap();
    let tree = tree(text);
    let mut cases = Vec::new();
    let list = tree.profile_list();

    // A new profile; a missing list is created somewhere in the root.
    let new_guid = tier1("wslconst corpus").guid();
    let entry = ProfileEntry::new(new_guid)
        .with("name", json!("Corpus ✓"))
        .with("colorScheme", json!("One Half Dark"))
        .with("font", json!({"face": "Cascadia Code", "size": 11}));
    let new_profile = json!({
        "guid": new_guid.to_string(), "name": "Corpus ✓", "colorScheme": "One Half Dark",
        "font": {"face": "Cascadia Code", "size": 11}
    });
    let region = match list {
        Some(list) => tree.append_region(list),
        None => tree.root_inside(),
    };
    // A comment between the last profile and `]` on one line would end up
    // after the new entry, off its profile's line: that append is refused.
    let append_blocked = {
        let (start, end) = region;
        !text[start..end].contains('\n') && !comments(&text[start..end]).is_empty()
    };
    let appended = |entry: Value| {
        let mut expected = value.clone();
        if append_blocked {
        } else if list.is_some() {
            list_of(&mut expected).push(entry);
        } else {
            expected["profiles"] = json!({"list": [entry]});
        }
        expected
    };
    let (regions, left_to_user) = if append_blocked {
        (Vec::new(), 1)
    } else {
        (vec![region], 0)
    };
    cases.push(Case {
        label: format!("{name}: upsert a new profile"),
        operations: vec![Operation::Upsert(entry)],
        expected: appended(new_profile),
        regions: regions.clone(),
        left_to_user,
        removed_comments: Vec::new(),
    });
    let hide_guid = tier1("wslconst hidden").guid();
    cases.push(Case {
        label: format!("{name}: hide a GUID without an entry"),
        operations: vec![Operation::Hide(hide_guid)],
        expected: appended(json!({"guid": hide_guid.to_string(), "hidden": true})),
        regions,
        left_to_user,
        removed_comments: Vec::new(),
    });

    let Some(list) = list else { return cases };
    for (index, element) in list.elements.iter().enumerate() {
        let Ast::Object(profile) = element else {
            continue;
        };
        let Some(guid) = string_of(profile, "guid").and_then(|s| Guid::parse(s).ok()) else {
            continue;
        };
        let (start, end) = tree.span(element);

        // Update: a scalar that may exist and a key that does not.
        let mut expected = value.clone();
        for p in list_of(&mut expected)
            .iter_mut()
            .filter(|p| same_guid(p, guid))
        {
            p["hidden"] = json!(true);
            p["tabTitle"] = json!("corpus \"tab\"");
        }
        cases.push(Case {
            label: format!("{name}: upsert profile {index}"),
            operations: vec![Operation::Upsert(
                ProfileEntry::new(guid)
                    .with("hidden", json!(true))
                    .with("tabTitle", json!("corpus \"tab\"")),
            )],
            expected,
            regions: vec![(start, end)],
            left_to_user: 0,
            removed_comments: Vec::new(),
        });

        // Removal, by every match that recognizes this profile.
        let mut matches = vec![ProfileMatch::Guid(guid)];
        if let (Some(n), Some(s)) = (string_of(profile, "name"), string_of(profile, "source")) {
            matches.push(ProfileMatch::NameAndSource {
                name: n.to_owned(),
                source: s.to_owned(),
            });
        }
        if let Some(id) = string_of(profile, "commandline")
            .and_then(wslconst_model::settings::commandline_distribution_id)
        {
            matches.push(ProfileMatch::CommandlineDistributionId(
                DistributionId::from_guid(id),
            ));
        }
        let owned = owned_comments(text, start, end);
        for by in matches {
            let mut expected = value.clone();
            let others_matched: Vec<usize> = list
                .elements
                .iter()
                .enumerate()
                .filter(|(i, e)| *i != index && element_matches(e, &by))
                .map(|(i, _)| i)
                .collect();
            if owned.is_some() {
                list_of(&mut expected).remove(index);
            }
            assert!(
                others_matched.is_empty(),
                "{name}: pick profiles a match finds once"
            );
            cases.push(Case {
                label: format!("{name}: remove profile {index} by {by}"),
                operations: vec![Operation::Remove(vec![by])],
                expected,
                regions: if owned.is_some() {
                    vec![tree.removal_region(list, index)]
                } else {
                    Vec::new()
                },
                left_to_user: usize::from(owned.is_none()),
                removed_comments: owned.clone().unwrap_or_default(),
            });
        }

        // defaultProfile pointed at this profile.
        let mut expected = value.clone();
        expected["defaultProfile"] = json!(guid.to_string());
        let root = tree.object();
        let current = string_of(root, "defaultProfile").and_then(|s| Guid::parse(s).ok());
        let region = match root
            .properties
            .iter()
            .find(|p| p.name.as_str() == "defaultProfile")
        {
            Some(p) => tree.span(&p.value),
            None => tree.root_inside(),
        };
        if current == Some(guid) {
            expected = value.clone();
        }
        cases.push(Case {
            label: format!("{name}: defaultProfile set to profile {index}"),
            operations: vec![Operation::SetDefault(guid)],
            expected,
            regions: vec![region],
            left_to_user: 0,
            removed_comments: Vec::new(),
        });
    }
    cases
}

fn element_matches(element: &Ast<'_>, by: &ProfileMatch) -> bool {
    let Ast::Object(profile) = element else {
        return false;
    };
    match by {
        ProfileMatch::Guid(g) => {
            string_of(profile, "guid").and_then(|s| Guid::parse(s).ok()) == Some(*g)
        }
        ProfileMatch::NameAndSource { name, source } => {
            string_of(profile, "name") == Some(name) && string_of(profile, "source") == Some(source)
        }
        ProfileMatch::CommandlineDistributionId(id) => {
            string_of(profile, "commandline")
                .and_then(wslconst_model::settings::commandline_distribution_id)
                == Some(id.guid())
        }
    }
}

/// Every GUID of `generatedProfiles`, dropped one at a time.
fn state_cases(name: &str, text: &str) -> Vec<Case> {
    let value = read_value(text).unwrap();
    let tree = tree(text);
    let Some(Ast::Array(generated)) = Tree::member(tree.object(), "generatedProfiles") else {
        return vec![Case {
            label: format!("{name}: nothing to drop"),
            operations: vec![Operation::PruneGenerated(vec![tier1("Ubuntu").guid()])],
            expected: value,
            regions: Vec::new(),
            left_to_user: 0,
            removed_comments: Vec::new(),
        }];
    };
    let mut cases = Vec::new();
    for (index, element) in generated.elements.iter().enumerate() {
        let Ast::StringLit(s) = element else { continue };
        let guid = Guid::parse(&s.value).unwrap();
        let mut expected = value.clone();
        expected["generatedProfiles"]
            .as_array_mut()
            .unwrap()
            .remove(index);
        cases.push(Case {
            label: format!("{name}: drop generatedProfiles[{index}]"),
            operations: vec![Operation::PruneGenerated(vec![guid])],
            expected,
            regions: vec![tree.removal_region(generated, index)],
            left_to_user: 0,
            removed_comments: Vec::new(),
        });
    }
    cases
}

#[test]
fn every_operation_on_every_corpus_file_keeps_every_untouched_byte() {
    let scratch = std::env::temp_dir().join(format!("wslconst-settings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let mut count = 0;
    for (name, kind, text) in corpus() {
        let cases = match kind {
            FileKind::Settings => settings_cases(&name, &text),
            FileKind::State => state_cases(&name, &text),
        };
        assert!(!cases.is_empty(), "{name}");
        for case in cases {
            let what = &case.label;
            let outcome =
                edit(kind, &text, &case.operations).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(
                outcome.left_to_user.len(),
                case.left_to_user,
                "{what}: {outcome:?}"
            );
            let after = &outcome.text;
            assert_eq!(
                read_value(after).unwrap_or_else(|e| panic!("{what}: {e}\n{after}")),
                case.expected,
                "{what}:\n{after}"
            );
            assert_only_regions_changed(&text, after, &case.regions, what);
            let mut kept = comment_texts(&text);
            for gone in &case.removed_comments {
                let at = kept.iter().position(|c| c == gone).unwrap();
                kept.remove(at);
                assert!(
                    outcome.changes.iter().any(|c| c.contains(gone.as_str())),
                    "{what}: the removed comment {gone:?} is listed"
                );
            }
            assert_eq!(kept, comment_texts(after), "{what}: comments");
            assert_eq!(
                text.starts_with('\u{feff}'),
                after.starts_with('\u{feff}'),
                "{what}: BOM"
            );
            if text.contains("\r\n") {
                assert!(
                    !after.replace("\r\n", "").contains('\n'),
                    "{what}: a bare LF in a CRLF file:\n{after:?}"
                );
            }
            let again = edit(kind, after, &case.operations).unwrap();
            assert!(
                again.is_unchanged(),
                "{what}: the second run changed {:?}",
                again.changes
            );
            assert_eq!(&again.text, after);

            // On disk: backup equal to the original, file equal to the result.
            let path = scratch.join(format!("{count}-{}", kind.file_name()));
            std::fs::write(&path, &text).unwrap();
            let done = edit_file(&path, kind, &case.operations, false).unwrap();
            assert_eq!(std::fs::read_to_string(&path).unwrap(), *after, "{what}");
            match &done.replaced {
                Some(replaced) => {
                    assert_eq!(
                        std::fs::read(&replaced.backup).unwrap(),
                        text.as_bytes(),
                        "{what}"
                    );
                }
                None => assert_eq!(*after, text, "{what}: changed without a backup"),
            }
            let dry = edit_file(&path, kind, &case.operations, true).unwrap();
            assert!(
                dry.outcome.is_unchanged() && dry.diff().is_empty(),
                "{what}"
            );
            count += 1;
        }
    }
    assert!(count > 80, "only {count} cases");
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn the_corpus_covers_what_users_write() {
    let files = corpus();
    let all = |f: &dyn Fn(&str) -> bool| files.iter().filter(|(_, _, t)| f(t)).count();
    assert!(all(&|t| t.contains("//")) >= 2, "line comments");
    assert!(all(&|t| t.contains("/*")) >= 2, "block comments");
    assert!(
        all(&|t| t.contains(",\n        ]") || t.contains(",\n}")) >= 1,
        "trailing commas"
    );
    assert!(all(&|t| t.contains('\t')) >= 1, "tabs");
    assert!(all(&|t| t.contains("\r\n")) >= 2, "CRLF");
    assert!(all(&|t| t.starts_with('\u{feff}')) >= 1, "a BOM");
    assert!(all(&|t| !t.is_ascii()) >= 2, "Unicode");
    assert!(all(&|t| t.contains("\"list\": []")) >= 1, "an empty list");
    assert!(
        all(&|t| t.contains("\"profiles\": [")) >= 1,
        "a bare profiles array"
    );
    assert!(all(&|t| !t.ends_with('\n')) >= 1, "no final newline");
}

#[test]
fn a_file_changed_by_terminal_meanwhile_is_not_overwritten() {
    // edit_file reads, edits and replaces; replace_keeping_backup re-reads
    // first. Simulate Terminal saving between the read and the write by
    // calling the file layer with stale expectations.
    let dir = std::env::temp_dir().join(format!("wslconst-settings-race-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("settings.json");
    std::fs::write(&path, "{\"profiles\": []}").unwrap();
    let err =
        wslconst_model::files::replace_keeping_backup(&path, b"{}", b"{\"x\": 1}").unwrap_err();
    assert!(
        err.to_string()
            .contains("changed while wslconst was editing it")
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"profiles\": []}"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no backup, no temporary file"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[should_panic(expected = "is gone")]
fn the_region_check_sees_a_change_outside_the_regions() {
    let before = "{ \"a\": 1, \"b\": 2, \"c\": 3 }";
    let after = "{ \"a\": 1, \"b\":2, \"c\": 4 }";
    assert_only_regions_changed(before, after, &[(2, 8), (23, 24)], "changed outside");
}

/// Terminal's old default settings.json puts a comment inside every
/// built-in profile: every removal in such a file succeeds, each listing the
/// comment it took, and nothing else changes (the corpus test checks the
/// bytes).
#[test]
fn every_profile_of_the_old_default_settings_can_be_removed() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/settings-corpus/old-default.settings.json"),
    )
    .unwrap();
    let value = read_value(&text).unwrap();
    let guids: Vec<Guid> = value["profiles"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Guid::parse(p["guid"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(guids.len(), 4);
    for guid in guids {
        let outcome = edit(
            FileKind::Settings,
            &text,
            &[Operation::Remove(vec![ProfileMatch::Guid(guid)])],
        )
        .unwrap();
        assert!(
            outcome.left_to_user.is_empty(),
            "{guid}: {:?}",
            outcome.left_to_user
        );
        assert_eq!(outcome.changes.len(), 1);
        if text.contains(&format!("profile.\n                \"guid\": \"{guid}\"")) {
            assert!(
                outcome.changes[0].contains("with its comment // Make changes here"),
                "{:?}",
                outcome.changes
            );
        }
        let after = read_value(&outcome.text).unwrap();
        let left = after["profiles"]["list"].as_array().unwrap();
        assert_eq!(left.len(), 3);
        assert!(left.iter().all(|p| p["guid"] != guid.to_string()));
    }
}
