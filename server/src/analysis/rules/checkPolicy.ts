import type { Located, NetworkPolicy, PodTemplate, PolicyPeer, PolicyPort, PolicyRule, PortRef, Protocol, Service, ServicePort } from '../../model/manifest';
import { joinAnd, objectName, podNames, qualifiedName, servedPorts } from '../index/describe';
import { changeValue, removeEntry, setProtocol, nearNames } from '../fixes/edits';
import type { Finding, Fix, RelatedLocation } from './findings';
import { entryAdmits, isValidPortName, matcherOf, podPorts, servicesSelecting, targetOf, type KnownPort, type PodPorts } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';

/** A Service port that receives the number written in a policy and forwards it elsewhere. */
interface Forwarding {
  service: Service;
  port: ServicePort;
  via: 'port' | 'nodePort';
  targets: Array<{ number: number; name?: string; pod: PodPorts }>;
}

/** The findings of one NetworkPolicy against the pods the workspace holds. */
export function checkPolicy(index: WorkspaceIndex, policy: NetworkPolicy): Finding[] {
  const findings: Finding[] = [];
  const selected = index.podsSelectedBy(policy.podSelector, policy.ref.namespace);
  if (selected.length === 0) {
    findings.push({
      uri: policy.ref.uri,
      range: policy.podSelector.range,
      severity: 'information',
      code: 'netpol-selects-nothing',
      message: `NetworkPolicy ${qualifiedName(policy.ref)} selects no pod template in the workspace, so its ports cannot be checked (the pods may come from an operator or be disabled).`,
      related: [],
      fixes: [],
    });
  } else {
    const pods = selected.map((pod) => podPorts(index, pod));
    for (const rule of policy.ingress) checkRule(index, policy, rule, pods, findings);
  }
  for (const rule of policy.egress) {
    const destinations = destinationPods(index, policy, rule);
    if (destinations) checkRule(index, policy, rule, destinations.map((pod) => podPorts(index, pod)), findings);
  }
  return findings;
}

/**
 * The pods an egress rule sends to, or undefined when any peer reaches beyond what the workspace
 * knows: no `to`, an ipBlock, a namespaceSelector alone or one that does not resolve, or a
 * selector that matches no pod here.
 */
export function destinationPods(index: WorkspaceIndex, policy: NetworkPolicy, rule: PolicyRule): PodTemplate[] | undefined {
  if (!rule.peers || rule.peers.length === 0) return undefined;
  const pods = new Set<PodTemplate>();
  for (const peer of rule.peers) {
    const peerPods = podsOfPeer(index, policy, peer);
    if (!peerPods || peerPods.length === 0) return undefined;
    peerPods.forEach((pod) => pods.add(pod));
  }
  return [...pods];
}

/** The pods a peer selects, or undefined when it reaches beyond what the workspace can resolve. */
export function podsOfPeer(index: WorkspaceIndex, policy: NetworkPolicy, peer: PolicyPeer): PodTemplate[] | undefined {
  if (peer.ipBlock || !peer.podSelector) return undefined;
  const namespaces = peer.namespaceSelector ? index.namespacesSelectedBy(peer.namespaceSelector) : [policy.ref.namespace];
  return namespaces?.flatMap((ns) => index.podsSelectedBy(peer.podSelector!, ns));
}

function checkRule(index: WorkspaceIndex, policy: NetworkPolicy, rule: PolicyRule, pods: PodPorts[], findings: Finding[]): void {
  for (const entry of rule.ports ?? []) {
    const finding = judgeEntry(index, policy, rule, entry, pods);
    if (finding) findings.push(finding);
  }
}

function judgeEntry(index: WorkspaceIndex, policy: NetworkPolicy, rule: PolicyRule, entry: PolicyPort, pods: PodPorts[]): Finding | undefined {
  const port = entry.port;
  if (!port) return undefined;
  const wanted = matcherOf(entry);
  if (pods.some((pod) => pod.ports.some((p) => entryAdmits(wanted, p)))) return undefined;

  const ctx = new EntryContext(policy, rule, entry, port, pods);
  const value = port.value;
  const isName = value.kind === 'name';
  // A hostNetwork pod listens on the node: its numbers are not judged.
  if (!isName && pods.some((pod) => pod.pod.hostNetwork)) return undefined;

  // A pod that declares the port under another protocol shows what the entry was meant for.
  const otherProtocol = pods.flatMap((pod) => pod.ports.filter((p) => p.protocol !== entry.protocol && entryAdmits({ ...wanted, protocol: p.protocol }, p)));
  if (otherProtocol.length > 0) return ctx.protocolMismatch(otherProtocol);
  // Names exist only where declared, so a name is judged even against pods that declare nothing.
  if (value.kind === 'name') return isValidPortName(value.name) ? ctx.unknownName(value.name) : undefined; // invalid: port-value-invalid says so
  if (pods.some((pod) => pod.unknown)) return undefined;

  if (entry.endPort === undefined) {
    const forwardings = forwardingsOf(index, pods, value.number, entry.protocol);
    if (forwardings.length > 0) return ctx.servicePort(forwardings);
  }
  return ctx.undeclaredNumber();
}

/** The Service ports of these pods that take `number` (as port or nodePort) and forward it to another port. */
function forwardingsOf(index: WorkspaceIndex, pods: PodPorts[], number: number, protocol: Protocol): Forwarding[] {
  const podsByService = new Map<Service, PodPorts[]>();
  for (const pod of pods) {
    for (const service of servicesSelecting(index, pod.pod)) {
      const list = podsByService.get(service) ?? [];
      list.push(pod);
      podsByService.set(service, list);
    }
  }
  const result: Forwarding[] = [];
  for (const [service, servicePods] of podsByService) {
    for (const servicePort of service.ports) {
      if (servicePort.protocol !== protocol) continue;
      const via = servicePort.port.value === number ? 'port' : servicePort.nodePort?.value === number ? 'nodePort' : undefined;
      if (!via) continue;
      const target = targetOf(servicePort);
      const targets = servicePods.flatMap((pod) => targetsIn(target, protocol, pod)).filter((t) => t.number !== number);
      if (targets.length > 0) result.push({ service, port: servicePort, via, targets });
    }
  }
  return result;
}

function targetsIn(target: PortRef, protocol: Protocol, pod: PodPorts): Forwarding['targets'] {
  if (target.kind === 'name') {
    return pod.ports.filter((p) => p.declared && p.name === target.name && p.protocol === protocol).map((p) => ({ number: p.number, name: p.name, pod }));
  }
  const declared = pod.ports.find((p) => p.declared && p.number === target.number && p.protocol === protocol);
  return [{ number: target.number, name: declared?.name, pod }];
}

/** Does another entry of the same rule already admit `number` on these pods? */
function ruleAdmits(rule: PolicyRule, self: PolicyPort, number: number, protocol: Protocol, pods: PodPorts[]): boolean {
  return (rule.ports ?? []).some((other) => {
    if (other === self || other.protocol !== protocol) return false;
    const ref = other.port?.value;
    if (!ref) return true;
    if (ref.kind === 'number') return number >= ref.number && number <= (other.endPort?.value ?? ref.number);
    return pods.some((pod) => pod.ports.some((p) => p.declared && p.name === ref.name && p.number === number && p.protocol === protocol));
  });
}

/** Builds the finding for one port entry, phrased for its direction. */
class EntryContext {
  readonly code;
  readonly uri: string;

  constructor(
    readonly policy: NetworkPolicy,
    readonly rule: PolicyRule,
    readonly entry: PolicyPort,
    readonly port: Located<PortRef>,
    readonly pods: PodPorts[],
  ) {
    this.code = rule.direction === 'ingress' ? ('netpol-port-unmatched' as const) : ('netpol-egress-port-unmatched' as const);
    this.uri = policy.ref.uri;
  }

  get podsPhrase(): string {
    const who = this.rule.direction === 'ingress' ? 'the pods this policy selects' : 'the pods this rule sends to';
    return `${who} (${podNames(this.pods)})`;
  }

  get written(): string {
    const value = this.port.value;
    const range = this.entry.endPort ? `${value.kind === 'number' ? value.number : value.name}-${this.entry.endPort.value}` : undefined;
    if (range) return `Ports ${range}/${this.entry.protocol}`;
    return value.kind === 'number' ? `Port ${value.number}/${this.entry.protocol}` : `Port name "${value.name}" (${this.entry.protocol})`;
  }

  related(pods = this.pods): RelatedLocation[] {
    return pods.map((pod) => ({ uri: pod.pod.ref.uri, range: pod.pod.ref.nameRange, message: `selected pods: ${objectName(pod.pod.ref)}` }));
  }

  protocolMismatch(matches: KnownPort[]): Finding {
    const protocols = [...new Set(matches.map((p) => p.protocol))];
    const implied = this.entry.protocolValue ? '' : ` (${this.entry.protocol} is implied when no protocol is written)`;
    const fixes: Fix[] = protocols.map((protocol) => ({
      title: `Change protocol to ${protocol}`,
      isPreferred: protocols.length === 1,
      edits: setProtocol(this.uri, this.entry, protocol),
    }));
    const owners = [...new Set(matches.map((p) => p.declared ? objectName(this.pods.find((pod) => pod.ports.includes(p))!.pod.ref) : ''))].filter(Boolean);
    return {
      uri: this.uri,
      range: this.entry.protocolValue?.range ?? this.port.range,
      severity: 'warning',
      code: 'netpol-protocol-mismatch',
      message: `${this.written}${implied} matches no container port; ${joinAnd(owners)} serve${owners.length === 1 ? 's' : ''} ${joinAnd([...new Set(matches.map((p) => `${p.number}/${p.protocol}${p.name ? ` "${p.name}"` : ''}`))])}.`,
      related: this.related(),
      fixes: fixes.filter((f) => f.edits.length > 0),
    };
  }

  unknownName(name: string): Finding {
    const declared = this.pods.flatMap((pod) => pod.ports.filter((p) => p.declared && p.name).map((p) => p.name!));
    const fixes: Fix[] = nearNames(name, declared).map((candidate) => ({
      title: `Change port name "${name}" to "${candidate}"`,
      isPreferred: false,
      edits: [changeValue(this.uri, this.port, candidate)],
    }));
    return {
      uri: this.uri,
      range: this.port.range,
      severity: 'warning',
      code: this.code,
      message: `No container of ${this.podsPhrase} declares a port named "${name}", so this entry admits nothing (a port name exists only where a container declares it). They serve ${servedPorts(this.pods)}.`,
      related: this.related(),
      fixes,
    };
  }

  undeclaredNumber(): Finding {
    return {
      uri: this.uri,
      range: this.port.range,
      severity: 'information',
      code: this.code,
      message: `${this.written} is declared by no container of ${this.podsPhrase}, which serve ${servedPorts(this.pods)}. A process may listen on a port it does not declare; if not, this entry admits nothing.`,
      related: this.related(),
      fixes: [],
    };
  }

  servicePort(forwardings: Forwarding[]): Finding {
    const number = (this.port.value as { number: number }).number;
    const protocol = this.entry.protocol;
    const targets = new Map<number, { names: Set<string>; services: Forwarding[] }>();
    for (const f of forwardings) {
      for (const t of f.targets) {
        const slot = targets.get(t.number) ?? { names: new Set<string>(), services: [] };
        if (t.name) slot.names.add(t.name);
        if (!slot.services.includes(f)) slot.services.push(f);
        targets.set(t.number, slot);
      }
    }
    const notAdmitted = [...targets.keys()].filter((t) => !ruleAdmits(this.rule, this.entry, t, protocol, this.pods)).sort((a, b) => a - b);
    const chain = joinAnd(
      forwardings.map((f) => {
        const to = [...new Set(f.targets.map((t) => t.number))].join(' or ');
        const via = f.via === 'nodePort' ? 'nodePort' : 'port';
        return `the ${via} of Service ${qualifiedName(f.service.ref)}, which forwards it to ${to}`;
      }),
    );
    const lesson = `NetworkPolicy ports are pod ports, not Service ports: ${this.podsPhrase} serve ${servedPorts(this.pods)}.`;
    const related: RelatedLocation[] = [
      ...forwardings.map((f) => ({ uri: f.service.ref.uri, range: f.port.port.range, message: `Service ${qualifiedName(f.service.ref)} forwards ${number} → ${f.targets.map((t) => t.number).join(', ')}` })),
      ...this.related(),
    ];
    if (notAdmitted.length === 0) {
      const admitted = joinAnd([...targets.keys()].map(String));
      const fix = removeEntry(this.uri, this.entry);
      return {
        uri: this.uri,
        range: this.port.range,
        severity: 'information',
        code: this.code,
        message: `${this.written} is ${chain}. This rule already admits ${admitted}, so the entry ${number} matches no pod port and can be removed. ${lesson}`,
        related,
        fixes: fix ? [{ title: `Remove port entry ${number} (the rule already admits ${admitted})`, isPreferred: false, edits: [fix] }] : [],
      };
    }
    const fixes: Fix[] = [];
    for (const target of notAdmitted) {
      const slot = targets.get(target)!;
      const via = slot.services[0];
      fixes.push({
        title: `Change port ${number} to ${target} (Service ${qualifiedName(via.service.ref)} forwards ${number} → ${target})`,
        isPreferred: notAdmitted.length === 1,
        edits: [changeValue(this.uri, this.port, String(target))],
      });
    }
    // A name resolves per pod, so one named entry may admit several targets at once.
    const names = new Set(notAdmitted.flatMap((target) => [...targets.get(target)!.names]));
    for (const name of names) {
      fixes.push({ title: `Change port ${number} to the named port "${name}"`, isPreferred: false, edits: [changeValue(this.uri, this.port, name)] });
    }
    const admittedTargets = [...targets.keys()].filter((t) => !notAdmitted.includes(t));
    const partial = admittedTargets.length > 0 ? ` This rule admits ${joinAnd(admittedTargets.map(String))} but not ${joinAnd(notAdmitted.map(String))}.` : '';
    return {
      uri: this.uri,
      range: this.port.range,
      severity: 'warning',
      code: this.code,
      message: `${this.written} is ${chain}. ${lesson}${partial}`,
      related,
      fixes,
    };
  }
}
