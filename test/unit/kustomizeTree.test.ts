import test from 'node:test';
import assert from 'node:assert/strict';
import { KustomizeTree } from '../../server/src/kustomize/kustomizeTree';
import { parseKustomization } from '../../server/src/kustomize/kustomization';
import { kustomizeArgs } from '../../server/src/kustomize/runKustomize';

const files: Record<string, string> = {
  '/ws/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - policy.yaml\n',
  '/ws/components/ssh/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: ssh.yaml\n',
  '/ws/overlays/prod/kustomization.yml':
    'resources:\n  - ../../base\ncomponents:\n  - ../../components/ssh\npatchesStrategicMerge:\n  - fix.yaml\n',
  '/ws/overlays/staging/Kustomization':
    'bases:\n  - ../../base\npatches:\n  - path: p.json\n    target: {kind: NetworkPolicy, name: allow}\nconfigMapGenerator:\n  - name: c\n    files: [conf=settings.ini]\n',
  '/ws/lonely/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
};

test('roots are the kustomizations no other one uses; a Component never is', () => {
  const tree = new KustomizeTree(Object.keys(files), (f) => files[f], ['/ws']);
  assert.deepEqual(
    tree.roots.map((r) => r.name),
    ['overlays/prod', 'overlays/staging'],
  );
  const prod = tree.roots[0];
  assert.deepEqual([...prod.files].sort(), [
    '/ws/base/deployment.yaml',
    '/ws/base/kustomization.yaml',
    '/ws/base/policy.yaml',
    '/ws/components/ssh/kustomization.yaml',
    '/ws/components/ssh/ssh.yaml',
    '/ws/overlays/prod/fix.yaml',
    '/ws/overlays/prod/kustomization.yml',
  ]);
  assert.deepEqual(
    tree.rootsUsing('/ws/base/policy.yaml').map((r) => r.name),
    ['overlays/prod', 'overlays/staging'],
  );
  assert.deepEqual(
    tree.rootsUsing('/ws/overlays/staging/settings.ini').map((r) => r.name),
    ['overlays/staging'],
  );
  for (const used of ['/ws/overlays/staging/p.json', '/ws/components/ssh/ssh.yaml', '/ws/lonely/kustomization.yaml'])
    assert.ok(tree.usedFiles.has(used), used);
});

test('remote resources are recorded, never resolved as files; inline patches are kept with their target', () => {
  const k = parseKustomization(
    '/ws/o/kustomization.yaml',
    'resources:\n  - github.com/org/repo//base?ref=v1\n  - https://example.org/x.yaml\n  - local.yaml\npatches:\n  - target: {kind: Service}\n    patch: |-\n      - op: remove\n        path: /spec/x\n',
  );
  assert.deepEqual(k.remote, ['github.com/org/repo//base?ref=v1', 'https://example.org/x.yaml']);
  assert.deepEqual(k.resources, ['/ws/o/local.yaml']);
  assert.equal(k.patches.length, 1);
  assert.deepEqual(k.patches[0].target, { kind: 'Service', name: undefined, namespace: undefined });
  assert.match(k.patches[0].inline!, /op: remove/);
});

test('a kustomization that is not a map is an error, not a crash', () => {
  assert.match(parseKustomization('/k/kustomization.yaml', '- a\n- b\n').error!, /map/);
  assert.ok(parseKustomization('/k/kustomization.yaml', 'resources: [\n').error);
});

test('kubectl runs `kubectl kustomize DIR`, a kustomize executable `kustomize build DIR`; --enable-helm only when asked', () => {
  assert.deepEqual(kustomizeArgs('kubectl', '/d', false), ['kustomize', '/d']);
  assert.deepEqual(kustomizeArgs('/opt/bin/kustomize', '/d', true), ['build', '/d', '--enable-helm']);
});
