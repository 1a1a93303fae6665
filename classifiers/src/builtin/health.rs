use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier, ColumnType, TypeFamily};

macro_rules! doc_text {
    () => {
        r#"Health and medical information (健康生理信息).

## What it detects

Columns whose **name** says they hold health or medical data: diagnoses
and conditions (`diagnosis`, `诊断`, `病情`, `症状`, `disease`, `疾病`,
`病史`), medical records (`medical_record`, `病历`), allergies (`allergy`,
`过敏`, `过敏史`), blood type (`blood_type`, `血型`), check-ups (`体检`,
`physical_exam`), prescriptions and medication (`处方`, `用药`,
`medication`), and physiological measurements that only make sense for a
person (`blood_pressure`, `血压`, `heart_rate`, `心率`, `体温`, `身高`,
`体重`, `bmi`, `血糖`). Ambiguous English words such as `weight`, `height`
or `temperature` on their own are not hints (parcels and engines have
them too).

Free-text diagnoses and measurements cannot be checked against a format,
so values are not examined at all: **the verdict rests on the column name,
and its confidence is 0.6** for any column type except binary. A flag such
as "has allergy: yes" is health data too, so even `0`/`1` columns with a
health name are reported. Short pinyin initials (`zd`, `tj`, `xx`) are not
hints: they mean too many other things.

## Why it matters

Medical and health information is sensitive PI (PIPL Art. 28; GB/T 43697
Appendix B, 个人健康生理信息): processing needs separate consent, and it
counts towards the lower thresholds for sensitive PI.

## Examples

* `diagnosis`, `过敏史`, `血型`, `体检结果`, `blood_pressure`: 0.6,
  `by` = `column_name` (plus `data_type` when the type is known).
* Not hints: `weight`, `package_height`, `engine_temperature`,
  `health_check_url`.
* Evidence keeps only the first character of a value (`高**`).

## Known false positives

* Code tables and dictionaries of diseases or drugs (not about persons).
* System `health` columns are not hints, but IT columns named `diagnosis`
  (diagnostics of a machine) are.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Health;

impl Classifier for Health {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::HEALTH,
            "健康生理信息",
            "Health and medical information",
        )
        .sensitive("个人健康生理信息")
    }

    fn value_pattern(&self) -> Option<&str> {
        None
    }

    fn confirm(&self, _value: &str) -> Option<f64> {
        None
    }

    fn name_only_confidence(&self, data_type: &ColumnType) -> Option<f64> {
        match data_type.family() {
            TypeFamily::Binary => None,
            _ => Some(0.6),
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "diagnosis|diagnoses|zhenduan|zdjg|disease|diseases|illness|symptom|symptoms",
            "|medical_(?:record|records|history|condition|note|notes)|emr|ehr",
            "|case_history|past_history|allergy|allergies|allergic|drug_allergy",
            "|blood_type|blood_group|physical_exam(?:ination)?|medical_exam",
            "|prescription|medication|medications",
            "|blood_pressure|systolic|diastolic|heart_rate|blood_sugar|blood_glucose",
            "|body_temp|body_temperature|body_weight|body_height|bmi",
            "|诊断|诊断结果|病历|病史|既往史|病情|症状|疾病|过敏|过敏史|血型|体检|体检结果",
            "|处方|用药|血压|心率|脉搏|血糖|体温|身高|体重|健康状况|健康信息",
        ))
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(value, 1, 0)
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_only() {
        assert_eq!(Health.value_pattern(), None);
        assert_eq!(
            Health.name_only_confidence(&ColumnType::parse("Utf8")),
            Some(0.6)
        );
        assert_eq!(
            Health.name_only_confidence(&ColumnType::parse("Float64")),
            Some(0.6)
        );
        assert_eq!(
            Health.name_only_confidence(&ColumnType::parse("")),
            Some(0.6)
        );
        assert_eq!(
            Health.name_only_confidence(&ColumnType::parse("Binary")),
            None
        );
    }
}
