//! Key ranges of a big table, so that several processes can share one table's full pass.
//!
//! A sharded run (`mulu plan`) cuts a table of many rows into ranges of its integer primary
//! key; each shard counts the persons of its ranges only. The first range is open below and
//! the last open above, so rows inserted after planning are still read by someone.

/// A half-open range `[start, end)` of a table's integer primary key; `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeyRange {
    /// The first key in the range, or `None` for everything below `end`.
    pub start: Option<i64>,
    /// The first key after the range, or `None` for everything from `start` on.
    pub end: Option<i64>,
}

impl KeyRange {
    /// `parts` ranges of about equal key width covering `[min, max]`, the outer two open.
    pub fn split(min: i64, max: i64, parts: usize) -> Vec<KeyRange> {
        let parts = parts.max(1) as i128;
        let (min, max) = (i128::from(min), i128::from(max.max(min)));
        let width = max - min + 1;
        (0..parts)
            .map(|i| KeyRange {
                start: (i > 0).then(|| clamp(min + width * i / parts)),
                end: (i + 1 < parts).then(|| clamp(min + width * (i + 1) / parts)),
            })
            .collect()
    }

    /// The SQL condition keeping `quoted_key` within any of `ranges` (`TRUE` for none).
    pub(crate) fn sql_filter(quoted_key: &str, ranges: &[KeyRange]) -> String {
        let terms: Vec<String> = ranges
            .iter()
            .map(|r| {
                let bounds: Vec<String> = [
                    r.start.map(|s| format!("{quoted_key} >= {s}")),
                    r.end.map(|e| format!("{quoted_key} < {e}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                if bounds.is_empty() {
                    "1 = 1".to_string()
                } else {
                    format!("({})", bounds.join(" AND "))
                }
            })
            .collect();
        if terms.is_empty() {
            "1 = 1".to_string()
        } else {
            terms.join(" OR ")
        }
    }
}

fn clamp(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_key_once_and_leave_the_ends_open() {
        let ranges = KeyRange::split(1, 300, 3);
        assert_eq!(
            ranges,
            [
                KeyRange {
                    start: None,
                    end: Some(101)
                },
                KeyRange {
                    start: Some(101),
                    end: Some(201)
                },
                KeyRange {
                    start: Some(201),
                    end: None
                },
            ]
        );
        for key in [-5, 1, 100, 101, 250, 300, 10_000] {
            let holding = ranges
                .iter()
                .filter(|r| r.start.is_none_or(|s| key >= s) && r.end.is_none_or(|e| key < e))
                .count();
            assert_eq!(holding, 1, "key {key}");
        }
        // The whole i64 range splits without overflow; one part is the whole table.
        assert_eq!(KeyRange::split(i64::MIN, i64::MAX, 2)[1].start, Some(0));
        assert_eq!(
            KeyRange::split(5, 5, 1),
            [KeyRange {
                start: None,
                end: None
            }]
        );
    }

    #[test]
    fn the_filter_is_a_disjunction_of_the_ranges() {
        let ranges = KeyRange::split(0, 99, 4);
        assert_eq!(
            KeyRange::sql_filter("\"id\"", &[ranges[0], ranges[2]]),
            "(\"id\" < 25) OR (\"id\" >= 50 AND \"id\" < 75)"
        );
        assert_eq!(KeyRange::sql_filter("id", &[]), "1 = 1");
    }
}
