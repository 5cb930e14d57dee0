import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InitializedNotification, InitializeRequest } from 'vscode-languageserver-protocol';
import { clientFor, FULL_CAPABILITIES, repoCopy } from './lspClient';
import type { StatusParams } from '../../server/src/lsp/protocol';

test('the status says indexing until the first scan is done, never a count before it, even with a document opened first', async (t) => {
  const dir = repoCopy('examples/gitlab');
  const client = clientFor(t, dir);
  const uri = `file://${dir}`;
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'ws' }],
    capabilities: FULL_CAPABILITIES,
  });
  const np = `${uri}/networkpolicies.yaml`;
  await client.open(np, readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8'));
  await client.connection.sendNotification(InitializedNotification.type, {});
  await client.until(() => client.ready, 'the server to be ready');
  const statuses = client.status as StatusParams[];
  const first = statuses.findIndex((s) => s.state === 'ready');
  assert.ok(first > 0, 'an indexing status comes first');
  assert.ok(statuses.slice(0, first).every((s) => s.state === 'indexing'));
  assert.deepEqual([statuses[first].files, statuses[first].findings, statuses[first].stale], [5, 1, 0]);
});
