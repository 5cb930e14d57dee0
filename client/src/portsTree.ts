// The "Ports" view in the Explorer: namespace → Service → port → the container port of each pod
// template it forwards to, the Ingresses, routes and monitors that name the port, and the policies
// that select those pods. Every node opens its line.
import * as vscode from 'vscode';
import type { MapEdge, MapNamespace, PortMap } from '../../server/src/lsp/protocol';

type ServiceNode = PortMap['services'][number];
type PortNode = ServiceNode['ports'][number];
type PortReference = PortNode['refs'][number];

export type PortsNode =
  | { kind: 'root'; root: string; built: boolean }
  | { kind: 'namespace'; namespace: MapNamespace; root?: string }
  | { kind: 'service'; map: PortMap; service: ServiceNode }
  | { kind: 'port'; map: PortMap; service: ServiceNode; port: PortNode }
  | { kind: 'target'; map: PortMap; edge: MapEdge }
  | { kind: 'policy'; map: PortMap; policy: PortMap['policies'][number]; parent: string }
  | { kind: 'ref'; map: PortMap; ref: PortNode['refs'][number]; parent: string };

/** Where the tree gets its data: the language server, when it runs. */
export interface MapSource {
  /** The Kustomize roots, each a world of its own. */
  roots(): Promise<Array<{ name: string; built: boolean }>>;
  namespaces(root?: string): Promise<MapNamespace[]>;
  map(namespace: string | null, root?: string): Promise<PortMap>;
}

const green = new vscode.ThemeColor('charts.green');
const red = new vscode.ThemeColor('charts.red');
const warning = new vscode.ThemeColor('list.warningForeground');
const grey = new vscode.ThemeColor('disabledForeground');
const nsName = (namespace: string | null) => namespace ?? '(unspecified)';
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const collapsible = (children: boolean) => (children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);

export class PortsTree implements vscode.TreeDataProvider<PortsNode> {
  private readonly changed = new vscode.EventEmitter<PortsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly maps = new Map<string, Promise<PortMap>>();
  private readonly prefixes = new WeakMap<PortMap, string>();

  constructor(private readonly source: MapSource) {}

  /** The index changed: every map is asked for again when shown. */
  refresh(): void {
    this.maps.clear();
    this.changed.fire(undefined);
  }

  private mapOf(namespace: string | null, root: string | undefined): Promise<PortMap> {
    const key = JSON.stringify([root, namespace]);
    let map = this.maps.get(key);
    if (!map) this.maps.set(key, (map = this.source.map(namespace, root).then((m) => (this.prefixes.set(m, key), m))));
    return map;
  }

  /** What makes a node's id unique: the same namespace may be drawn in several worlds. */
  private prefix(map: PortMap): string {
    return this.prefixes.get(map) ?? String(map.namespace);
  }

  async getChildren(node?: PortsNode): Promise<PortsNode[]> {
    if (!node) {
      const [namespaces, roots] = await Promise.all([this.source.namespaces(), this.source.roots()]);
      return [
        ...namespaces.map((namespace): PortsNode => ({ kind: 'namespace', namespace })),
        ...roots.map(({ name, built }): PortsNode => ({ kind: 'root', root: name, built })),
      ];
    }
    if (node.kind === 'root') {
      if (!node.built) return [];
      return (await this.source.namespaces(node.root)).map((namespace) => ({ kind: 'namespace', namespace, root: node.root }));
    }
    if (node.kind === 'namespace') {
      const map = await this.mapOf(node.namespace.namespace, node.root);
      return map.services.map((service) => ({ kind: 'service', map, service }));
    }
    if (node.kind === 'service') return node.service.ports.map((port) => ({ kind: 'port', map: node.map, service: node.service, port }));
    if (node.kind === 'port') {
      const forward = node.map.edges.filter((e) => e.kind === 'forward' && e.from === node.port.id);
      const pods = new Set(forward.map((e) => podOf(node.map, e.to)?.id));
      const policies = node.map.policies.filter((p) => p.selects.some((id) => pods.has(id)));
      // The PodMonitors that scrape the container ports this port forwards to.
      const targets = new Set(forward.map((e) => e.to));
      const scraping = node.map.pods.flatMap((pod) => pod.ports.filter((c) => targets.has(c.id)).flatMap((c) => c.refs));
      return [
        ...forward.map((edge): PortsNode => ({ kind: 'target', map: node.map, edge })),
        ...uniqueRefs([...node.port.refs, ...scraping]).map((ref): PortsNode => ({
          kind: 'ref',
          map: node.map,
          ref,
          parent: node.port.id,
        })),
        ...policies.map((policy): PortsNode => ({ kind: 'policy', map: node.map, policy, parent: node.port.id })),
      ];
    }
    return [];
  }

  getTreeItem(node: PortsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'root': {
        const item = new vscode.TreeItem(node.root, collapsible(node.built));
        item.id = `root:${node.root}`;
        item.description = node.built ? 'Kustomize root' : 'Kustomize root (not built)';
        item.iconPath = new vscode.ThemeIcon('layers');
        item.tooltip = `Kustomize root ${node.root}: a world of its own (its built objects and the plain manifests)`;
        return item;
      }
      case 'namespace': {
        const { namespace, services, pods, policies } = node.namespace;
        const item = new vscode.TreeItem(nsName(namespace), collapsible(services > 0));
        item.id = `ns:${node.root ?? ''}:${namespace}`;
        item.description = `${count(services, 'Service')} · ${count(pods, 'pod template')} · ${count(policies, 'policy', 'policies')}`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = 'namespace';
        item.tooltip = `Namespace ${nsName(namespace)}: open its port map with the button on the right`;
        return item;
      }
      case 'service': {
        const { service, map } = node;
        const item = new vscode.TreeItem(service.name, collapsible(service.ports.length > 0));
        item.id = `${this.prefix(map)}:${service.id}`;
        item.description = service.type;
        const worst = service.ports.map((p) => portLook(map, p));
        item.iconPath = (worst.find((l) => l.finding) ?? worst.find((l) => l.external) ?? worst[0])?.icon ?? new vscode.ThemeIcon('server');
        const handMade = service.selector ? '' : ': no selector, its endpoints are made by hand';
        item.tooltip = `Service ${service.name} (${service.type})${handMade}`;
        item.command = openCommand(service.uri, service.nameRange);
        return item;
      }
      case 'port': {
        const { port, map } = node;
        const item = new vscode.TreeItem(`${port.label} → ${port.targetPort}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${this.prefix(map)}:${port.id}`;
        const look = portLook(map, port);
        item.iconPath = look.icon;
        item.description = look.text;
        item.tooltip = new vscode.MarkdownString(look.tooltip);
        item.command = openCommand(port.uri, port.range);
        return item;
      }
      case 'target': {
        const { edge, map } = node;
        const pod = podOf(map, edge.to);
        const port = pod?.ports.find((p) => p.id === edge.to);
        const item = new vscode.TreeItem(`${pod ? `${pod.kind} ${pod.name}` : edge.to}${port ? ` · ${port.label}` : ''}`);
        item.id = `${this.prefix(map)}:${edge.id}`;
        item.description = `${port?.container ?? ''}${edge.verdict === 'allowed' ? '' : ` ${edge.verdict}: ${edge.reason}`}`.trim();
        item.iconPath = verdictIcon(edge.verdict, edge.findings.length > 0 || (port?.findings.length ?? 0) > 0);
        item.tooltip = `${edge.explain.from} → ${edge.explain.to}: ${edge.verdict}\n${edge.reason}`;
        if (port) item.command = openCommand(port.uri, port.range);
        else if (pod) item.command = openCommand(pod.uri, pod.nameRange);
        return item;
      }
      case 'policy': {
        const { policy, map } = node;
        const item = new vscode.TreeItem(`${policy.kind} ${policy.name}`);
        item.id = `${this.prefix(map)}:${node.parent}:${policy.id}`;
        const evaluated = policy.dialect === 'kubernetes' ? '' : ' (not evaluated)';
        item.description = `selects ${policy.selects.map((id) => podOf(map, id)?.name ?? id).join(', ')}${evaluated}`;
        const problem = policy.findings.some((f) => f.severity !== 'information');
        item.iconPath = problem ? new vscode.ThemeIcon('warning', warning) : new vscode.ThemeIcon('shield');
        const findings = policy.findings.map((f) => `${f.code}: ${f.message}`).join('\n');
        item.tooltip = findings || `NetworkPolicy ${policy.name} (${policy.policyTypes.join(', ')})`;
        item.command = openCommand(policy.uri, policy.nameRange);
        return item;
      }
      case 'ref': {
        const { ref, map } = node;
        const item = new vscode.TreeItem(
          `${ref.kind} ${ref.namespace && ref.namespace !== map.namespace ? `${ref.namespace}/` : ''}${ref.name}`,
        );
        item.id = `${this.prefix(map)}:${node.parent}:${refKey(ref)}`;
        // An Ingress or route: the verdict of its path into the port (judged where its controller may run).
        const route = map.edges.find((e) => e.kind === 'route' && e.from === ref.source && e.to === node.parent && e.backend === ref.label);
        item.description = route && route.verdict !== 'allowed' ? `${ref.label} ${route.verdict}: ${route.reason}` : ref.label;
        item.iconPath = route
          ? verdictIcon(route.verdict, route.findings.length > 0)
          : new vscode.ThemeIcon(ref.kind.endsWith('Monitor') ? 'pulse' : 'link');
        const verdict = route ? `\n${route.explain.from} → ${route.explain.to}: ${route.verdict}\n${route.reason}` : '';
        const what = ref.kind === 'PodMonitor' ? 'a container port behind this port' : 'this port';
        item.tooltip = `${ref.kind} ${ref.name} (${ref.label}) names ${what}${verdict}`;
        item.command = openCommand(ref.uri, ref.range);
        return item;
      }
    }
  }
}

const refKey = (ref: PortReference) => `${ref.kind}/${ref.namespace}/${ref.name}/${ref.label}`;

/** One row per object and part: a PodMonitor behind two pod templates, or a rule's two backendRefs, would repeat a tree id. */
function uniqueRefs(refs: PortReference[]): PortReference[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = refKey(ref);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The pod template a node id belongs to: the template itself, or one of its container ports. */
function podOf(map: PortMap, id: string) {
  return map.pods.find((p) => p.id === id || p.ports.some((c) => c.id === id));
}

/** A Service port's icon: a finding on it, reachable from outside, from its namespace, blocked or unknown. */
interface Look {
  icon: vscode.ThemeIcon;
  text: string;
  tooltip: string;
  finding: boolean;
  external: boolean;
}

function portLook(map: PortMap, port: PortNode): Look {
  const into = map.edges.filter((e) => e.kind === 'reach' && e.to === port.id);
  const findings = [...port.findings, ...into.flatMap((e) => e.findings)];
  const lines = into.map((e) => `- ${e.explain.from}: **${e.verdict}** — ${e.reason}`);
  const marks = findings.map((f) => `- ⚠ \`${f.code}\`: ${f.message}`);
  const tooltip = [`**${port.destination}** → targetPort ${port.targetPort}`, '', ...lines, ...marks].join('\n');
  const external = port.reach.external === 'allowed';
  const base = { tooltip, finding: findings.length > 0, external };
  if (findings.length > 0) return { ...base, icon: new vscode.ThemeIcon('warning', warning), text: `finding: ${findings[0].code}` };
  if (external) return { ...base, icon: new vscode.ThemeIcon('globe', green), text: 'reachable from outside' };
  const home = new vscode.ThemeIcon('home', green);
  if (port.reach.namespace === 'allowed') return { ...base, icon: home, text: 'reachable from its namespace' };
  if (into.some((e) => e.verdict === 'allowed')) return { ...base, icon: home, text: 'reachable from other namespaces' };
  const question = new vscode.ThemeIcon('question', grey);
  if (into.length === 0) return { ...base, icon: question, text: 'not judged' };
  if (into.some((e) => e.verdict === 'unknown')) return { ...base, icon: question, text: 'unknown' };
  return { ...base, icon: new vscode.ThemeIcon('circle-slash', red), text: 'blocked' };
}

function verdictIcon(verdict: MapEdge['verdict'], finding: boolean): vscode.ThemeIcon {
  if (finding) return new vscode.ThemeIcon('warning', warning);
  if (verdict === 'allowed') return new vscode.ThemeIcon('pass', green);
  return verdict === 'denied' ? new vscode.ThemeIcon('circle-slash', red) : new vscode.ThemeIcon('question', grey);
}

type Place = { start: { line: number; character: number } };

export function openCommand(uri: string, range: Place): vscode.Command {
  const at = new vscode.Position(range.start.line, range.start.character);
  const options: vscode.TextDocumentShowOptions = { selection: new vscode.Range(at, at) };
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(uri), options] };
}
