import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  ExecuteCommandRequest,
  type CodeLens,
} from 'vscode-languageserver-protocol';
import { clientFor, FULL_CAPABILITIES, repoCopy } from './lspClient';

interface ExplainResult {
  from: string;
  to: string;
  verdict: string;
  markdown: string;
  fixes?: Array<{ title: string; edits: Array<{ uri: string; newText: string }> }>;
}

test('explain through the server: code lens above Service ports, the command, the requests, refresh on edit', async (t) => {
  const dir = repoCopy('examples/gitlab');
  const client = clientFor(t, dir);
  let refreshes = 0;
  let refreshed: () => void = () => undefined;
  client.connection.onRequest(CodeLensRefreshRequest.method, () => {
    refreshes++;
    refreshed();
    return null;
  });
  await client.initialize(dir, { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } } });
  const services = `file://${dir}/gitlab.yaml`;
  const np = `file://${dir}/networkpolicies.yaml`;
  const servicesText = readFileSync(path.join(dir, 'gitlab.yaml'), 'utf8');
  const npText = readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8');
  const lenses = async () => (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: services } })) as CodeLens[];

  let sshLens: CodeLens;
  await t.test('textDocument/codeLens: one lens per Service port, with the verdict and an explain command', async () => {
    const found = await lenses();
    assert.deepEqual(
      found.map((l) => l.command!.title),
      [
        'reachable from: external ✗ (allow-from-all admits 80, 10022 — not 22)',
        'reachable from: anywhere ✓ (allow-from-all ingress rule 1 has no `from`)',
      ],
    );
    sshLens = found[0];
    assert.equal(servicesText.split('\n')[sshLens.range.start.line].trim(), '- name: ssh');
    assert.equal(sshLens.command!.command, 'portLens.explain');
    assert.deepEqual(sshLens.command!.arguments, [{ from: 'external', to: 'gitlab/gitlab-ssh:10022' }]);
    assert.deepEqual(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: np } }), []);
  });

  await t.test('workspace/executeCommand portLens.explain with the lens arguments answers in Markdown with links', async () => {
    const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: sshLens.command!.command,
      arguments: sshLens.command!.arguments,
    })) as ExplainResult;
    assert.equal(result.verdict, 'denied');
    assert.equal(result.to, 'gitlab/gitlab-ssh:10022');
    assert.match(result.markdown, new RegExp(`\\[Deployment gitlab/gitlab\\]\\(${services.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}#L5\\)`));
    assert.match(result.markdown, /\[NetworkPolicy gitlab\/allow-from-all\]\(file:\/\/.*networkpolicies\.yaml#L\d+\)/);
    assert.match(result.markdown, /not 22\/TCP "ssh"/);
    assert.match(result.markdown, /Change port 10022 to 22/);
    // the fixes the answer lists, with their edits, for a client that applies them from its view
    assert.deepEqual(
      result.fixes!.map((f) => [f.title, f.edits.map((e) => [e.uri, e.newText])]),
      [
        ['Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)', [[np, '22']]],
        ['Change port 10022 to the named port "ssh"', [[np, 'ssh']]],
      ],
    );
    for (const fix of result.fixes!) assert.ok(result.markdown.includes(`- ${fix.title}: `), fix.title);
  });

  await t.test('portLens/endpoints lists the quick-pick choices; portLens/explain answers one; a bad name is InvalidParams', async () => {
    const choices = (await client.connection.sendRequest('portLens/endpoints')) as {
      sources: Array<{ name: string }>;
      destinations: Array<{ name: string }>;
    };
    assert.ok(choices.sources.some((s) => s.name === 'external'));
    assert.ok(choices.sources.some((s) => s.name === 'gitlab/Deployment/gitlab'));
    assert.ok(choices.destinations.some((d) => d.name === 'gitlab/gitlab-ssh:10022'));
    const result = (await client.connection.sendRequest('portLens/explain', {
      from: 'gitlab/Deployment/gitlab',
      to: 'gitlab/postgresql:5432',
    })) as ExplainResult;
    assert.equal(result.verdict, 'allowed');
    await assert.rejects(
      client.connection.sendRequest('portLens/explain', { from: 'external', to: 'gitlab/gitlab-shh:10022' }),
      (e: { code: number; message: string }) => e.code === -32602 && /did you mean "gitlab\/gitlab-ssh:10022"/.test(e.message),
    );
    await assert.rejects(
      client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'portLens.explain', arguments: [] }),
      (e: { code: number }) => e.code === -32602,
    );
  });

  await t.test('an edit to the policy asks the client to refresh, and the lens turns to allowed', async () => {
    const before = refreshes;
    const asked = new Promise<void>((resolve) => (refreshed = resolve));
    await client.open(np, npText);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: np, version: 2 },
      contentChanges: [{ text: npText.replace('port: 10022', 'port: 22') }],
    });
    await asked;
    assert.ok(refreshes > before);
    assert.equal((await lenses())[0].command!.title, 'reachable from: external ✓ (allow-from-all ingress rule 1)');
  });
});
