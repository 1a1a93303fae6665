//! Documents end to end, through the real `mulu` binary: a folder of generated DOCX, PPTX,
//! PDF and HTML files holding synthetic resident IDs and mobile numbers in their prose. Each
//! document must be one asset whose `text` column the free-text classifiers find both in,
//! with masked evidence only; a broken DOCX is that file's named error and the rest goes on.

mod common;

use std::io::Write;
use std::path::Path;

use serde_json::Value;

/// A resident ID with a correct check digit, from a sequence number.
fn resident_id(seq: u32) -> String {
    let body = format!("11010519900101{:03}", seq % 1000);
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", check as char)
}

fn phone(seq: u32) -> String {
    format!("1380013{:04}", 8000 + seq)
}

/// Lines of prose, each with one ID and one phone.
fn lines(from: u32, n: u32, chinese: bool) -> Vec<String> {
    (from..from + n)
        .map(|i| {
            if chinese {
                format!(
                    "客户第{i}号来电，身份证号{}，手机{}，已登记。",
                    resident_id(i),
                    phone(i)
                )
            } else {
                format!(
                    "Customer {i} called, ID {}, mobile {}, registered.",
                    resident_id(i),
                    phone(i)
                )
            }
        })
        .collect()
}

fn zip_file(path: &Path, parts: &[(&str, String)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn docx(path: &Path, paragraphs: &[String]) {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    zip_file(
        path,
        &[
            ("[Content_Types].xml", types.to_string()),
            (
                "word/document.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
                ),
            ),
        ],
    );
}

fn pptx(path: &Path, slides: &[Vec<String>]) {
    let parts: Vec<(String, String)> = slides
        .iter()
        .enumerate()
        .map(|(i, paragraphs)| {
            let text: String = paragraphs
                .iter()
                .map(|p| format!("<a:p><a:r><a:t>{p}</a:t></a:r></a:p>"))
                .collect();
            (
                format!("ppt/slides/slide{}.xml", i + 1),
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>{text}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
                ),
            )
        })
        .collect();
    let parts: Vec<(&str, String)> = parts.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    zip_file(path, &parts);
}

/// A one-page PDF with a Helvetica text line per entry of `lines` (ASCII), offsets computed.
fn pdf(path: &Path, lines: &[String]) {
    let mut content = String::new();
    for (i, line) in lines.iter().enumerate() {
        content.push_str(&format!(
            "BT /F1 10 Tf 40 {} Td ({line}) Tj ET\n",
            800 - 14 * i
        ));
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    std::fs::write(path, out).unwrap();
}

fn text_categories(report: &Value, asset: &str) -> Vec<String> {
    let a = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == asset)
        .unwrap_or_else(|| panic!("no asset {asset}"));
    assert_eq!(a["status"], "ok", "{a}");
    assert_eq!(a["kind"], "file", "{a}");
    let text = &a["columns"][0];
    assert_eq!(text["name"], "text", "{a}");
    text["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert!(c["by"].to_string().contains("free_text"), "{c}");
            c["id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn ids_and_phones_inside_documents_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("docs");
    std::fs::create_dir_all(root.join("contracts")).unwrap();
    docx(&root.join("contracts/客户名单.docx"), &lines(0, 12, true));
    pptx(
        &root.join("contracts/review.pptx"),
        &[lines(20, 6, true), lines(26, 6, true)],
    );
    pdf(&root.join("contracts/signed.pdf"), &lines(40, 12, false));
    let html: String = lines(60, 10, true)
        .iter()
        .map(|l| format!("<p>{l}</p>"))
        .collect();
    std::fs::write(
        root.join("contracts/page.html"),
        format!(
            "<html><head><script>var a = '{}';</script></head><body>{html}</body></html>",
            resident_id(999)
        ),
    )
    .unwrap();
    std::fs::write(root.join("contracts/broken.docx"), b"PK\x03\x04 cut short").unwrap();

    let report_path = dir.path().join("report.json");
    let out = common::mulu(
        dir.path(),
        &[
            "scan",
            root.to_str().unwrap(),
            "--json",
            report_path.to_str().unwrap(),
            "--quiet",
        ],
    );
    // The broken file fails by itself: the scan is partial, not stopped.
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&report_path).unwrap();
    for i in (0..72).chain([999]) {
        assert!(
            !text.contains(&resident_id(i)),
            "a raw resident ID is in the report"
        );
        assert!(
            !text.contains(&phone(i)),
            "a raw phone number is in the report"
        );
    }
    let report: Value = serde_json::from_str(&text).unwrap();
    for doc in [
        "contracts/客户名单.docx",
        "contracts/review.pptx",
        "contracts/signed.pdf",
        "contracts/page.html",
    ] {
        let found = text_categories(&report, doc);
        assert!(
            found.contains(&"pi.cn_resident_id".to_string()),
            "{doc}: {found:?}"
        );
        assert!(
            found.contains(&"pi.mobile_phone".to_string()),
            "{doc}: {found:?}"
        );
    }
    let docx = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "contracts/客户名单.docx")
        .unwrap();
    // One row per paragraph, the whole document read.
    assert_eq!(docx["row_count"], 12, "{docx}");
    let evidence = docx["columns"][0]["categories"].to_string();
    assert!(evidence.contains("********"), "{evidence}");
    let pptx = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "contracts/review.pptx")
        .unwrap();
    assert_eq!(pptx["row_count"], 12, "{pptx}");
    let broken = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "contracts/broken.docx")
        .unwrap();
    assert_eq!(broken["status"], "error");
    assert!(
        broken["error"]
            .as_str()
            .unwrap()
            .contains("not a valid DOCX"),
        "{broken}"
    );
    // Documents are no longer "unsupported".
    assert!(
        report["sources"][0].get("unscanned").is_none(),
        "{}",
        report["sources"][0]
    );
}
