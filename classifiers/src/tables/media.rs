//! Shared by the exterior and cabin media rules: what names a medium, a camera or the cabin.

use super::column::Column;
use crate::TypeFamily;

pub(super) const MEDIA_NAMES: &[&str] = &[
    "image", "img", "picture", "pic", "photo", "video", "frame", "snapshot", "snap", "jpg", "jpeg",
    "png", "mp4", "h264", "clip", "图片", "图像", "视频", "照片", "抓拍", "影像",
];
pub(super) const CAMERA_WORDS: &[&str] = &["camera", "cam", "摄像", "相机"];
/// Words that place a camera or a microphone in the cabin.
pub(super) const CABIN_WORDS: &[&str] = &[
    "dms",
    "oms",
    "cabin",
    "driver_monitor",
    "in_car",
    "incar",
    "interior",
    "inside",
    "车内",
    "座舱",
    "舱内",
    "驾驶员监测",
];
/// Last tokens of names that describe media without holding it
/// (`image_count`, `camera_id`, `video_status`).
pub(super) const NOT_MEDIA_TAIL: &[&str] = &[
    "id",
    "no",
    "count",
    "cnt",
    "num",
    "size",
    "bytes",
    "status",
    "state",
    "type",
    "flag",
    "width",
    "height",
    "fps",
    "format",
    "time",
    "ts",
    "at",
    "hash",
    "md5",
    "enabled",
    "on",
    "channel",
    "position",
    "pos",
    "mode",
    "name",
    "version",
    "model",
    "resolution",
    "angle",
    "fov",
    "config",
    "level",
    "temp",
    "temperature",
    "speed",
];

pub(super) fn is_media_slot(c: &Column<'_>) -> bool {
    !NOT_MEDIA_TAIL.contains(&c.last_token())
}

/// Image or video in the column itself (name or binary type).
pub(super) fn visual(c: &Column<'_>) -> Option<String> {
    if !is_media_slot(c) {
        return None;
    }
    if let Some(t) = c.find(MEDIA_NAMES) {
        return Some(format!("media name `{t}`"));
    }
    (c.ty == TypeFamily::Binary).then(|| "binary type".to_owned())
}
