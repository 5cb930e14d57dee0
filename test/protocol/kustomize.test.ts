import test from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DidChangeTextDocumentNotification, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol';
import { KUBECTL } from '../helpers';
import { clientFor, repoCopy } from './lspClient';

/** examples/gitlab-kustomize, a kubectl that records that it ran, and a server using it; all removed after the test. */
function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = repoCopy('examples/gitlab-kustomize');
  const bin = mkdtempSync(path.join(tmpdir(), 'port-lens-spy-'));
  const marker = path.join(bin, 'kubectl-ran');
  const kubectl = path.join(bin, 'kubectl');
  writeFileSync(kubectl, `#!/bin/sh\ntouch ${marker}\nexec ${KUBECTL} "$@"\n`);
  chmodSync(kubectl, 0o755);
  const client = clientFor(t, dir, bin);
  client.settings = { kustomize: { path: kubectl } };
  return { dir, client, ran: () => existsSync(marker) };
}

test('Kustomize through the server: the prod patch line, hover with the chain, the fix, unsaved edits of the base', async (t) => {
  const { dir, client, ran } = setUp(t);
  const patch = `file://${dir}/overlays/prod/allow-ssh.yaml`;
  const base = `file://${dir}/base/gitlab.yaml`;
  const patchLines = readFileSync(path.join(dir, 'overlays/prod/allow-ssh.yaml'), 'utf8').split('\n');
  const problems = (uri: string) => (client.diagnostics.get(uri) ?? []).filter((d) => d.severity! <= 2);

  await client.initialize(dir, undefined, { trusted: true });
  await client.until(() => problems(patch).length === 1, 'the warning on the prod patch');
  assert.ok(ran());
  const [diagnostic] = problems(patch);
  assert.equal(patchLines[diagnostic.range.start.line].trim(), 'port: 10022');
  assert.match(diagnostic.message as string, /\(overlays\/prod\)$/);
  // The base files are not read as plain manifests, and staging is silent.
  assert.deepEqual(
    [...client.diagnostics.entries()].filter(([uri, d]) => uri !== patch && d.length > 0),
    [],
  );

  await t.test('the fix edits the patch', async () => {
    const actions = await client.codeActions(patch, diagnostic);
    const [change] = actions.find((a) => a.isPreferred)!.edit!.documentChanges as TextDocumentEdit[];
    assert.equal(change.textDocument.uri, patch);
    assert.deepEqual(
      change.edits.map((e) => (e as TextEdit).newText),
      ['22'],
    );
  });

  await t.test('hover on the patch line shows the root, where the value came from, and the chain', async () => {
    const value = (await client.hoverText(patch, diagnostic.range.start))!;
    assert.match(value, /Kustomize root `overlays\/prod`\*\*: written by patch overlays\/prod\/allow-ssh\.yaml/);
    assert.match(value, /10022\/TCP → targetPort 22 → \[Deployment gitlab\/gitlab\]\(file:\/\/[^)]*\/base\/gitlab\.yaml#L5\)/);
  });

  await t.test("an unsaved edit of the base updates the overlay's diagnostics", async () => {
    const text = readFileSync(path.join(dir, 'base/gitlab.yaml'), 'utf8');
    await client.open(base, text);
    // The pods now listen on 10022 too: the prod patch becomes right.
    const edited = text.replace(
      '            - name: http\n',
      '            - name: ssh-public\n              containerPort: 10022\n            - name: http\n',
    );
    assert.notEqual(edited, text);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: base, version: 2 },
      contentChanges: [{ text: edited }],
    });
    await client.until(() => problems(patch).length === 0, 'the prod warning to go');
    assert.equal(readFileSync(path.join(dir, 'base/gitlab.yaml'), 'utf8'), text);
  });
});

test('an untrusted workspace builds nothing', async (t) => {
  const { dir, client, ran } = setUp(t);
  await client.initialize(dir, undefined, { trusted: false });
  const base = `file://${dir}/base/gitlab.yaml`;
  await client.open(base, readFileSync(path.join(dir, 'base/gitlab.yaml'), 'utf8'));
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: base, version: 2 },
    contentChanges: [{ text: '# edited\n' }],
  });
  await client.flush(base);
  await new Promise((resolve) => setTimeout(resolve, 600)); // longer than the build debounce
  assert.equal(ran(), false);
  assert.ok(client.logs.some((l) => /2 Kustomize roots not built \(the workspace is not trusted\)/.test(l)));
  assert.deepEqual([...client.diagnostics.values()].flat(), []);
});

test("hover on an Ingress backend, a ServiceMonitor endpoint and a probe written by a root's patch: the root, the patch, the chain", async (t) => {
  const dir = repoCopy('test/fixtures/kustomize/references');
  const client = clientFor(t, dir);
  client.settings = { kustomize: { path: KUBECTL } };
  const uri = (file: string) => `file://${dir}/${file}`;
  await client.initialize(dir, undefined, { trusted: true });
  await client.until(() => (client.diagnostics.get(uri('overlays/prod/route.yaml')) ?? []).length > 0, 'the prod warnings');
  const hoverOn = async (file: string, text: string) => {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.trimEnd().endsWith(text));
    assert.ok(line >= 0, `${text} in ${file}`);
    const position = { line, character: lines[line].trimEnd().length - 1 }; // on the value
    const value = await client.hoverText(uri(file), position);
    assert.ok(value, `a hover on ${text} in ${file}`);
    return value;
  };
  const ingress = await hoverOn('overlays/prod/ingress.yaml', 'number: 8080');
  assert.match(ingress, /Kustomize root `overlays\/prod`\*\*: written by patch overlays\/prod\/ingress\.yaml/);
  assert.match(ingress, /\[Service shop\/api[^\]]*\]\(file:\/\/[^)]*\/base\/api\.yaml#L\d+\)/, 'the Service, linked on its base line');
  assert.doesNotMatch(ingress, /kustomize:/, 'no link into the built output');

  const monitor = await hoverOn('overlays/prod/monitor.yaml', 'port: metrics');
  assert.match(monitor, /written by patch overlays\/prod\/monitor\.yaml/);
  assert.match(monitor, /http-metrics/);

  const probe = await hoverOn('overlays/prod/probe.yaml', 'port: 80');
  assert.match(probe, /written by patch overlays\/prod\/probe\.yaml/);

  // A base line both roots read: one section per root.
  const base = await hoverOn('base/api.yaml', 'port: htp');
  assert.match(base, /Kustomize root `overlays\/prod`/);
  assert.match(base, /Kustomize root `overlays\/staging`/);
});
