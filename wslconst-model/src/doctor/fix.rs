//! What `doctor --fix` changes, and changing it: settings.json and
//! state.json through the settings editor (a backup of each file, an atomic
//! replace, every comment kept), and orphan fragments moved aside to a
//! backup. Whatever is ambiguous is left to the user.

use std::path::PathBuf;

use super::{Repair, Report};
use crate::settings::{FileEdit, FileEditError, FileKind, Operation, edit_file};

/// The changes, per file.
#[derive(Clone, Debug, Default)]
pub struct FixPlan {
    /// Settings edits: the file, its kind, the operations.
    pub edits: Vec<(PathBuf, FileKind, Vec<Operation>)>,
    /// Orphan fragments to move aside.
    pub retire: Vec<PathBuf>,
}

/// The repairs of a report's findings, gathered per file in report order.
/// A removal goes after the file's other operations, so `defaultProfile`
/// has moved off a removed entry before it goes.
pub fn plan(report: &Report) -> FixPlan {
    let mut plan = FixPlan::default();
    for repair in report.findings().flat_map(|f| &f.repairs) {
        match repair {
            Repair::Retire(path) => plan.retire.push(path.clone()),
            Repair::Edit(path, kind, op) => {
                match plan
                    .edits
                    .iter_mut()
                    .find(|(p, k, _)| p == path && k == kind)
                {
                    Some((_, _, ops)) => ops.push(op.clone()),
                    None => plan.edits.push((path.clone(), *kind, vec![op.clone()])),
                }
            }
        }
    }
    for (_, _, ops) in &mut plan.edits {
        ops.sort_by_key(|op| matches!(op, Operation::Remove(_)));
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
