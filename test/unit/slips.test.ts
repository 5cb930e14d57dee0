import test from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../server/src/analysis/explain/explain';
import { parseDestination, parseSource } from '../../server/src/analysis/explain/endpoints';
import { RULES } from '../../server/src/analysis/rules/registry';
import { findingsOf, lensOf, textAt } from '../helpers';

// SPEC §2a: slips real charts ship.

const redmine = `apiVersion: apps/v1
kind: Deployment
metadata: {name: redmine, namespace: redmine}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: redmine}}
    spec:
      containers:
        - name: redmine
          image: bitnami/redmine:5
          ports: [{name: http, containerPort: 3000}]
---
apiVersion: v1
kind: Service
metadata: {name: redmine, namespace: redmine}
spec:
  selector: {app.kubernetes.io/name: redmine}
  ports: [{name: http, port: 80, targetPort: http}]
`;

const withPolicy = (spec: string) => ({
  'redmine.yaml': redmine,
  'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redmine, namespace: redmine}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: redmine}
${spec}`,
});

test('netpol-port-null: `- port:` with no value admits every port of its protocol (a Helm value that rendered nothing)', () => {
  const files = withPolicy(`  ingress:
    - ports:
        - port: 3000
        - port:
          protocol: TCP
        - port:
            8080
`);
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(files['np.yaml'], f)]),
    [
      ['netpol-port-null', 'warning', 'port'],
      ['netpol-port-unmatched', 'information', '8080'],
    ],
  );
  assert.match(findings[0].message, /admits every TCP port/);
  assert.equal(RULES['netpol-port-null'].severity, 'warning');
});

test('netpol-rules-ignored: ingress rules under policyTypes [Egress] are ignored, and their ports not judged', () => {
  const files = withPolicy(`  policyTypes: [Egress]
  ingress:
    - ports:
        - port: 80
  egress:
    - ports:
        - port: 53
          protocol: UDP
`);
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(files['np.yaml'], f)]),
    [['netpol-rules-ignored', 'warning', 'ingress']],
  );
  assert.match(findings[0].message, /policyTypes/);
  assert.equal(RULES['netpol-rules-ignored'].severity, 'warning');
  // explain treats the dead rules as absent: nothing isolates redmine for ingress.
  const lens = lensOf(files);
  const answer = explain(
    lens.index,
    (uri) => lens.findings(uri),
    parseSource(lens.index, 'external'),
    parseDestination(lens.index, 'redmine/redmine:80'),
  );
  assert.equal(answer.verdict, 'allowed');
  assert.deepEqual(answer.results[0].ingress?.policies, []);
});

test('endPort without port is invalid', () => {
  const files = withPolicy(`  ingress:
    - ports:
        - endPort: 3100
`);
  const findings = findingsOf(files);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, textAt(files['np.yaml'], f)]),
    [['port-value-invalid', 'error', '3100']],
  );
  assert.match(findings[0].message, /without a port/);
});
