//! The settings editor on arbitrary text: never panic, never produce a file
//! that loses a comment or does not parse (the editor refuses with
//! `SettingsError::Unsafe` instead, which is a bug to find here), and a second
//! identical run changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wslconst::{DistributionId, tier1, tier2};
use wslconst_model::settings::{
    FileKind, Operation, ProfileEntry, ProfileMatch, SettingsError, edit, read_value,
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let ubuntu = tier1("Ubuntu").guid();
    let id = DistributionId::parse("{fc3bf427-722c-4c2b-84bf-17202d2e3740}").unwrap();
    let (kind, operations) = match selector % 7 {
        0 => (
            FileKind::Settings,
            vec![Operation::Remove(vec![
                ProfileMatch::Guid(ubuntu),
                ProfileMatch::NameAndSource {
                    name: "Ubuntu".into(),
                    source: "Windows.Terminal.Wsl".into(),
                },
                ProfileMatch::CommandlineDistributionId(id),
            ])],
        ),
        1 => (
            FileKind::Settings,
            vec![Operation::Upsert(
                ProfileEntry::new(ubuntu)
                    .with("hidden", serde_json::json!(true))
                    .with(
                        "font",
                        serde_json::json!({"face": "Cascadia Code", "size": 11}),
                    ),
            )],
        ),
        2 => (FileKind::Settings, vec![Operation::Hide(tier2(id).guid())]),
        3 => (FileKind::Settings, vec![Operation::SetDefault(ubuntu)]),
        4 => (
            FileKind::Settings,
            vec![Operation::MoveDefault {
                from: vec![ubuntu],
                to: tier2(id).guid(),
            }],
        ),
        5 => (
            FileKind::State,
            vec![Operation::PruneGenerated(vec![ubuntu])],
        ),
        _ => (
            FileKind::Settings,
            vec![
                Operation::Remove(vec![ProfileMatch::Guid(ubuntu)]),
                Operation::Upsert(
                    ProfileEntry::new(tier2(id).guid()).with("name", "Ubuntu".into()),
                ),
                Operation::SetDefault(tier2(id).guid()),
            ],
        ),
    };
    let outcome = match edit(kind, text, &operations) {
        Ok(outcome) => outcome,
        Err(SettingsError::Unsafe(why)) => panic!("unsafe edit: {why}"),
        Err(_) => return,
    };
    if outcome.is_unchanged() {
        assert_eq!(outcome.text, text);
        return;
    }
    read_value(&outcome.text).expect("an edited file parses");
    let again = edit(kind, &outcome.text, &operations).expect("an edited file edits again");
    assert!(
        again.is_unchanged(),
        "second run changed {:?}",
        again.changes
    );
});
