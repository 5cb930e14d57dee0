import test from 'node:test';
import assert from 'node:assert/strict';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const files = {
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}]'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]', 'app', 'LoadBalancer'),
  'np.yaml': policy('allow', '{matchLabels: {name: gitlab}}', '[{ports: [{port: 10022}, {port: 22}]}]'),
};
const at = (name: keyof typeof files, needle: string) => {
  const lines = files[name].split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line, character: lines[line].indexOf(needle) + 1 };
};

test('hover on a policy port shows the verdict, the pods and the Service → Pod chain with links', () => {
  const lens = lensOf(files);
  const h = lens.hover(uriOf('np.yaml'), at('np.yaml', '10022'))!;
  assert.ok(h);
  assert.match(h.markdown, /\*\*NetworkPolicy app\/allow\*\* · ingress port `10022\/TCP`/);
  assert.doesNotMatch(h.markdown, /already admits/, 'the diagnostic is not repeated');
  assert.match(
    h.markdown,
    /\[Service app\/gitlab-ssh\]\(file:\/\/\/ws\/svc\.yaml#L4\) \(LoadBalancer\) 10022\/TCP → targetPort 22 → \[Deployment app\/gitlab\]\(file:\/\/\/ws\/deploy\.yaml#L4\), container main, 22\/TCP "ssh"/,
  );
  const ok = lens.hover(uriOf('np.yaml'), at('np.yaml', ' 22}'))!;
  assert.match(ok.markdown, /✓ Admits 22\/TCP "ssh" on Deployment app\/gitlab/);
});

test('hover on a Service port, a containerPort and a selector', () => {
  const lens = lensOf(files);
  const svc = lens.hover(uriOf('svc.yaml'), at('svc.yaml', '10022'))!;
  assert.match(svc.markdown, /\*\*Service app\/gitlab-ssh\*\* \(LoadBalancer\)/);
  assert.match(svc.markdown, /✓ \[NetworkPolicy app\/allow\]\(file:\/\/\/ws\/np\.yaml#L4\), ingress rule 1/);
  const container = lens.hover(uriOf('deploy.yaml'), at('deploy.yaml', '22'))!;
  assert.match(container.markdown, /Services forwarding to it/);
  assert.match(container.markdown, /gitlab-ssh/);
  const selector = lens.hover(uriOf('np.yaml'), at('np.yaml', 'matchLabels'))!;
  assert.match(selector.markdown, /Pods this policy selects[\s\S]*Deployment app\/gitlab/);
  assert.equal(lens.hover(uriOf('np.yaml'), { line: 0, character: 0 }), undefined);
});

test('go to definition from a policy port, a Service port and a selector', () => {
  const lens = lensOf(files);
  const toPort = lens.definition(uriOf('np.yaml'), at('np.yaml', ' 22}'));
  assert.deepEqual(
    toPort.map((l) => [l.uri, l.range.start.line]),
    [[uriOf('deploy.yaml'), 13]],
  );
  assert.deepEqual(
    lens.definition(uriOf('svc.yaml'), at('svc.yaml', 'targetPort')).map((l) => l.uri),
    [uriOf('deploy.yaml')],
  );
  assert.deepEqual(
    lens.definition(uriOf('np.yaml'), at('np.yaml', 'matchLabels')).map((l) => l.range.start.line),
    [3],
  );
});

test("a finding's hover: no repeat of the diagnostic, long lists collapse to a count, the tip names the container port's own name", () => {
  const many = Object.fromEntries(
    Array.from({ length: 6 }, (_, i) => [
      `svc${i}.yaml`,
      service(`gitlab-${i}`, '{name: gitlab}', `[{port: ${10022 + i}, targetPort: 22}]`, 'app', 'ClusterIP'),
    ]),
  );
  const lens = lensOf({ ...files, ...many });
  const h = lens.hover(uriOf('np.yaml'), at('np.yaml', '10022'))!;
  assert.ok(h.markdown.split('\n').length <= 15, h.markdown);
  assert.match(h.markdown, /Service app\/gitlab-ssh\]\([^)]*\) \(LoadBalancer\) 10022\/TCP/, 'the Service of the written port comes first');
  assert.match(h.markdown, /… and 4 more Service ports — \[show all\]\(command:portLens\.explainConnection\)/);
  assert.match(h.markdown, /The named port \(`ssh`\) in the policy avoids this mistake/);
  const named = lensOf({ ...files, 'deploy.yaml': files['deploy.yaml'].replace('name: ssh, ', '') });
  assert.doesNotMatch(named.hover(uriOf('np.yaml'), at('np.yaml', '10022'))!.markdown, /named port/, 'no name, no tip');
});
