import test from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../helpers';

// SPEC §2: confidence decides severity. Warnings only where the mistake is certain or a slip is evident.

const show = (files: Record<string, string>, name: string) =>
  findingsOf(files)
    .filter((f) => f.uri.endsWith(name))
    .map((f) => [f.code, f.severity, textAt(files[name], f)]);

// Airflow: the web Deployment behind Service 80 → 8080, a port-less scheduler and a migration Job
// under the same part-of label.
const airflow = (webPorts: string) => ({
  'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: airflow-web, namespace: airflow}
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/part-of: airflow, component: web}
    spec:
      containers:
        - name: web
          image: apache/airflow:2.9.0
          ports: ${webPorts}
`,
  'svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: airflow-web, namespace: airflow}
spec:
  selector: {component: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
  'scheduler.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: airflow-scheduler, namespace: airflow}
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/part-of: airflow, component: scheduler}
    spec:
      containers: [{name: scheduler, image: apache/airflow:2.9.0}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: airflow-migrate-db, namespace: airflow}
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/part-of: airflow, component: migrate}
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: apache/airflow:2.9.0, args: [db, migrate]}]
`,
  'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: airflow, namespace: airflow}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/part-of: airflow}
  ingress:
    - ports:
        - port: 80
        - port: 9999
`,
});

test('port-less pods never hide the classic mistake (a migration Job beside the web Deployment)', () => {
  for (const ports of ['[{name: http, containerPort: 8080}]', '[]']) {
    const files = airflow(ports);
    const findings = findingsOf(files).filter((f) => f.uri.endsWith('np.yaml'));
    // 80 is the Service's port, forwarded to 8080: the classic mistake, whatever the port-less pods do.
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, textAt(files['np.yaml'], f)]),
      [['netpol-port-unmatched', 'warning', '80']],
      ports,
    );
    assert.deepEqual(
      findings[0].fixes.filter((f) => f.isPreferred).map((f) => f.edits[0].newText),
      ['8080'],
    );
    // 9999: the port-less pods may listen on it; not judged at all (not even information)
  }
});

test('hostPort admitted instead of containerPort is the classic mistake, fixed to the container port', () => {
  const files = {
    'traefik.yaml': `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: traefik, namespace: traefik}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: traefik}}
    spec:
      containers:
        - name: traefik
          image: traefik:v3.0
          ports:
            - {name: web, containerPort: 8000, hostPort: 80}
            - {name: websecure, containerPort: 8443, hostPort: 443}
`,
    'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: traefik, namespace: traefik}
spec:
  podSelector: {matchLabels: {app.kubernetes.io/name: traefik}}
  ingress:
    - ports:
        - port: 80
        - port: 8443
`,
  };
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(files['np.yaml'], f)]),
    [['netpol-port-unmatched', 'warning', '80']],
  );
  assert.match(findings[0].message, /hostPort/);
  assert.deepEqual(
    findings[0].fixes.filter((f) => f.isPreferred).map((f) => f.edits[0].newText),
    ['8000'],
  );
  assert.ok(findings[0].fixes.some((f) => !f.isPreferred && f.edits[0].newText === 'web'));
});

// Gitea: Service ports http → "http" and https → "https"; the pods declare https only with TLS on.
const gitea = (servicePorts: string, containerPorts: string, initContainers = '') => ({
  'gitea.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: gitea, namespace: git}
spec:
  template:
    metadata: {labels: {app: gitea}}
    spec:${initContainers}
      containers:
        - name: gitea
          image: gitea/gitea:1.21
          ports: ${containerPorts}
`,
  'svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: gitea-http, namespace: git}
spec:
  selector: {app: gitea}
  ports: ${servicePorts}
`,
});

test('a named targetPort of a feature-gated port is information (https with TLS off)', () => {
  const files = gitea(
    '[{name: http, port: 3000, targetPort: http}, {name: https, port: 443, targetPort: https}]',
    '[{name: http, containerPort: 3000}]',
  );
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(files['svc.yaml'], f)]),
    [['service-target-port-unmatched', 'information', 'https']],
  );
  assert.ok(findings[0].fixes.every((f) => !f.isPreferred));
});

test('a named targetPort is a warning with evidence: a near name no other port targets', () => {
  const files = gitea('[{name: http, port: 3000, targetPort: htp}]', '[{name: http, containerPort: 3000}, {name: ssh, containerPort: 22}]');
  assert.deepEqual(show(files, 'svc.yaml'), [['service-target-port-unmatched', 'warning', 'htp']]);
  const contained = gitea(
    '[{name: ssh, port: 22, targetPort: ssh}, {name: http, port: 3000, targetPort: web}]',
    '[{name: ssh, containerPort: 22}, {name: gitea-web, containerPort: 3000}]',
  );
  assert.deepEqual(show(contained, 'svc.yaml'), [['service-target-port-unmatched', 'warning', 'web']]);
});

test("a named targetPort is a warning with evidence: the Service port's own number declared under another name", () => {
  const files = gitea(
    '[{name: ssh, port: 22, targetPort: ssh}, {name: http, port: 3000, targetPort: ui}]',
    '[{name: ssh, containerPort: 22}, {name: http, containerPort: 3000}]',
  );
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(files['svc.yaml'], f)]),
    [['service-target-port-unmatched', 'warning', 'ui']],
  );
  assert.ok(findings[0].fixes.some((f) => f.edits[0].newText === 'http'));
});

test('a named targetPort is a warning with evidence: declared only by an ordinary init container', () => {
  const init = `
      initContainers:
        - name: setup
          image: gitea/gitea:1.21
          ports: [{name: metrics, containerPort: 9090}]`;
  const files = gitea(
    '[{name: http, port: 3000, targetPort: http}, {name: metrics, port: 9090, targetPort: metrics}]',
    '[{name: http, containerPort: 3000}]',
    init,
  );
  assert.deepEqual(show(files, 'svc.yaml'), [['service-target-port-unmatched', 'warning', 'metrics']]);
});

test('a named targetPort is a warning with evidence: no port of the Service reaches any pod', () => {
  const files = gitea('[{name: http, port: 3000, targetPort: web}]', '[{name: http, containerPort: 3000}]');
  assert.deepEqual(show(files, 'svc.yaml'), [['service-target-port-unmatched', 'warning', 'web']]);
});

// Postgres in namespace db behind Service 5433 → 5432; the app in shop sends to it.
const postgres = (peer: string, extra: Record<string, string> = {}) => ({
  'db.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: db}
spec:
  template:
    metadata: {labels: {app: postgres}}
    spec:
      containers: [{name: postgres, image: postgres:16, ports: [{name: tcp-postgresql, containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: db}
spec:
  selector: {app: postgres}
  ports: [{name: tcp-postgresql, port: 5433, targetPort: 5432}]
`,
  'shop.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: shop}
spec:
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers: [{name: shop, image: shop:1, ports: [{containerPort: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: shop-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: shop}}
  policyTypes: [Egress]
  egress:
    - to:
        - ${peer}
      ports:
        - port: 5433
`,
  ...extra,
});

test('egress peers whose namespaceSelector may pick namespaces the workspace cannot see are not judged', () => {
  const byName = (names: string) =>
    `{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [${names}]}]}, podSelector: {matchLabels: {app: postgres}}}`;
  // Judged: every namespace it names is here.
  assert.deepEqual(show(postgres(byName('db')), 'shop.yaml'), [['netpol-egress-port-unmatched', 'warning', '5433']]);
  // db-replica has no object here: its pods (and their ports) are unknown.
  assert.deepEqual(show(postgres(byName('db, db-replica')), 'shop.yaml'), []);
  const byLabel = '{namespaceSelector: {matchLabels: {team: data}}, podSelector: {matchLabels: {app: postgres}}}';
  const namespaces = (shopLabels: string | undefined) => ({
    'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: db, labels: {team: data}}\n${shopLabels === undefined ? '' : `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: ${shopLabels}}\n`}`,
  });
  // shop has objects but no Namespace object: whether {team: data} picks it is unknown.
  assert.deepEqual(show(postgres(byLabel, namespaces(undefined)), 'shop.yaml'), []);
  assert.deepEqual(show(postgres(byLabel, namespaces('{team: web}')), 'shop.yaml'), [['netpol-egress-port-unmatched', 'warning', '5433']]);
});

test('an invalid value gets that one finding only', () => {
  const files = {
    'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: memcached, namespace: cache}
spec:
  template:
    metadata: {labels: {app: memcached}}
    spec:
      containers: [{name: memcached, image: memcached:1.6, ports: [{name: memcache, containerPort: 11211}]}]
---
apiVersion: v1
kind: Service
metadata: {name: memcached, namespace: cache}
spec:
  selector: {app: memcached}
  ports:
    - {name: memcache, port: 11211, targetPort: 70000}
    - {name: other, port: 11212, targetPort: "11211"}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: memcached, namespace: cache}
spec:
  podSelector: {matchLabels: {app: memcached}}
  ingress:
    - ports:
        - port: 70000
        - port: 11211
          protocol: tcp
        - port: "11211"
        - port: Memcache
        - port: 11000
          endPort: 10000
`,
  };
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, textAt(files['app.yaml'], f)]),
    [
      ['port-value-invalid', '70000'],
      ['port-value-invalid', '"11211"'],
      ['port-value-invalid', '70000'],
      ['port-value-invalid', 'tcp'],
      ['port-value-invalid', '"11211"'],
      ['port-value-invalid', 'Memcache'],
      ['port-value-invalid', '10000'],
    ],
  );
});
