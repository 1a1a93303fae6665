//! Column analysis shared by the table rules: names as tokens, type families, the columns
//! that play a part in a rule ([`Hit`]) and the finding built from them.

use super::{TableCategoryInfo, TableColumn, TableFinding};
use crate::{normalize_column_name, CategoryId, TypeFamily, ValueProfile};

/// A table's columns, analysed once and shared by every rule.
pub(crate) struct TableView<'a> {
    columns: Vec<Column<'a>>,
    /// The table's own name, normalised like a column name (empty when
    /// unknown).
    name_norm: String,
    name_tokens: Vec<String>,
}

impl<'a> TableView<'a> {
    /// `profiles[i]` describes `columns[i]`'s values; missing entries
    /// mean none. `name` is the bare table name (no schema, no file
    /// extension), or empty.
    pub(super) fn new(
        name: &str,
        columns: &[TableColumn<'a>],
        profiles: &[Option<&'a ValueProfile>],
    ) -> Self {
        let name_norm = normalize_column_name(name);
        let name_tokens = name_norm
            .split('_')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        TableView {
            columns: columns
                .iter()
                .enumerate()
                .map(|(i, c)| Column::new(c, profiles.get(i).copied().flatten()))
                .collect(),
            name_norm,
            name_tokens,
        }
    }

    /// The first of `terms` the table's name contains, matched like
    /// [`Column::has`]: whole tokens for ASCII terms, anywhere for Chinese.
    pub(super) fn name_find(&self, terms: &[&'static str]) -> Option<&'static str> {
        terms.iter().copied().find(|term| {
            if !term.is_ascii() {
                return self.name_norm.contains(term);
            }
            has_tokens(&self.name_tokens, term)
        })
    }

    /// The columns in table order.
    pub(super) fn columns(&self) -> &[Column<'a>] {
        &self.columns
    }
}

/// One column as the rules see it: its name normalised and split into tokens, its type
/// family and the categories the value classifiers found.
pub(super) struct Column<'a> {
    pub(super) name: &'a str,
    pub(super) norm: String,
    pub(super) tokens: Vec<String>,
    pub(super) ty: TypeFamily,
    /// The declared type, lower-case (`vector(1536)`, `array(float32)`).
    pub(super) declared: String,
    pub(super) categories: &'a [CategoryId],
    /// The column's values summarised, when the caller passed them.
    pub(super) profile: Option<&'a ValueProfile>,
}

impl<'a> Column<'a> {
    fn new(c: &TableColumn<'a>, profile: Option<&'a ValueProfile>) -> Self {
        let norm = normalize_column_name(c.name);
        let tokens = norm.split('_').map(str::to_owned).collect();
        Column {
            name: c.name,
            norm,
            tokens,
            ty: c.data_type.family(),
            declared: c.data_type.declared().to_ascii_lowercase(),
            categories: c.categories,
            profile,
        }
    }

    /// Whether the name contains `term`: an ASCII term (`gps_time`) must
    /// match whole consecutive tokens of the normalised name, so `lat` does
    /// not fire inside `platform`; a Chinese term may sit anywhere, since
    /// Chinese names are not split into tokens.
    pub(super) fn has(&self, term: &str) -> bool {
        if !term.is_ascii() {
            return self.norm.contains(term);
        }
        has_tokens(&self.tokens, term)
    }

    /// The first of `terms` the name contains.
    pub(super) fn find(&self, terms: &[&'static str]) -> Option<&'static str> {
        terms.iter().copied().find(|t| self.has(t))
    }

    pub(super) fn last_token(&self) -> &str {
        self.tokens.last().map_or("", String::as_str)
    }

    pub(super) fn category(&self, wanted: &[CategoryId]) -> Option<&'a CategoryId> {
        self.categories.iter().find(|c| wanted.contains(c))
    }
}

/// Whether `tokens` hold the `_`-separated words of `term` one after another. Every rule
/// asks this of every column for each of its terms, so it allocates nothing.
fn has_tokens(tokens: &[String], term: &str) -> bool {
    let words = term.bytes().filter(|&b| b == b'_').count() + 1;
    tokens
        .windows(words)
        .any(|w| w.iter().map(String::as_str).eq(term.split('_')))
}

/// Why one column plays a part in a rule.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    pub(super) column: String,
    pub(super) why: String,
    /// 1.0 when backed by classified values or a declared type; lower when
    /// only the name says so.
    pub(super) strength: f64,
}

impl Hit {
    pub(super) fn new(col: &Column<'_>, why: impl Into<String>, strength: f64) -> Self {
        Hit {
            column: col.name.to_owned(),
            why: why.into(),
            strength,
        }
    }
}

/// The strongest hit; the first one among equals (table order).
pub(super) fn best(hits: impl Iterator<Item = Hit>) -> Option<Hit> {
    hits.fold(None, |acc: Option<Hit>, h| match acc {
        Some(a) if a.strength >= h.strength => Some(a),
        _ => Some(h),
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Builds a finding of `category` from role descriptions, each with its hits. Columns are
/// listed in table order without repeats.
pub(super) fn finding(
    category: &TableCategoryInfo,
    confidence: f64,
    cols: &[Column<'_>],
    roles: &[(&str, Vec<&Hit>)],
) -> TableFinding {
    let rule = roles
        .iter()
        .map(|(role, hits)| {
            let parts: Vec<String> = hits
                .iter()
                .map(|h| format!("`{}` ({})", h.column, h.why))
                .collect();
            format!("{role}: {}", parts.join(" + "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let used: Vec<&str> = roles
        .iter()
        .flat_map(|(_, hits)| hits.iter().map(|h| h.column.as_str()))
        .collect();
    let columns = cols
        .iter()
        .filter(|c| used.contains(&c.name))
        .map(|c| c.name.to_owned())
        .collect();
    TableFinding {
        category: category.id.clone(),
        confidence: round2(confidence.clamp(0.0, 1.0)),
        rule,
        columns,
    }
}

const TIME_NAMES: &[&str] = &[
    "time",
    "ts",
    "timestamp",
    "datetime",
    "date",
    "dt",
    "gpstime",
    "locatetime",
    "时间",
    "时刻",
    "日期",
];

/// Name tokens of a number that counts time since the Unix epoch
/// (`gps_ms`, `epoch_sec`, `unix_time`).
const EPOCH_TOKENS: &[&str] = &["ms", "millis", "msec", "epoch", "unix", "unixtime"];

/// A date/time column, by type or by name; a numeric column counts when
/// its name says epoch seconds or milliseconds.
pub(super) fn time_hit(c: &Column<'_>) -> Option<Hit> {
    if c.ty == TypeFamily::Time {
        return Some(Hit::new(c, "date/time type", 1.0));
    }
    if c.ty == TypeFamily::Numeric {
        if let Some(t) = EPOCH_TOKENS
            .iter()
            .find(|t| c.tokens.iter().any(|k| k == *t))
        {
            return Some(Hit::new(c, format!("epoch time name `{t}`"), 0.85));
        }
    }
    if let Some(t) = c.find(TIME_NAMES) {
        return Some(Hit::new(c, format!("time name `{t}`"), 0.85));
    }
    // `created_at`, `located_at`.
    if c.tokens.len() > 1 && c.last_token() == "at" {
        return Some(Hit::new(c, "time name `*_at`", 0.85));
    }
    let unit = c.profile?.epoch()?;
    Some(Hit::new(
        c,
        format!("epoch {unit:?} values").to_lowercase(),
        0.9,
    ))
}

#[cfg(test)]
mod tests {
    use crate::{ColumnType, TypeFamily};

    #[test]
    fn terms_match_whole_consecutive_tokens() {
        let tokens: Vec<String> = ["dev", "gps", "time", "lat"].map(String::from).to_vec();
        for (term, want) in [
            ("gps_time", true),
            ("time_lat", true),
            ("dev_gps_time_lat", true),
            ("lat", true),
            ("gps_lat", false),
            ("time_gps", false),
            ("la", false),
            ("dev_gps_time_lat_x", false),
            ("", false),
        ] {
            assert_eq!(super::has_tokens(&tokens, term), want, "{term}");
        }
        assert!(!super::has_tokens(&["platform".to_owned()], "lat"));
    }

    #[test]
    fn declared_types_the_rules_rely_on() {
        use TypeFamily::*;
        for (t, want) in [
            ("double", Numeric),
            ("DOUBLE PRECISION", Numeric),
            ("decimal(10,6)", Numeric),
            ("Float64", Numeric),
            ("Nullable(Float64)", Numeric),
            ("Decimal128(9, 6)", Numeric),
            ("int unsigned", Numeric),
            ("timestamp(3) with time zone", Time),
            ("Timestamp(Millisecond, None)", Time),
            ("Nullable(DateTime64(3))", Time),
            ("DATE", Time),
            ("bytea", Binary),
            ("LargeBinary", Binary),
            ("longblob", Binary),
            ("geometry(Point,4326)", Geometry),
            ("varchar(32)", Text),
            ("Utf8", Text),
            ("interval", Other),
            ("", Unknown),
        ] {
            assert_eq!(ColumnType::parse(t).family(), want, "{t}");
        }
    }
}
