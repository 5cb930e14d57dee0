import test from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { deployment, findingsOf, lensOf, service, textAt, uriOf } from '../helpers';

const np = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: app}
spec:
  podSelector: {}
  ingress:
    - ports:
${ports}
`;
const structural = (text: string) =>
  findingsOf({ 'np.yaml': text }).filter((f) => ['port-value-invalid', 'netpol-misplaced-field', 'netpol-ports-empty'].includes(f.code));

test('port-value-invalid on every listed form, silent on valid look-alikes', () => {
  const cases: Array<[string, string]> = [
    ['        - port: "5432"', '"5432"'],
    ['        - port: Http', 'Http'],
    ['        - port: a-very-long-port-name', 'a-very-long-port-name'],
    ['        - port: -http', '-http'],
    ['        - port: ht--tp', 'ht--tp'],
    ['        - port: 0', '0'],
    ['        - port: 70000', '70000'],
    ['        - {port: http, endPort: 90}', '90'],
    ['        - {port: 90, endPort: 80}', '80'],
    ['        - {port: 90, protocol: HTTP}', 'HTTP'],
  ];
  for (const [line, value] of cases) {
    const text = np(line);
    const findings = structural(text);
    assert.equal(findings.length, 1, line);
    assert.equal(findings[0].severity, 'error', line);
    assert.equal(textAt(text, findings[0]), value, line);
  }
  for (const line of [
    '        - port: http-alt',
    '        - port: 8080',
    '        - {port: 8000, endPort: 8100}',
    '        - {port: 53, protocol: UDP}',
  ]) {
    assert.deepEqual(structural(np(line)), [], line);
  }
});

test('a quoted number is unquoted by its fix, for policy, container and Service ports', () => {
  const text = np('        - port: "5432" # pg');
  const [finding] = structural(text);
  assert.equal(finding.fixes[0].isPreferred, true);
  assert.equal(applyEdits(text, finding.fixes[0].edits), np('        - port: 5432 # pg'));
  const pod = deployment('d', '{a: b}', '[{containerPort: "8080"}]');
  const [c] = findingsOf({ 'd.yaml': pod }).filter((f) => f.code === 'port-value-invalid');
  assert.equal(applyEdits(pod, c.fixes[0].edits), deployment('d', '{a: b}', '[{containerPort: 8080}]'));
  const svc = service('s', '{a: b}', '[{port: \'80\', targetPort: "9000"}]');
  assert.deepEqual(
    findingsOf({ 's.yaml': svc })
      .filter((f) => f.code === 'port-value-invalid')
      .map((f) => textAt(svc, f)),
    ["'80'", '"9000"'],
  );
});

test('netpol-misplaced-field: a to: under a port entry, with a fix that moves it to the rule', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend, namespace: app}
spec:
  podSelector: {}
  egress:
    # redis
    - ports:
        - port: 6379
          to:
            - podSelector:
                matchLabels:
                  app: redis # the cache
    - ports:
        - port: 53
          protocol: UDP
`;
  const [finding] = structural(text);
  assert.equal(finding.code, 'netpol-misplaced-field');
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(text, finding), 'to');
  assert.match(finding.message, /this rule admits 6379\/TCP to every destination/);
  const fixed = applyEdits(text, finding.fixes[0].edits);
  const rule = parseDocument(fixed).toJS().spec.egress[0];
  assert.deepEqual(rule, { ports: [{ port: 6379 }], to: [{ podSelector: { matchLabels: { app: 'redis' } } }] });
  assert.ok(fixed.includes('app: redis # the cache') && fixed.includes('# redis'));
  assert.deepEqual(structural(fixed), []);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.trim() === 'to:');
  const hover = lensOf({ 'np.yaml': text }).hover(uriOf('np.yaml'), { line, character: 11 });
  assert.doesNotMatch(hover!.markdown, /Kubernetes drops it/, 'the editor shows the diagnostic; the hover does not repeat it');
});

test('misplaced keys in peers and rules are reported; no fix where the move is ambiguous', () => {
  const text = np('        - port: 80\n          to: []\n        - port: 81').replace(
    'ingress:\n    - ports:',
    'ingress:\n    - from:\n        - podSelector: {}\n          ports: []\n      ports:',
  );
  const findings = structural(text);
  assert.deepEqual(
    findings.map((f) => [textAt(text, f), f.fixes.length]),
    [
      ['ports', 0],
      ['to', 0],
    ],
  );
});

test('netpol-ports-empty: information on ports: null or []', () => {
  for (const ports of ['      ports:', '      ports: []']) {
    const text = np('').replace('    - ports:\n', `    - from: [{podSelector: {}}]\n${ports}\n`);
    const [finding] = structural(text);
    assert.equal(finding?.code, 'netpol-ports-empty', ports);
    assert.equal(finding.severity, 'information');
    assert.match(finding.message, /admits every port/);
  }
});

test('a misplaced `to:` is not moved up when an empty `- ` item follows its entry (the move would break the YAML)', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: app}
spec:
  podSelector: {}
  egress:
    - ports:
        - port: 6379
          to:
            - podSelector: {matchLabels: {app: redis}}
        -
`;
  const misplaced = findingsOf({ 'np.yaml': text }).filter((f) => f.code === 'netpol-misplaced-field');
  assert.equal(misplaced.length, 1);
  assert.deepEqual(misplaced[0].fixes, []);
});
