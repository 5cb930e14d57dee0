import test from 'node:test';
import assert from 'node:assert/strict';
import { container, deployment, egressPolicy, findingsOf, policy, service, textAt, workload } from '../helpers';

// SPEC §2: confidence decides severity. Warnings only where the mistake is certain or a slip is evident.

const show = (files: Record<string, string>, name: string) =>
  findingsOf(files)
    .filter((f) => f.uri.endsWith(name))
    .map((f) => [f.code, f.severity, textAt(files[name], f)]);

// Airflow: the web Deployment behind Service 80 → 8080, a port-less scheduler and a migration Job
// under the same part-of label.
const airflow = (webPorts: string) => {
  const partOf = (component: string) => `{app.kubernetes.io/part-of: airflow, component: ${component}}`;
  return {
    'web.yaml': workload('airflow-web', partOf('web'), webPorts, 'airflow'),
    'svc.yaml': service('airflow-web', '{component: web}', '[{name: http, port: 80, targetPort: 8080}]', 'airflow'),
    'scheduler.yaml': `${workload('airflow-scheduler', partOf('scheduler'), '[]', 'airflow')}---
${workload('airflow-migrate-db', partOf('migrate'), '[]', 'airflow', { kind: 'Job' })}`,
    'np.yaml': policy('airflow', '{matchLabels: {app.kubernetes.io/part-of: airflow}}', '[{ports: [{port: 80}, {port: 9999}]}]', 'airflow'),
  };
};

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
  const traefikPorts = '[{name: web, containerPort: 8000, hostPort: 80}, {name: websecure, containerPort: 8443, hostPort: 443}]';
  const files = {
    'traefik.yaml': workload('traefik', '{app.kubernetes.io/name: traefik}', traefikPorts, 'traefik', { kind: 'DaemonSet' }),
    'np.yaml': policy('traefik', '{matchLabels: {app.kubernetes.io/name: traefik}}', '[{ports: [{port: 80}, {port: 8443}]}]', 'traefik'),
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
  'gitea.yaml': workload('gitea', '{app: gitea}', containerPorts, 'git', { kind: 'StatefulSet', initContainers }),
  'svc.yaml': service('gitea-http', '{app: gitea}', servicePorts, 'git'),
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
  const init = container('setup', '[{name: metrics, containerPort: 9090}]');
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
  'db.yaml': `${workload('postgres', '{app: postgres}', '[{name: tcp-postgresql, containerPort: 5432}]', 'db', { kind: 'StatefulSet' })}---
${service('postgres', '{app: postgres}', '[{name: tcp-postgresql, port: 5433, targetPort: 5432}]', 'db')}`,
  'shop.yaml': `${deployment('shop', '{app: shop}', '[{containerPort: 8080}]', 'shop')}---
${egressPolicy('shop-egress', '{matchLabels: {app: shop}}', `[{to: [${peer}], ports: [{port: 5433}]}]`, 'shop')}`,
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
  const servicePorts = '[{name: memcache, port: 11211, targetPort: 70000}, {name: other, port: 11212, targetPort: "11211"}]';
  const policyPorts = '[{port: 70000}, {port: 11211, protocol: tcp}, {port: "11211"}, {port: Memcache}, {port: 11000, endPort: 10000}]';
  const files = {
    'app.yaml': `${deployment('memcached', '{app: memcached}', '[{name: memcache, containerPort: 11211}]', 'cache')}---
${service('memcached', '{app: memcached}', servicePorts, 'cache')}---
${policy('memcached', '{matchLabels: {app: memcached}}', `[{ports: ${policyPorts}}]`, 'cache')}`,
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
