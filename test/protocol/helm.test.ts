import test from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { HELM } from '../helpers';
import { clientFor, repoCopy, slowProgram } from './lspClient';

const ROOT = path.resolve(__dirname, '../..');

const workspace = () => repoCopy('test/fixtures/charts/gitlab-ssh', 'gitlab-ssh');

/** A helm that records that it ran, then runs the real one. */
function spyHelm(dir: string): { helm: string; ran: () => boolean; args: () => string[] } {
  const marker = path.join(dir, 'helm-ran');
  const helm = path.join(dir, 'spy-helm');
  writeFileSync(helm, `#!/bin/sh\nprintf '%s\\n' "$@" > ${marker}\nexec ${HELM} "$@"\n`);
  chmodSync(helm, 0o755);
  return { helm, ran: () => existsSync(marker), args: () => readFileSync(marker, 'utf8').trim().split('\n') };
}

/** A copy of the fixture chart and a server whose helm is the spy; all removed after the test. */
function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = workspace();
  const bin = mkdtempSync(path.join(tmpdir(), 'port-lens-spy-'));
  const spy = spyHelm(bin);
  const client = clientFor(t, dir, bin);
  client.settings = { helm: { path: spy.helm } };
  return { dir, spy, client };
}

test('Helm through the server: template diagnostics, fixes into values.yaml, hover, unsaved edits', async (t) => {
  const { dir, spy, client } = setUp(t);
  const np = `file://${dir}/gitlab-ssh/templates/networkpolicy.yaml`;
  const values = `file://${dir}/gitlab-ssh/values.yaml`;
  const npText = readFileSync(path.join(dir, 'gitlab-ssh/templates/networkpolicy.yaml'), 'utf8');
  const lines = npText.split('\n');
  const problems = () => (client.diagnostics.get(np) ?? []).filter((d) => d.severity! <= 2);

  await client.initialize(dir, undefined, { trusted: true });
  await client.until(() => problems().length === 4, 'four warnings on the template');
  assert.ok(spy.ran());
  // SPEC §5: helm template <release> <chart> --namespace <ns>, nothing that fetches dependencies.
  assert.deepEqual(spy.args(), ['template', 'release', path.join(dir, 'gitlab-ssh'), '--namespace', 'default']);
  assert.deepEqual(
    problems().map((d) => lines[d.range.start.line].trim()),
    ['- port: 10022', '- port: {{ .Values.networkPolicy.sshPort }}', '- port: {{ .Values.service.sshPort }}', '- port: {{ . }}'],
  );

  await t.test('the fix of a value read once edits values.yaml', async () => {
    const diagnostic = problems()[1];
    const actions = await client.codeActions(np, diagnostic);
    const [change] = actions.find((a) => a.isPreferred)!.edit!.documentChanges as TextDocumentEdit[];
    assert.equal(change.textDocument.uri, values);
    assert.deepEqual(
      change.edits.map((e) => (e as TextEdit).newText),
      ['22'],
    );
  });

  await t.test('hover on a shared value shows the rendered chain and the value to change', async () => {
    const diagnostic = problems()[2];
    const value = (await client.hoverText(np, diagnostic.range.start))!;
    assert.match(value, /10022\/TCP → targetPort "ssh" → \[Deployment default\/release-gitlab\]/);
    assert.match(value, /change `service\.sshPort` in the values/);
  });

  await t.test('committed helm output is plain YAML; its hover links the # Source: template', async () => {
    const out = `file://${dir}/rendered.yaml`;
    const text =
      '---\n# Source: gitlab-ssh/templates/networkpolicy.yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - port: 80\n';
    await client.open(out, text);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: out },
      position: { line: 10, character: 17 },
    });
    assert.match(
      (hover!.contents as { value: string }).value,
      new RegExp(`Rendered by Helm from \\[gitlab-ssh/templates/networkpolicy\\.yaml\\]\\(${np.replace(/[.]/g, '\\.')}\\)`),
    );
  });

  await t.test('an unsaved edit of the template is rendered and published', async () => {
    await client.open(np, npText, 'helm');
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: np, version: 2 },
      contentChanges: [{ text: npText.replace('- port: 10022', '- port: 22') }],
    });
    await client.until(() => problems().length === 3, 'the literal warning to go');
    assert.ok(readFileSync(path.join(dir, 'gitlab-ssh/templates/networkpolicy.yaml'), 'utf8').includes('- port: 10022'));
  });
});

test('an untrusted workspace never runs helm', async (t) => {
  const { dir, spy, client } = setUp(t);
  await client.initialize(dir, undefined, { trusted: false });
  const np = `file://${dir}/gitlab-ssh/templates/networkpolicy.yaml`;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: {
      uri: np,
      languageId: 'helm',
      version: 1,
      text: readFileSync(path.join(dir, 'gitlab-ssh/templates/networkpolicy.yaml'), 'utf8'),
    },
  });
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: np, version: 2 },
    contentChanges: [{ text: '# edited\n' }],
  });
  // A request is answered after every notification before it: by then any render would have started.
  await client.flush(np);
  await new Promise((resolve) => setTimeout(resolve, 600)); // longer than the chart debounce
  assert.equal(spy.ran(), false);
  assert.ok(client.logs.some((l) => /1 Helm chart not rendered \(the workspace is not trusted\)/.test(l)));
  assert.deepEqual([...client.diagnostics.values()].flat(), []);
});

test('an edit made while the charts of the first scan render is what gets published', async (t) => {
  const dir = workspace();
  cpSync(path.join(ROOT, 'examples/gitlab'), path.join(dir, 'gitlab'), { recursive: true });
  const { dir: bin, path: helm, started } = slowProgram(HELM);
  const client = clientFor(t, dir, bin);
  client.settings = { helm: { path: helm } };
  const np = `file://${dir}/gitlab/networkpolicies.yaml`;
  const text = readFileSync(path.join(dir, 'gitlab/networkpolicies.yaml'), 'utf8');
  const ready = client.initialize(dir, undefined, { trusted: true });
  for (let i = 0; i < 200 && !existsSync(started); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(existsSync(started), 'the chart render started');
  await client.open(np, text);
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: np, version: 2 },
    contentChanges: [{ text: text.replace('port: 10022', 'port: 22') }],
  });
  await ready;
  await client.flush(np);
  assert.deepEqual(
    (client.diagnostics.get(np) ?? []).filter((d) => d.severity! <= 2),
    [],
  );
});
