//! What `doctor --fix` changes, and changing it: settings.json and
//! state.json through the settings editor (a backup of each file, an atomic
//! replace, every comment kept), and orphan fragments moved aside to a
//! backup. Whatever is ambiguous is left to the user.

use std::path::PathBuf;

use super::{
    Machine, View, default_profile, entries, generated, profile_exists, replacement_for, stranded,
};
use crate::settings::{
    FileEdit, FileEditError, FileKind, Operation, ProfileEntry, ProfileMatch, edit_file,
};

/// The changes, per file.
#[derive(Clone, Debug, Default)]
pub struct FixPlan {
    /// Settings edits: the file, its kind, the operations.
    pub edits: Vec<(PathBuf, FileKind, Vec<Operation>)>,
    /// Orphan fragments to move aside.
    pub retire: Vec<PathBuf>,
    /// What was left to the user, and why.
    pub left: Vec<String>,
}

/// The fixes [`super::diagnose`]'s `fixed_by_doctor` findings call for.
pub fn plan(machine: &Machine) -> FixPlan {
    let view = View::new(machine);
    let mut plan = FixPlan {
        retire: view
            .orphan_fragments
            .iter()
            .map(|f| f.path.clone())
            .collect(),
        ..FixPlan::default()
    };
    for install in &machine.installs {
        let Some(settings) = &install.settings else {
            continue;
        };
        let list = entries(settings);
        let generated_list = install.state.as_ref().map(generated).unwrap_or_default();
        let mut ops = Vec::new();
        let mut prune = Vec::new();
        for d in &view.distros {
            let entry = |g: wslconst::Guid| list.iter().rfind(|e| e.guid == g);
            // Customization moved to the profile Terminal shows.
            if d.fragment.is_some() {
                let tier2_entry = entry(d.tier2.guid());
                for old in list.iter().filter(|e| stranded(&view, d, e, &list)) {
                    let mut profile = ProfileEntry::new(d.tier2.guid());
                    let mut clash = Vec::new();
                    for (key, value) in &old.custom {
                        match tier2_entry.and_then(|t| t.custom.get(key)) {
                            Some(existing) if existing != value => clash.push(key.as_str()),
                            Some(_) => {}
                            None => profile = profile.with(key, value.clone()),
                        }
                    }
                    if !clash.is_empty() {
                        plan.left.push(format!(
                            "{}: {} differ between {} and {}'s entry {}; merge them by hand",
                            settings.path.display(),
                            clash.join(", "),
                            old.guid,
                            d.reg.name,
                            d.tier2
                        ));
                        continue;
                    }
                    ops.push(Operation::Upsert(profile));
                    ops.push(Operation::Hide(old.guid));
                }
            }
            // A duplicate: hide Tier 1.
            let (tier1_shown, tier2_shown) = View::shown_tiers(d, &list);
            let hidden_already = ops
                .iter()
                .any(|op| matches!(op, Operation::Hide(g) if *g == d.tier1.guid()));
            if tier1_shown && tier2_shown && !hidden_already {
                ops.push(Operation::Hide(d.tier1.guid()));
            }
            if let Some(shown) = View::shown(d)
                && generated_list.contains(&shown.guid())
                && entry(shown.guid()).is_none()
            {
                prune.push(shown.guid());
            }
        }
        if let Some(default) = default_profile(settings)
            && !profile_exists(&view, default, &list, &generated_list)
            && let Some(to) = replacement_for(&view, default, &list).and_then(View::shown)
        {
            ops.push(Operation::MoveDefault {
                from: vec![default],
                to: to.guid(),
            });
        }
        let orphans: Vec<ProfileMatch> = list
            .iter()
            .filter(|e| e.custom.is_empty() && view.dead_wsl_guid(e.guid, &list))
            .map(|e| ProfileMatch::Guid(e.guid))
            .collect();
        if !orphans.is_empty() {
            ops.push(Operation::Remove(orphans));
        }
        prune.extend(
            generated_list
                .iter()
                .copied()
                .filter(|g| view.dead_wsl_guid(*g, &list)),
        );
        if !ops.is_empty() {
            plan.edits
                .push((settings.path.clone(), FileKind::Settings, ops));
        }
        if let Some(state) = &install.state
            && !prune.is_empty()
        {
            plan.edits.push((
                state.path.clone(),
                FileKind::State,
                vec![Operation::PruneGenerated(prune)],
            ));
        }
    }
    plan
}

/// What applying a plan did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Each settings file edited (or, on a dry run, what would be).
    pub edits: Vec<FileEdit>,
    /// Each fragment moved aside, and its backup (`None` on a dry run).
    pub retired: Vec<(PathBuf, Option<PathBuf>)>,
}

/// Applies `plan`; with `dry_run`, computes the edits and writes nothing.
pub fn apply(plan: &FixPlan, dry_run: bool) -> Result<Applied, FileEditError> {
    let mut applied = Applied::default();
    for (path, kind, ops) in &plan.edits {
        applied.edits.push(edit_file(path, *kind, ops, dry_run)?);
    }
    for path in &plan.retire {
        let backup = if dry_run {
            None
        } else {
            Some(
                crate::files::move_aside(path)
                    .map_err(|e| FileEditError::Write(path.clone(), e))?,
            )
        };
        applied.retired.push((path.clone(), backup));
    }
    Ok(applied)
}
