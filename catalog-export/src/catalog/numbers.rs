//! 目录编号: a number per item slug, handed out once and kept.
//!
//! Slugs are stable but English; a filing wants a short numbered id. Numbers come from a
//! registry kept by the caller (the scanner's state): a slug seen before keeps its number,
//! a new one gets the next free number, so removing an item never renumbers the others.

use std::collections::BTreeMap;

/// Numbers for the `slugs` not in `known`, from one past the highest known number, in the
/// order given. Returns only the new ones.
pub fn assign_numbers<'a>(
    known: &BTreeMap<String, u32>,
    slugs: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, u32> {
    let mut next = known.values().copied().max().unwrap_or(0) + 1;
    let mut new = BTreeMap::new();
    for slug in slugs {
        if !known.contains_key(slug) && !new.contains_key(slug) {
            new.insert(slug.to_string(), next);
            next += 1;
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_slugs_keep_their_numbers_and_new_ones_come_after() {
        let first = assign_numbers(&BTreeMap::new(), ["b", "a", "b"]);
        assert_eq!(first, [("b".into(), 1), ("a".into(), 2)].into());
        let later = assign_numbers(&first, ["a", "c", "b"]);
        assert_eq!(later, [("c".into(), 3)].into());
    }
}
