import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { KUBECTL } from '../helpers';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeLens,
} from 'vscode-languageserver-protocol';
import { FULL_CAPABILITIES, TestClient } from './lspClient';
import type { PortMap } from '../../server/src/analysis/map/portMap';

const ROOT = path.resolve(__dirname, '../..');

test('the port map through the server: namespaces, the map with URIs, a change notification and a fresh map after an edit', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-map-lsp-'));
  cpSync(path.join(ROOT, 'examples/gitlab'), dir, { recursive: true });
  const client = new TestClient();
  let changes = 0;
  let changed: () => void = () => undefined;
  client.connection.onNotification('portLens/changed', () => {
    changes++;
    changed();
  });
  t.after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await client.initialize(dir, FULL_CAPABILITIES, { portMapLenses: true });
  const np = `file://${dir}/networkpolicies.yaml`;
  const npText = readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8');
  const sshEdge = (map: PortMap) => map.edges.find((e) => e.from === 'source:external' && e.to === 'Service/gitlab-ssh:10022/TCP')!;

  await t.test('portLens/mapNamespaces: each namespace with its counts', async () => {
    assert.deepEqual(await client.connection.sendRequest('portLens/mapNamespaces'), [
      { namespace: 'gitlab', services: 4, pods: 3, policies: 3 },
    ]);
  });

  await t.test('portLens/map: the namespace drawn, nodes with their file URI and range, the red edge', async () => {
    const map = (await client.connection.sendRequest('portLens/map', { namespace: 'gitlab' })) as PortMap;
    assert.equal(map.namespace, 'gitlab');
    const edge = sshEdge(map);
    assert.deepEqual(
      [edge.verdict, edge.policies, edge.explain],
      ['denied', ['allow-from-all'], { from: 'external', to: 'gitlab/gitlab-ssh:10022' }],
    );
    assert.equal(edge.findings[0].uri, np);
    const pod = map.pods.find((p) => p.name === 'gitlab')!;
    assert.deepEqual([pod.uri, pod.nameRange.start.line], [`file://${dir}/gitlab.yaml`, 4]);
    const empty = (await client.connection.sendRequest('portLens/map', { namespace: 'elsewhere' })) as PortMap;
    assert.deepEqual([empty.services, empty.edges], [[], []]);
    await assert.rejects(client.connection.sendRequest('portLens/map', { namespace: 7 }), (e: { code: number }) => e.code === -32602);
  });

  await t.test('code lenses above the Namespace and each NetworkPolicy open the map of their namespace', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: np } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.command, l.command!.arguments]),
      [
        [2, 'Show port map of namespace gitlab', 'portLens.showPortMap', [{ namespace: 'gitlab' }]],
        [22, 'Show port map of namespace gitlab', 'portLens.showPortMap', [{ namespace: 'gitlab' }]],
        [43, 'Show port map of namespace gitlab', 'portLens.showPortMap', [{ namespace: 'gitlab' }]],
      ],
    );
    const namespace = (await client.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri: `file://${dir}/namespace.yaml` },
    })) as CodeLens[];
    assert.deepEqual(
      namespace.map((l) => l.command!.arguments),
      [[{ namespace: 'gitlab' }]],
    );
  });

  await t.test('an edit of the policy sends portLens/changed; the map asked for then is green', async () => {
    const before = changes;
    const notified = new Promise<void>((resolve) => (changed = resolve));
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: np, languageId: 'yaml', version: 1, text: npText },
    });
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: np, version: 2 },
      contentChanges: [{ text: npText.replace('port: 10022', 'port: 22') }],
    });
    await notified;
    assert.ok(changes > before);
    const map = (await client.connection.sendRequest('portLens/map', { namespace: 'gitlab' })) as PortMap;
    assert.deepEqual([sshEdge(map).verdict, sshEdge(map).findings], ['allowed', []]);
  });
});

test('without initializationOptions.portMapLenses the server sends no port map lenses (other clients lack the command)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-map-lsp-'));
  cpSync(path.join(ROOT, 'examples/gitlab'), dir, { recursive: true });
  const client = new TestClient();
  t.after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await client.initialize(dir);
  assert.deepEqual(
    await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: `file://${dir}/networkpolicies.yaml` } }),
    [],
  );
});

test("Kustomize roots over LSP: portLens/mapRoots lists them; a map of a root's world places nodes on base and patch lines", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-map-lsp-kustomize-'));
  cpSync(path.join(ROOT, 'examples/gitlab-kustomize'), dir, { recursive: true });
  const client = new TestClient();
  client.settings = { kustomize: { path: KUBECTL } };
  t.after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await client.initialize(dir, undefined, { trusted: true, portMapLenses: true });
  await client.until(() => (client.diagnostics.get(`file://${dir}/overlays/prod/allow-ssh.yaml`) ?? []).length > 0, 'the prod warning');
  assert.deepEqual(await client.connection.sendRequest('portLens/mapRoots'), [
    { name: 'overlays/prod', built: true },
    { name: 'overlays/staging', built: true },
  ]);
  const namespaces = (await client.connection.sendRequest('portLens/mapNamespaces', { root: 'overlays/prod' })) as Array<{
    namespace: string;
  }>;
  assert.deepEqual(
    namespaces.map((n) => n.namespace),
    ['gitlab'],
  );
  const map = (await client.connection.sendRequest('portLens/map', { namespace: 'gitlab', root: 'overlays/prod' })) as PortMap;
  const ssh = map.services.find((s) => s.name === 'gitlab-ssh')!;
  assert.equal(ssh.uri, `file://${dir}/base/gitlab.yaml`);
  const edge = map.edges.find((e) => e.from === 'source:external' && e.to === ssh.ports[0].id)!;
  assert.deepEqual([edge.verdict, edge.findings.map((f) => f.uri)], ['denied', [`file://${dir}/overlays/prod/allow-ssh.yaml`]]);
  await assert.rejects(
    client.connection.sendRequest('portLens/map', { namespace: 'gitlab', root: 'overlays/nope' }),
    (e: { code: number; message: string }) => e.code === -32602 && /overlays\/prod, overlays\/staging/.test(e.message),
  );

  await t.test("the port map lenses in bases and patches: one per root, opening that root's map", async () => {
    const lensesOf = async (file: string) =>
      ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: `file://${dir}/${file}` } })) ?? [])
        .filter((l) => l.command?.command === 'portLens.showPortMap')
        .map((l) => [l.range.start.line, l.command!.title, l.command!.arguments]);
    const prod = ['Show port map of namespace gitlab (overlays/prod)', [{ namespace: 'gitlab', root: 'overlays/prod' }]];
    const staging = [
      'Show port map of namespace gitlab-staging (overlays/staging)',
      [{ namespace: 'gitlab-staging', root: 'overlays/staging' }],
    ];
    // The Namespace object: each root's copy (staging renames it) on the line of its name.
    assert.deepEqual(await lensesOf('base/namespace.yaml'), [
      [3, ...prod],
      [3, ...staging],
    ]);
    // allow-from-all: prod's name is written by its patch, staging's (renamed by namePrefix) stays on the base line.
    const base = await lensesOf('base/networkpolicies.yaml');
    const policies = readFileSync(path.join(dir, 'base/networkpolicies.yaml'), 'utf8').split('\n');
    assert.deepEqual(
      base.filter(([, title]) => title === prod[0]).map(([line]) => policies[line as number].trim()),
      ['name: allow-pgsql-within-same-namespace', 'name: allow-redis-within-same-namespace'],
    );
    assert.ok(base.some(([line, title]) => title === staging[0] && policies[line as number].trim() === 'name: allow-from-all'));
    assert.deepEqual(await lensesOf('overlays/prod/allow-ssh.yaml'), [[4, ...prod]]);
  });

  await t.test("the explain lens above a Service port of the base: one per root, judged and explained in that root's world", async () => {
    const lenses = (
      (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: `file://${dir}/base/gitlab.yaml` } })) ?? []
    ).filter((l) => l.command?.command === 'portLens.explain');
    const lines = readFileSync(path.join(dir, 'base/gitlab.yaml'), 'utf8').split('\n');
    const ssh = lenses.filter((l) => lines[l.range.start.line].trim() === '- name: ssh'); // above the port entry, as in plain files
    assert.deepEqual(
      ssh.map((l) => [l.command!.title, l.command!.arguments]),
      [
        [
          'reachable from: external ✗ (allow-from-all admits 80, 10022 — not 22) (overlays/prod)',
          [{ from: 'external', to: 'gitlab/gitlab-ssh:10022', root: 'overlays/prod' }],
        ],
        [
          'reachable from: external ✓ (staging-allow-from-all ingress rule 1) (overlays/staging)',
          [{ from: 'external', to: 'gitlab-staging/staging-gitlab-ssh:10022', root: 'overlays/staging' }],
        ],
      ],
    );
    const answer = (await client.connection.sendRequest('workspace/executeCommand', {
      command: ssh[0].command!.command,
      arguments: ssh[0].command!.arguments,
    })) as { verdict: string; markdown: string };
    assert.equal(answer.verdict, 'denied');
    assert.match(answer.markdown, /overlays\/prod\/allow-ssh\.yaml#L13\)/, 'the fix on the prod patch line');
  });

  await t.test("an edge clicked in a root's panel is explained in that root's world, links on the base and patch lines", async () => {
    type Answer = { verdict: string; markdown: string };
    const explainIn = (root?: string, to = edge.explain.to) =>
      client.connection.sendRequest('portLens/explain', { from: edge.explain.from, to, ...(root ? { root } : {}) }) as Promise<Answer>;
    const prod = await explainIn('overlays/prod');
    assert.equal(prod.verdict, 'denied');
    const links = [...prod.markdown.matchAll(/\]\(([^)#]+)#L(\d+)\)/g)].map(
      ([, uri, line]) => `${path.relative(dir, uri.slice(7))}:${line}`,
    );
    assert.ok(links.includes('base/gitlab.yaml:5'), `the Deployment on its base line: ${links.join(' ')}`);
    assert.ok(links.includes('overlays/prod/allow-ssh.yaml:5'), `the policy in the prod patch: ${links.join(' ')}`);
    assert.ok(links.includes('overlays/prod/allow-ssh.yaml:13'), `the fix edits the patch's 10022: ${links.join(' ')}`);
    assert.doesNotMatch(prod.markdown, /kustomize:/, 'no link into the built output');
    // staging renames and moves it (namePrefix, namespace) and its patch admits 22.
    assert.equal((await explainIn('overlays/staging', 'gitlab-staging/staging-gitlab-ssh:10022')).verdict, 'allowed');
    // The same through the command the code lenses run ([ExplainParams]).
    const command = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'portLens.explain',
      arguments: [{ ...edge.explain, root: 'overlays/prod' }],
    })) as Answer;
    assert.equal(command.verdict, 'denied');
    // The plain world has no gitlab-ssh (the root's files are not plain manifests): the root is what makes the answer.
    await assert.rejects(explainIn(), (e: { code: number }) => e.code === -32602);
    await assert.rejects(
      explainIn('overlays/nope'),
      (e: { code: number; message: string }) =>
        e.code === -32602 && /portLens\/explain: no Kustomize root "overlays\/nope"/.test(e.message),
    );
  });
});
