import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HELM } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

interface Json {
  file: string;
  code: string;
  severity: string;
  message: string;
  related: Array<{ file: string }>;
}

function check(cwd: string, ...args: string[]): Json[] {
  const result = spawnSync(process.execPath, [CLI, 'check', '.', '--helm', HELM, '--format', 'json', ...args], { cwd, encoding: 'utf8' });
  return JSON.parse(result.stdout) as Json[];
}

test('two charts installed with the same release in one namespace: each object reported once, naming the other chart', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-dup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const copy of ['ssh-a', 'ssh-b'])
    cpSync(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), path.join(dir, copy), { recursive: true });

  const duplicates = check(dir).filter((f) => f.code === 'object-duplicate');
  // Deployment, two Services and the NetworkPolicies of the chart, each once
  assert.ok(duplicates.length >= 3, JSON.stringify(duplicates));
  const names = duplicates.map((f) => f.message.split(' is also')[0]);
  assert.equal(new Set(names).size, names.length, names.join(', '));
  for (const f of duplicates) {
    assert.ok(f.file.startsWith('ssh-b/templates/'), f.file);
    assert.equal(f.severity, 'information');
    assert.match(f.message, /^\w+ default\/release-\S+ is also defined at templates\/\w+\.yaml:\d+\. /);
    assert.ok(f.related[0].file.startsWith('ssh-a/templates/'), f.related[0].file);
  }
  // The second chart's own findings stay: both copies are checked.
  assert.ok(check(dir).some((f) => f.code === 'netpol-port-unmatched' && f.file.startsWith('ssh-b/')));

  // Each chart in its own release namespace: two installs, nothing duplicated, each judged in its namespace.
  const apart = check(dir, '--chart-namespace', 'ssh-b=other');
  assert.deepEqual(
    apart.filter((f) => f.code === 'object-duplicate'),
    [],
  );
  const ssh = apart.filter((f) => f.code === 'netpol-port-unmatched' && f.severity === 'warning');
  assert.ok(ssh.some((f) => f.file.startsWith('ssh-a/') && f.message.includes('default/release-gitlab-ssh')));
  assert.ok(ssh.some((f) => f.file.startsWith('ssh-b/') && f.message.includes('other/release-gitlab-ssh')));
});

test('--chart-namespace wants CHART_DIR=NAMESPACE', () => {
  const result = spawnSync(process.execPath, [CLI, 'check', '.', '--chart-namespace', 'ssh-b'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--chart-namespace wants CHART_DIR=NAMESPACE/);
});
