//! The classifier set a run uses: the built-ins plus any declarative TOML classifiers from
//! `--classifiers FILE` or the config's `classifiers = [...]`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use classifiers::ClassifierSet;

/// Where each classifier of a set came from, for `mulu classifiers list`.
pub struct LoadedSet {
    /// The set.
    pub set: ClassifierSet,
    /// (classifier id, file) for every custom classifier.
    pub custom: Vec<(String, PathBuf)>,
}

/// Builds the built-ins plus the classifiers in `files`. `dictionary_file` entries resolve
/// relative to their TOML file.
///
/// # Errors
/// An unreadable file, or a TOML problem (the message names the file, line and classifier).
pub fn load_set(files: &[PathBuf]) -> anyhow::Result<LoadedSet> {
    let mut builder = ClassifierSet::builder().builtins();
    let mut custom = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the classifier file {}", file.display()))?;
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &str| std::fs::read_to_string(dir.join(p));
        let loaded =
            classifiers::load_custom_classifiers_with(&text, &file.display().to_string(), &resolve)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        for c in loaded {
            custom.push((c.id().to_string(), file.clone()));
            builder = builder.with(c);
        }
    }
    let set = builder.build().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(LoadedSet { set, custom })
}

/// The set a run uses: the config's `classifiers = [...]` (relative to the config file) plus
/// `extra` files from the command line.
///
/// # Errors
/// As [`load_set`].
pub fn load_configured(
    config: &crate::config::Config,
    extra: &[PathBuf],
) -> anyhow::Result<LoadedSet> {
    let mut files: Vec<PathBuf> = config
        .classifiers
        .iter()
        .map(|p| config.resolve(p))
        .collect();
    files.extend(extra.iter().cloned());
    load_set(&files)
}

/// How one value fares against one classifier: `Some(weight)` when it matches.
pub fn test_value(classifier: &dyn classifiers::Classifier, value: &str) -> Option<f64> {
    let pattern = classifier.value_pattern()?;
    let anchored = regex::Regex::new(&format!("^(?:{pattern})$")).ok()?;
    let value = value.trim();
    if anchored.is_match(value) {
        classifier.confirm(value)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_custom_files_next_to_the_builtins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("grades.txt"), "VIP\nGOLD\n").unwrap();
        let file = dir.path().join("acme.toml");
        std::fs::write(
            &file,
            "[[classifier]]\nid = \"acme.member_grade\"\nname_zh = \"会员等级\"\nname_en = \"Member grade\"\npi = false\ndictionary_file = \"grades.txt\"\n",
        )
        .unwrap();
        let loaded = load_set(std::slice::from_ref(&file)).unwrap();
        assert_eq!(loaded.custom, vec![("acme.member_grade".to_string(), file)]);
        assert!(loaded.set.get("acme.member_grade").is_some());
        assert!(loaded.set.get("pi.cn_resident_id").is_some());
    }

    #[test]
    fn a_broken_file_names_itself() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "[[classifier]]\nid = \"acme.x\"\nname_zh = \"x\"\nname_en = \"x\"\npi = true\nregex = \"(\"\n").unwrap();
        let err = load_set(&[file]).err().unwrap().to_string();
        assert!(err.contains("bad.toml") && err.contains("acme.x"), "{err}");
    }

    #[test]
    fn test_value_runs_pattern_then_validator() {
        let set = ClassifierSet::builtin();
        let id = set.get("pi.cn_resident_id").unwrap();
        assert!(test_value(id, "11010519491231002X").is_some());
        assert!(
            test_value(id, "110105194912310021").is_none(),
            "bad check digit"
        );
    }
}
