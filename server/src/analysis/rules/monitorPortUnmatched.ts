import type { Located, Monitor, MonitorEndpoint, PodTemplate, PortRef, Service } from '../../model/manifest';
import { joinAnd, objectName, podNames, qualifiedName, servedPorts } from '../index/describe';
import { changeValue, similarNames } from '../fixes/edits';
import { podPorts, servicesSelecting } from '../index/podPorts';
import { forwardedPorts, monitored, monitorPortInEffect, podsBehind } from '../index/references';
import { describeSelector } from '../index/selectors';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Finding, Fix } from './findings';
import { tiered } from './tiers';
import { podRows } from './related';
import { servicePortText } from './backendPortUnmatched';

const CODE = 'monitor-port-unmatched';

/** The findings of a ServiceMonitor or PodMonitor against what it selects (SPEC §10). */
export function checkMonitor(index: WorkspaceIndex, monitor: Monitor): Finding[] {
  const { services, pods } = monitored(index, monitor);
  const what = monitor.selects === 'services' ? 'Service' : 'pod template';
  if (services.length === 0 && pods.length === 0) {
    return [
      tiered('possible', {
        uri: monitor.ref.uri,
        range: monitor.selector.range,
        code: CODE,
        message:
          `This ${monitor.ref.kind} selects no ${what} in the workspace, so its ports are not checked. ` +
          `${objectName(monitor.ref)} selects ${describeSelector(monitor.selector)}; the ${what}s may be created elsewhere.`,
        related: [],
        fixes: [],
      }),
    ];
  }
  const findings: Finding[] = [];
  for (const endpoint of monitor.endpoints) {
    const inEffect = monitorPortInEffect(monitor, endpoint);
    if (!inEffect) continue;
    const finding =
      monitor.selects === 'services' && inEffect.key === 'port'
        ? judgeServiceEndpoint(index, monitor, endpoint, services)
        : judgePodPort(index, monitor, inEffect.key, inEffect.written, monitor.selects === 'services' ? podsBehind(index, services) : pods);
    if (finding) findings.push(finding);
  }
  return findings;
}

function judgeServiceEndpoint(
  index: WorkspaceIndex,
  monitor: Monitor,
  endpoint: MonitorEndpoint,
  services: Service[],
): Finding | undefined {
  const port = endpoint.port;
  if (!port || services.some((s) => s.ports.some((p) => p.name?.value === port.value))) return undefined;
  const uri = monitor.ref.uri;
  const names = services.map((s) => `Service ${qualifiedName(s.ref)}`);
  const has = [...new Set(services.flatMap((s) => s.ports.map(servicePortText)))];
  const they =
    `${joinAnd(names.slice(0, 3))}${names.length > 3 ? ` and ${names.length - 3} more` : ''} ` +
    `${names.length === 1 ? 'has' : 'have'} ${has.length > 0 ? joinAnd(has) : 'no ports'}`;
  // The classic slip: the container port's name, where the Service calls its port otherwise.
  const forwarding = new Set<string>();
  for (const service of services) {
    for (const p of service.ports) {
      if (p.name && forwardedPorts(index, service, p).some((f) => f.target.declared && f.target.name === port.value))
        forwarding.add(p.name.value);
    }
  }
  const change = (to: string, why: string, preferred: boolean): Fix => ({
    title: `Change port "${port.value}" to "${to}"${why}`,
    isPreferred: preferred,
    edits: [changeValue(uri, port, to)],
  });
  let fixes: Fix[];
  let point: string;
  if (forwarding.size > 0) {
    const candidates = [...forwarding].sort();
    point =
      `"${port.value}" is the container port's name; a ServiceMonitor names the Service port: ` +
      `${joinAnd(candidates.map((c) => `"${c}"`))}.`;
    fixes = candidates.map((c) => change(c, ` (the Service port forwarding to "${port.value}")`, candidates.length === 1));
  } else {
    const near = similarNames(
      port.value,
      services.flatMap((s) => s.ports.flatMap((p) => (p.name ? [p.name.value] : []))),
    );
    point = `No Service this monitor selects has a port named "${port.value}", so nothing is scraped.`;
    fixes = near.map((c) => change(c, '', near.length === 1));
  }
  return tiered('evidence', {
    uri,
    range: port.range,
    code: CODE,
    message: `${point} ${they} (a ServiceMonitor's port is a Service port name).`,
    related: podRows(
      services.map((s) => s.ref),
      'selected',
    ),
    fixes,
  });
}

/**
 * A container port the operator keeps targets by: a PodMonitor's `port` (a name), its `portNumber`, or either
 * monitor's `targetPort`. Prometheus discovers only the ports containers declare, so a port no pod declares
 * (by that name, or that number) scrapes nothing.
 */
function judgePodPort(
  index: WorkspaceIndex,
  monitor: Monitor,
  key: 'port' | 'portNumber' | 'targetPort',
  written: Located<PortRef>,
  pods: PodTemplate[],
): Finding | undefined {
  const ref = written.value;
  const declares = (p: PodTemplate['ports'][number]) =>
    ref.kind === 'name' ? p.name?.value === ref.name : p.containerPort.value === ref.number;
  if (pods.length === 0 || pods.some((pod) => pod.ports.some(declares))) return undefined;
  const uri = monitor.ref.uri;
  const known = pods.map((pod) => podPorts(index, pod));
  const shown = ref.kind === 'name' ? `"${ref.name}"` : String(ref.number);
  // The reverse slip: a Service port's name or number, where the container calls the port it forwards to otherwise.
  const viaService = new Set<string>();
  for (const pod of pods) {
    for (const service of servicesSelecting(index, pod)) {
      for (const p of service.ports) {
        if (ref.kind === 'name' ? p.name?.value !== ref.name : p.port.value !== ref.number) continue;
        for (const f of forwardedPorts(index, service, p)) {
          if (f.pod !== pod || !f.target.declared) continue;
          if (ref.kind === 'number') viaService.add(String(f.target.number));
          else if (f.target.name) viaService.add(f.target.name);
        }
      }
    }
  }
  const candidates =
    viaService.size > 0
      ? [...viaService].sort()
      : ref.kind === 'name'
        ? similarNames(
            ref.name,
            pods.flatMap((pod) => pod.ports.flatMap((p) => (p.name ? [p.name.value] : []))),
          )
        : [];
  const quote = (c: string) => (ref.kind === 'name' ? `"${c}"` : c);
  const field = key === 'port' ? 'a PodMonitor' : `a ${monitor.ref.kind}'s ${key}`;
  const why = viaService.size > 0 ? ` (the container port Service port ${shown} forwards to)` : '';
  const whose = monitor.selects === 'services' ? 'behind the Services this monitor selects' : 'this monitor selects';
  const point =
    viaService.size > 0
      ? `${shown} is a Service port's ${ref.kind}; ${field} names the container port: ${joinAnd(candidates.map(quote))}.`
      : `No container of the pods ${whose} declares ${ref.kind === 'name' ? `a port named ${shown}` : `port ${shown}`}, ` +
        `so nothing is scraped${key === 'port' ? '' : ` (${key} keeps only the targets whose container declares that port)`}.`;
  return tiered(ref.kind === 'number' && viaService.size > 0 ? 'classic' : 'evidence', {
    uri,
    range: written.range,
    code: CODE,
    message: `${point} The pods (${podNames(known)}) serve ${servedPorts(known)}.`,
    related: podRows(
      pods.map((pod) => pod.ref),
      monitor.selects === 'services' ? 'pods behind the selected Services' : 'selected pods',
    ),
    fixes: candidates.map((c) => ({
      title: `Change ${key} ${shown} to ${quote(c)}${why}`,
      isPreferred: candidates.length === 1,
      edits: [changeValue(uri, written, c)],
    })),
  });
}
