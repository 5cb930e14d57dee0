import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { HELM } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copyExample(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-'));
  cpSync(path.join(ROOT, 'examples/gitlab'), path.join(dir, 'gitlab'), { recursive: true });
  return dir;
}

test('check examples/gitlab --format json: one warning on 10022 with one preferred fix to 22, exit 1', () => {
  const { code, stdout } = run(['check', 'examples/gitlab', '--format', 'json']);
  assert.equal(code, 1);
  const findings = JSON.parse(stdout);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, 'examples/gitlab/networkpolicies.yaml');
  assert.equal(f.code, 'netpol-port-unmatched');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /Service gitlab\/gitlab-ssh/);
  const line = readFileSync(path.join(ROOT, f.file), 'utf8').split('\n')[f.range.start.line];
  assert.equal(line.slice(f.range.start.character, f.range.end.character), '10022');
  const preferred = f.fixes.filter((x: { isPreferred: boolean }) => x.isPreferred);
  assert.equal(preferred.length, 1);
  assert.deepEqual(
    preferred[0].edits.map((e: { newText: string; file: string }) => [e.file, e.newText]),
    [[f.file, '22']],
  );
});

test('--fix rewrites only that scalar, and a second check is clean', () => {
  const dir = copyExample();
  const file = path.join(dir, 'gitlab/networkpolicies.yaml');
  const before = readFileSync(file, 'utf8');
  const fixed = run(['check', 'gitlab', '--fix'], dir);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.equal(readFileSync(file, 'utf8'), before.replace('      port: 10022', '      port: 22'));
  const again = run(['check', 'gitlab', '--format', 'json'], dir);
  assert.equal(again.code, 0);
  assert.deepEqual(JSON.parse(again.stdout), []);
});

test('--fix keeps CRLF line ends, a BOM and comments', () => {
  const dir = copyExample();
  const file = path.join(dir, 'gitlab/networkpolicies.yaml');
  const crlf = '\ufeff' + readFileSync(file, 'utf8').replace('port: 10022', 'port: 10022 # ssh').replace(/\n/g, '\r\n');
  writeFileSync(file, crlf);
  assert.equal(run(['check', 'gitlab', '--fix'], dir).code, 0);
  assert.equal(readFileSync(file, 'utf8'), crlf.replace('port: 10022 # ssh', 'port: 22 # ssh'));
});

test('text output is file:line:col: severity code: message with 1-based positions', () => {
  const { code, stdout } = run(['check', 'examples/gitlab']);
  assert.equal(code, 1);
  assert.match(
    stdout,
    /^examples\/gitlab\/networkpolicies\.yaml:55:13: warning netpol-port-unmatched: Port 10022\/TCP is the Service port of gitlab\/gitlab-ssh; the pods listen on 22\./m,
  );
});

test('SARIF 2.1.0 with rule metadata, fingerprints and fixes', () => {
  const { code, stdout } = run(['check', 'examples/gitlab', '--format', 'sarif']);
  assert.equal(code, 1);
  const sarif = JSON.parse(stdout);
  assert.equal(sarif.version, '2.1.0');
  const [runLog] = sarif.runs;
  const rules = runLog.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.ok(rules.includes('netpol-port-unmatched'));
  const [result] = runLog.results;
  assert.equal(result.ruleId, 'netpol-port-unmatched');
  assert.equal(rules[result.ruleIndex], result.ruleId);
  assert.equal(result.level, 'warning');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 55, startColumn: 13, endLine: 55, endColumn: 18 });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'examples/gitlab/networkpolicies.yaml');
  assert.match(Object.values(result.partialFingerprints)[0] as string, /^[0-9a-f]{32}$/);
  assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '22');
});

test('exit 0 when only information remains, 2 for a missing path or a bad option', () => {
  assert.equal(run(['check', 'test/corpus/real/bitnami-prometheus.yaml', '--no-helm']).code, 0);
  const missing = run(['check', 'no/such/dir']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim(), 'port-lens: no/such/dir: no such file or directory');
  assert.equal(run(['check', '--format', 'xml']).code, 2);
  assert.equal(run(['check', '--bogus']).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
});

test('every corpus file through the CLI from test/corpus: warnings only where SOURCES.md lists them', () => {
  const corpus = path.resolve(ROOT, 'test/corpus');
  const expected: Record<string, number> = {
    'real/bitnami-appsmith-egress.yaml': 7,
    'real/bitnami-airflow-egress.yaml': 5,
    'real/bitnami-rabbitmq-lbport.yaml': 1,
    'real/grafana-loki-distributed.yaml': 1,
    'real/bitnami-dremio.yaml': 3,
  };
  const files = spawnSync('ls', ['real'], { cwd: corpus, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  assert.ok(files.length >= 21, `the corpus of test/corpus/real (${files.length} files)`);
  for (const name of files) {
    const file = `real/${name}`;
    const { code, stdout } = run(['check', file, '--format', 'json', '--no-helm'], corpus);
    const problems = JSON.parse(stdout).filter((f: { severity: string }) => f.severity !== 'information');
    assert.equal(problems.length, expected[file] ?? 0, file);
    assert.equal(code, problems.length > 0 ? 1 : 0, file);
    for (const p of problems) assert.equal(p.file, file);
  }
});

test("check renders the corpus charts: loki-distributed's http-metrics on the template line, nothing else at warning", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-charts-'));
  cpSync(path.resolve(ROOT, 'test/corpus/charts'), dir, { recursive: true });
  const values = path.join(dir, 'enable-policies.yaml');
  writeFileSync(values, 'networkPolicy:\n  enabled: true\nnetworkPolicies:\n  create: true\nmetrics:\n  enabled: true\n');
  const { code, stdout } = run(
    ['check', '.', '--helm', HELM, '--values', values, '--release', 'rel', '--namespace', 'monitoring', '--format', 'json'],
    dir,
  );
  assert.equal(code, 1);
  const problems = JSON.parse(stdout).filter((f: { severity: string }) => f.severity !== 'information');
  assert.deepEqual(
    problems.map((f: { file: string; code: string }) => [f.file, f.code]),
    [['grafana-loki-distributed/templates/networkpolicy.yaml', 'netpol-port-unmatched']],
  );
  const line = readFileSync(path.join(dir, problems[0].file), 'utf8').split('\n')[problems[0].range.start.line];
  assert.equal(line.trim(), '- port: http-metrics');
  assert.equal(line.slice(problems[0].range.start.character, problems[0].range.end.character), 'http-metrics');
});

test('check --fix on a chart edits the template literal and the values key, and the chart is then clean of those', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-chart-fix-'));
  cpSync(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), path.join(dir, 'gitlab-ssh'), { recursive: true });
  const { stdout } = run(['check', 'gitlab-ssh', '--helm', HELM, '--fix'], dir);
  assert.match(readFileSync(path.join(dir, 'gitlab-ssh/templates/networkpolicy.yaml'), 'utf8'), /- port: 22\n {10}protocol: TCP/);
  assert.match(readFileSync(path.join(dir, 'gitlab-ssh/values.yaml'), 'utf8'), /sshPort: "22"/);
  assert.match(readFileSync(path.join(dir, 'gitlab-ssh/values.yaml'), 'utf8'), /service:\n {2}type: LoadBalancer\n.*\n {2}sshPort: 10022/);
  assert.equal(
    stdout
      .trim()
      .split('\n')
      .filter((l) => l.includes('warning netpol')).length,
    2,
    stdout,
  );
});

test('check --no-helm says the charts were not rendered; a missing helm is information, not a failure', () => {
  const fixtures = path.join(ROOT, 'test/fixtures/charts');
  const skipped = run(['check', fixtures, '--no-helm']);
  assert.equal(skipped.code, 0);
  assert.match(skipped.stderr, /2 Helm charts not rendered \(--no-helm\)/);
  const missing = run(['check', fixtures, '--helm', '/nonexistent/helm', '--format', 'json']);
  assert.equal(missing.code, 0);
  // A missing helm is said once, on the Chart.yaml of whichever chart tried first (they render side by side).
  const said = JSON.parse(missing.stdout) as Array<{ code: string; severity: string; file: string }>;
  assert.deepEqual(
    said.map((f) => [f.code, f.severity]),
    [['helm-render-failed', 'information']],
  );
  assert.match(said[0].file, /^test\/fixtures\/charts\/(gitlab-ssh|shop)\/Chart\.yaml$/);
});

test('PATH defaults to the current folder; several PATHs are checked together, and a chart helm cannot render leaves the rest checked', () => {
  const here = run(['check', '--format', 'json'], path.join(ROOT, 'examples/gitlab'));
  assert.equal(here.code, 1);
  assert.deepEqual(
    JSON.parse(here.stdout).map((f: { file: string; code: string }) => [f.file, f.code]),
    [['networkpolicies.yaml', 'netpol-port-unmatched']],
  );
  const both = run(['check', 'examples/gitlab', 'test/fixtures/charts', '--helm', '/nonexistent/helm', '--format', 'json']);
  assert.equal(both.code, 1);
  const chart = (file: string) => file.replace(/^test\/fixtures\/charts\/(gitlab-ssh|shop)\//, 'test/fixtures/charts/<chart>/');
  assert.deepEqual(
    JSON.parse(both.stdout).map((f: { file: string; code: string; severity: string }) => [chart(f.file), f.code, f.severity]),
    [
      ['examples/gitlab/networkpolicies.yaml', 'netpol-port-unmatched', 'warning'],
      ['test/fixtures/charts/<chart>/Chart.yaml', 'helm-render-failed', 'information'],
    ],
  );
});

test('the port-lens bin is dist/cli.js, a Node script; helm.path is a machine setting a restricted workspace cannot set', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.bin['port-lens'], 'dist/cli.js');
  assert.ok(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
  assert.equal(pkg.contributes.configuration.properties['portLens.helm.path'].scope, 'machine');
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('portLens.helm.path'));
});
