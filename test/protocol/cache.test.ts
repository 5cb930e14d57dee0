import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateWorkspace } from '../bench/generate';
import { TestClient } from './lspClient';

/** Starts a server on the workspace, waits for the scan, returns what it published and logged. */
async function session(root: string, cacheFolder: string) {
  const client = new TestClient();
  try {
    await client.initialize(root, undefined, { cacheFolder });
    const diagnostics = [...client.diagnostics].filter(([, d]) => d.length > 0).sort(([a], [b]) => a.localeCompare(b));
    return { diagnostics, indexed: client.logs.find((l) => l.startsWith('indexed')) ?? '' };
  } finally {
    await client.stop();
  }
}

test('the server publishes the same diagnostics from its cache as from parsing', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-cache-lsp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = generateWorkspace(path.join(dir, 'ws'), 80, 11);
  const cacheFolder = path.join(dir, 'cache');

  const cold = await session(ws.root, cacheFolder);
  assert.match(cold.indexed, /indexed 80 files .*\(0 files from the cache\)/);
  assert.equal(cold.diagnostics.flatMap(([, d]) => d.filter((x) => x.severity! <= 2)).length, ws.planted.length);
  // The server writes its cache before it answers shutdown.
  assert.ok(existsSync(cacheFolder) && readdirSync(cacheFolder).some((f) => f.endsWith('.bin')));

  const warm = await session(ws.root, cacheFolder);
  // Only the files yaml had to parse are kept in the cache (their anchors, flow style and comments).
  const fromCache = Number(/indexed 80 files .*\((\d+) files from the cache\)/.exec(warm.indexed)?.[1]);
  assert.ok(fromCache > 0 && fromCache < 80, warm.indexed);
  assert.deepEqual(warm.diagnostics, cold.diagnostics);
});
