import type { PodTemplate, PortRef, Protocol, Service, ServicePort, WorkloadKind } from '../../model/manifest';
import { editDistance } from '../fixes/edits';
import { isValidPortName } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';

/** Where traffic comes from: one pod template, any pod of a namespace, or outside the cluster. */
export type Source =
  | { kind: 'pod'; pod: PodTemplate }
  | { kind: 'namespace'; namespace: string | undefined }
  | { kind: 'external' };

/** Where traffic goes: a Service port, or a port of one pod template. */
export type Destination =
  | { kind: 'service'; service: Service; port: ServicePort }
  | { kind: 'pod'; pod: PodTemplate; port: PortRef; protocol: Protocol };

/** An argument naming nothing in the workspace, with the names that come closest. */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly near: string[],
  ) {
    super(near.length > 0 ? `${message}; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : message);
  }
}

const KINDS: WorkloadKind[] = ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

const withNamespace = (namespace: string | undefined, rest: string) => (namespace ? `${namespace}/${rest}` : rest);

/** `gitlab/Deployment/gitlab`, or `Deployment/gitlab` in the unspecified namespace. */
export function podName(pod: PodTemplate): string {
  return withNamespace(pod.ref.namespace, `${pod.ref.kind}/${pod.ref.name}`);
}

export function namespaceSourceName(namespace: string | undefined): string {
  return withNamespace(namespace, '*');
}

export function sourceName(source: Source): string {
  if (source.kind === 'external') return 'external';
  return source.kind === 'pod' ? podName(source.pod) : namespaceSourceName(source.namespace);
}

/** `gitlab/gitlab-ssh:10022` */
export function servicePortName(service: Service, port: ServicePort): string {
  return `${withNamespace(service.ref.namespace, service.ref.name)}:${port.port.value}${port.protocol === 'TCP' ? '' : `/${port.protocol}`}`;
}

export function destinationName(destination: Destination): string {
  if (destination.kind === 'service') return servicePortName(destination.service, destination.port);
  const port = destination.port.kind === 'number' ? String(destination.port.number) : destination.port.name;
  return `${podName(destination.pod)}:${port}${destination.protocol === 'TCP' ? '' : `/${destination.protocol}`}`;
}

/** The sources and destinations a user can pick from, as the strings `parseSource`/`parseDestination` accept. */
export interface Candidate {
  name: string;
  description: string;
}

export function sourceCandidates(index: WorkspaceIndex): Candidate[] {
  const result: Candidate[] = [{ name: 'external', description: 'outside the cluster (through a LoadBalancer or NodePort)' }];
  for (const namespace of index.namespaceNames()) {
    result.push({ name: namespaceSourceName(namespace), description: `every pod of namespace ${namespace ?? '(unspecified)'}` });
  }
  for (const pod of sortedPods(index)) result.push({ name: podName(pod), description: `${pod.ref.kind} ${pod.ref.name}` });
  return uniqueCandidates(result);
}

export function destinationCandidates(index: WorkspaceIndex): Candidate[] {
  const result: Candidate[] = [];
  const key = (s: Service) => withNamespace(s.ref.namespace, s.ref.name);
  const services = index.allServices().filter((s) => s.selector).sort((a, b) => key(a).localeCompare(key(b)));
  for (const service of services) {
    for (const port of service.ports) {
      const target = port.targetPort?.value;
      const to = target ? (target.kind === 'number' ? String(target.number) : target.name) : String(port.port.value);
      result.push({ name: servicePortName(service, port), description: `Service (${service.type})${port.name ? ` "${port.name.value}"` : ''} → targetPort ${to}` });
    }
  }
  for (const pod of sortedPods(index)) {
    for (const port of pod.ports) {
      const protocol = port.protocol === 'TCP' ? '' : `/${port.protocol}`;
      result.push({ name: `${podName(pod)}:${port.containerPort.value}${protocol}`, description: `container ${port.container}${port.name ? ` "${port.name.value}"` : ''}` });
    }
  }
  return uniqueCandidates(result);
}

const unique = (names: string[]) => [...new Set(names)];

/** One entry per name: an object written in several files is one choice. */
function uniqueCandidates(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => !seen.has(c.name) && seen.add(c.name));
}

function sortedPods(index: WorkspaceIndex): PodTemplate[] {
  return index.allPods().sort((a, b) => podName(a).localeCompare(podName(b)));
}

export function parseSource(index: WorkspaceIndex, text: string): Source {
  const spec = text.trim();
  if (spec === 'external') return { kind: 'external' };
  const parts = spec.split('/');
  if (parts.at(-1) === '*' && parts.length <= 2) {
    const namespace = parts.length === 2 ? parts[0] : undefined;
    if (!index.namespaceNames().includes(namespace)) throw new EndpointError(`no namespace "${namespace ?? ''}" in the workspace`, near(spec, sourceCandidates(index)));
    return { kind: 'namespace', namespace };
  }
  const pod = findPod(index, parts);
  if (!pod) throw new EndpointError(`no pod template "${spec}" in the workspace (write namespace/Kind/name, namespace/* or external)`, near(spec, sourceCandidates(index)));
  return { kind: 'pod', pod };
}

export function parseDestination(index: WorkspaceIndex, text: string): Destination {
  const spec = text.trim();
  const colon = spec.lastIndexOf(':');
  const fail = (message: string) => new EndpointError(message, near(spec, destinationCandidates(index)));
  if (colon <= 0) throw fail(`"${spec}" names no port (write namespace/service:port or namespace/Kind/name:port)`);
  const { ref, protocol } = parsePort(spec.slice(colon + 1), fail);
  const parts = spec.slice(0, colon).split('/');
  if (parts.length <= 2) {
    const namespace = parts.length === 2 ? parts[0] : undefined;
    // The same name may be written more than once (one per file or chart); any of them may hold the port.
    const services = [...index.services(namespace)].filter((s) => s.ref.name === parts.at(-1) && s.ref.namespace === namespace);
    if (services.length > 0) {
      const matches = (p: ServicePort) => (protocol === undefined || p.protocol === protocol) && (ref.kind === 'number' ? p.port.value === ref.number : p.name?.value === ref.name);
      const service = services.find((s) => s.ports.some(matches));
      if (!service) throw new EndpointError(`Service ${parts.join('/')} has no port ${spec.slice(colon + 1)}`, unique(services.flatMap((s) => s.ports.map((p) => servicePortName(s, p)))));
      return { kind: 'service', service, port: service.ports.find(matches)! };
    }
  }
  const pod = findPod(index, parts);
  if (!pod) throw fail(`no Service or pod template "${spec.slice(0, colon)}" in the workspace`);
  if (ref.kind === 'name') {
    const declared = pod.ports.find((p) => p.name?.value === ref.name && (protocol === undefined || p.protocol === protocol));
    if (!declared) throw new EndpointError(`${pod.ref.kind} ${pod.ref.name} declares no port named "${ref.name}"`, pod.ports.filter((p) => p.name).map((p) => `${podName(pod)}:${p.name!.value}`));
    return { kind: 'pod', pod, port: ref, protocol: declared.protocol };
  }
  return { kind: 'pod', pod, port: ref, protocol: protocol ?? 'TCP' };
}

function parsePort(text: string, fail: (message: string) => Error): { ref: PortRef; protocol?: Protocol } {
  const [value, protocolText, ...rest] = text.split('/');
  const protocol = protocolText === undefined ? undefined : PROTOCOLS.find((p) => p === protocolText.toUpperCase());
  if (rest.length > 0 || (protocolText !== undefined && !protocol)) throw fail(`"${text}" is not a port (a number or a name, optionally followed by /TCP, /UDP or /SCTP)`);
  if (/^\d+$/.test(value)) {
    const number = Number(value);
    if (number < 1 || number > 65535) throw fail(`port ${value} is outside 1–65535`);
    return { ref: { kind: 'number', number }, protocol };
  }
  if (!isValidPortName(value)) throw fail(`"${value}" is neither a port number nor a valid port name`);
  return { ref: { kind: 'name', name: value }, protocol };
}

/** `ns/Kind/name` or `Kind/name` (unspecified namespace); the kind is matched case-insensitively. */
function findPod(index: WorkspaceIndex, parts: string[]): PodTemplate | undefined {
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const namespace = parts.length === 3 ? parts[0] : undefined;
  const [kindText, name] = parts.slice(-2);
  const kind = KINDS.find((k) => k.toLowerCase() === kindText.toLowerCase());
  if (!kind) return undefined;
  return [...index.pods(namespace)].find((pod) => pod.ref.kind === kind && pod.ref.name === name && pod.ref.namespace === namespace);
}

/** The few candidate names closest to what was written. */
function near(written: string, candidates: Candidate[]): string[] {
  const target = written.toLowerCase();
  return candidates
    .map((c) => ({ name: c.name, distance: editDistance(target, c.name.toLowerCase()) }))
    .filter((c) => c.distance <= Math.max(3, Math.floor(target.length / 2)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((c) => c.name);
}
