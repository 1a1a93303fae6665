//! A shard's persons contribution: every asset's hashed rows, kept while the shard counts
//! and replayed by the merge, so that persons are linked across shards exactly as one process
//! would link them. Rows are keyed hashes (no identifier) under the run's persistent key.

use std::sync::{Arc, Mutex};

use model::AssetReport;
use persons::KeyRows;

use super::Tally;

/// The hashed rows of one asset, as its shard read them.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedAsset {
    /// The asset's source, as the report shows it (redacted).
    pub source: String,
    /// The asset's name, as the report shows it (redacted).
    pub name: String,
    /// Whether every row was read.
    pub complete: bool,
    /// The rows with at least one identifier.
    pub rows: Vec<KeyRows>,
}

/// Where a recording tally puts each asset's rows; cloned to keep a handle on them.
#[derive(Debug, Clone, Default)]
pub struct Recording(Arc<Mutex<Vec<RecordedAsset>>>);

/// First bytes of an encoded recording.
const MAGIC: &[u8; 8] = b"MULUPR1\0";

impl Recording {
    fn assets(&self) -> std::sync::MutexGuard<'_, Vec<RecordedAsset>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn push(&self, asset: RecordedAsset) {
        self.assets().push(asset);
    }

    /// Everything recorded so far, sorted by source and name (so a shard's output does not
    /// depend on the order its assets finished in).
    pub fn take(&self) -> Vec<RecordedAsset> {
        let mut assets = std::mem::take(&mut *self.assets());
        assets.sort_by(|a, b| (&a.source, &a.name).cmp(&(&b.source, &b.name)));
        assets
    }

    /// The recording as bytes: a magic, then per asset its source and name (length-prefixed
    /// UTF-8), the complete flag, the number of row groups and each group's rows; zstd
    /// compressed.
    ///
    /// # Errors
    /// Compression failed.
    pub fn encode(assets: &[RecordedAsset]) -> std::io::Result<Vec<u8>> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        for asset in assets {
            for text in [&asset.source, &asset.name] {
                raw.extend_from_slice(&(text.len() as u32).to_le_bytes());
                raw.extend_from_slice(text.as_bytes());
            }
            raw.push(u8::from(asset.complete));
            raw.extend_from_slice(&(asset.rows.len() as u32).to_le_bytes());
            for rows in &asset.rows {
                rows.write_to(&mut raw);
            }
        }
        zstd::encode_all(raw.as_slice(), 3)
    }

    /// Reads what [`encode`](Self::encode) wrote.
    ///
    /// # Errors
    /// Not zstd, not a recording, or cut short.
    pub fn decode(bytes: &[u8]) -> anyhow::Result<Vec<RecordedAsset>> {
        let raw = zstd::decode_all(bytes)?;
        let rest = raw
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| anyhow::anyhow!("not a mulu persons recording"))?;
        let mut reader = Reader(rest);
        let mut assets = Vec::new();
        while !reader.0.is_empty() {
            let source = reader.text()?;
            let name = reader.text()?;
            let complete = reader.take(1)?[0] == 1;
            let groups = reader.u32()?;
            let mut rows = Vec::with_capacity(groups.min(1 << 16) as usize);
            for _ in 0..groups {
                let (group, used) = KeyRows::read_from(reader.0).ok_or_else(cut)?;
                reader.take(used)?;
                rows.push(group);
            }
            assets.push(RecordedAsset {
                source,
                name,
                complete,
                rows,
            });
        }
        Ok(assets)
    }
}

fn cut() -> anyhow::Error {
    anyhow::anyhow!("the persons recording is cut short")
}

/// Reads the recording's fields from the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> anyhow::Result<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n).ok_or_else(cut)?;
        self.0 = tail;
        Ok(head)
    }

    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }

    fn text(&mut self) -> anyhow::Result<String> {
        let len = self.u32()? as usize;
        Ok(String::from_utf8(self.take(len)?.to_vec())?)
    }
}

impl Tally {
    /// Adds an asset a shard counted, as if this process had read its rows: `report` is the
    /// asset's report from the shard (its categories decide the vehicle flag and the items).
    pub async fn replay(
        &self,
        report: &AssetReport,
        recorded: RecordedAsset,
        redactor: &crate::redact::Redactor,
    ) {
        let mut open = self.open_slot(report);
        for rows in recorded.rows {
            let keys = crate::person_columns::BatchKeys {
                rows: vec![rows],
                text: Vec::new(),
            };
            self.ingest(&mut open, keys).await;
        }
        self.close_slot(open, recorded.complete, redactor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_survives_encoding_and_garbage_is_refused() {
        let keyer = persons::PersonKeyer::new(&[9u8; 32]).unwrap();
        let mut rows = KeyRows::new();
        rows.push_row(&[
            keyer.key(persons::IdentifierKind::MobilePhone, "13900000001"),
            keyer.key(persons::IdentifierKind::Email, "a@b.cn"),
        ]);
        let assets = vec![RecordedAsset {
            source: "sample-data".into(),
            name: "客户.csv".into(),
            complete: true,
            rows: vec![rows],
        }];
        let bytes = Recording::encode(&assets).unwrap();
        assert_eq!(Recording::decode(&bytes).unwrap(), assets);
        assert!(Recording::decode(b"not zstd").is_err());
        let cut = zstd::encode_all(&zstd::decode_all(bytes.as_slice()).unwrap()[..20], 3).unwrap();
        assert!(Recording::decode(&cut).is_err());
    }
}
