import type { ContainerPort, EntryProtocol, PodTemplate, PortEntry, PortRef, Protocol, Service, ServicePort } from '../../model/manifest';
import type { WorkspaceIndex } from './workspaceIndex';

/** A port a pod is known to serve: declared by a container, or shown by a Service's numeric targetPort. */
export interface KnownPort {
  number: number;
  name?: string;
  protocol: Protocol;
  declared?: ContainerPort;
  evidence?: { service: Service; port: ServicePort };
}

/**
 * What the workspace knows about the ports of a pod template. `unknown` means the pod declares
 * no ports and no Service shows one: numbers cannot be judged against it (names still can).
 */
export interface PodPorts {
  pod: PodTemplate;
  ports: KnownPort[];
  unknown: boolean;
}

/**
 * The ports a pod's containers declare. A name resolves as Kubernetes resolves it: when two
 * containers declare the same name, the first declared wins, so the second has no name here.
 */
export function declaredPorts(pod: PodTemplate): KnownPort[] {
  const names = new Set<string>();
  return pod.ports.map((p) => {
    const name = p.name?.value;
    const first = name !== undefined && !names.has(name);
    if (first) names.add(name);
    return { number: p.containerPort.value, name: first ? name : undefined, protocol: p.protocol, declared: p };
  });
}

export function servicesSelecting(index: WorkspaceIndex, pod: PodTemplate): Service[] {
  const result: Service[] = [];
  for (const service of index.services(pod.ref.namespace)) {
    if (service.selector && [...service.selector.value].every(([k, v]) => pod.labels.get(k) === v)) result.push(service);
  }
  return result;
}

export function podPorts(index: WorkspaceIndex, pod: PodTemplate): PodPorts {
  if (pod.ports.length > 0) return { pod, ports: declaredPorts(pod), unknown: false };
  const ports: KnownPort[] = [];
  for (const service of servicesSelecting(index, pod)) {
    for (const port of service.ports) {
      const target = port.targetPort?.value ?? { kind: 'number', number: port.port.value };
      if (target.kind === 'number') ports.push({ number: target.number, protocol: port.protocol, evidence: { service, port } });
    }
  }
  return { pod, ports, unknown: ports.length === 0 };
}

/** The number a port reference means in one pod: itself, or what the pod's container calls that name. */
export function resolveInPod(ref: PortRef, protocol: Protocol, pod: PodPorts): KnownPort[] {
  if (ref.kind === 'number') return pod.ports.filter((p) => p.number === ref.number && p.protocol === protocol);
  return pod.ports.filter((p) => p.declared && p.name === ref.name && p.protocol === protocol);
}

/** A NetworkPolicy port entry as matching sees it: a number, a range or a name, and a protocol. */
export interface PortMatcher {
  port?: PortRef;
  endPort?: number;
  /** ANY (Cilium): TCP, UDP and SCTP alike. */
  protocol: EntryProtocol;
}

export function matcherOf(entry: PortEntry): PortMatcher {
  return { port: entry.port?.value, endPort: entry.endPort?.value, protocol: entry.protocol };
}

/** Does a NetworkPolicy port entry (number, range or name) admit this pod port? */
export function entryAdmits(entry: PortMatcher, port: KnownPort): boolean {
  if (entry.protocol !== 'ANY' && entry.protocol !== port.protocol) return false;
  const ref = entry.port;
  if (!ref) return true;
  if (ref.kind === 'name') return port.declared !== undefined && port.name === ref.name;
  const end = entry.endPort ?? ref.number;
  return port.number >= ref.number && port.number <= end;
}

/** The target of a Service port as written: `targetPort`, or the port itself. */
export function targetOf(port: ServicePort): PortRef {
  return port.targetPort?.value ?? { kind: 'number', number: port.port.value };
}

export function formatPortRef(ref: PortRef): string {
  return ref.kind === 'number' ? String(ref.number) : `"${ref.name}"`;
}

export function formatKnownPort(port: KnownPort): string {
  return `${port.number}/${port.protocol}${port.name ? ` "${port.name}"` : ''}`;
}

/** An IANA service name, as Kubernetes requires of port names: 1–15 of a-z0-9-, a letter, no edge or double "-". */
export function isValidPortName(name: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}
