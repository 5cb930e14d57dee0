import {
  backendNamespace,
  type Monitor,
  type MonitorEndpoint,
  type ObjectRef,
  type PodTemplate,
  type Probe,
  type Router,
  type Service,
  type ServiceBackend,
  type ServicePort,
} from '../../model/manifest';
import { containsPosition, type Range } from '../../model/source';
import { chainsOf } from '../index/chains';
import { objectName, qualifiedName } from '../index/describe';
import { formatKnownPort, formatPortRef, servicesSelecting } from '../index/podPorts';
import { backendTarget, monitored, monitorPortInEffect, monitorTargets, probeTarget, servicePortIs } from '../index/references';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Finding } from '../rules/findings';
import { probeName } from '../rules/probePortUnmatched';
import { chainText } from './hover';

const link = (text: string, uri: string, range: Range) => `[${text}](${uri}#L${range.start.line + 1})`;
const refLink = (ref: ObjectRef) => link(objectName(ref), ref.uri, ref.nameRange);

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? '' : `\n\n**${title}**\n\n${lines.join('\n')}`;
}

/** The findings reported on a range, as hover lines. */
function verdicts(findings: Finding[], uri: string, ranges: Array<Range | undefined>): string {
  const here = findings.filter((f) => f.uri === uri && ranges.some((r) => r && containsPosition(r, f.range.start)));
  return here.map((f) => `\n\n${f.severity === 'information' ? 'ℹ️' : '⚠️'} ${f.message}`).join('');
}

/** `Ingress shop/web /api` as a link to the router. */
function backendHead(router: Router, backend: ServiceBackend): string {
  return `${refLink(router.ref)} ${backend.label}`;
}

/** The chains of an Ingress or route backend: `Ingress shop/web /api → Service shop/api (ClusterIP) 80/TCP → targetPort "http" → …`. */
export function backendChains(index: WorkspaceIndex, router: Router, backend: ServiceBackend): string[] {
  const { ports } = backendTarget(index, router, backend);
  return ports.flatMap(({ service, port }) => {
    const chains = chainsOf(index, service, port);
    if (chains.length === 0)
      return [
        `${backendHead(router, backend)} → ${serviceLink(service)} (${service.type}) ${port.port.value}/${port.protocol} → ` +
          `${service.selector ? 'no pod template in the workspace' : 'endpoints managed outside the Service'}`,
      ];
    return chains.map((chain) => `${backendHead(router, backend)} → ${chainText(chain)}`);
  });
}

const serviceLink = (service: Service) => link(`Service ${qualifiedName(service.ref)}`, service.ref.uri, service.ref.nameRange);

export function renderBackend(index: WorkspaceIndex, findings: Finding[], router: Router, backend: ServiceBackend): string {
  const port = backend.port ? ` port \`${formatPortRef(backend.port.value)}\`` : '';
  const namespace = backendNamespace(router, backend);
  const header =
    `**${objectName(router.ref)}** · ${backend.label} → Service ` +
    `\`${namespace ? `${namespace}/` : ''}${backend.service.value}\`${port}`;
  const { services } = backendTarget(index, router, backend);
  const chains = backendChains(index, router, backend);
  const known = services.flatMap((s) => s.ports.flatMap((p) => chainsOf(index, s, p).map((c) => `- ${chainText(c)}`)));
  return (
    header +
    verdicts(findings, router.ref.uri, [backend.port?.range, backend.service.range]) +
    section(
      'Path',
      chains.map((c) => `- ${c}`),
    ) +
    (chains.length === 0 ? section('The Service’s ports', known) : '')
  );
}

export function renderMonitorEndpoint(index: WorkspaceIndex, findings: Finding[], monitor: Monitor, endpoint: MonitorEndpoint): string {
  const inEffect = monitorPortInEffect(monitor, endpoint);
  const written = inEffect ? `${inEffect.key} \`${formatPortRef(inEffect.written.value)}\`` : 'no port';
  const header = `**${objectName(monitor.ref)}** · ${written}`;
  const { servicePorts, podPorts } = monitorTargets(index, monitor, endpoint);
  const head = refLink(monitor.ref);
  const lines = [
    ...servicePorts.flatMap(({ service, port }) => chainsOf(index, service, port).map((c) => `- ${head} → ${chainText(c)}`)),
    ...podPorts.map(({ pod, port }) => `- ${head} → ${refLink(pod.ref)}, container ${port.declared!.container}, ${formatKnownPort(port)}`),
  ];
  const { services, pods } = monitored(index, monitor);
  const selected =
    monitor.selects === 'services'
      ? services.map((s) => `- ${serviceLink(s)}: ${s.ports.map(portText).join(', ') || 'no ports'}`)
      : pods.map((p) => `- ${refLink(p.ref)}`);
  return (
    header +
    verdicts(findings, monitor.ref.uri, [endpoint.port?.range, endpoint.portNumber?.range, endpoint.targetPort?.range]) +
    section('Scrapes', lines) +
    section(monitor.selects === 'services' ? 'Services it selects' : 'Pods it selects', selected)
  );
}

const portText = (port: ServicePort) => `${port.port.value}/${port.protocol}${port.name ? ` "${port.name.value}"` : ''}`;

export function renderProbe(index: WorkspaceIndex, findings: Finding[], pod: PodTemplate, probe: Probe): string {
  const header = `**${objectName(pod.ref)}** · ${probeName(probe)} · port \`${formatPortRef(probe.port.value)}\``;
  const target = probeTarget(pod, probe);
  const reaches = target ? [`- ${refLink(pod.ref)}, container ${target.declared!.container}, ${formatKnownPort(target)}`] : [];
  const services = servicesSelecting(index, pod).flatMap((s) =>
    s.ports
      .flatMap((p) => chainsOf(index, s, p))
      .filter((c) => c.pod === pod && c.target?.declared && c.target.declared === target?.declared),
  );
  return (
    header +
    verdicts(findings, pod.ref.uri, [probe.port.range]) +
    section('Probes', reaches) +
    section(
      'Services forwarding to it',
      services.map((c) => `- ${chainText(c)}`),
    )
  );
}

/** The Ingresses, routes and ServiceMonitors that use a Service port, for its hover. */
export function serviceUsers(index: WorkspaceIndex, service: Service, port: ServicePort): string[] {
  const lines: string[] = [];
  for (const router of index.routersUsing(service.ref.namespace, service.ref.name)) {
    for (const backend of router.backends) {
      const ref = backend.port?.value;
      if (backend.service.value === service.ref.name && ref && servicePortIs(port, ref))
        lines.push(`- ${link(`${objectName(router.ref)} ${backend.label}`, router.ref.uri, backend.port!.range)}`);
    }
  }
  if (port.name) {
    for (const monitor of index.monitorsLookingAt(service.ref.namespace)) {
      if (monitor.selects !== 'services' || !monitored(index, monitor).services.includes(service)) continue;
      for (const endpoint of monitor.endpoints) {
        if (endpoint.port?.value === port.name.value)
          lines.push(`- ${link(objectName(monitor.ref), monitor.ref.uri, endpoint.port.range)} (scrapes it)`);
      }
    }
  }
  return [...new Set(lines)];
}
