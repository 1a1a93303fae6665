//! Spreadsheets (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`): each sheet is one asset, named
//! `file#sheet`, read through calamine from the whole file (workbooks are zip or OLE
//! containers, so there is no prefix to sample).
//!
//! Rosters exported from Chinese HR and CRM systems rarely start at row 1: a title row
//! (`2026年11月员工花名册`, one merged cell) and notes often sit above the header. The header is
//! the first of the top rows that is as wide as the table and all text; merged cells in the
//! data (a department name spanning its members) are filled into every cell they cover.

use std::io::Cursor;

use arrow_array::RecordBatch;
use bytes::Bytes;
use calamine::{Data, DataType, Dimensions, Range, Reader, Sheets};
use object_store::ObjectStoreExt;

use crate::batch::{resolve_columns, utf8_schema, StringRows};
use crate::{Error, Result};

/// A workbook larger than this is not opened: calamine holds every cell in memory, and a
/// roster is far smaller. Larger ones are counted as not scanned.
pub(crate) const MAX_SPREADSHEET_BYTES: u64 = 128 << 20;

/// How many top rows may hold titles and notes above the header.
const HEADER_SEARCH_ROWS: usize = 20;

/// Separates the file from the sheet in an asset name.
const SHEET_SEPARATOR: char = '#';

/// Whether a file name is a spreadsheet mulu reads.
pub(crate) fn is_spreadsheet(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The asset name of one sheet.
pub(crate) fn sheet_asset(file: &str, sheet: &str) -> String {
    format!("{file}{SHEET_SEPARATOR}{sheet}")
}

/// The file and sheet of a sheet's asset name; `None` for any other asset.
pub(crate) fn split_sheet_asset(name: &str) -> Option<(&str, &str)> {
    // A sheet name may hold `#` itself; the file part is the first prefix that is a
    // spreadsheet name.
    name.match_indices(SHEET_SEPARATOR)
        .map(|(at, _)| (&name[..at], &name[at + 1..]))
        .find(|(file, _)| is_spreadsheet(file))
}

fn open(asset: &str, bytes: Bytes) -> Result<Sheets<Cursor<Bytes>>> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Error::invalid(asset, "spreadsheet", e))
}

/// The names of the workbook's worksheets, in order.
pub(crate) fn sheet_names(file: &str, bytes: Bytes) -> Result<Vec<String>> {
    Ok(open(file, bytes)?.sheet_names())
}

/// One sheet read as a table of text.
pub(crate) struct SheetTable {
    /// Column names from the header row (blank headers become `column_N`, repeats get `_2`).
    pub names: Vec<String>,
    /// The data rows below the header, trailing blank rows dropped.
    pub rows: Vec<Vec<Option<String>>>,
    /// Rows above the header that were taken for titles and notes.
    pub skipped_rows: usize,
}

/// Reads sheet `sheet` of the workbook in `bytes`.
///
/// # Errors
/// [`Error::NotFound`] when the sheet is gone, [`Error::InvalidData`] when the file is not a
/// workbook calamine can read.
pub(crate) fn read_sheet(asset: &str, bytes: Bytes, sheet: &str) -> Result<SheetTable> {
    let mut book = open(asset, bytes)?;
    if !book.sheet_names().iter().any(|n| n == sheet) {
        return Err(Error::NotFound {
            asset: asset.to_string(),
            detail: "the workbook has no sheet of that name any more".into(),
        });
    }
    let range = book
        .worksheet_range(sheet)
        .map_err(|e| Error::invalid(asset, "spreadsheet", e))?;
    let merged = merged_regions(&mut book, sheet);
    Ok(table_of(range, &merged))
}

/// The merged cells of a sheet, where the format keeps them (xlsx and xls).
fn merged_regions(book: &mut Sheets<Cursor<Bytes>>, sheet: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Copies a merged region's value (kept in its top-left cell) into every cell it covers.
fn fill_merged(range: &mut Range<Data>, region: &Dimensions) {
    let Some(value) = range.get_value(region.start).cloned() else {
        return;
    };
    if value == Data::Empty {
        return;
    }
    for row in region.start.0..=region.end.0 {
        for col in region.start.1..=region.end.1 {
            if (row, col) != region.start && range.get_value((row, col)).is_some() {
                range.set_value((row, col), value.clone());
            }
        }
    }
}

/// The table of a sheet: the header found first (a merged title row filled in would look
/// like one), then merged cells below it filled.
fn table_of(mut range: Range<Data>, merged: &[Dimensions]) -> SheetTable {
    let header = find_header(&range.rows().collect::<Vec<_>>());
    let first_row = range.start().map_or(0, |(r, _)| r);
    for region in merged
        .iter()
        .filter(|m| m.start.0 > first_row + header as u32)
    {
        fill_merged(&mut range, region);
    }
    let rows: Vec<&[Data]> = range.rows().collect();
    let names = header_names(rows.get(header).copied().unwrap_or(&[]));
    let mut data: Vec<Vec<Option<String>>> = rows
        .iter()
        .skip(header + 1)
        .map(|row| {
            (0..names.len())
                .map(|i| row.get(i).and_then(cell_text))
                .collect()
        })
        .collect();
    while data.last().is_some_and(|r| r.iter().all(Option::is_none)) {
        data.pop();
    }
    SheetTable {
        names,
        rows: data,
        skipped_rows: header,
    }
}

/// The header row: among the top rows, the first that is all text and nearly as wide as the
/// widest of them (a title row is one merged cell; a note row is a sentence or two).
fn find_header(rows: &[&[Data]]) -> usize {
    let top = &rows[..rows.len().min(HEADER_SEARCH_ROWS)];
    let filled = |row: &[Data]| row.iter().filter(|c| **c != Data::Empty).count();
    let widest = top.iter().map(|r| filled(r)).max().unwrap_or(0);
    top.iter()
        .position(|row| {
            let n = filled(row);
            let mut texts = row.iter().filter(|c| **c != Data::Empty);
            let first = texts.next();
            n >= 2
                && n * 10 >= widest * 8
                && row
                    .iter()
                    .all(|c| matches!(c, Data::String(_) | Data::Empty))
                // One text repeated across the row is a title spread over merged cells.
                && texts.any(|c| Some(c) != first)
        })
        .unwrap_or(0)
}

/// Column names from the header cells: blanks named by position, repeats numbered.
fn header_names(header: &[Data]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let base = cell_text(cell)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("column_{}", i + 1));
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// A cell as the classifiers see it: text as is, whole numbers without `.0` (phone and ID
/// numbers are often stored as numbers), dates in ISO form, empty and error cells as NULL.
fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty | Data::Error(_) => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        Data::DateTime(_) => cell.as_datetime().map(|d| {
            if d.time() == chrono::NaiveTime::MIN {
                d.date().to_string()
            } else {
                d.to_string()
            }
        }),
        other => Some(other.to_string()),
    }
}

impl SheetTable {
    /// The columns `wanted` (all when `None`) of at most `limit` rows, in batches of
    /// `batch_rows`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when a wanted column is not in the header.
    pub(crate) fn batches(
        &self,
        asset: &str,
        wanted: Option<&[String]>,
        limit: Option<usize>,
        batch_rows: usize,
    ) -> Result<Vec<RecordBatch>> {
        let columns: Vec<String> = wanted.map_or_else(|| self.names.clone(), <[String]>::to_vec);
        let indexes = resolve_columns(asset, &self.names, &columns)?;
        let schema = utf8_schema(&columns);
        let mut out = Vec::new();
        let mut rows = StringRows::new(schema.clone());
        for row in self.rows.iter().take(limit.unwrap_or(usize::MAX)) {
            for (i, &at) in indexes.iter().enumerate() {
                rows.push(i, row[at].as_deref());
            }
            rows.end_row();
            if rows.len() >= batch_rows.max(1) {
                out.push(rows.finish("lake", asset)?);
            }
        }
        if rows.len() > 0 || out.is_empty() {
            out.push(rows.finish("lake", asset)?);
        }
        Ok(out)
    }
}

/// The spreadsheet side of the lake connector: expanding workbooks into sheet assets while
/// listing, and reading a sheet.
impl super::LakeConnector {
    /// The workbook's bytes, refused past [`MAX_SPREADSHEET_BYTES`].
    async fn workbook_bytes(&self, asset: &str, file: &str) -> Result<Bytes> {
        let path = object_store::path::Path::from(file);
        let result = self
            .store
            .get(&path)
            .await
            .map_err(|e| self.store_error(asset, e))?;
        if result.meta.size > MAX_SPREADSHEET_BYTES {
            return Err(Error::invalid(
                asset,
                "spreadsheet",
                format!(
                    "the workbook is larger than {} MiB",
                    MAX_SPREADSHEET_BYTES >> 20
                ),
            ));
        }
        result.bytes().await.map_err(|e| self.store_error(asset, e))
    }

    /// One asset per sheet of the workbook `file` of `bytes` bytes, the file's size shared
    /// among them (so an item's storage total counts the file once); an unreadable workbook
    /// is one unreadable asset naming why.
    pub(super) async fn sheet_assets(&self, file: &str, bytes: u64) -> Vec<crate::AssetInfo> {
        let names = match self.workbook_bytes(file, file).await {
            Ok(content) => {
                let owned = file.to_string();
                tokio::task::spawn_blocking(move || sheet_names(&owned, content))
                    .await
                    .unwrap_or_else(|_| {
                        Err(Error::invalid(file, "spreadsheet", "the reader panicked"))
                    })
            }
            Err(e) => Err(e),
        };
        let file_asset = |unreadable: Option<String>| crate::AssetInfo {
            name: file.to_string(),
            kind: crate::AssetKind::File,
            row_count: None,
            bytes: Some(bytes),
            partition_columns: Vec::new(),
            unreadable,
            snapshot: None,
            share: None,
        };
        match names {
            Ok(names) if names.is_empty() => {
                vec![file_asset(Some("the workbook has no sheets".into()))]
            }
            Ok(names) => {
                let n = names.len() as u64;
                names
                    .iter()
                    .enumerate()
                    .map(|(i, sheet)| crate::AssetInfo {
                        name: sheet_asset(file, sheet),
                        bytes: Some(bytes / n + if i == 0 { bytes % n } else { 0 }),
                        ..file_asset(None)
                    })
                    .collect()
            }
            Err(e) => vec![file_asset(Some(e.to_string()))],
        }
    }

    /// Reads the sheet of a `file#sheet` asset: at most `limit` rows of `columns` (all when
    /// `None`), with the sheet's row count and what was skipped above the header.
    pub(super) async fn read_sheet_asset(
        &self,
        asset: &str,
        columns: Option<Vec<String>>,
        limit: Option<usize>,
        batch_rows: usize,
    ) -> Result<crate::Sample> {
        let (file, sheet) = split_sheet_asset(asset).ok_or_else(|| Error::NotFound {
            asset: asset.to_string(),
            detail: "not a `file#sheet` name".into(),
        })?;
        let content = self.workbook_bytes(asset, file).await?;
        let (name, sheet) = (asset.to_string(), sheet.to_string());
        let read = tokio::task::spawn_blocking(move || {
            let table = read_sheet(&name, content, &sheet)?;
            let batches = table.batches(&name, columns.as_deref(), limit, batch_rows)?;
            Ok::<_, Error>((
                table.names.len(),
                table.rows.len(),
                table.skipped_rows,
                batches,
            ))
        })
        .await
        .map_err(|e| match e.try_into_panic() {
            Ok(panic) => super::reader_panicked(asset, panic.as_ref()),
            Err(e) => Error::backend("lake", asset, e),
        })??;
        let (width, rows, skipped, batches) = read;
        let mut warnings = Vec::new();
        if skipped > 0 {
            warnings.push(format!(
                "the header is row {} of the sheet; the {skipped} row(s) above it (titles, \
                 notes) were not read as data",
                skipped + 1
            ));
        }
        if width == 0 {
            warnings.push("the sheet is empty".into());
        }
        let schema = batches
            .first()
            .map(RecordBatch::schema)
            .unwrap_or_else(|| utf8_schema::<String>(&[]));
        Ok(crate::Sample {
            schema,
            batches,
            row_count: Some(rows as u64),
            warnings,
            incomplete: None,
            sampling: Some(model::Sampling::new(
                "first_rows",
                "the first rows of the sheet",
            )),
            media: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Data {
        Data::String(text.into())
    }

    fn range(rows: Vec<Vec<Data>>) -> Range<Data> {
        let height = rows.len() as u32;
        let width = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
        let mut range = Range::new((0, 0), (height - 1, width - 1));
        for (r, row) in rows.into_iter().enumerate() {
            for (c, cell) in row.into_iter().enumerate() {
                range.set_value((r as u32, c as u32), cell);
            }
        }
        range
    }

    #[test]
    fn the_header_is_found_under_a_title_and_a_note() {
        let title = Dimensions {
            start: (0, 0),
            end: (0, 2),
        };
        let sheet = range(vec![
            vec![s("2026年11月员工花名册"), Data::Empty, Data::Empty],
            vec![s("制表：人事部"), Data::Empty, s("单位：人")],
            vec![s("姓名"), s("手机号"), s("入职日期")],
            vec![s("甲"), Data::Float(13800138000.0), s("2026-01-05")],
            vec![s("乙"), Data::Int(13912345678), Data::Empty],
            vec![Data::Empty, Data::Empty, Data::Empty],
        ]);
        // The title is one merged cell, which is never filled in above the header.
        let table = table_of(sheet, &[title]);
        assert_eq!(table.names, ["姓名", "手机号", "入职日期"]);
        assert_eq!(table.skipped_rows, 2);
        assert_eq!(table.rows.len(), 2, "the trailing blank row is dropped");
        assert_eq!(table.rows[0][1].as_deref(), Some("13800138000"));
        assert_eq!(table.rows[1][1].as_deref(), Some("13912345678"));
        assert_eq!(table.rows[1][2], None);
    }

    #[test]
    fn blank_and_repeated_headers_get_names() {
        let names = header_names(&[s("电话"), Data::Empty, s("电话"), s(" 备注 ")]);
        assert_eq!(names, ["电话", "column_2", "电话_2", "备注"]);
    }

    #[test]
    fn merged_cells_fill_every_cell_they_cover() {
        let r = range(vec![
            vec![s("部门"), s("手机")],
            vec![s("销售部"), s("13800138000")],
            vec![Data::Empty, s("13912345678")],
        ]);
        let department = Dimensions {
            start: (1, 0),
            end: (2, 0),
        };
        let table = table_of(r, &[department]);
        assert_eq!(table.rows[1][0].as_deref(), Some("销售部"));
    }

    #[test]
    fn sheet_asset_names_split_at_the_spreadsheet() {
        assert_eq!(
            split_sheet_asset("hr/roster.xlsx#Sheet1"),
            Some(("hr/roster.xlsx", "Sheet1"))
        );
        assert_eq!(
            split_sheet_asset("hr/a#b.xls#第1#页"),
            Some(("hr/a#b.xls", "第1#页"))
        );
        assert_eq!(split_sheet_asset("exports/a.csv"), None);
        assert!(is_spreadsheet("X.XLSX") && is_spreadsheet("a.ods") && !is_spreadsheet("a.csv"));
    }
}
