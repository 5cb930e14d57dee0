import type { DialectPolicy, PodTemplate, Service, ServicePort } from '../../model/manifest';
import { dialectPoliciesSelecting } from '../index/dialectSelection';
import { dialectPolicyName } from '../rules/dialectPolicy';
import { containsPosition } from '../../model/source';
import { objectName, qualifiedName } from '../index/describe';
import { destinationName, sourceName, type Destination, type Source } from './endpoints';
import { ingressPoliciesOf, judgeEgress, judgeIngress, rulePortAdmits, type SideJudgement, type Subject, type Verdict } from './isolation';
import { isEmptySelector, selectorMatches } from '../index/selectors';
import type { Finding, Fix } from '../rules/findings';
import { podPorts, resolveInPod, targetOf, type KnownPort } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';

/** How traffic reaches one destination pod template: through a Service port or straight to the pod. */
export interface Hop {
  pod: PodTemplate;
  service?: Service;
  servicePort?: ServicePort;
  /** The pod port the traffic arrives on; undefined when the target cannot be resolved in this pod. */
  port?: KnownPort;
  /** Why the traffic never reaches the pod, when it does not. */
  problem?: string;
}

export interface DestinationResult {
  hop: Hop;
  /** False for a pod the Service sends nothing (a named targetPort it does not declare): it does not count. */
  endpoint: boolean;
  verdict: Verdict;
  reason: string;
  ingress?: SideJudgement;
  egress?: SideJudgement;
  /** Cilium and Calico policies on the path, which make the verdict unknown: why, one line each. */
  notEvaluated?: string[];
}

export interface Explanation {
  from: string;
  to: string;
  source: Source;
  destination: Destination;
  verdict: Verdict;
  /** One per destination pod template. */
  results: DestinationResult[];
  /** Fixes of existing findings that would turn a denied result into an allowed one. */
  fixes: Fix[];
  notes: string[];
}

/** The findings of a file, as the caller reports them (with fixes retargeted to Helm templates, say). */
export type FindingsOf = (uri: string) => Finding[];

/** Would traffic from `source` reach `destination`, and if not, why? With the fixes that would let it. */
export function explain(index: WorkspaceIndex, findingsOf: FindingsOf, source: Source, destination: Destination): Explanation {
  const judged = judge(index, source, destination);
  return { ...judged, fixes: fixesFor(findingsOf, judged.results) };
}

/** The answer without fixes: all a verdict needs. */
export function judge(index: WorkspaceIndex, source: Source, destination: Destination): Omit<Explanation, 'fixes'> {
  const notes: string[] = [];
  const hops = hopsOf(index, destination, notes);
  if (
    source.kind === 'external' &&
    destination.kind === 'service' &&
    (destination.service.type === 'ClusterIP' || destination.service.type === '')
  ) {
    notes.push(
      `Service ${qualifiedName(destination.service.ref)} is ClusterIP: outside the cluster it is reachable only through an Ingress or ` +
        `externalIPs; this answer judges the NetworkPolicies alone`,
    );
  }
  if (destination.kind === 'service' && destination.via && source.kind === 'external') {
    const { router } = destination.via;
    const who = router.ref.kind === 'Ingress' ? 'the ingress controller' : 'the Gateway';
    notes.push(
      `${router.ref.kind} ${router.ref.name} is served by ${who}'s pods: traffic reaches the Service from their namespace (e.g. ` +
        `ingress-nginx/*), which is the source to give`,
    );
  }
  const subject = subjectOf(source);
  const results = hops.map((hop) => judgeHop(index, hop, subject));
  for (const result of results) for (const note of result.egress?.notes ?? []) if (!notes.includes(note)) notes.push(note);
  const ipBlocks = results.some((r) =>
    r.ingress?.policies.some((p) => p.rules.some((rule) => rule.rule.peers?.some((peer) => peer.ipBlock))),
  );
  if (source.kind === 'external' && ipBlocks) {
    notes.push(
      "an ipBlock sees the client's own address only where the Service keeps it (externalTrafficPolicy: Local); otherwise the source " +
        "may be a node's address",
    );
  }
  return {
    from: sourceName(source),
    to: destinationName(destination),
    source,
    destination,
    verdict: overall(results, notes),
    results,
    notes,
  };
}

/** The verdict alone, for many sources against one destination: its path is resolved once. */
export function verdictsTo(index: WorkspaceIndex, destination: Destination): (source: Source) => Verdict {
  const hops = hopsOf(index, destination, []);
  return (source) =>
    overall(
      hops.map((hop) => judgeHop(index, hop, subjectOf(source))),
      [],
    );
}

/**
 * The pod templates that may get through to `destination`: a superset of those whose verdict is
 * allowed, read from the ingress rules of one endpoint (a pod allowed to a Service is admitted at
 * every endpoint, by a rule whose ports admit the port and one of whose peers admits it for sure).
 * Undefined when every pod may: the endpoint is not isolated, or a rule admits every source.
 */
export function possibleSources(index: WorkspaceIndex, destination: Destination): PodTemplate[] | undefined {
  const endpoint = hopsOf(index, destination, []).find((hop) => hop.port && !hop.pod.hostNetwork);
  // No endpoint whose verdict can be allowed: a Service without one is never allowed.
  if (!endpoint) return [];
  const policies = ingressPoliciesOf(index, endpoint.pod);
  if (policies.length === 0) return undefined;
  const pods = new Set<PodTemplate>();
  for (const policy of policies) {
    for (const rule of policy.ingress) {
      if (!rulePortAdmits(rule, endpoint.port!)) continue;
      if (!rule.peers) return undefined;
      for (const peer of rule.peers) {
        // An ipBlock is never sure to admit a pod; an empty peer admits nothing.
        if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) continue;
        const selector = peer.namespaceSelector;
        const namespaces = !selector
          ? [policy.ref.namespace]
          : index
              .namespaceNames()
              .filter((ns) => isEmptySelector(selector) || (ns !== undefined && selectorMatches(selector, index.namespaceLabels(ns))));
        for (const ns of namespaces) {
          for (const pod of peer.podSelector ? index.podsSelectedBy(peer.podSelector, ns) : index.pods(ns)) pods.add(pod);
        }
      }
    }
  }
  return [...pods];
}

function subjectOf(source: Source): Subject {
  return source.kind === 'pod'
    ? { kind: 'pod', pod: source.pod }
    : source.kind === 'namespace'
      ? { kind: 'anyPod', namespace: source.namespace }
      : { kind: 'external' };
}

/**
 * Traffic is spread over the Service's endpoints: it gets through when it does to every one.
 * Pods that are no endpoint count only when there is none at all (then nothing answers).
 */
function overall(results: DestinationResult[], notes: string[]): Verdict {
  const endpoints = results.filter((r) => r.endpoint);
  if (results.length > 0 && endpoints.length === 0) {
    notes.push('the Service has no endpoint among the pod templates it selects: nothing answers');
    return 'denied';
  }
  if (endpoints.length === 0) return 'unknown';
  if (endpoints.some((r) => r.verdict === 'denied')) return 'denied';
  return endpoints.some((r) => r.verdict === 'unknown') ? 'unknown' : 'allowed';
}

function hopsOf(index: WorkspaceIndex, destination: Destination, notes: string[]): Hop[] {
  if (destination.kind === 'pod') {
    const known = podPorts(index, destination.pod);
    const port =
      resolveInPod(destination.port, destination.protocol, known)[0] ??
      (destination.port.kind === 'number' ? { number: destination.port.number, protocol: destination.protocol } : undefined);
    return [{ pod: destination.pod, port }];
  }
  const { service, port: servicePort } = destination;
  if (!service.selector) {
    notes.push(`Service ${qualifiedName(service.ref)} has no selector: its endpoints are managed by hand, outside the workspace`);
    return [];
  }
  const pods = index.podsSelectedByMap(service.selector.value, service.ref.namespace);
  if (pods.length === 0) notes.push(`Service ${qualifiedName(service.ref)} selects no pod template in the workspace`);
  const target = targetOf(servicePort);
  return pods.map((pod) => {
    const hop: Hop = { pod, service, servicePort };
    const resolved = resolveInPod(target, servicePort.protocol, podPorts(index, pod));
    if (target.kind === 'number')
      hop.port = resolved.find((p) => p.declared) ?? resolved[0] ?? { number: target.number, protocol: servicePort.protocol };
    else if (resolved.length > 0) hop.port = resolved[0];
    else
      hop.problem =
        `${objectName(pod.ref)} declares no ${servicePort.protocol} port named "${target.name}", so the Service sends it ` + `nothing`;
    return hop;
  });
}

function judgeHop(index: WorkspaceIndex, hop: Hop, subject: Subject): DestinationResult {
  if (!hop.port) return { hop, endpoint: false, verdict: 'denied', reason: hop.problem ?? 'the port cannot be resolved in this pod' };
  if (hop.pod.hostNetwork)
    return {
      hop,
      endpoint: true,
      verdict: 'unknown',
      reason: `${objectName(hop.pod.ref)} uses hostNetwork: NetworkPolicies do not reliably apply to host-network pods`,
    };
  const ingress = judgeIngress(index, hop.pod, hop.port, subject);
  const egress = judgeEgress(index, subject, hop.pod, hop.port);
  if (subject.kind === 'pod' && subject.pod.hostNetwork)
    egress.notes.push(`${objectName(subject.pod.ref)} uses hostNetwork: its traffic may not be subject to NetworkPolicies at all`);
  const sides = [ingress, egress];
  const dialect = dialectPoliciesOnPath(index, hop.pod, subject);
  if (dialect.length > 0)
    return { hop, endpoint: true, verdict: 'unknown', reason: dialect.join('; '), ingress, egress, notEvaluated: dialect };
  const denied = sides.find((s) => s.verdict === 'denied');
  const unknown = sides.find((s) => s.verdict === 'unknown');
  const decisive = denied ?? unknown;
  if (decisive) return { hop, endpoint: true, verdict: decisive.verdict, reason: decisive.reason, ingress, egress };
  return { hop, endpoint: true, verdict: 'allowed', reason: ingress.reason, ingress, egress };
}

/**
 * Cilium and Calico policies that also select the destination pod or the source: explain does not
 * evaluate them (deny rules, tiers and order decide there too), so the answer is theirs to give.
 */
function dialectPoliciesOnPath(index: WorkspaceIndex, destination: PodTemplate, subject: Subject): string[] {
  if (index.dialectPolicyCount === 0) return [];
  const reasons: string[] = [];
  for (const policy of dialectPoliciesSelecting(index, destination, 'Ingress')) {
    reasons.push(
      `${dialectPolicyName(policy)} also selects ${objectName(destination.ref)}; Cilium and Calico policies are not evaluated here`,
    );
  }
  const sources = subject.kind === 'pod' ? [subject.pod] : subject.kind === 'anyPod' ? [...index.pods(subject.namespace)] : [];
  const seen = new Set<DialectPolicy>();
  for (const pod of sources) {
    for (const policy of dialectPoliciesSelecting(index, pod, 'Egress')) {
      if (seen.has(policy)) continue;
      seen.add(policy);
      reasons.push(
        `${dialectPolicyName(policy)} also selects the source ${objectName(pod.ref)}; Cilium and Calico policies are not evaluated here`,
      );
    }
  }
  return reasons;
}

/**
 * The fixes the checks already offer on the port entries of rules that admit the source but not
 * the pod port, kept when they write that pod port (its number or its name).
 */
function fixesFor(findingsOf: FindingsOf, results: DestinationResult[]): Fix[] {
  const fixes = new Map<string, Fix>();
  for (const result of results) {
    if (result.verdict !== 'denied' || !result.endpoint || !result.hop.port) continue;
    const port = result.hop.port;
    const wanted = new Set([String(port.number), ...(port.declared && port.name ? [port.name] : [])]);
    for (const side of [result.ingress, result.egress]) {
      if (side?.verdict !== 'denied') continue;
      for (const rule of side.policies.flatMap((p) => p.rules)) {
        if (rule.peerAdmits !== 'yes' || rule.portAdmits) continue;
        const entries = rule.rule.ports ?? [];
        for (const finding of findingsOf(rule.policy.ref.uri)) {
          if (!entries.some((e) => containsPosition(e.range, finding.range.start))) continue;
          for (const fix of finding.fixes)
            if (fix.edits.some((e) => wanted.has(e.newText))) fixes.set(JSON.stringify([fix.title, fix.edits]), fix);
        }
      }
    }
  }
  return [...fixes.values()];
}
