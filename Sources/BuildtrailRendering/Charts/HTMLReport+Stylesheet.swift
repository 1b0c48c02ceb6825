import BuildtrailKit
import Foundation

extension HTMLReport {
  /// The report's inline CSS.
  static let stylesheet = """
    :root {
      color-scheme: light;
      --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --grid: #eaeef2; --panel: #f6f8fa;
      --accent: #0969da; --failed: #cf222e; --regression: #bc4c00; --cached: #8c959f; --canceled: #d4a72c;
      --ok: #1a7f37;
    }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0; background: #fff; color: var(--fg);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 40px; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 17px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
    code { font: 12px ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
    .meta { color: var(--muted); margin: 0 0 14px; }
    .cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; }
    .card { border: 1px solid var(--line); border-radius: 6px; background: var(--panel); padding: 10px 14px; }
    .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
    .card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .card .value span { font-size: 15px; font-weight: 600; }
    .card .note { color: var(--muted); font-size: 12px; }
    section { margin-top: 30px; break-inside: avoid; }
    svg { display: block; width: 100%; height: auto; overflow: visible; }
    svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--muted); }
    svg .grid { stroke: var(--grid); }
    svg .axis { stroke: #8c959f; }
    svg .series { fill: none; stroke: var(--accent); stroke-width: 2; stroke-linejoin: round; }
    svg .point { fill: var(--accent); stroke: #fff; stroke-width: 1; }
    svg .point.failed { fill: var(--failed); }
    svg .point.canceled { fill: var(--canceled); }
    svg .regression line { stroke: var(--regression); stroke-dasharray: 4 3; }
    svg .regression path { fill: var(--regression); }
    svg .when { font-size: 10px; }
    svg .step text.name { font: 12px ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
      fill: var(--fg); }
    svg .step rect { fill: var(--accent); }
    svg .step.cached rect { fill: var(--cached); }
    svg .step.error rect { fill: var(--failed); }
    svg .step.canceled rect { fill: var(--canceled); }
    svg .step.cached text.name { fill: var(--muted); }
    .legend { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
    .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 12px;
      vertical-align: -1px; background: var(--accent); }
    .key:first-child { margin-left: 0; }
    .key.failed, .key.error { background: var(--failed); }
    .key.canceled { background: var(--canceled); }
    .key.cached { background: var(--cached); }
    .key.regression { background: var(--regression); }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { color: var(--muted); font-size: 12px; font-weight: 600; border-bottom-width: 2px; }
    tbody tr:nth-child(even) { background: var(--panel); }
    .num { text-align: right; white-space: nowrap; }
    td.name { font: 12px/1.6 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
      word-break: break-all; }
    td.when { white-space: nowrap; }
    td.subject { max-width: 380px; }
    td.worse { color: var(--failed); font-weight: 600; }
    td.better { color: var(--ok); font-weight: 600; }
    .muted, .empty { color: var(--muted); }
    .verdict { color: var(--muted); font-size: 0.85em; }
    .empty { font-style: italic; }
    .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
      border: 1px solid currentColor; }
    .success { color: var(--ok); }
    .failed { color: var(--failed); }
    .canceled { color: #7d4e00; }
    th.spark, td.spark { width: 180px; }
    td.spark div { position: relative; height: 8px; margin-top: 6px; }
    td.spark span { position: absolute; left: 0; top: 0; height: 8px; border-radius: 2px; }
    td.spark .p90 { background: #b6d4f7; }
    td.spark .median { background: var(--accent); }
    td.outcome { white-space: nowrap; }
    .tag { color: var(--regression); font-size: 12px; font-weight: 600; margin-left: 6px; }
    footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
    @media print {
      body { font-size: 11px; }
      main { max-width: none; padding: 0; }
      tbody tr:nth-child(even) { background: none; }
    }
    """
}
