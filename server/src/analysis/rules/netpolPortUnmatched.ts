import type { EntryProtocol, Located, PortEntry, PortRef, Protocol, Service } from '../../model/manifest';
import type { Range } from '../../model/source';
import { policyKind, protocolsOf, type PortPolicy, type PortRule } from './portPolicy';
import { isValidPolicyPort } from './structure/validity';
import { firstRows, podRows } from './related';
import { joinAnd, objectName, podNames, qualifiedName, servedPorts } from '../index/describe';
import { changeValue, removeEntry, nearNames } from '../fixes/edits';
import { capitalize, message } from './messages';
import type { Finding, Fix, RelatedLocation } from './findings';
import { entryAdmits, matcherOf, servicesSelecting, targetOf, type PodPorts } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { protocolMismatch } from './netpolProtocolMismatch';
import { numberScope, tiered, type Tier } from './tiers';
import { portEntryText } from '../../model/portText';

/**
 * A port that receives the number written in a policy and forwards it elsewhere: a Service's port
 * or nodePort, or a container's hostPort.
 */
interface Forwarding {
  via: 'port' | 'nodePort' | 'hostPort';
  /** `Service shop/web`, `container traefik of DaemonSet traefik/traefik` */
  owner: string;
  /** Where the forwarded number is written. */
  at: { uri: string; range: Range };
  targets: Array<{ number: number; name?: string; pod: PodPorts }>;
}

/**
 * `netpol-port-unmatched` (ingress) and `netpol-egress-port-unmatched` (egress): one port entry of
 * a policy rule of any dialect against the pods its ports apply to (the selected pods, or the rule's
 * destinations). Undefined when the entry matches, or is not judged.
 */
export function judgePortEntry(
  index: WorkspaceIndex,
  policy: PortPolicy,
  rule: PortRule,
  entry: PortEntry,
  pods: PodPorts[],
): Finding | undefined {
  const port = entry.port;
  // An invalid entry gets port-value-invalid and nothing else.
  if (!port || !isValidPolicyPort(entry)) return undefined;
  const wanted = matcherOf(entry);
  if (pods.some((pod) => pod.ports.some((p) => entryAdmits(wanted, p)))) return undefined;

  const ctx = new EntryContext(policy, rule, entry, port, pods);
  const value = port.value;
  const scope = numberScope(pods);
  if (value.kind === 'number' && scope === 'none') return undefined;

  // A pod that declares the port under another protocol shows what the entry was meant for.
  const otherProtocol = pods.flatMap((pod) =>
    pod.ports.filter((p) => p.protocol !== entry.protocol && entryAdmits({ ...wanted, protocol: p.protocol }, p)),
  );
  if (otherProtocol.length > 0) {
    const serving = pods.filter((pod) => pod.ports.some((p) => otherProtocol.includes(p)));
    const served = joinAnd([...new Set(otherProtocol.map((p) => `${p.number}/${p.protocol}`))]);
    return protocolMismatch(policy, rule, entry, ctx.written, pods, otherProtocol, ctx.related(serving, `serving ${served}`));
  }
  // Names exist only where declared, so a name is judged even against pods that declare nothing.
  if (value.kind === 'name') return ctx.unknownName(value.name);

  // Pods that declare no ports give no evidence either way: they never hide the classic mistake.
  if (entry.endPort === undefined) {
    const forwardings = forwardingsOf(index, pods, value.number, entry.protocol);
    if (forwardings.length > 0) return ctx.forwarded(forwardings);
  }
  return scope === 'all' ? ctx.undeclaredNumber() : undefined;
}

/** The Service ports (port or nodePort) and hostPorts of these pods that take `number` and forward it to another port. */
function forwardingsOf(index: WorkspaceIndex, pods: PodPorts[], number: number, protocol: EntryProtocol): Forwarding[] {
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
      if (!protocolsOf(protocol).includes(servicePort.protocol)) continue;
      const via = servicePort.port.value === number ? 'port' : servicePort.nodePort?.value === number ? 'nodePort' : undefined;
      if (!via) continue;
      const target = targetOf(servicePort);
      const targets = servicePods.flatMap((pod) => targetsIn(target, servicePort.protocol, pod)).filter((t) => t.number !== number);
      const at = { uri: service.ref.uri, range: (via === 'port' ? servicePort.port : servicePort.nodePort!).range };
      if (targets.length > 0) result.push({ via, owner: `Service ${qualifiedName(service.ref)}`, at, targets });
    }
  }
  // A hostPort is the same kind of forward: the node's port to the container's.
  for (const pod of pods) {
    for (const p of pod.ports) {
      const declared = p.declared;
      if (!declared?.hostPort || declared.hostPort.value !== number || p.number === number || !protocolsOf(protocol).includes(p.protocol))
        continue;
      const owner = `container ${declared.container} of ${objectName(pod.pod.ref)}`;
      const at = { uri: pod.pod.ref.uri, range: declared.hostPort.range };
      result.push({ via: 'hostPort', owner, at, targets: [{ number: p.number, name: p.name, pod }] });
    }
  }
  return result;
}

function targetsIn(target: PortRef, protocol: Protocol, pod: PodPorts): Forwarding['targets'] {
  if (target.kind === 'name') {
    return pod.ports
      .filter((p) => p.declared && p.name === target.name && p.protocol === protocol)
      .map((p) => ({ number: p.number, name: p.name, pod }));
  }
  const declared = pod.ports.find((p) => p.declared && p.number === target.number && p.protocol === protocol);
  return [{ number: target.number, name: declared?.name, pod }];
}

/** Does another entry of the same rule already admit `number` on these pods? */
function ruleAdmits(rule: PortRule, self: PortEntry, number: number, protocol: EntryProtocol, pods: PodPorts[]): boolean {
  const wanted = protocolsOf(protocol);
  return (rule.ports ?? []).some((other) => {
    if (other === self || !protocolsOf(other.protocol).some((p) => wanted.includes(p))) return false;
    const ref = other.port?.value;
    if (!ref) return true;
    if (ref.kind === 'number') return number >= ref.number && number <= (other.endPort?.value ?? ref.number);
    return pods.some((pod) =>
      pod.ports.some((p) => p.declared && p.name === ref.name && p.number === number && wanted.includes(p.protocol)),
    );
  });
}

/** Builds the finding for one port entry, phrased for its direction. */
class EntryContext {
  readonly code;
  readonly uri: string;

  constructor(
    readonly policy: PortPolicy,
    readonly rule: PortRule,
    readonly entry: PortEntry,
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
    if (this.entry.endPort) return `Ports ${portEntryText(this.entry)}`;
    if (value.kind === 'name') return `Port name "${value.name}" (${this.entry.protocol === 'ANY' ? 'any protocol' : this.entry.protocol})`;
    return `Port ${portEntryText(this.entry)}`;
  }

  /** One row per kind of pod template, labelled for the direction: the ports of an egress rule are the destination's. */
  related(pods = this.pods, detail = ''): RelatedLocation[] {
    const label = this.rule.direction === 'ingress' ? 'selected pods' : 'destination pods';
    return podRows(
      pods.map((pod) => pod.pod.ref),
      detail ? `${label} ${detail}` : label,
    );
  }

  finding(tier: Tier, message: string, fixes: Fix[], related = this.related()): Finding {
    return tiered(tier, { uri: this.uri, range: this.port.range, code: this.code, message, related, fixes });
  }

  unknownName(name: string): Finding {
    const declared = this.pods.flatMap((pod) => pod.ports.filter((p) => p.declared && p.name).map((p) => p.name!));
    const fixes: Fix[] = nearNames(name, declared).map((candidate) => ({
      title: `Change port name "${name}" to "${candidate}"`,
      isPreferred: false,
      edits: [changeValue(this.uri, this.port, candidate)],
    }));
    const guess = fixes.length === 1 ? `did you mean "${fixes[0].edits[0].newText}"?` : undefined;
    const point = `No selected pod declares a port named "${name}"`;
    return this.finding(
      'evidence',
      message(
        point,
        guess ?? `they serve ${servedPorts(this.pods)}`,
        `This entry admits nothing: a port name exists only where a container declares it. ${capitalize(this.podsPhrase)} serve ` +
          `${servedPorts(this.pods)}.`,
      ),
      fixes,
    );
  }

  undeclaredNumber(): Finding {
    return this.finding(
      'possible',
      message(
        `${this.written} is declared by no selected pod`,
        `they serve ${servedPorts(this.pods)}`,
        `A process may listen on a port it does not declare; if not, this entry admits nothing. ${capitalize(this.podsPhrase)} serve ` +
          `${servedPorts(this.pods)}.`,
      ),
      [],
    );
  }

  forwarded(forwardings: Forwarding[]): Finding {
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
        return `the ${f.via} of ${f.owner}, which forwards it to ${to}`;
      }),
    );
    const kinds = joinAnd([...new Set(forwardings.map((f) => (f.via === 'hostPort' ? 'host ports' : 'Service ports')))]).replace(
      ' and ',
      ' or ',
    );
    const via = forwardings.every((f) => f.via === 'hostPort')
      ? 'host port'
      : forwardings.every((f) => f.via === 'nodePort')
        ? 'nodePort'
        : 'Service port';
    const owners = forwardings.map((f) => f.owner.replace(/^Service /, ''));
    const of = owners.length === 1 ? owners[0] : `${owners[0]} and ${owners.length - 1} more`;
    const lesson =
      `It is ${chain}. ${policyKind(this.policy)} ports are pod ports, not ${kinds}: ${this.podsPhrase} serve ` +
      `${servedPorts(this.pods)}.`;
    // The forwards a fix names come first; the others are only counted.
    const named = new Set(notAdmitted.map((target) => targets.get(target)!.services[0]));
    const ordered = [...forwardings.filter((f) => named.has(f)), ...forwardings.filter((f) => !named.has(f))];
    const forwardRows = ordered.map((f) => ({
      ...f.at,
      message: `${f.owner} forwards ${number} → ${[...new Set(f.targets.map((t) => t.number))].join(', ')}`,
    }));
    const noun = forwardings.every((f) => f.via === 'hostPort')
      ? 'host port'
      : forwardings.some((f) => f.via === 'hostPort')
        ? 'forward'
        : 'Service';
    const related: RelatedLocation[] = [...firstRows(forwardRows, Math.max(1, named.size), noun), ...this.related()];
    if (notAdmitted.length === 0) {
      const admitted = joinAnd([...targets.keys()].map(String));
      const fix = removeEntry(this.uri, this.entry);
      return this.finding(
        'dead',
        message(
          `${this.written} is the ${via} of ${of}, and this rule already admits its target${targets.size === 1 ? '' : 's'} ${admitted}: ` +
            `remove it`,
          undefined,
          lesson,
        ),
        fix ? [{ title: `Remove port entry ${number} (the rule already admits ${admitted})`, isPreferred: false, edits: [fix] }] : [],
        related,
      );
    }
    const fixes: Fix[] = [];
    for (const target of notAdmitted) {
      const slot = targets.get(target)!;
      const via = slot.services[0];
      fixes.push({
        title:
          `Change port ${number} to ${target} (${via.via === 'hostPort' ? `hostPort ${number} of ${via.owner}` : via.owner} ` +
          `forwards ${number} → ${target})`,
        isPreferred: notAdmitted.length === 1,
        edits: [changeValue(this.uri, this.port, String(target))],
      });
    }
    // A name resolves per pod, so one named entry may admit several targets at once.
    const names = new Set(notAdmitted.flatMap((target) => [...targets.get(target)!.names]));
    for (const name of names) {
      fixes.push({
        title: `Change port ${number} to the named port "${name}"`,
        isPreferred: false,
        edits: [changeValue(this.uri, this.port, name)],
      });
    }
    const admittedTargets = [...targets.keys()].filter((t) => !notAdmitted.includes(t));
    const partial =
      admittedTargets.length > 0
        ? ` This rule admits ${joinAnd(admittedTargets.map(String))} but not ${joinAnd(notAdmitted.map(String))}.`
        : '';
    const point = `${this.written} is the ${via} of ${of}; the pods listen on ${joinAnd(notAdmitted.map(String))}`;
    return this.finding('classic', message(point, undefined, `${lesson}${partial}`), fixes, related);
  }
}
