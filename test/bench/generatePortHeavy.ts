/**
 * The port-heavy profile of the benchmark: a platform team's repository in which nearly every
 * document is one the checks read. Namespaces of about 120 documents (an app per file: its
 * ConfigMap, workload, two Services and a NetworkPolicy; bundles of policies; the Namespace with a
 * default deny and DNS egress), workloads with env, probes, resources, volumes, sidecars and init
 * containers, Services of every type, policies with several rules and peers, namespace selectors
 * across namespaces by team and by name; a Cilium and a Calico policy per namespace, and a cluster-wide
 * one of each. Files are written as they are made (the 50 000-file
 * workspace is ~350 MB). Seeded; a few per cent of the files hold a planted mistake.
 */
import * as path from 'node:path';
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
  writeHttpRoute,
  writeIngress,
  writeMonitor,
  writeNamespace,
  writeStorefrontPolicy,
  writeStorefrontService,
  writeWidePortApp,
  type AppBase,
  type Dependency,
  type GeneratedWorkspace,
  type Planted,
  type PortSpec,
} from './writers';

interface App extends AppBase {
  kind: string;
  /** The main Service's port and the pod port it forwards to. */
  servicePort: number;
}

/** Every gateway serves these: policies of other namespaces reach them by team. */
const GATEWAY_PORTS: PortSpec[] = [
  { name: 'http', number: 8080 },
  { name: 'metrics', number: 9090 },
];
const APP_PORTS: PortSpec[][] = [
  [
    { name: 'http', number: 8080 },
    { name: 'metrics', number: 9090 },
  ],
  [
    { name: 'ssh', number: 22 },
    { name: 'http', number: 80 },
  ],
  [
    { name: 'postgres', number: 5432 },
    { name: 'pg-metrics', number: 9187 },
  ],
  [{ name: 'redis', number: 6379 }],
  [
    { name: 'http', number: 3000 },
    { name: 'statsd', number: 9125, protocol: 'UDP' },
  ],
  [
    { name: 'grpc', number: 50051 },
    { name: 'http', number: 8081 },
  ],
  [
    { name: 'amqp', number: 5672 },
    { name: 'management', number: 15672 },
  ],
  [{ number: 8000 }, { name: 'admin', number: 8001 }],
];
const APPS_PER_NAMESPACE = 16;
const FILES_PER_NAMESPACE = 20;

export function generatePortHeavyWorkspace(root: string, fileCount: number, seed = 20260602): GeneratedWorkspace {
  const random = prng(seed);
  // The Cilium and Calico policies draw from their own sequence, and so do the Ingresses, routes, monitors and probes.
  const dialectRandom = prng(seed + 1);
  const referenceRandom = prng(seed + 2);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;

  const namespaceCount = Math.max(3, Math.floor(fileCount / FILES_PER_NAMESPACE));
  const namespaces = Array.from(
    { length: namespaceCount },
    (_, i) => `${TEAMS[i % TEAMS.length]}-${WORDS[Math.floor(i / TEAMS.length) % WORDS.length]}-${i}`,
  );
  const teamOf = (ns: string) => ns.split('-')[0];
  const clusterOf = (ns: string) => CLUSTERS[namespaces.indexOf(ns) % CLUSTERS.length];
  const dir = (ns: string, ...rest: string[]) => path.posix.join('clusters', clusterOf(ns), ns, ...rest);

  // Every app first, so that policies can name apps of other namespaces.
  const apps = new Map<string, App[]>();
  for (const ns of namespaces) {
    const list: App[] = [];
    for (let i = 0; i < APPS_PER_NAMESPACE; i++) {
      const gateway = i === 0;
      const name = gateway ? 'gateway' : `${pick(WORDS)}-${i}`;
      const ports = gateway ? GATEWAY_PORTS : pick(APP_PORTS);
      const labels: Record<string, string> = { app: name, team: teamOf(ns), tier: gateway ? 'edge' : pick(['frontend', 'backend']) };
      if (gateway) labels.role = 'gateway';
      const first = ports[0];
      const servicePort =
        first.number === 22 ? 10022 : first.number < 1024 ? first.number + 8000 : first.number === 8080 ? 80 : first.number + 10000;
      list.push({ name, namespace: ns, labels, ports, kind: gateway ? 'Deployment' : pick(WORKLOAD_KINDS), servicePort });
    }
    apps.set(ns, list);
  }

  const planted: Planted[] = [];
  const output = new WorkspaceOutput(root);
  const write = (file: string, w: Writer, plants: Array<Omit<Planted, 'file'>> = []): string => {
    const full = output.write(file, w);
    for (const p of plants) planted.push({ file: full, ...p });
    return full;
  };

  // kube-system's DNS, which every namespace's egress to DNS resolves to.
  {
    const w = new Writer();
    writeWorkload(w, { ...KUBE_DNS, kind: 'Deployment', servicePort: 53 });
    write('platform/kube-system/coredns.yaml', w);
  }
  const depNs = namespaces[0];
  const dep: App = { ...storefrontApp(depNs), kind: 'Deployment', servicePort: 443 };
  const depWriter = new Writer();
  const depPosition = writeWorkload(depWriter, dep, 'web');
  const depFile = dir(depNs, 'storefront', 'deployment.yaml');
  write(depFile, depWriter);
  const dependents: string[] = [];
  const serviceFile = dir(depNs, 'storefront', 'service.yaml');
  let servicePort: Pick<Dependency, 'start' | 'text' | 'renamed'>;
  {
    const w = new Writer();
    servicePort = writeStorefrontService(w, depNs);
    dependents.push(write(serviceFile, w));
    for (let i = 0; i < 5; i++) {
      const p = new Writer();
      writeStorefrontPolicy(p, depNs, TEAMS[i]);
      const policyFile = dir(depNs, 'storefront', 'policies', `from-${TEAMS[i]}.yaml`);
      dependents.push(write(policyFile, p));
    }
  }
  const serviceDependents = storefrontReferences(depNs).map(({ file, writer }) => write(dir(depNs, 'storefront', file), writer));
  const lens = new Writer();
  const lensPorts = writeWidePortApp(lens, depNs);
  const lensFile = dir(depNs, 'edge-proxy', 'edge-proxy.yaml');
  write(lensFile, lens);

  // Cluster-wide: monitoring scrapes every gateway's metrics (Cilium), gateways take HTTP from anywhere (Calico).
  {
    const w = new Writer();
    w.beginRead();
    w.push(
      'apiVersion: cilium.io/v2',
      'kind: CiliumClusterwideNetworkPolicy',
      'metadata:',
      '  name: gateways-scraped',
      'spec:',
      '  endpointSelector:',
      '    matchLabels:',
      '      k8s:role: gateway',
    );
    w.push(
      '  ingress:',
      '    - fromEndpoints:',
      '        - matchLabels:',
      '            k8s:io.kubernetes.pod.namespace: monitoring',
      '      toPorts:',
      '        - ports:',
      '            - port: metrics',
      '              protocol: TCP',
    );
    w.push(
      '---',
      'apiVersion: projectcalico.org/v3',
      'kind: GlobalNetworkPolicy',
      'metadata:',
      '  name: gateways-http',
      'spec:',
      "  selector: role == 'gateway' && has(team)",
      '  types: [Ingress]',
    );
    w.push('  ingress:', '    - action: Allow', '      protocol: TCP', '      destination:', '        ports: [8080]');
    w.endRead();
    write('platform/policies/cluster-wide.yaml', w);
  }
  const typoApps = new Set<App>();
  let fileNumber = output.files.length;
  for (const ns of namespaces) {
    if (fileNumber >= fileCount) break;
    const nsApps = apps.get(ns)!;
    // The Namespace, a default deny and egress to DNS for every pod.
    {
      const w = new Writer();
      const environment = clusterOf(ns).startsWith('prod') ? 'production' : 'staging';
      writeNamespace(w, ns, { team: teamOf(ns), environment, cluster: clusterOf(ns) });
      w.beginRead();
      w.push(
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: default-deny',
        `  namespace: ${ns}`,
        'spec:',
        '  podSelector: {}',
        '  policyTypes:',
        '    - Ingress',
        '    - Egress',
      );
      w.push(
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: allow-dns',
        `  namespace: ${ns}`,
        'spec:',
        '  podSelector: {}',
        '  policyTypes:',
        '    - Egress',
        '  egress:',
        ...KUBE_DNS_PEER,
        '        - protocol: UDP',
        '          port: 53',
        '        - protocol: TCP',
        '          port: dns-tcp',
      );
      w.endRead();
      write(dir(ns, 'namespace.yaml'), w);
      fileNumber++;
    }
    for (const app of nsApps) {
      if (fileNumber >= fileCount) break;
      const w = new Writer();
      const plants: Array<Omit<Planted, 'file'>> = [];
      writeConfigMap(w, app);
      const first = app.ports[0];
      // The seed mistake inside the pod: a readiness probe on the Service port.
      const probePlant = forwardsElsewhere(app) && referenceRandom() < 0.01;
      writeWorkload(w, app, undefined, probePlant ? plants : undefined);
      const type =
        app.labels.role === 'gateway' ? 'LoadBalancer' : pick(['ClusterIP', 'ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer']);
      const typo = first.name !== undefined && !first.protocol && chance(0.008) && !probePlant;
      const target = first.name && (typo || chance(0.5)) ? first.name : String(first.number);
      const mark = writeService(
        w,
        app,
        type,
        '',
        [{ name: 'main', port: app.servicePort, target: typo ? `${target}x` : target, protocol: first.protocol }],
        typo,
      );
      if (typo) plants.push({ ...mark!, code: 'service-target-port-unmatched', wrong: `${target}x`, right: target });
      if (typo) typoApps.add(app);
      // A second Service: headless for the StatefulSet, the metrics port otherwise, or a name outside.
      const second = app.ports[1];
      if (app.kind === 'StatefulSet')
        writeService(
          w,
          app,
          'Headless',
          '-headless',
          app.ports.map((p) => ({ name: p.name ?? `p${p.number}`, port: p.number, target: String(p.number), protocol: p.protocol })),
        );
      else if (second)
        writeService(w, app, 'ClusterIP', `-${second.name ?? 'second'}`, [
          { name: second.name ?? 'second', port: second.number, target: second.name ?? String(second.number), protocol: second.protocol },
        ]);
      else writeService(w, app, 'ExternalName', '-external', []);
      const plant = chance(0.035) ? pick(['classic', 'name', 'protocol'] as const) : undefined;
      const p = writeAppPolicy(w, app, nsApps, plant);
      if (p) plants.push(p);
      writeReferences(w, app, !typo, plants);
      write(dir(ns, app.name, `${app.kind.toLowerCase()}.yaml`), w, plants);
      fileNumber++;
    }
    // Bundles of policies: ingress from other teams' gateways, monitoring, egress to other namespaces.
    for (let b = 0; b < FILES_PER_NAMESPACE - APPS_PER_NAMESPACE - 2 && fileNumber < fileCount; b++) {
      const w = new Writer();
      for (let k = 0; k < 10; k++) writeBundledPolicy(w, pick(nsApps), b * 10 + k);
      write(dir(ns, 'policies', `bundle-${b}.yaml`), w);
      fileNumber++;
    }
    // The same rules in Cilium's and Calico's words, for two apps of the namespace.
    if (fileNumber < fileCount) {
      const w = new Writer();
      const plants = [writeCiliumPolicy(w, nsApps), writeCalicoPolicy(w, nsApps)].filter(
        (p): p is Omit<Planted, 'file'> => p !== undefined,
      );
      write(dir(ns, 'policies', 'cilium-calico.yaml'), w, plants);
      fileNumber++;
    }
  }

  return {
    root,
    files: output.files,
    bytes: output.bytes,
    readBytes: output.readBytes,
    planted,
    dependency: { file: path.join(root, depFile), start: depPosition!, text: 'web', renamed: 'web2', dependents },
    serviceDependency: { file: path.join(root, serviceFile), ...servicePort, dependents: serviceDependents },
    lens: { file: path.join(root, lensFile), ports: lensPorts },
  };

  function writeConfigMap(w: Writer, app: App): void {
    w.push(
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${app.name}-config`,
      `  namespace: ${app.namespace}`,
      '  labels:',
      `    app: ${app.name}`,
      'data:',
    );
    for (let i = 0; i < 8 + Math.floor(random() * 16); i++) w.push(`  SETTING_${i}: "${Math.floor(random() * 1e9).toString(36)}"`);
    w.push('  application.yaml: |', '    server:', `      port: ${app.ports[0].number}`, '    logging:', '      level: info');
  }

  function writeWorkload(
    w: Writer,
    app: App,
    markPort?: string,
    probePlant?: Array<Omit<Planted, 'file'>>,
  ): { line: number; character: number } | undefined {
    w.push('---');
    w.beginRead();
    const kind = app.kind;
    w.push(
      `apiVersion: ${workloadApiVersion(kind)}`,
      `kind: ${kind}`,
      'metadata:',
      `  name: ${app.name}`,
      `  namespace: ${app.namespace}`,
      '  labels:',
    );
    const labels = Object.entries(app.labels);
    const labelLines = (indent: string) => labels.map(([k, v]) => `${indent}${k}: ${v}`);
    w.push(
      ...labelLines('    '),
      '    app.kubernetes.io/managed-by: argocd',
      '  annotations:',
      `    argocd.argoproj.io/tracking-id: "${app.namespace}:apps/${kind}:${app.name}"`,
    );
    let s: string;
    if (kind === 'Pod') {
      w.push('spec:');
      s = '  ';
    } else if (kind === 'CronJob') {
      w.push(
        'spec:',
        '  schedule: "0 */6 * * *"',
        '  jobTemplate:',
        '    spec:',
        '      backoffLimit: 2',
        '      template:',
        '        metadata:',
        '          labels:',
        ...labelLines('            '),
        '        spec:',
      );
      s = '          ';
    } else {
      w.push('spec:');
      if (kind !== 'Job' && kind !== 'DaemonSet') w.push(`  replicas: ${2 + (app.name.length % 3)}`);
      if (kind === 'StatefulSet') w.push(`  serviceName: ${app.name}-headless`);
      if (kind === 'ReplicationController') w.push('  selector:', `    app: ${app.name}`);
      else if (kind !== 'Job') w.push('  selector:', '    matchLabels:', `      app: ${app.name}`);
      if (kind === 'Deployment')
        w.push('  strategy:', '    type: RollingUpdate', '    rollingUpdate:', '      maxSurge: 25%', '      maxUnavailable: 0');
      w.push(
        '  template:',
        '    metadata:',
        '      labels:',
        ...labelLines('        '),
        '      annotations:',
        '        prometheus.io/scrape: "true"',
        `        checksum/config: ${(app.name.length * 7919).toString(16)}`,
        '    spec:',
      );
      s = '      ';
    }
    if (kind === 'Job' || kind === 'CronJob') w.push(`${s}restartPolicy: OnFailure`);
    w.push(
      `${s}serviceAccountName: ${app.name}`,
      `${s}securityContext:`,
      `${s}  runAsNonRoot: true`,
      `${s}  runAsUser: 10001`,
      `${s}  fsGroup: 10001`,
      `${s}  seccompProfile:`,
      `${s}    type: RuntimeDefault`,
    );
    w.push(
      `${s}nodeSelector:`,
      `${s}  kubernetes.io/os: linux`,
      `${s}tolerations:`,
      `${s}  - key: dedicated`,
      `${s}    operator: Equal`,
      `${s}    value: ${app.labels.team ?? 'platform'}`,
      `${s}    effect: NoSchedule`,
    );
    w.push(
      `${s}initContainers:`,
      `${s}  - name: migrate`,
      `${s}    image: registry.example.com/${app.namespace}/${app.name}-migrate:1.4.2`,
      `${s}    command: ["/bin/migrate", "--wait"]`,
    );
    if (app.name.length % 4 === 0) {
      // A native sidecar: serves its port for the pod's whole life.
      writeEnvoySidecar(w, s, 'envoy');
      w.push(`${s}    resources:`, `${s}      requests:`, `${s}        cpu: 50m`, `${s}        memory: 64Mi`);
    }
    w.push(
      `${s}containers:`,
      `${s}  - name: ${app.name}`,
      `${s}    image: registry.example.com/${app.namespace}/${app.name}:2.${app.name.length}.1`,
      `${s}    imagePullPolicy: IfNotPresent`,
      `${s}    args:`,
      `${s}      - --log-level=info`,
      `${s}      - --listen=:${app.ports[0].number}`,
    );
    const marked = writeContainerPorts(w, s, app.ports, markPort, 'always');
    writeEnv(w, s, app.name, ['LOG_LEVEL', 'DATABASE_HOST', 'CACHE_TTL', 'FEATURE_FLAGS', 'OTEL_EXPORTER_OTLP_ENDPOINT']);
    w.push(
      `${s}      - name: DATABASE_PASSWORD`,
      `${s}        valueFrom:`,
      `${s}          secretKeyRef:`,
      `${s}            name: ${app.name}-db`,
      `${s}            key: password`,
    );
    w.push(`${s}    envFrom:`, `${s}      - configMapRef:`, `${s}          name: ${app.name}-config`);
    w.push(
      `${s}    resources:`,
      `${s}      requests:`,
      `${s}        cpu: 100m`,
      `${s}        memory: 256Mi`,
      `${s}      limits:`,
      `${s}        memory: 512Mi`,
    );
    const probePort = app.ports[0].protocol ? String(app.ports[0].number) : (app.ports[0].name ?? String(app.ports[0].number));
    w.push(
      `${s}    livenessProbe:`,
      `${s}      tcpSocket:`,
      `${s}        port: ${probePort}`,
      `${s}      initialDelaySeconds: 10`,
      `${s}      periodSeconds: 20`,
    );
    w.push(`${s}    readinessProbe:`, `${s}      httpGet:`, `${s}        path: /ready`);
    if (probePlant) {
      w.push(`${s}        port: ${app.servicePort}`);
      const at = w.last(String(app.servicePort));
      probePlant.push({ ...at, code: 'probe-port-unmatched', wrong: String(app.servicePort), right: String(app.ports[0].number) });
    } else w.push(`${s}        port: ${probePort}`);
    w.push(`${s}      periodSeconds: 10`, `${s}      failureThreshold: 3`);
    if (app.ports[0].name === 'grpc') w.push(`${s}    startupProbe:`, `${s}      grpc:`, `${s}        port: ${app.ports[0].number}`);
    w.push(
      `${s}    securityContext:`,
      `${s}      allowPrivilegeEscalation: false`,
      `${s}      readOnlyRootFilesystem: true`,
      `${s}      capabilities:`,
      `${s}        drop: ["ALL"]`,
    );
    w.push(
      `${s}    volumeMounts:`,
      `${s}      - name: config`,
      `${s}        mountPath: /etc/${app.name}`,
      `${s}        readOnly: true`,
      `${s}      - name: tmp`,
      `${s}        mountPath: /tmp`,
    );
    // A log shipper beside the app, with a metrics port of its own.
    w.push(
      `${s}  - name: log-shipper`,
      `${s}    image: fluent/fluent-bit:3.1`,
      `${s}    ports:`,
      `${s}      - name: fluent-metrics`,
      `${s}        containerPort: 2020`,
      `${s}    resources:`,
      `${s}      limits: {cpu: 50m, memory: 64Mi}`,
      `${s}    volumeMounts:`,
      `${s}      - name: tmp`,
      `${s}        mountPath: /tmp`,
    );
    writeConfigVolume(w, s, app.name);
    w.push(`${s}  - name: tmp`, `${s}    emptyDir:`, `${s}      sizeLimit: 1Gi`);
    w.endRead();
    return marked;
  }

  function writeService(
    w: Writer,
    app: App,
    type: string,
    suffix: string,
    ports: Array<{ name: string; port: number; target: string; protocol?: string }>,
    markTarget = false,
  ) {
    let marked: { line: number; character: number } | undefined;
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: ${app.name}${suffix}`,
      `  namespace: ${app.namespace}`,
      '  labels:',
      `    app: ${app.name}`,
    );
    if (type === 'LoadBalancer') w.push('  annotations:', '    service.beta.kubernetes.io/aws-load-balancer-type: nlb');
    w.push('spec:');
    if (type === 'ExternalName') {
      w.push('  type: ExternalName', `  externalName: ${app.name}.${app.namespace}.example.com`);
      w.endRead();
      return marked;
    }
    if (type === 'Headless') w.push('  clusterIP: None');
    else w.push(`  type: ${type}`);
    if (type === 'LoadBalancer') w.push('  externalTrafficPolicy: Local');
    w.push('  selector:', `    app: ${app.labels.app}`, '  ports:');
    for (const p of ports) {
      w.push(`    - name: ${p.name}`, `      port: ${p.port}`, `      targetPort: ${p.target}`);
      if (markTarget) marked = w.last(p.target);
      w.push(`      protocol: ${p.protocol ?? 'TCP'}`);
      if (type === 'NodePort') w.push(`      nodePort: ${30000 + (p.port % 2700)}`);
    }
    w.endRead();
    return marked;
  }

  /** The app's own policy: ingress from its team, a gateway of another team and a CIDR; egress to apps it calls. */
  function writeAppPolicy(
    w: Writer,
    app: App,
    nsApps: App[],
    plant: 'classic' | 'name' | 'protocol' | undefined,
  ): Omit<Planted, 'file'> | undefined {
    let result: Omit<Planted, 'file'> | undefined;
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      `  name: ${app.name}`,
      `  namespace: ${app.namespace}`,
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      `      app: ${app.name}`,
      '  policyTypes:',
      '    - Ingress',
      '    - Egress',
      '  ingress:',
    );
    w.push(
      '    - from:',
      '        - podSelector:',
      '            matchLabels:',
      `              team: ${app.labels.team}`,
      '        - namespaceSelector:',
      '            matchLabels:',
      `              team: ${pick(TEAMS)}`,
      '          podSelector:',
      '            matchLabels:',
      '              role: gateway',
      '      ports:',
    );
    const ports = app.ports;
    const udp = ports.find((p) => p.protocol === 'UDP');
    const named = ports.find((p) => p.name && !p.protocol);
    if (plant === 'classic' && !ports.some((p) => p.number === app.servicePort) && !ports[0].protocol) {
      w.push(`        - port: ${app.servicePort}`);
      result = {
        ...w.last(String(app.servicePort)),
        code: 'netpol-port-unmatched',
        wrong: String(app.servicePort),
        right: String(ports[0].number),
      };
    } else if (plant === 'name' && named) {
      w.push(`        - port: ${named.name}s`);
      result = { ...w.last(`${named.name}s`), code: 'netpol-port-unmatched', wrong: `${named.name}s`, right: named.name! };
    } else if (plant === 'protocol' && udp) {
      w.push(`        - port: ${udp.number}`);
      result = { ...w.last(String(udp.number)), code: 'netpol-protocol-mismatch', wrong: String(udp.number), right: String(udp.number) };
    }
    // The entry a plant stands for is left out: a rule that also admits the right port only gets a hint.
    const replaced =
      result?.code === 'netpol-protocol-mismatch' ? udp : result?.wrong === String(app.servicePort) ? ports[0] : result ? named : undefined;
    for (const p of ports) {
      if (p === replaced) continue;
      w.push(`        - port: ${p.name && chance(0.5) ? p.name : p.number}`);
      if (p.protocol || chance(0.5)) w.push(`          protocol: ${p.protocol ?? 'TCP'}`);
    }
    w.push(
      '    - from:',
      '        - ipBlock:',
      '            cidr: 10.0.0.0/8',
      '            except:',
      '              - 10.96.0.0/12',
      '      ports:',
      `        - port: ${ports[0].number}`,
      ...(ports[0].protocol ? [`          protocol: ${ports[0].protocol}`] : []),
    );
    // Egress: two apps of its namespace, the gateways of another team, one app of another namespace by name.
    w.push('  egress:');
    const peers = [pick(nsApps), pick(nsApps)];
    w.push(
      '    - to:',
      ...peers.flatMap((a) => ['        - podSelector:', '            matchLabels:', `              app: ${a.name}`]),
      '      ports:',
    );
    for (const p of peers[0].ports)
      w.push(`        - port: ${p.name ?? p.number}`, ...(p.protocol ? [`          protocol: ${p.protocol}`] : []));
    w.push(
      '    - to:',
      '        - namespaceSelector:',
      '            matchLabels:',
      `              team: ${pick(TEAMS)}`,
      '          podSelector:',
      '            matchLabels:',
      '              role: gateway',
      '      ports:',
      '        - port: http',
    );
    const otherNs = pick(namespaces);
    const other = pick(apps.get(otherNs)!);
    w.push(
      '    - to:',
      '        - namespaceSelector:',
      '            matchLabels:',
      `              kubernetes.io/metadata.name: ${otherNs}`,
      '          podSelector:',
      '            matchExpressions:',
      '              - key: app',
      '                operator: In',
      `                values: [${other.name}]`,
      '      ports:',
    );
    for (const p of other.ports) w.push(`        - port: ${p.number}`, ...(p.protocol ? [`          protocol: ${p.protocol}`] : []));
    w.endRead();
    return result;
  }

  /** The app's main Service forwards its first port, TCP, from a port no container of the pod declares. */
  function forwardsElsewhere(app: App): boolean {
    const declared = [...app.ports.map((p) => p.number), 2020, 15000];
    return !app.ports[0].protocol && !declared.includes(app.servicePort);
  }

  /**
   * What names the app's ports from outside: an Ingress to the gateway, an HTTPRoute or Ingress to a
   * frontend, a ServiceMonitor on a metrics port, a PodMonitor on the log shipper's. Mistakes are planted
   * only where the main Service really forwards (`forwarding`).
   */
  function writeReferences(w: Writer, app: App, forwarding: boolean, plants: Array<Omit<Planted, 'file'>>): void {
    const first = app.ports[0];
    const host = `${app.name}.${app.namespace}.example.com`;
    const canPlant = forwarding && forwardsElsewhere(app);
    if (app.labels.role === 'gateway') {
      if (canPlant && referenceRandom() < 0.05) {
        const at = writeIngress(w, app.namespace, app.name, host, app.name, { number: first.number });
        plants.push({ ...at, code: 'backend-port-unmatched', wrong: String(first.number), right: String(app.servicePort) });
      } else writeIngress(w, app.namespace, app.name, host, app.name, { name: 'main' });
    } else if (app.labels.tier === 'frontend') {
      const plant = canPlant && referenceRandom() < 0.015;
      const port = plant ? first.number : app.servicePort;
      const at =
        referenceRandom() < 0.5
          ? writeHttpRoute(w, app.namespace, app.name, host, app.name, port)
          : writeIngress(w, app.namespace, app.name, host, app.name, { number: port });
      if (plant) plants.push({ ...at, code: 'backend-port-unmatched', wrong: String(port), right: String(app.servicePort) });
    }
    const metrics = app.ports.find((p, i) => i > 0 && p.name?.endsWith('metrics'));
    if (metrics) {
      // The classic monitoring slip: the container port's name where the Service calls its port "main".
      if (forwarding && first.name && app.kind !== 'StatefulSet' && referenceRandom() < 0.02) {
        const at = writeMonitor(w, 'ServiceMonitor', app.namespace, app.name, first.name);
        plants.push({ ...at, code: 'monitor-port-unmatched', wrong: first.name, right: 'main' });
      } else writeMonitor(w, 'ServiceMonitor', app.namespace, app.name, metrics.name!);
    } else if (referenceRandom() < 0.3) writeMonitor(w, 'PodMonitor', app.namespace, app.name, 'fluent-metrics');
  }

  /** The classic mistake may be planted on an app whose main Service forwards its first (TCP) port elsewhere. */
  function canPlantClassic(app: App): boolean {
    return !typoApps.has(app) && !app.ports[0].protocol && !app.ports.some((p) => p.number === app.servicePort);
  }

  function writeCiliumPolicy(w: Writer, nsApps: App[]): Omit<Planted, 'file'> | undefined {
    const app = nsApps[1 + Math.floor(dialectRandom() * (nsApps.length - 1))];
    const plant = canPlantClassic(app) && dialectRandom() < 0.1;
    let result: Omit<Planted, 'file'> | undefined;
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: cilium.io/v2',
      'kind: CiliumNetworkPolicy',
      'metadata:',
      `  name: ${app.name}-cilium`,
      `  namespace: ${app.namespace}`,
      'spec:',
      '  endpointSelector:',
      '    matchLabels:',
      `      k8s:app: ${app.name}`,
    );
    w.push(
      '  ingress:',
      '    - fromEndpoints:',
      '        - matchLabels:',
      `            k8s:io.kubernetes.pod.namespace: ${app.namespace}`,
      '      toPorts:',
      '        - ports:',
    );
    for (const [i, p] of app.ports.entries()) {
      if (i === 0 && plant) {
        w.push(`            - port: "${app.servicePort}"`);
        result = {
          ...w.last(String(app.servicePort)),
          code: 'netpol-port-unmatched',
          wrong: String(app.servicePort),
          right: String(p.number),
        };
      } else w.push(`            - port: "${p.name && dialectRandom() < 0.5 ? p.name : p.number}"`);
      if (p.protocol || dialectRandom() < 0.5) w.push(`              protocol: ${p.protocol ?? 'TCP'}`);
    }
    w.push(
      '  egress:',
      '    - toEndpoints:',
      '        - matchLabels:',
      '            k8s:io.kubernetes.pod.namespace: kube-system',
      '            k8s:k8s-app: kube-dns',
      '      toPorts:',
      '        - ports:',
      '            - port: "53"',
      '              protocol: UDP',
      '            - port: dns-tcp',
    );
    w.push(
      '    - toFQDNs:',
      '        - matchName: api.example.com',
      '      toPorts:',
      '        - ports:',
      '            - port: "443"',
      '              protocol: TCP',
    );
    w.endRead();
    return result;
  }

  function writeCalicoPolicy(w: Writer, nsApps: App[]): Omit<Planted, 'file'> | undefined {
    const app = nsApps[1 + Math.floor(dialectRandom() * (nsApps.length - 1))];
    const plant = canPlantClassic(app) && dialectRandom() < 0.1;
    let result: Omit<Planted, 'file'> | undefined;
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: projectcalico.org/v3',
      'kind: NetworkPolicy',
      'metadata:',
      `  name: ${app.name}-calico`,
      `  namespace: ${app.namespace}`,
      'spec:',
      `  selector: app == '${app.name}' && has(team)`,
      '  types:',
      '    - Ingress',
      '    - Egress',
      '  ingress:',
    );
    for (const protocol of ['TCP', 'UDP']) {
      const ports = app.ports.filter((p) => (p.protocol ?? 'TCP') === protocol);
      if (ports.length === 0) continue;
      w.push(
        '    - action: Allow',
        `      protocol: ${protocol}`,
        '      source:',
        "        selector: role == 'gateway'",
        `        namespaceSelector: team in {'${app.labels.team}', 'platform'}`,
        '      destination:',
        '        ports:',
      );
      for (const p of ports) {
        if (p === app.ports[0] && plant) {
          w.push(`          - ${app.servicePort}`);
          result = {
            ...w.last(String(app.servicePort)),
            code: 'netpol-port-unmatched',
            wrong: String(app.servicePort),
            right: String(p.number),
          };
        } else w.push(`          - ${p.name && dialectRandom() < 0.5 ? p.name : p.number}`);
      }
    }
    w.push(
      '  egress:',
      '    - action: Allow',
      '      protocol: UDP',
      '      destination:',
      "        selector: k8s-app == 'kube-dns'",
      "        namespaceSelector: projectcalico.org/name == 'kube-system'",
      '        ports: [53]',
    );
    w.push('    - action: Allow', '      protocol: TCP', '      destination:', '        nets: [10.0.0.0/8]', '        ports: [443]');
    w.endRead();
    return result;
  }

  function writeBundledPolicy(w: Writer, app: App, n: number): void {
    w.push('---');
    w.beginRead();
    w.push(
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      `  name: ${app.name}-allow-${n}`,
      `  namespace: ${app.namespace}`,
      'spec:',
    );
    const form = n % 3;
    if (form === 0) w.push('  podSelector:', '    matchLabels:', `      app: ${app.name}`);
    else if (form === 1)
      w.push(
        '  podSelector:',
        '    matchExpressions:',
        '      - key: app',
        '        operator: In',
        '        values:',
        `          - ${app.name}`,
        '      - key: tier',
        '        operator: Exists',
      );
    else w.push('  podSelector:', '    matchLabels:', `      team: ${app.labels.team}`, `      app: ${app.name}`);
    w.push(
      '  ingress:',
      '    - from:',
      '        - namespaceSelector:',
      '            matchExpressions:',
      '              - key: team',
      '                operator: In',
      `                values: [${pick(TEAMS)}, ${pick(TEAMS)}]`,
      '          podSelector:',
      '            matchLabels:',
      '              role: gateway',
    );
    w.push(
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: monitoring',
      '      ports:',
    );
    for (const p of app.ports)
      w.push(`        - port: ${p.name ?? p.number}`, ...(p.protocol ? [`          protocol: ${p.protocol}`] : []));
    const tcp = app.ports.find((p) => !p.protocol);
    if (tcp && chance(0.2)) w.push(`        - port: ${tcp.number - 5}`, `          endPort: ${tcp.number + 5}`);
    if (chance(0.5)) {
      const otherNs = pick(namespaces);
      w.push(
        '  egress:',
        '    - to:',
        '        - namespaceSelector:',
        '            matchLabels:',
        `              kubernetes.io/metadata.name: ${otherNs}`,
        '          podSelector:',
        '            matchLabels:',
        '              role: gateway',
        '      ports:',
        '        - port: http',
        '          protocol: TCP',
        '        - port: 9090',
      );
    }
    w.endRead();
  }
}
