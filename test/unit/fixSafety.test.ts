import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { parseManifests } from '../../server/src/model/parse';
import { findingsOf, textAt } from '../helpers';

// SPEC §3: fixes never break what works.

const kuard = (service: string, ports: string) => ({
  'kuard.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: kuard, namespace: demo}
spec:
  template:
    metadata: {labels: {app: kuard}}
    spec:
      containers:
        - name: kuard
          image: gcr.io/kuar-demo/kuard-amd64:blue
          ports:
${ports}
---
apiVersion: v1
kind: Service
metadata: {name: kuard, namespace: demo}
spec:
  selector: {app: kuard}
  ports:
${service}
`,
});

test('a Service without targetPort: the fix inserts targetPort and never rewrites the port its clients use', () => {
  const files = kuard('    - name: http\n      port: 80 # clients use 80\n', '            - containerPort: 8080\n');
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
  const flow = kuard('    - {name: http, port: 80}\n', '            - containerPort: 8080\n');
  const [flowFinding] = findingsOf(flow);
  const flowFixed = applyEdits(flow['kuard.yaml'], flowFinding.fixes[0].edits);
  assert.ok(flowFixed.includes('{name: http, port: 80, targetPort: 8080}'), flowFixed);
});

test('no "only declared TCP port" fix when the number is declared under UDP', () => {
  // CoreDNS-like: 53/UDP and 9153/TCP declared; the Service's 53/TCP targets a port declared only under UDP.
  const files = kuard(
    '    - {name: dns-tcp, port: 53, protocol: TCP}\n',
    '            - {name: dns, containerPort: 53, protocol: UDP}\n            - {name: metrics, containerPort: 9153}\n',
  );
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity]),
    [['service-target-port-unmatched', 'information']],
  );
  assert.deepEqual(findings[0].fixes, []);
});

test('named ports: of two containers declaring the same name the first wins; the second is never offered', () => {
  const files = {
    'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: shop/api:1
          ports: [{name: http, containerPort: 8080}]
        - name: envoy
          image: envoyproxy/envoy:v1.29
          ports: [{name: http, containerPort: 9901}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - ports:
        - port: 80
`,
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
