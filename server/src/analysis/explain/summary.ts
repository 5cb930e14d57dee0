import type { PolicyPort, Service, ServicePort } from '../../model/manifest';
import { judge, possibleSources, verdictsTo, type Explanation } from './explain';
import type { Destination, Source } from './endpoints';
import type { Verdict } from './isolation';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { portEntryText } from '../../model/portText';

/** The one-line answer shown above a Service port: the source it is judged from, and the verdict. */
export interface PortSummary {
  title: string;
  from: string;
  to: string;
  verdict: Verdict;
}

const MARK: Record<Verdict, string> = { allowed: '✓', denied: '✗', unknown: '?' };

/** `external ✗ (allow-from-all admits 80, 10022 — not 22)` */
export function verdictLine(explanation: Omit<Explanation, 'fixes'>): string {
  return `${explanation.from} ${MARK[explanation.verdict]} (${shortReason(explanation)})`;
}

/**
 * `reachable from: external ✗ (allow-from-all admits 80, 10022 — not 22)`; for an internal Service,
 * `reachable from: anywhere ✓ (…)` when the pods' ingress admits every source (a rule without `from`, or no isolating policy).
 */
export function summarize(explanation: Omit<Explanation, 'fixes'>): PortSummary {
  const { from, to, verdict } = explanation;
  // From outside the cluster, `external ✓` already says it all; `gitlab/*` would understate an open rule.
  const open = verdict === 'allowed' && from !== 'external' ? everySourceReason(explanation) : undefined;
  const line = open ? `anywhere ${MARK.allowed} (${open})` : verdictLine(explanation);
  return { title: `reachable from: ${line}`, from, to, verdict };
}

/** Why every source gets in, when it does: the rule that admits the port from everywhere, or no isolation. */
function everySourceReason(explanation: Omit<Explanation, 'fixes'>): string | undefined {
  const results = explanation.results.filter((r) => r.endpoint);
  if (results.length === 0) return undefined;
  const reasons = new Set<string>();
  for (const result of results) {
    const ingress = result.ingress;
    if (!ingress) return undefined;
    if (ingress.policies.length === 0) {
      reasons.add('no NetworkPolicy isolates the pods');
      continue;
    }
    const open = ingress.policies
      .flatMap((p) => p.rules)
      .find((r) => r.portAdmits && (r.rule.peers === undefined || r.rule.peers.length === 0));
    if (!open) return undefined;
    reasons.add(`${open.policy.ref.name} ${open.rule.direction} rule ${open.number} has no \`from\``);
  }
  return [...reasons].join('; ');
}

/** Why, in a few words: the admitting rule, or what each isolating policy admits instead. */
export function shortReason(explanation: Omit<Explanation, 'fixes'>): string {
  const results = explanation.results.filter((r) => r.endpoint);
  if (results.length === 0) return explanation.results[0]?.reason ?? explanation.notes[0] ?? 'no pod template to judge';
  const decisive = results.find((r) => r.verdict === explanation.verdict)!;
  if (!decisive.ingress) return decisive.reason;
  const side = [decisive.ingress, decisive.egress].find((s) => s?.verdict === explanation.verdict) ?? decisive.ingress;
  if (explanation.verdict === 'allowed') {
    const rule = side.policies.flatMap((p) => p.rules).find((r) => r.admits === 'yes');
    return rule ? `${rule.policy.ref.name} ${rule.rule.direction} rule ${rule.number}` : 'no NetworkPolicy isolates the pods';
  }
  if (explanation.verdict === 'unknown') return decisive.reason;
  const port = decisive.hop.port!.number;
  const direction = side.direction === 'egress' ? 'egress: ' : '';
  return (
    direction +
    side.policies
      .map((p) => {
        const open = p.rules.filter((r) => r.peerAdmits !== 'no');
        const ports = [...new Set(open.flatMap((r) => (r.rule.ports ?? []).map(entryShort)))];
        if (ports.length > 0) return `${p.policy.ref.name} admits ${ports.join(', ')} — not ${port}`;
        if (p.rules.some((r) => r.portAdmits))
          return `${p.policy.ref.name} admits ${port} from other ${side.direction === 'ingress' ? 'sources' : 'destinations'} only`;
        return `${p.policy.ref.name} admits nothing`;
      })
      .join('; ')
  );
}

const entryShort = (e: PolicyPort) => portEntryText(e, { protocol: false });

/**
 * The source a Service port is judged from in its code lens: outside the cluster for a
 * LoadBalancer or NodePort, otherwise every pod of the Service's own namespace.
 */
export function lensSource(service: Service): Source {
  return service.type === 'LoadBalancer' || service.type === 'NodePort'
    ? { kind: 'external' }
    : { kind: 'namespace', namespace: service.ref.namespace };
}

/**
 * The lens line of one Service port. When not every pod of the namespace gets through to an
 * internal Service, it names the pod templates of the workspace that do.
 */
export function summarizeServicePort(index: WorkspaceIndex, service: Service, port: ServicePort): PortSummary {
  const destination: Destination = { kind: 'service', service, port };
  const summary = summarize(judge(index, lensSource(service), destination));
  if (summary.verdict === 'allowed' || service.type === 'LoadBalancer' || service.type === 'NodePort') return summary;
  const verdictFrom = verdictsTo(index, destination);
  const allowed = (possibleSources(index, destination) ?? index.allPods())
    .filter((pod) => verdictFrom({ kind: 'pod', pod }) === 'allowed')
    .map((pod) => pod.ref.name);
  if (allowed.length === 0) return summary;
  const names = [...new Set(allowed)].sort();
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return { ...summary, title: `reachable from: ${shown} ✓ · ${summary.title.slice('reachable from: '.length)}` };
}

/** The code lens summaries of every Service port of a file (see `serviceLenses` for one per Service). */
export function servicePortSummaries(
  index: WorkspaceIndex,
  uri: string,
): Array<{ service: Service; port: ServicePort; summary: PortSummary }> {
  const model = index.file(uri);
  if (!model) return [];
  return model.services
    .filter((service) => service.selector)
    .flatMap((service) => service.ports.map((port) => ({ service, port, summary: summarizeServicePort(index, service, port) })));
}

/** One lens for a Service whose ports share the verdict (rabbitmq's nine ports, one line); one per port otherwise. */
export interface ServiceLens {
  service: Service;
  /** The port the lens sits above, and whose explanation a click opens. */
  port: ServicePort;
  /** The Service's ports the lens speaks for (all of them when merged). */
  ports: ServicePort[];
  summary: PortSummary;
}

export function serviceLenses(index: WorkspaceIndex, uri: string): ServiceLens[] {
  const byService = new Map<Service, Array<{ port: ServicePort; summary: PortSummary }>>();
  for (const { service, port, summary } of servicePortSummaries(index, uri)) {
    const list = byService.get(service) ?? [];
    list.push({ port, summary });
    byService.set(service, list);
  }
  const lenses: ServiceLens[] = [];
  for (const [service, ports] of byService) {
    const verdicts = new Set(ports.map((p) => p.summary.verdict));
    if (ports.length === 1 || verdicts.size > 1) {
      for (const { port, summary } of ports) lenses.push({ service, port, ports: [port], summary });
      continue;
    }
    const [first] = ports;
    const titles = new Set(ports.map((p) => p.summary.title));
    // The same words for every port say it once; otherwise the verdict, for all of them, and a click explains the first.
    const anywhere = ports.every((p) => p.summary.title.startsWith('reachable from: anywhere '));
    const title =
      titles.size === 1
        ? `${first.summary.title} · all ${ports.length} ports`
        : `reachable from: ${anywhere ? 'anywhere' : first.summary.from} ${MARK[first.summary.verdict]} on all ${ports.length} ports`;
    lenses.push({ service, port: first.port, ports: ports.map((p) => p.port), summary: { ...first.summary, title } });
  }
  return lenses;
}
