//! The report's language: Chinese (the default, as filed) or English. Labels are written
//! side by side where they are used, `lang.t("摘要", "Summary")`, so no key can go missing.

/// The language of the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The label in this language.
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The `lang` attribute of the page.
    pub fn tag(self) -> &'static str {
        self.t("zh-CN", "en")
    }
}
