import test from 'node:test';
import assert from 'node:assert/strict';
import { PortLens } from '../../server/src/analysis/portLens';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const files = {
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}]'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]'),
  'np.yaml': policy('allow', '{matchLabels: {name: gitlab}}', '[{ports: [{port: 10022}]}]'),
  'other.yaml': deployment('other', '{name: other}', '[{containerPort: 1}]', 'elsewhere'),
};

const warnings = (lens: PortLens, name: string) => lens.findings(uriOf(name)).filter((f) => f.severity === 'warning').length;

test('an edit in another file changes the policy\'s findings, and says which files changed', () => {
  const lens = lensOf(files);
  assert.equal(warnings(lens, 'np.yaml'), 1);
  // the container now serves 10022 itself: the entry is right
  const changed = lens.setFile(uriOf('deploy.yaml'), files['deploy.yaml'].replace('containerPort: 22', 'containerPort: 10022'));
  assert.deepEqual([...changed].sort(), [uriOf('deploy.yaml'), uriOf('np.yaml'), uriOf('svc.yaml')].sort());
  assert.equal(warnings(lens, 'np.yaml'), 0);
  // an edit in an unrelated namespace touches nothing else
  assert.deepEqual([...lens.setFile(uriOf('other.yaml'), files['other.yaml'].replace('1}', '2}'))], [uriOf('other.yaml')]);
});

test('removing the Service turns the warning into the softer "undeclared number"', () => {
  const lens = lensOf(files);
  const changed = lens.removeFile(uriOf('svc.yaml'));
  assert.ok(changed.has(uriOf('np.yaml')));
  assert.equal(warnings(lens, 'np.yaml'), 0);
  assert.equal(lens.findings(uriOf('np.yaml'))[0].severity, 'information');
  assert.deepEqual(lens.findings(uriOf('svc.yaml')), []);
});

test('incremental results equal a fresh analysis after any sequence of edits', () => {
  const lens = lensOf(files);
  const steps: Array<[string, string | undefined]> = [
    ['np.yaml', files['np.yaml'].replace('10022', '22')],
    ['deploy.yaml', undefined],
    ['np.yaml', files['np.yaml']],
    ['deploy.yaml', files['deploy.yaml']],
    ['svc.yaml', files['svc.yaml'].replace('targetPort: 22', 'targetPort: ssh')],
  ];
  const current: Record<string, string> = { ...files };
  for (const [name, text] of steps) {
    if (text === undefined) {
      lens.removeFile(uriOf(name));
      delete current[name];
    } else {
      lens.setFile(uriOf(name), text);
      current[name] = text;
    }
    const fresh = lensOf(current);
    assert.deepEqual(lens.allFindings(), fresh.allFindings());
  }
});
