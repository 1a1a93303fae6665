//! What is still 待填写 or wrong before filing.

use serde::Serialize;

use super::*;

/// A field still to fill, or a configuration problem, for `mulu catalog check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The item id, or `organization`.
    pub place: String,
    /// What is missing or wrong.
    pub message: String,
}

/// Lists every field still 待填写 in the filing and every configuration problem.
/// `uscc_valid` checks a 统一社会信用代码 (GB 32100).
pub fn check(catalog: &Catalog, uscc_valid: impl Fn(&str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let org = &catalog.header.organization;
    let mut org_problem = |message: String| {
        problems.push(Problem {
            place: "organization".into(),
            message,
        })
    };
    if org.name.as_deref().is_none_or(str::is_empty) {
        org_problem(format!("单位名称 (organization.name) {TO_FILL}"));
    }
    match org.uscc.as_deref() {
        None | Some("") => org_problem(format!("统一社会信用代码 (organization.uscc) {TO_FILL}")),
        Some(code) if !uscc_valid(code) => org_problem(format!(
            "统一社会信用代码 '{code}' fails the GB 32100 check; check for a typo"
        )),
        Some(_) => {}
    }
    if org.sectors.is_empty() {
        org_problem(format!("所属领域 (organization.sectors) {TO_FILL}"));
    }
    if org.filing_authority.as_deref().is_none_or(str::is_empty) {
        org_problem(format!(
            "备案机关 (organization.filing_authority) {TO_FILL}"
        ));
    }
    if org
        .security_officer
        .as_ref()
        .and_then(|p| p.name.as_deref())
        .is_none()
    {
        org_problem(format!(
            "网络数据安全负责人 (organization.security_officer.name) {TO_FILL}"
        ));
    }
    if org.security_body.as_deref().is_none_or(str::is_empty) {
        org_problem(format!(
            "网络数据安全管理机构 (organization.security_body) {TO_FILL}"
        ));
    }
    for item in &catalog.items {
        for field in PERSON_FIELDS {
            if (field.get)(&item.fields)
                .as_deref()
                .is_none_or(str::is_empty)
            {
                problems.push(Problem {
                    place: item.item_id.clone(),
                    message: format!(
                        "{} {TO_FILL}: set `{}` in a [[catalog.fields]] entry whose match takes \
                         this item (e.g. match = {{ item = \"{}\" }})",
                        field.label, field.key, item.item_id
                    ),
                });
            }
        }
        for note in &item.notes {
            problems.push(Problem {
                place: item.item_id.clone(),
                message: note.clone(),
            });
        }
    }
    for rule in &catalog.unmatched_field_rules {
        problems.push(Problem {
            place: "config".into(),
            message: format!(
                "{rule} matches no item of this catalogue, so its fields fill nothing; \
                 check the pattern against the item ids and categories (`mulu catalog export`)"
            ),
        });
    }
    problems
}
