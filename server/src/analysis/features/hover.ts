import type { ObjectRef, PodTemplate, PortEntry, Service } from '../../model/manifest';
import { containsPosition, type Position, type Range } from '../../model/source';
import { admittingRules, chainsOf, podsOfRule, podsOfSelector, type Chain } from '../index/chains';
import { objectName, qualifiedName } from '../index/describe';
import type { Finding } from '../rules/findings';
import { podsOfDialectRule, podsOfDialectSelector } from '../index/dialectSelection';
import { dialectPolicyName } from '../rules/dialectPolicy';
import { locate, type Target } from '../index/locate';
import {
  entryAdmits,
  formatKnownPort,
  formatPortRef,
  matcherOf,
  podPorts,
  servicesSelecting,
  targetOf,
  type KnownPort,
} from '../index/podPorts';
import { describeSelector } from '../index/selectors';
import { renderBackend, renderMonitorEndpoint, renderProbe, serviceUsers } from './referenceHover';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { portEntryText } from '../../model/portText';

export interface HoverResult {
  markdown: string;
  range: Range;
}

const link = (text: string, uri: string, range: Range) => `[${text}](${uri}#L${range.start.line + 1})`;
const refLink = (ref: ObjectRef) => link(objectName(ref), ref.uri, ref.nameRange);

/** `Service gitlab/gitlab-ssh (LoadBalancer) 10022/TCP → targetPort 22 → Deployment gitlab/gitlab, container gitlab, 22/TCP "ssh"` */
export function chainText(chain: Chain): string {
  const { service, servicePort, pod, target } = chain;
  const written = formatPortRef(targetOf(servicePort));
  const head =
    `${link(`Service ${qualifiedName(service.ref)}`, service.ref.uri, service.ref.nameRange)} (${service.type}) ` +
    `${servicePort.port.value}/${servicePort.protocol}`;
  const end = target?.declared
    ? `${refLink(pod.ref)}, container ${target.declared.container}, ${formatKnownPort(target)}`
    : `${refLink(pod.ref)} (declares no such port)`;
  return `${head} → targetPort ${written} → ${end}`;
}

function podLine(index: WorkspaceIndex, pod: PodTemplate): string {
  const info = podPorts(index, pod);
  const ports = info.unknown
    ? 'declares no ports'
    : info.ports
        .map((p) => (p.declared ? formatKnownPort(p) : `${formatKnownPort(p)} (from Service ${qualifiedName(p.evidence!.service.ref)})`))
        .join(', ');
  return `- ${refLink(pod.ref)}${pod.hostNetwork ? ' (hostNetwork)' : ''}: ${ports}`;
}

/** The Services' chains to `pods`, those of Service port `first` (the number a policy entry wrote) first. */
function forwardingChains(index: WorkspaceIndex, pods: PodTemplate[], first?: number): Chain[] {
  const services = new Set<Service>();
  for (const pod of pods) servicesSelecting(index, pod).forEach((s) => services.add(s));
  const podSet = new Set(pods);
  const chains: Chain[] = [];
  for (const service of services) {
    for (const port of service.ports) for (const chain of chainsOf(index, service, port)) if (podSet.has(chain.pod)) chains.push(chain);
  }
  const rank = (c: Chain) => (c.servicePort.port.value === first || c.servicePort.nodePort?.value === first ? 0 : 1);
  return chains.sort((a, b) => rank(a) - rank(b));
}

/** At most `limit` lines; the rest as a count, with a link to where the whole list is. */
function collapsed(lines: string[], limit: number, what: string, more = ''): string[] {
  if (lines.length <= limit) return lines;
  return [...lines.slice(0, limit), `- … and ${lines.length - limit} more ${what}${more}`];
}

function admissionLines(index: WorkspaceIndex, pod: PodTemplate, port: KnownPort): string[] {
  const { isolated, admitted } = admittingRules(index, pod, port);
  if (!isolated) return [`- no NetworkPolicy isolates ${objectName(pod.ref)}: all ingress is admitted`];
  if (admitted.length === 0) return [`- ✗ no ingress rule admits ${formatKnownPort(port)} on ${objectName(pod.ref)}`];
  return admitted.map(({ policy, rule }) => {
    const from = policy.ingress[rule - 1].peers === undefined ? 'from anywhere' : 'from the peers it lists';
    return (
      `- ✓ ${link(`NetworkPolicy ${qualifiedName(policy.ref)}`, policy.ref.uri, policy.ref.nameRange)}, ingress rule ${rule} ` + `(${from})`
    );
  });
}

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? '' : `\n\n**${title}**\n\n${lines.join('\n')}`;
}

/** The Markdown shown when hovering a port, a selector or a container port. */
export function hover(index: WorkspaceIndex, findings: Finding[], uri: string, position: Position): HoverResult | undefined {
  const model = index.file(uri);
  if (!model) return undefined;
  const target = locate(model, position);
  if (!target) return undefined;
  const markdown = render(index, findings, target);
  return markdown ? { markdown, range: targetRange(target) } : undefined;
}

function targetRange(target: Target): Range {
  switch (target.kind) {
    case 'policyPort':
    case 'dialectPort':
      return (target.entry.port ?? target.entry).range;
    case 'servicePort':
      return target.port.range;
    case 'containerPort':
      return target.port.range;
    case 'policySelector':
    case 'dialectSelector':
      return target.selector.range;
    case 'serviceSelector':
      return target.service.selector!.range;
    case 'backend':
      return (target.backend.port ?? target.backend.service).range;
    case 'monitorEndpoint':
      return (target.endpoint.port ?? target.endpoint.portNumber ?? target.endpoint.targetPort)!.range;
    case 'probe':
      return target.probe.port.range;
  }
}

function render(index: WorkspaceIndex, findings: Finding[], target: Target): string {
  switch (target.kind) {
    case 'policyPort': {
      const { policy, rule, entry } = target;
      return portHover(
        index,
        findings,
        `NetworkPolicy ${qualifiedName(policy.ref)}`,
        policy.ref.uri,
        rule.direction,
        entry,
        podsOfRule(index, policy, rule),
      );
    }
    case 'dialectPort': {
      const { policy, rule, entry } = target;
      return portHover(
        index,
        findings,
        dialectPolicyName(policy),
        policy.ref.uri,
        rule.direction,
        entry,
        podsOfDialectRule(index, policy, rule) ?? [],
      );
    }
    case 'dialectSelector': {
      const { policy, selector, peer } = target;
      const pods = podsOfDialectSelector(index, policy, selector, peer);
      const title = peer ? 'Pods this peer selects' : 'Pods this policy selects';
      const written = `**${selector.text || 'all()'}**`;
      if (!pods)
        return (
          `${written}\n\nPicks pods the workspace cannot resolve (other label sources, every namespace, namespaces by unknown ` +
          `labels): not judged.`
        );
      return (
        written +
        (pods.length > 0
          ? section(
              title,
              pods.map((p) => podLine(index, p)),
            )
          : '\n\nSelects no pod template in the workspace.')
      );
    }
    case 'servicePort': {
      const { service, port } = target;
      const chains = chainsOf(index, service, port);
      const header =
        `**Service ${qualifiedName(service.ref)}** (${service.type}) · port ` +
        `\`${port.port.value}/${port.protocol}\`${port.nodePort ? ` · nodePort ${port.nodePort.value}` : ''}`;
      const users = section('Used by', serviceUsers(index, service, port));
      if (!service.selector)
        return `${header}\n\nNo selector: the endpoints are managed outside the Service, so its ports are not checked.${users}`;
      if (chains.length === 0)
        return `${header}\n\nThe selector (${describeSelector(service.selector.value)}) matches no pod template in the workspace.${users}`;
      const admission = chains.flatMap((c) => (c.target ? admissionLines(index, c.pod, c.target) : []));
      return (
        header +
        section(
          'Forwards to',
          chains.map((c) => `- ${chainText(c)}`),
        ) +
        section('NetworkPolicies admitting the target', [...new Set(admission)]) +
        users
      );
    }
    case 'containerPort': {
      const { pod, port } = target;
      const known = podPorts(index, pod).ports.find((p) => p.declared === port)!;
      const header = `**${objectName(pod.ref)}** · container ${port.container} · \`${formatKnownPort(known)}\``;
      const chains = servicesSelecting(index, pod)
        .flatMap((s) => s.ports.flatMap((sp) => chainsOf(index, s, sp)))
        .filter((c) => c.pod === pod && c.target?.declared === port);
      return (
        header +
        section('Services forwarding to it', chains.length > 0 ? chains.map((c) => `- ${chainText(c)}`) : ['- none in the workspace']) +
        section('NetworkPolicies', admissionLines(index, pod, known))
      );
    }
    case 'policySelector': {
      const { policy, selector, peer } = target;
      const pods = podsOfSelector(index, policy, peer);
      const title = peer ? 'Pods this peer selects' : 'Pods this policy selects';
      return (
        `**${describeSelector(selector)}**` +
        (pods.length > 0
          ? section(
              title,
              pods.map((p) => podLine(index, p)),
            )
          : '\n\nSelects no pod template in the workspace.')
      );
    }
    case 'serviceSelector': {
      const { service } = target;
      const pods = index.podsSelectedByMap(service.selector!.value, service.ref.namespace);
      return (
        `**${describeSelector(service.selector!.value)}**` +
        (pods.length > 0
          ? section(
              'Pods this Service selects',
              pods.map((p) => podLine(index, p)),
            )
          : '\n\nSelects no pod template in the workspace.')
      );
    }
    case 'backend':
      return renderBackend(index, findings, target.router, target.backend);
    case 'monitorEndpoint':
      return renderMonitorEndpoint(index, findings, target.monitor, target.endpoint);
    case 'probe':
      return renderProbe(index, findings, target.pod, target.probe);
  }
}

/** A port entry of a policy of any dialect: its verdict, the pods its ports apply to, and the Services forwarding to them. */
function portHover(
  index: WorkspaceIndex,
  findings: Finding[],
  policyName: string,
  uri: string,
  direction: 'ingress' | 'egress',
  entry: PortEntry,
  pods: PodTemplate[],
): string {
  const written = portEntryText(entry);
  const header = `**${policyName}** · ${direction} port \`${written}\``;
  const here = findings.filter((f) => f.uri === uri && containsPosition(entry.range, f.range.start));
  // A finding here is shown by the editor above the hover: the hover adds what it does not say.
  let verdict: string | undefined;
  if (here.length > 0) verdict = undefined;
  else if (pods.length === 0)
    verdict =
      direction === 'ingress'
        ? 'The policy selects no pod in the workspace.'
        : 'The destination pods are outside what the workspace knows; not judged.';
  else {
    const matched = pods.flatMap((pod) =>
      podPorts(index, pod)
        .ports.filter((p) => entryAdmits(matcherOf(entry), p))
        .map((p) => `${formatKnownPort(p)} on ${objectName(pod.ref)}`),
    );
    verdict =
      matched.length > 0
        ? `✓ Admits ${[...new Set(matched)].join(', ')}.`
        : 'Not judged: the pods declare no ports the analysis could check.';
  }
  const number = entry.port?.value.kind === 'number' ? entry.port.value.number : undefined;
  const chains = forwardingChains(index, pods, number);
  const podsTitle = direction === 'ingress' ? 'Pods this policy selects' : 'Pods this rule sends to';
  const explainAll = ` — [show all](command:${EXPLAIN_CONNECTION_COMMAND})`;
  const name =
    here.some((f) => f.fixes.length > 0) && number !== undefined ? chains.find((c) => forwardsNumber(c, number))?.target?.name : undefined;
  return (
    header +
    (verdict ? '\n\n' + verdict : '') +
    section(
      podsTitle,
      collapsed(
        pods.map((p) => podLine(index, p)),
        MAX_LIST,
        'pod templates',
      ),
    ) +
    section(
      'Services forwarding to them',
      collapsed(
        chains.map((c) => `- ${chainText(c)}`),
        MAX_LIST,
        'Service ports',
        explainAll,
      ),
    ) +
    tip(name)
  );
}

/** For a Service port written in a policy: the target container port's own name, which would have avoided it. */
function tip(name: string | undefined): string {
  return name
    ? `\n\n_The named port (\`${name}\`) in the policy avoids this mistake; some network plugins (AWS VPC CNI) also recommend keeping ` +
        `Service port and container port equal._`
    : '';
}

const forwardsNumber = (chain: Chain, number: number | undefined) =>
  number !== undefined && (chain.servicePort.port.value === number || chain.servicePort.nodePort?.value === number);

/** Lists in a hover longer than this collapse to a count. */
const MAX_LIST = 3;
/** The client's command that opens the Explain Connection picker and its preview. */
const EXPLAIN_CONNECTION_COMMAND = 'portLens.explainConnection';
