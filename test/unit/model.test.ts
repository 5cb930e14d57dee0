import test from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../server/src/model/parse';
import { textAt } from '../helpers';

test('every workload kind yields its pod template, with CronJob, sidecars and hostNetwork', () => {
  const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec:
          hostNetwork: true
          initContainers:
            - name: proxy
              restartPolicy: Always
              ports: [{containerPort: 15001, name: proxy}]
            - name: migrate
              ports: [{containerPort: 9999}]
          containers:
            - name: job
              ports:
                - containerPort: 53
                  protocol: UDP
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, ports: [{containerPort: 80}]}]
`;
  const model = parseManifests('file:///a.yaml', text);
  assert.deepEqual(model.errors, []);
  assert.equal(model.pods.length, 2);
  const [cron, pod] = model.pods;
  assert.equal(cron.ref.kind, 'CronJob');
  assert.equal(cron.ref.namespace, 'ops');
  assert.equal(cron.hostNetwork, true);
  assert.deepEqual(cron.labels, new Map([['app', 'backup']]));
  // the sidecar serves its port; the plain init container does not
  assert.deepEqual(
    cron.ports.map((p) => [p.container, p.containerPort.value, p.protocol]),
    [
      ['job', 53, 'UDP'],
      ['proxy', 15001, 'TCP'],
    ],
  );
  assert.equal(pod.ref.namespace, undefined);
  assert.equal(pod.ports[0].containerPort.value, 80);
});

test('Lists are unpacked and documents without apiVersion/kind are skipped silently', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: a}
    spec: {selector: {app: a}, ports: [{port: 80}]}
---
just: some config
---
kind: Service
`;
  const model = parseManifests('file:///l.yaml', text);
  assert.equal(model.services.length, 1);
  assert.equal(model.services[0].ref.name, 'a');
  assert.deepEqual(model.errors, []);
});

test('ranges are exact with CRLF, non-ASCII text, flow mappings, quotes and aliases', () => {
  const text = [
    '# ünïcödé 😀 comment\twith tab',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: "straße", namespace: x}',
    'spec:',
    '  selector: {app: a}',
    '  ports:',
    '    - {port: &p 10022, targetPort: "ssh"}  # 😀',
    '    - port: *p',
    '',
  ].join('\r\n');
  const model = parseManifests('file:///c.yaml', text);
  assert.deepEqual(model.errors, []);
  const [a, b] = model.services[0].ports;
  assert.equal(textAt(text.replace(/\r/g, ''), { range: a.port.range }), '10022');
  assert.deepEqual(a.port.range, { start: { line: 7, character: 16 }, end: { line: 7, character: 21 } });
  assert.equal(a.targetPort?.quoted, true);
  assert.deepEqual(a.targetPort?.value, { kind: 'name', name: 'ssh' });
  // the fix range of a quoted scalar is its content: the quotes stay
  assert.deepEqual(a.targetPort?.valueRange, { start: { line: 7, character: 36 }, end: { line: 7, character: 39 } });
  // an alias is reported where it is written, with the anchored value
  assert.equal(b.port.value, 10022);
  assert.deepEqual(b.port.range, { start: { line: 8, character: 12 }, end: { line: 8, character: 14 } });
  assert.equal(model.services[0].ref.name, 'straße');
  assert.equal(model.services[0].ref.nameRange.start.character, 'metadata: {name: '.length);
});

test('characters count UTF-16 code units, as LSP does', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: "😀😀", namespace: x}\nspec: {selector: {a: "😀"}, ports: [{port: 1}]}\n';
  const model = parseManifests('file:///u.yaml', text);
  const port = model.services[0].ports[0].port;
  // One astral character before the port: a column in UTF-16 code units is one more than in code points.
  assert.equal(port.range.start.character, 'spec: {selector: {a: "😀"}, ports: [{port: '.length);
  assert.equal(port.range.start.character, [...'spec: {selector: {a: "😀"}, ports: [{port: '].length + 1);
  assert.equal(model.services[0].ref.nameRange.end.character, 'metadata: {name: "😀😀"'.length);
});

test('a broken document or a wrong type is a model error for that document only', () => {
  const text = `apiVersion: v1
kind: Service
metadata: {name: good}
spec: {selector: {app: a}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: bad
spec: [
---
apiVersion: v1
kind: Service
metadata: {name: typed}
spec:
  selector: {app: a}
  ports:
    - port: true
    - port: 81
      targetPort: [1]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers: "x"
`;
  const model = parseManifests('file:///b.yaml', text);
  assert.deepEqual(
    model.services.map((s) => s.ref.name),
    ['good', 'typed'],
  );
  assert.deepEqual(
    model.services[1].ports.map((p) => p.port.value),
    [81],
  );
  assert.ok(model.errors.some((e) => e.kind === 'syntax'));
  const typeErrors = model.errors.filter((e) => e.kind === 'type').map((e) => e.message);
  assert.deepEqual(typeErrors, [
    'port must be an integer',
    'targetPort must be a port number or a port name',
    'spec.containers must be a list',
  ]);
  assert.equal(model.pods.length, 1);
});

test('policies read peers, ports, endPort and implied policyTypes', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: n}
spec:
  podSelector: {}
  egress:
    - to:
        - namespaceSelector: {matchLabels: {team: a}}
          podSelector: {matchExpressions: [{key: app, operator: In, values: [x, y]}]}
        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
      ports:
        - {port: 8000, endPort: 8100, protocol: SCTP}
        - port: dns
  ingress:
    - {}
`;
  const model = parseManifests('file:///p.yaml', text);
  const [p] = model.policies;
  assert.deepEqual(p.policyTypes, ['Ingress', 'Egress']);
  assert.equal(p.ingress[0].peers, undefined);
  assert.equal(p.ingress[0].ports, undefined);
  const [rule] = p.egress;
  assert.equal(rule.peers?.length, 2);
  assert.deepEqual(rule.peers?.[0].podSelector?.matchExpressions, [{ key: 'app', operator: 'In', values: ['x', 'y'] }]);
  assert.deepEqual(rule.peers?.[1].ipBlock, { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] });
  assert.deepEqual(
    rule.ports?.map((e) => [e.port?.value, e.endPort?.value, e.protocol]),
    [
      [{ kind: 'number', number: 8000 }, 8100, 'SCTP'],
      [{ kind: 'name', name: 'dns' }, undefined, 'TCP'],
    ],
  );
});

test('Helm # Source comments are kept on the object', () => {
  const model = parseManifests(
    'file:///r.yaml',
    '---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n',
  );
  assert.equal(model.services[0].ref.helmSource, 'chart/templates/svc.yaml');
});

test("every workload kind contributes its pod template, with the template's labels and ports", () => {
  const template = 'metadata: {labels: {app: a}}\n    spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}';
  const kinds = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job'];
  const group: Record<string, string> = { ReplicationController: 'v1', Job: 'batch/v1' };
  const text = [
    ...kinds.map(
      (kind) => `apiVersion: ${group[kind] ?? 'apps/v1'}\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    ${template}\n`,
    ),
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: w}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: a}}\n        spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}\n`,
    'apiVersion: v1\nkind: Pod\nmetadata: {name: w, labels: {app: a}}\nspec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}\n',
  ].join('---\n');
  const pods = parseManifests('file:///w.yaml', text).pods;
  assert.deepEqual(
    pods.map((p) => p.ref.kind),
    [...kinds, 'CronJob', 'Pod'],
  );
  for (const pod of pods) {
    assert.equal(pod.labels.get('app'), 'a', pod.ref.kind);
    assert.deepEqual(
      pod.ports.map((p) => p.containerPort.value),
      [8080],
      pod.ref.kind,
    );
  }
});
