/**
 * What both profiles of the generated workspaces are made of: the writer of a file's lines, the seeded
 * random numbers, the shared names, the documents both profiles write the same way (the kube-dns app,
 * the storefront port that five policies name, the edge proxy of 20 ports) and the pieces of workloads,
 * Services and policies they share, and the output that writes the files and counts their bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** A mistake written on purpose: the warning expected at `line:character` and the value that fixes it. */
export interface Planted {
  file: string;
  line: number;
  character: number;
  code: string;
  wrong: string;
  right: string;
}

/** A Deployment whose named port several policies in other files use. */
export interface Position {
  line: number;
  character: number;
}

/** A port that objects in other files name: the edit that renames it, and the files it re-publishes. */
export interface Dependency {
  file: string;
  /** Where `text` starts in `file`; the edit replaces it with `renamed` (and back). */
  start: Position;
  text: string;
  renamed: string;
  /** The files whose findings change when the port is renamed. */
  dependents: string[];
}

export interface GeneratedWorkspace {
  root: string;
  files: string[];
  bytes: number;
  /** Bytes in documents of kinds the analysis reads. */
  readBytes: number;
  planted: Planted[];
  /** A Deployment's port name that five policies and a Service use. */
  dependency: Dependency;
  /** A Service port (name and number) that an Ingress, an HTTPRoute and a ServiceMonitor in other files name. */
  serviceDependency: Dependency;
  /** A file with a Service of 20 ports (code lens and hover are measured on it): its `port:` values. */
  lens: { file: string; ports: Array<{ line: number; character: number }> };
}

/** An edge proxy serving 20 named ports, its Service forwarding all of them, and a policy admitting half. */
export function writeWidePortApp(w: Writer, namespace: string): Array<{ line: number; character: number }> {
  const ports = Array.from({ length: 20 }, (_, i) => ({ name: `edge-${i}`, number: 7000 + i }));
  const positions: Array<{ line: number; character: number }> = [];
  w.beginRead();
  w.push(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: edge-proxy',
    `  namespace: ${namespace}`,
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: edge-proxy',
  );
  w.push(
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: edge-proxy',
    '    spec:',
    '      containers:',
    '        - name: proxy',
    '          image: envoyproxy/envoy:v1.31.0',
    '          ports:',
  );
  for (const p of ports) w.push(`            - name: ${p.name}`, `              containerPort: ${p.number}`);
  w.push(
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: edge-proxy',
    `  namespace: ${namespace}`,
    'spec:',
    '  selector:',
    '    app: edge-proxy',
    '  ports:',
  );
  for (const p of ports) {
    w.push(`    - name: ${p.name}`, `      port: ${p.number + 10000}`);
    positions.push(w.last(String(p.number + 10000)));
    w.push(`      targetPort: ${p.name}`);
  }
  w.push(
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: edge-proxy',
    `  namespace: ${namespace}`,
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    '      app: edge-proxy',
    '  ingress:',
    '    - from:',
    '        - podSelector: {}',
    '      ports:',
  );
  for (const p of ports.slice(0, 10)) w.push(`        - port: ${p.name}`);
  w.endRead();
  return positions;
}

/** mulberry32: a small seeded PRNG, so the same seed writes the same workspace. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORDS = [
  'api',
  'web',
  'auth',
  'billing',
  'cart',
  'search',
  'orders',
  'users',
  'media',
  'mail',
  'queue',
  'cache',
  'report',
  'gateway',
  'catalog',
  'payments',
  'ledger',
  'notify',
  'export',
  'ingest',
];
export const TEAMS = ['core', 'data', 'growth', 'infra', 'platform', 'shop'];
export const CLUSTERS = ['prod-eu', 'prod-us', 'staging'];

/** Lines of one file, remembering where things were written. */
export class Writer {
  readonly lines: string[] = [];
  readBytes = 0;
  private readStart: number | undefined;

  push(...lines: string[]): void {
    this.lines.push(...lines);
  }

  /** The position of `value` on the last line written. */
  last(value: string): { line: number; character: number } {
    const line = this.lines.length - 1;
    return { line, character: this.lines[line].lastIndexOf(value) };
  }

  /** Marks the documents from here to `endRead()` as ones the analysis reads. */
  beginRead(): void {
    this.readStart = this.size();
  }

  endRead(): void {
    if (this.readStart !== undefined) this.readBytes += this.size() - this.readStart;
    this.readStart = undefined;
  }

  size(): number {
    return this.lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

export interface PortSpec {
  name?: string;
  number: number;
  protocol?: 'UDP';
}

export const WORKLOAD_KINDS = [
  'Deployment',
  'Deployment',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
];

/** The shape of an app that the shared writers need. */
export interface AppBase {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: PortSpec[];
}

/** kube-system's DNS, which every egress rule to DNS resolves to. */
export const KUBE_DNS: AppBase = {
  name: 'coredns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', number: 53, protocol: 'UDP' },
    { name: 'dns-tcp', number: 53 },
    { name: 'metrics', number: 9153 },
  ],
};

/** A policy peer of kube-dns in kube-system, by namespace name and pod label, up to its `ports:` line. */
export const KUBE_DNS_PEER = [
  '    - to:',
  '        - namespaceSelector:',
  '            matchLabels:',
  '              kubernetes.io/metadata.name: kube-system',
  '          podSelector:',
  '            matchLabels:',
  '              k8s-app: kube-dns',
  '      ports:',
];

/** The dependency: one Deployment whose port name "web" five policies and a Service use. */
export function storefrontApp(namespace: string): AppBase {
  return {
    name: 'storefront',
    namespace,
    labels: { app: 'storefront', tier: 'frontend' },
    ports: [
      { name: 'web', number: 8443 },
      { name: 'admin', number: 9443 },
    ],
  };
}

/** One of the five policies that admit the storefront's port "web" from a team's namespaces. */
export function writeStorefrontPolicy(w: Writer, namespace: string, team: string): void {
  w.beginRead();
  w.push(
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: storefront-from-${team}`,
    `  namespace: ${namespace}`,
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    '      app: storefront',
    '  ingress:',
    '    - from:',
    '        - namespaceSelector:',
    '            matchLabels:',
    `              team: ${team}`,
    '      ports:',
    '        - port: web',
  );
  w.endRead();
}

/** A Namespace with its labels. */
export function writeNamespace(w: Writer, name: string, labels: Record<string, string>): void {
  w.beginRead();
  w.push('apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${name}`, '  labels:');
  for (const [key, value] of Object.entries(labels)) w.push(`    ${key}: ${value}`);
  w.endRead();
}

export function workloadApiVersion(kind: string): string {
  return kind === 'Pod' || kind === 'ReplicationController' ? 'v1' : kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
}

/**
 * A container's `ports:` at indentation `s`; the protocol written for every port or only where it is
 * not TCP. Returns the position of the port named `markPort`.
 */
export function writeContainerPorts(
  w: Writer,
  s: string,
  ports: PortSpec[],
  markPort: string | undefined,
  protocol: 'always' | 'udp',
): { line: number; character: number } | undefined {
  let marked: { line: number; character: number } | undefined;
  w.push(`${s}    ports:`);
  for (const port of ports) {
    if (port.name) {
      w.push(`${s}      - name: ${port.name}`);
      if (port.name === markPort) marked = w.last(port.name);
      w.push(`${s}        containerPort: ${port.number}`);
    } else w.push(`${s}      - containerPort: ${port.number}`);
    if (protocol === 'always') w.push(`${s}        protocol: ${port.protocol ?? 'TCP'}`);
    else if (port.protocol) w.push(`${s}        protocol: ${port.protocol}`);
  }
  return marked;
}

/** A container's `env:`: a value per key, and the pod's IP from the downward API. */
export function writeEnv(w: Writer, s: string, appName: string, keys: string[]): void {
  w.push(`${s}    env:`);
  for (const key of keys) w.push(`${s}      - name: ${key}`, `${s}        value: "${key.toLowerCase()}-${appName}"`);
  w.push(`${s}      - name: POD_IP`, `${s}        valueFrom:`, `${s}          fieldRef:`, `${s}            fieldPath: status.podIP`);
}

/** An Envoy native sidecar (an init container that keeps running) with its admin port. */
export function writeEnvoySidecar(w: Writer, s: string, name: string): void {
  w.push(
    `${s}  - name: ${name}`,
    `${s}    image: envoyproxy/envoy:v1.31.0`,
    `${s}    restartPolicy: Always`,
    `${s}    ports:`,
    `${s}      - name: envoy-admin`,
    `${s}        containerPort: 15000`,
  );
}

/** The pod's `volumes:`, starting with the app's ConfigMap. */
export function writeConfigVolume(w: Writer, s: string, appName: string): void {
  w.push(`${s}volumes:`, `${s}  - name: config`, `${s}    configMap:`, `${s}      name: ${appName}-config`);
}

/** The files of a workspace as they are written under its root, with their bytes and the bytes the analysis reads. */
export class WorkspaceOutput {
  readonly files: string[] = [];
  bytes = 0;
  readBytes = 0;

  constructor(readonly root: string) {}

  /** Writes `file` (relative to the root) and returns its full path. */
  write(file: string, w: Writer): string {
    const full = path.join(this.root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    const text = w.text();
    writeFileSync(full, text);
    this.bytes += Buffer.byteLength(text);
    this.readBytes += w.readBytes;
    this.files.push(full);
    return full;
  }
}

/**
 * The storefront's Service: port "https" 443 forwards to the pods' "web". Returns the edit that renames and
 * renumbers that port (the Ingress names it, the HTTPRoute numbers it, the ServiceMonitor scrapes it by name).
 */
export function writeStorefrontService(w: Writer, namespace: string): Pick<Dependency, 'start' | 'text' | 'renamed'> {
  w.push('---');
  w.beginRead();
  w.push(
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: storefront',
    `  namespace: ${namespace}`,
    '  labels:',
    '    app: storefront',
    'spec:',
    '  type: ClusterIP',
    '  selector:',
    '    app: storefront',
    '  ports:',
    '    - name: https',
  );
  const start = w.last('https');
  w.push('      port: 443', '      targetPort: web', '      protocol: TCP');
  w.endRead();
  return { start, text: 'https\n      port: 443', renamed: 'tls\n      port: 8443' };
}

/** An Ingress routing to a Service port by name or number. */
export function writeIngress(
  w: Writer,
  namespace: string,
  name: string,
  host: string,
  service: string,
  port: { name: string } | { number: number },
): Position {
  w.push('---');
  w.beginRead();
  w.push(
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    '  annotations:',
    '    cert-manager.io/cluster-issuer: letsencrypt',
    'spec:',
    '  ingressClassName: nginx',
    '  tls:',
    '    - hosts:',
    `        - ${host}`,
    `      secretName: ${name}-tls`,
    '  rules:',
    `    - host: ${host}`,
    '      http:',
    '        paths:',
    '          - path: /',
    '            pathType: Prefix',
    '            backend:',
    '              service:',
    `                name: ${service}`,
    '                port:',
    'name' in port ? `                  name: ${port.name}` : `                  number: ${port.number}`,
  );
  const position = w.last('name' in port ? port.name : String(port.number));
  w.endRead();
  return position;
}

/** A Gateway API HTTPRoute from a shared Gateway to a Service port. */
export function writeHttpRoute(w: Writer, namespace: string, name: string, host: string, service: string, port: number): Position {
  w.push('---');
  w.beginRead();
  w.push(
    'apiVersion: gateway.networking.k8s.io/v1',
    'kind: HTTPRoute',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    '  parentRefs:',
    '    - name: public',
    '      namespace: gateway-system',
    '  hostnames:',
    `    - ${host}`,
    '  rules:',
    '    - matches:',
    '        - path:',
    '            type: PathPrefix',
    '            value: /',
    '      backendRefs:',
    `        - name: ${service}`,
    `          port: ${port}`,
  );
  const position = w.last(String(port));
  w.endRead();
  return position;
}

/** A ServiceMonitor (Services labelled `app`) or PodMonitor (pods labelled `app`) scraping a named port. */
export function writeMonitor(w: Writer, kind: 'ServiceMonitor' | 'PodMonitor', namespace: string, app: string, port: string): Position {
  w.push('---');
  w.beginRead();
  w.push(
    'apiVersion: monitoring.coreos.com/v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${app}`,
    `  namespace: ${namespace}`,
    '  labels:',
    '    release: prometheus',
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${app}`,
    kind === 'ServiceMonitor' ? '  endpoints:' : '  podMetricsEndpoints:',
    `    - port: ${port}`,
  );
  const position = w.last(port);
  w.push('      path: /metrics', '      interval: 30s');
  w.endRead();
  return position;
}

/** The Ingress, HTTPRoute and ServiceMonitor that name the storefront's Service port, a file each. */
export function storefrontReferences(namespace: string): Array<{ file: string; writer: Writer }> {
  const ingress = new Writer();
  writeIngress(ingress, namespace, 'storefront', 'shop.example.com', 'storefront', { name: 'https' });
  const route = new Writer();
  writeHttpRoute(route, namespace, 'storefront', 'www.shop.example.com', 'storefront', 443);
  const monitor = new Writer();
  writeMonitor(monitor, 'ServiceMonitor', namespace, 'storefront', 'https');
  return [
    { file: 'ingress.yaml', writer: ingress },
    { file: 'httproute.yaml', writer: route },
    { file: 'servicemonitor.yaml', writer: monitor },
  ];
}
