use crate::validate::{parse_date, parse_digits, today_yyyymmdd};
use crate::{ids, CategoryInfo, Classifier};

macro_rules! doc_text {
    () => {
        r#"Date of birth (出生日期).

## What it detects

Calendar dates in a column whose name says birth date (`birthday`,
`birth_date`, `dob`, `csrq`, `出生日期`, `生日` …): `1990-05-17`,
`1990/5/17`, `1990.05.17`, `19900517`, `1990年5月17日`, with or without a
time part (date-time columns often store midnight), and year-month forms
(`1990-05`, `199005`, `1990年5月`) with weight 0.8. The date must be real,
not before 1900 and not in the future.

A date alone says nothing about whose birthday it is: order dates, opening
dates and timestamps look the same. **Without a birth-date column name no
value counts**, so a plain date column is never reported as PI.

## Why it matters

A birth date is personal basic information (个人基本资料) and, combined
with a name or an area, narrows a person down to a handful of candidates.
It also reveals minors: PI of a person under 14 is sensitive under PIPL
Art. 28.

## Examples

* In a `birthday` column: `1990-05-17`, `1990年5月17日`,
  `1990-05-17T00:00:00`, `19900517`.
* Rejected: the same values in an `order_date` column; `2999-01-01`;
  `1890-01-01`; `1990-02-30`.
* Evidence is masked as `1990-**-**`.

## Known false positives

* Columns named like a birth date that hold another date (an
  `birthday_coupon_sent` date, for example).
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct BirthDate;

/// Weight of a birth date value, regardless of column name.
fn date_weight(value: &str) -> Option<f64> {
    let today = today_yyyymmdd();
    if let Some((y, m, d)) = parse_date(value) {
        return (y >= 1900 && y * 10_000 + m * 100 + d <= today).then_some(1.0);
    }
    // Year and month only.
    let v = value.trim_end_matches('月');
    let b = v.as_bytes();
    let (y, m) = if b.len() == 6 && b.iter().all(u8::is_ascii_digit) {
        (parse_digits(&b[..4])?, parse_digits(&b[4..])?)
    } else {
        let (y, m) = v.split_once(['-', '/', '.', '年'])?;
        if y.len() != 4 || !(1..=2).contains(&m.len()) {
            return None;
        }
        (parse_digits(y.as_bytes())?, parse_digits(m.as_bytes())?)
    };
    ((1..=12).contains(&m) && y >= 1900 && y * 100 + m <= today / 100).then_some(0.8)
}

impl Classifier for BirthDate {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::BIRTH_DATE, "出生日期", "Date of birth").personal("个人基本资料")
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(
            r"[0-9]{4}(?:[-/.年][0-9]{1,2}(?:[-/.月][0-9]{1,2}日?)?月?|[0-9]{2,4})(?:[T ][0-9:.+\-Z]*)?",
        )
    }

    fn confirms_without_hint(&self) -> bool {
        false
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, _value: &str) -> Option<f64> {
        None
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        date_weight(value)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "birthday|birth_?date|date_of_birth|dob|birth|born|birth_day|birth_dt|bday",
            "|csrq|csny|chusheng_?riqi|shengri",
            "|出生日期|出生年月|出生年月日|生日|出生",
        ))
    }

    fn mask(&self, value: &str) -> String {
        // Keep the year only.
        value
            .chars()
            .enumerate()
            .map(|(i, c)| if i >= 4 && c.is_ascii_digit() { '*' } else { c })
            .collect()
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn needs_the_hint() {
        for v in ["1990-05-17", "19900517", "1990年5月17日"] {
            assert_eq!(BirthDate.confirm(v), None, "{v}");
            assert_eq!(BirthDate.confirm_hinted(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn forms() {
        for v in [
            "1990/5/17",
            "1990.05.17",
            "1990-05-17T00:00:00",
            "1990-05-17 00:00:00",
            "2000-02-29",
        ] {
            assert_eq!(BirthDate.confirm_hinted(v), Some(1.0), "{v}");
        }
        for v in ["1990-05", "199005", "1990年5月"] {
            assert_eq!(BirthDate.confirm_hinted(v), Some(0.8), "{v}");
        }
    }

    #[test]
    fn rejects() {
        for v in [
            "2999-01-01",
            "1890-01-01",
            "1990-02-30",
            "1990-13",
            "199013",
            "20991231",
            "1700000000000",
            "abc",
        ] {
            assert_eq!(BirthDate.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", BirthDate.value_pattern().unwrap())).unwrap();
        for v in [
            "1990-05-17",
            "1990/5/7",
            "19900517",
            "1990年5月17日",
            "1990-05-17T00:00:00",
            "1990-05-17 00:00:00",
            "1990-05",
            "199005",
            "1990年5月",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(BirthDate.mask("1990-05-17"), "1990-**-**");
        assert_eq!(BirthDate.mask("1990年5月17日"), "1990年*月**日");
    }
}
