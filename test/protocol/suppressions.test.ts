import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DidChangeTextDocumentNotification, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol';
import { clientFor, repoCopy } from './lspClient';

test('"Ignore netpol-port-unmatched on this line" writes the comment, and the warning is no longer published', async (t) => {
  const dir = repoCopy('examples/gitlab');
  const client = clientFor(t, dir);
  await client.initialize(dir);
  const np = `file://${dir}/networkpolicies.yaml`;
  const text = readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8');
  await client.open(np, text);
  const diagnostics = () => client.diagnostics.get(np) ?? [];
  await client.until(() => diagnostics().length === 1, 'the 10022 warning');
  const [warning] = diagnostics();
  const actions = await client.codeActions(np, warning, ['quickfix']);
  const ignore = actions.find((a) => a.title === 'Ignore netpol-port-unmatched on this line');
  assert.ok(ignore, actions.map((a) => a.title).join(', '));
  assert.notEqual(ignore.isPreferred, true);
  const [change] = ignore.edit!.documentChanges as TextDocumentEdit[];
  const edited = TextDocument.applyEdits(TextDocument.create(np, 'yaml', 1, text), change.edits as TextEdit[]);
  assert.equal(edited.split('\n')[warning.range.start.line], '      port: 10022 # port-lens: ignore netpol-port-unmatched');
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: np, version: 2 },
    contentChanges: [{ text: edited }],
  });
  await client.until(() => diagnostics().length === 0, 'the warning to go');
});
