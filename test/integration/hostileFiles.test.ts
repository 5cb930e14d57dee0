// Pathological files and faults during the workspace scan: each is skipped with one message,
// the rest of the workspace is still read, nothing hangs, nothing is read out of the workspace.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fsModule from 'node:fs';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readManifestText, scanPaths } from '../../server/src/files';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: ok}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n';

function workspace(t: test.TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-hostile-'));
  writeFileSync(path.join(dir, 'ok.yaml'), SERVICE);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const reasons = (skipped: Array<{ path: string; reason: string }>, dir: string) =>
  skipped.map((s) => `${path.relative(dir, s.path)}: ${s.reason}`);

test('a 50 MB YAML file is skipped by its size, before it is read: one message, no memory spike', async (t) => {
  const dir = workspace(t);
  const big = path.join(dir, 'big.yaml');
  const doc = `---\n${SERVICE}`;
  writeFileSync(big, doc.repeat(Math.ceil((50 * 1024 * 1024) / doc.length)));

  const before = process.memoryUsage();
  let started = performance.now();
  const scan = await scanPaths([dir]);
  const scanMs = performance.now() - started;
  started = performance.now();
  const read = readManifestText(big);
  const readMs = performance.now() - started;
  const after = process.memoryUsage();

  assert.deepEqual(scan.files, [path.join(dir, 'ok.yaml')]);
  assert.deepEqual(reasons(scan.skipped, dir), ['big.yaml: larger than 2097152 bytes']);
  assert.deepEqual(read, { error: 'larger than 2097152 bytes' });
  // 50 MB read into memory would show in the external and array-buffer memory
  assert.ok(
    after.arrayBuffers - before.arrayBuffers < 5 * 1024 * 1024,
    `array buffers grew by ${after.arrayBuffers - before.arrayBuffers} bytes`,
  );
  t.diagnostic(
    `50 MB file: scan ${scanMs.toFixed(1)} ms, readManifestText ${readMs.toFixed(1)} ms, array buffers +${after.arrayBuffers - before.arrayBuffers} bytes`,
  );

  const cli = spawnSync(process.execPath, [CLI, 'check', dir], { encoding: 'utf8' });
  assert.equal(cli.status, 0);
  assert.deepEqual(cli.stderr.trim().split('\n'), [`port-lens: skipped ${big}: larger than 2097152 bytes`]);
});

test('a binary file with NUL bytes and a file that is not UTF-8 are skipped with one message each', async (t) => {
  const dir = workspace(t);
  writeFileSync(path.join(dir, 'binary.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0x00, 0x01, 0x02, 0xff, 0x0a]));
  // Latin-1 "é" in a comment: decoding it as UTF-8 would replace it, and --fix would write the replacement back
  const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + SERVICE.replace('80', '10022'))]);
  writeFileSync(path.join(dir, 'latin1.yaml'), latin1);
  assert.deepEqual(readManifestText(path.join(dir, 'binary.yaml')), { error: 'binary file (contains NUL bytes)' });
  assert.deepEqual(readManifestText(path.join(dir, 'latin1.yaml')), { error: 'not UTF-8 text' });

  const cli = spawnSync(process.execPath, [CLI, 'check', dir, '--fix'], { encoding: 'utf8' });
  assert.equal(cli.status, 0);
  assert.deepEqual(cli.stderr.trim().split('\n').sort(), [
    `port-lens: skipped ${path.join(dir, 'binary.yaml')}: binary file (contains NUL bytes)`,
    `port-lens: skipped ${path.join(dir, 'latin1.yaml')}: not UTF-8 text`,
  ]);
  assert.deepEqual(readFileSync(path.join(dir, 'latin1.yaml')), latin1);
});

test('a byte order mark is kept apart from the text, so a fix can write it back', async (t) => {
  const dir = workspace(t);
  writeFileSync(path.join(dir, 'bom.yaml'), '\ufeff' + SERVICE);
  assert.deepEqual(readManifestText(path.join(dir, 'bom.yaml')), { text: SERVICE, bom: true });
});

test('links that loop end the scan normally; each file is read once', async (t) => {
  const dir = workspace(t);
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub/inner.yaml'), SERVICE);
  symlinkSync('..', path.join(dir, 'sub/up')); // a folder that contains itself
  symlinkSync('self.yaml', path.join(dir, 'self.yaml')); // a link to itself
  symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
  symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
  const scan = await scanPaths([dir]);
  assert.deepEqual(scan.files, [path.join(dir, 'ok.yaml'), path.join(dir, 'sub/inner.yaml')]);
  assert.deepEqual(reasons(scan.skipped, dir), ['a.yaml: ELOOP', 'b.yaml: ELOOP', 'self.yaml: ELOOP']);
  assert.deepEqual(readManifestText(path.join(dir, 'self.yaml')), { error: 'ELOOP' });
});

test('links to outside the workspace are neither followed by the scan nor read', async (t) => {
  const dir = workspace(t);
  const outside = mkdtempSync(path.join(tmpdir(), 'port-lens-outside-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(path.join(outside, 'secret.yaml'), SERVICE);
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'linked.yaml'));
  symlinkSync(outside, path.join(dir, 'linked-folder'));
  const scan = await scanPaths([dir]);
  assert.deepEqual(scan.files, [path.join(dir, 'ok.yaml')]);
  assert.deepEqual(reasons(scan.skipped, dir), [
    'linked-folder: a link to outside the workspace folders',
    'linked.yaml: a link to outside the workspace folders',
  ]);
  assert.deepEqual(readManifestText(path.join(dir, 'linked.yaml'), { roots: [dir] }), { error: 'a link to outside the workspace folders' });
  // a link that stays inside is fine
  symlinkSync('ok.yaml', path.join(dir, 'alias.yaml'));
  assert.deepEqual(readManifestText(path.join(dir, 'alias.yaml'), { roots: [dir] }), { text: SERVICE, bom: false });
});

test('an unreadable folder is skipped with its reason; the rest is read', async (t) => {
  const dir = workspace(t);
  const locked = path.join(dir, 'locked');
  mkdirSync(locked);
  writeFileSync(path.join(locked, 'hidden.yaml'), SERVICE);
  chmodSync(locked, 0o000);
  let blocked = true;
  try {
    fsModule.readdirSync(locked);
    blocked = false;
  } catch {
    // permissions hold
  }
  // The module object itself (a namespace import is a read-only view of it).
  const nodeFs = require('node:fs') as { readdirSync: typeof fsModule.readdirSync };
  const realReaddir = nodeFs.readdirSync;
  if (!blocked) {
    // As root, mode 000 does not stop reading: inject the same fault the system would raise (the scan lists folders synchronously).
    t.diagnostic('running as root: EACCES injected into readdirSync');
    nodeFs.readdirSync = ((p: fsModule.PathLike, options?: unknown) => {
      if (path.resolve(String(p)) === locked)
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
      return (realReaddir as (p: fsModule.PathLike, o?: unknown) => unknown)(p, options);
    }) as typeof realReaddir;
  }
  try {
    const scan = await scanPaths([dir]);
    assert.deepEqual(scan.files, [path.join(dir, 'ok.yaml')]);
    assert.deepEqual(reasons(scan.skipped, dir), ['locked: EACCES']);
  } finally {
    nodeFs.readdirSync = realReaddir;
    chmodSync(locked, 0o755);
  }
});

test('a file deleted between listing and reading is skipped with its reason, never thrown', async (t) => {
  const dir = workspace(t);
  writeFileSync(path.join(dir, 'gone.yaml'), SERVICE);
  const scan = await scanPaths([dir]);
  assert.equal(scan.files.length, 2);
  rmSync(path.join(dir, 'gone.yaml'));
  assert.deepEqual(readManifestText(path.join(dir, 'gone.yaml')), { error: 'ENOENT' });
  assert.deepEqual(readManifestText(path.join(dir, 'ok.yaml')), { text: SERVICE, bom: false });
});

test('a named pipe is not read (reading it would block until a writer came)', { skip: process.platform === 'win32' }, async (t) => {
  const dir = workspace(t);
  const fifo = path.join(dir, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  assert.deepEqual(readManifestText(fifo), { error: 'not a regular file' });
  assert.deepEqual((await scanPaths([dir])).files, [path.join(dir, 'ok.yaml')]);
});

test('the CLI checks the rest of a workspace full of hostile files', (t) => {
  const dir = workspace(t);
  cpSync(path.join(ROOT, 'examples/gitlab'), path.join(dir, 'gitlab'), { recursive: true });
  writeFileSync(path.join(dir, 'binary.yaml'), Buffer.from([0, 1, 2]));
  writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Service\nspec: {ports: [\n');
  symlinkSync('loop.yaml', path.join(dir, 'loop.yaml'));
  const cli = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  const codes = JSON.parse(cli.stdout).map((f: { file: string; code: string }) => `${path.basename(f.file)} ${f.code}`);
  assert.deepEqual(codes, ['broken.yaml yaml-syntax', 'networkpolicies.yaml netpol-port-unmatched']);
  assert.equal(cli.stderr.trim().split('\n').length, 2);
});

test('the scan reads *.yaml and *.yml, leaves other files, node_modules and .git alone, and names chart folders', async (t) => {
  const dir = workspace(t);
  for (const file of [
    'a.yaml',
    'b.yml',
    'c.json',
    'node_modules/x/d.yaml',
    '.git/e.yaml',
    'sub/f.yml',
    'chart/Chart.yaml',
    'chart/templates/g.yaml',
  ]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), file.endsWith('Chart.yaml') ? 'apiVersion: v2\nname: chart\nversion: 1.0.0\n' : SERVICE);
  }
  const scan = await scanPaths([dir], undefined, { claimsFolder: (_, entries) => entries.some((e) => e.name === 'Chart.yaml') });
  assert.deepEqual(scan.files.map((f) => path.relative(dir, f)).sort(), ['a.yaml', 'b.yml', 'ok.yaml', 'sub/f.yml']);
  assert.deepEqual(
    scan.claimed.map((c) => path.relative(dir, c)),
    ['chart'],
  );
});
