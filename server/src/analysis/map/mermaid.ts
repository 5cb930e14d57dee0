// The port map as a Mermaid flowchart (GitHub renders it in Markdown: READMEs, pull requests).
import { edgeLabel, labelled } from './svg';
import type { MapEdge, PortMap } from './portMap';

const COLOUR: Record<MapEdge['verdict'], string> = { allowed: '#1a7f37', denied: '#cf222e', unknown: '#8c959f' };

/** A label inside `"…"`: Mermaid's entity codes stand for the characters its syntax uses. */
function text(label: string): string {
  return `"${label.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

/** One flowchart; several namespaces each get a subgraph of their own. */
export function renderMermaid(maps: PortMap[]): string {
  const lines = ['flowchart LR'];
  const links: string[] = [];
  const styles: string[] = [];
  const findings: string[] = [];
  maps.forEach((map, m) => {
    const ids = new Map<string, string>();
    const id = (key: string) => {
      let short = ids.get(key);
      if (!short) ids.set(key, (short = `${maps.length > 1 ? `m${m}_` : ''}n${ids.size}`));
      return short;
    };
    const indent = maps.length > 1 ? '    ' : '  ';
    if (maps.length > 1) {
      lines.push(`  subgraph ${id('namespace')} [${text(`namespace ${map.namespace ?? '(unspecified)'}`)}]`, '    direction LR');
    }
    for (const source of map.sources) {
      lines.push(source.router ? `${indent}${id(source.id)}>${text(source.label)}]` : `${indent}${id(source.id)}([${text(source.label)}])`);
      if (source.router?.findings.some((f) => f.severity !== 'information')) findings.push(id(source.id));
    }
    for (const service of map.services) {
      lines.push(`${indent}subgraph ${id(service.id)} [${text(`Service ${service.name} · ${service.type}`)}]`);
      for (const port of service.ports) lines.push(`${indent}  ${id(port.id)}[${text(`${port.label} → ${port.targetPort}`)}]`);
      lines.push(`${indent}end`);
      if (service.findings.length > 0) findings.push(id(service.id));
      for (const port of service.ports) if (port.findings.length > 0) findings.push(id(port.id));
    }
    const policyNames = new Map(map.policies.map((p) => [p.id, p.name]));
    for (const pod of map.pods) {
      const policies = pod.policies.map((p) => policyNames.get(p)).join(', ');
      const selecting = policies ? ` · ${pod.policies.length > 1 ? 'policies' : 'policy'} ${policies}` : '';
      lines.push(`${indent}subgraph ${id(pod.id)} [${text(`${pod.kind} ${pod.name}${selecting}`)}]`);
      for (const port of pod.ports) {
        lines.push(`${indent}  ${id(port.id)}[${text(`${port.label}${port.container ? ` · ${port.container}` : ''}`)}]`);
      }
      if (pod.ports.length === 0) lines.push(`${indent}  ${id(`${pod.id}:none`)}[${text('no declared port')}]`);
      lines.push(`${indent}end`);
      if (pod.findings.length > 0) findings.push(id(pod.id));
      for (const port of pod.ports) if (port.findings.length > 0) findings.push(id(port.id));
    }
    if (maps.length > 1) lines.push('  end');
    for (const edge of map.edges) {
      const label = labelled(edge) ? `|${text(edgeLabel(edge) + (edge.findings.length > 0 ? ' ⚠' : ''))}|` : '';
      const arrow = edge.verdict === 'unknown' ? '-.->' : '-->';
      styles.push(`  linkStyle ${links.length} stroke:${COLOUR[edge.verdict]},stroke-width:2px,color:${COLOUR[edge.verdict]}`);
      links.push(`  ${id(edge.from)} ${arrow}${label} ${id(edge.to)}`);
    }
  });
  lines.push(...links, ...styles);
  if (findings.length > 0) {
    lines.push('  classDef finding stroke:#bf8700,stroke-width:3px', `  class ${[...new Set(findings)].join(',')} finding`);
  }
  return lines.join('\n');
}
