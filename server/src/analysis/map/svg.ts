// The port map as an SVG string, for the CLI's HTML file and the editor's webview. Colours come
// from CSS classes (MAP_CSS), never from inline styles, so a strict Content-Security-Policy holds.
import { LAYOUT, layoutMap, type GroupBox, type RowBox } from './layout';
import type { MapEdge, MapFinding, PortMap } from './portMap';

const MARK: Record<MapEdge['verdict'], string> = { allowed: '✓', denied: '✗', unknown: '?' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `✗ allow-from-all`: the verdict and the policies that decide it (a route edge: after its backend, `/api ✓ no policy`). */
export function edgeLabel(edge: MapEdge): string {
  const unmatched = edge.kind === 'route' && edge.verdict === 'denied' && edge.policies.length === 0;
  const deciding =
    edge.policies.length > 0 ? edge.policies.join(', ') : edge.verdict === 'allowed' ? 'no policy' : unmatched ? edge.reason : edge.verdict;
  return `${edge.backend !== undefined ? `${edge.backend} ` : ''}${MARK[edge.verdict]} ${deciding}`;
}

/** Edges into Service ports carry their verdict as a label; forward edges only when they are not allowed. */
export const labelled = (edge: MapEdge) => edge.kind !== 'forward' || edge.verdict !== 'allowed';

/** What a tooltip or a text list says of an edge. */
export function edgeTitle(edge: MapEdge): string {
  const findings = edge.findings.map((f) => `\n⚠ ${f.code}: ${f.message}`).join('');
  return `${edge.explain.from} → ${edge.explain.to}: ${edge.verdict}\n${edge.reason}${findings}`;
}

const findingTitle = (findings: MapFinding[]) => findings.map((f) => `${f.severity} ${f.code}: ${f.message}`).join('\n');

export function renderSvg(map: PortMap): string {
  const layout = layoutMap(map);
  const findingsOf = new Map<string, MapFinding[]>();
  for (const s of map.services) {
    findingsOf.set(s.id, s.findings);
    for (const p of s.ports) findingsOf.set(p.id, p.findings);
  }
  for (const p of map.pods) {
    const policyFindings = map.policies.filter((policy) => p.policies.includes(policy.id)).flatMap((policy) => policy.findings);
    findingsOf.set(p.id, [...p.findings, ...policyFindings]);
    for (const c of p.ports) findingsOf.set(c.id, c.findings);
  }
  const out: string[] = [];
  const name = map.namespace ?? '(unspecified)';
  const { width, height } = layout;
  const size = `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`;
  const label = `aria-label="Port map of namespace ${escapeXml(name)}"`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="port-map" ${size} role="img" ${label}>`);
  out.push('<defs>');
  for (const verdict of ['allowed', 'denied', 'unknown']) {
    const box = 'viewBox="0 0 10 10" refX="4" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"';
    out.push(`<marker id="arrow-${verdict}" class="arrow ${verdict}" ${box}><path d="M0,0 L10,5 L0,10 z"/></marker>`);
  }
  out.push('</defs>');
  for (const column of layout.columns) out.push(`<text class="column-title" x="${column.x}" y="16">${escapeXml(column.title)}</text>`);
  for (const { edge, d, labelAt } of layout.edges) {
    const finding = edge.findings.length > 0 ? ' ⚠' : '';
    const classes = `edge ${edge.kind} ${edge.verdict}${finding ? ' has-finding' : ''}`;
    const label = escapeXml(`${edge.explain.from} to ${edge.explain.to}: ${edge.verdict}`);
    out.push(`<g class="${classes}" data-edge="${escapeXml(edge.id)}" tabindex="0" role="button" aria-label="${label}">`);
    out.push(`<title>${escapeXml(edgeTitle(edge))}</title>`);
    out.push(`<path class="edge-hit" d="${d}"/><path class="edge-line" d="${d}" marker-end="url(#arrow-${edge.verdict})"/>`);
    if (edge.kind !== 'forward' && edge.verdict !== 'allowed') {
      const at = `x="${labelAt.x.toFixed(1)}" y="${labelAt.y.toFixed(1)}"`;
      out.push(`<text class="edge-label" ${at} text-anchor="middle">${escapeXml(edgeLabel(edge) + finding)}</text>`);
    }
    out.push('</g>');
  }
  for (const source of layout.sources) {
    const node = map.sources.find((s) => s.id === source.id)!;
    out.push(`<g class="node source ${node.kind}" data-node="${escapeXml(source.id)}" tabindex="0" role="button">`);
    const title = node.router
      ? `${node.router.kind} ${node.name}: its backends, served by the ${node.router.kind === 'Ingress' ? 'ingress controller' : 'Gateway'}`
      : node.kind === 'external'
        ? 'Clients outside the cluster (through a LoadBalancer or NodePort)'
        : `Every pod of namespace ${node.namespace ?? '(unspecified)'}${node.inWorkspace ? '' : ' (not in the workspace)'}`;
    out.push(`<title>${escapeXml(title)}</title>`);
    out.push(`<rect x="${source.x}" y="${source.y}" width="${source.width}" height="${source.height}" rx="14"/>`);
    const at = `x="${source.x + source.width / 2}" y="${source.y + source.height / 2 + 4}"`;
    out.push(`<text ${at} text-anchor="middle">${escapeXml(source.label)}</text></g>`);
  }
  for (const group of layout.services) out.push(...groupSvg(group, 'service', findingsOf));
  for (const group of layout.pods) out.push(...groupSvg(group, 'pod', findingsOf));
  out.push('</svg>');
  return out.join('\n');
}

function groupSvg(group: GroupBox, kind: 'service' | 'pod', findingsOf: Map<string, MapFinding[]>): string[] {
  const out: string[] = [];
  const { PAD, HEADER, FOOTER_LINE } = LAYOUT;
  out.push(`<g class="group ${kind}">`);
  out.push(`<rect class="group-box" x="${group.x}" y="${group.y}" width="${group.width}" height="${group.height}" rx="4"/>`);
  const own = findingsOf.get(group.id) ?? [];
  out.push(`<g class="node header${own.length > 0 ? ' has-finding' : ''}" data-node="${escapeXml(group.id)}" tabindex="0" role="button">`);
  out.push(`<rect class="header-hit" x="${group.x}" y="${group.y}" width="${group.width}" height="${HEADER}"/>`);
  out.push(`<text class="title" x="${group.x + PAD}" y="${group.y + 17}">${escapeXml(group.title)}</text>`);
  out.push(`<text class="subtitle" x="${group.x + PAD}" y="${group.y + 33}">${escapeXml(group.subtitle)}</text>`);
  if (own.length > 0) out.push(findingMark(group.x + group.width - PAD, group.y + 17, own));
  out.push('</g>');
  for (const row of group.rows) out.push(rowSvg(row, findingsOf.get(row.id) ?? []));
  group.footer.forEach((line, i) => {
    const y = group.y + HEADER + group.rows.length * LAYOUT.ROW + (i + 1) * FOOTER_LINE - 4;
    out.push(`<text class="footer" x="${group.x + PAD}" y="${y}">${escapeXml(line)}</text>`);
  });
  out.push('</g>');
  return out;
}

function rowSvg(row: RowBox, findings: MapFinding[]): string {
  const { PAD } = LAYOUT;
  const y = row.y + row.height / 2 + 4;
  const mark = findings.length > 0 ? findingMark(row.x + row.width - PAD, y, findings) : '';
  const detailX = row.x + row.width - PAD - (findings.length > 0 ? 18 : 0);
  return [
    `<g class="node row${findings.length > 0 ? ' has-finding' : ''}" data-node="${escapeXml(row.id)}" tabindex="0" role="button">`,
    `<rect x="${row.x + 1}" y="${row.y}" width="${row.width - 2}" height="${row.height}"/>`,
    `<text x="${row.x + PAD}" y="${y}">${escapeXml(row.label)}</text>`,
    `<text class="detail" x="${detailX}" y="${y}" text-anchor="end">${escapeXml(row.detail)}</text>`,
    mark,
    '</g>',
  ].join('');
}

function findingMark(x: number, y: number, findings: MapFinding[]): string {
  const level = findings.some((f) => f.severity !== 'information') ? 'problem' : 'information';
  return `<text class="finding ${level}" x="${x}" y="${y}" text-anchor="end"><title>${escapeXml(findingTitle(findings))}</title>⚠</text>`;
}

/**
 * The map's look, in CSS custom properties that VS Code's themes set (light, dark, high
 * contrast); the fallbacks are for a browser outside the editor.
 */
export const MAP_CSS = `
.port-map { font: 12px var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace); }
.port-map text { fill: var(--vscode-foreground, #1f2328); }
.port-map .column-title { font-weight: 600; fill: var(--vscode-descriptionForeground, #59636e); }
.port-map .group-box { fill: var(--vscode-editorWidget-background, #f6f8fa);
  stroke: var(--vscode-editorWidget-border, var(--vscode-contrastBorder, #d0d7de)); }
.port-map .header-hit { fill: transparent; }
.port-map .title { font-weight: 600; }
.port-map .subtitle, .port-map .detail, .port-map .footer { fill: var(--vscode-descriptionForeground, #59636e); }
.port-map .row rect { fill: transparent; }
.port-map .source rect { fill: var(--vscode-editorWidget-background, #f6f8fa); stroke: var(--vscode-focusBorder, #0969da); }
.port-map .node { cursor: pointer; }
.port-map .node:hover rect, .port-map .node:focus rect, .port-map .node.selected rect {
  fill: var(--vscode-list-hoverBackground, rgba(127, 127, 127, 0.15)); }
.port-map .node:focus, .port-map .edge:focus { outline: none; }
.port-map .edge { cursor: pointer; }
.port-map .edge-line { fill: none; stroke-width: 2; }
.port-map .edge-hit { fill: none; stroke: transparent; stroke-width: 12; }
.port-map .edge.allowed .edge-line { stroke: var(--vscode-charts-green, #1a7f37); }
.port-map .edge.denied .edge-line { stroke: var(--vscode-charts-red, #cf222e); }
.port-map .edge.unknown .edge-line { stroke: var(--vscode-disabledForeground, #8c959f); stroke-dasharray: 5 4; }
.port-map .edge:hover .edge-line, .port-map .edge:focus .edge-line, .port-map .edge.selected .edge-line { stroke-width: 4; }
.port-map .arrow.allowed path { fill: var(--vscode-charts-green, #1a7f37); }
.port-map .arrow.denied path { fill: var(--vscode-charts-red, #cf222e); }
.port-map .arrow.unknown path { fill: var(--vscode-disabledForeground, #8c959f); }
.port-map .edge-label { font-size: 11px; paint-order: stroke; stroke: var(--vscode-editor-background, #ffffff);
  stroke-width: 4px; stroke-linejoin: round; }
.port-map .edge.allowed .edge-label { fill: var(--vscode-charts-green, #1a7f37); }
.port-map .edge.denied .edge-label { fill: var(--vscode-charts-red, #cf222e); }
.port-map .edge.unknown .edge-label { fill: var(--vscode-descriptionForeground, #59636e); }
.port-map .finding.problem { fill: var(--vscode-editorWarning-foreground, #bf8700); }
.port-map .finding.information { fill: var(--vscode-editorInfo-foreground, #0969da); }
`;
