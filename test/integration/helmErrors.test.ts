import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { PortLens } from '../../server/src/analysis/portLens';
import { isProblem, type Finding } from '../../server/src/analysis/rules/findings';
import { ChartRenderer, DEFAULT_HELM_OPTIONS, type HelmOptions } from '../../server/src/helm/chartRenderer';
import { OVERLAY_COPY_PREFIX } from '../../server/src/workspace/nodeFileSystem';
import { HELM, textAt } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const options = (extra: Partial<HelmOptions> = {}): HelmOptions => ({ ...DEFAULT_HELM_OPTIONS, path: HELM, ...extra });

function chart(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-helm-errors-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), dir, { recursive: true });
  return dir;
}

const where = (dir: string, f: Finding) => {
  const file = URI.parse(f.uri).fsPath;
  return [path.relative(dir, file), f.range.start.line, textAt(readFileSync(file, 'utf8'), f)];
};
const renderErrors = (lens: PortLens) => lens.allFindings().filter((f) => f.code === 'helm-render-failed');

test('a broken template expression: the diagnostic is on the line helm names, in the template', async (t) => {
  const dir = chart(t);
  const file = path.join(dir, 'templates/networkpolicy.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('port: {{ .Values.networkPolicy.sshPort }}', 'port: {{ .Values.networkPolicy.sshPort | nosuchfn }}'),
  );
  const lens = new PortLens();
  assert.equal(await new ChartRenderer(lens).render(dir, options(), new Set()), 'failed');
  const [error] = renderErrors(lens);
  assert.deepEqual(where(dir, error), ['templates/networkpolicy.yaml', 26, '- port: {{ .Values.networkPolicy.sshPort | nosuchfn }}']);
  assert.match(error.message, /function "nosuchfn" not defined/);
});

test('an execution error with line and column; a broken values file, unsaved: its own path and line, never the temporary copy', async (t) => {
  const dir = chart(t);
  const file = path.join(dir, 'templates/networkpolicy.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('port: {{ .Values.networkPolicy.sshPort }}', 'port: {{ .Values.networkPolicy.sshPort.x.y }}'),
  );
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  assert.equal(await renderer.render(dir, options(), new Set()), 'failed');
  assert.deepEqual(where(dir, renderErrors(lens)[0]), [
    'templates/networkpolicy.yaml',
    26,
    '- port: {{ .Values.networkPolicy.sshPort.x.y }}',
  ]);

  writeFileSync(file, readFileSync(file, 'utf8').replace('.x.y', ''));
  const values = path.join(dir, 'values.yaml');
  const broken = readFileSync(values, 'utf8') + 'oops: a\n  b: [\n';
  const brokenLine = broken.split('\n').length - 2; // '  b: [', where yaml stops
  assert.equal(await renderer.render(dir, options(), new Set(), new Map([[values, broken]])), 'failed');
  const [error] = renderErrors(lens);
  assert.equal(URI.parse(error.uri).fsPath, values);
  assert.equal(error.range.start.line, brokenLine);
  assert.ok(!error.message.includes(OVERLAY_COPY_PREFIX), error.message);
});

test('an extra values file given with -f and broken, unsaved: reported on it, with its path', async (t) => {
  const dir = chart(t);
  const extra = path.join(dir, 'values-prod.yaml');
  writeFileSync(extra, 'a: 1\n');
  const lens = new PortLens();
  const outcome = await new ChartRenderer(lens).render(
    dir,
    options({ valuesFiles: ['values-prod.yaml'] }),
    new Set(),
    new Map([[extra, 'a: b\n  c: [\n']]),
  );
  assert.equal(outcome, 'failed');
  const [error] = renderErrors(lens);
  assert.equal(URI.parse(error.uri).fsPath, extra);
  assert.equal(error.range.start.line, 1);
  assert.ok(error.message.includes(extra), error.message);
  assert.ok(!error.message.includes(OVERLAY_COPY_PREFIX), error.message);
});

test('while a chart is broken its last good findings stay, the chart marked stale; a good render clears both', async (t) => {
  const dir = chart(t);
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  assert.equal(await renderer.render(dir, options(), new Set()), 'rendered');
  const good = lens
    .allFindings()
    .filter(isProblem)
    .map((f) => where(dir, f));
  assert.equal(good.length, 4);
  const file = path.join(dir, 'templates/service.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text + '{{ fail "boom" }}\n');
  assert.equal(await renderer.render(dir, options(), new Set()), 'failed');
  assert.deepEqual(
    lens
      .allFindings()
      .filter((f) => f.code !== 'helm-render-failed' && isProblem(f))
      .map((f) => where(dir, f)),
    good,
  );
  assert.deepEqual(
    renderErrors(lens).map((f) => where(dir, f)[0]),
    ['templates/service.yaml'],
  );
  assert.deepEqual([...renderer.stale], [dir]);
  writeFileSync(file, text);
  assert.equal(await renderer.render(dir, options(), new Set()), 'rendered');
  assert.deepEqual(renderErrors(lens), []);
  assert.deepEqual([...renderer.stale], []);
});

test('no helm: one information finding for all the charts, not one per chart', async (t) => {
  const first = chart(t);
  const second = chart(t);
  const lens = new PortLens();
  const renderer = new ChartRenderer(lens);
  for (const dir of [first, second]) await renderer.render(dir, options({ path: '/nonexistent/helm' }), new Set());
  const errors = renderErrors(lens);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].severity, 'information');
  assert.match(errors[0].message, /helm was not found/);
});
