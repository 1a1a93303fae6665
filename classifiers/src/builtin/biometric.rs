use crate::{ids, CategoryInfo, Classifier, ColumnType, TypeFamily, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Biometric data (生物识别信息): face, fingerprint, iris, voiceprint and similar templates.

## What it detects

Columns whose **name** says they hold biometric samples or templates —
`face_feature`, `face_embedding`, `face_template`, `face_image`,
`fingerprint_template`, `finger_print`, `iris_code`, `voiceprint`,
`palmprint`, `gait_feature`, `人脸特征`, `人脸照片`, `指纹`, `虹膜`, `声纹`,
`掌纹`, `步态` … — and whose type can hold them: binary columns (`Binary`,
`BLOB`, …) give confidence 0.6; text columns and columns of unknown type
0.5. Numeric, boolean and date columns are not reported (`fingerprint_count`
is not a template).

The values cannot be verified: a template is an opaque vector. **The
verdict rests on the column name and type, so its confidence never
exceeds 0.6**, and reviewers should confirm it. When the column does have
text values, they can veto the verdict: unless at least half of them look
like encoded templates (hex or Base64 of at least 100 characters, a data
URI, or a list of 32 or more numbers), the column is not reported. This
keeps `fingerprint` columns of 64-character hash digests (certificate or
browser fingerprints) out.

## Why it matters

Biometric information is sensitive PI (PIPL Art. 28; GB/T 43697 Appendix
B, 个人生物识别信息), including the raw samples and the templates derived
from them. Vehicle rules name cabin biometrics (driver monitoring, face
unlock) as sensitive vehicle PI; processing needs separate consent and is
limited to driving-safety purposes.

## Examples

* A `Binary` column `face_feature`: confidence 0.6, `by` =
  `column_name, data_type`.
* A `Utf8` column `指纹模板` whose values are long Base64 strings: 0.5.
* Rejected: `fingerprint` holding SHA-256 digests; `face_count` as Int64;
  `has_fingerprint` holding `0`/`1`.
* Evidence shows only a length, such as `<template, 684 chars>`.

## Known false positives

* Columns named like biometrics that hold references (file paths, object
  keys) to images stored elsewhere; those do point at biometric data, but
  the table itself holds only the key.
* Product or test tables about biometric devices.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct Biometric;

/// Whether a text value looks like an encoded template.
fn looks_like_template(v: &str) -> bool {
    if v.starts_with("data:") {
        return true;
    }
    let b = v.as_bytes();
    let encoded = b.len() >= 100
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_'));
    if encoded {
        return true;
    }
    let inner = v.trim_start_matches('[').trim_end_matches(']');
    let parts = inner.split(',');
    let mut n = 0;
    for p in parts {
        if p.trim().parse::<f64>().is_err() {
            return false;
        }
        n += 1;
    }
    n >= 32
}

impl Classifier for Biometric {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::BIOMETRIC, "生物识别信息", "Biometric data")
            .sensitive("个人生物识别信息")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"(?s).{32,}")
    }

    fn confirms_without_hint(&self) -> bool {
        false
    }

    fn confirms_free_text(&self) -> bool {
        false
    }

    fn confirm(&self, _value: &str) -> Option<f64> {
        None
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        looks_like_template(value).then_some(1.0)
    }

    fn name_only_confidence(&self, data_type: &ColumnType) -> Option<f64> {
        match data_type.family() {
            TypeFamily::Binary => Some(0.6),
            TypeFamily::Text | TypeFamily::Unknown => Some(0.5),
            TypeFamily::Numeric | TypeFamily::Time | TypeFamily::Geometry | TypeFamily::Other => {
                None
            }
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "face_?(?:feature|features|embedding|vector|template|image|img|photo|pic|data|print|id_photo)",
            "|facial_(?:feature|features|template|image|data)|face_?print",
            "|finger_?print(?:_template|_data|_feature|_image|_img|_code)?|fp_template|zw_?tz",
            "|iris(?:_code|_template|_image|_data|_feature)?|retina(?:_scan)?",
            "|voice_?print(?:_feature|_template|_data)?|palm_?print|palm_vein|finger_vein|vein_pattern",
            "|gait(?:_feature|_data)?|ear_print|biometric(?:s|_data|_template|_feature)?",
            "|rlzp|rltz|rlsb",
            "|人脸|人脸特征|人脸照片|人脸图像|人脸模板|面部特征|指纹|指纹模板|虹膜|视网膜",
            "|声纹|掌纹|掌静脉|指静脉|步态|耳廓|生物特征|生物识别",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (1.0, 0.5)
    }

    fn mask(&self, value: &str) -> String {
        format!("<template, {} chars>", value.chars().count())
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_by_type() {
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("Binary")),
            Some(0.6)
        );
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("LargeBinary")),
            Some(0.6)
        );
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("BLOB")),
            Some(0.6)
        );
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("Utf8")),
            Some(0.5)
        );
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("")),
            Some(0.5)
        );
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("Int64")),
            None
        );
        assert_eq!(
            Biometric.name_only_confidence(&ColumnType::parse("Boolean")),
            None
        );
    }

    #[test]
    fn template_values() {
        let b64 = "QUJD".repeat(40);
        let vector = (0..128)
            .map(|i| format!("{:.4}", f64::from(i) / 100.0))
            .collect::<Vec<_>>()
            .join(",");
        for v in [
            b64.as_str(),
            vector.as_str(),
            "data:image/jpeg;base64,/9j/4AAQ",
        ] {
            assert_eq!(Biometric.confirm(v), None);
            assert_eq!(Biometric.confirm_hinted(v), Some(1.0), "{v}");
        }
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        for v in [sha, "0", "1", "/data/faces/0001.jpg"] {
            assert_eq!(Biometric.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(Biometric.mask(&"A".repeat(120)), "<template, 120 chars>");
    }
}
