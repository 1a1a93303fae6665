//! `vehicle.exterior_media`: images and video from cameras that look outside the vehicle.

use super::column::{finding, Column, Hit, TableView};
use super::media::{is_media_slot, visual, CABIN_WORDS, CAMERA_WORDS};
use super::media_index::media_index;
use super::{TableCategoryInfo, TableFinding, TableRule};
use crate::{ids, VEHICLE_ART3_ITEM_1};

/// The rule; its category and docs are [`INFO`].
pub(super) struct ExteriorMedia;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ids::EXTERIOR_MEDIA,
    name_zh: "车外视频图像",
    name_en: "Exterior camera video and images",
    is_pi: true,
    is_sensitive: true,
    gbt43697_class: "个人生物识别信息",
    vehicle_item: Some("第三条第（四）项"),
    related_items: &[VEHICLE_ART3_ITEM_1],
    docs: r#"Video and images from cameras that look outside the vehicle (车外视频、图像).

## What it detects

* A column named after an exterior camera (`front_camera`, `rear_camera`,
  `dashcam`, `dvr`, `surround_view`, `avm`, `行车记录`, `环视`, `车外`), unless
  the name ends in a non-media word such as `_id`, `_status` or `_count`;
* an image or video column (named `image`, `img`, `photo`, `video`,
  `frame`, `snapshot`, `图片`, `视频`, `抓拍`, … or typed as binary) whose own
  name mentions a camera or the exterior (`camera_image`, `exterior_video`);
* an image or video column in a table whose other columns mention an
  exterior camera (lower confidence), as long as nothing in the table points
  to the cabin instead;
* a media index: object keys or URLs of image and video files (`.jpg`,
  `.png`, `.mp4`, `.h264`, `.h265`, found by their values under any name),
  a camera position column, a vehicle (VIN or plate) and a capture time,
  unless every position is a cabin camera (`dms`, `oms`, `cabin`, `车内`).

## Why it matters

Exterior video and images record faces and licence plates of people outside
the vehicle. Art. 3 item (4) makes exterior video and images containing
faces or plates important data; they are also sensitive PI of the people
shown. Beijing FTZ rules add road signs. Anonymisation (GB/T 44464
Appendix B) is what takes such data out of scope.

## Examples

* `vin, capture_time, front_camera_url`
* `event_id, dashcam_clip_path, lng, lat`
* `frame_id, camera_image (bytea), ts`
* `vin, object_key ('…/1700000123.jpg'), position ('front'), captured_at`

## Known false positives

* Already-anonymised frames (faces and plates blurred) look the same in a
  schema; the rule cannot see whether anonymisation happened.
* A generic `camera` name may belong to a cabin camera whose table does not
  say so; such findings carry lower confidence.
"#,
};

/// Exterior camera devices; the name alone implies media.
const EXTERIOR_DEVICES: &[&str] = &[
    "front_camera",
    "rear_camera",
    "side_camera",
    "dashcam",
    "dash_cam",
    "dvr",
    "surround_view",
    "avm",
    "行车记录",
    "环视",
    "前视",
    "后视",
    "车外摄像",
];
/// Words that place a camera or a medium outside the vehicle.
const EXTERIOR_WORDS: &[&str] = &["exterior", "outside", "outer", "adas", "车外"];

impl TableRule for ExteriorMedia {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

/// The rule itself, over the table's columns in order.
fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    if let Some(index) = media_index(cols) {
        return index
            .exterior
            .then(|| finding(&INFO, 0.9, cols, &index.roles()));
    }
    let cabin_in_table = cols.iter().any(|c| c.find(CABIN_WORDS).is_some());
    let mut direct = Vec::new();
    for c in cols {
        if c.find(CABIN_WORDS).is_some() || !is_media_slot(c) {
            continue;
        }
        let media = visual(c);
        if let Some(d) = c.find(EXTERIOR_DEVICES) {
            let strength = if media.is_some() { 0.9 } else { 0.85 };
            direct.push(Hit::new(c, format!("exterior camera `{d}`"), strength));
        } else if let (Some(m), Some(w)) = (&media, c.find(EXTERIOR_WORDS)) {
            direct.push(Hit::new(c, format!("{m}, exterior `{w}`"), 0.85));
        } else if let (Some(m), Some(w), false) = (&media, c.find(CAMERA_WORDS), cabin_in_table) {
            direct.push(Hit::new(c, format!("{m}, camera `{w}`"), 0.7));
        }
    }
    if !direct.is_empty() {
        let confidence = direct.iter().map(|h| h.strength).fold(0.0, f64::max);
        return Some(finding(
            &INFO,
            confidence,
            cols,
            &[("exterior media", direct.iter().collect())],
        ));
    }
    // Media in one column, the exterior camera named in another.
    if cabin_in_table {
        return None;
    }
    let media: Vec<Hit> = cols
        .iter()
        .filter_map(|c| visual(c).map(|m| Hit::new(c, m, 1.0)))
        .collect();
    let context = cols.iter().find_map(|c| {
        if let Some(t) = c.find(EXTERIOR_DEVICES).or_else(|| c.find(EXTERIOR_WORDS)) {
            Some(Hit::new(c, format!("exterior `{t}`"), 0.75))
        } else {
            c.find(CAMERA_WORDS)
                .map(|t| Hit::new(c, format!("camera `{t}`"), 0.6))
        }
    })?;
    if media.is_empty() {
        return None;
    }
    Some(finding(
        &INFO,
        context.strength,
        cols,
        &[
            ("media", media.iter().collect()),
            ("camera", vec![&context]),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn exterior_media_positive_and_negative() {
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("capture_time", "timestamp", &[]),
            ("front_camera_url", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::EXTERIOR_MEDIA], "{f:?}");
        assert_eq!(f[0].columns, ["front_camera_url"]);
        assert_eq!(f[0].confidence, 0.85);

        let t = Table::new(&[
            ("event_id", "bigint", &[]),
            ("行车记录视频", "varchar", &[]),
        ]);
        assert_eq!(found(&t.classify()), [ids::EXTERIOR_MEDIA]);

        // Binary frames; the camera named in another column.
        let t = Table::new(&[
            ("frame_id", "bigint", &[]),
            ("payload", "bytea", &[]),
            ("surround_view_channel", "int", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::EXTERIOR_MEDIA], "{f:?}");

        // Images without any camera: product photos.
        let products = Table::new(&[
            ("sku", "varchar", &[]),
            ("image_url", "varchar", &[]),
            ("photo", "bytea", &[]),
        ]);
        assert!(products.classify().is_empty());
        // Camera metadata without media.
        let inventory = Table::new(&[
            ("front_camera_id", "varchar", &[]),
            ("front_camera_status", "int", &[]),
            ("exterior_temp", "double", &[]),
        ]);
        assert!(
            inventory.classify().is_empty(),
            "{:?}",
            inventory.classify()
        );
    }
}
