import test from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../server/src/model/parse';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { findingsOf, textAt } from '../helpers';

// SPEC §1: only the Kubernetes API group of each kind is read; YAML is read as Kubernetes reads it.

const redis = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: redis, namespace: shop}
spec:
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
        - name: redis
          image: redis:7
          ports: [{name: redis, containerPort: 6379}]
`;

test('a Calico projectcalico.org/v3 NetworkPolicy is not read as a Kubernetes one', () => {
  const calico = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-redis, namespace: shop}
spec:
  selector: app == 'redis'
  types: [Ingress]
  ingress:
    - action: Allow
      protocol: TCP
      source: {selector: app == 'cart'}
      destination:
        ports: [6379]
`;
  const model = parseManifests('file:///ws/calico.yaml', calico);
  assert.deepEqual(model.policies, []);
  assert.deepEqual(model.errors, []);
  // no netpol-misplaced-field on `destination`/`protocol`, no "selects nothing"
  assert.deepEqual(findingsOf({ 'redis.yaml': redis, 'calico.yaml': calico }), []);
  const legacyCrd = calico.replace('projectcalico.org/v3', 'crd.projectcalico.org/v1');
  assert.deepEqual(parseManifests('file:///ws/crd.yaml', legacyCrd).policies, []);
});

test('a Knative Service is not read as a core Service', () => {
  const knative = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: helloworld-go, namespace: default}
spec:
  template:
    spec:
      containers:
        - image: gcr.io/knative-samples/helloworld-go
          ports: [{containerPort: 8080}]
`;
  const model = parseManifests('file:///ws/kn.yaml', knative);
  assert.deepEqual(model.services, []);
  assert.deepEqual(model.errors, []);
});

test('each kind is read under its own API groups, the legacy extensions/v1beta1 included', () => {
  const doc = (apiVersion: string, kind: string, body: string) =>
    `---\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n${body}`;
  const podSpec = '{containers: [{name: c, ports: [{containerPort: 80}]}]}';
  const pod = `spec: ${podSpec}\n`;
  const template = `spec: {template: {metadata: {labels: {a: b}}, spec: ${podSpec}}}\n`;
  const cron = `spec: {jobTemplate: {spec: {template: {metadata: {labels: {a: b}}, spec: ${podSpec}}}}}\n`;
  const read = [
    doc('v1', 'Pod', pod),
    doc('v1', 'ReplicationController', template),
    doc('apps/v1', 'Deployment', template),
    doc('extensions/v1beta1', 'Deployment', template),
    doc('apps/v1beta2', 'DaemonSet', template),
    doc('apps/v1', 'StatefulSet', template),
    doc('apps/v1', 'ReplicaSet', template),
    doc('batch/v1', 'Job', template),
    doc('batch/v1beta1', 'CronJob', cron),
  ];
  const notRead = [
    doc('apps/v1', 'Pod', pod),
    doc('example.com/v1', 'Deployment', template),
    doc('argoproj.io/v1alpha1', 'Job', template),
    doc('v1', 'CronJob', cron),
  ];
  assert.deepEqual(
    parseManifests('file:///ws/a.yaml', read.join('')).pods.map((p) => p.ref.kind),
    ['Pod', 'ReplicationController', 'Deployment', 'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'CronJob'],
  );
  assert.deepEqual(parseManifests('file:///ws/b.yaml', notRead.join('')).pods, []);
  const policies = [
    doc('networking.k8s.io/v1', 'NetworkPolicy', 'spec: {podSelector: {}}\n'),
    doc('extensions/v1beta1', 'NetworkPolicy', 'spec: {podSelector: {}}\n'),
    doc('cilium.io/v2', 'NetworkPolicy', 'spec: {podSelector: {}}\n'),
  ];
  assert.equal(parseManifests('file:///ws/c.yaml', policies.join('')).policies.length, 2);
  const namespaces = [doc('v1', 'Namespace', ''), doc('example.com/v1', 'Namespace', '')];
  assert.equal(parseManifests('file:///ws/d.yaml', namespaces.join('')).namespaces.length, 1);
  // A List is core v1; its items are judged by their own apiVersion.
  const list = `apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: a}, spec: {selector: {a: b}, ports: [{port: 80}]}}\n  - {apiVersion: serving.knative.dev/v1, kind: Service, metadata: {name: b}, spec: {}}\n`;
  assert.deepEqual(
    parseManifests('file:///ws/e.yaml', list).services.map((s) => s.ref.name),
    ['a'],
  );
});

// Matrix Synapse, written with anchors the way hand-kept manifests often are.
const synapse = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: synapse
  namespace: matrix
  labels: &labels
    app.kubernetes.io/name: synapse
    app.kubernetes.io/part-of: matrix
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        app.kubernetes.io/component: homeserver
    spec:
      containers:
        - name: synapse
          image: matrixdotorg/synapse:v1.98.0
          ports:
            - name: http
              containerPort: !!int "8008"
---
apiVersion: v1
kind: Service
metadata: {name: synapse, namespace: matrix}
spec:
  selector:
    app.kubernetes.io/name: synapse
  ports:
    - name: http
      port: 80
      targetPort: 8008
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: synapse, namespace: matrix}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/part-of: matrix
      app.kubernetes.io/component: homeserver
  ingress:
    - ports:
        - port: 80
`;

test('merge keys merge: the pods keep their labels, and the real finding is not missed', () => {
  const model = parseManifests('file:///ws/synapse.yaml', synapse);
  assert.deepEqual(model.errors, []);
  assert.deepEqual(Object.fromEntries(model.pods[0].labels), {
    'app.kubernetes.io/name': 'synapse',
    'app.kubernetes.io/part-of': 'matrix',
    'app.kubernetes.io/component': 'homeserver',
  });
  const findings = findingsOf({ 'synapse.yaml': synapse });
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(synapse, f)]),
    [['netpol-port-unmatched', 'warning', '80']],
  );
  assert.deepEqual(
    findings[0].fixes.filter((f) => f.isPreferred).map((f) => f.edits[0].newText),
    ['8008'],
  );
});

test('merge keys: keys written in the map win over merged ones, and of several merged maps the first wins', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    <<: [*a, *b]
    tier: frontend
spec: {containers: [{name: c}]}
`.replace('metadata:\n', 'x-defaults:\n  a: &a {app: web, tier: backend}\n  b: &b {app: other, team: shop}\nmetadata:\n');
  const model = parseManifests('file:///ws/pod.yaml', text);
  assert.deepEqual(model.errors, []);
  assert.deepEqual(Object.fromEntries(model.pods[0].labels), { app: 'web', tier: 'frontend', team: 'shop' });
});

test('!!int "8008" is the number 8008 and !!str 9000 the string "9000"', () => {
  const model = parseManifests('file:///ws/synapse.yaml', synapse);
  assert.equal(model.pods[0].ports[0].containerPort.value, 8008);
  assert.equal(model.pods[0].ports[0].containerPort.quoted, false);
  // no port-value-invalid "quoted number" on it
  assert.ok(!findingsOf({ 'synapse.yaml': synapse }).some((f) => f.code === 'port-value-invalid'));

  const minio = `apiVersion: v1
kind: Pod
metadata: {name: minio, labels: {app: minio}}
spec:
  containers:
    - name: minio
      ports:
        - name: api
          containerPort: !!str 9000
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: minio}
spec:
  podSelector: {matchLabels: {app: minio}}
  ingress:
    - ports:
        - port: !!str 9000
`;
  const findings = findingsOf({ 'minio.yaml': minio });
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(minio, f)]),
    [
      ['port-value-invalid', 'error', '!!str 9000'],
      ['port-value-invalid', 'error', '!!str 9000'],
    ],
  );
  assert.match(findings[0].message, /containerPort "9000" is a string/);
  assert.match(findings[1].message, /Port "9000" is a string/);
  // The fix drops the tag, so that the number is a number.
  for (const finding of findings) {
    const fixed = applyEdits(minio, finding.fixes[0].edits);
    assert.equal(fixed.split('!!str').length, 2, fixed);
  }
  const both = applyEdits(applyEdits(minio, findings[1].fixes[0].edits), findings[0].fixes[0].edits);
  assert.ok(!both.includes('!!str'));
  assert.deepEqual(findingsOf({ 'minio.yaml': both }), []);
});

// bitnami-style Deployment with `resources:` written twice (a template that renders it twice).
const mastodon = `apiVersion: apps/v1
kind: Deployment
metadata: {name: mastodon-web, namespace: social}
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/name: mastodon, app.kubernetes.io/component: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/mastodon/mastodon:v4.2.0
          resources:
            requests: {cpu: 250m}
          ports:
            - name: http
              containerPort: 3000
          resources:
            limits: {memory: 1Gi}
---
apiVersion: v1
kind: Service
metadata: {name: mastodon-web, namespace: social}
spec:
  selector: {app.kubernetes.io/name: mastodon, app.kubernetes.io/component: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mastodon-web, namespace: social}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/component: web}
  ingress:
    - ports:
        - port: 80
          port: 3000
          protocol: TCP
`;

test('a duplicate key is reported once, on the second key, and the document is still read with the last value', () => {
  const model = parseManifests('file:///ws/mastodon.yaml', mastodon);
  assert.equal(model.pods.length, 1, 'the Deployment does not vanish');
  assert.equal(model.pods[0].ports[0].containerPort.value, 3000);
  const findings = findingsOf({ 'mastodon.yaml': mastodon });
  const lines = mastodon.split('\n');
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(mastodon, f), f.range.start.line]),
    [
      ['yaml-syntax', 'error', 'resources', lines.lastIndexOf('          resources:')],
      ['yaml-syntax', 'error', 'port', lines.indexOf('          port: 3000')],
    ],
  );
  assert.match(findings[0].message, /"resources" is written twice/);
  // the policy's last `port: 3000` is read: no "selects nothing", no port finding
  assert.equal(
    model.policies[0].ingress[0].ports![0].port!.value.kind === 'number' && model.policies[0].ingress[0].ports![0].port!.value.number,
    3000,
  );
});

test('the fast reader and the whole-document reader agree on these documents', () => {
  for (const text of [synapse, mastodon]) {
    const fast = parseManifests('file:///ws/a.yaml', text);
    const slow = parseManifests('file:///ws/a.yaml', text, { everyDocument: true, keepUnread: true });
    assert.deepEqual(
      JSON.parse(JSON.stringify(fast, (_k, v) => (v instanceof Map ? [...v] : v))),
      JSON.parse(JSON.stringify(slow, (_k, v) => (v instanceof Map ? [...v] : v))),
    );
  }
});
