// A layered layout of a port map: sources on the left, Services and their ports in the middle,
// pod templates and their container ports on the right. Pure arithmetic, no DOM: the CLI's HTML
// and the editor's webview draw the same picture.
import type { MapEdge, PortMap } from './portMap';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A Service or a pod template: a header and one row per port. */
export interface GroupBox extends Box {
  id: string;
  title: string;
  subtitle: string;
  rows: RowBox[];
  /** Lines under the rows (the policies that select a pod template). */
  footer: string[];
}

export interface RowBox extends Box {
  id: string;
  label: string;
  detail: string;
}

export interface EdgePath {
  edge: MapEdge;
  /** An SVG path (a cubic curve from the right side of one box to the left side of another). */
  d: string;
  /** Where its label goes. */
  labelAt: { x: number; y: number };
}

export interface MapLayout {
  width: number;
  height: number;
  columns: Array<{ x: number; title: string }>;
  sources: Array<RowBox>;
  services: GroupBox[];
  pods: GroupBox[];
  edges: EdgePath[];
}

const ROW = 24;
const HEADER = 40;
const FOOTER_LINE = 18;
const PAD = 8;
const GAP = 16;
const COLUMN_GAP = 170;
const TOP = 36;
const CHAR = 7.2;

const widthFor = (texts: string[], min: number) => Math.ceil(Math.max(min, ...texts.map((t) => t.length * CHAR + 2 * PAD + 12)));

export function layoutMap(map: PortMap): MapLayout {
  const policyNames = new Map(map.policies.map((p) => [p.id, p.name]));
  const forwarded = new Map<string, number[]>();
  const serviceRows = new Map<string, number>();
  let row = 0;
  for (const service of map.services) for (const port of service.ports) serviceRows.set(port.id, row++);
  for (const edge of map.edges) {
    if (edge.kind !== 'forward') continue;
    const at = serviceRows.get(edge.from);
    if (at === undefined) continue;
    const list = forwarded.get(edge.to) ?? [];
    list.push(at);
    forwarded.set(edge.to, list);
  }
  // Pod templates in the order of the Service ports that reach them: fewer crossings.
  const weight = (pod: PortMap['pods'][number]) => {
    const rows = [pod.id, ...pod.ports.map((p) => p.id)].flatMap((id) => forwarded.get(id) ?? []);
    return rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.MAX_SAFE_INTEGER;
  };
  const pods = map.pods
    .map((pod, i) => ({ pod, weight: weight(pod), i }))
    .sort((a, b) => a.weight - b.weight || a.i - b.i)
    .map((p) => p.pod);

  const sourceWidth = widthFor(
    map.sources.map((s) => s.label),
    170,
  );
  const portTexts = (s: PortMap['services'][number]) => s.ports.map((p) => `${p.label} → ${p.targetPort}`);
  const serviceTexts = map.services.flatMap((s) => [s.name, `Service · ${s.type}`, ...portTexts(s)]);
  const serviceWidth = widthFor(serviceTexts, 200);
  const podTexts = pods.flatMap((p) => [
    p.name,
    p.kind,
    ...p.ports.map((c) => `${c.label} ${c.container ?? ''}`),
    ...p.policies.map((id) => `policy ${policyNames.get(id)}`),
  ]);
  const podWidth = widthFor(podTexts, 220);
  const xs = [PAD, PAD + sourceWidth + COLUMN_GAP, PAD + sourceWidth + COLUMN_GAP + serviceWidth + COLUMN_GAP];

  const services = stack(
    map.services.map((s) => ({
      id: s.id,
      title: s.name,
      subtitle: `Service · ${s.type}${s.selector ? '' : ' · no selector'}`,
      rows: s.ports.map((p) => ({ id: p.id, label: p.label, detail: `→ ${p.targetPort}` })),
      footer: [],
    })),
    xs[1],
    serviceWidth,
  );
  const podBoxes = stack(
    pods.map((p) => ({
      id: p.id,
      title: p.name,
      subtitle: `${p.kind}${p.hostNetwork ? ' · hostNetwork' : ''}`,
      rows: p.ports.map((c) => ({ id: c.id, label: c.label, detail: c.container ?? '' })),
      footer: p.policies.map((id) => `policy ${policyNames.get(id) ?? id}`),
    })),
    xs[2],
    podWidth,
  );
  const bottom = Math.max(TOP + ROW, ...[...services, ...podBoxes].map((b) => b.y + b.height));
  // Sources are few: they sit in the middle of the height, far apart.
  const spacing = Math.max(ROW + GAP, Math.min(90, (bottom - TOP) / Math.max(1, map.sources.length)));
  const sourcesTop = TOP + Math.max(0, (bottom - TOP - spacing * map.sources.length) / 2);
  const sources = map.sources.map((s, i) => {
    const y = sourcesTop + i * spacing + (spacing - ROW - 8) / 2;
    return { id: s.id, label: s.label, detail: '', x: xs[0], y, width: sourceWidth, height: ROW + 8 };
  });

  const anchors = new Map<string, Box>();
  for (const s of sources) anchors.set(s.id, s);
  for (const group of [...services, ...podBoxes]) {
    anchors.set(group.id, { x: group.x, y: group.y, width: group.width, height: HEADER });
    for (const r of group.rows) anchors.set(r.id, r);
  }
  const edges: EdgePath[] = [];
  for (const edge of map.edges) {
    const from = anchors.get(edge.from);
    const to = anchors.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + from.width;
    const y1 = from.y + from.height / 2;
    const x2 = to.x;
    const y2 = to.y + to.height / 2;
    const bend = (x2 - x1) / 2;
    const curve: Array<[number, number]> = [
      [x1, y1],
      [x1 + bend, y1],
      [x2 - bend, y2],
      [x2 - 6, y2],
    ];
    edges.push({ edge, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2 - 6},${y2}`, labelAt: pointAt(curve, 0.62) });
  }
  const columns = [
    { x: xs[0], title: 'Sources' },
    { x: xs[1], title: 'Services and their ports' },
    { x: xs[2], title: 'Pod templates and container ports' },
  ];
  return { width: xs[2] + podWidth + PAD, height: bottom + PAD, columns, sources, services, pods: podBoxes, edges };
}

/** The point of a cubic Bézier curve at `t`, a little above it (where a label reads well). */
function pointAt([p0, p1, p2, p3]: Array<[number, number]>, t: number): { x: number; y: number } {
  const u = 1 - t;
  const at = (i: 0 | 1) => u * u * u * p0[i] + 3 * u * u * t * p1[i] + 3 * u * t * t * p2[i] + t * t * t * p3[i];
  return { x: at(0), y: at(1) - 4 };
}

type UnplacedGroup = Omit<GroupBox, keyof Box | 'rows'> & { rows: Array<Omit<RowBox, keyof Box>> };

function stack(groups: UnplacedGroup[], x: number, width: number): GroupBox[] {
  let y = TOP;
  return groups.map((g) => {
    const rows = g.rows.map((r, i) => ({ ...r, x, y: y + HEADER + i * ROW, width, height: ROW }));
    const height = HEADER + rows.length * ROW + g.footer.length * FOOTER_LINE + PAD;
    const box: GroupBox = { ...g, rows, x, y, width, height };
    y += height + GAP;
    return box;
  });
}

export const LAYOUT = { ROW, HEADER, FOOTER_LINE, PAD };
