import {
  backendNamespace,
  type PodTemplate,
  type PortRef,
  type Protocol,
  type Router,
  type Service,
  type ServiceBackend,
  type ServicePort,
  type WorkloadKind,
} from '../../model/manifest';
import { REFERENCE_KINDS } from '../../model/prefilter';
import { backendTarget } from '../index/references';
import { editDistance } from '../fixes/edits';
import { isValidPortName } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { PROTOCOLS } from '../../model/manifest';

/** Where traffic comes from: one pod template, any pod of a namespace, or outside the cluster. */
export type Source = { kind: 'pod'; pod: PodTemplate } | { kind: 'namespace'; namespace: string | undefined } | { kind: 'external' };

/** An Ingress or route backend that sends traffic to a Service port. */
export interface Via {
  router: Router;
  backend: ServiceBackend;
}

/** Where traffic goes: a Service port (reached through an Ingress or route backend, `via`), or a port of one pod template. */
export type Destination =
  | { kind: 'service'; service: Service; port: ServicePort; via?: Via }
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
  const protocol = port.protocol === 'TCP' ? '' : `/${port.protocol}`;
  return `${withNamespace(service.ref.namespace, service.ref.name)}:${port.port.value}${protocol}`;
}

/** `shop/Ingress/web:/api` */
export function backendName({ router, backend }: Via): string {
  return `${withNamespace(router.ref.namespace, `${router.ref.kind}/${router.ref.name}`)}:${backend.label}`;
}

export function destinationName(destination: Destination): string {
  if (destination.kind === 'service')
    return destination.via ? backendName(destination.via) : servicePortName(destination.service, destination.port);
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
  const services = index
    .allServices()
    .filter((s) => s.selector)
    .sort((a, b) => key(a).localeCompare(key(b)));
  for (const service of services) {
    for (const port of service.ports) {
      const target = port.targetPort?.value;
      const to = target ? (target.kind === 'number' ? String(target.number) : target.name) : String(port.port.value);
      result.push({
        name: servicePortName(service, port),
        description: `Service (${service.type})${port.name ? ` "${port.name.value}"` : ''} → targetPort ${to}`,
      });
    }
  }
  for (const router of index.allRouters()) {
    for (const backend of router.backends) {
      const port = backend.port ? `:${backend.port.value.kind === 'number' ? backend.port.value.number : backend.port.value.name}` : '';
      result.push({
        name: backendName({ router, backend }),
        description: `${router.ref.kind} backend → Service ${backend.service.value}${port}`,
      });
    }
  }
  for (const pod of sortedPods(index)) {
    for (const port of pod.ports) {
      const protocol = port.protocol === 'TCP' ? '' : `/${port.protocol}`;
      result.push({
        name: `${podName(pod)}:${port.containerPort.value}${protocol}`,
        description: `container ${port.container}${port.name ? ` "${port.name.value}"` : ''}`,
      });
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
    // A namespace without objects here is a valid source (an ingress controller installed elsewhere): its pods are unknown.
    const known = index.namespaceNames().includes(namespace);
    if (!known && !(namespace && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace))) {
      throw new EndpointError(`"${namespace ?? ''}" is not a namespace name`, near(spec, sourceCandidates(index)));
    }
    return { kind: 'namespace', namespace };
  }
  const pod = findPod(index, parts);
  if (!pod)
    throw new EndpointError(
      `no pod template "${spec}" in the workspace (write namespace/Kind/name, namespace/* or external)`,
      near(spec, sourceCandidates(index)),
    );
  return { kind: 'pod', pod };
}

export function parseDestination(index: WorkspaceIndex, text: string): Destination {
  const spec = text.trim();
  const colon = spec.lastIndexOf(':');
  const fail = (message: string) => new EndpointError(message, near(spec, destinationCandidates(index)));
  if (colon <= 0)
    throw fail(`"${spec}" names no port (write namespace/service:port, namespace/Kind/name:port or namespace/Ingress/name:/path)`);
  const via = findBackend(index, spec.slice(0, colon).split('/'), spec.slice(colon + 1));
  if (via) return throughBackend(index, via);
  const { ref, protocol } = parsePort(spec.slice(colon + 1), fail);
  const parts = spec.slice(0, colon).split('/');
  if (parts.length <= 2) {
    const namespace = parts.length === 2 ? parts[0] : undefined;
    // The same name may be written more than once (one per file or chart); any of them may hold the port.
    const services = [...index.services(namespace)].filter((s) => s.ref.name === parts.at(-1) && s.ref.namespace === namespace);
    if (services.length > 0) {
      const matches = (p: ServicePort) =>
        (protocol === undefined || p.protocol === protocol) &&
        (ref.kind === 'number' ? p.port.value === ref.number : p.name?.value === ref.name);
      const service = services.find((s) => s.ports.some(matches));
      if (!service)
        throw new EndpointError(
          `Service ${parts.join('/')} has no port ${spec.slice(colon + 1)}`,
          unique(services.flatMap((s) => s.ports.map((p) => servicePortName(s, p)))),
        );
      return { kind: 'service', service, port: service.ports.find(matches)! };
    }
  }
  const pod = findPod(index, parts);
  if (!pod) throw fail(`no Service or pod template "${spec.slice(0, colon)}" in the workspace`);
  if (ref.kind === 'name') {
    const declared = pod.ports.find((p) => p.name?.value === ref.name && (protocol === undefined || p.protocol === protocol));
    if (!declared)
      throw new EndpointError(
        `${pod.ref.kind} ${pod.ref.name} declares no port named "${ref.name}"`,
        pod.ports.filter((p) => p.name).map((p) => `${podName(pod)}:${p.name!.value}`),
      );
    return { kind: 'pod', pod, port: ref, protocol: declared.protocol };
  }
  return { kind: 'pod', pod, port: ref, protocol: protocol ?? 'TCP' };
}

function parsePort(text: string, fail: (message: string) => Error): { ref: PortRef; protocol?: Protocol } {
  const [value, protocolText, ...rest] = text.split('/');
  const protocol = protocolText === undefined ? undefined : PROTOCOLS.find((p) => p === protocolText.toUpperCase());
  if (rest.length > 0 || (protocolText !== undefined && !protocol))
    throw fail(`"${text}" is not a port (a number or a name, optionally followed by /TCP, /UDP or /SCTP)`);
  if (/^\d+$/.test(value)) {
    const number = Number(value);
    if (number < 1 || number > 65535) throw fail(`port ${value} is outside 1–65535`);
    return { ref: { kind: 'number', number }, protocol };
  }
  if (!isValidPortName(value)) throw fail(`"${value}" is neither a port number nor a valid port name`);
  return { ref: { kind: 'name', name: value }, protocol };
}

/**
 * The backend `ns/Ingress/name:/path` names (or `ns/HTTPRoute/name:rule 1`; the path may leave out
 * the host), undefined when the kind is not an Ingress or route; an error when the object or the
 * backend is not there.
 */
function findBackend(index: WorkspaceIndex, parts: string[], label: string): Via | undefined {
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const namespace = parts.length === 3 ? parts[0] : undefined;
  const [kindText, name] = parts.slice(-2);
  const kind = [...REFERENCE_KINDS].find((k) => k.toLowerCase() === kindText.toLowerCase() && !k.endsWith('Monitor'));
  if (!kind) return undefined;
  const routers = index.allRouters().filter((r) => r.ref.kind === kind && r.ref.name === name && r.ref.namespace === namespace);
  const all = routers.flatMap((router) => router.backends.map((backend) => ({ router, backend })));
  if (routers.length === 0) throw new EndpointError(`no ${kind} "${parts.join('/')}" in the workspace`, []);
  const found = all.find((b) => b.backend.label === label) ?? all.find((b) => b.backend.label.endsWith(label) && label.startsWith('/'));
  if (!found) throw new EndpointError(`${kind} ${parts.join('/')} has no backend for "${label}"`, unique(all.map(backendName)));
  return found;
}

/** The Service port a backend sends to, as the destination; an error when it names none. */
function throughBackend(index: WorkspaceIndex, via: Via): Destination {
  const { services, ports } = backendTarget(index, via.router, via.backend);
  const service = `Service ${withNamespace(backendNamespace(via.router, via.backend), via.backend.service.value)}`;
  if (services.length === 0) throw new EndpointError(`${backendName(via)} sends to ${service}, which is not in the workspace`, []);
  if (ports.length === 0) {
    const written = via.backend.port
      ? via.backend.port.value.kind === 'number'
        ? via.backend.port.value.number
        : `"${via.backend.port.value.name}"`
      : '(none)';
    throw new EndpointError(`${backendName(via)} names port ${written}, which ${service} does not have (backend-port-unmatched)`, []);
  }
  return { kind: 'service', service: ports[0].service, port: ports[0].port, via };
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
