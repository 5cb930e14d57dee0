import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HELM } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const STORY = ['explain', '--from', 'external', '--to', 'gitlab/gitlab-ssh:10022'];

test('the story: external → gitlab/gitlab-ssh:10022 is denied, naming port 22, Deployment gitlab and allow-from-all; exit 1', () => {
  const { code, stdout } = run([...STORY, 'examples/gitlab']);
  assert.equal(code, 1);
  const lines = stdout.split('\n');
  assert.equal(lines[0], 'external → gitlab/gitlab-ssh:10022: denied');
  assert.match(
    stdout,
    /external → Service gitlab\/gitlab-ssh \(LoadBalancer\) 10022\/TCP \(examples\/gitlab\/gitlab\.yaml:\d+\) → targetPort 22 → Deployment gitlab\/gitlab \(examples\/gitlab\/gitlab\.yaml:5\), container gitlab, 22\/TCP "ssh" \(examples\/gitlab\/gitlab\.yaml:\d+\): ✗ denied/,
  );
  assert.match(stdout, /NetworkPolicy gitlab\/allow-from-all \(examples\/gitlab\/networkpolicies\.yaml:\d+\) isolates it for ingress/);
  assert.match(stdout, /✗ rule 1 .*: admits every source \(no from\); on 80\/TCP and 10022\/TCP — not 22\/TCP "ssh"/);
  assert.match(stdout, /^fix: Change port 10022 to 22 \(Service gitlab\/gitlab-ssh forwards 10022 → 22\)/m);
});

test('--format json: verdict, path, ingress, egress and fixes', () => {
  const { code, stdout } = run([...STORY, '--format', 'json', 'examples/gitlab']);
  assert.equal(code, 1);
  const answer = JSON.parse(stdout);
  assert.deepEqual(
    Object.keys(answer).filter((k) => ['verdict', 'path', 'ingress', 'egress', 'fixes'].includes(k)),
    ['verdict', 'path', 'ingress', 'egress', 'fixes'],
  );
  assert.equal(answer.verdict, 'denied');
  assert.equal(answer.path.length, 1);
  const [hop] = answer.path;
  assert.equal(hop.pod.name, 'Deployment gitlab/gitlab');
  assert.equal(hop.pod.file, 'examples/gitlab/gitlab.yaml');
  assert.equal(hop.service.name, 'Service gitlab/gitlab-ssh');
  assert.equal(hop.servicePort, '10022/TCP');
  assert.equal(hop.targetPort, 22);
  assert.equal(hop.podPort, '22/TCP "ssh"');
  assert.equal(hop.verdict, 'denied');
  assert.equal(answer.ingress[0].verdict, 'denied');
  assert.equal(answer.ingress[0].policies[0].name, 'NetworkPolicy gitlab/allow-from-all');
  assert.equal(answer.ingress[0].policies[0].file, 'examples/gitlab/networkpolicies.yaml');
  assert.deepEqual(
    answer.ingress[0].policies[0].rules.map((r: { rule: number; admits: string }) => [r.rule, r.admits]),
    [[1, 'no']],
  );
  assert.equal(answer.egress[0].judged, false);
  const preferred = answer.fixes.filter((f: { isPreferred: boolean }) => f.isPreferred);
  assert.deepEqual(
    preferred.map((f: { edits: Array<{ file: string; newText: string }> }) => f.edits.map((e) => [e.file, e.newText])),
    [[['examples/gitlab/networkpolicies.yaml', '22']]],
  );
});

test('after check --fix (on a copy) the same question is allowed, exit 0', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-explain-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, 'examples/gitlab'), path.join(dir, 'gitlab'), { recursive: true });
  assert.equal(run(['check', '--fix', 'gitlab'], dir).code, 0);
  const { code, stdout } = run([...STORY, 'gitlab'], dir);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /^external → gitlab\/gitlab-ssh:10022: allowed$/m);
  assert.match(stdout, /ingress: ✓ NetworkPolicy allow-from-all ingress rule 1 admits 22\/TCP "ssh" from clients outside the cluster/);
  const json = JSON.parse(run([...STORY, '--format', 'json', 'gitlab'], dir).stdout);
  assert.equal(json.verdict, 'allowed');
  assert.deepEqual(json.fixes, []);
});

test('bad arguments exit 2 with a clear message naming the closest names', () => {
  const unknown = run(['explain', '--from', 'external', '--to', 'gitlab/gitlab-shh:10022', 'examples/gitlab']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no Service or pod template "gitlab\/gitlab-shh" in the workspace; did you mean "gitlab\/gitlab-ssh:10022"/);
  const source = run(['explain', '--from', 'gitlab/Deployment/gitlb', '--to', 'gitlab/gitlab-ssh:10022', 'examples/gitlab']);
  assert.equal(source.code, 2);
  assert.match(source.stderr, /did you mean "gitlab\/Deployment\/gitlab"/);
  assert.equal(run(['explain', '--to', 'gitlab/gitlab-ssh:10022', 'examples/gitlab']).code, 2);
  assert.equal(run([...STORY, '--format', 'sarif', 'examples/gitlab']).code, 2);
  assert.equal(run([...STORY, 'no/such/dir']).code, 2);
});

test('explain --help describes sources and destinations', () => {
  const { code, stdout } = run(['explain', '--help']);
  assert.equal(code, 0);
  assert.match(stdout, /--from SOURCE --to DEST/);
  assert.match(stdout, /namespace\/\*/);
});

test('the README shows the story as the CLI prints it', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const shown = /\$ port-lens explain --from external --to gitlab\/gitlab-ssh:10022 examples\/gitlab\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(shown, 'the README has the example');
  assert.equal(run([...STORY, 'examples/gitlab']).stdout.trimEnd(), shown[1]);
});

test('a Helm chart: explained on its rendered objects, with fixes in the template and in values.yaml', () => {
  const { code, stdout } = run([
    'explain',
    '--from',
    'external',
    '--to',
    'default/release-gitlab-ssh:10022',
    '--helm',
    HELM,
    '--format',
    'json',
    'test/fixtures/charts/gitlab-ssh',
  ]);
  assert.equal(code, 1);
  const answer = JSON.parse(stdout);
  assert.equal(answer.verdict, 'denied');
  assert.equal(answer.path[0].pod.file, 'test/fixtures/charts/gitlab-ssh/templates/deployment.yaml');
  assert.equal(answer.path[0].podPort, '22/TCP "ssh"');
  const toPort22 = answer.fixes.filter((f: { edits: Array<{ newText: string }> }) => f.edits[0].newText === '22');
  assert.deepEqual(toPort22.map((f: { edits: Array<{ file: string }> }) => f.edits[0].file).sort(), [
    'test/fixtures/charts/gitlab-ssh/templates/networkpolicy.yaml',
    'test/fixtures/charts/gitlab-ssh/values.yaml',
  ]);
  // Without rendering the chart holds nothing to explain.
  assert.equal(
    run(['explain', '--from', 'external', '--to', 'default/release-gitlab-ssh:10022', '--no-helm', 'test/fixtures/charts/gitlab-ssh']).code,
    2,
  );
});

test('unknown exits 1, like denied: a Service whose endpoints are outside the workspace', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-unknown-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'svc.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: app}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n',
  );
  const { code, stdout } = run(['explain', '--from', 'external', '--to', 'app/ext:80', '--format', 'json', dir]);
  assert.equal(code, 1);
  assert.equal(JSON.parse(stdout).verdict, 'unknown');
});
