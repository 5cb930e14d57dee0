// Inputs the fuzzer (test/fuzz) found to break a property, each kept as a plain regression test.
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, preferredEdits } from '../../server/src/analysis/fixes/applyFixes';
import { findingsOf, uriOf } from '../helpers';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const egressPolicy = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np}
spec:
  podSelector: {}
  egress:
    - ports:
${ports}`;

test('a misplaced key that opens its port entry (on the "- " line) gets no move-up fix: moving it would move the dash too', () => {
  const text = egressPolicy('        - port: 80\n        - to: []\n');
  const finding = findingsOf({ 'np.yaml': text }).find((f) => f.code === 'netpol-misplaced-field')!;
  assert.equal(finding.range.start.line, 8);
  assert.deepEqual(finding.fixes, []);
  assert.equal(applyEdits(text, preferredEdits([finding]).get(uriOf('np.yaml')) ?? []), text);
});

test("the move-up fix ends with the value's last line, even where the value's range runs on into the next rule", () => {
  const text = egressPolicy(
    '        - port: 53\n          to:\n            - ? port:\n                  matchLabels: {app: a}\n    - to: []\n',
  );
  const [finding] = findingsOf({ 'np.yaml': text }).filter((f) => f.code === 'netpol-misplaced-field');
  assert.deepEqual(
    finding.fixes[0].edits.map((e) => e.range.start.line),
    [8, 9, 10],
  );
  const fixed = applyEdits(text, preferredEdits([finding]).get(uriOf('np.yaml'))!);
  assert.ok(fixed.endsWith('      to:\n        - ? port:\n              matchLabels: {app: a}\n    - to: []\n'), fixed);
  assert.ok(!findingsOf({ 'np.yaml': fixed }).some((f) => f.code === 'yaml-syntax'));
});

test('a targetPort whose value is not a port gets no inserted second targetPort key (the insertion broke the YAML)', () => {
  const real = readFileSync(path.resolve(__dirname, '../corpus/real/bitnami-rabbitmq-lbport.yaml'), 'utf8');
  const lines = real.split('\n');
  assert.equal(lines[216], '      targetPort: amqp');
  lines[216] = '      targetPort: &self [*self, {port: *self}]';
  const text = lines.join('\n');
  const fixed = applyEdits(text, preferredEdits(findingsOf({ 'rabbitmq.yaml': text })).get(uriOf('rabbitmq.yaml')) ?? []);
  assert.equal(fixed.match(/^ +targetPort:/gm)?.length, text.match(/^ +targetPort:/gm)?.length, 'no targetPort key added');
});
