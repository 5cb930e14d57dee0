// The port map as a Graphviz digraph: `dot -Tsvg`.
import { edgeLabel, edgeTitle, labelled } from './svg';
import type { MapEdge, PortMap } from './portMap';

const COLOUR: Record<MapEdge['verdict'], string> = { allowed: '#1a7f37', denied: '#cf222e', unknown: '#8c959f' };

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export function renderDot(maps: PortMap[]): string {
  const title = maps.length === 1 ? `port map of namespace ${maps[0].namespace ?? '(unspecified)'}` : 'port map';
  const lines = [
    `digraph ${quote(title)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  maps.forEach((map, m) => {
    const id = (key: string) => quote(`${m}:${key}`);
    const indent = maps.length > 1 ? '    ' : '  ';
    if (maps.length > 1) {
      lines.push(`  subgraph ${quote(`cluster_namespace_${m}`)} {`, `    label=${quote(`namespace ${map.namespace ?? '(unspecified)'}`)};`);
    }
    const marked = (findings: unknown[]) => (findings.length > 0 ? ', color="#bf8700", penwidth=2' : '');
    const targeted = new Set(map.edges.map((e) => e.to));
    for (const source of map.sources) {
      const shape = source.router ? `shape=cds${marked(source.router.findings.filter((f) => f.severity !== 'information'))}` : 'shape=oval';
      lines.push(`${indent}${id(source.id)} [label=${quote(source.label)}, ${shape}];`);
    }
    for (const service of map.services) {
      lines.push(`${indent}subgraph ${quote(`cluster_${m}_${service.id}`)} {`);
      lines.push(`${indent}  label=${quote(`Service ${service.name} (${service.type})`)};`);
      for (const port of service.ports) {
        lines.push(`${indent}  ${id(port.id)} [label=${quote(`${port.label} → ${port.targetPort}`)}${marked(port.findings)}];`);
      }
      // A backend that names no port of the Service points here.
      if (targeted.has(service.id)) lines.push(`${indent}  ${id(service.id)} [label=${quote('no port the backend names')}, style=dashed];`);
      lines.push(`${indent}}`);
    }
    const policyNames = new Map(map.policies.map((p) => [p.id, p.name]));
    for (const pod of map.pods) {
      const policies = pod.policies.map((p) => policyNames.get(p)).join(', ');
      lines.push(`${indent}subgraph ${quote(`cluster_${m}_${pod.id}`)} {`);
      lines.push(`${indent}  label=${quote(`${pod.kind} ${pod.name}${policies ? `\npolicies: ${policies}` : ''}`)};`);
      for (const port of pod.ports) {
        const label = quote(`${port.label}${port.container ? `\n${port.container}` : ''}`);
        lines.push(`${indent}  ${id(port.id)} [label=${label}${marked(port.findings)}];`);
      }
      if (pod.ports.length === 0 || targeted.has(pod.id)) {
        const label = quote(pod.ports.length === 0 ? 'no declared port' : 'no port the Service names');
        lines.push(`${indent}  ${id(pod.id)} [label=${label}, style=dashed];`);
      }
      lines.push(`${indent}}`);
    }
    for (const edge of map.edges) {
      const label = labelled(edge) ? `label=${quote(edgeLabel(edge) + (edge.findings.length > 0 ? ' ⚠' : ''))}, ` : '';
      const style = edge.verdict === 'unknown' ? ', style=dashed' : '';
      const colour = quote(COLOUR[edge.verdict]);
      const attributes = `${label}color=${colour}, fontcolor=${colour}, tooltip=${quote(edgeTitle(edge))}${style}`;
      lines.push(`${indent}${id(edge.from)} -> ${id(edge.to)} [${attributes}];`);
    }
    if (maps.length > 1) lines.push('  }');
  });
  lines.push('}');
  return lines.join('\n');
}
