import type { Node, YAMLMap } from 'yaml';
import type {
  Located,
  Monitor,
  MonitorEndpoint,
  MonitorNamespaces,
  ObjectRef,
  PortRef,
  Probe,
  ProbeKind,
  Router,
  ServiceBackend,
} from './manifest';
import { readSelector } from './parse';
import { ROUTE_KINDS } from './prefilter';
import type { YamlReader } from './yamlReader';

/** Reads the object into `routers` or `monitors`; the caller checked its kind and group. */
export function readReference(r: YamlReader, object: YAMLMap, ref: ObjectRef, out: { routers: Router[]; monitors: Monitor[] }): void {
  const spec = r.map(r.get(object, 'spec'), 'spec');
  if (!spec) return;
  if (ref.kind === 'Ingress') out.routers.push({ ref, backends: ingressBackends(r, spec) });
  else if (ROUTE_KINDS.has(ref.kind)) out.routers.push({ ref, backends: routeBackends(r, spec) });
  else out.monitors.push(readMonitor(r, spec, ref, object));
}

function ingressBackends(r: YamlReader, spec: YAMLMap): ServiceBackend[] {
  const backends: ServiceBackend[] = [];
  const defaultBackend = ingressBackend(r, r.get(spec, 'defaultBackend'), 'default backend');
  if (defaultBackend) backends.push(defaultBackend);
  for (const ruleNode of r.items(r.seq(r.get(spec, 'rules'), 'spec.rules'))) {
    const rule = r.map(ruleNode, 'an Ingress rule');
    const host = r.string(r.get(rule, 'host'), 'host')?.value ?? '';
    const http = r.map(r.get(rule, 'http'), 'http');
    for (const pathNode of r.items(r.seq(r.get(http, 'paths'), 'http.paths'))) {
      const path = r.map(pathNode, 'an Ingress path');
      const written = r.string(r.get(path, 'path'), 'path')?.value;
      const backend = ingressBackend(r, r.get(path, 'backend'), `${host}${written ?? (host ? '' : '/')}`);
      if (backend) backends.push(backend);
    }
  }
  return backends;
}

/** `backend.service` of an Ingress (a `resource` backend names no Service). */
function ingressBackend(r: YamlReader, node: Node | undefined, label: string): ServiceBackend | undefined {
  const backend = r.map(node, 'backend');
  const service = r.map(r.get(backend, 'service'), 'backend.service');
  const name = r.string(r.get(service, 'name'), 'backend.service.name');
  if (!service || !name) return undefined;
  const result: ServiceBackend = { service: name, label };
  const port = r.map(r.get(service, 'port'), 'backend.service.port');
  const number = r.integer(r.get(port, 'number'), 'port.number');
  const portName = r.string(r.get(port, 'name'), 'port.name');
  if (number) result.port = asRef(number, { kind: 'number', number: number.value });
  else if (portName) result.port = asRef(portName, { kind: 'name', name: portName.value });
  return result;
}

function routeBackends(r: YamlReader, spec: YAMLMap): ServiceBackend[] {
  const backends: ServiceBackend[] = [];
  r.items(r.seq(r.get(spec, 'rules'), 'spec.rules')).forEach((ruleNode, i) => {
    const rule = r.map(ruleNode, 'a route rule');
    // An HTTPRoute rule is named by its first path match, as people read it; other rules by number.
    const firstMatch = r.map(r.items(r.seq(r.get(rule, 'matches'), 'matches'))[0], 'a match');
    const path = r.string(r.get(r.map(r.get(firstMatch, 'path'), 'path'), 'value'), 'path.value')?.value;
    const label = path ?? `rule ${i + 1}`;
    for (const refNode of r.items(r.seq(r.get(rule, 'backendRefs'), 'backendRefs'))) {
      const backendRef = r.map(refNode, 'a backendRef');
      const group = r.string(r.get(backendRef, 'group'), 'group')?.value ?? '';
      const kind = r.string(r.get(backendRef, 'kind'), 'kind')?.value ?? 'Service';
      const name = r.string(r.get(backendRef, 'name'), 'name');
      if (!backendRef || !name || group !== '' || kind !== 'Service') continue;
      const namespace = r.string(r.get(backendRef, 'namespace'), 'namespace')?.value;
      const backend: ServiceBackend = { service: name, label };
      if (namespace) backend.namespace = namespace;
      const port = r.integer(r.get(backendRef, 'port'), 'port');
      if (port) backend.port = asRef(port, { kind: 'number', number: port.value });
      backends.push(backend);
    }
  });
  return backends;
}

function readMonitor(r: YamlReader, spec: YAMLMap, ref: ObjectRef, object: YAMLMap): Monitor {
  const selects = ref.kind === 'ServiceMonitor' ? 'services' : 'pods';
  const endpointsKey = selects === 'services' ? 'endpoints' : 'podMetricsEndpoints';
  const endpoints: MonitorEndpoint[] = [];
  for (const node of r.items(r.seq(r.get(spec, endpointsKey), `spec.${endpointsKey}`))) {
    const entry = r.map(node, 'a scrape endpoint');
    if (!entry) continue;
    const endpoint: MonitorEndpoint = {};
    const port = r.string(r.get(entry, 'port'), 'port');
    const targetPort = r.portRef(r.get(entry, 'targetPort'), 'targetPort');
    const portNumber = selects === 'pods' ? r.integer(r.get(entry, 'portNumber'), 'portNumber') : undefined;
    if (port) endpoint.port = port;
    if (targetPort) endpoint.targetPort = targetPort;
    if (portNumber) endpoint.portNumber = portNumber;
    endpoints.push(endpoint);
  }
  return {
    ref,
    selects,
    selector: readSelector(r, r.get(spec, 'selector'), 'spec.selector', r.keyNode(spec, 'selector') ?? object),
    namespaces: monitorNamespaces(r, r.get(spec, 'namespaceSelector')),
    endpoints,
  };
}

function monitorNamespaces(r: YamlReader, node: Node | undefined): MonitorNamespaces {
  const selector = r.map(node, 'spec.namespaceSelector');
  if (!selector) return { kind: 'own' };
  if (r.boolean(r.get(selector, 'any'), 'namespaceSelector.any')) return { kind: 'any' };
  const names = r
    .items(r.seq(r.get(selector, 'matchNames'), 'namespaceSelector.matchNames'))
    .map((n) => r.string(n, 'a namespace name')?.value)
    .filter((n): n is string => n !== undefined);
  return names.length > 0 ? { kind: 'names', names } : { kind: 'own' };
}

const PROBES: Array<[string, ProbeKind]> = [
  ['livenessProbe', 'liveness'],
  ['readinessProbe', 'readiness'],
  ['startupProbe', 'startup'],
];
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/** The probes of one container that name a port. */
export function readProbes(r: YamlReader, container: YAMLMap | undefined, containerName: string): Probe[] {
  const probes: Probe[] = [];
  for (const [key, kind] of PROBES) {
    const probe = r.map(r.get(container, key), key);
    for (const handler of HANDLERS) {
      const action = r.map(r.get(probe, handler), `${key}.${handler}`);
      const port =
        handler === 'grpc'
          ? numberRef(r.integer(r.get(action, 'port'), `${key}.grpc.port`))
          : r.portRef(r.get(action, 'port'), `${key}.${handler}.port`);
      if (port) probes.push({ container: containerName, kind, handler, port });
    }
  }
  return probes;
}

function numberRef(value: Located<number> | undefined): Located<PortRef> | undefined {
  return value && asRef(value, { kind: 'number', number: value.value });
}

function asRef<T>(located: Located<T>, value: PortRef): Located<PortRef> {
  return { ...located, value };
}
