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
export const DEFAULT_PROTOCOL: Protocol = 'TCP';

/** A port written as a number or as a (container port) name. */
export type PortRef = { kind: 'number'; number: number } | { kind: 'name'; name: string };

export type WorkloadKind =
  | 'Pod'
  | 'Deployment'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob';

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
  name?: Located<string>;
  protocol: Protocol;
  range: Range;
}

export interface PodTemplate {
  ref: ObjectRef;
  labels: Map<string, string>;
  ports: ContainerPort[];
  hostNetwork: boolean;
}

export interface ServicePort {
  name?: Located<string>;
  port: Located<number>;
  /** Absent means "same as port". */
  targetPort?: Located<PortRef>;
  nodePort?: Located<number>;
  protocol: Protocol;
  range: Range;
}

export interface Service {
  ref: ObjectRef;
  type: string;
  /** Undefined: no selector, endpoints are managed by hand and the Service is not judged. */
  selector: Located<Map<string, string>> | undefined;
  ports: ServicePort[];
}

export interface PolicyPort {
  port?: Located<PortRef>;
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
  namespaces: NamespaceObject[];
  errors: ModelError[];
  /** `# port-lens: ignore …` comments (absent: none). */
  suppressions?: SuppressionComment[];
}
