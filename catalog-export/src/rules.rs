//! Catalogue items and importance rules, read from TOML.
//!
//! The shipped defaults (`rules/default.toml`) follow the vehicle rules' Art. 3 items and the
//! PI thresholds; an organisation replaces them with its own file when its sector catalogue
//! says more.

use model::{CategoryId, Level};
use serde::Deserialize;

/// The slug of the item of a category no definition gathers: the category's own
/// (`pi.passport` → `pi-passport`).
pub fn own_item_id(category: &CategoryId) -> String {
    category.as_str().replace('.', "-")
}

/// The shipped default rule set.
pub const DEFAULT_RULES: &str = include_str!("../rules/default.toml");

/// A rule file that cannot be used, naming the file (`origin`) and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// Not valid TOML, or a field of the wrong shape (the message has the line).
    #[error("{origin}: {source}")]
    Syntax {
        /// The file.
        origin: String,
        /// The parser's message.
        source: toml::de::Error,
    },
    /// Two items share an id.
    #[error("{origin}: item id '{id}' is defined twice")]
    DuplicateItem {
        /// The file.
        origin: String,
        /// The id.
        id: String,
    },
    /// Two rules share an id.
    #[error("{origin}: rule id '{id}' is defined twice")]
    DuplicateRule {
        /// The file.
        origin: String,
        /// The id.
        id: String,
    },
    /// A rule names an item that no definition has.
    #[error("{origin}: rule '{rule}' applies to unknown item '{target}'")]
    UnknownItem {
        /// The file.
        origin: String,
        /// The rule.
        rule: String,
        /// The item it names.
        target: String,
    },
    /// A persons rule without its threshold.
    #[error("{origin}: rule '{rule}' needs a `value`")]
    MissingValue {
        /// The file.
        origin: String,
        /// The rule.
        rule: String,
    },
}

/// Items and the rules that make them important.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Catalogue items: which categories of data form one entry.
    #[serde(default, rename = "item")]
    pub items: Vec<ItemDef>,
    /// Importance rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
}

/// One catalogue item definition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// Stable id; also the catalogue's 目录编号 stem.
    pub id: String,
    /// 数据名称.
    pub name: String,
    /// 数据描述.
    pub description: String,
    /// Category ids this item gathers.
    pub categories: Vec<CategoryId>,
    /// 数据类别: up to three levels (MIIT category, GB/T 43697 field, PI class).
    #[serde(default)]
    pub class: Vec<String>,
    /// Vehicle data type (汽车数据类型) for the vehicle sheet.
    #[serde(default)]
    pub vehicle_kind: Option<String>,
    /// Whether the item is vehicle PI in any organisation.
    #[serde(default)]
    pub vehicle_pi: bool,
    /// Whether the item is personal information (vehicle PI in a vehicle organisation).
    #[serde(default)]
    pub personal: bool,
    /// Sectors (所属领域) the item is defined for, matched as parts of the organisation's
    /// sectors (`人工智能` matches `人工智能/大模型`); empty: every organisation. Elsewhere its
    /// categories are items of their own, since a sector's catalogue terms (训练数据) are
    /// that sector's to file.
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// When a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Whenever the item is present.
    Always,
    /// When the item's persons exceed `value` (超过: the boundary does not count).
    PersonsGt,
    /// When the item's persons reach `value` (以上: the boundary counts).
    PersonsGe,
    /// When sampled coordinates fall inside a configured sensitive-area geofence.
    Geofence,
}

/// One importance rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable rule id.
    pub id: String,
    /// Item ids, or the groups `vehicle_pi` / `personal`.
    pub applies_to: Vec<String>,
    /// The condition.
    pub when: Condition,
    /// The threshold for the persons conditions.
    #[serde(default)]
    pub value: Option<u64>,
    /// 一般, 重要 or 核心.
    pub level: Level,
    /// 识别依据: the regulation text that makes the item important.
    pub basis: String,
}

impl RuleSet {
    /// The shipped defaults.
    pub fn default_rules() -> Self {
        Self::parse(DEFAULT_RULES, "default rules").expect("the shipped rules are valid")
    }

    /// Parses and checks a rule file; `origin` names it in errors.
    ///
    /// # Errors
    /// TOML errors (with line), duplicate ids, rules naming unknown items, persons rules
    /// without a value, unknown levels.
    pub fn parse(text: &str, origin: &str) -> Result<Self, RulesError> {
        let set: RuleSet = toml::from_str(text).map_err(|source| RulesError::Syntax {
            origin: origin.to_owned(),
            source,
        })?;
        set.validate(origin)?;
        Ok(set)
    }

    /// Adds rules (e.g. `[[catalog.rules]]` from `mulu.toml`) after checking them.
    ///
    /// # Errors
    /// As [`RuleSet::parse`].
    pub fn with_rules(mut self, rules: &[RuleDef], origin: &str) -> Result<Self, RulesError> {
        self.rules.extend_from_slice(rules);
        self.validate(origin)?;
        Ok(self)
    }

    fn validate(&self, origin: &str) -> Result<(), RulesError> {
        let origin = || origin.to_owned();
        let mut seen = std::collections::HashSet::new();
        for item in &self.items {
            if !seen.insert(item.id.as_str()) {
                return Err(RulesError::DuplicateItem {
                    origin: origin(),
                    id: item.id.clone(),
                });
            }
        }
        let mut rule_ids = std::collections::HashSet::new();
        for rule in &self.rules {
            if !rule_ids.insert(rule.id.as_str()) {
                return Err(RulesError::DuplicateRule {
                    origin: origin(),
                    id: rule.id.clone(),
                });
            }
            for target in &rule.applies_to {
                let group = target == "vehicle_pi" || target == "personal";
                if !group && !seen.contains(target.as_str()) {
                    return Err(RulesError::UnknownItem {
                        origin: origin(),
                        rule: rule.id.clone(),
                        target: target.clone(),
                    });
                }
            }
            let needs_value = matches!(rule.when, Condition::PersonsGt | Condition::PersonsGe);
            if needs_value && rule.value.is_none() {
                return Err(RulesError::MissingValue {
                    origin: origin(),
                    rule: rule.id.clone(),
                });
            }
        }
        Ok(())
    }

    /// The items and rules that apply to an organisation of `sectors`: items defined for other
    /// sectors are dropped, and so are rules left with nothing to apply to. Both the catalogue
    /// and the per-item person counts use this set, so their items agree.
    pub fn for_sectors(&self, sectors: &[String]) -> Self {
        let applies = |item: &ItemDef| {
            item.sectors.is_empty()
                || item
                    .sectors
                    .iter()
                    .any(|want| sectors.iter().any(|s| s.contains(want.as_str())))
        };
        let items: Vec<ItemDef> = self.items.iter().filter(|i| applies(i)).cloned().collect();
        let dropped: std::collections::HashSet<&str> = self
            .items
            .iter()
            .filter(|i| !applies(i))
            .map(|i| i.id.as_str())
            .collect();
        let rules = self
            .rules
            .iter()
            .filter_map(|rule| {
                let mut rule = rule.clone();
                rule.applies_to.retain(|t| !dropped.contains(t.as_str()));
                (!rule.applies_to.is_empty()).then_some(rule)
            })
            .collect();
        RuleSet { items, rules }
    }

    /// The slug of the item `category` belongs to: its definition's, or, for a category no
    /// definition gathers, the category's own (`pi.passport` → `pi-passport`).
    pub fn item_id_for(&self, category: &CategoryId) -> String {
        self.item_for(category)
            .map_or_else(|| own_item_id(category), |def| def.id.clone())
    }

    /// The item definition that gathers `category`, if any.
    pub fn item_for(&self, category: &CategoryId) -> Option<&ItemDef> {
        self.items
            .iter()
            .find(|i| i.categories.iter().any(|c| c == category))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_parse_and_cover_the_vehicle_items() {
        let set = RuleSet::default_rules();
        let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
        for id in [
            "vehicle-art3-1",
            "vehicle-art3-2",
            "vehicle-art3-3",
            "vehicle-art3-4",
            "vehicle-art3-5",
            "ndsr-art28",
        ] {
            assert!(ids.contains(&id), "{id} missing");
        }
        let art5 = set.rules.iter().find(|r| r.id == "vehicle-art3-5").unwrap();
        assert_eq!(
            (art5.when, art5.value),
            (Condition::PersonsGt, Some(100_000))
        );
        assert_eq!(
            set.item_for(&model::ids::CN_RESIDENT_ID).unwrap().id,
            "personal-identity"
        );
        assert!(set.item_for(&model::ids::USCC).is_none());
    }

    #[test]
    fn ai_items_are_for_ai_organisations() {
        use model::ids;
        let set = RuleSet::default_rules();
        let ai = set.for_sectors(&["人工智能/大模型".into(), "电信/互联网".into()]);
        for (category, item, name) in [
            (ids::AI_CHAT_LOG, "ai-user-input", "用户输入数据"),
            (ids::AI_INSTRUCTION_DATA, "ai-training-data", "训练数据"),
            (ids::AI_PREFERENCE_DATA, "ai-training-data", "训练数据"),
            (ids::AI_PRETRAINING_CORPUS, "ai-training-data", "训练数据"),
            (ids::AI_EMBEDDING, "ai-training-data", "训练数据"),
            (ids::AI_EVALUATION_DATA, "ai-test-data", "测试数据"),
        ] {
            let def = ai.item_for(&category).unwrap();
            assert_eq!((def.id.as_str(), def.name.as_str()), (item, name));
        }
        assert!(ai.item_for(&ids::AI_CHAT_LOG).unwrap().personal);
        let other = set.for_sectors(&["车联网/智能网联汽车".into()]);
        assert!(other.item_for(&ids::AI_CHAT_LOG).is_none());
        assert_eq!(other.item_id_for(&ids::AI_CHAT_LOG), "ai-chat_log");
        assert_eq!(other.rules.len(), set.rules.len());
        assert!(other.item_for(&ids::CN_RESIDENT_ID).is_some());
    }

    #[test]
    fn rule_errors_name_the_file_and_rule() {
        let err = RuleSet::parse(
            "[[rule]]\nid = \"x\"\napplies_to = [\"nope\"]\nwhen = \"always\"\nlevel = \"重要\"\nbasis = \"b\"\n",
            "my.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("my.toml") && err.contains("'x'") && err.contains("nope"),
            "{err}"
        );
        let err = RuleSet::parse("[[item]]\nid = 1\n", "my.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("my.toml") && err.contains("line 2"), "{err}");
    }
}
