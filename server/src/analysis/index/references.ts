import {
  backendNamespace,
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

/** The ports a monitor endpoint names: Service ports (ServiceMonitor) or container ports (PodMonitor). */
export function monitorTargets(
  index: WorkspaceIndex,
  monitor: Monitor,
  endpoint: MonitorEndpoint,
): { servicePorts: Array<{ service: Service; port: ServicePort }>; podPorts: Array<{ pod: PodTemplate; port: KnownPort }> } {
  const { services, pods } = monitored(index, monitor);
  const name = endpoint.port?.value;
  const servicePorts =
    name === undefined
      ? []
      : services.flatMap((service) => service.ports.filter((p) => p.name?.value === name).map((port) => ({ service, port })));
  const wanted = (p: KnownPort) =>
    p.declared !== undefined && (name !== undefined ? p.name === name : p.number === endpoint.portNumber?.value);
  const ports =
    name === undefined && !endpoint.portNumber
      ? []
      : pods.flatMap((pod) =>
          podPorts(index, pod)
            .ports.filter(wanted)
            .map((port) => ({ pod, port })),
        );
  return { servicePorts, podPorts: ports };
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
