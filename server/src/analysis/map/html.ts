// The port map as one self-contained HTML file (a CI artefact): inline SVG and CSS, no script,
// nothing fetched; a Content-Security-Policy says so to the browser.
import { MAP_CSS, edgeLabel, escapeXml, renderSvg } from './svg';
import type { MapFinding, PortMap } from './portMap';

/** The page's colours, as the editor's theme variables the map's CSS reads; dark when the browser is. */
const PAGE_CSS = `
:root { color-scheme: light dark; --vscode-foreground: #1f2328; --vscode-editor-background: #ffffff; }
@media (prefers-color-scheme: dark) {
  :root { --vscode-foreground: #e6edf3; --vscode-editor-background: #0d1117; --vscode-descriptionForeground: #9198a1;
    --vscode-editorWidget-background: #151b23; --vscode-editorWidget-border: #3d444d; --vscode-charts-green: #3fb950;
    --vscode-charts-red: #f85149; --vscode-disabledForeground: #6e7681; --vscode-list-hoverBackground: #262c36; }
}
body { margin: 24px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font: 14px system-ui, sans-serif; }
.scroll { overflow-x: auto; padding-bottom: 8px; }
table { border-collapse: collapse; margin: 12px 0 32px; font-size: 13px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, #d0d7de); vertical-align: top; }
td.allowed { color: var(--vscode-charts-green, #1a7f37); } td.denied { color: var(--vscode-charts-red, #cf222e); }
td.unknown { color: var(--vscode-disabledForeground, #8c959f); }
code { font-size: 12px; }
`;

export interface HtmlOptions {
  /** How a file is named on the page (relative to where the CLI ran). */
  fileOf: (uri: string) => string;
  title?: string;
}

export function renderHtml(maps: PortMap[], options: HtmlOptions): string {
  const title = options.title ?? `Port map${maps.length === 1 ? ` of namespace ${maps[0].namespace ?? '(unspecified)'}` : ''}`;
  const at = (place: { uri: string; range: { start: { line: number } } }) => `${options.fileOf(place.uri)}:${place.range.start.line + 1}`;
  const sections = maps.map((map) => {
    const names = new Map<string, string>();
    for (const s of map.sources) names.set(s.id, s.label);
    for (const s of map.services) {
      names.set(s.id, `Service ${s.name}`);
      for (const p of s.ports) names.set(p.id, `Service ${s.name} ${p.label}`);
    }
    for (const pod of map.pods) {
      names.set(pod.id, `${pod.kind} ${pod.name}`);
      for (const p of pod.ports) names.set(p.id, `${pod.kind} ${pod.name} ${p.label}`);
    }
    const cell = (text: string, css = '') => `<td${css ? ` class="${css}"` : ''}>${escapeXml(text)}</td>`;
    const code = (text: string) => `<td><code>${escapeXml(text)}</code></td>`;
    const rows = map.edges.map((e) => {
      const verdict = `${edgeLabel(e)}${e.findings.length > 0 ? ' ⚠' : ''}`;
      return `<tr>${cell(names.get(e.from) ?? e.from)}${cell(names.get(e.to) ?? e.to)}${cell(verdict, e.verdict)}${cell(e.reason)}</tr>`;
    });
    const routers = map.sources.flatMap((s) => (s.router ? [{ ...s.router, label: s.label }] : []));
    const findings: MapFinding[] = [
      ...routers.flatMap((r) => r.findings),
      ...map.services.flatMap((s) => [...s.findings, ...s.ports.flatMap((p) => p.findings)]),
      ...map.pods.flatMap((p) => [...p.findings, ...p.ports.flatMap((c) => c.findings)]),
      ...map.policies.flatMap((p) => p.findings),
    ];
    const findingRows = findings.map((f) => `<tr>${code(at(f))}${cell(f.severity)}${code(f.code)}${cell(f.message)}</tr>`);
    const objects = [
      ...routers.map((r) => `<tr><td>${escapeXml(r.label)}</td><td><code>${escapeXml(at(r))}</code></td></tr>`),
      ...map.services.map((s) => `<tr><td>Service ${escapeXml(s.name)}</td><td><code>${escapeXml(at(s))}</code></td></tr>`),
      ...map.pods.map((p) => `<tr><td>${escapeXml(`${p.kind} ${p.name}`)}</td><td><code>${escapeXml(at(p))}</code></td></tr>`),
      ...map.policies.map((p) => `<tr><td>NetworkPolicy ${escapeXml(p.name)}</td><td><code>${escapeXml(at(p))}</code></td></tr>`),
    ];
    return [
      `<section><h2>Namespace ${escapeXml(map.namespace ?? '(unspecified)')}</h2>`,
      `<div class="scroll">${renderSvg(map)}</div>`,
      '<h3>Paths</h3><table><thead><tr><th>from</th><th>to</th><th>verdict</th><th>why</th></tr></thead>',
      `<tbody>${rows.join('')}</tbody></table>`,
      findingRows.length > 0 ? `<h3>Findings</h3><table><tbody>${findingRows.join('')}</tbody></table>` : '',
      `<h3>Objects</h3><table><tbody>${objects.join('')}</tbody></table></section>`,
    ].join('\n');
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${PAGE_CSS}${MAP_CSS}</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p>Green: the policies admit the path; red: they deny it; grey, dashed: the workspace cannot tell.
⚠ marks a finding. Made by Kubernetes Port Lens.</p>
${sections.join('\n')}
</body>
</html>
`;
}
