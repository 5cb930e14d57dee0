import test from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol';
import { HELM } from '../helpers';
import { TestClient } from './lspClient';

const ROOT = path.resolve(__dirname, '../..');

// Admits port 22 to the pods of the chart: right once the chart is rendered, "selects nothing" before.
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ssh
  namespace: default
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: gitlab
  ingress:
    - ports:
        - port: 22
`;

test('a policy opened before the first scan ends gets only diagnostics of the complete index (SPEC §1)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-partial-'));
  cpSync(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), path.join(dir, 'gitlab-ssh'), { recursive: true });
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  const bin = mkdtempSync(path.join(tmpdir(), 'port-lens-slow-'));
  const started = path.join(bin, 'started');
  const helm = path.join(bin, 'slow-helm');
  writeFileSync(helm, `#!/bin/sh\ntouch ${started}\nsleep 2\nexec ${HELM} "$@"\n`);
  chmodSync(helm, 0o755);
  const client = new TestClient();
  client.settings = { helm: { path: helm } };
  t.after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });
  const uri = `file://${dir}/policy.yaml`;
  const ready = client.initialize(dir, undefined, { trusted: true });
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'yaml', version: 1, text: POLICY },
  });
  // A request is answered after the notifications before it, so the open document was analysed.
  await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
  for (let i = 0; i < 200 && !existsSync(started); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(existsSync(started), 'the chart render started');
  assert.equal(client.published.length, 0, 'nothing is published while the chart renders');
  await ready;
  await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
  const codes = client.published.filter((p) => p.uri === uri).flatMap((p) => p.diagnostics.map((d) => d.code));
  assert.deepEqual(codes, [], 'the policy selects the rendered pods and admits their port');
  assert.ok(
    client.published.some((p) => p.uri.endsWith('/gitlab-ssh/templates/networkpolicy.yaml')),
    'the complete index is published',
  );
});
