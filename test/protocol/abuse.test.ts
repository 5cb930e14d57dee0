// A misbehaving client: requests about nothing, positions past the end, cancellations, a burst of
// edits, documents of other languages, and a client that never answers. The server answers every
// request, stays alive, and its final diagnostics are those of the final text.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  CodeActionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver-protocol';
import { PortLens } from '../../server/src/analysis/portLens';
import { clientFor, repoCopy } from './lspClient';

const workspace = () => repoCopy('examples/gitlab');

const problems = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).filter((d) => d.severity! <= 2);

test('a misbehaving client cannot break the server', async (t) => {
  const dir = workspace();
  const client = clientFor(t, dir);
  await client.initialize(dir);
  const np = `file://${dir}/networkpolicies.yaml`;
  const npText = readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8');
  const line10022 = npText.split('\n').findIndex((l) => l.includes('port: 10022'));
  await client.until(() => problems(client.diagnostics.get(np)).length === 1, 'the 10022 warning');
  const hoverOn10022 = async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: np },
      position: { line: line10022, character: 14 },
    });
    assert.match((hover!.contents as { value: string }).value, /gitlab-ssh/);
  };

  await t.test('requests about unknown documents answer nothing', async () => {
    const position = { line: 0, character: 0 };
    const range = { start: position, end: position };
    for (const uri of [
      `file://${dir}/missing.yaml`,
      'file:///nowhere/at/all.yaml',
      'untitled:Untitled-9',
      'git:/x.yaml?%7B%7D',
      'not a uri',
      '',
    ]) {
      assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), null);
      assert.deepEqual(await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position }), []);
      const actions = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range,
        context: { diagnostics: [] },
      });
      assert.deepEqual(actions, []);
    }
    await hoverOn10022();
  });

  await t.test('positions past the end of a line or of the file answer nothing, or what is at the clamped place', async () => {
    const positions: Position[] = [
      { line: line10022, character: 10_000 },
      { line: 10_000, character: 0 },
      { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
      { line: -1, character: -1 },
    ];
    for (const position of positions) {
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: np }, position });
      await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: np }, position });
      await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: np },
        range: { start: { line: 0, character: 0 }, end: position },
        context: { diagnostics: [] },
      });
    }
    await hoverOn10022();
    assert.ok(!client.logs.some((l) => / failed: /.test(l)), client.logs.join('\n'));
  });

  await t.test('cancelled requests leave the server answering', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const source = new CancellationTokenSource();
        const request = client.connection.sendRequest(
          HoverRequest.type,
          { textDocument: { uri: np }, position: { line: line10022, character: 14 } },
          source.token,
        );
        source.cancel();
        return request.then(
          () => 'answered',
          (error: { code?: number }) => (error.code === -32800 ? 'cancelled' : `failed ${error.code}`),
        );
      }),
    );
    assert.ok(
      outcomes.every((o) => o === 'answered' || o === 'cancelled'),
      outcomes.join(', '),
    );
    await hoverOn10022();
  });

  await t.test('1 000 didChange notifications in a burst: the diagnostics are those of the final text', async () => {
    const range = { start: { line: line10022, character: 12 }, end: { line: line10022, character: 17 } };
    await client.open(np, npText);
    const publishedBefore = client.published.length;
    let text = npText;
    for (let version = 2; version <= 1001; version++) {
      // each edit writes a different five-digit port; the last one 10023, which no Service forwards
      const port = version === 1001 ? '10023' : String(20000 + version);
      const change = version % 2 === 0 ? { range, text: port } : { text: text.replace(/port: \d{5}/, `port: ${port}`) };
      text = 'range' in change ? text.replace(/port: \d{5}/, `port: ${port}`) : change.text;
      void client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: np, version },
        contentChanges: [change],
      });
    }
    const finalText = npText.replace('port: 10022', 'port: 10023');
    assert.equal(text, finalText);
    await client.until(() => client.published.some((p) => p.uri === np && p.version === 1001), 'diagnostics of version 1001');
    // a request flushes anything still pending: nothing may arrive after the final text's diagnostics
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: np }, position: { line: line10022, character: 14 } });
    const last = client.published.filter((p) => p.uri === np).at(-1)!;
    assert.equal(last.version, 1001);

    const expected = new PortLens();
    for (const name of ['gitlab.yaml', 'namespace.yaml', 'postgresql.yaml', 'redis.yaml']) {
      expected.setFile(`file://${dir}/${name}`, readFileSync(path.join(dir, name), 'utf8'));
    }
    expected.setFile(np, finalText);
    assert.ok(expected.findings(np).some((f) => f.message.includes('10023')));
    const summary = (d: { code?: unknown; range: unknown; message: unknown }) => JSON.stringify([d.code, d.range, d.message]);
    assert.deepEqual(last.diagnostics.map(summary), expected.findings(np).map(summary));
    assert.equal(problems(client.diagnostics.get(np)).length, 0);
    t.diagnostic(
      `burst of 1000 didChange: ${client.published.length - publishedBefore} publishDiagnostics for it, the last of version ${last.version}`,
    );
  });

  await t.test('a document of another language is not analysed', async () => {
    const manifest =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: true}]}]\n';
    const uris = [`file://${dir}/notes.txt`, `file://${dir}/data.json`, 'untitled:Untitled-1'];
    const languages = ['plaintext', 'json', 'markdown'];
    for (const [i, uri] of uris.entries()) {
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: languages[i], version: 1, text: manifest },
      });
    }
    // the same text as YAML is analysed: its diagnostic marks that the others have been processed
    const yaml = 'untitled:Untitled-2';
    await client.open(yaml, manifest);
    await client.until(
      () => (client.diagnostics.get(yaml) ?? []).some((d) => d.code === 'manifest-invalid'),
      "the YAML document's diagnostic",
    );
    for (const uri of uris) {
      assert.equal(client.diagnostics.get(uri), undefined);
      assert.equal(
        await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 30 } }),
        null,
      );
    }
  });
});

test('a client that never answers workspace/configuration still gets diagnostics, with the default settings', async (t) => {
  const dir = workspace();
  const client = clientFor(t, dir);
  let asked = 0;
  client.connection.onRequest('workspace/configuration', () => {
    asked++;
    return new Promise(() => undefined);
  });
  await client.initialize(dir);
  const np = `file://${dir}/networkpolicies.yaml`;
  await client.until(() => problems(client.diagnostics.get(np)).length === 1, 'the 10022 warning');
  assert.ok(asked >= 1);
  assert.equal(problems(client.diagnostics.get(np))[0].code, 'netpol-port-unmatched');
});
