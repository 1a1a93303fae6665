//! The classification engine: one shared prefilter, per-column accumulation.

use std::fmt;

use regex::{Regex, RegexSet};

use crate::builtin;
use crate::normalize::normalize_column_name;
use crate::Classifier;

/// Evidence strings kept per finding.
const MAX_EVIDENCE: usize = 3;
/// Confidence of a finding based on the column name alone.
const HINT_ONLY_CONFIDENCE: f64 = 0.3;
/// Confidence bonus when both values and the column name agree.
const HINT_BONUS: f64 = 0.05;

/// Error raised while building a [`ClassifierSet`]. Classification itself
/// never fails.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BuildError {
    /// A classifier's value pattern did not compile.
    ValuePattern {
        /// Id of the offending classifier.
        classifier: String,
        /// The regex compiler's error.
        source: regex::Error,
    },
    /// A classifier's column hint did not compile.
    ColumnHint {
        /// Id of the offending classifier.
        classifier: String,
        /// The regex compiler's error.
        source: regex::Error,
    },
    /// The combined prefilter could not be built (e.g. it exceeds the regex
    /// size limit).
    PatternSet {
        /// The regex compiler's error.
        source: regex::Error,
    },
    /// Two classifiers share an id.
    DuplicateId {
        /// The duplicated id.
        id: String,
    },
    /// `id()` and `info().id` disagree.
    InconsistentId {
        /// What `id()` returned.
        id: String,
        /// What `info().id` returned.
        info_id: &'static str,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::ValuePattern { classifier, source } => {
                write!(
                    f,
                    "classifier {classifier}: invalid value pattern: {source}"
                )
            }
            BuildError::ColumnHint { classifier, source } => {
                write!(f, "classifier {classifier}: invalid column hint: {source}")
            }
            BuildError::PatternSet { source } => {
                write!(f, "cannot build the combined pattern set: {source}")
            }
            BuildError::DuplicateId { id } => write!(f, "duplicate classifier id {id}"),
            BuildError::InconsistentId { id, info_id } => {
                write!(f, "classifier id {id} differs from info().id {info_id}")
            }
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::ValuePattern { source, .. }
            | BuildError::ColumnHint { source, .. }
            | BuildError::PatternSet { source } => Some(source),
            _ => None,
        }
    }
}

/// Anchors a value pattern for the whole-value prefilter.
fn anchor_value(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// Wraps a column hint so it only matches on token boundaries of a
/// normalised column name. A Han character also counts as a boundary so that
/// Chinese hints match inside Chinese runs (`客户身份证号`).
fn wrap_hint(pattern: &str) -> String {
    format!(r"(?:^|_|\p{{Han}})(?:{pattern})(?:$|_|\p{{Han}})")
}

/// Builder for a [`ClassifierSet`].
#[derive(Default)]
pub struct ClassifierSetBuilder {
    classifiers: Vec<Box<dyn Classifier>>,
}

impl fmt::Debug for ClassifierSetBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.classifiers.iter().map(|c| c.id().to_owned()))
            .finish()
    }
}

impl ClassifierSetBuilder {
    /// Adds every built-in classifier.
    pub fn builtins(mut self) -> Self {
        for &c in builtin::CLASSIFIERS {
            self.classifiers.push(Box::new(c));
        }
        self
    }

    /// Adds one classifier (built-in or custom).
    pub fn with(mut self, classifier: Box<dyn Classifier>) -> Self {
        self.classifiers.push(classifier);
        self
    }

    /// Compiles all patterns.
    ///
    /// # Errors
    ///
    /// Returns a [`BuildError`] if a pattern or hint does not compile, or if
    /// two classifiers share an id.
    pub fn build(self) -> Result<ClassifierSet, BuildError> {
        let classifiers = self.classifiers;
        let mut ids: Vec<&str> = Vec::with_capacity(classifiers.len());
        let mut value_patterns = Vec::new();
        let mut value_owner = Vec::new();
        let mut hint_patterns = Vec::new();
        let mut hint_owner = Vec::new();

        for (i, c) in classifiers.iter().enumerate() {
            let id = c.id();
            if id != c.info().id {
                return Err(BuildError::InconsistentId {
                    id: id.to_owned(),
                    info_id: c.info().id,
                });
            }
            if ids.contains(&id) {
                return Err(BuildError::DuplicateId { id: id.to_owned() });
            }
            ids.push(id);
            if let Some(p) = c.value_pattern() {
                let anchored = anchor_value(p);
                // Compile alone first so the error names the classifier.
                Regex::new(&anchored).map_err(|source| BuildError::ValuePattern {
                    classifier: id.to_owned(),
                    source,
                })?;
                value_patterns.push(anchored);
                value_owner.push(i);
            }
            if let Some(h) = c.column_hint() {
                let wrapped = wrap_hint(h);
                Regex::new(&wrapped).map_err(|source| BuildError::ColumnHint {
                    classifier: id.to_owned(),
                    source,
                })?;
                hint_patterns.push(wrapped);
                hint_owner.push(i);
            }
        }

        let value_set =
            RegexSet::new(&value_patterns).map_err(|source| BuildError::PatternSet { source })?;
        let hint_set =
            RegexSet::new(&hint_patterns).map_err(|source| BuildError::PatternSet { source })?;

        // Confirmation order: the exclusive group first, in priority order,
        // then everything else in registration order.
        let rank = |i: usize| {
            builtin::EXCLUSIVE
                .iter()
                .position(|&e| e == classifiers[i].id())
        };
        let mut exclusive = vec![false; classifiers.len()];
        let mut order: Vec<usize> = (0..classifiers.len()).collect();
        for (i, e) in exclusive.iter_mut().enumerate() {
            *e = rank(i).is_some();
        }
        order.sort_by_key(|&i| (rank(i).unwrap_or(usize::MAX), i));
        // Map classifier index -> prefilter pattern index.
        let mut value_slot = vec![None; classifiers.len()];
        for (p, &i) in value_owner.iter().enumerate() {
            value_slot[i] = Some(p);
        }

        Ok(ClassifierSet {
            classifiers,
            value_set,
            value_slot,
            hint_set,
            hint_owner,
            exclusive,
            order,
        })
    }
}

/// A compiled, immutable group of classifiers. Build it once and share it
/// (`&ClassifierSet` is `Send + Sync`) across worker threads.
pub struct ClassifierSet {
    classifiers: Vec<Box<dyn Classifier>>,
    /// Anchored value patterns of the classifiers that have one.
    value_set: RegexSet,
    /// Classifier index -> pattern index in `value_set`.
    value_slot: Vec<Option<usize>>,
    /// Wrapped column hints.
    hint_set: RegexSet,
    /// Pattern index in `hint_set` -> classifier index.
    hint_owner: Vec<usize>,
    /// Whether the classifier belongs to the exclusive group.
    exclusive: Vec<bool>,
    /// Classifier indices in confirmation order.
    order: Vec<usize>,
}

impl fmt::Debug for ClassifierSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClassifierSet")
            .field(
                "classifiers",
                &self.classifiers.iter().map(|c| c.id()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl ClassifierSet {
    /// All built-in classifiers.
    ///
    /// # Panics
    ///
    /// Never in practice: the built-in patterns are covered by tests.
    pub fn builtin() -> ClassifierSet {
        Self::builder()
            .builtins()
            .build()
            .expect("built-in classifier patterns compile")
    }

    /// Starts an empty builder.
    pub fn builder() -> ClassifierSetBuilder {
        ClassifierSetBuilder::default()
    }

    /// The classifiers in registration order.
    pub fn classifiers(&self) -> impl Iterator<Item = &dyn Classifier> {
        self.classifiers.iter().map(|c| c.as_ref())
    }

    /// Looks a classifier up by id.
    pub fn get(&self, id: &str) -> Option<&dyn Classifier> {
        self.classifiers().find(|c| c.id() == id)
    }

    /// Starts classifying one column. The column-name hints are evaluated
    /// once here, on [`normalize_column_name`]`(column_name)`.
    pub fn column<'s>(&'s self, column_name: &str) -> ColumnScan<'s> {
        let normalized = normalize_column_name(column_name);
        let mut hinted = vec![false; self.classifiers.len()];
        if !normalized.is_empty() {
            for p in self.hint_set.matches(&normalized).iter() {
                hinted[self.hint_owner[p]] = true;
            }
        }
        ColumnScan {
            set: self,
            hinted,
            sampled: 0,
            stats: (0..self.classifiers.len())
                .map(|_| Stat::default())
                .collect(),
        }
    }
}

#[derive(Default)]
struct Stat {
    weight: f64,
    matched: u64,
    evidence: Vec<String>,
}

/// Accumulates the values of one column. Create with
/// [`ClassifierSet::column`], feed with [`push`](ColumnScan::push), and
/// collect the verdicts with [`finish`](ColumnScan::finish).
pub struct ColumnScan<'s> {
    set: &'s ClassifierSet,
    hinted: Vec<bool>,
    sampled: u64,
    stats: Vec<Stat>,
}

impl fmt::Debug for ColumnScan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Deliberately no values or evidence here.
        f.debug_struct("ColumnScan")
            .field("sampled", &self.sampled)
            .finish_non_exhaustive()
    }
}

impl ColumnScan<'_> {
    /// Adds one sampled value. `None` is SQL NULL; empty and whitespace-only
    /// strings are treated as null too and do not count as sampled.
    pub fn push(&mut self, value: Option<&str>) {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return;
        };
        self.sampled += 1;
        let set = self.set;
        let hits = set.value_set.matches(value);
        if !hits.matched_any() {
            return;
        }
        let mut claimed = false;
        for &i in &set.order {
            let Some(slot) = set.value_slot[i] else {
                continue;
            };
            if !hits.matched(slot) {
                continue;
            }
            let exclusive = set.exclusive[i];
            if exclusive && claimed {
                continue;
            }
            let classifier = &set.classifiers[i];
            let Some(weight) = classifier.confirm(value) else {
                continue;
            };
            if weight.is_nan() || weight <= 0.0 {
                continue;
            }
            claimed |= exclusive;
            let stat = &mut self.stats[i];
            stat.weight += weight.min(1.0);
            stat.matched += 1;
            if stat.evidence.len() < MAX_EVIDENCE {
                let masked = classifier.mask(value);
                if !stat.evidence.contains(&masked) {
                    stat.evidence.push(masked);
                }
            }
        }
    }

    /// Number of non-null values pushed so far.
    pub fn sampled(&self) -> u64 {
        self.sampled
    }

    /// Produces the column's findings, sorted by confidence (descending),
    /// then by category id.
    pub fn finish(self) -> Vec<ColumnFinding> {
        let mut out = Vec::new();
        for (i, stat) in self.stats.into_iter().enumerate() {
            let classifier = &self.set.classifiers[i];
            let hinted = self.hinted[i];
            if self.sampled == 0 {
                if hinted {
                    out.push(ColumnFinding {
                        category: classifier.id().to_owned(),
                        confidence: HINT_ONLY_CONFIDENCE,
                        matched: 0,
                        sampled: 0,
                        by: vec!["column_name"],
                        evidence: Vec::new(),
                    });
                }
                continue;
            }
            if stat.matched == 0 {
                continue;
            }
            let ratio = stat.weight / self.sampled as f64;
            let (plain, with_hint) = classifier.min_ratio();
            let min = if hinted { with_hint } else { plain };
            if ratio < min {
                continue;
            }
            let bonus = if hinted { HINT_BONUS } else { 0.0 };
            let confidence = round2((0.5 + 0.5 * ratio + bonus).clamp(0.0, 1.0));
            out.push(ColumnFinding {
                category: classifier.id().to_owned(),
                confidence,
                matched: stat.matched,
                sampled: self.sampled,
                by: if hinted {
                    vec!["value", "column_name"]
                } else {
                    vec!["value"]
                },
                evidence: stat.evidence,
            });
        }
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.category.cmp(&b.category))
        });
        out
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One category detected in one column.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ColumnFinding {
    /// Classifier id, e.g. `pi.mobile_phone`.
    pub category: String,
    /// Confidence in `[0, 1]`, rounded to two decimals.
    pub confidence: f64,
    /// Non-null values that confirmed.
    pub matched: u64,
    /// Non-null values examined.
    pub sampled: u64,
    /// What the verdict rests on: a subset of `["value", "column_name"]`.
    pub by: Vec<&'static str>,
    /// At most three distinct *masked* examples; never raw values.
    pub evidence: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{luhn_valid, mod11_2_check_char};
    use crate::CategoryInfo;

    /// Deterministic xorshift so tests need no extra crates.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn digits(&mut self, n: usize) -> String {
            (0..n)
                .map(|_| char::from(b'0' + (self.next() % 10) as u8))
                .collect()
        }
    }

    /// A synthetic, checksum-valid 18-digit resident ID.
    fn synthetic_id(rng: &mut Rng) -> String {
        let areas = ["110105", "310104", "440305", "510107", "330106"];
        let area = areas[(rng.next() % areas.len() as u64) as usize];
        let year = 1950 + rng.next() % 60;
        let month = 1 + rng.next() % 12;
        let day = 1 + rng.next() % 28;
        let body = format!("{area}{year}{month:02}{day:02}{}", rng.digits(3));
        let check = mod11_2_check_char(body.as_bytes()).unwrap() as char;
        format!("{body}{check}")
    }

    fn scan(set: &ClassifierSet, column: &str, values: &[&str]) -> Vec<ColumnFinding> {
        let mut s = set.column(column);
        for v in values {
            s.push(Some(v));
        }
        s.finish()
    }

    fn categories(f: &[ColumnFinding]) -> Vec<&str> {
        f.iter().map(|f| f.category.as_str()).collect()
    }

    #[test]
    fn resident_ids_with_nulls() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(42);
        let ids: Vec<String> = (0..100).map(|_| synthetic_id(&mut rng)).collect();
        let mut s = set.column("customer_ref");
        for (i, id) in ids.iter().enumerate() {
            s.push(Some(id));
            if i % 7 < 3 {
                // ~30% nulls, in both spellings.
                s.push(None);
                s.push(Some("   "));
            }
        }
        let f = s.finish();
        assert_eq!(categories(&f), vec!["pi.cn_resident_id"], "{f:?}");
        let f = &f[0];
        assert!(f.confidence >= 0.9, "{f:?}");
        assert_eq!(f.matched, 100);
        assert_eq!(f.sampled, 100);
        assert_eq!(f.by, vec!["value"]);
        assert_eq!(f.evidence.len(), 3);
        for e in &f.evidence {
            assert!(!ids.contains(e), "raw id leaked: {e}");
            assert_eq!(e.chars().filter(|&c| c == '*').count(), 8);
        }
    }

    #[test]
    fn ids_do_not_count_as_bank_cards() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(7);
        // Keep only IDs that also pass Luhn, the worst case for a conflict.
        let ids: Vec<String> = std::iter::repeat_with(|| synthetic_id(&mut rng))
            .filter(|id| luhn_valid(id))
            .take(20)
            .collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let f = scan(&set, "sfzh", &refs);
        assert_eq!(categories(&f), vec!["pi.cn_resident_id"]);
        assert_eq!(f[0].by, vec!["value", "column_name"]);
        assert_eq!(f[0].confidence, 1.0);
    }

    #[test]
    fn phone_column_of_order_numbers_is_nothing() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(99);
        let orders: Vec<String> = (0..200)
            .map(|_| format!("2024{}{}", rng.digits(4), rng.digits(10)))
            .collect();
        let refs: Vec<&str> = orders.iter().map(String::as_str).collect();
        assert!(scan(&set, "phone", &refs).is_empty());
    }

    #[test]
    fn look_alikes_produce_nothing() {
        let set = ClassifierSet::builtin();
        let mut rng = Rng(5);
        let timestamps: Vec<String> = (0..100)
            .map(|i| (1_700_000_000_000u64 + i * 1_234_567).to_string())
            .collect();
        let codes: Vec<String> = (0..90)
            .map(|i| format!("1{}{}", i % 3, rng.digits(9)))
            .collect();
        let uuids: Vec<String> = (0..50)
            .map(|_| {
                let h = format!("{:016x}{:016x}", rng.next(), rng.next());
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            })
            .collect();
        let amounts: Vec<String> = (0..50)
            .map(|i| format!("{}.{:02}", 1000 + i * 37, i % 100))
            .collect();
        let skus: Vec<String> = (0..50).map(|i| format!("SKU-2024-{i:06}")).collect();
        let cases: Vec<(&str, Vec<&str>)> = vec![
            (
                "created_ms",
                timestamps.iter().map(String::as_str).collect(),
            ),
            ("tel", codes.iter().map(String::as_str).collect()),
            ("id", uuids.iter().map(String::as_str).collect()),
            ("amount", amounts.iter().map(String::as_str).collect()),
            ("sku", skus.iter().map(String::as_str).collect()),
            (
                "company_name",
                vec![
                    "北京星辰科技有限公司",
                    "上海云帆网络科技有限公司",
                    "深圳前海数据服务有限公司",
                    "杭州西湖软件集团",
                    "王记餐饮店",
                    "李氏贸易公司",
                    "中国建设银行",
                ],
            ),
            (
                "city",
                vec![
                    "上海",
                    "杭州市",
                    "北京",
                    "广州",
                    "深圳",
                    "成都",
                    "武汉",
                    "苏州",
                    "郑州",
                    "南京",
                    "西安",
                    "重庆",
                    "天津",
                    "长沙",
                ],
            ),
        ];
        for (column, values) in cases {
            let f = scan(&set, column, &values);
            assert!(f.is_empty(), "{column}: {f:?}");
        }
    }

    #[test]
    fn empty_column_with_hint() {
        let set = ClassifierSet::builtin();
        let mut s = set.column("sfzh");
        s.push(None);
        s.push(Some(""));
        s.push(Some(" \t"));
        let f = s.finish();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].category, "pi.cn_resident_id");
        assert_eq!(f[0].confidence, 0.3);
        assert_eq!(f[0].by, vec!["column_name"]);
        assert_eq!((f[0].matched, f[0].sampled), (0, 0));
        assert!(f[0].evidence.is_empty());
        // No hint and no values: nothing.
        assert!(set.column("remark").finish().is_empty());
    }

    #[test]
    fn hint_lowers_threshold_and_adds_bonus() {
        let set = ClassifierSet::builtin();
        // 40% phones, 60% free text.
        let mut values = vec!["13800138000", "13900139000", "15012345678", "18611112222"];
        values.extend(["暂无", "n/a", "unknown", "待补充", "-", "?"]);
        assert!(scan(&set, "remark", &values).is_empty());
        let f = scan(&set, "lxdh", &values);
        assert_eq!(categories(&f), vec!["pi.mobile_phone"]);
        assert_eq!(f[0].confidence, 0.75); // 0.5 + 0.5*0.4 + 0.05
        assert_eq!(f[0].matched, 4);
        assert_eq!(f[0].sampled, 10);
        assert_eq!(f[0].by, vec!["value", "column_name"]);
    }

    #[test]
    fn evidence_is_masked_distinct_and_capped() {
        let set = ClassifierSet::builtin();
        let values = [
            "13800138000",
            "13800138000",
            "+86 139-0013-9000",
            "15000150000",
            "18600186000",
        ];
        let f = scan(&set, "mobile", &values);
        assert_eq!(f[0].category, "pi.mobile_phone");
        assert_eq!(
            f[0].evidence,
            vec!["138****8000", "139****9000", "150****0000"]
        );
        for v in values {
            assert!(f[0].evidence.iter().all(|e| !e.contains(v)));
        }
    }

    #[test]
    fn findings_sorted_and_serializable() {
        let set = ClassifierSet::builtin();
        let f = scan(
            &set,
            "mixed",
            &["13800138000", "13800138001", "a.b@example.com"],
        );
        assert_eq!(categories(&f), vec!["pi.mobile_phone"]);
        assert!(f.windows(2).all(|w| w[0].confidence >= w[1].confidence));
    }

    /// One positive column per built-in, under a neutral column name.
    #[test]
    fn every_builtin_detects_its_column() {
        let set = ClassifierSet::builtin();
        let cases: &[(&str, &[&str])] = &[
            (
                "pi.email",
                &[
                    "zhang.san@example.com",
                    "li.si@example.cn",
                    "w5@example.org",
                ],
            ),
            (
                "pi.bank_card",
                &[
                    "6222021234567890128",
                    "4111 1111 1111 1111",
                    "4111-1111-1111-1111",
                ],
            ),
            ("vehicle.vin", &["1M8GDM9AXKP042788", "1m8gdm9axkp042788"]),
            (
                "vehicle.license_plate",
                &["京A12345", "沪B·D12345", "粤B12345D", "苏E-1234学"],
            ),
            (
                "pi.name",
                &["张三", "王小明", "欧阳娜娜", "李娜", "阿依古丽·买买提"],
            ),
        ];
        for (want, values) in cases {
            let f = scan(&set, "col_a", values);
            assert_eq!(categories(&f), vec![*want], "{f:?}");
            assert!(f[0].confidence >= 0.9, "{f:?}");
            for v in *values {
                assert!(f[0].evidence.iter().all(|e| e != v), "{want}: raw {v}");
            }
        }
    }

    #[test]
    fn name_hint_needs_fewer_names() {
        let set = ClassifierSet::builtin();
        // Half names, half unknown placeholders.
        let values = [
            "张三",
            "王小明",
            "李娜",
            "赵四",
            "未知",
            "暂无",
            "不详",
            "待定",
        ];
        assert!(scan(&set, "col_a", &values).is_empty());
        let f = scan(&set, "customer_name", &values);
        assert_eq!(categories(&f), vec!["pi.name"]);
        assert_eq!(f[0].confidence, 0.8); // 0.5 + 0.5*0.5 + 0.05
        assert_eq!(f[0].evidence, vec!["张*", "王**", "李*"]);
        // A company-name column with the same values gets no hint bonus.
        assert!(scan(&set, "company_name", &values).is_empty());
    }

    #[test]
    fn values_win_over_misleading_names() {
        let set = ClassifierSet::builtin();
        let f = scan(&set, "name", &["SKU-1", "SKU-2", "SKU-3"]);
        assert!(f.is_empty());
    }

    struct Dummy(&'static str, &'static str);
    impl Classifier for Dummy {
        fn info(&self) -> CategoryInfo {
            CategoryInfo {
                id: self.0,
                name_zh: "测试",
                name_en: "Test",
                is_pi: false,
                is_sensitive: false,
            }
        }
        fn value_pattern(&self) -> Option<&str> {
            Some(self.1)
        }
        fn confirm(&self, _: &str) -> Option<f64> {
            Some(1.0)
        }
        fn column_hint(&self) -> Option<&str> {
            None
        }
        fn mask(&self, _: &str) -> String {
            "*".into()
        }
    }

    #[test]
    fn builder_errors() {
        let err = ClassifierSet::builder()
            .builtins()
            .with(Box::new(Dummy("pi.mobile_phone", "x")))
            .build()
            .unwrap_err();
        assert!(matches!(err, BuildError::DuplicateId { ref id } if id == "pi.mobile_phone"));
        let err = ClassifierSet::builder()
            .with(Box::new(Dummy("test.bad", "(")))
            .build()
            .unwrap_err();
        assert!(
            matches!(err, BuildError::ValuePattern { ref classifier, .. } if classifier == "test.bad")
        );
        assert!(err.to_string().contains("test.bad"));
    }

    #[test]
    fn custom_classifier_runs_alongside_builtins() {
        let set = ClassifierSet::builder()
            .builtins()
            .with(Box::new(Dummy("test.digits", "[0-9]{11}")))
            .build()
            .unwrap();
        assert!(set.get("test.digits").is_some());
        // Not in the exclusive group: counts independently of the phone.
        let f = scan(&set, "x", &["13800138000"]);
        assert_eq!(categories(&f), vec!["pi.mobile_phone", "test.digits"]);
    }

    #[test]
    fn empty_set_works() {
        let set = ClassifierSet::builder().build().unwrap();
        let mut s = set.column("phone");
        s.push(Some("13800138000"));
        assert_eq!(s.sampled(), 1);
        assert!(s.finish().is_empty());
    }
}
