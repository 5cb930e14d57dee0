import test from 'node:test';
import assert from 'node:assert/strict';
import { serviceLenses } from '../../server/src/analysis/explain/summary';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const pods = deployment('mq', '{app: mq}', '[{containerPort: 5672}, {containerPort: 15672}, {containerPort: 4369}]');
const threePorts = service('mq', '{app: mq}', '[{name: amqp, port: 5672}, {name: http, port: 15672}, {name: epmd, port: 4369}]');
const titles = (files: Record<string, string>) =>
  serviceLenses(lensOf(files).index, uriOf('svc.yaml')).map((l) => [l.summary.title, l.port.name?.value, l.ports.length]);

test('a Service whose ports share the verdict gets one lens, above its first port, speaking for all of them', () => {
  // no policy: every port is open to every source, in the same words
  assert.deepEqual(titles({ 'pods.yaml': pods, 'svc.yaml': threePorts }), [
    ['reachable from: anywhere ✓ (no NetworkPolicy isolates the pods) · all 3 ports', 'amqp', 3],
  ]);
  // one rule from the namespace's own pods for every port: allowed, each port by another rule, one lens
  const perPort = policy(
    'mq-in',
    '{matchLabels: {app: mq}}',
    '[{from: [{podSelector: {}}], ports: [{port: 5672}]}, {from: [{podSelector: {}}], ports: [{port: 15672}, {port: 4369}]}]',
  );
  assert.deepEqual(titles({ 'pods.yaml': pods, 'svc.yaml': threePorts, 'np.yaml': perPort }), [
    ['reachable from: app/* ✓ on all 3 ports', 'amqp', 3],
  ]);
});

test('ports with different verdicts keep a lens each', () => {
  const onlyAmqp = policy('mq-in', '{matchLabels: {app: mq}}', '[{ports: [{port: 5672}]}]');
  const found = titles({ 'pods.yaml': pods, 'svc.yaml': threePorts, 'np.yaml': onlyAmqp });
  assert.deepEqual(
    found.map(([title, port]) => [String(title).split(' ')[2] + ' ' + String(title).split(' ')[3], port]),
    [
      ['anywhere ✓', 'amqp'],
      ['app/* ✗', 'http'],
      ['app/* ✗', 'epmd'],
    ],
  );
  assert.ok(found.every(([, , n]) => n === 1));
});

test('"anywhere" only when a rule admits every source; a rule from some pods stays "app/*"', () => {
  const fromWeb = policy('mq-in', '{matchLabels: {app: mq}}', '[{from: [{podSelector: {matchLabels: {app: web}}}]}]');
  const [[title]] = titles({ 'pods.yaml': pods, 'svc.yaml': service('mq', '{app: mq}', '[{port: 5672}]'), 'np.yaml': fromWeb });
  assert.doesNotMatch(String(title), /anywhere/);
  const emptyFrom = policy('mq-in', '{matchLabels: {app: mq}}', '[{from: []}]');
  const [[open]] = titles({ 'pods.yaml': pods, 'svc.yaml': service('mq', '{app: mq}', '[{port: 5672}]'), 'np.yaml': emptyFrom });
  assert.equal(open, 'reachable from: anywhere ✓ (mq-in ingress rule 1 has no `from`)');
});
