import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  DidChangeTextDocumentNotification,
  HoverRequest,
  type CodeAction,
} from 'vscode-languageserver-protocol';
import { deployment, policy, service } from '../helpers';
import { clientFor, FULL_CAPABILITIES } from './lspClient';

const APP = [
  deployment('web', '{app: web}', '[{containerPort: 22}]'),
  service('web', '{app: web}', '[{port: 10022, targetPort: 22}]'),
].join('---\n');
const POLICY = policy('ssh', '{matchLabels: {app: web}}', '[{ports: [{port: 10022}]}]');

function setUp(t: { after: (fn: () => unknown) => void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-stale-'));
  writeFileSync(path.join(dir, 'app.yaml'), APP);
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  const client = clientFor(t, dir);
  return { dir, client };
}

test("a quick fix is offered only for a diagnostic the document's current text still has", async (t) => {
  const { dir, client } = setUp(t);
  await client.initialize(dir);
  const uri = `file://${dir}/policy.yaml`;
  const [diagnostic] = client.diagnostics.get(uri)!;
  assert.equal(diagnostic.code, 'netpol-port-unmatched');
  await client.open(uri, POLICY);
  const ask = () =>
    client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
  const fresh = (await ask()) as CodeAction[];
  assert.ok(
    fresh.some((a) => a.isPreferred && a.title.includes('22')),
    JSON.stringify(fresh),
  );
  // A line above moves the port down: the client still holds the diagnostic of version 1.
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: `# a comment\n${POLICY}` }],
  });
  const stale = (await ask()) as CodeAction[];
  assert.deepEqual(
    stale.filter((a) => a.kind === 'quickfix').map((a) => a.title),
    [],
    'no quick fix edits where the port no longer is',
  );
});

test('the client is asked to refresh code lenses only when a lens of an open document changes', async (t) => {
  const { dir, client } = setUp(t);
  let refreshes = 0;
  client.connection.onRequest(CodeLensRefreshRequest.method, () => {
    refreshes++;
    return null;
  });
  const capabilities = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } };
  await client.initialize(dir, capabilities);
  const uri = `file://${dir}/app.yaml`;
  await client.open(uri, APP);
  const flush = () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
  await flush();
  const opened = refreshes;
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: `# a comment\n${APP}` }],
  });
  await flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(refreshes, opened + 1, 'the lenses moved down a line');
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ text: `# another comment\n${APP}` }],
  });
  await flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(refreshes, opened + 1, 'a comment changed, no lens did');
});
