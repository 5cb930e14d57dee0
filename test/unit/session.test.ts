import test from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SCAN_OPTIONS } from '../../server/src/files';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_HELM_OPTIONS } from '../../server/src/helm/chartRenderer';
import { DEFAULT_KUSTOMIZE_OPTIONS } from '../../server/src/kustomize/buildRoot';
import type { RootConfig } from '../../server/src/workspace/inputSource';
import { WorkspaceSession, type OpenDocument } from '../../server/src/workspace/session';
import { deployment, policy, service } from '../helpers';
import { FakeKubectl, MemoryFileSystem, memoryHost } from '../memoryHost';

const root = (extra: Partial<RootConfig> = {}): RootConfig => ({
  path: '/ws',
  files: DEFAULT_SCAN_OPTIONS,
  helm: DEFAULT_HELM_OPTIONS,
  ...extra,
});
const CHART = 'apiVersion: v2\nname: app\nversion: 1.0.0\n';
const SSH_POD = deployment('gitlab', '{app: gitlab}', '[{containerPort: 22, name: ssh}]');
const SSH_SERVICE = service('gitlab-ssh', '{app: gitlab}', '[{port: 10022, targetPort: 22}]');
const SSH_POLICY = policy('ssh', '{matchLabels: {app: gitlab}}', '[{ports: [{port: 10022}]}]');

const summary = (session: WorkspaceSession) =>
  session.allFindings().map((f) => `${f.uri.replace('file:///ws/', '')}:${f.range.start.line} ${f.code}`);

test('a session scans plain files and renders charts in memory: findings land on the template line', async () => {
  const host = memoryHost({
    '/ws/pods.yaml': SSH_POD,
    '/ws/ignored.json': '{}',
    '/ws/node_modules/x/policy.yaml': SSH_POLICY,
    '/ws/chart/Chart.yaml': CHART,
    '/ws/chart/templates/service.yaml': SSH_SERVICE,
    '/ws/chart/templates/policy.yaml': SSH_POLICY,
  });
  const session = new WorkspaceSession({ host });
  const report = await session.scan([root()]);
  assert.equal(report.units, 1);
  assert.deepEqual(
    host.processes.runs.map((r) => r.args.slice(0, 5)),
    [['template', 'release', '/ws/chart', '--namespace', 'default']],
  );
  assert.deepEqual(summary(session), ['chart/templates/policy.yaml:7 netpol-port-unmatched']);
  const [finding] = session.allFindings();
  assert.ok(
    finding.fixes.some(
      (fix) => fix.isPreferred && fix.edits[0].newText === '22' && fix.edits[0].uri === 'file:///ws/chart/templates/policy.yaml',
    ),
  );
  assert.ok(session.ready);
});

test('a Kustomize root is built by kubectl through the session runner, with no network and no home of its own', async () => {
  const fs = new MemoryFileSystem({
    '/ws/pods.yaml': SSH_POD,
    '/ws/service.yaml': SSH_SERVICE,
    '/ws/app/kustomization.yaml': 'resources:\n  - policy.yaml\n',
    '/ws/app/policy.yaml': SSH_POLICY,
  });
  // The policy as the build prints it, its origin relative to the wrapping kustomization.
  const kubectl = new FakeKubectl((request) => {
    const origin = path.relative(request.cwd, '/ws/app/policy.yaml');
    return SSH_POLICY.replace('  name: ssh\n', `  name: ssh\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ${origin}\n`);
  });
  const session = new WorkspaceSession({ host: { fs, processes: kubectl } });
  await session.scan([root({ kustomize: DEFAULT_KUSTOMIZE_OPTIONS })]);

  assert.equal(kubectl.runs.length, 1);
  const [run] = kubectl.runs;
  assert.equal(run.command, 'kubectl');
  assert.deepEqual(run.args, ['kustomize', run.cwd]);
  assert.equal(run.timeoutMs, 10_000);
  const dead = 'http://127.0.0.1:9';
  assert.deepEqual(run.env, {
    GIT_ALLOW_PROTOCOL: 'file',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    HTTP_PROXY: dead,
    HTTPS_PROXY: dead,
    http_proxy: dead,
    https_proxy: dead,
    NO_PROXY: '',
    no_proxy: '',
  });
  // No HOME, KUBECONFIG or PATH of its own: the runner's empty home and config stay in place.
  assert.deepEqual(summary(session), ['app/policy.yaml:7 netpol-port-unmatched']);
});

test('an unsaved edit of a file a Kustomize root uses builds the root again; a newer edit cancels the build under way', async () => {
  const fs = new MemoryFileSystem({
    '/ws/pods.yaml': SSH_POD,
    '/ws/service.yaml': SSH_SERVICE,
    '/ws/app/kustomization.yaml': 'resources:\n  - policy.yaml\n',
    '/ws/app/policy.yaml': SSH_POLICY,
  });
  // kubectl reads the root the wrapping kustomization names: the temporary copy once a document is open.
  const kubectl = new FakeKubectl((request) => {
    const wrapper = readFileSync(path.join(request.cwd, 'kustomization.yaml'), 'utf8');
    const file = path.join(path.resolve(request.cwd, JSON.parse(/- (".*")/.exec(wrapper)![1]) as string), 'policy.yaml');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : fs.files.get(file)!;
    const origin = path.relative(request.cwd, file);
    return text.replace('  name: ssh\n', `  name: ssh\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ${origin}\n`);
  });
  const open: OpenDocument[] = [];
  const changes: Array<Set<string>> = [];
  const session = new WorkspaceSession({
    host: { fs, processes: kubectl },
    documents: { get: (uri) => open.find((d) => d.uri === uri), all: () => open },
    onDidChange: (uris) => changes.push(uris),
    rebuildDelayMs: 1,
  });
  await session.scan([root({ kustomize: DEFAULT_KUSTOMIZE_OPTIONS })]);
  assert.deepEqual(summary(session), ['app/policy.yaml:7 netpol-port-unmatched']);

  let release = () => undefined as void;
  kubectl.gate = new Promise((resolve) => (release = resolve));
  const uri = 'file:///ws/app/policy.yaml';
  const waitFor = async (what: () => boolean) => {
    for (let i = 0; i < 200 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(what());
  };
  open.push({ uri, version: 2, text: SSH_POLICY.replace('port: 10022', 'port: 10023') });
  assert.equal(session.documentChanged(uri), true, 'the root takes the edit');
  await waitFor(() => kubectl.runs.length === 2);
  open[0] = { uri, version: 3, text: SSH_POLICY.replace('port: 10022', 'port: 22') };
  assert.equal(session.documentChanged(uri), true);
  await waitFor(() => kubectl.runs.length === 3);
  assert.equal(kubectl.runs[1].signal?.aborted, true, 'the older build is cancelled');
  release();
  await waitFor(() => changes.length > 0);
  assert.deepEqual(summary(session), [], 'the newest text is what is published');
});

test('open documents take the place of their files, in plain files and in the chart a tool renders', async () => {
  const host = memoryHost({
    '/ws/pods.yaml': SSH_POD,
    '/ws/policy.yaml': SSH_POLICY,
    '/ws/chart/Chart.yaml': CHART,
    '/ws/chart/templates/service.yaml': SSH_SERVICE,
    '/ws/chart/templates/extra.yaml': SSH_POLICY.replace('name: ssh', 'name: saved').replace('port: 10022', 'port: 22'),
  });
  const open: OpenDocument[] = [
    { uri: 'file:///ws/policy.yaml', version: 3, text: SSH_POLICY.replace('port: 10022', 'port: 22') },
    { uri: 'file:///ws/chart/templates/extra.yaml', version: 1, text: SSH_POLICY.replace('name: ssh', 'name: unsaved') },
  ];
  const documents = { get: (uri: string) => open.find((d) => d.uri === uri), all: () => open };
  const session = new WorkspaceSession({ host, documents });
  await session.scan([root()]);
  assert.deepEqual(summary(session), ['chart/templates/extra.yaml:7 netpol-port-unmatched']);
  assert.equal(host.processes.runs[0].args[2].startsWith('/scratch-'), true, 'helm rendered a copy with the unsaved document');
  assert.deepEqual(
    [...host.fs.files.keys()].filter((f) => f.startsWith('/scratch')),
    [],
    'the copy is removed',
  );
});

test('a chart helm cannot render is one finding on the template line helm names; the rest is checked', async () => {
  const host = memoryHost({
    '/ws/pods.yaml': SSH_POD,
    '/ws/policy.yaml': SSH_POLICY,
    '/ws/chart/Chart.yaml': CHART,
    '/ws/chart/templates/x.yaml': 'x',
  });
  host.processes.failure = 'parse error at (app/templates/x.yaml:1): bad';
  const session = new WorkspaceSession({ host });
  await session.scan([root()]);
  assert.deepEqual(summary(session), ['chart/templates/x.yaml:0 helm-render-failed', 'policy.yaml:7 netpol-port-unmatched']);
  const failed = session.allFindings()[0];
  assert.match(failed.message, /helm template failed: parse error/);
  assert.equal(failed.uri, 'file:///ws/chart/templates/x.yaml', 'on the template where helm stopped');
});

test('with Helm off nothing runs, and the log says why', async () => {
  const host = memoryHost({ '/ws/chart/Chart.yaml': CHART, '/ws/chart/templates/service.yaml': SSH_SERVICE });
  const logs: string[] = [];
  const session = new WorkspaceSession({ host, log: (m) => logs.push(m) });
  const report = await session.scan([root({ helm: { off: 'the workspace is not trusted' } })]);
  assert.equal(report.units, 0);
  assert.deepEqual(host.processes.runs, []);
  assert.deepEqual(logs, ['1 Helm chart not rendered (the workspace is not trusted)']);
  assert.equal(session.accepts('file:///ws/chart/templates/service.yaml', true), false, "a chart's template is never a plain manifest");
});

test('the session is not ready until the first scan and its renders are complete', async () => {
  const host = memoryHost({ '/ws/policy.yaml': SSH_POLICY, '/ws/chart/Chart.yaml': CHART, '/ws/chart/templates/pods.yaml': SSH_POD });
  let release!: () => void;
  host.processes.gate = new Promise((resolve) => (release = resolve));
  const session = new WorkspaceSession({ host });
  const scanning = session.scan([root()]);
  for (let i = 0; i < 50 && host.processes.runs.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(host.processes.runs.length, 1, 'the render started');
  assert.equal(session.ready, false);
  assert.equal(session.lens.index.fileCount, 0, 'the new index is not swapped in before its renders end');
  release();
  await scanning;
  assert.ok(session.ready);
  assert.deepEqual(summary(session), ['policy.yaml:7 netpol-port-unmatched']);
});

test("an edit of a chart's file renders it again (a newer edit cancels the older render); a new Chart.yaml asks for a rescan", async () => {
  const host = memoryHost({ '/ws/pods.yaml': SSH_POD, '/ws/chart/Chart.yaml': CHART, '/ws/chart/templates/policy.yaml': SSH_POLICY });
  const open: OpenDocument[] = [];
  const changes: Array<Set<string>> = [];
  const session = new WorkspaceSession({
    host,
    documents: { get: (uri) => open.find((d) => d.uri === uri), all: () => open },
    onDidChange: (uris) => changes.push(uris),
    rebuildDelayMs: 1,
  });
  await session.scan([root()]);
  assert.deepEqual(summary(session), ['chart/templates/policy.yaml:7 netpol-port-unmatched']);
  const uri = 'file:///ws/chart/templates/policy.yaml';
  open.push({ uri, version: 2, text: SSH_POLICY.replace('port: 10022', 'port: 22') });
  assert.equal(session.documentChanged(uri), true, 'the chart takes the edit');
  for (let i = 0; i < 100 && changes.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(changes[0].has(uri));
  assert.deepEqual(summary(session), []);
  assert.equal(session.documentChanged('file:///ws/pods.yaml'), false, 'a plain manifest is the caller’s to update');
  assert.deepEqual([...session.update('file:///ws/pods.yaml', SSH_POD.replace('containerPort: 22', 'containerPort: 2222'))].sort(), [
    'file:///ws/chart/templates/policy.yaml',
    'file:///ws/pods.yaml',
  ]);
  assert.equal(session.filesChanged([{ uri: 'file:///ws/other/Chart.yaml', change: 'created' }]), 'rescan');
  host.fs.write('/ws/more.yaml', SSH_SERVICE);
  const changed = session.filesChanged([{ uri: 'file:///ws/more.yaml', change: 'created' }]);
  assert.ok(changed !== 'rescan' && changed.has('file:///ws/more.yaml'));
  assert.ok(session.lens.index.file('file:///ws/more.yaml'));
});

test('scans run one at a time, and each swaps in a whole new index', async () => {
  const host = memoryHost({ '/ws/a.yaml': SSH_POD });
  const session = new WorkspaceSession({ host });
  const first = session.scan([root()]);
  host.fs.files.delete('/ws/a.yaml');
  host.fs.write('/ws/b.yaml', SSH_POD);
  const second = session.scan([root()]);
  await first;
  const report = await second;
  assert.deepEqual([...session.lens.index.uris()], ['file:///ws/b.yaml']);
  assert.ok(report.changed.has('file:///ws/a.yaml') || report.changed.has('file:///ws/b.yaml'));
});
