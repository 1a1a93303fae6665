//! The catalogue as an Excel workbook, the form DPOs open, review and file.
//!
//! Sheets: 备案主体信息 (the filing entity), 重要数据目录 (important items), 车联网数据
//! (the vehicle extension, for vehicle organisations), 数据资产台账 (every item) and 数据载体明细
//! (one row per item and carrier, since a lake item's carriers do not fit one cell).
//! Fields still to be filled by a person read 待填写 and are highlighted.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use crate::carriers::{fit, CELL_LIMIT, DETAIL_SHEET};
use crate::catalog::{Catalog, Person, TO_FILL};
use crate::csv::item_columns;

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

/// Rows a worksheet holds (Excel's limit), the header included.
const MAX_ROWS: usize = 1_048_576;

struct Formats {
    header: Format,
    to_fill: Format,
    text: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_text_wrap(),
        to_fill: Format::new().set_background_color(Color::RGB(0xFFEB9C)),
        text: Format::new().set_text_wrap(),
    }
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
        Some(r) if r.lower == r.upper => r.lower.to_string(),
        Some(r) => format!("{}–{}", r.lower, r.upper),
        None => "未计数".into(),
    };
    let sectors = if org.sectors.is_empty() {
        TO_FILL.to_string()
    } else {
        org.sectors.join("、")
    };
    let rows: Vec<(&str, String)> = vec![
        ("单位名称", or_fill(&org.name)),
        ("统一社会信用代码", or_fill(&org.uscc)),
        ("所属领域", sectors),
        ("备案机关", or_fill(&org.filing_authority)),
        ("网络数据安全负责人", person(&org.security_officer)),
        ("网络数据安全管理机构", or_fill(&org.security_body)),
        ("联系人", person(&org.contact)),
        ("备案类型", catalog.header.filing_type.clone()),
        ("个人信息主体总数", pi_total),
        ("重要数据目录条目数", catalog.items.len().to_string()),
        (
            "扫描时间",
            catalog
                .scan_started_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
    ];
    sheet.write_string_with_format(0, 0, "字段", &f.header)?;
    sheet.write_string_with_format(0, 1, "内容", &f.header)?;
    for (i, (label, value)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, *label, &f.header)?;
        write_cell(sheet, row, 1, value, f)?;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 60)?;
    Ok(())
}

fn items_sheet(
    sheet: &mut Worksheet,
    name: &str,
    items: &[crate::catalog::CatalogItem],
    vehicle: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let cols = item_columns(vehicle);
    for (c, (header, _)) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *header, &f.header)?;
        sheet.set_column_width(c as u16, 18)?;
    }
    for (r, item) in items.iter().enumerate() {
        for (c, (_, cell)) in cols.iter().enumerate() {
            write_cell(sheet, r as u32 + 1, c as u16, &cell(item), f)?;
        }
    }
    sheet.set_freeze_panes(1, 2)?;
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
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &f.header)?;
        sheet.set_column_width(c as u16, 24)?;
    }
    for (r, item) in catalog.items.iter().enumerate() {
        let ext = item.vehicle.as_ref();
        let cells = [
            item.item_id.clone(),
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
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &f.header)?;
        sheet.set_column_width(c as u16, 28)?;
    }
    let rows = catalog
        .inventory
        .iter()
        .flat_map(|i| i.carriers.iter().map(move |c| (i, c)));
    let total: usize = catalog.inventory.iter().map(|i| i.carriers.len()).sum();
    let room = MAX_ROWS - 2;
    for (r, (item, carrier)) in rows.take(room).enumerate() {
        let row = r as u32 + 1;
        for (c, v) in [
            &item.item_id,
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
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, total.min(room) as u32, headers.len() as u16 - 1)?;
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
