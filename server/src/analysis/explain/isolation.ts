import type { IpBlock, LabelSelector, NetworkPolicy, PodTemplate, PolicyPeer, PolicyPort, PolicyRule } from '../../model/manifest';
import { joinAnd, objectName } from '../index/describe';
import { entryAdmits, formatKnownPort, matcherOf, type KnownPort } from '../index/podPorts';
import { NAMESPACE_NAME_LABEL, describeSelector, isEmptySelector, requirementMatches, selectorMatches } from '../index/selectors';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { portEntryText } from '../../model/portText';

/**
 * Who a peer is matched against: a pod template, "any pod of a namespace" (only label-free
 * peers admit every pod of it), or a client outside the cluster.
 */
export type Subject = { kind: 'pod'; pod: PodTemplate } | { kind: 'anyPod'; namespace: string | undefined } | { kind: 'external' };

export type Admission = 'yes' | 'no' | 'unknown';

export interface PeerMatch {
  admits: Admission;
  reason: string;
}

export interface RuleJudgement {
  policy: NetworkPolicy;
  rule: PolicyRule;
  /** 1-based, as people count rules. */
  number: number;
  admits: Admission;
  /** Do the rule's ports admit the pod port? */
  portAdmits: boolean;
  /** Do the rule's peers admit the subject? */
  peerAdmits: Admission;
  reason: string;
}

export interface PolicyJudgement {
  policy: NetworkPolicy;
  rules: RuleJudgement[];
  admits: Admission;
}

export type Verdict = 'allowed' | 'denied' | 'unknown';

/** One direction of the connection at one end: the policies that isolate that pod, and their decision. */
export interface SideJudgement {
  direction: 'ingress' | 'egress';
  judged: boolean;
  policies: PolicyJudgement[];
  verdict: Verdict;
  reason: string;
  /** Policies that isolate only some pods of a namespace source. */
  notes: string[];
}

export const subjectName = (subject: Subject): string =>
  subject.kind === 'external'
    ? 'clients outside the cluster'
    : subject.kind === 'pod'
      ? objectName(subject.pod.ref)
      : `every pod of namespace ${subject.namespace ?? '(unspecified)'}`;

/**
 * Ingress at the destination pod: the policies selecting it with `Ingress` in their policyTypes
 * (explicit or implied) isolate it, and the union of their rules decides.
 */
export function judgeIngress(index: WorkspaceIndex, destination: PodTemplate, port: KnownPort, source: Subject): SideJudgement {
  const policies = ingressPoliciesOf(index, destination);
  const what = `${formatKnownPort(port)} from ${subjectName(source)}`;
  return decide(
    'ingress',
    objectName(destination.ref),
    what,
    policies.map((policy) => judgePolicy(index, policy, policy.ingress, port, source)),
    [],
  );
}

/** The policies that isolate a pod for ingress: they select it and have `Ingress` among their policyTypes. */
export function ingressPoliciesOf(index: WorkspaceIndex, pod: PodTemplate): NetworkPolicy[] {
  return [...index.policies(pod.ref.namespace)].filter(
    (p) => p.policyTypes.includes('Ingress') && selectorMatches(p.podSelector, pod.labels),
  );
}

/** Does the rule's `ports` admit this pod port? (No `ports`: every port.) */
export function rulePortAdmits(rule: PolicyRule, port: KnownPort): boolean {
  return !rule.ports || rule.ports.some((entry) => entryAdmits(matcherOf(entry), port));
}

/** Egress at the source, for traffic to `port` of the destination pod (the port after the Service's translation). */
export function judgeEgress(index: WorkspaceIndex, source: Subject, destination: PodTemplate, port: KnownPort): SideJudgement {
  if (source.kind === 'external')
    return {
      direction: 'egress',
      judged: false,
      policies: [],
      verdict: 'allowed',
      reason: 'not judged for traffic from outside the cluster',
      notes: [],
    };
  // Every pod of a namespace gets through only when each of its pod templates does.
  const templates = source.kind === 'anyPod' ? [...index.pods(source.namespace)] : [];
  if (templates.length > 0) return everyPod(templates.map((pod) => judgeEgress(index, { kind: 'pod', pod }, destination, port)));
  const namespace = source.kind === 'pod' ? source.pod.ref.namespace : source.namespace;
  const egressPolicies = [...index.policies(namespace)].filter((p) => p.policyTypes.includes('Egress'));
  const notes: string[] = [];
  const isolating = egressPolicies.filter((p) => {
    if (source.kind === 'pod') return selectorMatches(p.podSelector, source.pod.labels);
    if (isEmptySelector(p.podSelector)) return true;
    notes.push(
      `NetworkPolicy ${p.ref.name} isolates egress of some pods of the namespace (${describeSelector(p.podSelector)}); this answer ` +
        `holds for the pods it does not select`,
    );
    return false;
  });
  const who = source.kind === 'pod' ? objectName(source.pod.ref) : subjectName(source);
  const what = `${formatKnownPort(port)} to ${objectName(destination.ref)}`;
  return decide(
    'egress',
    who,
    what,
    isolating.map((policy) => judgePolicy(index, policy, policy.egress, port, { kind: 'pod', pod: destination })),
    notes,
  );
}

/** The egress of every pod template of a namespace: denied if any is, unknown if any is, else allowed. */
function everyPod(sides: SideJudgement[]): SideJudgement {
  const decisive = sides.find((s) => s.verdict === 'denied') ?? sides.find((s) => s.verdict === 'unknown');
  const policies = [...new Map(sides.flatMap((s) => s.policies).map((p) => [p.policy, p])).values()];
  if (decisive) return { ...decisive, policies };
  const reason = joinAnd([...new Set(sides.map((s) => s.reason))]);
  return { direction: 'egress', judged: true, policies, verdict: 'allowed', reason, notes: [] };
}

function decide(direction: 'ingress' | 'egress', who: string, what: string, policies: PolicyJudgement[], notes: string[]): SideJudgement {
  const base = { direction, judged: true, policies, notes };
  if (policies.length === 0) return { ...base, verdict: 'allowed', reason: `no NetworkPolicy isolates ${who} for ${direction}` };
  const admitting = policies.flatMap((p) => p.rules.filter((r) => r.admits === 'yes'));
  if (admitting.length > 0) return { ...base, verdict: 'allowed', reason: `${ruleName(admitting[0])} admits ${what}` };
  const unsure = policies.flatMap((p) => p.rules.filter((r) => r.admits === 'unknown'));
  if (unsure.length > 0) return { ...base, verdict: 'unknown', reason: `${ruleName(unsure[0])} may admit ${what}: ${unsure[0].reason}` };
  const names = joinAnd(policies.map((p) => p.policy.ref.name));
  return {
    ...base,
    verdict: 'denied',
    reason:
      `${policies.length === 1 ? `NetworkPolicy ${names} isolates` : `NetworkPolicies ${names} isolate`} ${who} for ${direction} ` +
      `and no rule admits ${what}`,
  };
}

export const ruleName = (r: RuleJudgement) => `NetworkPolicy ${r.policy.ref.name} ${r.rule.direction} rule ${r.number}`;

function judgePolicy(index: WorkspaceIndex, policy: NetworkPolicy, rules: PolicyRule[], port: KnownPort, peer: Subject): PolicyJudgement {
  const judged = rules.map((rule, i) => judgeRule(index, policy, rule, i + 1, port, peer));
  const admits: Admission = judged.some((r) => r.admits === 'yes') ? 'yes' : judged.some((r) => r.admits === 'unknown') ? 'unknown' : 'no';
  return { policy, rules: judged, admits };
}

/** The entries of a rule as written: `80/TCP`, `"ssh"/TCP`, `8000-8080/TCP`. */
export const entryText = (entry: PolicyPort): string => portEntryText(entry);

function judgeRule(
  index: WorkspaceIndex,
  policy: NetworkPolicy,
  rule: PolicyRule,
  number: number,
  port: KnownPort,
  peer: Subject,
): RuleJudgement {
  const portAdmits = rulePortAdmits(rule, port);
  const ports = rule.ports ? `on ${joinAnd(rule.ports.map(entryText))}` : 'on every port';
  const peerMatch = matchPeers(index, policy, rule, peer);
  const base = { policy, rule, number, portAdmits, peerAdmits: peerMatch.admits };
  const admits: Admission = portAdmits ? peerMatch.admits : 'no';
  return { ...base, admits, reason: `${peerMatch.reason}; ${ports}${portAdmits ? '' : ` — not ${formatKnownPort(port)}`}` };
}

function matchPeers(index: WorkspaceIndex, policy: NetworkPolicy, rule: PolicyRule, subject: Subject): PeerMatch {
  const side = rule.direction === 'ingress' ? 'source' : 'destination';
  if (!rule.peers) return { admits: 'yes', reason: `admits every ${side} (no ${rule.direction === 'ingress' ? 'from' : 'to'})` };
  const matches = rule.peers.map((peer) => peerAdmits(index, policy, peer, subject));
  const hit = matches.find((m) => m.admits === 'yes') ?? matches.find((m) => m.admits === 'unknown');
  if (hit) return hit;
  return {
    admits: 'no',
    reason:
      matches.length === 1
        ? matches[0].reason
        : `none of its ${matches.length} peers admits ${subjectName(subject)} (${matches.map((m) => m.reason).join('; ')})`,
  };
}

/**
 * One peer against one subject. A podSelector and a namespaceSelector in the same peer must both
 * match (AND); separate peers are alternatives (OR, in matchPeers).
 */
export function peerAdmits(index: WorkspaceIndex, policy: NetworkPolicy, peer: PolicyPeer, subject: Subject): PeerMatch {
  if (peer.ipBlock) return ipBlockAdmits(peer.ipBlock, subject);
  if (!peer.podSelector && !peer.namespaceSelector) return { admits: 'no', reason: 'an empty peer selects nothing' };
  if (subject.kind === 'external') return { admits: 'no', reason: 'a peer with selectors picks pods, never clients outside the cluster' };
  const namespace = subject.kind === 'pod' ? subject.pod.ref.namespace : subject.namespace;
  const inNamespace = namespaceMatches(index, policy, peer.namespaceSelector, namespace);
  if (inNamespace.admits === 'no') return inNamespace;
  const pods = podMatches(peer.podSelector, subject);
  if (pods.admits === 'no') return pods;
  if (inNamespace.admits === 'unknown') return inNamespace;
  return {
    admits: 'yes',
    reason:
      peer.podSelector && peer.namespaceSelector
        ? `${inNamespace.reason} and ${pods.reason}`
        : peer.namespaceSelector
          ? inNamespace.reason
          : pods.reason,
  };
}

function namespaceMatches(
  index: WorkspaceIndex,
  policy: NetworkPolicy,
  selector: LabelSelector | undefined,
  namespace: string | undefined,
): PeerMatch {
  const shown = namespace ?? '(unspecified)';
  if (!selector) {
    return namespace === policy.ref.namespace
      ? { admits: 'yes', reason: `namespace ${shown} is the policy's own` }
      : {
          admits: 'no',
          reason:
            `a podSelector without namespaceSelector picks pods of namespace ${policy.ref.namespace ?? '(unspecified)'} only, not ` +
            `${shown}`,
        };
  }
  const described = `namespaceSelector (${describeSelector(selector)})`;
  if (isEmptySelector(selector)) return { admits: 'yes', reason: `${described} picks every namespace` };
  if (namespace === undefined)
    return { admits: 'unknown', reason: `the namespace of objects that name none is unknown, so ${described} cannot be judged` };
  const labels = index.namespaceLabels(namespace);
  // The name label is always known; a requirement on it that fails settles the question.
  const byName = [...selector.matchLabels].filter(([k]) => k === NAMESPACE_NAME_LABEL);
  const nameFails =
    byName.some(([, v]) => v !== namespace) ||
    selector.matchExpressions.some((r) => r.key === NAMESPACE_NAME_LABEL && !requirementMatches(r, labels));
  if (nameFails) return { admits: 'no', reason: `${described} does not pick namespace ${namespace}` };
  const onlyName = [...selector.matchLabels.keys(), ...selector.matchExpressions.map((r) => r.key)].every(
    (k) => k === NAMESPACE_NAME_LABEL,
  );
  if (!onlyName && !index.hasNamespaceObject(namespace)) {
    return {
      admits: 'unknown',
      reason: `namespace ${namespace} is not in the workspace (no Namespace object), so whether ${described} picks it is unknown`,
    };
  }
  return selectorMatches(selector, labels)
    ? { admits: 'yes', reason: `${described} picks namespace ${namespace}` }
    : { admits: 'no', reason: `${described} does not pick namespace ${namespace}` };
}

function podMatches(selector: LabelSelector | undefined, subject: Subject & { kind: 'pod' | 'anyPod' }): PeerMatch {
  if (!selector) return { admits: 'yes', reason: 'every pod of it' };
  const described = `podSelector (${describeSelector(selector)})`;
  if (subject.kind === 'anyPod') {
    return isEmptySelector(selector)
      ? { admits: 'yes', reason: `${described} picks every pod` }
      : { admits: 'no', reason: `${described} picks only some pods of the namespace, not every pod` };
  }
  return selectorMatches(selector, subject.pod.labels)
    ? { admits: 'yes', reason: `${described} picks ${objectName(subject.pod.ref)}` }
    : { admits: 'no', reason: `${described} does not pick ${objectName(subject.pod.ref)}` };
}

/**
 * An ipBlock admits clients outside the cluster when its CIDR is the whole address space of its
 * family (0.0.0.0/0, ::/0) and no `except` is too; any narrower block admits only some clients,
 * which the workspace cannot tell apart. Pod addresses are not in the workspace, so whether an
 * ipBlock covers a pod is unknown.
 */
function ipBlockAdmits(block: IpBlock, subject: Subject): PeerMatch {
  const cidr = `ipBlock ${block.cidr}${block.except.length > 0 ? ` except ${block.except.join(', ')}` : ''}`;
  if (subject.kind !== 'external')
    return {
      admits: 'unknown',
      reason: `whether ${cidr} covers pod addresses depends on the cluster's pod network, which the workspace does not describe`,
    };
  if (!isWholeSpace(block.cidr)) return { admits: 'unknown', reason: `${cidr} admits only clients with those addresses` };
  if (block.except.some(isWholeSpace)) return { admits: 'no', reason: `${cidr} excepts every address` };
  const excepts = block.except.length > 0 ? ` (but not clients in ${block.except.join(', ')})` : '';
  return { admits: 'yes', reason: `${cidr} covers every address outside the cluster${excepts}` };
}

function isWholeSpace(cidr: string): boolean {
  const [address, prefix] = cidr.trim().split('/');
  return prefix !== undefined && Number(prefix) === 0 && address.length > 0;
}
