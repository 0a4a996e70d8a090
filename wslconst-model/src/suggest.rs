//! "Did you mean ...?" for misspelled keys.

/// The candidate nearest to `name`, if one is near enough to be a typo: a case
/// difference, or at most a third of the name's length in edits (at least 1,
/// at most 3). Edits are strsim's optimal string alignment over characters:
/// insertions, deletions, substitutions and adjacent transpositions.
///
/// ```
/// let keys = ["fontFace", "fontSize", "colorScheme"];
/// assert_eq!(wslconst_model::suggest::nearest("fontsize", keys), Some("fontSize"));
/// assert_eq!(wslconst_model::suggest::nearest("banana", keys), None);
/// ```
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let d = if c.to_lowercase() == lower {
                0
            } else {
                strsim::osa_distance(name, c)
            };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
