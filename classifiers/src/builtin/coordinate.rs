use crate::decimal::{parse_f64, plain_decimal};
use crate::validate::{in_china_box, CHINA_BOX};
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_1};

macro_rules! doc_text {
    () => {
        r#"Precise geographic coordinate in China (精确位置坐标).

## What it detects

* A longitude/latitude **pair** in one value, in either order, separated by
  a comma, a semicolon or spaces: `121.473701,31.230416`,
  `31.230416, 121.473701`.
* A WKT point, `POINT(121.4737 31.2304)` (optionally `SRID=4326;`
  first, any case).
* A **single number** in a column whose name says latitude or longitude
  (`lat`, `lng`, `lon`, `latitude`, `longitude`, `jd`, `wd`, `经度`,
  `纬度`, `gps_lat` …). Numeric columns count too: the scanner passes
  `Float64` values as text. Without such a name a single number counts for
  nothing.
* An **integer** of 7 to 10 digits in such a column, read as degrees
  scaled by 10⁶ or 10⁷: JT/T 808 terminals report latitude and longitude
  as `DWORD` millionths of a degree, and servers store them so
  (`31230416` is 31.230416°). Such a value is precise (weight 1.0).

The point must fall inside the box lon 73.66–135.05, lat 3.86–53.55 that
coordinate-transform libraries use for China (WGS-84, GCJ-02 and BD-09 all
fit). Precision decides the weight: four or more decimals (about 10 m or
better) weigh 1.0, three decimals (about 100 m) 0.5; fewer decimals are a
coarse location and are not counted. Two-decimal coordinates are therefore
never reported as this sensitive category.

## Why it matters

Precise location is sensitive PI under the TC260 sensitive-PI guide, and a
series of precise points for one person or vehicle is a track (行踪轨迹),
named in PIPL Art. 28 and in the vehicle-data rules as sensitive PI. For
vehicle data, coordinates are also the raw material of Art. 3 item (一)
(geographic information and flows around sensitive areas) and may count as
surveying data.

## Examples

* `121.473701,31.230416`, `31.2304 121.4737`, `POINT(121.4737 31.2304)`
* In a `lat` column: `31.230416`; in a `lng` column: `121.473701`;
  in a `latitude` INT column: `31230416` (10⁶) or `312304160` (10⁷).
* Rejected: `121.47,31.23` (coarse), `-0.1276,51.5072` (London), `31.2304`
  in a `price` column.
* Evidence is masked to two decimals: `121.47**,31.23**`; scaled
  integers keep all but their last five digits (`312*****`).

## Known false positives

* The box includes parts of neighbouring countries, so points in Mongolia,
  Korea, Japan's western islands or mainland South-East Asia pass.
* A `lat`/`lng` column of store or cell-tower positions is location data,
  but not about a person.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Coordinate;

/// Parses a decimal number and counts its decimals.
fn number(s: &str) -> Option<(f64, usize)> {
    // A plain decimal (most numbers) in one pass: no space to trim, and its
    // fraction digits are the decimals counted below.
    if let Some((v, decimals)) = plain_decimal(s) {
        return v.is_finite().then_some((v, decimals));
    }
    let s = s.trim();
    let decimals = decimals(s)?;
    let v = parse_f64(s)?;
    v.is_finite().then_some((v, decimals))
}

/// The number of decimals of a trimmed number: the digits after its dot, 0 without one;
/// `None` if either side of the dot is empty or the fraction holds anything but digits.
fn decimals(s: &str) -> Option<usize> {
    match s.split_once('.') {
        Some((int, frac)) => {
            let digits = !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit());
            (!int.is_empty() && digits).then_some(frac.len())
        }
        None => Some(0),
    }
}

/// An integer in degrees scaled by 10⁶ or 10⁷ (JT/T 808 stores `DWORD`
/// millionths) that falls in China's longitude or latitude range.
fn scaled_degrees(value: &str) -> bool {
    if !(7..=10).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(n) = value.parse::<u64>() else {
        return false;
    };
    let (x0, x1, y0, y1) = CHINA_BOX;
    [1e6, 1e7].iter().any(|scale| {
        let deg = n as f64 / scale;
        (x0..=x1).contains(&deg) || (y0..=y1).contains(&deg)
    })
}

fn precision_weight(decimals: usize) -> Option<f64> {
    match decimals {
        0..=2 => None,
        3 => Some(0.5),
        _ => Some(1.0),
    }
}

/// Weight of a two-number value in either order.
fn pair(a: &str, b: &str) -> Option<f64> {
    let (x, dx) = number(a)?;
    let (y, dy) = number(b)?;
    if !(in_china_box(x, y) || in_china_box(y, x)) {
        return None;
    }
    precision_weight(dx.min(dy))
}

fn split_pair(v: &str) -> Option<(&str, &str)> {
    if let Some(pair) = split_at_separator(v) {
        return Some(pair);
    }
    let mut it = v.split_whitespace();
    let (a, b) = (it.next()?, it.next()?);
    it.next().is_none().then_some((a, b))
}

/// `v.split_once([',', ';', '，'])` by a byte scan: the set of characters
/// would decode every character, and `，`'s lead byte starts a character.
fn split_at_separator(v: &str) -> Option<(&str, &str)> {
    const WIDE_COMMA: &[u8] = "，".as_bytes();
    let bytes = v.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b',' | b';' => return Some((&v[..i], &v[i + 1..])),
            0xEF if bytes[i..].starts_with(WIDE_COMMA) => {
                return Some((&v[..i], &v[i + WIDE_COMMA.len()..]));
            }
            _ => {}
        }
    }
    None
}

impl Coordinate {
    fn plain(value: &str) -> Option<f64> {
        // The scan's `str::trim` (values reach here trimmed, mostly).
        let v = crate::engine::trim(value);
        let starts = |v: &str, p: &str| v.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
        let v = if starts(v, "SRID=") {
            v.split_once(';')?.1.trim_start()
        } else {
            v
        };
        let is_point = starts(v, "POINT");
        if is_point {
            let inner = v[5..].trim_start();
            let inner = inner.strip_prefix('(')?.strip_suffix(')')?;
            let mut it = inner.split_whitespace();
            let (a, b) = (it.next()?, it.next()?);
            if it.next().is_some() {
                return None;
            }
            // WKT is x y, i.e. longitude first.
            let (x, dx) = number(a)?;
            let (y, dy) = number(b)?;
            return if in_china_box(x, y) {
                precision_weight(dx.min(dy))
            } else {
                None
            };
        }
        let (a, b) = split_pair(v)?;
        pair(a, b)
    }
}

impl Classifier for Coordinate {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::COORDINATE,
            "精确位置坐标",
            "Precise geographic coordinate",
        )
        .sensitive("个人位置信息")
        .vehicle(VEHICLE_ART3_ITEM_1)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(concat!(
            r"-?[0-9]{1,3}\.[0-9]+(?:\s*[,;，]\s*|\s+)-?[0-9]{1,3}\.[0-9]+",
            r"|(?i:(?:SRID=[0-9]+;)?POINT\s*\(\s*-?[0-9]{1,3}\.[0-9]+\s+-?[0-9]{1,3}\.[0-9]+\s*\))",
            r"|-?[0-9]{1,3}\.[0-9]+",
            r"|[0-9]{7,10}",
        ))
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    /// A pair's numbers are cut by dots and commas: no identifier fits inside.
    fn whole_value_holds_one_identifier(&self) -> bool {
        true
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        Self::plain(value)
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        if let Some(w) = Self::plain(value) {
            return Some(w);
        }
        if scaled_degrees(value) {
            return Some(1.0);
        }
        let (v, d) = number(value)?;
        let (x0, x1, y0, y1) = CHINA_BOX;
        if (x0..=x1).contains(&v) || (y0..=y1).contains(&v) {
            precision_weight(d)
        } else {
            None
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "lat|lng|lon|latitude|longitude|gps_lat|gps_lng|gps_lon|gps_latitude|gps_longitude",
            "|jd|wd|jingdu|weidu|coord|coords|coordinate|coordinates|location_point|geo_point|gps",
            "|lnglat|latlng|lonlat|latlon|geom|wkt",
            "|经度|纬度|坐标|经纬度|位置坐标|定位",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (0.6, 0.3)
    }

    fn mask(&self, value: &str) -> String {
        if value.len() >= 7 && value.bytes().all(|b| b.is_ascii_digit()) {
            // Scaled degrees: at most one decimal's worth stays.
            return crate::builtin::mask_middle(value, value.len() - 5, 0);
        }
        // Keep two decimals of every number (about 1 km): coarse location.
        let mut out = String::with_capacity(value.len());
        let mut decimals: Option<usize> = None;
        for c in value.chars() {
            match (c, decimals) {
                ('.', _) => {
                    decimals = Some(0);
                    out.push(c);
                }
                ('0'..='9', Some(n)) => {
                    out.push(if n < 2 { c } else { '*' });
                    decimals = Some(n + 1);
                }
                ('0'..='9', None) => out.push(c),
                _ => {
                    decimals = None;
                    out.push(c);
                }
            }
        }
        out
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// `number` without its plain-decimal shortcut.
    fn number_reference(s: &str) -> Option<(f64, usize)> {
        let s = s.trim();
        let decimals = decimals(s)?;
        let v: f64 = s.parse().ok()?;
        v.is_finite().then_some((v, decimals))
    }

    #[test]
    fn separators_as_split_once_finds_them() {
        for v in [
            "121.47,31.23",
            "121.47;31.23",
            "121.47，31.23",
            "121.47 , 31.23",
            "a；b，c,d",
            "，",
            ",",
            "",
            "121.47 31.23",
            "１２１，３１",
            "\u{FF0B}1,2",
            "é;x",
            "x，y;z",
        ] {
            assert_eq!(
                split_at_separator(v),
                v.split_once([',', ';', '，']),
                "{v:?}"
            );
        }
    }

    #[test]
    fn numbers_as_without_the_shortcut() {
        let long = format!("1{}", "0".repeat(400));
        for s in [
            "121.473701",
            "-31.2",
            " 31.2 ",
            "0",
            "-0",
            "1.",
            ".5",
            "-.5",
            "+1.5",
            "1e5",
            "1.5e3",
            "inf",
            "NaN",
            "1.2.3",
            "",
            "-",
            "12a",
            "９",
            "12345678901234567890.5",
            &long,
        ] {
            let (got, want) = (number(s), number_reference(s));
            assert_eq!(
                got.map(|(v, d)| (v.to_bits(), d)),
                want.map(|(v, d)| (v.to_bits(), d)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn pairs_and_points() {
        for v in [
            "121.473701,31.230416",
            "31.230416, 121.473701",
            "121.4737 31.2304",
            "121.4737;31.2304",
            "POINT(121.4737 31.2304)",
            "point (121.4737 31.2304)",
            "SRID=4326;POINT(121.4737 31.2304)",
        ] {
            assert_eq!(Coordinate.confirm(v), Some(1.0), "{v}");
        }
        assert_eq!(Coordinate.confirm("121.474,31.230"), Some(0.5));
    }

    #[test]
    fn single_numbers_need_a_hint() {
        assert_eq!(Coordinate.confirm("31.230416"), None);
        assert_eq!(Coordinate.confirm_hinted("31.230416"), Some(1.0));
        assert_eq!(Coordinate.confirm_hinted("121.4737"), Some(1.0));
        assert_eq!(Coordinate.confirm_hinted("121.47"), None);
        assert_eq!(Coordinate.confirm_hinted("150.1234"), None);
        assert_eq!(Coordinate.confirm_hinted("-31.2304"), None);
    }

    #[test]
    fn scaled_integers_need_a_hint() {
        for v in [
            "31230416",
            "121473701",
            "312304160",
            "1214737010",
            "3860000",
        ] {
            assert_eq!(Coordinate.confirm_hinted(v), Some(1.0), "{v}");
            assert_eq!(Coordinate.confirm(v), None, "{v}");
        }
        // Out of range at both scales, or not an integer of that size.
        for v in [
            "1000000",
            "99999999999",
            "2000000000",
            "600000000",
            "31",
            "-31230416",
        ] {
            assert_eq!(Coordinate.confirm_hinted(v), None, "{v}");
        }
        assert_eq!(Coordinate.mask("31230416"), "312*****");
        assert_eq!(Coordinate.mask("1214737010"), "12147*****");
    }

    #[test]
    fn rejects() {
        for v in [
            "121.47,31.23",
            "-0.1276,51.5072",
            "31.2304,31.2304",
            "POINT(31.2304 121.4737)",
            "1037.25",
            "121.4737,31.2304,5.0",
            "abc",
        ] {
            assert_eq!(Coordinate.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", Coordinate.value_pattern().unwrap())).unwrap();
        for v in [
            "121.473701,31.230416",
            "31.230416, 121.473701",
            "121.4737 31.2304",
            "POINT(121.4737 31.2304)",
            "SRID=4326;POINT (121.4737 31.2304)",
            "31.230416",
            "31230416",
            "1214737010",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(
            Coordinate.mask("121.473701,31.230416"),
            "121.47****,31.23****"
        );
        assert_eq!(
            Coordinate.mask("POINT(121.4737 31.2304)"),
            "POINT(121.47** 31.23**)"
        );
    }
}
