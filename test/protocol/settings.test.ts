import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CodeLensRequest, DidChangeConfigurationNotification, HoverRequest } from 'vscode-languageserver-protocol';
import { deployment, policy, service } from '../helpers';
import { TestClient } from './lspClient';

/** Two folders with the same mistake (policy port 10022, pods on 22). */
function twoFolders(t: { after: (fn: () => void) => void }): { a: string; b: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-settings-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const folders = { a: path.join(dir, 'a'), b: path.join(dir, 'b') };
  for (const folder of Object.values(folders)) {
    mkdirSync(folder);
    const objects = [
      deployment('web', '{app: web}', '[{containerPort: 22}]'),
      service('web', '{app: web}', '[{port: 10022, targetPort: 22}]'),
      policy('ssh', '{matchLabels: {app: web}}', '[{ports: [{port: 10022}]}]'),
    ];
    writeFileSync(path.join(folder, 'app.yaml'), objects.join('---\n'));
  }
  return folders;
}

const codesOf = (client: TestClient, folder: string) =>
  (client.diagnostics.get(`file://${folder}/app.yaml`) ?? []).map((d) => `${d.code}:${d.severity}`);

test('in a multi-root workspace each folder gets its own resource settings (asked for with scopeUri)', async (t) => {
  const { a, b } = twoFolders(t);
  const client = new TestClient();
  t.after(() => client.stop());
  client.folderSettings.set(`file://${a}`, { severity: { 'netpol-port-unmatched': 'error' } });
  client.folderSettings.set(`file://${b}`, { enable: false });
  await client.initialize([a, b]);
  assert.deepEqual(codesOf(client, a), ['netpol-port-unmatched:1']);
  assert.deepEqual(codesOf(client, b), []);
});

test('one settings change sent twice (client and server registration) scans once', async (t) => {
  const { a } = twoFolders(t);
  const client = new TestClient();
  t.after(() => client.stop());
  await client.initialize(a);
  assert.deepEqual(codesOf(client, a), ['netpol-port-unmatched:2']);
  client.settings = { files: { exclude: ['**/nothing/**'] } };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const indexed = () => client.logs.filter((l) => l.startsWith('indexed')).length;
  await client.until(() => indexed() >= 2, 'the rescan');
  // Both notifications are handled (serialised) before this answer and a moment after it.
  await client.connection.sendRequest(HoverRequest.type, {
    textDocument: { uri: `file://${a}/app.yaml` },
    position: { line: 0, character: 0 },
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(indexed(), 2, client.logs.join('\n'));
});

test('portLens.codeLens.enable: false hides the lenses of that folder; turning it on brings them back', async (t) => {
  const { a } = twoFolders(t);
  const client = new TestClient();
  t.after(() => client.stop());
  client.settings = { codeLens: { enable: false } };
  await client.initialize(a);
  const uri = `file://${a}/app.yaml`;
  const lenses = () => client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  assert.deepEqual(await lenses(), []);
  // the diagnostics are not affected
  assert.deepEqual(codesOf(client, a), ['netpol-port-unmatched:2']);
  client.settings = {};
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  let found = await lenses();
  for (let i = 0; i < 100 && (found ?? []).length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = await lenses();
  }
  const [lens] = found!;
  assert.match(lens.command!.title, /^reachable from: /);
});

test('a client that answers null to workspace/configuration gets the default settings (SPEC §7)', async (t) => {
  const { a } = twoFolders(t);
  const client = new TestClient();
  t.after(() => client.stop());
  client.settings = null;
  await client.initialize(a);
  assert.deepEqual(codesOf(client, a), ['netpol-port-unmatched:2']);
});
