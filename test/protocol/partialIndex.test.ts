import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HELM } from '../helpers';
import { clientFor, repoCopy, slowProgram } from './lspClient';

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
  const dir = repoCopy('test/fixtures/charts/gitlab-ssh', 'gitlab-ssh');
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  const { dir: bin, path: helm, started } = slowProgram(HELM);
  const client = clientFor(t, dir, bin);
  client.settings = { helm: { path: helm } };
  const uri = `file://${dir}/policy.yaml`;
  const ready = client.initialize(dir, undefined, { trusted: true });
  await client.open(uri, POLICY);
  // A request is answered after the notifications before it, so the open document was analysed.
  await client.flush(uri);
  for (let i = 0; i < 200 && !existsSync(started); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(existsSync(started), 'the chart render started');
  assert.equal(client.published.length, 0, 'nothing is published while the chart renders');
  await ready;
  await client.flush(uri);
  const codes = client.published.filter((p) => p.uri === uri).flatMap((p) => p.diagnostics.map((d) => d.code));
  assert.deepEqual(codes, [], 'the policy selects the rendered pods and admits their port');
  assert.ok(
    client.published.some((p) => p.uri.endsWith('/gitlab-ssh/templates/networkpolicy.yaml')),
    'the complete index is published',
  );
});
