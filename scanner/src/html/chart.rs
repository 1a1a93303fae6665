//! The charts, drawn as inline SVG by hand: a log-scale bar per persons threshold with the
//! threshold line, and a scan-by-scan line per item figure with the filed baseline and its
//! ±30 % band. No script, no external resource; the page's CSS classes colour them.

use std::fmt::Write;

use super::escape::{coord, esc};

/// One persons threshold: the count (or its bounds) against the rule's value.
#[derive(Debug, Clone)]
pub struct ThresholdBar {
    /// Row label (the rule id), from data: escaped here.
    pub label: String,
    /// Lower bound of the count (the count itself when exact).
    pub lower: u64,
    /// Upper bound of the count.
    pub upper: u64,
    /// The threshold.
    pub value: u64,
    /// Text at the end of the bar, e.g. `1,234` or `900–1,100`.
    pub count_text: String,
    /// Text at the threshold line, e.g. `≥ 1,000,000`.
    pub value_text: String,
}

const BAR_W: f64 = 720.0;
const BAR_LEFT: f64 = 130.0;
const BAR_RIGHT: f64 = 20.0;
const ROW_H: f64 = 40.0;

/// Horizontal bars on a log₁₀ axis (counts and thresholds span 10² to 10⁸): a solid bar up
/// to the lower bound, a light one from there to the upper bound, and the threshold as a red
/// dashed line.
pub fn threshold_bars(title: &str, rows: &[ThresholdBar]) -> String {
    let top = 14.0;
    let axis_y = top + ROW_H * rows.len() as f64;
    let height = axis_y + 28.0;
    let max = rows
        .iter()
        .map(|r| r.upper.max(r.value))
        .max()
        .unwrap_or(1)
        .max(10);
    let decades = ((max as f64).log10() * 1.05).ceil().max(1.0);
    let plot = BAR_W - BAR_LEFT - BAR_RIGHT;
    let x = |v: u64| BAR_LEFT + ((v.max(1) as f64).log10() / decades).min(1.0) * plot;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="thresholds" viewBox="0 0 {} {}" width="{}" role="img" aria-label="{t}"><title>{t}</title>"#,
        coord(BAR_W),
        coord(height),
        coord(BAR_W),
        t = esc(title)
    );
    for d in 0..=decades as u32 {
        let v = 10u64.saturating_pow(d);
        let gx = coord(x(v));
        let _ = write!(
            s,
            r#"<line class="grid" x1="{gx}" y1="{}" x2="{gx}" y2="{}"/><text x="{gx}" y="{}" text-anchor="middle">10<tspan dy="-4" font-size="8">{d}</tspan></text>"#,
            coord(top),
            coord(axis_y),
            coord(axis_y + 16.0)
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{l}" y1="{a}" x2="{r}" y2="{a}"/>"#,
        l = coord(BAR_LEFT),
        r = coord(BAR_W - BAR_RIGHT),
        a = coord(axis_y)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = top + ROW_H * i as f64 + 8.0;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            coord(BAR_LEFT - 8.0),
            coord(y + 14.0),
            esc(&row.label)
        );
        let lower = x(row.lower);
        let _ = write!(
            s,
            r#"<rect class="bar" x="{}" y="{}" width="{}" height="20"/>"#,
            coord(BAR_LEFT),
            coord(y),
            coord(lower - BAR_LEFT)
        );
        let upper = x(row.upper);
        if row.upper > row.lower {
            let _ = write!(
                s,
                r#"<rect class="range" x="{}" y="{}" width="{}" height="20"/>"#,
                coord(lower),
                coord(y),
                coord(upper - lower)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            coord(upper + 4.0),
            coord(y + 14.0),
            esc(&row.count_text)
        );
        let tx = coord(x(row.value));
        let _ = write!(
            s,
            r#"<line class="limit" x1="{tx}" y1="{}" x2="{tx}" y2="{}"/><text x="{}" y="{}" font-size="9">{}</text>"#,
            coord(y - 4.0),
            coord(y + 24.0),
            coord(x(row.value) + 3.0),
            coord(y - 3.0),
            esc(&row.value_text)
        );
    }
    s.push_str("</svg>");
    s
}

/// One figure of one item across scans.
#[derive(Debug, Clone)]
pub struct Series {
    /// Chart title, from data: escaped here.
    pub title: String,
    /// (x label, value) per scan, oldest first; `None` where the figure was not known.
    pub points: Vec<(String, Option<u64>)>,
    /// The filed figure, if the item was filed.
    pub baseline: Option<u64>,
    /// How to write a value on the axis.
    pub format: fn(u64) -> String,
}

const LINE_W: f64 = 520.0;
const LINE_H: f64 = 200.0;
const LINE_LEFT: f64 = 70.0;
const LINE_RIGHT: f64 = 12.0;
const LINE_TOP: f64 = 24.0;
const LINE_BOTTOM: f64 = 34.0;

/// A line across scans, with the baseline as a dashed line and the band of ±30 % around it
/// shaded; a point outside the band (a re-filing trigger) is drawn red.
pub fn history_line(series: &Series) -> String {
    let known = series.points.iter().filter_map(|p| p.1);
    let top_value = known
        .chain(series.baseline.map(|b| b + b * 3 / 10 + 1))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.1;
    let plot_w = LINE_W - LINE_LEFT - LINE_RIGHT;
    let plot_h = LINE_H - LINE_TOP - LINE_BOTTOM;
    let bottom = LINE_TOP + plot_h;
    let y = |v: f64| bottom - (v / top_value) * plot_h;
    let n = series.points.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            LINE_LEFT + plot_w / 2.0
        } else {
            LINE_LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="history" viewBox="0 0 {w} {h}" width="{w}" role="img" aria-label="{t}"><title>{t}</title><text x="{l}" y="14" font-weight="600">{t}</text>"#,
        w = coord(LINE_W),
        h = coord(LINE_H),
        l = coord(LINE_LEFT),
        t = esc(&series.title)
    );
    if let Some(b) = series.baseline {
        let hi = y(b as f64 * 1.3);
        let lo = y(b as f64 * 0.7);
        let _ = write!(
            s,
            r#"<rect class="band" x="{}" y="{}" width="{}" height="{}"/><line class="base" x1="{l}" y1="{by}" x2="{r}" y2="{by}"/>"#,
            coord(LINE_LEFT),
            coord(hi),
            coord(plot_w),
            coord(lo - hi),
            l = coord(LINE_LEFT),
            r = coord(LINE_LEFT + plot_w),
            by = coord(y(b as f64))
        );
    }
    for k in 0..=4u32 {
        let v = top_value * f64::from(k) / 4.0;
        let gy = coord(y(v));
        let _ = write!(
            s,
            r#"<line class="grid" x1="{}" y1="{gy}" x2="{}" y2="{gy}"/><text x="{}" y="{gy}" dy="4" text-anchor="end">{}</text>"#,
            coord(LINE_LEFT),
            coord(LINE_LEFT + plot_w),
            coord(LINE_LEFT - 6.0),
            esc(&(series.format)(v.round() as u64))
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}"/>"#,
        l = coord(LINE_LEFT),
        r = coord(LINE_LEFT + plot_w),
        b = coord(bottom)
    );
    // At most about eight x labels, always the first and the last.
    let step = n.div_ceil(8).max(1);
    for (i, (label, _)) in series.points.iter().enumerate() {
        // A step label too close to the last one gives way to it.
        if (i % step == 0 && n - 1 - i >= step.div_ceil(2)) || i + 1 == n {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                coord(x(i)),
                coord(bottom + 16.0),
                esc(label)
            );
        }
    }
    let mut path = String::new();
    for (i, (_, v)) in series.points.iter().enumerate() {
        match v {
            Some(v) => {
                let cmd = if path.is_empty() || path.ends_with('|') {
                    "M"
                } else {
                    "L"
                };
                if path.ends_with('|') {
                    path.pop();
                }
                let _ = write!(path, "{cmd}{} {}", coord(x(i)), coord(y(*v as f64)));
            }
            None if !path.is_empty() => path.push('|'),
            None => {}
        }
    }
    let path = path.trim_end_matches('|');
    if !path.is_empty() {
        let _ = write!(s, r#"<path class="line" d="{path}"/>"#);
    }
    for (i, (_, v)) in series.points.iter().enumerate() {
        if let Some(v) = v {
            let out = series
                .baseline
                .is_some_and(|b| catalog_export::diff::scale_triggers(b, *v));
            let _ = write!(
                s,
                r#"<circle class="dot{}" cx="{}" cy="{}" r="3"/>"#,
                if out { " out" } else { "" },
                coord(x(i)),
                coord(y(*v as f64))
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(n: u64) -> String {
        n.to_string()
    }

    #[test]
    fn the_threshold_line_sits_at_its_value_on_the_log_axis() {
        let svg = threshold_bars(
            "t",
            &[ThresholdBar {
                label: "<rule>".into(),
                lower: 1000,
                upper: 1000,
                value: 1_000_000,
                count_text: "1,000".into(),
                value_text: "≥ 1,000,000".into(),
            }],
        );
        // Max 10⁶ → 7 decades; 10⁶ lies at 6/7 of the plot, 10³ at 3/7.
        let plot = BAR_W - BAR_LEFT - BAR_RIGHT;
        let limit = coord(BAR_LEFT + plot * 6.0 / 7.0);
        assert!(
            svg.contains(&format!(r#"class="limit" x1="{limit}""#)),
            "{svg}"
        );
        let bar = coord(plot * 3.0 / 7.0);
        assert!(
            svg.contains(&format!(r#"width="{bar}" height="20""#)),
            "{svg}"
        );
        assert!(svg.contains("&lt;rule&gt;") && !svg.contains("<rule>"));
        assert!(!svg.contains("class=\"range\""), "exact: no range bar");
    }

    #[test]
    fn thirty_scans_get_about_eight_labels_without_a_crowded_end() {
        let svg = history_line(&Series {
            title: "t".into(),
            points: (1..=30).map(|i| (format!("#{i}"), Some(i))).collect(),
            baseline: None,
            format: plain,
        });
        let labels: Vec<&str> = svg
            .split(">#")
            .skip(1)
            .map(|t| &t[..t.find('<').unwrap()])
            .collect();
        assert_eq!(labels, ["1", "5", "9", "13", "17", "21", "25", "30"]);
    }

    #[test]
    fn bounds_draw_a_range_bar() {
        let svg = threshold_bars(
            "t",
            &[ThresholdBar {
                label: "r".into(),
                lower: 900,
                upper: 1100,
                value: 1000,
                count_text: "900–1,100".into(),
                value_text: "≥ 1,000".into(),
            }],
        );
        assert_eq!(svg.matches("class=\"range\"").count(), 1);
    }

    #[test]
    fn the_band_spans_thirty_percent_each_side_and_outliers_are_red() {
        let svg = history_line(&Series {
            title: "条目数量".into(),
            points: vec![
                ("#1".into(), Some(1000)),
                ("#2".into(), None),
                ("#3".into(), Some(1350)),
            ],
            baseline: Some(1000),
            format: plain,
        });
        // top = max(1350, 1000 + 300 + 1) × 1.1 = 1485; band from 700 to 1300.
        let plot_h = LINE_H - LINE_TOP - LINE_BOTTOM;
        let y = |v: f64| LINE_TOP + plot_h - v / 1485.0 * plot_h;
        let band = format!(
            r#"class="band" x="{}" y="{}" width="{}" height="{}""#,
            coord(LINE_LEFT),
            coord(y(1300.0)),
            coord(LINE_W - LINE_LEFT - LINE_RIGHT),
            coord(y(700.0) - y(1300.0))
        );
        assert!(svg.contains(&band), "{svg}");
        assert_eq!(svg.matches("class=\"dot out\"").count(), 1);
        assert_eq!(svg.matches("class=\"dot\"").count(), 1);
        assert_eq!(svg.matches(">#").count(), 3, "three scans, three labels");
        // The unknown point breaks the line: two moves, no line-to.
        let d = svg.split("class=\"line\" d=\"").nth(1).unwrap();
        let d = &d[..d.find('"').unwrap()];
        assert_eq!((d.matches('M').count(), d.matches('L').count()), (2, 0));
    }
}
