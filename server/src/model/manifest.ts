import type { Position, Range } from './source';
import type { SuppressedCode, SuppressionComment } from './suppressionComments';

/** A value read from YAML together with where it is written. */
export interface Located<T> {
  value: T;
  range: Range;
  /** The scalar's content (inside quotes, if any): what a fix replaces. */
  valueRange: Range;
  /** The value is a string because of how it is written: quoted (`"5432"` is a name to Kubernetes, not a number) or tagged `!!str`. */
  quoted: boolean;
  /** Written with an explicit `!!str` tag, which `range` includes. */
  stringTag?: boolean;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** The protocols Kubernetes accepts in a port (the API server rejects any other). */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
export const isProtocol = (value: string): value is Protocol => (PROTOCOLS as readonly string[]).includes(value);
export const DEFAULT_PROTOCOL: Protocol = 'TCP';

/** A port written as a number or as a (container port) name. */
export type PortRef = { kind: 'number'; number: number } | { kind: 'name'; name: string };

export type WorkloadKind = 'Pod' | 'Deployment' | 'ReplicaSet' | 'ReplicationController' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

/** Identity and location of one Kubernetes object in one file. */
export interface ObjectRef {
  kind: string;
  name: string;
  /** Undefined when the manifest names no namespace (all such objects share one namespace). */
  namespace: string | undefined;
  uri: string;
  /** Range of `metadata.name` (or of the object when it has none). */
  nameRange: Range;
  /** Range of the whole object. */
  range: Range;
  /** Helm's `# Source:` template path written before the document, if any. */
  helmSource?: string;
  /** The codes its `port-lens.io/ignore` annotation silences for the whole object. */
  ignore?: SuppressedCode[];
}

export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export interface LabelSelector {
  matchLabels: Map<string, string>;
  matchExpressions: LabelRequirement[];
  range: Range;
}

export interface ContainerPort {
  container: string;
  containerPort: Located<number>;
  /** The node port forwarded to this one (`hostPort`), when written. */
  hostPort?: Located<number>;
  name?: Located<string>;
  protocol: Protocol;
  range: Range;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** A liveness, readiness or startup probe that names a port: `httpGet.port`, `tcpSocket.port` or `grpc.port`. */
export interface Probe {
  container: string;
  kind: ProbeKind;
  handler: 'httpGet' | 'tcpSocket' | 'grpc';
  port: Located<PortRef>;
}

export interface PodTemplate {
  ref: ObjectRef;
  labels: Map<string, string>;
  ports: ContainerPort[];
  /** Ports of ordinary (non-sidecar) init containers: they serve nothing while the pod runs. */
  initPorts: ContainerPort[];
  hostNetwork: boolean;
  /** The port-naming probes of its containers (and sidecars), in order. */
  probes: Probe[];
}

export interface ServicePort {
  name?: Located<string>;
  port: Located<number>;
  /** Absent means "same as port". */
  targetPort?: Located<PortRef>;
  nodePort?: Located<number>;
  protocol: Protocol;
  range: Range;
  /** Where a new key of the entry goes: insert `prefix + "key: value"` at `at`. */
  keyInsertion?: { at: Position; prefix: string };
}

export interface Service {
  ref: ObjectRef;
  /** `metadata.labels`: what a ServiceMonitor selects. */
  labels: Map<string, string>;
  type: string;
  /** Undefined: no selector, endpoints are managed by hand and the Service is not judged. */
  selector: Located<Map<string, string>> | undefined;
  ports: ServicePort[];
}

export interface PolicyPort {
  port?: Located<PortRef>;
  /** The `port` key when it is written with no value (`- port:`): the entry then admits every port. */
  portNull?: Range;
  endPort?: Located<number>;
  protocol: Protocol;
  protocolValue?: Located<string>;
  range: Range;
  /** What to delete to remove the entry from its list, where that can be done cleanly. */
  removal?: Range;
  /** Where a new key of the entry goes: insert `prefix + "key: value"` at `at`. */
  keyInsertion?: { at: Position; prefix: string };
}

export interface IpBlock {
  cidr: string;
  except: string[];
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
  range: Range;
}

/** A key Kubernetes drops because it belongs at another level of the policy. */
export interface MisplacedField {
  key: string;
  keyRange: Range;
  /** Where it was written. */
  within: 'port entry' | 'peer' | 'rule';
  /** Line starts to un-indent by `width` to move the key (and its value) up to the rule, when that is unambiguous. */
  dedent?: { lines: Position[]; width: number };
}

export interface PolicyRule {
  direction: 'ingress' | 'egress';
  /** The `ports` key when it is present but null or empty: the rule then admits every port. */
  portsEmpty?: Range;
  misplaced: MisplacedField[];
  /** Undefined: `from`/`to` absent, every peer is admitted. */
  peers: PolicyPeer[] | undefined;
  /** Undefined: `ports` absent, every port is admitted. */
  ports: PolicyPort[] | undefined;
  range: Range;
}

export interface NetworkPolicy {
  ref: ObjectRef;
  podSelector: LabelSelector;
  policyTypes: Array<'Ingress' | 'Egress'>;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  /** The `ingress`/`egress` keys of rules a written `policyTypes` leaves out: Kubernetes ignores those rules. */
  ignored: Array<{ direction: 'ingress' | 'egress'; keyRange: Range }>;
}

/**
 * One reference to a Service port: an Ingress backend (`backend.service`, `defaultBackend.service`)
 * or a Gateway API route's `backendRefs[]` entry of kind Service.
 */
export interface ServiceBackend {
  /** `metadata.name` of the Service. */
  service: Located<string>;
  /** The backendRef's `namespace`, when written; otherwise the Service is in the router's own (see backendNamespace). */
  namespace?: string;
  /** Ingress: `port.number` or `port.name`; route: `port` (a number). Absent when not written. */
  port?: Located<PortRef>;
  /** How people name the backend: the Ingress path (`/api`), `default backend`, or the route rule (`rule 1`). */
  label: string;
}

/** An object that sends traffic to Service ports: an Ingress (networking.k8s.io/v1) or a Gateway API route. */
export interface Router {
  ref: ObjectRef;
  backends: ServiceBackend[];
}

/** Where a backend's Service is looked up: the backendRef's `namespace`, else the router's own (Helm's release namespace included). */
export function backendNamespace(router: Router, backend: ServiceBackend): string | undefined {
  return backend.namespace ?? router.ref.namespace;
}

/** A `namespaceSelector` of a prometheus-operator monitor: absent means the monitor's own namespace. */
export type MonitorNamespaces = { kind: 'own' } | { kind: 'any' } | { kind: 'names'; names: string[] };

/** One scrape endpoint of a ServiceMonitor (`endpoints[]`) or a PodMonitor (`podMetricsEndpoints[]`). */
export interface MonitorEndpoint {
  /** ServiceMonitor: a Service port name; PodMonitor: a container port name. */
  port?: Located<string>;
  /** Deprecated in both: the pod port, as a number or a name. */
  targetPort?: Located<PortRef>;
  /** PodMonitor only: the container port number. */
  portNumber?: Located<number>;
}

/** A prometheus-operator ServiceMonitor or PodMonitor (monitoring.coreos.com/v1). */
export interface Monitor {
  ref: ObjectRef;
  /** ServiceMonitor: selects Services by their labels; PodMonitor: pods by their template labels. */
  selects: 'services' | 'pods';
  selector: LabelSelector;
  namespaces: MonitorNamespaces;
  endpoints: MonitorEndpoint[];
}

/** The policy languages of network plugins read beside Kubernetes' own (SPEC §11). */
export type Dialect = 'Cilium' | 'Calico';

/** Cilium's `ANY` (its default): TCP, UDP and SCTP alike. */
export type EntryProtocol = Protocol | 'ANY';

/** A port entry of a policy rule in any dialect, as the port rules judge it (a NetworkPolicy's `PolicyPort` is one). */
export interface PortEntry {
  /** Undefined: every port of the protocol. */
  port?: Located<PortRef>;
  endPort?: Located<number>;
  protocol: EntryProtocol;
  protocolValue?: Located<string>;
  /** The protocol is written once for the whole rule (Calico): changing it changes every port of the rule. */
  ruleProtocol?: boolean;
  range: Range;
  removal?: Range;
  keyInsertion?: { at: Position; prefix: string };
}

/**
 * The pods a Cilium or Calico selector picks: alternatives (OR) of label selectors (AND), with the
 * pod's namespace as the label `POD_NAMESPACE_LABEL` (Cilium's `k8s:io.kubernetes.pod.namespace`,
 * Calico's `projectcalico.org/namespace`).
 */
export interface DialectSelector {
  /** As written, for messages and hovers. */
  text: string;
  range: Range;
  /** Undefined: the selector uses a label source or test the workspace cannot resolve (`reserved:host`, `contains`): not judged. */
  alternatives: LabelSelector[] | undefined;
  /**
   * Where the pods may live: only the policy's namespace; the policy's namespace unless the
   * selector names others by the namespace label (a namespaced Cilium policy's peers); or anywhere.
   */
  scope: 'policy' | 'policy-or-named' | 'cluster';
  /** Calico's `namespaceSelector`: the namespaces (by their labels) the pods may live in. */
  namespaces?: DialectSelector;
}

export interface DialectRule {
  direction: 'ingress' | 'egress';
  /** 1-based position in its list, as people count rules. */
  number: number;
  /** Undefined: every port. */
  ports: PortEntry[] | undefined;
  /**
   * Egress: the selectors of the destination pods; undefined when the rule reaches beyond what the
   * workspace can resolve (no peer, CIDRs, entities, FQDNs, Services) and is not judged.
   */
  peers: DialectSelector[] | undefined;
  /** Ingress: the rule applies only to the selected pods this also picks (Calico's `destination.selector`). */
  within?: DialectSelector;
  /** The rule's ports are not judged (an ingress rule narrowed by addresses, a deny or log action, …). */
  notJudged?: boolean;
  range: Range;
}

/** A CiliumNetworkPolicy (one per item of `specs`), CiliumClusterwideNetworkPolicy, or Calico (Global)NetworkPolicy. */
export interface DialectPolicy {
  ref: ObjectRef;
  dialect: Dialect;
  /** 0-based item of a Cilium `specs` list, when the policy has several. */
  specIndex?: number;
  /** The pods the policy applies to; where it is not written, `range` is where it would be. */
  selector: DialectSelector;
  /** The directions the policy has a say in (Calico's `types`; Cilium's ingress and egress sections, deny ones included). */
  directions: Array<'Ingress' | 'Egress'>;
  ingress: DialectRule[];
  egress: DialectRule[];
}

export interface NamespaceObject {
  ref: ObjectRef;
  labels: Map<string, string>;
}

/** A problem with the file itself: broken YAML, a value of the wrong type, or a chart helm could not render. */
export interface ModelError {
  message: string;
  range: Range;
  kind: 'syntax' | 'type' | 'render';
  /** Only for `render`: helm is missing, so nothing failed that the user must fix. */
  severity?: 'information';
  /** Only for `render`: the template line helm's message names. */
  at?: { uri: string; range: Range };
}

/** Everything one file contributes to the workspace. */
export interface FileModel {
  uri: string;
  pods: PodTemplate[];
  services: Service[];
  policies: NetworkPolicy[];
  /** Cilium and Calico policies. */
  dialectPolicies: DialectPolicy[];
  namespaces: NamespaceObject[];
  /** Ingresses and Gateway API routes. */
  routers: Router[];
  /** ServiceMonitors and PodMonitors. */
  monitors: Monitor[];
  errors: ModelError[];
  /** `# port-lens: ignore …` comments (absent: none). */
  suppressions?: SuppressionComment[];
}

/** An empty model of a file. */
export function emptyModel(uri: string): FileModel {
  return { uri, pods: [], services: [], policies: [], dialectPolicies: [], namespaces: [], routers: [], monitors: [], errors: [] };
}

/** Every object of a file, of every kind. */
export function objectsOf(model: FileModel): Array<{ ref: ObjectRef }> {
  return [
    ...model.pods,
    ...model.services,
    ...model.policies,
    ...model.dialectPolicies,
    ...model.namespaces,
    ...model.routers,
    ...model.monitors,
  ];
}
