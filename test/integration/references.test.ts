import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isProblem, type Finding } from '../../server/src/analysis/rules/findings';
import { PortLens } from '../../server/src/analysis/portLens';
import { ChartRenderer, DEFAULT_HELM_OPTIONS } from '../../server/src/helm/chartRenderer';
import { HELM, textAt } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copy(from: string, name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-refs-'));
  cpSync(from, path.join(dir, name), { recursive: true });
  return dir;
}

test('check examples/shop: exactly the four planted warnings, each with its fix; after --fix, none', (t) => {
  const { code, stdout } = run(['check', 'examples/shop', '--format', 'json']);
  assert.equal(code, 1);
  const findings = JSON.parse(stdout) as Array<{
    file: string;
    code: string;
    severity: string;
    range: Finding['range'];
    fixes: Array<{ isPreferred: boolean; edits: Array<{ file: string; newText: string }> }>;
  }>;
  const at = (f: (typeof findings)[number]) => textAt(readFileSync(path.join(ROOT, f.file), 'utf8'), f);
  assert.deepEqual(
    findings.map((f) => [
      f.file,
      f.severity,
      f.code,
      at(f),
      f.fixes.filter((x) => x.isPreferred).map((x) => x.edits.map((e) => e.newText).join()),
    ]),
    [
      ['examples/shop/monitoring.yaml', 'warning', 'monitor-port-unmatched', 'metrics', ['http-metrics']],
      ['examples/shop/routing.yaml', 'warning', 'backend-port-unmatched', '8080', ['80']],
      ['examples/shop/routing.yaml', 'warning', 'backend-port-unmatched', '3000', ['80']],
      ['examples/shop/web.yaml', 'warning', 'probe-port-unmatched', '80', ['3000']],
    ],
  );
  const dir = copy(path.join(ROOT, 'examples/shop'), 'shop');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fixed = run(['check', 'shop', '--fix'], dir);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  const again = run(['check', 'shop', '--format', 'json'], dir);
  assert.equal(again.code, 0);
  assert.deepEqual(JSON.parse(again.stdout), []);
  assert.match(readFileSync(path.join(dir, 'shop/routing.yaml'), 'utf8'), /number: 80\n[\s\S]*port: 80\n/);
});

test('Helm: the reference findings land on the template lines; fixes edit the template literal or the one value', async (t) => {
  const dir = copy(path.join(ROOT, 'test/fixtures/charts/shop'), 'shop');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  assert.equal(await renderer.render(path.join(dir, 'shop'), { ...DEFAULT_HELM_OPTIONS, path: HELM }, new Set(), new Map()), 'rendered');
  const problems = renderer.rendered.adjust(lens.allFindings(), lens).filter(isProblem);
  const fileOf = (f: { uri: string }) => URI.parse(f.uri).fsPath;
  const relative = (f: { uri: string }) => path.relative(path.join(dir, 'shop'), fileOf(f));
  const line = (f: Finding) => readFileSync(fileOf(f), 'utf8').split('\n')[f.range.start.line].trim();
  const fix = (f: Finding) =>
    f.fixes.find((x) => x.isPreferred)!.edits.map((e) => [relative(e), textAt(readFileSync(fileOf(e), 'utf8'), e), e.newText]);
  assert.deepEqual(
    problems.map((f) => [relative(f), f.code, line(f), fix(f)]),
    [
      ['templates/deployment.yaml', 'probe-port-unmatched', 'port: 80', [['templates/deployment.yaml', '80', '8080']]],
      ['templates/ingress.yaml', 'backend-port-unmatched', 'number: {{ .Values.ingress.backendPort }}', [['values.yaml', '8080', '80']]],
      [
        'templates/servicemonitor.yaml',
        'monitor-port-unmatched',
        '- port: {{ .Values.metrics.portName }}',
        [['values.yaml', 'metrics', 'http-metrics']],
      ],
    ],
  );
});
