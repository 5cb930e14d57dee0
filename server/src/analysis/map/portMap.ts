import type {
  ContainerPort,
  DialectPolicy,
  NetworkPolicy,
  PodTemplate,
  Router,
  Service,
  ServiceBackend,
  ServicePort,
} from '../../model/manifest';
import { containsPosition, type Range } from '../../model/source';
import { judge, type DestinationResult, type Explanation, type FindingsOf } from '../explain/explain';
import { backendName, namespaceSourceName, servicePortName, sourceName, type Destination, type Source } from '../explain/endpoints';
import { ingressPoliciesOf, type SideJudgement, type Verdict } from '../explain/isolation';
import { lensSource, shortReason } from '../explain/summary';
import { selectorMatches } from '../index/selectors';
import { dialectPoliciesSelecting } from '../index/dialectSelection';
import { monitorTargets, servicePortIs } from '../index/references';
import { targetOf, type KnownPort } from '../index/podPorts';
import type { Finding, Severity } from '../rules/findings';
import type { WorkspaceIndex } from '../index/workspaceIndex';

/** An explanation without fixes: all a verdict needs. */
type Judged = Omit<Explanation, 'fixes'>;

/** Bumped when a field changes meaning or goes away (docs/map.md). */
export const PORT_MAP_VERSION = 1;

/** How many namespaces other than its own a map draws as sources, at most. */
const MAX_OTHER_NAMESPACES = 12;

/** Where an object is written. */
export interface Place {
  uri: string;
  range: Range;
}

export interface MapFinding extends Place {
  code: string;
  severity: Severity;
  message: string;
}

/**
 * Where traffic comes from: outside the cluster, every pod of a namespace (`explain`'s sources),
 * or an Ingress or Gateway API route whose backends name the map's Service ports.
 */
export interface SourceNode {
  id: string;
  kind: 'external' | 'namespace' | 'router';
  /** The source as `explain` writes it: `external`, `gitlab/*`; a router as `explain --to` starts it: `shop/Ingress/web`. */
  name: string;
  label: string;
  namespace: string | null;
  /** The map's own namespace (a router: it is in the map's namespace). */
  own: boolean;
  /** The workspace holds objects of it or a Namespace object for it (a router: always). */
  inWorkspace: boolean;
  /** A router's object: its kind (`Ingress`, `HTTPRoute`, …), where it is written, and the findings in it. */
  router?: { kind: string; name: string; uri: string; range: Range; nameRange: Range; findings: MapFinding[] };
}

/** An object that names a port: an Ingress or route backend, a ServiceMonitor or PodMonitor endpoint. */
export interface PortReference extends Place {
  kind: string;
  name: string;
  namespace: string | null;
  /** Which part of it: the Ingress path, the route rule, the monitor endpoint. */
  label: string;
  /** An Ingress or route: the id of its source node, whose `route` edge into the port has the verdict. */
  source?: string;
}

export interface ServicePortNode extends Place {
  id: string;
  /** `ssh 10022/TCP` */
  label: string;
  name: string | null;
  port: number;
  protocol: string;
  targetPort: number | string;
  /** As `explain` writes the destination: `gitlab/gitlab-ssh:10022`. */
  destination: string;
  /** The verdicts of the reach edges into this port, by source kind (external only for LoadBalancer and NodePort). */
  reach: { external?: Verdict; namespace?: Verdict };
  /** The Ingresses, routes and ServiceMonitors that name this port. */
  refs: PortReference[];
  findings: MapFinding[];
}

export interface ServiceNode extends Place {
  id: string;
  name: string;
  type: string;
  /** False: the Service has no selector, its endpoints are made by hand and are not judged. */
  selector: boolean;
  nameRange: Range;
  ports: ServicePortNode[];
  /** Findings on the Service outside its ports. */
  findings: MapFinding[];
}

export interface ContainerPortNode {
  id: string;
  /** `22/TCP "ssh"` */
  label: string;
  number: number;
  name: string | null;
  protocol: string;
  container: string | null;
  /** False: a Service forwards to a number no container declares (the node stands for it). */
  declared: boolean;
  uri: string;
  range: Range;
  /** The PodMonitors that scrape this port. */
  refs: PortReference[];
  findings: MapFinding[];
}

export interface PodNode extends Place {
  id: string;
  kind: string;
  name: string;
  nameRange: Range;
  hostNetwork: boolean;
  ports: ContainerPortNode[];
  /** Ids of the policies whose podSelector picks this pod template. */
  policies: string[];
  findings: MapFinding[];
}

export interface PolicyNode extends Place {
  id: string;
  name: string;
  /** `NetworkPolicy`, `CiliumNetworkPolicy`, `CiliumClusterwideNetworkPolicy`, `NetworkPolicy` (Calico), `GlobalNetworkPolicy`. */
  kind: string;
  /**
   * The policy language: `kubernetes` for networking.k8s.io NetworkPolicies, whose rules decide the
   * verdicts; `cilium` or `calico`, which are shown but not evaluated (a path they select is unknown).
   */
  dialect: string;
  nameRange: Range;
  policyTypes: string[];
  /** Ids of the pod templates its podSelector picks. */
  selects: string[];
  findings: MapFinding[];
}

/**
 * `reach`: a source to a Service port, judged as `explain --from SOURCE --to DEST` judges it.
 * `forward`: a Service port to the container port of one selected pod template (or to the pod
 * template itself when the target does not resolve in it), judged from the Service's usual source.
 * `route`: an Ingress or route backend to the Service port it names (to the Service when it names
 * none of its ports), judged from the namespaces its controller could run in (see routeEdge).
 */
export interface MapEdge {
  id: string;
  kind: 'reach' | 'forward' | 'route';
  /** A route edge's backend: the Ingress path (`/api`), `default backend`, the route rule (`rule 1`). */
  backend?: string;
  from: string;
  to: string;
  verdict: Verdict;
  /** The policies that decide the verdict: the admitting ones, the isolating ones, the ones that may admit. */
  policies: string[];
  /** Why, in a few words. */
  reason: string;
  /** The `explain` question whose answer this edge shows. */
  explain: { from: string; to: string };
  /** Findings on the port entries that keep this path closed (a fix there would open it). */
  findings: MapFinding[];
}

export interface PortMap {
  version: number;
  namespace: string | null;
  sources: SourceNode[];
  services: ServiceNode[];
  pods: PodNode[];
  policies: PolicyNode[];
  edges: MapEdge[];
}

/** A namespace the map can draw, with how much it holds: cheap, for a first level of a tree. */
export interface MapNamespace {
  namespace: string | null;
  services: number;
  pods: number;
  policies: number;
}

export function mapNamespaces(index: WorkspaceIndex): MapNamespace[] {
  return index.namespaceNames().map((ns) => ({
    namespace: ns ?? null,
    services: index.services(ns).size,
    pods: index.pods(ns).size,
    policies: index.policies(ns).size,
  }));
}

const byName = <T extends { ref: { name: string; kind: string; uri: string } }>(a: T, b: T) =>
  a.ref.name.localeCompare(b.ref.name) || a.ref.kind.localeCompare(b.ref.kind) || a.ref.uri.localeCompare(b.ref.uri);

/** Names made unique: the same object written twice (two files, two charts) gets `#2`. */
class Ids {
  private readonly used = new Set<string>();
  take(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.used.has(id); n++) id = `${wanted}#${n}`;
    this.used.add(id);
    return id;
  }
}

/**
 * The port map of one namespace of the index given (the workspace, or one Kustomize root's
 * world): its Services, pod templates and policies, and every path from a source to a pod port
 * with `explain`'s verdict. Built on demand; nothing is kept.
 */
export function buildPortMap(index: WorkspaceIndex, findingsOf: FindingsOf, namespace: string | undefined): PortMap {
  return new MapBuilder(index, findingsOf, namespace).build();
}

class MapBuilder {
  private readonly ids = new Ids();
  private readonly fileFindings = new Map<string, Finding[]>();
  private readonly podNodes = new Map<PodTemplate, PodNode>();
  private readonly portNodes = new Map<ContainerPort, ContainerPortNode>();
  private readonly sources = new Map<string, SourceNode>();
  private readonly routerSources = new Map<Router, SourceNode>();
  private readonly edges: MapEdge[] = [];
  /** The other namespaces each policy's ingress peers pick, worked out once per map. */
  private readonly peerNamespaces = new Map<NetworkPolicy, string[]>();
  private knownNamespaces: Set<string | undefined> | undefined;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly findingsOf: FindingsOf,
    private readonly namespace: string | undefined,
  ) {}

  build(): PortMap {
    const { index, namespace } = this;
    const pods = [...index.pods(namespace)].sort(byName).map((pod) => this.podNode(pod));
    const policies = [...index.policies(namespace)].sort(byName).map((policy) => this.policyNode(policy));
    policies.push(...this.dialectPolicyNodes());
    const services = [...index.services(namespace)].sort(byName).map((service) => this.serviceNode(service));
    this.monitorRefs(services);
    const order = (s: SourceNode) => (s.kind === 'router' ? 3 : s.kind === 'external' ? 0 : s.own ? 1 : 2);
    const sources = [...this.sources.values()].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
    return { version: PORT_MAP_VERSION, namespace: namespace ?? null, sources, services, pods, policies, edges: this.edges };
  }

  private findingsIn(uri: string, range: Range, except: Range[] = []): MapFinding[] {
    let findings = this.fileFindings.get(uri);
    if (!findings) this.fileFindings.set(uri, (findings = this.findingsOf(uri)));
    return findings
      .filter((f) => containsPosition(range, f.range.start) && !except.some((r) => containsPosition(r, f.range.start)))
      .map(mapFinding);
  }

  private podNode(pod: PodTemplate): PodNode {
    const id = this.ids.take(`${pod.ref.kind}/${pod.ref.name}`);
    const ports = pod.ports.map((port) => {
      const node: ContainerPortNode = {
        id: this.ids.take(`${id}:${port.container}:${port.containerPort.value}/${port.protocol}`),
        label: portLabel(port.containerPort.value, port.protocol, port.name?.value),
        number: port.containerPort.value,
        name: port.name?.value ?? null,
        protocol: port.protocol,
        container: port.container,
        declared: true,
        uri: pod.ref.uri,
        range: port.range,
        refs: [],
        findings: this.findingsIn(pod.ref.uri, port.range),
      };
      this.portNodes.set(port, node);
      return node;
    });
    const node: PodNode = {
      id,
      kind: pod.ref.kind,
      name: pod.ref.name,
      uri: pod.ref.uri,
      range: pod.ref.range,
      nameRange: pod.ref.nameRange,
      hostNetwork: pod.hostNetwork,
      ports,
      policies: [],
      findings: this.findingsIn(
        pod.ref.uri,
        pod.ref.range,
        pod.ports.map((p) => p.range),
      ),
    };
    this.podNodes.set(pod, node);
    return node;
  }

  private policyNode(policy: NetworkPolicy): PolicyNode {
    const id = this.ids.take(`NetworkPolicy/${policy.ref.name}`);
    const selects: string[] = [];
    for (const [pod, node] of this.podNodes) {
      if (!selectorMatches(policy.podSelector, pod.labels)) continue;
      selects.push(node.id);
      node.policies.push(id);
    }
    const { uri, range, nameRange } = policy.ref;
    const findings = this.findingsIn(uri, range);
    const policyTypes = [...policy.policyTypes];
    return {
      id,
      kind: 'NetworkPolicy',
      name: policy.ref.name,
      dialect: 'kubernetes',
      uri,
      range,
      nameRange,
      policyTypes,
      selects,
      findings,
    };
  }

  /** Cilium and Calico policies that select a pod template of the map (cluster-wide ones included). */
  private dialectPolicyNodes(): PolicyNode[] {
    const selected = new Map<DialectPolicy, PodNode[]>();
    for (const [pod, node] of this.podNodes) {
      const policies = new Set([
        ...dialectPoliciesSelecting(this.index, pod, 'Ingress'),
        ...dialectPoliciesSelecting(this.index, pod, 'Egress'),
      ]);
      for (const policy of policies) selected.set(policy, [...(selected.get(policy) ?? []), node]);
    }
    const nodes: PolicyNode[] = [];
    for (const [policy, pods] of [...selected].sort(([a], [b]) => byName(a, b))) {
      const { uri, range, nameRange, kind } = policy.ref;
      const id = this.ids.take(`${kind}/${policy.ref.name}${policy.specIndex !== undefined ? `[${policy.specIndex}]` : ''}`);
      for (const pod of pods) pod.policies.push(id);
      const dialect = policy.dialect.toLowerCase();
      const findings = this.findingsIn(uri, range);
      nodes.push({
        id,
        kind,
        name: policy.ref.name,
        dialect,
        uri,
        range,
        nameRange,
        policyTypes: [...policy.directions],
        selects: pods.map((p) => p.id),
        findings,
      });
    }
    return nodes;
  }

  /** The Ingress and route backends that name this Service port, each with a route edge into it. */
  private routerRefs(service: Service, port: ServicePort, node: ServicePortNode): PortReference[] {
    const refs: PortReference[] = [];
    for (const [router, backend] of this.backendsOf(service)) {
      if (!backend.port || !servicePortIs(port, backend.port.value)) continue;
      const { kind, name, namespace, uri } = router.ref;
      const source = service.selector ? this.routeEdge(router, backend, service, port, node.id) : undefined;
      refs.push({
        kind,
        name,
        namespace: namespace ?? null,
        label: backend.label,
        uri,
        range: backend.port.range,
        ...(source && { source }),
      });
    }
    return refs;
  }

  private backendsOf(service: Service): Array<[Router, ServiceBackend]> {
    return this.index
      .routersUsing(service.ref.namespace, service.ref.name)
      .sort(byName)
      .flatMap((router) =>
        router.backends.filter((b) => b.service.value === service.ref.name).map((b): [Router, ServiceBackend] => [router, b]),
      );
  }

  /** Backends that name a port the Service does not have: a red route edge to the Service (backend-port-unmatched). */
  private unmatchedBackends(service: Service, serviceId: string): void {
    for (const [router, backend] of this.backendsOf(service)) {
      if (!backend.port || service.ports.some((port) => servicePortIs(port, backend.port!.value))) continue;
      const from = this.routerSource(router);
      const written = backend.port.value.kind === 'number' ? String(backend.port.value.number) : `"${backend.port.value.name}"`;
      this.edges.push({
        id: this.ids.take(`${from.id}->${serviceId}`),
        kind: 'route',
        backend: backend.label,
        from: from.id,
        to: serviceId,
        verdict: 'denied',
        policies: [],
        reason: `Service ${service.ref.name} has no port ${written}`,
        explain: { from: namespaceSourceName(this.namespace), to: backendName({ router, backend }) },
        findings: this.findingsIn(router.ref.uri, backend.port.range),
      });
    }
  }

  private routerSource(router: Router): SourceNode {
    let node = this.routerSources.get(router);
    if (node) return node;
    const { kind, name, namespace, uri, range, nameRange } = router.ref;
    const own = namespace === this.namespace;
    const label = `${kind} ${own ? '' : `${namespace ?? '(unspecified)'}/`}${name}`;
    const id = this.ids.take(`source:${kind}/${namespace ?? ''}/${name}`);
    const routerName = `${namespace ? `${namespace}/` : ''}${kind}/${name}`;
    const findings = this.findingsIn(uri, range);
    node = { id, kind: 'router', name: routerName, label, namespace: namespace ?? null, own, inWorkspace: true };
    node.router = { kind, name, uri, range, nameRange, findings };
    this.routerSources.set(router, node);
    this.sources.set(`router:${id}`, node);
    return node;
  }

  /**
   * A backend's path is judged from where its controller (an Ingress) or Gateway (a route) runs:
   * a namespace the workspace seldom says. It is judged from every namespace the policies could
   * tell apart — each one their ingress rules name, the map's own, and one they name nowhere —
   * and the edge has their common verdict; when they differ it is unknown, naming where it is allowed.
   */
  private routeEdge(router: Router, backend: ServiceBackend, service: Service, port: ServicePort, to: string): string {
    const from = this.routerSource(router);
    const destination: Destination = { kind: 'service', service, port, via: { router, backend } };
    const others = this.otherNamespaces(service);
    this.knownNamespaces ??= new Set(this.index.namespaceNames());
    let unnamed = 'another-namespace';
    for (let n = 2; this.knownNamespaces.has(unnamed) || others.includes(unnamed); n++) unnamed = `another-namespace-${n}`;
    const judged = [...others, this.namespace, unnamed].map((namespace) => ({
      namespace,
      explanation: judge(this.index, { kind: 'namespace', namespace }, destination),
    }));
    const verdicts = new Set(judged.map((j) => j.explanation.verdict));
    const named = judged.filter((j) => j.namespace !== unnamed);
    if (verdicts.size === 1) {
      const { explanation } = named[0];
      this.edges.push({ ...this.edge('route', from.id, to, explanation, explanation.results), backend: backend.label });
      return from.id;
    }
    const allowed = named.filter((j) => j.explanation.verdict === 'allowed');
    const shown = allowed[0] ?? named.find((j) => j.explanation.verdict !== 'denied') ?? named[0];
    const edge = this.edge('route', from.id, to, shown.explanation, shown.explanation.results);
    const who = router.ref.kind === 'Ingress' ? 'ingress controller' : 'Gateway';
    const where = allowed.map((j) => namespaceSourceName(j.namespace)).join(', ');
    const reason = allowed.length > 0 ? `allowed from ${where} only: depends on where the ${who} runs` : `depends on where the ${who} runs`;
    this.edges.push({ ...edge, backend: backend.label, verdict: 'unknown', reason, findings: [] });
    return from.id;
  }

  /** The ServiceMonitor endpoints that name a Service port of the map, and the PodMonitor endpoints that name a container port. */
  private monitorRefs(services: ServiceNode[]): void {
    const servicePorts = new Map<ServicePort, ServicePortNode>();
    for (const service of this.index.services(this.namespace)) {
      const node = services.find((s) => s.uri === service.ref.uri && s.range === service.ref.range);
      service.ports.forEach((port, i) => node && servicePorts.set(port, node.ports[i]));
    }
    for (const monitor of this.index.monitorsLookingAt(this.namespace)) {
      monitor.endpoints.forEach((endpoint, i) => {
        const { kind, name, namespace, uri } = monitor.ref;
        const written = endpoint.port ?? endpoint.targetPort ?? endpoint.portNumber;
        const ref = {
          kind,
          name,
          namespace: namespace ?? null,
          label: `endpoint ${i + 1}`,
          uri,
          range: written?.range ?? monitor.ref.nameRange,
        };
        const targets = monitorTargets(this.index, monitor, endpoint);
        for (const { port } of targets.servicePorts) servicePorts.get(port)?.refs.push(ref);
        for (const { port } of targets.podPorts) if (port.declared) this.portNodes.get(port.declared)?.refs.push(ref);
      });
    }
  }

  private serviceNode(service: Service): ServiceNode {
    const id = this.ids.take(`Service/${service.ref.name}`);
    const { uri, range, nameRange } = service.ref;
    const ports = service.ports.map((port) => this.servicePortNode(service, id, port));
    this.unmatchedBackends(service, id);
    const findings = this.findingsIn(
      uri,
      range,
      service.ports.map((p) => p.range),
    );
    const selector = service.selector !== undefined;
    return { id, name: service.ref.name, type: service.type || 'ClusterIP', selector, uri, range, nameRange, ports, findings };
  }

  private servicePortNode(service: Service, serviceId: string, port: ServicePort): ServicePortNode {
    const target = targetOf(port);
    const node: ServicePortNode = {
      id: this.ids.take(`${serviceId}:${port.port.value}/${port.protocol}`),
      label: portLabel(port.port.value, port.protocol, port.name?.value),
      name: port.name?.value ?? null,
      port: port.port.value,
      protocol: port.protocol,
      targetPort: target.kind === 'number' ? target.number : target.name,
      destination: servicePortName(service, port),
      uri: service.ref.uri,
      range: port.range,
      reach: {},
      refs: [],
      findings: this.findingsIn(service.ref.uri, port.range),
    };
    node.refs = this.routerRefs(service, port, node);
    if (!service.selector) return node;
    const destination = { kind: 'service' as const, service, port };
    const main = lensSource(service);
    for (const source of this.sourcesOf(service, main)) {
      const explanation = judge(this.index, source, destination);
      const from = this.sourceNode(source);
      this.edges.push(this.edge('reach', from.id, node.id, explanation, explanation.results));
      if (source.kind === 'external') node.reach.external = explanation.verdict;
      else if (from.own) node.reach.namespace = explanation.verdict;
      if (sourceName(source) === sourceName(main)) this.forwardEdges(node, explanation);
    }
    return node;
  }

  /**
   * Who a Service port is judged from: outside the cluster when a LoadBalancer or NodePort
   * exposes it, its own namespace always, and the other namespaces that the ingress rules of
   * the policies on its pods name.
   */
  private sourcesOf(service: Service, main: Source): Source[] {
    const sources: Source[] = [main];
    if (main.kind === 'external') sources.push({ kind: 'namespace', namespace: this.namespace });
    for (const name of this.otherNamespaces(service)) sources.push({ kind: 'namespace', namespace: name });
    return sources;
  }

  /** The other namespaces the ingress rules of the policies on the Service's pods name (at most MAX_OTHER_NAMESPACES). */
  private otherNamespaces(service: Service): string[] {
    const others = new Set<string>();
    const pods = this.index.podsSelectedByMap(service.selector!.value, service.ref.namespace);
    for (const policy of new Set(pods.flatMap((pod) => ingressPoliciesOf(this.index, pod)))) {
      for (const name of this.namespacesNamedBy(policy)) others.add(name);
    }
    return [...others].sort().slice(0, MAX_OTHER_NAMESPACES);
  }

  private namespacesNamedBy(policy: NetworkPolicy): string[] {
    let names = this.peerNamespaces.get(policy);
    if (names) return names;
    const found = new Set<string>();
    for (const peer of policy.ingress.flatMap((rule) => rule.peers ?? [])) {
      if (!peer.namespaceSelector) continue;
      for (const name of this.index.namespacesSelectedBy(peer.namespaceSelector) ?? []) if (name !== this.namespace) found.add(name);
    }
    this.peerNamespaces.set(policy, (names = [...found]));
    return names;
  }

  private sourceNode(source: Source): SourceNode {
    const name = sourceName(source);
    let node = this.sources.get(name);
    if (node) return node;
    if (source.kind === 'namespace') {
      const own = source.namespace === this.namespace;
      this.knownNamespaces ??= new Set(this.index.namespaceNames());
      const known = this.knownNamespaces.has(source.namespace);
      const label = `${own ? 'namespace ' : ''}${source.namespace ?? '(unspecified)'}${own ? ' (every pod)' : ''}`;
      const id = this.ids.take(`source:${namespaceSourceName(source.namespace)}`);
      node = { id, kind: 'namespace', name, label, namespace: source.namespace ?? null, own, inWorkspace: known };
    } else {
      const label = 'external (outside the cluster)';
      node = { id: this.ids.take('source:external'), kind: 'external', name, label, namespace: null, own: false, inWorkspace: false };
    }
    this.sources.set(name, node);
    return node;
  }

  /** One edge per pod template the Service port sends to, coloured by that pod's verdict. */
  private forwardEdges(port: ServicePortNode, explanation: Judged): void {
    const order = (r: DestinationResult) => this.podNodes.get(r.hop.pod)?.id ?? '';
    for (const result of [...explanation.results].sort((a, b) => order(a).localeCompare(order(b)))) {
      const pod = this.podNodes.get(result.hop.pod);
      if (!pod) continue;
      const to = result.hop.port ? this.containerPortNode(pod, result.hop.port) : pod;
      const verdict = result.endpoint ? result.verdict : 'denied';
      this.edges.push(this.edge('forward', port.id, to.id, { ...explanation, verdict, results: [result] }, [result]));
    }
  }

  /** The node of the pod port a hop arrives on: the declared one, or one made for an undeclared number. */
  private containerPortNode(pod: PodNode, port: KnownPort): ContainerPortNode {
    if (port.declared) {
      const node = this.portNodes.get(port.declared);
      if (node) return node;
    }
    const existing = pod.ports.find((p) => !p.declared && p.number === port.number && p.protocol === port.protocol);
    if (existing) return existing;
    const node: ContainerPortNode = {
      id: this.ids.take(`${pod.id}:${port.number}/${port.protocol}`),
      label: `${portLabel(port.number, port.protocol)} (declared by no container)`,
      number: port.number,
      name: null,
      protocol: port.protocol,
      container: null,
      declared: false,
      uri: pod.uri,
      range: pod.nameRange,
      refs: [],
      findings: [],
    };
    pod.ports.push(node);
    return node;
  }

  private edge(kind: MapEdge['kind'], from: string, to: string, explanation: Judged, results: DestinationResult[]): MapEdge {
    const { verdict } = explanation;
    const fallback = results[0]?.reason ?? explanation.notes[0] ?? 'no pod template to judge';
    const reason = results.some((r) => r.endpoint) ? shortReason(explanation) : fallback;
    return {
      id: this.ids.take(`${from}->${to}`),
      kind,
      from,
      to,
      verdict,
      policies: [...decidingPolicies(results, verdict), ...this.notEvaluated(results, verdict)],
      reason,
      explain: { from: explanation.from, to: explanation.to },
      findings: verdict === 'denied' ? this.closingFindings(results) : [],
    };
  }

  /** The Cilium and Calico policies that make an unknown verdict unknown (explain does not evaluate them). */
  private notEvaluated(results: DestinationResult[], verdict: Verdict): string[] {
    if (verdict !== 'unknown') return [];
    const names = new Set<string>();
    for (const result of results) {
      if (!result.notEvaluated || result.verdict !== 'unknown') continue;
      for (const policy of dialectPoliciesSelecting(this.index, result.hop.pod, 'Ingress')) names.add(policy.ref.name);
    }
    return [...names].sort();
  }

  /** The findings on port entries of rules that admit the source but not the pod port: the seed mistake's signature. */
  private closingFindings(results: DestinationResult[]): MapFinding[] {
    const found = new Map<string, MapFinding>();
    for (const result of results) {
      for (const side of [result.ingress, result.egress]) {
        if (side?.verdict !== 'denied') continue;
        for (const rule of side.policies.flatMap((p) => p.rules)) {
          if (rule.peerAdmits !== 'yes' || rule.portAdmits) continue;
          for (const entry of rule.rule.ports ?? []) {
            for (const finding of this.findingsIn(rule.policy.ref.uri, entry.range)) {
              found.set(JSON.stringify([finding.uri, finding.range, finding.code]), finding);
            }
          }
        }
      }
    }
    return [...found.values()];
  }
}

/** The policies that decide a verdict: those that admit, those that isolate and admit nothing, those that may admit. */
function decidingPolicies(results: DestinationResult[], verdict: Verdict): string[] {
  const names = new Set<string>();
  for (const result of results) {
    if (!result.endpoint || result.verdict !== verdict) continue;
    const sides = [result.ingress, result.egress].filter((s): s is SideJudgement => s !== undefined && s.verdict === verdict);
    for (const side of sides) {
      if (verdict === 'denied') side.policies.forEach((p) => names.add(p.policy.ref.name));
      else {
        const admits = verdict === 'allowed' ? 'yes' : 'unknown';
        side.policies.filter((p) => p.admits === admits).forEach((p) => names.add(p.policy.ref.name));
      }
    }
  }
  return [...names].sort();
}

function portLabel(number: number, protocol: string, name?: string): string {
  return `${name ? `${name} ` : ''}${number}/${protocol}`;
}

function mapFinding(finding: Finding): MapFinding {
  return { uri: finding.uri, range: finding.range, code: finding.code, severity: finding.severity, message: finding.message };
}

/** A Kustomize world's map with every place moved from the built output to the file that wrote it. */
export function relocateMap(map: PortMap, relocate: (uri: string, range: Range) => Place | undefined): PortMap {
  const move = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(move);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = move(v);
    const { uri, range, nameRange } = value as { uri?: unknown; range?: Range; nameRange?: Range };
    if (typeof uri !== 'string' || !range) return out;
    const at = relocate(uri, range);
    if (at) Object.assign(out, { uri: at.uri, range: at.range });
    const name = nameRange && relocate(uri, nameRange);
    if (name && name.uri === out.uri) out.nameRange = name.range;
    return out;
  };
  return move(map) as PortMap;
}
