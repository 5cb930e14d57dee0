import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { clientFor, repoCopy } from './lspClient';

const ROOT = path.resolve(__dirname, '../..');

const workspace = () => repoCopy('examples/gitlab');

test('the language server over stdio: diagnostics, hover, fixes, edits, files and settings', async (t) => {
  const dir = workspace();
  const client = clientFor(t, dir);
  const np = `file://${dir}/networkpolicies.yaml`;
  const deploy = `file://${dir}/gitlab.yaml`;
  const npText = readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8');
  const deployText = readFileSync(path.join(dir, 'gitlab.yaml'), 'utf8');
  const line10022 = npText.split('\n').findIndex((l) => l.includes('port: 10022'));
  const problems = (uri: string) => (client.diagnostics.get(uri) ?? []).filter((d) => d.severity! <= 2);

  await client.initialize(dir);

  let warning: Diagnostic;
  await t.test('initialize: the warning on 10022', async () => {
    await client.until(() => problems(np).length === 1, 'the 10022 diagnostic');
    [warning] = problems(np);
    assert.equal(warning.code, 'netpol-port-unmatched');
    assert.equal(warning.source, 'k8s-port-lens');
    assert.equal(warning.severity, 2);
    assert.deepEqual(warning.range, { start: { line: line10022, character: 12 }, end: { line: line10022, character: 17 } });
    assert.match(warning.codeDescription!.href, /docs\/rules\.md#netpol-port-unmatched$/);
    assert.ok(warning.relatedInformation!.some((r) => r.location.uri.endsWith('gitlab.yaml')));
    assert.deepEqual(
      [...client.diagnostics.keys()].filter((u) => client.diagnostics.get(u)!.length > 0),
      [np],
    );
  });

  await t.test('hover shows the Service → Pod chain', async () => {
    const value = (await client.hoverText(np, { line: line10022, character: 14 }))!;
    assert.match(value, /gitlab-ssh/);
    assert.match(value, /10022\/TCP → targetPort 22 → \[Deployment gitlab\/gitlab\]/);
  });

  await t.test('go to definition leads to the container ports', async () => {
    const line80 = npText.split('\n').findIndex((l) => l.includes('port: 80'));
    const locations = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: np },
      position: { line: line80, character: 13 },
    })) as Array<{ uri: string }>;
    assert.deepEqual(
      locations.map((l) => l.uri),
      [deploy],
    );
  });

  await t.test('the preferred quick-fix rewrites 10022 to 22', async () => {
    const actions = await client.codeActions(np, warning, ['quickfix']);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)');
    const [change] = preferred[0].edit!.documentChanges as TextDocumentEdit[];
    assert.equal(change.textDocument.uri, np);
    assert.deepEqual(
      change.edits.map((e) => [e.range, (e as TextEdit).newText]),
      [[warning.range, '22']],
    );
    assert.ok(
      actions.some((a) => !a.isPreferred && ((a.edit!.documentChanges![0] as TextDocumentEdit).edits[0] as TextEdit).newText === 'ssh'),
    );
  });

  await t.test('source.fixAll.portLens fixes the whole open file, with its version', async () => {
    await client.open(np, npText);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: np },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.kind),
      ['source.fixAll.portLens'],
    );
    const [change] = actions[0].edit!.documentChanges as TextDocumentEdit[];
    assert.equal(change.textDocument.version, 1);
    assert.deepEqual(
      change.edits.map((e) => (e as TextEdit).newText),
      ['22'],
    );
  });

  await t.test('a live edit clears the warning', async () => {
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: np, version: 2 },
      contentChanges: [{ range: warning.range, text: '22' }],
    });
    await client.until(() => problems(np).length === 0, 'the warning to go');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: np, version: 3 },
      contentChanges: [{ text: npText }],
    });
    await client.until(() => problems(np).length === 1, 'the warning to come back');
  });

  await t.test("a containerPort edit in another file changes the policy's diagnostic", async () => {
    await client.open(deploy, deployText);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: deploy, version: 2 },
      contentChanges: [{ text: deployText.replace('containerPort: 22', 'containerPort: 10022') }],
    });
    await client.until(() => problems(np).length === 0, 'the policy warning to go after the pod edit');
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: deploy } });
    await client.until(() => problems(np).length === 1, 'the disk text to count again after close');
  });

  await t.test('a deleted file (watched files) removes its pods', async () => {
    rmSync(path.join(dir, 'gitlab.yaml'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: deploy, type: FileChangeType.Deleted }],
    });
    await client.until(
      () => (client.diagnostics.get(np) ?? []).some((d) => d.code === 'netpol-selects-nothing'),
      'the policy to select nothing',
    );
    assert.equal(problems(np).length, 0);
    cpSync(path.join(ROOT, 'examples/gitlab/gitlab.yaml'), path.join(dir, 'gitlab.yaml'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: deploy, type: FileChangeType.Created }],
    });
    await client.until(() => problems(np).length === 1, 'the warning after the file is back');
  });

  await t.test("a rule's severity setting applies on configuration change", async () => {
    client.settings = { severity: { 'netpol-port-unmatched': 'error' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.until(() => problems(np)[0]?.severity === 1, 'the warning to become an error');
    client.settings = { severity: { 'netpol-port-unmatched': 'off' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.until(() => problems(np).length === 0, 'the rule to be off');
  });
});

test('a client that supports nothing optional still gets diagnostics and plain edits', async (t) => {
  const dir = workspace();
  const client = clientFor(t, dir);
  await client.initialize(dir, {});
  const np = `file://${dir}/networkpolicies.yaml`;
  await client.until(() => (client.diagnostics.get(np) ?? []).length === 1, 'the diagnostic');
  const [warning] = client.diagnostics.get(np)!;
  const actions = await client.codeActions(np, warning);
  const preferred = actions.find((a) => a.isPreferred)!;
  assert.deepEqual(
    preferred.edit!.changes![np].map((e) => e.newText),
    ['22'],
  );
});

test('structure slips through the server: diagnostic, hover with the effective meaning, the fix', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-lsp-'));
  const client = clientFor(t, dir);
  await client.initialize(dir);
  const uri = `file://${dir}/backend.yaml`;
  const text =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: backend}\nspec:\n  podSelector: {}\n  egress:\n    - ports:\n        - port: 6379\n          to:\n            - podSelector: {matchLabels: {app: redis}}\n';
  await client.open(uri, text);
  await client.until(
    () => (client.diagnostics.get(uri) ?? []).some((d) => d.code === 'netpol-misplaced-field'),
    'the misplaced-field warning',
  );
  const diagnostic = client.diagnostics.get(uri)!.find((d) => d.code === 'netpol-misplaced-field')!;
  assert.equal(diagnostic.range.start.line, 8);
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: diagnostic.range.start });
  assert.doesNotMatch(
    (hover!.contents as { value: string }).value,
    /admits 6379\/TCP to every destination/,
    'the diagnostic is not repeated',
  );
  const actions = await client.codeActions(uri, diagnostic);
  const [change] = actions.find((a) => a.isPreferred)!.edit!.documentChanges as TextDocumentEdit[];
  assert.equal(change.edits.length, 2);
  assert.ok(change.edits.every((e) => (e as TextEdit).newText === '' && e.range.start.character === 0 && e.range.end.character === 4));
});
