//! The catalogue as an Excel workbook, the form DPOs open, review and file.
//!
//! Sheets: 备案主体信息 (the filing entity), 重要数据目录 (important items), 变更事项 (the
//! pending re-filing triggers, when a baseline exists), 车联网数据 (the vehicle extension, for
//! vehicle organisations), 数据资产台账 (every item), 数据载体明细 (one row per item and
//! carrier, since a lake item's carriers do not fit one cell) and 填写说明 (how to read and fill
//! it). Fields still to be filled by a person read 待填写 and are highlighted; counts and sizes
//! are numbers; 是/否/无 fields have dropdowns; every sheet has a frozen, filterable header.

use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, Workbook, Worksheet,
    XlsxError,
};

use crate::carriers::{fit, CELL_LIMIT, DETAIL_SHEET};
use crate::catalog::{Catalog, CatalogItem, Person, TO_FILL};
use crate::columns::{item_columns, Cell, Choices};

/// Sheet names, in workbook order.
pub const SHEET_HEADER: &str = "备案主体信息";
/// The filing table.
pub const SHEET_ITEMS: &str = "重要数据目录";
/// The vehicle extension.
pub const SHEET_VEHICLE: &str = "车联网数据";
/// The full inventory.
pub const SHEET_INVENTORY: &str = "数据资产台账";
/// Every carrier of every item, one per row.
pub const SHEET_CARRIERS: &str = DETAIL_SHEET;
/// The pending re-filing triggers.
pub const SHEET_CHANGES: &str = "变更事项";
/// How to read and fill the workbook.
pub const SHEET_INSTRUCTIONS: &str = "填写说明";
/// 未扫描数据: what the sources hold and the scan did not read.
pub const SHEET_UNSCANNED: &str = "未扫描数据";

/// Rows a worksheet holds (Excel's limit), the header included.
const MAX_ROWS: usize = 1_048_576;

struct Formats {
    header: Format,
    to_fill: Format,
    text: Format,
    count: Format,
    bytes: Format,
    percent: Format,
    date: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_text_wrap(),
        to_fill: Format::new().set_background_color(Color::RGB(0xFFEB9C)),
        text: Format::new().set_text_wrap(),
        count: Format::new().set_num_format("#,##0"),
        bytes: Format::new().set_num_format("#,##0\" B\""),
        percent: Format::new().set_num_format("+0.0%;-0.0%;0.0%"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    }
}

/// Writes a typed cell: numbers as numbers, text through [`write_cell`].
fn write_typed(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) => write_cell(sheet, row, col, t, f),
        Cell::Count(n) => sheet
            .write_number_with_format(row, col, *n as f64, &f.count)
            .map(|_| ()),
        Cell::Bytes(n) => sheet
            .write_number_with_format(row, col, *n as f64, &f.bytes)
            .map(|_| ()),
    }
}

/// A header row at row 0, frozen, with an autofilter over `rows` data rows.
fn table_header(
    sheet: &mut Worksheet,
    headers: &[&str],
    width: f64,
    rows: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &f.header)?;
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows as u32, headers.len() as u16 - 1)?;
    Ok(())
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    let format = if value == TO_FILL {
        &f.to_fill
    } else {
        &f.text
    };
    // No cell may exceed Excel's limit, whatever a field holds.
    if value.len() > CELL_LIMIT {
        sheet.write_string_with_format(row, col, fit(value, "…（已截断）"), format)?;
    } else {
        sheet.write_string_with_format(row, col, value, format)?;
    }
    Ok(())
}

fn person(p: &Option<Person>) -> String {
    let Some(p) = p else {
        return TO_FILL.into();
    };
    let parts: Vec<&str> = [&p.name, &p.title, &p.phone, &p.email]
        .into_iter()
        .filter_map(|v| v.as_deref())
        .collect();
    if p.name.is_none() || parts.is_empty() {
        TO_FILL.into()
    } else {
        parts.join(" / ")
    }
}

fn or_fill(v: &Option<String>) -> String {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or(TO_FILL)
        .to_string()
}

fn header_sheet(sheet: &mut Worksheet, catalog: &Catalog, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_HEADER)?;
    let org = &catalog.header.organization;
    let pi_total = match catalog.header.pi_subjects_total {
        Some(r) if r.lower == r.upper => Cell::Count(r.lower),
        Some(r) => Cell::Text(format!("{}–{}（区间）", r.lower, r.upper)),
        None => Cell::Text("未计数".into()),
    };
    let sectors = if org.sectors.is_empty() {
        TO_FILL.to_string()
    } else {
        org.sectors.join("、")
    };
    let text = Cell::Text;
    let mut rows: Vec<(&str, Cell)> = vec![
        ("单位名称", text(or_fill(&org.name))),
        ("统一社会信用代码", text(or_fill(&org.uscc))),
        ("所属领域", text(sectors)),
        ("备案机关", text(or_fill(&org.filing_authority))),
        ("网络数据安全负责人", text(person(&org.security_officer))),
        ("网络数据安全管理机构", text(or_fill(&org.security_body))),
        ("联系人", text(person(&org.contact))),
        ("备案类型", text(catalog.header.filing_type.to_string())),
    ];
    if let Some(r) = &catalog.refiling {
        rows.push(("基线备案日期", text(r.filed_at.to_string())));
        rows.push(("待办变更事项", Cell::Count(r.changes.len() as u64)));
    }
    rows.extend([
        ("个人信息主体总数", pi_total),
        (
            "重要数据目录条目数",
            Cell::Count(catalog.items.len() as u64),
        ),
        (
            "扫描时间（北京时间）",
            text(crate::beijing::display(catalog.scan_started_at)),
        ),
        (
            "未扫描存储总量（字节）",
            Cell::Bytes(catalog.unscanned.iter().map(|u| u.files.bytes).sum()),
        ),
    ]);
    table_header(sheet, &["字段", "内容"], 22.0, rows.len(), f)?;
    for (i, (label, value)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, *label, &f.header)?;
        write_typed(sheet, row, 1, value, f)?;
    }
    sheet.set_column_width(1, 60)?;
    Ok(())
}

fn items_sheet(
    sheet: &mut Worksheet,
    name: &str,
    items: &[CatalogItem],
    vehicle: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let cols = item_columns(vehicle);
    let headers: Vec<&str> = cols.iter().map(|c| c.header).collect();
    table_header(sheet, &headers, 18.0, items.len(), f)?;
    for (r, item) in items.iter().enumerate() {
        for (c, col) in cols.iter().enumerate() {
            write_typed(sheet, r as u32 + 1, c as u16, &(col.cell)(item), f)?;
        }
    }
    // Keep 目录编号 and 数据名称 in view while scrolling right.
    sheet.set_freeze_panes(1, 2)?;
    if items.is_empty() {
        return Ok(());
    }
    for (c, col) in cols.iter().enumerate() {
        let validation = match col.choices {
            Choices::Free => continue,
            Choices::Only(values) => DataValidation::new()
                .allow_list_strings(values)?
                .set_error_message(format!("请选择：{}", values.join(" / ")))?,
            // A suggestion, not a rule: a description in words stays allowed.
            Choices::Suggested(values) => DataValidation::new()
                .allow_list_strings(values)?
                .set_error_style(DataValidationErrorStyle::Information)
                .set_error_message(format!(
                    "没有时选“{}”，有时请写明对象、方式和依据",
                    values.join("/")
                ))?,
        };
        sheet.add_data_validation(1, c as u16, items.len() as u32, c as u16, &validation)?;
    }
    Ok(())
}

/// 变更事项: one row per pending trigger, with the figures and dates.
fn changes_sheet(sheet: &mut Worksheet, catalog: &Catalog, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_CHANGES)?;
    let changes = catalog
        .refiling
        .as_ref()
        .map_or(&[][..], |r| &r.changes[..]);
    let headers = [
        "目录编号",
        "数据名称",
        "变更原因",
        "基线数值",
        "当前数值",
        "变化率",
        "说明",
        "首次发现日期",
        "应完成变更备案日期",
    ];
    table_header(sheet, &headers, 16.0, changes.len(), f)?;
    sheet.set_column_width(6, 40)?;
    for (r, change) in changes.iter().enumerate() {
        let row = r as u32 + 1;
        write_cell(sheet, row, 0, &change.catalog_no, f)?;
        write_cell(sheet, row, 1, &change.data_name, f)?;
        write_cell(sheet, row, 2, change.reason.label(), f)?;
        for (col, figure) in [(3, change.baseline), (4, change.current)] {
            if let Some(n) = figure {
                sheet.write_number_with_format(row, col, n as f64, &f.count)?;
            }
        }
        if let Some(x) = change.change {
            sheet.write_number_with_format(row, 5, x, &f.percent)?;
        }
        write_cell(sheet, row, 6, &change.detail, f)?;
        sheet.write_datetime_with_format(row, 7, excel_date(change.detected_at)?, &f.date)?;
        sheet.write_datetime_with_format(row, 8, excel_date(change.due_by)?, &f.date)?;
    }
    Ok(())
}

fn instructions_sheet(sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_INSTRUCTIONS)?;
    let rows = crate::instructions::INSTRUCTIONS;
    table_header(sheet, &["项目", "说明"], 28.0, rows.len(), f)?;
    sheet.set_column_width(1, 100)?;
    for (i, (what, text)) in rows.iter().enumerate() {
        write_cell(sheet, i as u32 + 1, 0, what, f)?;
        write_cell(sheet, i as u32 + 1, 1, text, f)?;
    }
    Ok(())
}

fn vehicle_sheet(sheet: &mut Worksheet, catalog: &Catalog, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_VEHICLE)?;
    let headers = [
        "目录编号",
        "数据名称",
        "汽车数据类型",
        "重要数据条款",
        "数据级别",
    ];
    table_header(sheet, &headers, 24.0, catalog.items.len(), f)?;
    for (r, item) in catalog.items.iter().enumerate() {
        let ext = item.vehicle.as_ref();
        let cells = [
            item.catalog_no(),
            item.data_name.clone(),
            ext.map(|v| v.kind.clone()).unwrap_or_default(),
            ext.map(|v| v.art3_items.join("；")).unwrap_or_default(),
            item.level.to_string(),
        ];
        for (c, v) in cells.iter().enumerate() {
            write_cell(sheet, r as u32 + 1, c as u16, v, f)?;
        }
    }
    Ok(())
}

/// One row per item and carrier, inventory order; past Excel's row limit the last row says how
/// many were left out (the JSON export has them all).
fn carriers_sheet(sheet: &mut Worksheet, catalog: &Catalog, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_CARRIERS)?;
    let headers = ["目录编号", "数据名称", "数据源", "数据资产", "存储类型"];
    let total: usize = catalog.inventory.iter().map(|i| i.carriers.len()).sum();
    let room = MAX_ROWS - 2;
    table_header(sheet, &headers, 28.0, total.min(room), f)?;
    let rows = catalog
        .inventory
        .iter()
        .flat_map(|i| i.carriers.iter().map(move |c| (i, c)));
    for (r, (item, carrier)) in rows.take(room).enumerate() {
        let row = r as u32 + 1;
        for (c, v) in [
            &item.catalog_no(),
            &item.data_name,
            &carrier.source,
            &carrier.asset,
            &carrier.store_type,
        ]
        .into_iter()
        .enumerate()
        {
            write_cell(sheet, row, c as u16, v, f)?;
        }
    }
    if total > room {
        let note = format!(
            "另有 {} 个数据载体超出工作表行数上限，完整清单见 JSON 导出",
            total - room
        );
        write_cell(sheet, room as u32 + 1, 0, &note, f)?;
    }
    Ok(())
}

/// 未扫描数据: one row per source, reason and kind of file the scan did not read, so the
/// storage outside the figures is on record.
fn unscanned_sheet(sheet: &mut Worksheet, catalog: &Catalog, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_UNSCANNED)?;
    let headers = [
        "数据源",
        "未扫描原因",
        "文件类型",
        "文件数",
        "存储量（字节）",
    ];
    table_header(sheet, &headers, 24.0, catalog.unscanned.len(), f)?;
    for (r, u) in catalog.unscanned.iter().enumerate() {
        let row = r as u32 + 1;
        write_cell(sheet, row, 0, &u.source, f)?;
        write_cell(sheet, row, 1, u.files.reason.describe_zh(), f)?;
        write_cell(sheet, row, 2, &u.files.kind, f)?;
        write_typed(sheet, row, 3, &Cell::Count(u.files.count), f)?;
        write_typed(sheet, row, 4, &Cell::Bytes(u.files.bytes), f)?;
    }
    Ok(())
}

/// Builds the workbook in memory.
///
/// # Errors
/// Only on internal workbook errors (sheet names, sizes).
pub fn render(catalog: &Catalog) -> Result<Vec<u8>, XlsxError> {
    let f = formats();
    let vehicle = catalog.header.organization.is_vehicle();
    let mut book = Workbook::new();
    header_sheet(book.add_worksheet(), catalog, &f)?;
    items_sheet(
        book.add_worksheet(),
        SHEET_ITEMS,
        &catalog.items,
        vehicle,
        &f,
    )?;
    if catalog.refiling.is_some() {
        changes_sheet(book.add_worksheet(), catalog, &f)?;
    }
    if vehicle {
        vehicle_sheet(book.add_worksheet(), catalog, &f)?;
    }
    items_sheet(
        book.add_worksheet(),
        SHEET_INVENTORY,
        &catalog.inventory,
        vehicle,
        &f,
    )?;
    carriers_sheet(book.add_worksheet(), catalog, &f)?;
    if !catalog.unscanned.is_empty() {
        unscanned_sheet(book.add_worksheet(), catalog, &f)?;
    }
    instructions_sheet(book.add_worksheet(), &f)?;
    book.save_to_buffer()
}

/// Writes the workbook to `path`.
///
/// # Errors
/// When the file cannot be written.
pub fn write(catalog: &Catalog, path: &Path) -> std::io::Result<()> {
    let bytes = render(catalog).map_err(std::io::Error::other)?;
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests;
