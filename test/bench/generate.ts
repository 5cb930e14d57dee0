/**
 * A deterministic generator of realistic manifest workspaces for the benchmark and the
 * fast-path test: apps of every workload kind with Services of every type, NetworkPolicies with
 * every selector and peer form, Namespaces, Lists and Helm-rendered files — and, as the bulk of
 * the bytes, big ConfigMaps (dashboards, configuration files), CRDs and other objects the
 * analysis never reads. A few per cent of the files hold a planted mistake at a known position.
 */
import * as path from 'node:path';
import { generatePortHeavyWorkspace } from './generatePortHeavy';
import {
  CLUSTERS,
  KUBE_DNS,
  KUBE_DNS_PEER,
  prng,
  storefrontApp,
  storefrontReferences,
  TEAMS,
  WORDS,
  WORKLOAD_KINDS,
  workloadApiVersion,
  WorkspaceOutput,
  Writer,
  writeConfigVolume,
  writeContainerPorts,
  writeEnv,
  writeEnvoySidecar,
  writeNamespace,
  writeStorefrontPolicy,
  writeStorefrontService,
  writeWidePortApp,
  type AppBase,
  type GeneratedWorkspace,
  type Planted,
  type PortSpec,
} from './writers';

export type { Dependency, GeneratedWorkspace, Planted, Position } from './writers';

export type Profile = 'current' | 'port-heavy';
export const PROFILES: Profile[] = ['current', 'port-heavy'];

/** The workspace of a profile: `current` (most bytes in objects the checks skip) or `port-heavy` (nearly all read). */
export function generateProfile(profile: Profile, root: string, fileCount: number): GeneratedWorkspace {
  return profile === 'port-heavy' ? generatePortHeavyWorkspace(root, fileCount) : generateWorkspace(root, fileCount);
}

interface App extends AppBase {
  /** Service port → target, for the policies that get the classic mistake. */
  forwarded?: { port: number; target: number };
}

const PORT_SETS: PortSpec[][] = [
  [
    { name: 'http', number: 8080 },
    { name: 'metrics', number: 9090 },
  ],
  [
    { name: 'ssh', number: 22 },
    { name: 'http', number: 80 },
  ],
  [{ name: 'postgres', number: 5432 }],
  [{ number: 6379 }],
  [
    { name: 'http', number: 3000 },
    { name: 'statsd', number: 9125, protocol: 'UDP' },
  ],
  [
    { name: 'grpc', number: 50051 },
    { name: 'http', number: 8081 },
  ],
];

export function generateWorkspace(root: string, fileCount: number, seed = 20260601): GeneratedWorkspace {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;

  const namespaces = Array.from(
    { length: Math.max(3, Math.round(fileCount / 40)) },
    (_, i) => `${pick(TEAMS)}-${WORDS[i % WORDS.length]}-${i}`,
  );
  const teamOf = new Map(namespaces.map((ns) => [ns, ns.split('-')[0]]));
  const clusterOf = new Map(namespaces.map((ns) => [ns, pick(CLUSTERS)]));
  const appsByNamespace = new Map<string, App[]>(namespaces.map((ns) => [ns, []]));
  const files: Array<{ file: string; writer: Writer }> = [];
  const planted: Planted[] = [];
  let fileNumber = 0;
  const add = (file: string, writer: Writer) => {
    files.push({ file, writer });
    fileNumber++;
  };
  const dir = (ns: string, ...rest: string[]) => path.posix.join('clusters', clusterOf.get(ns)!, ns, ...rest);

  {
    const w = new Writer();
    writeWorkload(w, KUBE_DNS, 'Deployment', false);
    add('platform/kube-system/coredns.yaml', w);
  }
  for (const ns of namespaces) {
    const w = new Writer();
    writeNamespace(w, ns, { team: teamOf.get(ns)!, environment: clusterOf.get(ns)!.startsWith('prod') ? 'production' : 'staging' });
    add(path.posix.join('clusters', clusterOf.get(ns)!, ns, 'namespace.yaml'), w);
  }

  const depNamespace = namespaces[0];
  const depApp: App = storefrontApp(depNamespace);
  const depWriter = new Writer();
  const depPosition = writeWorkload(depWriter, depApp, 'Deployment', false, 'web');
  const depFile = dir(depNamespace, 'storefront', 'deployment.yaml');
  add(depFile, depWriter);
  const dependents: string[] = [];
  const serviceFile = dir(depNamespace, 'storefront', 'service.yaml');
  const serviceWriter = new Writer();
  const servicePort = writeStorefrontService(serviceWriter, depNamespace);
  add(serviceFile, serviceWriter);
  dependents.push(serviceFile);
  const serviceDependents: string[] = [];
  for (const { file, writer } of storefrontReferences(depNamespace)) {
    add(dir(depNamespace, 'storefront', file), writer);
    serviceDependents.push(dir(depNamespace, 'storefront', file));
  }
  for (let i = 0; i < 5; i++) {
    const w = new Writer();
    writeStorefrontPolicy(w, depNamespace, TEAMS[i]);
    const file = dir(depNamespace, 'storefront', 'policies', `from-${TEAMS[i]}.yaml`);
    add(file, w);
    dependents.push(file);
  }

  const lensWriter = new Writer();
  const lensPorts = writeWidePortApp(lensWriter, depNamespace);
  const lensFile = dir(depNamespace, 'edge-proxy', 'edge-proxy.yaml');
  add(lensFile, lensWriter);

  // Apps first (policies refer to them), then everything else in proportion.
  const appCount = Math.round(fileCount * 0.36);
  for (let i = 0; fileNumber < fileCount && i < appCount; i++) {
    const ns = namespaces[i % namespaces.length];
    const name = `${pick(WORDS)}-${i}`;
    const ports = pick(PORT_SETS).filter(() => true);
    const app: App = {
      name,
      namespace: ns,
      labels: { app: name, team: teamOf.get(ns)!, ...(chance(0.5) ? { tier: pick(['frontend', 'backend']) } : {}) },
      ports: chance(0.1) ? [] : ports,
    };
    appsByNamespace.get(ns)!.push(app);
    const w = new Writer();
    if (chance(0.15)) writeHelmHeader(w, app);
    if (chance(0.3)) writeSmallConfigMap(w, app, random);
    const kind = pick(WORKLOAD_KINDS);
    writeWorkload(w, app, kind, chance(0.3));
    const first = app.ports[0];
    if (first && chance(0.85)) {
      // A Service whose port differs from the pod port it forwards to: the classic trap.
      const type = pick(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer', 'Headless']);
      const servicePort = first.number === 22 ? 10022 : first.number < 1024 ? first.number + 8000 : 80;
      const target = first.name && chance(0.5) ? first.name : String(first.number);
      if (chance(0.04) && first.name) {
        const p = writeService(w, app, type, [{ port: servicePort, target: `${first.name}x`, protocol: first.protocol }]);
        planted.push({ file: '', ...p!, code: 'service-target-port-unmatched', wrong: `${first.name}x`, right: first.name });
      } else {
        writeService(w, app, type, [{ port: servicePort, target, protocol: first.protocol }]);
        app.forwarded = { port: servicePort, target: first.number };
      }
    }
    if (chance(0.05)) {
      const other = new Writer();
      other.beginRead();
      other.push(
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: ${name}-external`,
        `  namespace: ${ns}`,
        'spec:',
        '  type: ExternalName',
        `  externalName: ${name}.example.com`,
      );
      other.endRead();
      w.push('---', ...other.lines);
      w.readBytes += other.readBytes;
    }
    const file = dir(ns, name, `${kind.toLowerCase()}.yaml`);
    add(file, w);
    for (const p of planted) if (p.file === '') p.file = file;
  }

  // Lists: a Service and a Deployment in one `kind: List`.
  const listCount = Math.max(1, Math.round(fileCount * 0.01));
  for (let i = 0; i < listCount && fileNumber < fileCount; i++) {
    const ns = pick(namespaces);
    const name = `legacy-${i}`;
    const app: App = { name, namespace: ns, labels: { app: name }, ports: [{ name: 'http', number: 8080 }] };
    appsByNamespace.get(ns)!.push(app);
    const inner = new Writer();
    writeWorkload(inner, app, 'Deployment', false);
    writeService(inner, app, 'ClusterIP', [{ port: 80, target: 'http' }]);
    const w = new Writer();
    w.beginRead();
    w.push('apiVersion: v1', 'kind: List', 'items:');
    let first = true;
    for (const line of inner.lines) {
      if (line === '---') {
        first = true;
        continue;
      }
      w.push((first ? '  - ' : '    ') + line);
      first = false;
    }
    w.endRead();
    add(dir(ns, name, 'list.yaml'), w);
  }

  // Policies: every app of a namespace gets some; a few carry a planted mistake.
  const policyCount = Math.round(fileCount * 0.12);
  for (let i = 0; i < policyCount && fileNumber < fileCount; i++) {
    const ns = namespaces[i % namespaces.length];
    const apps = appsByNamespace.get(ns)!.filter((a) => a.ports.length > 0);
    if (apps.length === 0) continue;
    const app = pick(apps);
    const w = new Writer();
    const plant = chance(0.35) ? pick(['classic', 'name', 'protocol'] as const) : undefined;
    const p = writePolicy(w, app, i, plant, namespaces, appsByNamespace);
    const file = dir(ns, app.name, 'policies', `policy-${i}.yaml`);
    add(file, w);
    if (p) planted.push({ file, ...p });
  }

  // The bulk: objects the analysis never reads.
  while (fileNumber < fileCount) {
    const ns = pick(namespaces);
    const r = random();
    const w = new Writer();
    let file: string;
    if (r < 0.3) {
      writeConfigFile(w, ns, fileNumber, random);
      file = dir(ns, 'config', `config-${fileNumber}.yaml`);
    } else if (r < 0.45) {
      writeDashboard(w, ns, fileNumber, random);
      file = path.posix.join('dashboards', teamOf.get(ns)!, `dashboard-${fileNumber}.yaml`);
    } else if (r < 0.55) {
      writeCrd(w, fileNumber, random);
      file = path.posix.join('platform', 'crds', pick(['monitoring', 'cert-manager', 'istio', 'argo']), `crd-${fileNumber}.yaml`);
    } else if (r < 0.65) {
      writeRules(w, ns, fileNumber, random);
      file = dir(ns, 'monitoring', `rules-${fileNumber}.yaml`);
    } else {
      writeRbacAndFriends(w, ns, fileNumber, random);
      file = dir(ns, 'rbac', `access-${fileNumber}.yaml`);
    }
    add(file, w);
  }

  const output = new WorkspaceOutput(root);
  for (const { file, writer } of files) output.write(file, writer);
  return {
    root,
    files: output.files,
    bytes: output.bytes,
    readBytes: output.readBytes,
    planted: planted.map((p) => ({ ...p, file: path.join(root, p.file) })),
    dependency: {
      file: path.join(root, depFile),
      start: depPosition!,
      text: 'web',
      renamed: 'web2',
      dependents: dependents.map((d) => path.join(root, d)),
    },
    serviceDependency: {
      file: path.join(root, serviceFile),
      ...servicePort,
      dependents: serviceDependents.map((d) => path.join(root, d)),
    },
    lens: { file: path.join(root, lensFile), ports: lensPorts },
  };

  function writeHelmHeader(w: Writer, app: App): void {
    w.push('---', `# Source: ${app.name}/templates/deployment.yaml`);
  }

  function writeWorkload(
    w: Writer,
    app: AppBase,
    kind: string,
    withSidecar: boolean,
    markPort?: string,
  ): { line: number; character: number } | undefined {
    let marked: { line: number; character: number } | undefined;
    if (w.lines.length > 0 && w.lines.at(-1)!.startsWith('#') === false) w.push('---');
    else if (w.lines.length === 0) w.push('---');
    w.beginRead();
    w.push(
      `# ${kind} for ${app.name}: owned by team ${app.labels.team ?? 'platform'}`,
      `apiVersion: ${workloadApiVersion(kind)}`,
      `kind: ${kind}`,
      'metadata:',
      `  name: ${app.name}`,
      `  namespace: ${app.namespace}`,
    );
    const labels = Object.entries(app.labels);
    w.push('  labels: &labels');
    for (const [k, v] of labels) w.push(`    ${k}: ${v}`);
    w.push(
      '    app.kubernetes.io/managed-by: gitops',
      '  annotations:',
      '    deployment.kubernetes.io/revision: "3"',
      `    description: "${app.name} serves the ${app.namespace} namespace"`,
    );
    let s: string;
    if (kind === 'Pod') {
      w.push('spec:');
      s = '  ';
    } else if (kind === 'CronJob') {
      w.push(
        'spec:',
        '  schedule: "*/15 * * * *"',
        '  concurrencyPolicy: Forbid',
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        metadata:',
        '          labels:',
      );
      for (const [k, v] of labels) w.push(`            ${k}: ${v}`);
      w.push('        spec:');
      s = '          ';
    } else {
      w.push('spec:');
      if (kind !== 'Job' && kind !== 'DaemonSet') w.push(`  replicas: ${1 + (app.name.length % 3)}`);
      if (kind === 'StatefulSet') w.push(`  serviceName: ${app.name}-headless`);
      if (kind === 'ReplicationController') w.push('  selector: *labels');
      else if (kind !== 'Job') w.push('  selector:', '    matchLabels: *labels');
      w.push(
        '  template:',
        '    metadata:',
        '      labels: *labels',
        '      annotations:',
        '        prometheus.io/scrape: "true"',
        '    spec:',
      );
      s = '      ';
    }
    if (kind === 'Job' || kind === 'CronJob') w.push(`${s}restartPolicy: OnFailure`);
    w.push(`${s}serviceAccountName: ${app.name}`, `${s}securityContext:`, `${s}  runAsNonRoot: true`, `${s}  fsGroup: 1000`);
    if (withSidecar) {
      w.push(`${s}initContainers:`);
      writeEnvoySidecar(w, s, 'proxy');
    }
    w.push(
      `${s}containers:`,
      `${s}  - name: ${app.name}`,
      `${s}    image: registry.example.com/${app.namespace}/${app.name}:1.${app.name.length}.0`,
      `${s}    args: ["--log-level=info", "--listen=:${app.ports[0]?.number ?? 0}"]`,
    );
    if (app.ports.length > 0) marked = writeContainerPorts(w, s, app.ports, markPort, 'udp');
    writeEnv(w, s, app.name, ['LOG_LEVEL', 'DATABASE_HOST', 'CACHE_TTL', 'FEATURE_FLAGS']);
    w.push(`${s}    resources:`, `${s}      requests: {cpu: 100m, memory: 128Mi}`, `${s}      limits:`, `${s}        memory: 512Mi`);
    const probe = app.ports.find((p) => p.name === 'http');
    if (probe)
      w.push(
        `${s}    readinessProbe:`,
        `${s}      httpGet:`,
        `${s}        path: /healthz`,
        `${s}        port: http`,
        `${s}      periodSeconds: 10`,
      );
    w.push(`${s}    volumeMounts:`, `${s}      - name: config`, `${s}        mountPath: /etc/${app.name}`);
    writeConfigVolume(w, s, app.name);
    w.endRead();
    return marked;
  }

  function writeService(
    w: Writer,
    app: App,
    type: string,
    ports: Array<{ port: number; target: string; protocol?: string }>,
  ): { line: number; character: number } | undefined {
    let marked: { line: number; character: number } | undefined;
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: ${app.name}${type === 'Headless' ? '-headless' : ''}`,
      `  namespace: ${app.namespace}`,
      'spec:',
    );
    if (type === 'Headless') w.push('  clusterIP: None');
    else w.push(`  type: ${type}`);
    w.push('  selector:', `    app: ${app.labels.app}`, '  ports:');
    for (const p of ports) {
      w.push(`    - name: ${p.target.replace(/^\d+$/, 'tcp')}-svc`, `      port: ${p.port}`, `      targetPort: ${p.target}`);
      if (p.target.endsWith('x')) marked = w.last(p.target);
      if (p.protocol) w.push(`      protocol: ${p.protocol}`);
      if (type === 'NodePort') w.push(`      nodePort: ${30000 + (p.port % 2000)}`);
    }
    w.endRead();
    return marked;
  }

  function writeSmallConfigMap(w: Writer, app: App, rnd: () => number): void {
    w.push('---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${app.name}-config`, `  namespace: ${app.namespace}`, 'data:');
    for (let i = 0; i < 10 + Math.floor(rnd() * 20); i++) w.push(`  setting_${i}: "${Math.floor(rnd() * 1e9).toString(36)}"`);
  }

  function writePolicy(
    w: Writer,
    app: App,
    i: number,
    plant: 'classic' | 'name' | 'protocol' | undefined,
    all: string[],
    apps: Map<string, App[]>,
  ): Omit<Planted, 'file'> | undefined {
    let result: Omit<Planted, 'file'> | undefined;
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      `  name: ${app.name}-policy-${i}`,
      `  namespace: ${app.namespace}`,
      'spec:',
    );
    const form = plant ? i % 3 : i % 4;
    if (form === 3) w.push('  podSelector: {}');
    else if (form === 0) w.push('  podSelector:', '    matchLabels:', `      app: ${app.labels.app}`);
    else if (form === 1)
      w.push(
        '  podSelector:',
        '    matchExpressions:',
        '      - key: app',
        '        operator: In',
        `        values: [${app.labels.app}]`,
        '      - key: legacy',
        '        operator: DoesNotExist',
      );
    else w.push('  podSelector: {matchLabels: {app: ' + app.labels.app + '}}');
    w.push('  policyTypes: [Ingress, Egress]', '  ingress:');
    const peers = [
      ['    - from:', '        - podSelector:', '            matchLabels:', `              team: ${app.labels.team}`],
      [
        '    - from:',
        '        - namespaceSelector:',
        '            matchLabels:',
        `              team: ${pick(TEAMS)}`,
        '          podSelector:',
        '            matchExpressions:',
        '              - {key: tier, operator: NotIn, values: [batch]}',
      ],
      ['    - from:', '        - ipBlock:', '            cidr: 10.0.0.0/8', '            except: [10.1.0.0/16]'],
      [
        '    - from:',
        '        - namespaceSelector:',
        '            matchExpressions:',
        '              - key: environment',
        '                operator: Exists',
      ],
    ];
    w.push(...pick(peers), '      ports:');
    const ports = app.ports;
    if (plant === 'classic' && app.forwarded && app.forwarded.port !== app.forwarded.target) {
      const udp = ports[0].protocol === 'UDP';
      w.push(`        - port: ${app.forwarded.port}`);
      result = {
        ...w.last(String(app.forwarded.port)),
        code: 'netpol-port-unmatched',
        wrong: String(app.forwarded.port),
        right: String(app.forwarded.target),
      };
      if (udp) w.push('          protocol: UDP');
    } else if (plant === 'name' && ports.some((p) => p.name && !p.protocol)) {
      const named = ports.find((p) => p.name && !p.protocol)!;
      const typo = `${named.name}s`;
      w.push(`        - port: ${typo}`);
      result = { ...w.last(typo), code: 'netpol-port-unmatched', wrong: typo, right: named.name! };
    } else if (plant === 'protocol' && ports.some((p) => p.protocol === 'UDP')) {
      const udp = ports.find((p) => p.protocol === 'UDP')!;
      w.push(`        - port: ${udp.number}`);
      result = { ...w.last(String(udp.number)), code: 'netpol-protocol-mismatch', wrong: String(udp.number), right: String(udp.number) };
    } else {
      for (const p of ports) {
        const byName = p.name && chance(0.5);
        w.push(`        - port: ${byName ? p.name : p.number}`);
        if (p.protocol) w.push(`          protocol: ${p.protocol}`);
        else if (chance(0.3)) w.push('          protocol: TCP');
      }
      if (chance(0.1)) w.push('        - port: 32000', '          endPort: 32767');
    }
    // Egress: DNS in kube-system, and an app of another namespace, picked by the namespace's name.
    w.push('  egress:', ...KUBE_DNS_PEER, '        - {port: 53, protocol: UDP}', '        - port: dns-tcp');
    const otherNs = pick(all);
    const target = apps.get(otherNs)!.find((a) => a.ports.length > 0);
    if (target) {
      w.push(
        '    - to:',
        '        - namespaceSelector:',
        '            matchLabels:',
        `              kubernetes.io/metadata.name: ${otherNs}`,
        '          podSelector:',
        '            matchLabels:',
        `              app: ${target.labels.app}`,
        '      ports:',
      );
      for (const p of target.ports)
        w.push(`        - port: ${p.name ?? p.number}`, ...(p.protocol ? [`          protocol: ${p.protocol}`] : []));
    }
    w.push('    - to:', '        - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}', '      ports: [{port: 443}]');
    w.endRead();
    return result;
  }

  function writeConfigFile(w: Writer, ns: string, n: number, rnd: () => number): void {
    w.push(
      '# Generated from config templates; do not edit by hand.',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: settings-${n}`,
      `  namespace: ${ns}`,
      '  labels:',
      '    app.kubernetes.io/part-of: platform',
      'data:',
      '  nginx.conf: |',
    );
    const servers = 10 + Math.floor(rnd() * 40);
    w.push('    worker_processes auto;', '    events { worker_connections 1024; }', '    http {');
    for (let i = 0; i < servers; i++) {
      w.push(
        '      server {',
        `        listen ${8000 + i};`,
        `        server_name svc-${i}.${ns}.svc.cluster.local;`,
        '        location / {',
        `          proxy_pass http://upstream-${i}:${9000 + i};`,
        '          proxy_set_header Host $host;',
        '          proxy_read_timeout 60s;',
        '        }',
        '      }',
      );
    }
    w.push(
      '    }',
      '  application.yaml: |',
      '    spring:',
      '      datasource:',
      `        url: jdbc:postgresql://db.${ns}:5432/app`,
      '      kafka:',
      '        bootstrap-servers: kafka:9092',
    );
    const keys = 30 + Math.floor(rnd() * 120);
    for (let i = 0; i < keys; i++)
      w.push(`  feature.${i}.enabled: "${rnd() < 0.5}"`, `  feature.${i}.rollout: "${Math.floor(rnd() * 100)}"`);
  }

  function writeDashboard(w: Writer, ns: string, n: number, rnd: () => number): void {
    w.push(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: dashboard-${n}`,
      `  namespace: ${ns}`,
      '  labels:',
      '    grafana_dashboard: "1"',
      'data:',
      `  dashboard-${n}.json: |-`,
    );
    const panels = [];
    for (let i = 0; i < 10 + Math.floor(rnd() * 25); i++) {
      panels.push({
        id: i,
        type: 'timeseries',
        title: `Requests ${i}`,
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        targets: [
          {
            expr: `sum(rate(http_requests_total{namespace="${ns}",code=~"5.."}[5m])) by (service)`,
            legendFormat: '{{service}}',
            refId: 'A',
          },
        ],
        fieldConfig: {
          defaults: {
            unit: 'reqps',
            thresholds: {
              mode: 'absolute',
              steps: [
                { color: 'green', value: null },
                { color: 'red', value: 80 },
              ],
            },
          },
        },
      });
    }
    const json = JSON.stringify({ title: `Dashboard ${n}`, uid: `d${n}`, schemaVersion: 39, panels }, null, 2);
    for (const line of json.split('\n')) w.push(`    ${line}`);
  }

  function writeCrd(w: Writer, n: number, rnd: () => number): void {
    const group = pick(['monitoring.coreos.com', 'cert-manager.io', 'networking.istio.io', 'argoproj.io']);
    w.push(
      '---',
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      `  name: widgets${n}.${group}`,
      '  annotations:',
      '    controller-gen.kubebuilder.io/version: v0.16.1',
      'spec:',
      `  group: ${group}`,
      '  names:',
      `    kind: Widget${n}`,
      `    listKind: Widget${n}List`,
      `    plural: widgets${n}`,
      '  scope: Namespaced',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema:',
      '        openAPIV3Schema:',
      '          type: object',
      '          properties:',
    );
    const props = (depth: number, indent: string, count: number): void => {
      for (let i = 0; i < count; i++) {
        const name = `${pick(['spec', 'endpoint', 'selector', 'tls', 'relabel', 'scrape', 'limit', 'template'])}${i}`;
        w.push(
          `${indent}${name}:`,
          `${indent}  description: >-`,
          `${indent}    ${name} configures how the operator treats the ${depth}-level ${pick(WORDS)} field;`,
          `${indent}    see the upstream documentation for the defaults.`,
        );
        if (depth < 3 && rnd() < 0.5) {
          w.push(`${indent}  type: object`, `${indent}  properties:`);
          props(depth + 1, indent + '    ', 2 + Math.floor(rnd() * 5));
        } else w.push(`${indent}  type: ${pick(['string', 'integer', 'boolean'])}`);
      }
    };
    props(0, '            ', 10 + Math.floor(rnd() * 20));
  }

  function writeRules(w: Writer, ns: string, n: number, rnd: () => number): void {
    w.push(
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata:',
      `  name: rules-${n}`,
      `  namespace: ${ns}`,
      'spec:',
      '  groups:',
    );
    for (let g = 0; g < 2 + Math.floor(rnd() * 4); g++) {
      w.push(`  - name: group-${g}`, '    rules:');
      for (let r = 0; r < 3 + Math.floor(rnd() * 8); r++) {
        w.push(
          `    - alert: HighErrorRate${g}${r}`,
          '      expr: |',
          `        sum(rate(http_requests_total{namespace="${ns}",code=~"5.."}[5m]))`,
          '          / sum(rate(http_requests_total[5m])) > 0.05',
          '      for: 10m',
          '      labels:',
          '        severity: warning',
          '      annotations:',
          `        summary: "Error rate above 5% in ${ns}"`,
        );
      }
    }
  }

  function writeRbacAndFriends(w: Writer, ns: string, n: number, rnd: () => number): void {
    w.push(
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      `  name: worker-${n}`,
      `  namespace: ${ns}`,
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata:',
      `  name: worker-${n}`,
      `  namespace: ${ns}`,
      'rules:',
    );
    for (let i = 0; i < 5 + Math.floor(rnd() * 10); i++)
      w.push(`- apiGroups: ["", "apps"]`, `  resources: [pods, deployments, configmaps]`, '  verbs: [get, list, watch]');
    w.push(
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata:',
      `  name: worker-${n}`,
      `  namespace: ${ns}`,
      'roleRef:',
      '  apiGroup: rbac.authorization.k8s.io',
      '  kind: Role',
      `  name: worker-${n}`,
      'subjects:',
      '- kind: ServiceAccount',
      `  name: worker-${n}`,
    );
    if (rnd() < 0.1) {
      // Flow style at the top level: the prefilter must leave it to the parser.
      w.push(
        '---',
        `{apiVersion: v1, kind: Secret, metadata: {name: token-${n}, namespace: ${ns}}, type: Opaque, data: {token: ${Buffer.from(String(n)).toString('base64')}}}`,
      );
    } else {
      w.push('---', 'apiVersion: v1', 'kind: Secret', 'metadata:', `  name: token-${n}`, `  namespace: ${ns}`, 'type: Opaque', 'data:');
      for (let i = 0; i < 5; i++) w.push(`  key${i}: ${Buffer.from(`secret-${n}-${i}-${rnd()}`).toString('base64')}`);
    }
    w.push(
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      `  name: ingress-${n}`,
      `  namespace: ${ns}`,
      'spec:',
      '  rules:',
      `    - host: app-${n}.example.com`,
      '      http:',
      '        paths:',
      '          - path: /',
      '            pathType: Prefix',
      '            backend:',
      '              service:',
      `                name: svc-${n}`,
      '                port: {number: 80}',
    );
    w.push(
      '---',
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata:',
      `  name: hpa-${n}`,
      `  namespace: ${ns}`,
      'spec:',
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}',
      '  minReplicas: 2',
      '  maxReplicas: 10',
    );
  }
}
