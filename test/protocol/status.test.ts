import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, InitializedNotification, InitializeRequest } from 'vscode-languageserver-protocol';
import { FULL_CAPABILITIES, TestClient } from './lspClient';
import type { StatusParams } from '../../server/src/lsp/protocol';

const ROOT = path.resolve(__dirname, '../..');

test('the status says indexing until the first scan is done, never a count before it, even with a document opened first', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-lsp-'));
  cpSync(path.join(ROOT, 'examples/gitlab'), dir, { recursive: true });
  const client = new TestClient();
  t.after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const uri = `file://${dir}`;
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'ws' }],
    capabilities: FULL_CAPABILITIES,
  });
  const np = `${uri}/networkpolicies.yaml`;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: np, languageId: 'yaml', version: 1, text: readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8') },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
  await client.until(() => client.ready, 'the server to be ready');
  const statuses = client.status as StatusParams[];
  const first = statuses.findIndex((s) => s.state === 'ready');
  assert.ok(statuses.slice(0, first).every((s) => s.state === 'indexing'));
  assert.deepEqual([statuses[first].files, statuses[first].findings, statuses[first].stale], [5, 1, 0]);
});
