//! Matching `[[catalog.fields]]` rules to items.

use globset::{Glob, GlobMatcher};

use model::{AssetReport, CategoryId};

use super::*;

pub(super) struct CompiledMatch {
    item: Option<GlobMatcher>,
    category: Option<GlobMatcher>,
    source: Option<GlobMatcher>,
    asset: Option<GlobMatcher>,
}

impl CompiledMatch {
    pub(super) fn matches(&self, item: &CatalogItem, assets: &[&AssetReport]) -> bool {
        let ok = |m: &Option<GlobMatcher>, mut values: Box<dyn Iterator<Item = &str> + '_>| {
            m.as_ref().is_none_or(|m| values.any(|v| m.is_match(v)))
        };
        ok(&self.item, Box::new(std::iter::once(item.item_id.as_str())))
            && ok(
                &self.category,
                Box::new(item.categories.iter().map(CategoryId::as_str)),
            )
            && ok(
                &self.source,
                Box::new(assets.iter().map(|a| a.source.as_str())),
            )
            && ok(
                &self.asset,
                Box::new(assets.iter().map(|a| a.name.as_str())),
            )
    }
}

pub(super) fn compile_field_rules(
    rules: &[FieldRule],
) -> Result<Vec<(CompiledMatch, &FieldRule)>, FieldPatternError> {
    let glob = |p: &Option<String>| -> Result<Option<GlobMatcher>, FieldPatternError> {
        p.as_ref()
            .map(|p| {
                Glob::new(p)
                    .map(|g| g.compile_matcher())
                    .map_err(|source| FieldPatternError {
                        pattern: p.clone(),
                        source,
                    })
            })
            .transpose()
    };
    rules
        .iter()
        .map(|r| {
            Ok((
                CompiledMatch {
                    item: glob(&r.matches.item)?,
                    category: glob(&r.matches.category)?,
                    source: glob(&r.matches.source)?,
                    asset: glob(&r.matches.asset)?,
                },
                r,
            ))
        })
        .collect()
}
