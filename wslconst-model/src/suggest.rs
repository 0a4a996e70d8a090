//! "Did you mean ...?" for misspelled keys.

/// Edit distance with adjacent transpositions (optimal string alignment), over
/// characters.
///
/// ```
/// assert_eq!(wslconst_model::suggest::distance("fontFce", "fontFace"), 1);
/// assert_eq!(wslconst_model::suggest::distance("colroScheme", "colorScheme"), 1);
/// ```
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The candidate nearest to `name`, if one is near enough to be a typo: a case
/// difference, or at most a third of the name's length in edits (at least 1,
/// at most 3).
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
                distance(name, c)
            };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
