import test from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const files = {
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}, {name: http, containerPort: 80}]'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22, nodePort: 30022}]', 'app', 'NodePort'),
  'np.yaml': policy('allow', '{matchLabels: {name: gitlab}}', '[{ports: [{port: 10022}, {port: 30022}, {port: 80}, {port: 9999}]}]'),
};

const at = (name: keyof typeof files, needle: string) => {
  const lines = files[name].split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line, character: lines[line].indexOf(needle) + 1 };
};
const text = (name: keyof typeof files, l: { range: { start: { line: number; character: number }; end: { character: number } } }) =>
  files[name].split('\n')[l.range.start.line].slice(l.range.start.character, l.range.end.character);

test("Go to Definition on a policy's 10022: the Service port that number is, then the container port it forwards to", () => {
  const lens = lensOf(files);
  const found = lens.definition(uriOf('np.yaml'), at('np.yaml', '10022'));
  assert.deepEqual(
    found.map((l) => [l.uri, text(l.uri.endsWith('svc.yaml') ? 'svc.yaml' : 'deploy.yaml', l)]),
    [
      [uriOf('svc.yaml'), '10022'],
      [uriOf('deploy.yaml'), '{name: ssh, containerPort: 22}'],
    ],
  );
  // (a container port's range is its whole entry) a nodePort leads the same way
  const node = lens.definition(uriOf('np.yaml'), at('np.yaml', '30022'));
  assert.deepEqual(
    node.map((l) => l.uri),
    [uriOf('svc.yaml'), uriOf('deploy.yaml')],
  );
  assert.equal(text('svc.yaml', node[0]), '30022');
});

test('a port the pods serve leads to the container port only; a number nothing forwards leads nowhere', () => {
  const lens = lensOf(files);
  assert.deepEqual(
    lens.definition(uriOf('np.yaml'), at('np.yaml', ' 80}')).map((l) => [l.uri, text('deploy.yaml', l)]),
    [[uriOf('deploy.yaml'), '{name: http, containerPort: 80}']],
  );
  assert.deepEqual(lens.definition(uriOf('np.yaml'), at('np.yaml', '9999')), []);
  // an egress rule's 10022 leads to the destination's Service port
  const egress = lensOf({
    ...files,
    'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: app}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {name: gitlab}}}]
      ports: [{port: 10022}]
`,
  });
  const lines = `ports: [{port: 10022}]`;
  const line = 8;
  const found = egress.definition(uriOf('np.yaml'), { line, character: 6 + lines.indexOf('10022') + 1 });
  assert.deepEqual(
    found.map((l) => l.uri),
    [uriOf('svc.yaml'), uriOf('deploy.yaml')],
  );
});
