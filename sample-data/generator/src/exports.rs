//! Flat-file exports: a UTF-8 CSV, a GBK CSV and a JSON Lines event log.

use std::path::Path;

use crate::fake::{self, MobileStyle};
use crate::rng::Rng;
use crate::Result;

pub const OWNER_ROWS: usize = 300;
pub const SERVICE_ROWS: usize = 200;
pub const EVENT_ROWS: usize = 300;

/// Quotes a CSV field when needed (RFC 4180): fields containing a comma,
/// a double quote, CR or LF are wrapped in quotes with quotes doubled.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Joins fields into one CSV record (without the line terminator).
pub fn csv_record<S: AsRef<str>>(fields: &[S]) -> String {
    fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Escapes a string as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `exports/vehicle_owners.csv` (UTF-8, LF line endings).
pub fn write_vehicle_owners(dir: &Path) -> Result<()> {
    let mut rng = Rng::for_stream("exports.vehicle_owners");
    let mut out = csv_record(&[
        "owner_name",
        "id_number",
        "mobile",
        "vin",
        "plate",
        "purchase_date",
    ]);
    out.push('\n');
    for _ in 0..OWNER_ROWS {
        let style = if rng.chance(0.8) {
            MobileStyle::Plain
        } else {
            *rng.pick(&[MobileStyle::IntlDashed, MobileStyle::Spaced])
        };
        let record = [
            fake::name(&mut rng),
            fake::resident_id(&mut rng),
            fake::format_mobile(&fake::mobile(&mut rng), style),
            fake::vin(&mut rng),
            fake::plate(&mut rng, None, 0.1),
            fake::fmt_date(fake::random_day(&mut rng, (2018, 1, 1), (2025, 12, 31))),
        ];
        out.push_str(&csv_record(&record));
        out.push('\n');
    }
    std::fs::write(dir.join("vehicle_owners.csv"), out)?;
    Ok(())
}

const SERVICE_ITEMS: &[(&str, i64, i64)] = &[
    ("更换机油", 280, 680),
    ("更换机油滤清器", 60, 150),
    ("四轮定位", 150, 300),
    ("更换前刹车片", 350, 900),
    ("空调清洗", 120, 260),
    ("轮胎换位", 50, 120),
    ("更换蓄电池", 450, 1200),
    ("钣金喷漆", 600, 3500),
    ("更换雨刮片", 60, 180),
    ("发动机积碳清洗", 300, 800),
    ("常规保养", 380, 1200),
    ("更换火花塞", 200, 650),
];

/// `exports/service_records_gbk.csv`, GBK-encoded with CRLF line endings
/// (as Windows/Excel-based Chinese systems typically export).
pub fn write_service_records(dir: &Path) -> Result<()> {
    let mut rng = Rng::for_stream("exports.service_records_gbk");
    let mut out = csv_record(&[
        "客户姓名",
        "身份证号",
        "联系电话",
        "车牌号",
        "维修项目",
        "金额",
    ]);
    out.push_str("\r\n");
    for _ in 0..SERVICE_ROWS {
        let mobile = fake::mobile(&mut rng);
        let phone = if rng.chance(0.8) {
            mobile
        } else {
            fake::format_mobile(&mobile, MobileStyle::Spaced)
        };
        let &(item, lo, hi) = rng.pick(SERVICE_ITEMS);
        let record = [
            fake::name(&mut rng),
            fake::resident_id(&mut rng),
            phone,
            fake::plate(&mut rng, None, 0.1),
            item.to_string(),
            format!("{}.00", rng.range(lo / 10, hi / 10) * 10),
        ];
        out.push_str(&csv_record(&record));
        out.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&out);
    if unmappable {
        return Err("service records contain characters GBK cannot encode".into());
    }
    std::fs::write(dir.join("service_records_gbk.csv"), bytes)?;
    Ok(())
}

const DEVICES: &[&str] = &[
    "Xiaomi 14",
    "Redmi K70",
    "iPhone 15",
    "iPhone 15 Pro",
    "HUAWEI Mate 60",
    "HUAWEI P60",
    "HONOR Magic6",
    "OPPO Find X7",
    "vivo X100",
    "OnePlus 12",
];

/// `exports/app_events.jsonl`: one JSON object per line.
pub fn write_app_events(dir: &Path) -> Result<()> {
    let mut rng = Rng::for_stream("exports.app_events");
    let users: Vec<(String, &str)> = (0..90)
        .map(|_| (fake::email(&mut rng), *rng.pick(DEVICES)))
        .collect();
    let start = fake::days_from_civil(2025, 11, 1) * 86_400;
    let mut ts: Vec<i64> = (0..EVENT_ROWS)
        .map(|_| start + rng.range(0, 7 * 86_400 - 1))
        .collect();
    ts.sort_unstable();

    let mut out = String::new();
    for t in ts {
        let (email, device) = rng.pick(&users);
        let event = *rng.pick(&["login", "view", "view", "view", "pay"]);
        let amount = if event == "pay" {
            rng.range(100, 99_900) as f64 / 100.0
        } else {
            0.0
        };
        out.push_str(&format!(
            "{{\"event_id\":{},\"user_email\":{},\"device_model\":{},\"event\":{},\"ts\":{},\"amount\":{amount:.2}}}\n",
            json_string(&fake::event_id(&mut rng)),
            json_string(email),
            json_string(device),
            json_string(event),
            json_string(&fake::fmt_rfc3339_cst(t)),
        ));
    }
    std::fs::write(dir.join("app_events.jsonl"), out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_record(&["x", "y,z"]), "x,\"y,z\"");
    }

    #[test]
    fn json_escaping() {
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(json_string("\u{1}"), "\"\\u0001\"");
    }

    #[test]
    fn gbk_can_encode_plate_dot() {
        let (_, _, unmappable) = encoding_rs::GBK.encode("沪A·12345,更换机油");
        assert!(!unmappable);
    }
}
