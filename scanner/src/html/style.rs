//! The page's stylesheet, inlined: system fonts only (a CJK-capable stack, nothing embedded
//! or fetched), and A4 print rules.

/// The `<style>` content.
pub const CSS: &str = r#"
:root { --ink: #1d2329; --muted: #5b6670; --line: #d5dbe1; --ok: #2e7d32; --warn: #b26a00;
  --bad: #c62828; --accent: #1565c0; --band: #e3f2fd; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; color: var(--ink); background: #fff;
  font: 14px/1.5 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
  "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback",
  system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
p.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.tile { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.tile b { display: block; font-size: 22px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; color: #fff; }
.s-ok { background: var(--ok); } .s-partial { background: var(--warn); } .s-error { background: var(--bad); }
.s-crossed { background: var(--bad); } .s-not_crossed { background: var(--ok); } .s-undecided { background: var(--warn); }
.due { color: var(--bad); font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { flex: 1 1 480px; }
svg { max-width: 100%; height: auto; font-family: inherit; }
svg text { font-size: 11px; fill: var(--ink); }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .bar { fill: var(--accent); }
svg .range { fill: var(--accent); opacity: .45; }
svg .limit { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 5 3; }
svg .band { fill: var(--band); }
svg .base { stroke: var(--accent); stroke-width: 1; stroke-dasharray: 3 3; }
svg .line { fill: none; stroke: var(--ink); stroke-width: 1.5; }
svg .dot { fill: var(--ink); } svg .dot.out { fill: var(--bad); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, svg, .tile { break-inside: avoid; page-break-inside: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .chart { flex-basis: 100%; }
  a { color: inherit; text-decoration: none; }
}
"#;
