import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { KUBECTL } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = 'test/fixtures/kustomize';

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
  fixes: Array<{ isPreferred: boolean; edits: Array<{ file: string; newText: string; range: JsonFinding['range'] }> }>;
  related: Array<{ file: string; message: string }>;
}

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function check(target: string, ...extra: string[]): { code: number | null; findings: JsonFinding[]; stderr: string } {
  const { code, stdout, stderr } = run(['check', target, '--kubectl', KUBECTL, '--format', 'json', ...extra]);
  return { code, findings: JSON.parse(stdout) as JsonFinding[], stderr };
}

const textAt = (f: { file: string; range: JsonFinding['range'] }, cwd = ROOT) =>
  readFileSync(path.join(cwd, f.file), 'utf8').split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character);
const preferred = (f: JsonFinding) => f.fixes.find((x) => x.isPreferred);

test('kubectl for the tests is there', () => {
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: run npm ci (scripts/extract-tools.mjs)`);
});

test('examples/gitlab-kustomize: the 10022 warning on the prod patch line naming overlays/prod, fix 22; staging silent; --fix edits the patch', () => {
  const { code, findings } = check('examples/gitlab-kustomize');
  assert.equal(code, 1);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.deepEqual(
    [f.file, f.code, f.severity],
    ['examples/gitlab-kustomize/overlays/prod/allow-ssh.yaml', 'netpol-port-unmatched', 'warning'],
  );
  assert.equal(textAt(f), '10022');
  assert.match(f.message, /overlays\/prod/);
  assert.doesNotMatch(f.message, /staging/);
  assert.deepEqual(
    preferred(f)!.edits.map((e) => [e.file, e.newText]),
    [[f.file, '22']],
  );
  assert.ok(
    f.related.some((r) => r.file === 'examples/gitlab-kustomize/base/gitlab.yaml'),
    'the Service and the pods are shown in the base',
  );

  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-kustomize-'));
  cpSync(path.join(ROOT, 'examples/gitlab-kustomize'), dir, { recursive: true });
  const fixed = run(['check', '.', '--kubectl', KUBECTL, '--fix'], dir);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.match(readFileSync(path.join(dir, 'overlays/prod/allow-ssh.yaml'), 'utf8'), /port: 22\n/);
  assert.equal(
    readFileSync(path.join(dir, 'base/networkpolicies.yaml'), 'utf8'),
    readFileSync(path.join(ROOT, 'examples/gitlab-kustomize/base/networkpolicies.yaml'), 'utf8'),
  );
});

test('a mistake in the base: one finding per overlay, both on the base line; fixes differ, so neither is preferred', () => {
  const { findings } = check(`${FIXTURES}/base-mistake`);
  assert.equal(findings.length, 2);
  for (const f of findings) {
    assert.equal(f.file, `${FIXTURES}/base-mistake/base/policy.yaml`);
    assert.equal(textAt(f), '10022');
    assert.equal(preferred(f), undefined);
  }
  assert.deepEqual(findings.map((f) => /\((overlays\/\w+)\)$/.exec(f.message)?.[1]).sort(), ['overlays/prod', 'overlays/staging']);
  const fixOf = (root: string) => findings.find((f) => f.message.endsWith(`(${root})`))!.fixes[0].edits[0].newText;
  assert.deepEqual([fixOf('overlays/prod'), fixOf('overlays/staging')], ['22', '2222']);
});

test('a mistake in a JSON 6902 patch: inline, on the kustomization line; in a file, on the patch line', () => {
  const { findings } = check(`${FIXTURES}/json6902`);
  assert.deepEqual(
    findings.map((f) => [f.file, textAt(f)]),
    [
      [`${FIXTURES}/json6902/overlays/prod/kustomization.yaml`, '10022'],
      [`${FIXTURES}/json6902/overlays/staging/ssh-port.json6902.yaml`, '10022'],
    ],
  );
  assert.deepEqual(
    preferred(findings[0])!.edits.map((e) => [e.file, e.newText, textAt(e)]),
    [[findings[0].file, '22', '10022']],
  );
});

test('a mistake in a component: on the component patch line, with the fix there', () => {
  const { findings } = check(`${FIXTURES}/component`);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].file, `${FIXTURES}/component/components/ssh/policy.yaml`);
  assert.equal(textAt(findings[0]), '10022');
  assert.equal(preferred(findings[0])!.edits[0].newText, '22');
});

test('transformers (namespace, namePrefix, labels with selectors) make a policy right that is wrong as written', () => {
  assert.deepEqual(check(`${FIXTURES}/transformers`).findings, []);
  const base = `${FIXTURES}/transformers/base`;
  const { code, stdout } = run(['check', `${base}/web.yaml`, `${base}/policy.yaml`, '--format', 'json']);
  assert.equal(code, 0);
  const plain = JSON.parse(stdout) as JsonFinding[];
  assert.ok(
    plain.some((f) => f.code === 'netpol-selects-nothing'),
    'read as plain files, the policy selects nothing',
  );
  const off = check(`${FIXTURES}/transformers`, '--no-kustomize');
  assert.deepEqual(off.findings, [], 'with --no-kustomize the files a kustomization reads are not checked');
  assert.match(off.stderr, /1 Kustomize root not built \(--no-kustomize\)/);
});

test('an overlay that fixes its base reports nothing: the base is not judged on its own', () => {
  const { code, findings } = check(`${FIXTURES}/overlay-fixes`);
  assert.deepEqual(findings, []);
  assert.equal(code, 0);
});

test('a remote base: one message on the root, nothing fetched; the other root is checked', () => {
  const { findings } = check(`${FIXTURES}/remote`);
  assert.deepEqual(
    findings.map((f) => [f.file, f.code, f.severity]),
    [[`${FIXTURES}/remote/overlays/prod/kustomization.yaml`, 'kustomize-build-failed', 'information']],
  );
  assert.match(findings[0].message, /remote base https:\/\/github\.com\/example\/platform/);
});

test('a value from replacements gets no edit, and says where it comes from; generators build', () => {
  const { findings } = check(`${FIXTURES}/generated`);
  assert.equal(findings.length, 1);
  const [f] = findings;
  assert.equal(f.file, `${FIXTURES}/generated/base/policy.yaml`);
  assert.deepEqual(f.fixes, []);
  assert.ok(f.related.some((r) => /ReplacementTransformer \(overlays\/prod\/kustomization\.yaml\)/.test(r.message)));
});

test("a failing root gives one diagnostic with kubectl's message and leaves the others checked", () => {
  const { findings } = check(`${FIXTURES}/failing`);
  const failed = findings.filter((f) => f.code === 'kustomize-build-failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].file, `${FIXTURES}/failing/overlays/broken/kustomization.yaml`);
  assert.equal(failed[0].severity, 'warning');
  assert.match(failed[0].message, /missing\.yaml/);
  assert.ok(findings.some((f) => f.code === 'netpol-port-unmatched' && f.message.endsWith('(overlays/prod)')));
  const missing = check(`${FIXTURES}/failing`, '--kubectl', '/nonexistent/kubectl').findings.filter(
    (f) => f.code === 'kustomize-build-failed',
  );
  assert.deepEqual(
    missing.map((f) => f.severity),
    ['information', 'information'],
  );
});

test('a build that hangs is stopped after --kustomize-timeout; a missing kubectl is named with the setting to set (SPEC §9)', (t) => {
  const bin = mkdtempSync(path.join(tmpdir(), 'port-lens-hang-'));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  const hang = path.join(bin, 'kubectl');
  writeFileSync(hang, '#!/bin/sh\nsleep 30\n');
  chmodSync(hang, 0o755);
  const started = Date.now();
  const { findings } = check('examples/gitlab-kustomize', '--kubectl', hang, '--kustomize-timeout', '1');
  assert.ok(Date.now() - started < 20_000, 'the hanging builds were stopped');
  const failed = findings.filter((f) => f.code === 'kustomize-build-failed');
  assert.deepEqual(
    failed.map((f) => [f.file, f.severity]),
    [
      ['examples/gitlab-kustomize/overlays/prod/kustomization.yaml', 'warning'],
      ['examples/gitlab-kustomize/overlays/staging/kustomization.yaml', 'warning'],
    ],
  );
  for (const f of failed) assert.match(f.message, /the build took longer than 1 s and was stopped/);
  const [missing] = check('examples/gitlab-kustomize', '--kubectl', '/nonexistent/kubectl').findings.filter(
    (f) => f.code === 'kustomize-build-failed',
  );
  assert.match(missing.message, /kubectl was not found \("\/nonexistent\/kubectl"\): install kubectl or set portLens\.kustomize\.path/);
});

test('explain --root overlays/prod picks the world: denied in prod, allowed in staging', () => {
  const args = ['explain', '--from', 'external', '--kubectl', KUBECTL, 'examples/gitlab-kustomize'];
  const prod = run([...args, '--to', 'gitlab/gitlab-ssh:10022', '--root', 'overlays/prod', '--format', 'json']);
  assert.equal(prod.code, 1, prod.stderr);
  const explanation = JSON.parse(prod.stdout);
  assert.equal(explanation.verdict, 'denied');
  assert.ok(
    explanation.fixes.some((f: { edits: Array<{ file: string }> }) =>
      f.edits.some((e) => e.file === 'examples/gitlab-kustomize/overlays/prod/allow-ssh.yaml'),
    ),
  );
  const staging = run([...args, '--to', 'gitlab-staging/staging-gitlab-ssh:10022', '--root', 'overlays/staging']);
  assert.equal(staging.code, 0, staging.stdout + staging.stderr);
  const unknown = run([...args, '--to', 'gitlab/gitlab-ssh:10022', '--root', 'overlays/nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /overlays\/prod, overlays\/staging/);
});

test('kustomize.path and kustomize.enableHelm are machine settings a restricted workspace cannot set', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  for (const key of ['portLens.kustomize.path', 'portLens.kustomize.enableHelm']) {
    assert.equal(pkg.contributes.configuration.properties[key].scope, 'machine', key);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  }
});

test('the build never reaches the network: a root whose base is a remote URL is not run at all, and --enable-helm is passed only when asked', () => {
  const { findings } = check(`${FIXTURES}/remote`, '--kubectl', '/nonexistent/kubectl');
  // Had kubectl been run for the remote root, its message would be "not found", not the remote base.
  const prod = findings.find((f) => f.file.endsWith('overlays/prod/kustomization.yaml'))!;
  assert.match(prod.message, /remote base/);
});

test("a `# port-lens: ignore` comment on the patch line silences the root's finding there", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-kustomize-'));
  cpSync(path.join(ROOT, 'examples/gitlab-kustomize'), dir, { recursive: true });
  const patch = path.join(dir, 'overlays/prod/allow-ssh.yaml');
  writeFileSync(patch, readFileSync(patch, 'utf8').replace('port: 10022', 'port: 10022 # port-lens: ignore netpol-port-unmatched'));
  const { code, stdout } = run(['check', '.', '--kubectl', KUBECTL, '--format', 'json'], dir);
  assert.equal(code, 0, stdout);
  const findings = JSON.parse(stdout) as Array<JsonFinding & { suppressed?: boolean }>;
  assert.deepEqual(
    findings.map((f) => [f.code, f.suppressed]),
    [['netpol-port-unmatched', true]],
  );
});

test('port references (SPEC §10) in a root: backend, monitor and probe slips land on the patch or base line naming the root, fixed there', (t) => {
  const fixture = `${FIXTURES}/references`;
  const { code, findings } = check(fixture);
  assert.equal(code, 1);
  const prod = (file: string) => `${fixture}/overlays/prod/${file}`;
  assert.deepEqual(
    findings.map((f) => [
      f.file,
      f.code,
      textAt(f),
      /\((overlays\/\w+)\)$/.exec(f.message)?.[1],
      preferred(f)?.edits.map((e) => [e.file, e.newText]),
    ]),
    [
      // The base's slip, inherited by both overlays: one finding each, the same fix, so it stays preferred.
      [`${fixture}/base/api.yaml`, 'probe-port-unmatched', 'htp', 'overlays/prod', [[`${fixture}/base/api.yaml`, 'http']]],
      [`${fixture}/base/api.yaml`, 'probe-port-unmatched', 'htp', 'overlays/staging', [[`${fixture}/base/api.yaml`, 'http']]],
      [prod('ingress.yaml'), 'backend-port-unmatched', '8080', 'overlays/prod', [[prod('ingress.yaml'), '80']]],
      [prod('monitor.yaml'), 'monitor-port-unmatched', 'metrics', 'overlays/prod', [[prod('monitor.yaml'), 'http-metrics']]],
      [prod('probe.yaml'), 'probe-port-unmatched', '80', 'overlays/prod', [[prod('probe.yaml'), '3000']]],
      [prod('route.yaml'), 'backend-port-unmatched', '3000', 'overlays/prod', [[prod('route.yaml'), '80']]],
    ],
  );
  for (const f of findings) assert.equal(f.severity, 'warning', f.message);
  assert.ok(
    findings.find((f) => f.file === prod('ingress.yaml'))!.related.some((r) => r.file === `${fixture}/base/api.yaml`),
    'the Service and its pods are shown on the base lines',
  );

  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-kustomize-refs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, fixture), dir, { recursive: true });
  const fixed = run(['check', '.', '--kubectl', KUBECTL, '--fix'], dir);
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  assert.match(read('overlays/prod/ingress.yaml'), /number: 80\n$/);
  assert.match(read('overlays/prod/route.yaml'), /port: 80\n$/);
  assert.match(read('overlays/prod/monitor.yaml'), /port: http-metrics\n/);
  assert.match(read('overlays/prod/probe.yaml'), /port: 3000\n$/);
  assert.match(read('base/api.yaml'), /port: http\n---/);
  for (const file of ['base/web.yaml', 'base/routing.yaml', 'base/monitoring.yaml']) {
    assert.equal(read(file), readFileSync(path.join(ROOT, fixture, file), 'utf8'), `${file} is not touched`);
  }
});
