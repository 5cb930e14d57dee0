import test from 'node:test';
import assert from 'node:assert/strict';
import { PortLens } from '../../server/src/analysis/portLens';
import { BuiltRoot } from '../../server/src/kustomize/builtRoot';
import { parseKustomization } from '../../server/src/kustomize/kustomization';
import type { KustomizeRoot } from '../../server/src/kustomize/kustomizeTree';
import { KustomizeWorlds } from '../../server/src/kustomize/kustomizeWorlds';
import { deployment, service } from '../helpers';

const policyFile = '/ws/base/policy.yaml';
const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
spec:
  podSelector:
    matchLabels:
      name: gitlab
  ingress:
    - ports:
        - port: 10022
`;
// What kubectl prints for a root whose only resource is the policy, with its origin annotation.
const output = policy.replace(
  '  name: allow\n',
  `  annotations:\n    config.kubernetes.io/origin: |\n      path: ../ws/base/policy.yaml\n  name: allow\n  namespace: app\n`,
);

function builtRoot(): BuiltRoot {
  const kustomization = parseKustomization('/ws/overlays/prod/kustomization.yaml', 'resources:\n  - ../../base\nnamespace: app\n');
  const root: KustomizeRoot = { kustomization, name: 'overlays/prod', files: new Set([policyFile]), remote: [], helmCharts: false };
  const files: Record<string, string> = { [policyFile]: policy };
  return new BuiltRoot(
    root,
    output,
    (p) => (p === '../ws/base/policy.yaml' ? policyFile : p),
    (f) => files[f],
    () => undefined,
    (f) => f.slice('/ws/'.length),
  );
}

test('a world judges its root against the plain manifests, and catches up with those that arrive after it was made', () => {
  const plain = new PortLens();
  const worlds = new KustomizeWorlds(plain);
  worlds.set(builtRoot());
  assert.deepEqual(
    worlds.allFindings().map((f) => f.code),
    ['netpol-selects-nothing'],
  );

  // A chart rendered after the root was built puts the pods and the Service into the plain analysis.
  plain.setFile(
    'file:///ws/chart.yaml',
    `${deployment('gitlab', '{name: gitlab}', '[{containerPort: 22, name: ssh}]')}---\n${service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]')}`,
  );
  worlds.sync();
  const [finding, ...rest] = worlds.allFindings();
  assert.deepEqual(rest, []);
  assert.equal(finding.code, 'netpol-port-unmatched');
  assert.equal(finding.uri, 'file:///ws/base/policy.yaml');
  assert.equal(finding.range.start.line, 10);
  assert.match(finding.message, /\(overlays\/prod\)$/);
  assert.deepEqual(
    finding.fixes.find((f) => f.isPreferred)?.edits.map((e) => [e.uri, e.newText]),
    [['file:///ws/base/policy.yaml', '22']],
  );

  plain.removeFile('file:///ws/chart.yaml');
  worlds.sync();
  assert.deepEqual(
    worlds.allFindings().map((f) => f.code),
    ['netpol-selects-nothing'],
  );
});
