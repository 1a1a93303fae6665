//! Validating one `[[classifier]]` table and compiling it: every check that
//! can name a line happens here, before anything is built.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, StartKind};
use regex::Regex;
use toml::Spanned;

use super::classifier::{CustomClassifier, MaskMode, MatchMode, Validator};
use super::errors::{Ctx, CustomClassifierError, CustomErrorKind};
use super::schema::RawClassifier;
use crate::{normalize_column_name, CategoryId, CategoryInfo};

/// Names accepted by the `mask` key.
const MASKS: &[&str] = &["keep_head_tail", "keep_head", "keep_tail", "full"];

/// Names accepted by the `match` key.
const MATCH_MODES: &[&str] = &["equals", "contains"];

/// The engine's default thresholds, `(without hint, with hint)`.
const DEFAULT_MIN_RATIO: (f64, f64) = (0.6, 0.3);

/// Dictionaries up to this size are also compiled into the shared regex
/// prefilter, so values that cannot match never reach `confirm`. Larger ones
/// use a match-anything prefilter and rely on the aho-corasick automaton
/// alone, which keeps the combined `RegexSet` small.
const PREFILTER_MAX_ENTRIES: usize = 256;
const PREFILTER_MAX_BYTES: usize = 8 * 1024;

/// A validated classifier, before its prefilter and docs are assembled.
pub(super) struct Spec {
    pub(super) id: String,
    pub(super) id_line: usize,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) is_pi: bool,
    pub(super) is_sensitive: bool,
    pub(super) identifies_person: bool,
    pub(super) gbt43697_class: Option<String>,
    pub(super) vehicle_item: Option<String>,
    pub(super) regex_src: Option<String>,
    pub(super) regex: Option<Regex>,
    pub(super) validate_group: bool,
    pub(super) validator: Option<Validator>,
    pub(super) dictionary: Option<(Vec<String>, AhoCorasick, MatchMode)>,
    pub(super) ignore_case: bool,
    pub(super) hints: Vec<String>,
    pub(super) min_ratio: (f64, f64),
    pub(super) mask: MaskMode,
    pub(super) mask_keep: usize,
    pub(super) free_text: bool,
    pub(super) docs: Option<String>,
}

/// Checks the `family.name` shape without a regex (it runs once per id).
pub(super) fn id_is_well_formed(id: &str) -> bool {
    let part = |p: &str| {
        let mut chars = p.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    match id.split_once('.') {
        Some((family, name)) => part(family) && part(name),
        None => false,
    }
}

fn one_of<'a>(key: &str, value: &'a str, allowed: &[&str]) -> Result<&'a str, CustomErrorKind> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(CustomErrorKind::Invalid(format!(
            "unknown {key} {value:?}; allowed: {}",
            allowed.join(", ")
        )))
    }
}

pub(super) fn compile(
    ctx: &Ctx<'_>,
    raw: RawClassifier,
    resolve: &dyn Fn(&str) -> std::io::Result<String>,
) -> Result<Spec, CustomClassifierError> {
    let id = raw.id.get_ref().clone();
    let id_line = ctx.line_of(raw.id.span());
    let err =
        |span: Range<usize>, kind: CustomErrorKind| ctx.error(ctx.line_of(span), Some(&id), kind);

    if !id_is_well_formed(&id) {
        return Err(err(raw.id.span(), CustomErrorKind::InvalidId));
    }
    if crate::builtin::CLASSIFIERS
        .iter()
        .any(|c| c.id() == id.as_str())
    {
        return Err(err(raw.id.span(), CustomErrorKind::BuiltinId));
    }
    for name in [&raw.name_zh, &raw.name_en] {
        if name.get_ref().trim().is_empty() {
            return Err(err(
                name.span(),
                CustomErrorKind::Invalid("names must not be empty".into()),
            ));
        }
    }
    let is_sensitive = raw.sensitive.as_ref().is_some_and(|s| *s.get_ref());
    if let Some(s) = raw.sensitive.as_ref().filter(|_| is_sensitive && !raw.pi) {
        return Err(err(
            s.span(),
            CustomErrorKind::Invalid("sensitive = true requires pi = true".into()),
        ));
    }

    let identifies_person = raw.identifies_person.as_ref().is_some_and(|s| *s.get_ref());
    if let Some(s) = raw
        .identifies_person
        .as_ref()
        .filter(|_| identifies_person && !raw.pi)
    {
        return Err(err(
            s.span(),
            CustomErrorKind::Invalid("identifies_person = true requires pi = true".into()),
        ));
    }

    if let Some(c) = raw.gbt43697_class.as_ref().filter(|_| !raw.pi) {
        return Err(err(
            c.span(),
            CustomErrorKind::Invalid("gbt43697_class is a PI class and requires pi = true".into()),
        ));
    }

    // Regex: compiled here (not only by the engine) so that the error can
    // name the line, and kept anchored for `confirm`.
    let mut regex = None;
    let mut validate_group = false;
    if let Some(r) = &raw.regex {
        let flags = if raw.ignore_case { "(?i)" } else { "" };
        let anchored = format!("^(?s:{flags}(?:{}))$", r.get_ref());
        match Regex::new(&anchored) {
            Ok(re) => {
                validate_group = re.capture_names().flatten().any(|n| n == "validate");
                regex = Some(re);
            }
            Err(e) => {
                // Report the user's pattern, not our anchored wrapper.
                let e = Regex::new(r.get_ref()).err().unwrap_or(e);
                return Err(err(r.span(), CustomErrorKind::Regex(e)));
            }
        }
    }

    let validator = match &raw.validator {
        None => None,
        Some(v) => {
            let Some(parsed) = Validator::parse(v.get_ref()) else {
                return Err(err(
                    v.span(),
                    CustomErrorKind::UnknownValidator(v.get_ref().clone()),
                ));
            };
            if regex.is_none() {
                return Err(err(
                    v.span(),
                    CustomErrorKind::Invalid(
                        "validator needs a regex: it checks the values the regex matched".into(),
                    ),
                ));
            }
            Some(parsed)
        }
    };

    // Dictionary: inline entries plus the resolved file, trimmed like values.
    let mut entries: Vec<String> = Vec::new();
    if let Some(d) = &raw.dictionary {
        entries.extend(d.get_ref().iter().map(|e| e.trim().to_owned()));
    }
    if let Some(path) = &raw.dictionary_file {
        let text = resolve(path.get_ref()).map_err(|e| {
            err(
                path.span(),
                CustomErrorKind::DictionaryFile {
                    path: path.get_ref().clone(),
                    message: e.to_string(),
                },
            )
        })?;
        entries.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .map(str::to_owned),
        );
    }
    entries.retain(|e| !e.is_empty());
    entries.sort();
    entries.dedup();
    let has_dictionary = raw.dictionary.is_some() || raw.dictionary_file.is_some();
    let dict_span = raw
        .dictionary
        .as_ref()
        .map(|d| d.span())
        .or_else(|| raw.dictionary_file.as_ref().map(|d| d.span()));
    if let Some(span) = dict_span.clone().filter(|_| entries.is_empty()) {
        return Err(err(
            span,
            CustomErrorKind::Invalid("dictionary has no non-blank entries".into()),
        ));
    }
    let match_mode = match &raw.match_mode {
        None => MatchMode::Equals,
        Some(m) => {
            let name = one_of("match", m.get_ref(), MATCH_MODES).map_err(|k| err(m.span(), k))?;
            if !has_dictionary {
                return Err(err(
                    m.span(),
                    CustomErrorKind::Invalid(
                        "match applies to dictionaries only (a regex always matches the whole value)"
                            .into(),
                    ),
                ));
            }
            if name == "contains" {
                MatchMode::Contains
            } else {
                MatchMode::Equals
            }
        }
    };
    let dictionary = match dict_span {
        None => None,
        Some(span) => {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .ascii_case_insensitive(raw.ignore_case)
                .build(&entries)
                .map_err(|e| {
                    err(
                        span,
                        CustomErrorKind::Invalid(format!("dictionary cannot be compiled: {e}")),
                    )
                })?;
            Some((entries, ac, match_mode))
        }
    };
    if regex.is_none() && dictionary.is_none() {
        return Err(ctx.error(id_line, Some(&id), CustomErrorKind::NothingToMatch));
    }

    let mut hints = Vec::new();
    if let Some(h) = &raw.column_hints {
        for hint in h.get_ref() {
            let normalized = normalize_column_name(hint);
            if normalized.is_empty() {
                return Err(err(
                    h.span(),
                    CustomErrorKind::Invalid(format!(
                        "column hint {hint:?} has no letters or digits"
                    )),
                ));
            }
            if !hints.contains(&normalized) {
                hints.push(normalized);
            }
        }
    }

    let min_ratio = match &raw.min_ratio {
        None => DEFAULT_MIN_RATIO,
        Some(m) => {
            let v = *m.get_ref();
            if !(v > 0.0 && v <= 1.0) {
                return Err(err(
                    m.span(),
                    CustomErrorKind::Invalid(format!("min_ratio must be in (0, 1], got {v}")),
                ));
            }
            (v, v.min(DEFAULT_MIN_RATIO.1))
        }
    };

    let mask = match &raw.mask {
        None => MaskMode::HeadTail,
        Some(m) => match one_of("mask", m.get_ref(), MASKS).map_err(|k| err(m.span(), k))? {
            "keep_head" => MaskMode::Head,
            "keep_tail" => MaskMode::Tail,
            "full" => MaskMode::Full,
            _ => MaskMode::HeadTail,
        },
    };
    let mask_keep = match &raw.mask_keep {
        None => 2,
        Some(k) => match usize::try_from(*k.get_ref()) {
            Ok(n) if n <= 8 => n,
            _ => {
                return Err(err(
                    k.span(),
                    CustomErrorKind::Invalid(format!(
                        "mask_keep must be 0 to 8, got {}",
                        k.get_ref()
                    )),
                ))
            }
        },
    };

    Ok(Spec {
        id,
        id_line,
        name_zh: raw.name_zh.into_inner().trim().to_owned(),
        name_en: raw.name_en.into_inner().trim().to_owned(),
        is_pi: raw.pi,
        is_sensitive,
        identifies_person,
        gbt43697_class: raw.gbt43697_class.map(Spanned::into_inner),
        vehicle_item: raw.vehicle_item.filter(|v| !v.trim().is_empty()),
        regex_src: raw.regex.map(Spanned::into_inner),
        regex,
        validate_group,
        validator,
        dictionary,
        ignore_case: raw.ignore_case,
        hints,
        min_ratio,
        mask,
        mask_keep,
        free_text: raw.free_text,
        docs: raw.docs,
    })
}

impl Spec {
    /// The shared-prefilter pattern: the user's regex and/or the dictionary.
    /// It must accept every value `confirm` accepts.
    fn prefilter(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.regex_src {
            let flags = if self.ignore_case { "(?i)" } else { "" };
            parts.push(format!("(?s:{flags}(?:{r}))"));
        }
        if let Some((entries, _, mode)) = &self.dictionary {
            let bytes: usize = entries.iter().map(String::len).sum();
            if entries.len() <= PREFILTER_MAX_ENTRIES && bytes <= PREFILTER_MAX_BYTES {
                // Unicode case folding in the regex is wider than the ASCII
                // folding of the automaton: a wider prefilter is harmless.
                let flags = if self.ignore_case { "(?i)" } else { "" };
                let alt = entries
                    .iter()
                    .map(|e| regex::escape(e))
                    .collect::<Vec<_>>()
                    .join("|");
                parts.push(match mode {
                    MatchMode::Equals => format!("(?s:{flags}(?:{alt}))"),
                    MatchMode::Contains => format!("(?s:.*{flags}(?:{alt}).*)"),
                });
            } else {
                parts.push("(?s:.+)".to_owned());
            }
        }
        parts.join("|")
    }

    fn generated_docs(&self, origin: &str) -> String {
        let mut what = Vec::new();
        if let Some(r) = &self.regex_src {
            let mut s = format!("Values matching the regular expression `{r}`");
            if let Some(v) = self.validator {
                s.push_str(&format!(" that pass {} (`{}`)", v.describe(), v.name()));
            }
            what.push(s);
        }
        if let Some((entries, _, mode)) = &self.dictionary {
            what.push(match mode {
                MatchMode::Equals => format!(
                    "Values equal to one of {} dictionary entries",
                    entries.len()
                ),
                MatchMode::Contains => {
                    format!(
                        "Values containing one of {} dictionary entries",
                        entries.len()
                    )
                }
            });
        }
        let hints = if self.hints.is_empty() {
            String::from("No column-name hints.")
        } else {
            format!(
                "Column-name hints: {}.",
                self.hints
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let why = match (self.is_pi, self.is_sensitive) {
            (true, true) => "Declared as sensitive personal information.",
            (true, false) => "Declared as personal information.",
            _ => "Declared as not personal information.",
        };
        format!(
            "{} ({}), a custom classifier loaded from `{origin}`.\n\n\
             ## What it detects\n\n{}.\n{hints}\n\n\
             ## Why it matters\n\n{why}\n\n\
             ## Examples\n\nNone given in the configuration.\n\n\
             ## Known false positives\n\nNot documented; add a `docs` entry to the configuration.\n",
            self.name_en,
            self.name_zh,
            what.join("; or "),
        )
    }

    pub(super) fn finish(mut self, origin: &str) -> CustomClassifier {
        let prefilter = self.prefilter();
        let docs = match self.docs.take() {
            Some(d) => d,
            None => self.generated_docs(origin),
        };
        let hint = (!self.hints.is_empty()).then(|| {
            self.hints
                .iter()
                .map(|h| regex::escape(h))
                .collect::<Vec<_>>()
                .join("|")
        });
        // Field by field on top of `new` rather than a struct literal, so
        // that fields added to `CategoryInfo` later keep their defaults.
        let mut info = CategoryInfo::new(CategoryId::new(self.id), self.name_zh, self.name_en);
        info.is_pi = self.is_pi;
        info.is_sensitive = self.is_sensitive;
        info.gbt43697_class = self.gbt43697_class.unwrap_or_default().into();
        info.vehicle_item = self.vehicle_item.map(Into::into);
        CustomClassifier {
            info,
            identifies_person: self.identifies_person,
            ignore_case: self.ignore_case,
            prefilter,
            regex: self.regex,
            validate_group: self.validate_group,
            validator: self.validator,
            dictionary: self.dictionary.map(|(_, ac, mode)| (ac, mode)),
            hint,
            min_ratio: self.min_ratio,
            mask: self.mask,
            mask_keep: self.mask_keep,
            free_text: self.free_text,
            docs,
        }
    }
}
