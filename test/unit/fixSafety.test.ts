import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { parseManifests } from '../../server/src/model/parse';
import { container, deployment, findingsOf, policy, service, textAt, workload } from '../helpers';

// SPEC §3: fixes never break what works.

const kuard = (servicePorts: string, containerPorts: string) => ({
  'kuard.yaml': `${deployment('kuard', '{app: kuard}', containerPorts, 'demo')}---\n${service('kuard', '{app: kuard}', servicePorts, 'demo')}`,
});

test('a Service without targetPort: the fix inserts targetPort and never rewrites the port its clients use', () => {
  const files = kuard('\n    - name: http\n      port: 80 # clients use 80', '\n            - containerPort: 8080');
  const [finding] = findingsOf(files);
  assert.equal(textAt(files['kuard.yaml'], finding), '80');
  assert.equal(finding.fixes.length, 1);
  assert.match(finding.fixes[0].title, /targetPort/);
  const fixed = applyEdits(files['kuard.yaml'], finding.fixes[0].edits);
  assert.ok(fixed.includes('      port: 80 # clients use 80\n      targetPort: 8080\n'), fixed);
  const service = parseManifests('file:///ws/kuard.yaml', fixed).services[0];
  assert.equal(service.ports[0].port.value, 80);
  assert.deepEqual(service.ports[0].targetPort?.value, { kind: 'number', number: 8080 });
  assert.deepEqual(findingsOf({ 'kuard.yaml': fixed }), []);
  // the same in a flow mapping
  const flow = kuard('\n    - {name: http, port: 80}', '\n            - containerPort: 8080');
  const [flowFinding] = findingsOf(flow);
  const flowFixed = applyEdits(flow['kuard.yaml'], flowFinding.fixes[0].edits);
  assert.ok(flowFixed.includes('{name: http, port: 80, targetPort: 8080}'), flowFixed);
});

test('no "only declared TCP port" fix when the number is declared under UDP', () => {
  // CoreDNS-like: 53/UDP and 9153/TCP declared; the Service's 53/TCP targets a port declared only under UDP.
  const files = kuard(
    '[{name: dns-tcp, port: 53, protocol: TCP}]',
    '[{name: dns, containerPort: 53, protocol: UDP}, {name: metrics, containerPort: 9153}]',
  );
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity]),
    [['service-target-port-unmatched', 'information']],
  );
  assert.deepEqual(findings[0].fixes, []);
});

test('named ports: of two containers declaring the same name the first wins; the second is never offered', () => {
  const envoy = container('envoy', '[{name: http, containerPort: 9901}]');
  const files = {
    'app.yaml': `${workload('api', '{app: api}', '[{name: http, containerPort: 8080}]', 'shop', { containers: envoy })}---
${service('api', '{app: api}', '[{name: http, port: 80, targetPort: http}]', 'shop')}---
${policy('api', '{matchLabels: {app: api}}', '[{ports: [{port: 80}]}]', 'shop')}`,
  };
  const [finding] = findingsOf(files);
  assert.equal(finding.severity, 'warning');
  assert.deepEqual(
    finding.fixes.map((f) => [f.edits[0].newText, f.isPreferred]),
    [
      ['8080', true],
      ['http', false],
    ],
  );
  assert.ok(!finding.fixes.some((f) => f.edits[0].newText === '9901'));
});
