//! Times as the filing shows them: Beijing time (UTC+8), whatever the machine's zone.
//!
//! Reports and the state keep UTC; a DPO in China files, and reads due dates, in Beijing time.

use chrono::{DateTime, FixedOffset, NaiveDate};
use model::Timestamp;
use serde::Serializer;

/// UTC+8.
pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("8 hours is a valid offset")
}

/// `t` in Beijing time.
pub fn time(t: Timestamp) -> DateTime<FixedOffset> {
    t.with_timezone(&offset())
}

/// The Beijing date of `t` (a scan at 23:00 UTC happened the next day in Beijing).
pub fn date(t: Timestamp) -> NaiveDate {
    time(t).date_naive()
}

/// `2026-11-23 08:00:00`, for cells labelled 北京时间.
pub fn display(t: Timestamp) -> String {
    time(t).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Serialises a UTC time as RFC 3339 at +08:00; it reads back as the same instant.
pub(crate) fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&time(*t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_utc_evening_is_the_next_beijing_day() {
        let t: Timestamp = "2026-11-23T18:30:00Z".parse().unwrap();
        assert_eq!(display(t), "2026-11-24 02:30:00");
        assert_eq!(date(t).to_string(), "2026-11-24");
        let json = serde_json::to_string(&Wrapper(t)).unwrap();
        assert_eq!(json, "\"2026-11-24T02:30:00+08:00\"");
        let back: Timestamp = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
    }

    #[derive(serde::Serialize)]
    struct Wrapper(#[serde(serialize_with = "serialize")] Timestamp);
}
