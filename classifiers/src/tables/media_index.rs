//! A camera media index: the table that lists where a fleet's captures are stored — one row
//! per image or clip, its object key or URL (`…/front/1700000123.jpg`, `….h265`), the camera
//! position, the vehicle and the capture time. The media sit in an object store; the index is
//! what a database holds of them, often under neutral names (`object_key`, `path`), so the
//! values decide. Shared by the exterior and cabin media rules, which split it by position.

use super::column::{time_hit, Column, Hit};
use super::media::{visual, CABIN_WORDS, CAMERA_WORDS};
use crate::{ids, CategoryId};

/// Names of a column that says which camera took a capture.
const POSITION_NAMES: &[&str] = &[
    "position",
    "pos",
    "camera",
    "cam",
    "channel",
    "chn",
    "view",
    "direction",
    "机位",
    "位置",
    "方位",
    "摄像",
    "镜头",
    "通道",
];
/// Camera position values that place the camera in the cabin.
const CABIN_VALUES: &[&str] = &[
    "dms",
    "oms",
    "cabin",
    "in_car",
    "in-car",
    "incar",
    "interior",
    "inside",
    "driver",
    "occupant",
    "车内",
    "座舱",
    "舱内",
    "驾驶员",
    "驾驶员监测",
    "乘客",
];
/// Camera position values that place the camera outside.
const EXTERIOR_VALUES: &[&str] = &[
    "front", "rear", "back", "left", "right", "side", "surround", "avm", "adas", "dvr", "exterior",
    "outside", "前", "后", "左", "右", "前视", "后视", "车外",
];
const VEHICLE_CATEGORIES: &[CategoryId] = &[ids::VIN, ids::LICENSE_PLATE];
const VEHICLE_NAMES: &[&str] = &[
    "vin",
    "plate",
    "plate_no",
    "license_plate",
    "cph",
    "vehicle_id",
    "car_id",
    "车牌",
    "车架号",
    "车辆编号",
];

/// What made a table a media index, and where its cameras are.
pub(super) struct MediaIndex {
    pub(super) media: Hit,
    pub(super) position: Hit,
    pub(super) vehicle: Hit,
    pub(super) time: Hit,
    /// The positions (by name or value) include a cabin camera.
    pub(super) cabin: bool,
    /// The positions include an exterior camera, or none says cabin.
    pub(super) exterior: bool,
}

impl MediaIndex {
    pub(super) fn roles(&self) -> Vec<(&'static str, Vec<&Hit>)> {
        vec![
            ("media files", vec![&self.media]),
            ("camera position", vec![&self.position]),
            ("vehicle", vec![&self.vehicle]),
            ("capture time", vec![&self.time]),
        ]
    }
}

/// The table as a media index, when it is one: a column of image or video keys (by value, or
/// by a media name), a camera position column, a vehicle identifier and a time. Product
/// images lack the camera and the vehicle; a vehicle photo album lacks the camera position.
pub(super) fn media_index(cols: &[Column<'_>]) -> Option<MediaIndex> {
    let media = cols.iter().find_map(|c| {
        if c.profile.is_some_and(|p| p.media_files()) {
            Some(Hit::new(c, "image/video file keys", 1.0))
        } else {
            visual(c).map(|m| Hit::new(c, m, 0.9))
        }
    })?;
    let position = cols
        .iter()
        .filter(|c| c.name != media.column)
        .find_map(|c| {
            c.find(POSITION_NAMES)
                .or_else(|| c.find(CAMERA_WORDS))
                .map(|t| Hit::new(c, format!("camera position `{t}`"), 1.0))
        })?;
    let vehicle = cols.iter().find_map(|c| {
        if let Some(cat) = c.category(VEHICLE_CATEGORIES) {
            return Some(Hit::new(c, format!("classified {cat}"), 1.0));
        }
        c.find(VEHICLE_NAMES)
            .map(|t| Hit::new(c, format!("vehicle name `{t}`"), 0.9))
    })?;
    let time = cols
        .iter()
        .filter(|c| c.name != media.column && c.name != position.column)
        .find_map(time_hit)?;
    let pos = cols.iter().find(|c| c.name == position.column)?;
    let values = |words: &[&str]| pos.profile.is_some_and(|p| p.has_any(words));
    // A media column named for a cabin camera (`dms_camera_image`) places it too.
    let media_col = cols.iter().find(|c| c.name == media.column)?;
    let cabin = pos.find(CABIN_WORDS).is_some()
        || values(CABIN_VALUES)
        || media_col.find(CABIN_WORDS).is_some();
    let exterior = !cabin || values(EXTERIOR_VALUES);
    Some(MediaIndex {
        media,
        position,
        vehicle,
        time,
        cabin,
        exterior,
    })
}

#[cfg(test)]
mod tests {
    use crate::ids;
    use crate::tables::testing::{found, profile, Table};

    fn keys() -> Option<crate::ValueProfile> {
        Some(profile((0..40).map(|i| {
            format!("cap/2026/11/LSVAX00000000{i:04}/{}.jpg", 1_700_000_000 + i)
        })))
    }

    fn index() -> Table {
        Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("object_key", "varchar", &[]),
            ("position", "varchar", &[]),
            ("captured_at", "datetime", &[]),
        ])
    }

    #[test]
    fn media_index_by_values_split_by_position() {
        let front = Some(profile((0..40).map(|i| ["front", "rear", "left"][i % 3])));
        let f = index().classify_with(&[None, keys(), front, None]);
        assert_eq!(found(&f), [ids::EXTERIOR_MEDIA], "{f:?}");
        assert_eq!(
            f[0].columns,
            ["vin", "object_key", "position", "captured_at"]
        );
        let dms = Some(profile((0..40).map(|i| ["DMS", "OMS"][i % 2])));
        let f = index().classify_with(&[None, keys(), dms, None]);
        assert_eq!(found(&f), [ids::CABIN_MEDIA], "{f:?}");
        let both = Some(profile((0..40).map(|i| ["front", "dms"][i % 2])));
        let f = index().classify_with(&[None, keys(), both, None]);
        assert_eq!(found(&f), [ids::EXTERIOR_MEDIA, ids::CABIN_MEDIA], "{f:?}");
        // Channel numbers say nothing about the cabin: exterior.
        let channels = Some(profile((0..40).map(|i| (1 + i % 4).to_string())));
        let f = index().classify_with(&[None, keys(), channels, None]);
        assert_eq!(found(&f), [ids::EXTERIOR_MEDIA], "{f:?}");
    }

    #[test]
    fn look_alikes_are_not_media_indexes() {
        // Without values the keys are just strings.
        assert!(index().classify().is_empty());
        // Product images: no vehicle, no camera.
        let products = Table::new(&[
            ("sku", "varchar", &[]),
            ("object_key", "varchar", &[]),
            ("sort", "int", &[]),
            ("created_at", "datetime", &[]),
        ]);
        assert!(products
            .classify_with(&[None, keys(), None, None])
            .is_empty());
        // A dealer's vehicle photo album: a vehicle and keys, no camera position.
        let album = Table::new(&[
            ("vin", "varchar", &["vehicle.vin"]),
            ("object_key", "varchar", &[]),
            ("uploaded_at", "datetime", &[]),
        ]);
        assert!(album.classify_with(&[None, keys(), None]).is_empty());
        // Documents, not media.
        let docs = Some(profile((0..40).map(|i| format!("contracts/{i}.pdf"))));
        let pos = Some(profile((0..40).map(|i| ["front", "rear"][i % 2])));
        assert!(index().classify_with(&[None, docs, pos, None]).is_empty());
    }
}
