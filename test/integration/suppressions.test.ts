import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { PortLens } from '../../server/src/analysis/portLens';
import { ChartRenderer, DEFAULT_HELM_OPTIONS } from '../../server/src/helm/chartRenderer';
import { HELM } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The GitLab example with its one warning (10022) silenced by `edit`. */
function suppressedExample(edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-suppress-'));
  cpSync(path.join(ROOT, 'examples/gitlab'), path.join(dir, 'gitlab'), { recursive: true });
  const file = path.join(dir, 'gitlab/networkpolicies.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

const atEndOfLine = (text: string) => text.replace('      port: 10022', '      port: 10022 # port-lens: ignore netpol-port-unmatched');

test('check --format sarif: the suppressed finding is listed with an in-source suppression; exit 0 as if it were absent', () => {
  const dir = suppressedExample(atEndOfLine);
  const { code, stdout } = run(['check', 'gitlab', '--format', 'sarif', '--no-cache'], dir);
  assert.equal(code, 0);
  const results = JSON.parse(stdout).runs[0].results;
  assert.equal(results.length, 1);
  assert.equal(results[0].ruleId, 'netpol-port-unmatched');
  assert.deepEqual(results[0].suppressions, [{ kind: 'inSource' }]);
});

test('check --format json marks the suppressed finding; text leaves it out and counts it; exit 0', () => {
  const dir = suppressedExample(atEndOfLine);
  const json = run(['check', 'gitlab', '--format', 'json', '--no-cache'], dir);
  assert.equal(json.code, 0);
  const findings = JSON.parse(json.stdout);
  assert.deepEqual(
    findings.map((f: { code: string; suppressed?: boolean }) => [f.code, f.suppressed]),
    [['netpol-port-unmatched', true]],
  );
  const text = run(['check', 'gitlab', '--no-cache'], dir);
  assert.equal(text.code, 0);
  assert.equal(text.stdout.trim(), '0 error(s), 0 warning(s), 0 information, 1 suppressed');
});

test('a comment alone on the line above silences the next line; --fix leaves a suppressed finding alone', () => {
  const dir = suppressedExample((text) =>
    text.replace(
      '    - protocol: TCP\n      port: 10022',
      '    - protocol: TCP\n      # port-lens: ignore netpol-port-unmatched\n      port: 10022',
    ),
  );
  const before = readFileSync(path.join(dir, 'gitlab/networkpolicies.yaml'), 'utf8');
  const { code, stdout } = run(['check', 'gitlab', '--format', 'json', '--fix', '--no-cache'], dir);
  assert.equal(code, 0);
  assert.equal(JSON.parse(stdout)[0].suppressed, true);
  assert.equal(readFileSync(path.join(dir, 'gitlab/networkpolicies.yaml'), 'utf8'), before);
});

test('the port-lens.io/ignore annotation silences the object; a suppression of nothing is suppression-unused', () => {
  const dir = suppressedExample((text) =>
    text
      .replace(
        '  name: allow-from-all\n',
        '  name: allow-from-all\n  annotations:\n    port-lens.io/ignore: "netpol-port-unmatched, netpol-protocol-mismatch"\n',
      )
      .replace('      port: 80\n', '      port: 80 # port-lens: ignore netpol-port-unmatched\n'),
  );
  const { code, stdout } = run(['check', 'gitlab', '--format', 'json', '--no-cache'], dir);
  assert.equal(code, 0);
  const findings = JSON.parse(stdout) as Array<{
    code: string;
    suppressed?: boolean;
    message: string;
    range: { start: { line: number; character: number } };
  }>;
  const lines = readFileSync(path.join(dir, 'gitlab/networkpolicies.yaml'), 'utf8').split('\n');
  const summary = findings.map((f) => [
    f.code,
    f.suppressed ?? false,
    lines[f.range.start.line].slice(f.range.start.character).split(/[",]/)[0].trim(),
  ]);
  assert.deepEqual(
    summary.sort(),
    [
      ['netpol-port-unmatched', true, '10022'],
      ['suppression-unused', false, 'netpol-port-unmatched'],
      ['suppression-unused', false, 'netpol-protocol-mismatch'],
    ].sort(),
  );
});

test('Helm: a comment in the template and the annotation in rendered output both silence', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-suppress-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), dir, { recursive: true });
  const file = path.join(dir, 'templates/networkpolicy.yaml');
  const template = readFileSync(file, 'utf8')
    .replace('        - port: 10022\n', '        - port: 10022 # port-lens: ignore netpol-port-unmatched\n')
    .replace(
      '  name: {{ include "gitlab.fullname" . }}-value\n',
      '  name: {{ include "gitlab.fullname" . }}-value\n  annotations:\n    port-lens.io/ignore: netpol-port-unmatched\n',
    );
  writeFileSync(file, template);
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  assert.equal(await renderer.render(dir, { ...DEFAULT_HELM_OPTIONS, path: HELM }, new Set()), 'rendered');
  const findings = lens.suppressAll(renderer.rendered.adjust(lens.allFindings(), lens)).filter((f) => f.uri === URI.file(file).toString());
  const lines = template.split('\n');
  assert.deepEqual(
    findings.filter((f) => f.code === 'netpol-port-unmatched').map((f) => [lines[f.range.start.line].trim(), f.suppressed ?? false]),
    [
      ['- port: 10022 # port-lens: ignore netpol-port-unmatched', true],
      ['- port: {{ .Values.networkPolicy.sshPort }}', true],
      ['- port: {{ .Values.service.sshPort }}', false],
      ['- port: {{ . }}', false],
    ],
  );
  assert.deepEqual(
    findings.filter((f) => f.code === 'suppression-unused'),
    [],
  );
});
