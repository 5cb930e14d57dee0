import {
  backendNamespace,
  type Located,
  type Monitor,
  type MonitorEndpoint,
  type PodTemplate,
  type PortRef,
  type Probe,
  type Router,
  type Service,
  type ServiceBackend,
  type ServicePort,
} from '../../model/manifest';
import { podPorts, targetOf, type KnownPort } from './podPorts';
import type { WorkspaceIndex } from './workspaceIndex';

/** Does a Service port answer to a reference by number (`port`) or by name? */
export function servicePortIs(port: ServicePort, ref: PortRef): boolean {
  return ref.kind === 'number' ? port.port.value === ref.number : port.name?.value === ref.name;
}

/** What a backend reaches: the Services of that name (ExternalName ones are not judged) and their ports it names. */
export interface BackendTarget {
  services: Service[];
  /** The Service ports the backend's port names, in any of the Services. */
  ports: Array<{ service: Service; port: ServicePort }>;
}

export function backendTarget(index: WorkspaceIndex, router: Router, backend: ServiceBackend): BackendTarget {
  const services = index.servicesNamed(backendNamespace(router, backend), backend.service.value);
  const ref = backend.port?.value;
  const ports = ref
    ? services.flatMap((service) => service.ports.filter((p) => servicePortIs(p, ref)).map((port) => ({ service, port })))
    : [];
  return { services, ports };
}

/**
 * The pod ports a Service port forwards to, per selected pod template (named targets resolved
 * per pod; a pod without that name gives none).
 */
export function forwardedPorts(index: WorkspaceIndex, service: Service, port: ServicePort): Array<{ pod: PodTemplate; target: KnownPort }> {
  if (!service.selector) return [];
  const target = targetOf(port);
  const result: Array<{ pod: PodTemplate; target: KnownPort }> = [];
  for (const pod of index.podsSelectedByMap(service.selector.value, service.ref.namespace)) {
    const known = podPorts(index, pod).ports.filter((p) => p.protocol === port.protocol);
    const hit =
      target.kind === 'number'
        ? (known.find((p) => p.declared && p.number === target.number) ?? known.find((p) => p.number === target.number))
        : known.find((p) => p.declared && p.name === target.name);
    if (hit) result.push({ pod, target: hit });
  }
  return result;
}

/** The Services a ServiceMonitor selects, or the pod templates a PodMonitor selects, in the workspace. */
export function monitored(index: WorkspaceIndex, monitor: Monitor): { services: Service[]; pods: PodTemplate[] } {
  const namespaces = index.monitorNamespaces(monitor);
  if (monitor.selects === 'services') return { services: index.servicesSelectedBy(monitor.selector, namespaces), pods: [] };
  return { services: [], pods: namespaces.flatMap((ns) => index.podsSelectedBy(monitor.selector, ns)) };
}

/**
 * The field the operator keeps an endpoint's targets by, as a port reference: a ServiceMonitor's `port` (a Service
 * port name), else its `targetPort`; a PodMonitor's `port` (a container port name), else `portNumber`, else
 * `targetPort`. Every one but a ServiceMonitor's `port` names a container port.
 */
export function monitorPortInEffect(
  monitor: Monitor,
  endpoint: MonitorEndpoint,
): { key: 'port' | 'portNumber' | 'targetPort'; written: Located<PortRef> } | undefined {
  if (endpoint.port) return { key: 'port', written: { ...endpoint.port, value: { kind: 'name', name: endpoint.port.value } } };
  if (monitor.selects === 'pods' && endpoint.portNumber)
    return { key: 'portNumber', written: { ...endpoint.portNumber, value: { kind: 'number', number: endpoint.portNumber.value } } };
  return endpoint.targetPort && { key: 'targetPort', written: endpoint.targetPort };
}

/** The pod templates behind Services: those their selectors pick. */
export function podsBehind(index: WorkspaceIndex, services: Service[]): PodTemplate[] {
  const pods = new Set<PodTemplate>();
  for (const service of services)
    if (service.selector) for (const pod of index.podsSelectedByMap(service.selector.value, service.ref.namespace)) pods.add(pod);
  return [...pods];
}

/**
 * The ports a monitor endpoint names: Service ports (a ServiceMonitor's `port`) or the container ports of the
 * pods it selects, or of the pods behind the Services it selects (`portNumber`, `targetPort`, a PodMonitor's `port`).
 */
export function monitorTargets(
  index: WorkspaceIndex,
  monitor: Monitor,
  endpoint: MonitorEndpoint,
): { servicePorts: Array<{ service: Service; port: ServicePort }>; podPorts: Array<{ pod: PodTemplate; port: KnownPort }> } {
  const inEffect = monitorPortInEffect(monitor, endpoint);
  if (!inEffect) return { servicePorts: [], podPorts: [] };
  const { services, pods } = monitored(index, monitor);
  const ref = inEffect.written.value;
  if (monitor.selects === 'services' && inEffect.key === 'port') {
    const servicePorts = services.flatMap((service) =>
      service.ports.filter((p) => servicePortIs(p, ref)).map((port) => ({ service, port })),
    );
    return { servicePorts, podPorts: [] };
  }
  const wanted = (p: KnownPort) => p.declared !== undefined && (ref.kind === 'name' ? p.name === ref.name : p.number === ref.number);
  const scraped = monitor.selects === 'services' ? podsBehind(index, services) : pods;
  return {
    servicePorts: [],
    podPorts: scraped.flatMap((pod) =>
      podPorts(index, pod)
        .ports.filter(wanted)
        .map((port) => ({ pod, port })),
    ),
  };
}

/**
 * The container port a probe reaches. A name is resolved in the probe's own container (as the
 * kubelet does); a number is any port of the pod (the probe connects to the pod's address).
 */
export function probeTarget(pod: PodTemplate, probe: Probe): KnownPort | undefined {
  const ref = probe.port.value;
  const declared =
    ref.kind === 'name'
      ? pod.ports.find((p) => p.container === probe.container && p.name?.value === ref.name)
      : pod.ports.find((p) => p.containerPort.value === ref.number && p.protocol === 'TCP');
  return declared && { number: declared.containerPort.value, name: declared.name?.value, protocol: declared.protocol, declared };
}
