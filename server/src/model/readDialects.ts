import type { Node, YAMLMap } from 'yaml';
import { CALICO_GROUPS, CILIUM_GROUPS, groupOf } from './apiGroups';
import { parseCalicoSelector } from './calicoSelector';
import type {
  DialectPolicy,
  DialectRule,
  DialectSelector,
  EntryProtocol,
  FileModel,
  LabelRequirement,
  LabelSelector,
  Located,
  ObjectRef,
  PortEntry,
} from './manifest';
import { readSelector, removalSpan } from './parse';
import type { Range } from './source';
import type { YamlReader } from './yamlReader';

/** The pod's namespace, as a label of the pod (Cilium's own name for it, without its `k8s:` source). */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
/** Calico gives every Kubernetes pod this label with the value `k8s`. */
export const CALICO_ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
export const CALICO_KINDS = ['NetworkPolicy', 'GlobalNetworkPolicy'];

/** Is `apiVersion` the API group of this Cilium or Calico kind? */
export function isDialectGroup(kind: string, apiVersion: string): boolean {
  const group = groupOf(apiVersion.trim());
  if (CILIUM_KINDS.includes(kind)) return CILIUM_GROUPS.includes(group);
  if (CALICO_KINDS.includes(kind)) return CALICO_GROUPS.includes(group);
  return false;
}

// ---------------------------------------------------------------- Cilium

/** A Cilium label key without its source (`k8s:app` → `app`); undefined for a source or key the workspace cannot resolve. */
function ciliumKey(key: string): string | undefined {
  const colon = key.indexOf(':');
  const source = colon === -1 ? 'any' : key.slice(0, colon);
  const name = colon === -1 ? key : key.slice(colon + 1);
  if (source !== 'k8s' && source !== 'any') return undefined; // reserved:, cidr:, fqdn:, container:, …
  if (name === POD_NAMESPACE_LABEL) return POD_NAMESPACE_LABEL;
  // Service accounts, namespace labels and clusters are labels the workspace's pods do not carry.
  if (name.startsWith('io.cilium.') || name.startsWith('io.kubernetes.')) return undefined;
  return name;
}

function describeCilium(selector: LabelSelector): string {
  const parts = [...selector.matchLabels].map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions) {
    if (req.operator === 'Exists') parts.push(req.key);
    else if (req.operator === 'DoesNotExist') parts.push(`!${req.key}`);
    else parts.push(`${req.key} ${req.operator === 'In' ? 'in' : 'notin'} (${req.values.join(', ')})`);
  }
  return parts.length === 0 ? '{}' : parts.join(', ');
}

function ciliumSelector(
  r: YamlReader,
  node: Node | undefined,
  what: string,
  fallback: Node,
  scope: DialectSelector['scope'],
): DialectSelector {
  const written = readSelector(r, node, what, fallback);
  const text = describeCilium(written);
  const matchLabels = new Map<string, string>();
  const matchExpressions: LabelRequirement[] = [];
  let supported = true;
  for (const [key, value] of written.matchLabels) {
    const mapped = ciliumKey(key);
    if (mapped === undefined) supported = false;
    // `k8s:app` and `any:app` may both be written: both must hold.
    else if (matchLabels.has(mapped) && matchLabels.get(mapped) !== value)
      matchExpressions.push({ key: mapped, operator: 'In', values: [value] });
    else matchLabels.set(mapped, value);
  }
  for (const req of written.matchExpressions) {
    const mapped = ciliumKey(req.key);
    if (mapped === undefined) supported = false;
    else matchExpressions.push({ ...req, key: mapped });
  }
  return {
    text,
    range: written.range,
    alternatives: supported ? [{ matchLabels, matchExpressions, range: written.range }] : undefined,
    scope,
  };
}

/** CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy: `spec` and each item of `specs` is a policy of its own. */
export function readCiliumPolicy(r: YamlReader, object: YAMLMap, ref: ObjectRef, model: FileModel): void {
  const clusterwide = ref.kind === 'CiliumClusterwideNetworkPolicy';
  const spec = r.map(r.get(object, 'spec'), 'spec');
  if (spec) readCiliumSpec(r, spec, ref, clusterwide, undefined, model);
  r.items(r.seq(r.get(object, 'specs'), 'specs')).forEach((item, i) => {
    const map = r.map(item, 'an item of specs');
    if (map) readCiliumSpec(r, map, ref, clusterwide, i, model);
  });
}

/** Keys of a Cilium egress rule that reach beyond the workspace's pods. */
const CILIUM_OUTSIDE = ['toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toServices', 'toGroups', 'toNodes'];

function readCiliumSpec(
  r: YamlReader,
  spec: YAMLMap,
  ref: ObjectRef,
  clusterwide: boolean,
  specIndex: number | undefined,
  model: FileModel,
): void {
  const selectorNode = r.get(spec, 'endpointSelector');
  // A spec with a nodeSelector (or neither) is a host policy: it applies to nodes, not pods.
  if (selectorNode === undefined) return;
  const selector = ciliumSelector(r, selectorNode, 'endpointSelector', spec, clusterwide ? 'cluster' : 'policy');
  const peerScope = clusterwide ? 'cluster' : 'policy-or-named';
  const rules = (direction: 'ingress' | 'egress'): DialectRule[] =>
    r.items(r.seq(r.get(spec, direction), direction)).flatMap((node, i) => {
      const rule = r.map(node, `a ${direction} rule`);
      if (!rule) return [];
      const portRules = r.items(r.seq(r.get(rule, 'toPorts'), 'toPorts'));
      const ports = portRules.length === 0 ? undefined : portRules.flatMap((p) => readCiliumPorts(r, r.map(p, 'a toPorts item')));
      const result: DialectRule = { direction, number: i + 1, ports, peers: undefined, range: r.range(node) };
      if (direction === 'egress') {
        const outside = CILIUM_OUTSIDE.some((key) => r.get(rule, key) !== undefined);
        const endpoints = r.items(r.seq(r.get(rule, 'toEndpoints'), 'toEndpoints'));
        if (!outside && endpoints.length > 0) result.peers = endpoints.map((e) => ciliumSelector(r, e, 'toEndpoints', e, peerScope));
      }
      return [result];
    });
  const directions: DialectPolicy['directions'] = [];
  if (r.get(spec, 'ingress') !== undefined || r.get(spec, 'ingressDeny') !== undefined) directions.push('Ingress');
  if (r.get(spec, 'egress') !== undefined || r.get(spec, 'egressDeny') !== undefined) directions.push('Egress');
  const policy: DialectPolicy = { ref, dialect: 'Cilium', selector, directions, ingress: rules('ingress'), egress: rules('egress') };
  if (specIndex !== undefined) policy.specIndex = specIndex;
  model.dialectPolicies.push(policy);
}

const CILIUM_PROTOCOLS: Record<string, EntryProtocol> = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP', ANY: 'ANY', '': 'ANY' };

function readCiliumPorts(r: YamlReader, portRule: YAMLMap | undefined): PortEntry[] {
  const entries: PortEntry[] = [];
  for (const node of r.items(r.seq(r.get(portRule, 'ports'), 'ports'))) {
    const map = r.map(node, 'a Cilium port');
    if (!map) continue;
    const protocolValue = r.string(r.get(map, 'protocol'), 'protocol');
    const protocol = CILIUM_PROTOCOLS[protocolValue?.value.toUpperCase() ?? ''];
    if (!protocol) continue; // ICMP, VRRP, …: no ports to judge
    const entry: PortEntry = { protocol, range: r.range(node) };
    if (protocolValue) entry.protocolValue = protocolValue;
    const removal = removalSpan(r.source.text, r.span(node));
    if (removal) entry.removal = r.source.range(removal);
    const written = r.string(r.get(map, 'port'), 'port');
    if (written) {
      const port = portOf(written, (name) => name.toLowerCase()); // Cilium compares port names in lower case
      if (port === undefined) continue; // the API server rejects it
      if (port.value.kind === 'name' || port.value.number !== 0) entry.port = port; // "0": every port
    }
    const endPort = r.integer(r.get(map, 'endPort'), 'endPort');
    // An endPort is ignored with a named port, and means nothing at or below the port.
    if (endPort && entry.port?.value.kind === 'number' && endPort.value > entry.port.value.number) entry.endPort = endPort;
    entries.push(entry);
  }
  return entries;
}

/** A port as Cilium and Calico write it, a number (quoted or not) or a name; undefined when it is neither. */
function portOf(written: Located<string>, name: (text: string) => string): PortEntry['port'] | undefined {
  const text = written.value.trim();
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    return number <= 65535 ? { ...written, value: { kind: 'number', number } } : undefined;
  }
  return /^[A-Za-z0-9-]+$/.test(text) && /[A-Za-z]/.test(text) ? { ...written, value: { kind: 'name', name: name(text) } } : undefined;
}

// ---------------------------------------------------------------- Calico

/** Calico's protocol numbers for the protocols with ports. */
const CALICO_PROTOCOLS: Record<string, 'TCP' | 'UDP' | 'SCTP'> = {
  TCP: 'TCP',
  UDP: 'UDP',
  SCTP: 'SCTP',
  '6': 'TCP',
  '17': 'UDP',
  '132': 'SCTP',
};

/** Keys of a Calico pod selector the workspace's pods do not carry (service account and namespace labels Calico adds). */
function calicoPodKey(key: string): string | undefined {
  if (key === 'projectcalico.org/namespace') return POD_NAMESPACE_LABEL;
  if (key === CALICO_ORCHESTRATOR_LABEL) return key;
  if (key.startsWith('projectcalico.org/') || key.startsWith('pcns.') || key.startsWith('pcsa.')) return undefined;
  return key;
}

function calicoNamespaceKey(key: string): string | undefined {
  if (key === 'projectcalico.org/name') return NAMESPACE_NAME_LABEL;
  return key.startsWith('projectcalico.org/') ? undefined : key;
}

/**
 * A Calico selector expression: parsed, its keys mapped, or undefined alternatives when it cannot
 * be judged. An expression that does not parse is reported once, at the character that breaks it.
 */
function calicoSelector(
  r: YamlReader,
  node: Node | undefined,
  what: string,
  fallback: Range,
  scope: DialectSelector['scope'],
  mapKey: (key: string) => string | undefined,
): DialectSelector {
  const written = r.string(node, what);
  const text = written?.value ?? '';
  const range = written?.range ?? fallback;
  const parsed = parseCalicoSelector(text);
  if (!parsed.ok) {
    const message = `This Calico ${what} does not parse: ${parsed.message}. Calico rejects the policy, so it is not checked.`;
    r.errors.push({ message, range: errorRange(r, written, parsed.at) ?? range, kind: 'type' });
    return { text, range, alternatives: undefined, scope };
  }
  if (!parsed.alternatives) return { text, range, alternatives: undefined, scope };
  const alternatives: LabelSelector[] = [];
  for (const reqs of parsed.alternatives) {
    const mapped = reqs.map((req) => ({ ...req, key: mapKey(req.key) }));
    if (mapped.some((req) => req.key === undefined)) return { text, range, alternatives: undefined, scope };
    const selector = conjunction(mapped as LabelRequirement[], range);
    if (selector) alternatives.push(selector);
  }
  return { text, range, alternatives, scope };
}

/** The requirements as one label selector (single-value `In` as matchLabels, for the label index); null when they contradict. */
function conjunction(reqs: LabelRequirement[], range: Range): LabelSelector | null {
  const matchLabels = new Map<string, string>();
  const matchExpressions: LabelRequirement[] = [];
  for (const req of reqs) {
    if (req.operator === 'In' && req.values.length === 1) {
      const existing = matchLabels.get(req.key);
      if (existing !== undefined && existing !== req.values[0]) return null;
      matchLabels.set(req.key, req.values[0]);
    } else matchExpressions.push(req);
  }
  return { matchLabels, matchExpressions, range };
}

/** The one character of the selector where parsing failed, when the scalar is written as it reads. */
function errorRange(r: YamlReader, written: Located<string> | undefined, at: number): Range | undefined {
  if (!written) return undefined;
  const start = r.source.offset(written.valueRange.start);
  const end = r.source.offset(written.valueRange.end);
  if (r.source.text.slice(start, end) !== written.value) return undefined;
  const from = Math.min(start + at, Math.max(start, end - 1));
  return r.source.range({ start: from, end: Math.min(end, from + 1) });
}

/** Keys of a Calico rule's `destination` that narrow it to addresses, accounts or Services the workspace cannot resolve. */
const CALICO_OUTSIDE = ['nets', 'notNets', 'notSelector', 'serviceAccounts', 'services', 'domains'];

/** Calico NetworkPolicy and GlobalNetworkPolicy (`projectcalico.org/v3`). */
export function readCalicoPolicy(r: YamlReader, object: YAMLMap, ref: ObjectRef, model: FileModel): void {
  const spec = r.map(r.get(object, 'spec'), 'spec');
  if (!spec) return;
  const global = ref.kind === 'GlobalNetworkPolicy';
  // Host-endpoint policies (untracked, before DNAT) never apply to pods.
  if (r.get(spec, 'doNotTrack') !== undefined || r.get(spec, 'preDNAT') !== undefined) return;
  const podScope = global ? 'cluster' : 'policy';
  const fallback = r.range(r.keyNode(spec, 'selector') ?? (r.keyNode(object, 'spec') as Node | undefined) ?? object);
  const selector = calicoSelector(r, r.get(spec, 'selector'), 'selector', fallback, podScope, calicoPodKey);
  const namespaceSelector = r.get(spec, 'namespaceSelector');
  if (global && namespaceSelector !== undefined) {
    selector.namespaces = calicoSelector(r, namespaceSelector, 'namespaceSelector', fallback, 'cluster', calicoNamespaceKey);
  }
  // Service accounts are not in the workspace's pod templates: the pods cannot be told.
  if (r.get(spec, 'serviceAccountSelector') !== undefined) selector.alternatives = undefined;
  const types = r.items(r.seq(r.get(spec, 'types'), 'types')).map((t) => r.string(t, 'a policy type')?.value);
  // Without types: Ingress, and Egress when there are egress rules (as Calico defaults them).
  const directions: DialectPolicy['directions'] =
    types.length > 0 ? (['Ingress', 'Egress'] as const).filter((t) => types.includes(t)) : ['Ingress'];
  if (types.length === 0 && r.items(r.seq(r.get(spec, 'egress'), 'egress')).length > 0) directions.push('Egress');
  const rules = (direction: 'ingress' | 'egress'): DialectRule[] => {
    if (types.length > 0 && !types.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return []; // rules Calico ignores
    return r.items(r.seq(r.get(spec, direction), direction)).flatMap((node, i) => {
      const rule = r.map(node, `a ${direction} rule`);
      return rule ? [readCalicoRule(r, rule, node, direction, i + 1, global)] : [];
    });
  };
  model.dialectPolicies.push({ ref, dialect: 'Calico', selector, directions, ingress: rules('ingress'), egress: rules('egress') });
}

function readCalicoRule(
  r: YamlReader,
  rule: YAMLMap,
  node: Node,
  direction: 'ingress' | 'egress',
  number: number,
  global: boolean,
): DialectRule {
  const result: DialectRule = { direction, number, ports: undefined, peers: undefined, range: r.range(node) };
  const action = r.string(r.get(rule, 'action'), 'action')?.value;
  const destination = r.map(r.get(rule, 'destination'), 'destination');
  const protocolValue = r.string(r.get(rule, 'protocol'), 'protocol');
  const protocol = protocolValue && CALICO_PROTOCOLS[protocolValue.value.toUpperCase()];
  const portNodes = r.items(r.seq(r.get(destination, 'ports'), 'destination.ports'));
  // Only Allow rules admit; a Deny on the wrong port is another story (fixing it would block traffic that flows today).
  if (action !== 'Allow' || r.get(rule, 'notProtocol') !== undefined) result.notJudged = true;
  if (portNodes.length > 0) {
    // Ports need a protocol with ports (Calico rejects them otherwise).
    if (!protocol || !protocolValue) result.notJudged = true;
    else result.ports = portNodes.flatMap((p) => calicoPort(r, p, protocol, protocolValue));
  }
  const outside = CALICO_OUTSIDE.some((key) => r.get(destination, key) !== undefined);
  const selectorNode = r.get(destination, 'selector');
  const namespaceNode = r.get(destination, 'namespaceSelector');
  const range = r.range(node);
  if (direction === 'ingress') {
    // The destination of an ingress rule narrows the selected pods the rule applies to.
    if (outside || namespaceNode !== undefined) result.notJudged = true;
    else if (selectorNode !== undefined)
      result.within = calicoSelector(r, selectorNode, 'destination.selector', range, 'cluster', calicoPodKey);
    return result;
  }
  if (outside || selectorNode === undefined) return result;
  const peer = calicoSelector(
    r,
    selectorNode,
    'destination.selector',
    range,
    namespaceNode !== undefined || global ? 'cluster' : 'policy',
    calicoPodKey,
  );
  if (namespaceNode !== undefined)
    peer.namespaces = calicoSelector(r, namespaceNode, 'destination.namespaceSelector', range, 'cluster', calicoNamespaceKey);
  result.peers = [peer];
  return result;
}

function calicoPort(r: YamlReader, node: Node, protocol: 'TCP' | 'UDP' | 'SCTP', protocolValue: Located<string>): PortEntry[] {
  const written = r.string(node, 'a port');
  if (!written) return [];
  const entry: PortEntry = { protocol, protocolValue, ruleProtocol: true, range: r.range(node) };
  const removal = removalSpan(r.source.text, r.span(node));
  if (removal) entry.removal = r.source.range(removal);
  const range = /^(\d+):(\d+)$/.exec(written.value.trim());
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from < 1 || to > 65535 || to < from) return [];
    entry.port = { ...written, value: { kind: 'number', number: from } };
    if (to > from) entry.endPort = { ...written, value: to };
    return [entry];
  }
  const port = portOf(written, (name) => name);
  if (!port || (port.value.kind === 'number' && port.value.number < 1)) return [];
  entry.port = port;
  return [entry];
}
