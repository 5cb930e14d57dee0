import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { HELM, KUBECTL } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args, '--no-cache'], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonFinding {
  file: string;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixes: Array<{ title: string; isPreferred: boolean; edits: Array<{ file: string; newText: string }> }>;
}

const cases = [
  {
    example: 'gitlab-cilium',
    file: 'ciliumnetworkpolicies.yaml',
    written: '"10022"',
    kind: 'CiliumNetworkPolicy',
    before: '- port: "10022"',
    after: '- port: "22"',
  },
  {
    example: 'gitlab-calico',
    file: 'calico-networkpolicies.yaml',
    written: '10022',
    kind: 'Calico NetworkPolicy',
    before: 'ports: [80, 10022]',
    after: 'ports: [80, 22]',
  },
];

for (const c of cases) {
  test(`check examples/${c.example}: one warning on ${c.written} naming ${c.kind}, with one preferred fix to 22; --fix leaves it clean`, () => {
    const { code, stdout } = run(['check', `examples/${c.example}`, '--format', 'json']);
    assert.equal(code, 1);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.equal(findings.length, 1, stdout);
    const [f] = findings;
    assert.deepEqual([f.file, f.code, f.severity], [`examples/${c.example}/${c.file}`, 'netpol-port-unmatched', 'warning']);
    assert.match(f.message, new RegExp(`Service gitlab/gitlab-ssh, which forwards it to 22\\. ${c.kind} ports are pod ports`));
    const line = readFileSync(path.join(ROOT, f.file), 'utf8').split('\n')[f.range.start.line];
    assert.equal(line.slice(f.range.start.character, f.range.end.character), c.written);
    const preferred = f.fixes.filter((x) => x.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)');

    const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-'));
    cpSync(path.join(ROOT, 'examples', c.example), path.join(dir, c.example), { recursive: true });
    const file = path.join(dir, c.example, c.file);
    const before = readFileSync(file, 'utf8');
    const fixed = run(['check', c.example, '--fix'], dir);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.equal(readFileSync(file, 'utf8'), before.replace(c.before, c.after));
  });
}

test('a chart rendering a Cilium and a Calico policy: each warning on its template line, the Calico fix in values.yaml', () => {
  const { code, stdout, stderr } = run(['check', 'test/fixtures/dialect-charts/gitlab-dialects', '--helm', HELM, '--format', 'json']);
  assert.equal(code, 1, stderr);
  const findings = JSON.parse(stdout) as JsonFinding[];
  const summary = findings.map((f) => [
    f.file.replace('test/fixtures/dialect-charts/gitlab-dialects/', ''),
    f.range.start.line + 1,
    f.code,
    f.fixes.filter((x) => x.isPreferred).map((x) => x.edits.map((e) => [e.file.replace(/.*\//, ''), e.newText])),
  ]);
  assert.deepEqual(summary, [
    ['templates/policies.yaml', 14, 'netpol-port-unmatched', [[['policies.yaml', '22']]]],
    ['templates/policies.yaml', 28, 'netpol-port-unmatched', [[['values.yaml', '22']]]],
  ]);
  assert.match(findings[0].message, /^Port 10022 \(any protocol\) is the Service port of default\/release-gitlab-ssh/);
});

test('explain over examples/gitlab-cilium: unknown, naming the CiliumNetworkPolicy it does not evaluate; exit 1', () => {
  const { code, stdout } = run(['explain', '--from', 'external', '--to', 'gitlab/gitlab-ssh:10022', 'examples/gitlab-cilium']);
  assert.equal(code, 1);
  assert.match(stdout, /^external → gitlab\/gitlab-ssh:10022: unknown$/m);
  assert.match(
    stdout,
    /\? CiliumNetworkPolicy gitlab\/allow-from-all also selects Deployment gitlab\/gitlab; Cilium and Calico policies are not evaluated here/,
  );
});

test('a kustomize root over the Cilium example: the warning on the base line, naming the overlay, with the fix to 22', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-'));
  cpSync(path.join(ROOT, 'examples/gitlab-cilium'), path.join(dir, 'base'), { recursive: true });
  const files = ['namespace.yaml', 'gitlab.yaml', 'postgresql.yaml', 'redis.yaml', 'ciliumnetworkpolicies.yaml'];
  writeFileSync(path.join(dir, 'base/kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}\n`).join('')}`);
  mkdirSync(path.join(dir, 'overlays/prod'), { recursive: true });
  writeFileSync(path.join(dir, 'overlays/prod/kustomization.yaml'), 'resources:\n  - ../../base\n');
  const { code, stdout, stderr } = run(['check', '.', '--kubectl', KUBECTL, '--format', 'json'], dir);
  assert.equal(code, 1, stderr);
  const [f, ...rest] = JSON.parse(stdout) as JsonFinding[];
  assert.equal(rest.length, 0, stdout);
  assert.deepEqual([f.file, f.range.start.line + 1, f.code], ['base/ciliumnetworkpolicies.yaml', 57, 'netpol-port-unmatched']);
  assert.match(f.message, /CiliumNetworkPolicy ports are pod ports.*\(overlays\/prod\)/);
  assert.deepEqual(
    f.fixes.filter((x) => x.isPreferred).map((x) => x.edits.map((e) => [e.file, e.newText])),
    [[['base/ciliumnetworkpolicies.yaml', '22']]],
  );
});
