//! Reading a media collection: ranged reads of the first bytes of a spread of its objects,
//! one row per object read, and the collection's summary for the report.
//!
//! A row holds what the classifiers and table rules need: the content type in a column named
//! after the camera position and medium (`front_camera_image`), the VIN-shaped part of the
//! key (`vin`, which the VIN classifier confirms by its check digit), the capture time, the
//! camera and the GPS position as `lng,lat` (`gps`, which the coordinate classifier counts
//! only inside China).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use futures::StreamExt;
use object_store::path::Path;
use object_store::{ObjectMeta, ObjectStoreExt};

use super::dataset::spread;
use super::media::{group_collections, vin_shaped, Collection};
use super::media_probe::{box_header, movie_into, probe_head, top_level_boxes, Probe};
use crate::{AssetInfo, Error, MediaSummary, Result, Sample};

/// Bytes read from the start of each sampled object: an EXIF block is at most 64 KiB and
/// comes first in a JPEG.
const HEAD_BYTES: u64 = 128 * 1024;
/// The largest `moov` box read when it lies past the head (a long video's index is big).
const MOOV_MAX_BYTES: u64 = 4 * 1024 * 1024;
/// Top-level MP4 boxes stepped over, one small ranged read each, looking for `moov`.
const MAX_BOX_HOPS: usize = 8;
/// Objects read at once.
const PROBE_CONCURRENCY: usize = 8;
/// Camera models named in a summary at most.
const MODELS_SHOWN: usize = 5;

/// The collections the last listing found, by name, so a sample needs no second listing.
pub(super) type CollectionCache = std::sync::Mutex<BTreeMap<String, Collection>>;

impl super::LakeConnector {
    /// The collection named `name`: as listed, or found again by listing the folder its
    /// pattern starts with (a read without a listing first).
    async fn collection(&self, name: &str) -> Result<Collection> {
        if let Some(c) = self.cache().get(name) {
            return Ok(c.clone());
        }
        let literal: Vec<&str> = name
            .split('/')
            .take_while(|s| !s.contains(['{', '*', '=']))
            .collect();
        let dirs = &literal[..literal.len().min(name.split('/').count() - 1)];
        let prefix = (!dirs.is_empty()).then(|| Path::from(dirs.join("/")));
        group_collections(self.list_files(prefix.as_ref()).await?)
            .remove(name)
            .map(|(_, c)| c)
            .ok_or_else(|| Error::NotFound {
                asset: name.to_string(),
                detail: "no object matches the collection's pattern any more".into(),
            })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Collection>> {
        self.collections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers the collections of a listing for the samples that follow it.
    pub(super) fn remember(&self, collections: impl IntoIterator<Item = (String, Collection)>) {
        let mut cache = self.cache();
        cache.clear();
        cache.extend(collections);
    }

    /// Reads the first bytes of up to `limit` of the collection's objects.
    pub(super) async fn sample_collection(
        &self,
        asset: &AssetInfo,
        limit: usize,
    ) -> Result<Sample> {
        let collection = self.collection(&asset.name).await?;
        let chosen: Vec<ObjectMeta> = spread(collection.sample.len(), limit)
            .into_iter()
            .map(|i| collection.sample[i].clone())
            .collect();
        let probes: Vec<(ObjectMeta, Result<Probe>)> = futures::stream::iter(chosen)
            .map(|meta| async move {
                let probe = self.probe_object(&asset.name, &meta).await;
                (meta, probe)
            })
            .buffered(PROBE_CONCURRENCY)
            .collect()
            .await;
        let (mut read, mut failed) = (Vec::new(), Vec::new());
        for (meta, probe) in probes {
            match probe {
                Ok(p) => read.push((meta, p)),
                Err(e) => failed.push(e),
            }
        }
        let mut warnings = Vec::new();
        if let Some(first) = failed.first() {
            if read.is_empty() {
                return Err(failed.swap_remove(0));
            }
            warnings.push(format!(
                "{} of {} sampled objects could not be read (the first: {first})",
                failed.len(),
                failed.len() + read.len()
            ));
        }
        let media = summary(&collection, &read);
        let mismatched = read
            .iter()
            .filter(|(_, p)| !p.content_type.starts_with(collection.class.word()))
            .count();
        if mismatched > 0 {
            warnings.push(format!(
                "{mismatched} sampled object(s) are not {}s by their content, whatever their \
                 names say (see media.content_types)",
                collection.class.word()
            ));
        }
        let (schema, batch) = rows(&asset.name, &collection.media_column(), &read)?;
        Ok(Sample {
            schema,
            batches: vec![batch],
            row_count: Some(collection.objects),
            warnings,
            incomplete: None,
            sampling: Some(model::Sampling::new(
                "object_spread",
                format!(
                    "{} of {} objects spread evenly over the collection, the head of each",
                    read.len(),
                    collection.objects
                ),
            )),
            media: Some(media),
        })
    }

    /// Reads one object's head (and, for an MP4 or MOV whose `moov` lies past it, that box).
    async fn probe_object(&self, asset: &str, meta: &ObjectMeta) -> Result<Probe> {
        let len = meta.size.min(HEAD_BYTES);
        let head = if len == 0 {
            bytes::Bytes::new()
        } else {
            self.store
                .get_range(&meta.location, 0..len)
                .await
                .map_err(|e| self.store_error(asset, e))?
        };
        let mut probe = probe_head(&head);
        if matches!(probe.content_type, "video/mp4" | "video/quicktime") {
            if let Some(moov) = self.moov_past_head(asset, meta, &head).await? {
                movie_into(&moov, &mut probe);
            }
        }
        Ok(probe)
    }

    /// The payload of a `moov` box that does not lie whole inside `head`, found by stepping
    /// over top-level boxes with small ranged reads (a camera writes `mdat` first).
    async fn moov_past_head(
        &self,
        asset: &str,
        meta: &ObjectMeta,
        head: &[u8],
    ) -> Result<Option<bytes::Bytes>> {
        let (boxes, mut next) = top_level_boxes(head);
        let mut moov = boxes.into_iter().find(|b| &b.kind == b"moov");
        let mut hops = 0;
        while moov.is_none() && hops < MAX_BOX_HOPS {
            let Some(at) = next.filter(|&at| at + 16 <= meta.size) else {
                break;
            };
            hops += 1;
            let bytes = self
                .store
                .get_range(&meta.location, at..at + 16)
                .await
                .map_err(|e| self.store_error(asset, e))?;
            let Some(h) = box_header(&bytes, at) else {
                break;
            };
            if &h.kind == b"moov" {
                moov = Some(h);
            }
            next = h.len.map(|l| at + l);
        }
        let Some(h) = moov else {
            return Ok(None);
        };
        let end = h.len.map_or(meta.size, |l| h.start + l).min(meta.size);
        if end <= head.len() as u64 {
            return Ok(None); // whole inside the head: already read
        }
        let from = h.start + h.header;
        let to = end.min(from + MOOV_MAX_BYTES);
        if from >= to {
            return Ok(None);
        }
        self.store
            .get_range(&meta.location, from..to)
            .await
            .map(Some)
            .map_err(|e| self.store_error(asset, e))
    }
}

/// The collection's summary: its listing's figures and what the probes showed.
fn summary(c: &Collection, read: &[(ObjectMeta, Probe)]) -> MediaSummary {
    let mut content_types = BTreeMap::new();
    let mut models = BTreeSet::new();
    for (_, p) in read {
        *content_types.entry(p.content_type.to_string()).or_insert(0) += 1;
        models.extend(p.camera_model.clone());
    }
    let captured = || read.iter().filter_map(|(_, p)| p.captured.clone());
    MediaSummary {
        objects: c.objects,
        bytes: c.bytes,
        first_modified: c.first_modified,
        last_modified: c.last_modified,
        camera_position: c.position.map(str::to_string),
        sampled_objects: read.len() as u64,
        content_types,
        with_gps: read.iter().filter(|(_, p)| p.gps.is_some()).count() as u64,
        captured_from: captured().min(),
        captured_to: captured().max(),
        camera_models: models.into_iter().take(MODELS_SHOWN).collect(),
    }
}

/// One row per object read: content type, VIN-shaped key part, capture time, camera, GPS.
/// A metadata column no sampled object has a value for is left out: an empty `gps` or `vin`
/// column would otherwise be judged by its name alone.
fn rows(
    asset: &str,
    media_column: &str,
    read: &[(ObjectMeta, Probe)],
) -> Result<(Arc<Schema>, RecordBatch)> {
    type Value = fn(&ObjectMeta, &Probe) -> Option<String>;
    let all: [(&str, Value); 5] = [
        (media_column, |_, p| Some(p.content_type.to_string())),
        ("vin", |m, _| key_vin(m.location.as_ref())),
        ("capture_time", |_, p| p.captured.clone()),
        ("camera_model", |_, p| p.camera_model.clone()),
        ("gps", |_, p| {
            p.gps.map(|(lon, lat)| format!("{lon:.6},{lat:.6}"))
        }),
    ];
    let (mut fields, mut columns) = (Vec::new(), Vec::<ArrayRef>::new());
    for (i, (name, value)) in all.into_iter().enumerate() {
        let values: Vec<Option<String>> = read.iter().map(|(m, p)| value(m, p)).collect();
        if i > 0 && values.iter().all(Option::is_none) {
            continue;
        }
        fields.push(Field::new(name, DataType::Utf8, true));
        columns.push(Arc::new(StringArray::from(values)));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| Error::backend("lake", asset, e))?;
    Ok((schema, batch))
}

/// The first VIN-shaped part of a key (deepest last: a file name beats its folders).
fn key_vin(key: &str) -> Option<String> {
    key.split(|c: char| !c.is_ascii_alphanumeric())
        .rev()
        .find(|t| vin_shaped(t))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vin_is_taken_from_the_key() {
        assert_eq!(
            key_vin("adas/front/2026-11-02/LSVAB4BR8KN123456_0001.jpg").as_deref(),
            Some("LSVAB4BR8KN123456")
        );
        assert_eq!(key_vin("adas/front/2026-11-02/frame_0001.jpg"), None);
    }
}
