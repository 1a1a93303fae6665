//! `vehicle.cabin_media`: audio, video and images captured inside the vehicle.

use super::column::{finding, Column, Hit, TableView};
use super::media::{is_media_slot, visual, CABIN_WORDS, CAMERA_WORDS};
use super::media_index::media_index;
use super::{TableCategoryInfo, TableFinding, TableRule};
use crate::{ids, VEHICLE_ART3_ITEM_5};

/// The rule; its category and docs are [`INFO`].
pub(super) struct CabinMedia;

static INFO: TableCategoryInfo = TableCategoryInfo {
    id: ids::CABIN_MEDIA,
    name_zh: "座舱音视频",
    name_en: "Cabin audio, video and images",
    is_pi: true,
    is_sensitive: true,
    gbt43697_class: "个人生物识别信息",
    vehicle_item: None,
    related_items: &[VEHICLE_ART3_ITEM_5],
    docs: r#"Audio, video and images captured inside the vehicle (座舱数据).

## What it detects

* An image, video or audio column whose name points to the cabin: `dms`
  (driver monitoring), `oms` (occupant monitoring), `cabin`,
  `driver_monitor`, `in_car`, `interior`, `车内`, `座舱`;
* a voice recording column (`voice`, `audio`, `recording`, `录音`, `语音`),
  with higher confidence when the table also mentions the cabin;
* an image or video column in a table whose other columns mention the cabin;
* a media index (object keys of image and video files, a camera position, a
  vehicle and a capture time) whose positions include a cabin camera (`dms`,
  `oms`, `cabin`, `in_car`, `车内` as the position column's name or values).

## Why it matters

Cabin cameras and microphones record the driver and passengers: faces,
voices, behaviour. GB/T 41871 sets special duties for this 座舱数据, and the
vehicle-data rules list audio, video, images and biometrics as sensitive
PI, to be processed in the vehicle by default. Over 100 000 persons it is
also important data under Art. 3 item (5).

## Examples

* `vin, dms_image_url, event_type, ts`
* `trip_id, cabin_video_path`
* `session_id, voice_recording (blob), 录音时间`

## Known false positives

* Voice recordings from a call centre, not a vehicle, match the voice rule;
  that finding has lower confidence when nothing mentions the cabin.
* Stored feature vectors or event labels (`dms_event`) are not media and are
  not reported, but a column that stores only a thumbnail URL of an event is.
"#,
};

const AUDIO_NAMES: &[&str] = &[
    "voice",
    "audio",
    "recording",
    "microphone",
    "mic",
    "speech",
    "录音",
    "语音",
    "音频",
];

impl TableRule for CabinMedia {
    fn info(&self) -> &'static TableCategoryInfo {
        &INFO
    }

    fn evaluate(&self, table: &TableView<'_>) -> Option<TableFinding> {
        evaluate(table.columns())
    }
}

/// The rule itself, over the table's columns in order.
fn evaluate(cols: &[Column<'_>]) -> Option<TableFinding> {
    if let Some(index) = media_index(cols).filter(|i| i.cabin) {
        return Some(finding(&INFO, 0.9, cols, &index.roles()));
    }
    let cabin_context = cols.iter().find_map(|c| {
        c.find(CABIN_WORDS)
            .map(|t| Hit::new(c, format!("cabin `{t}`"), 1.0))
    });
    let mut direct = Vec::new();
    let mut voice = Vec::new();
    let mut media = Vec::new();
    for c in cols {
        if !is_media_slot(c) {
            continue;
        }
        let audio = c.find(AUDIO_NAMES).map(|t| format!("audio name `{t}`"));
        let any_media = visual(c).or(audio.clone());
        let cabin = c.find(CABIN_WORDS);
        match (cabin, &any_media) {
            (Some(w), Some(m)) => direct.push(Hit::new(c, format!("{m}, cabin `{w}`"), 0.9)),
            (Some(w), None) if c.find(CAMERA_WORDS).is_some() => {
                direct.push(Hit::new(c, format!("cabin camera `{w}`"), 0.85))
            }
            (None, Some(m)) if audio.is_some() => voice.push(Hit::new(c, m.clone(), 1.0)),
            (None, Some(m)) => media.push(Hit::new(c, m.clone(), 1.0)),
            _ => {}
        }
    }
    if !direct.is_empty() {
        let confidence = direct.iter().map(|h| h.strength).fold(0.0, f64::max);
        return Some(finding(
            &INFO,
            confidence,
            cols,
            &[("cabin media", direct.iter().collect())],
        ));
    }
    match (cabin_context, voice.is_empty(), media.is_empty()) {
        // Media here, the cabin named elsewhere in the table.
        (Some(ctx), _, _) if !(voice.is_empty() && media.is_empty()) => {
            let all: Vec<&Hit> = voice.iter().chain(&media).collect();
            Some(finding(
                &INFO,
                0.8,
                cols,
                &[("media", all), ("cabin", vec![&ctx])],
            ))
        }
        // A voice recording with no word about where it was made.
        (None, false, _) => Some(finding(
            &INFO,
            0.6,
            cols,
            &[("voice recording, cabin not named", voice.iter().collect())],
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::testing::{found, Table};

    #[test]
    fn cabin_media_positive_and_negative() {
        let t = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("dms_image_url", "varchar", &[]),
            ("event_type", "varchar", &[]),
            ("ts", "timestamp", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::CABIN_MEDIA], "{f:?}");
        assert_eq!(f[0].confidence, 0.9);
        assert_eq!(f[0].columns, ["dms_image_url"]);

        // A cabin camera image must not also count as exterior.
        let t = Table::new(&[("cabin_camera_frame", "bytea", &[])]);
        assert_eq!(found(&t.classify()), [ids::CABIN_MEDIA]);

        // Media plus a cabin column elsewhere.
        let t = Table::new(&[
            ("trip_id", "bigint", &[]),
            ("video_path", "varchar", &[]),
            ("座舱位置", "varchar", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::CABIN_MEDIA], "{f:?}");
        assert_eq!(f[0].confidence, 0.8);

        // A voice recording with nothing about the cabin: low confidence.
        let t = Table::new(&[
            ("session_id", "bigint", &[]),
            ("voice_recording", "blob", &[]),
        ]);
        let f = t.classify();
        assert_eq!(found(&f), [ids::CABIN_MEDIA]);
        assert_eq!(f[0].confidence, 0.6);

        // Driver-monitoring events without media.
        let events = Table::new(&[
            ("dms_event_type", "varchar", &[]),
            ("dms_status", "int", &[]),
            ("audio_enabled", "boolean", &[]),
        ]);
        assert!(events.classify().is_empty(), "{:?}", events.classify());
    }
}
