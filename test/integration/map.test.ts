import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The Mermaid link from the node labelled `from…` to the node labelled `to…`, with its label and its linkStyle colour. */
function mermaidLink(mermaid: string, from: RegExp, to: RegExp): { label: string; colour: string } | undefined {
  const lines = mermaid.split('\n');
  const idOf = (label: RegExp) => lines.map((l) => /^\s+(\w+)(?:\(\[|\[)"(.*)"\]\)?$/.exec(l)).find((m) => m && label.test(m[2]))?.[1];
  const [a, b] = [idOf(from), idOf(to)];
  const links = lines.filter((l) => /^\s+\w+ (-->|-\.->)/.test(l));
  const index = links.findIndex((l) => new RegExp(`^\\s+${a} (-->|-\\.->)(\\|"(.*)"\\|)? ${b}$`).test(l));
  if (index < 0) return undefined;
  const label = /\|"(.*)"\|/.exec(links[index])?.[1] ?? '';
  const colour = new RegExp(`linkStyle ${index} stroke:(#\\w+)`).exec(mermaid)?.[1] ?? '';
  return { label, colour };
}

const RED = '#cf222e';
const GREEN = '#1a7f37';

test('the story in Mermaid: external → gitlab-ssh 10022 → 22 on Deployment gitlab, red, naming allow-from-all; green after check --fix', (t) => {
  const { code, stdout } = run(['map', 'examples/gitlab', '--format', 'mermaid']);
  assert.equal(code, 0);
  assert.match(stdout, /^flowchart LR\n/);
  assert.match(stdout, /subgraph \w+ \["Deployment gitlab · policy allow-from-all"\]\n\s+\w+\["ssh 22\/TCP · gitlab"\]/);
  assert.deepEqual(mermaidLink(stdout, /^external/, /^ssh 10022\/TCP → 22$/), { label: '✗ allow-from-all ⚠', colour: RED });
  assert.deepEqual(mermaidLink(stdout, /^ssh 10022\/TCP → 22$/, /^ssh 22\/TCP · gitlab$/), { label: '✗ allow-from-all ⚠', colour: RED });

  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-map-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, 'examples/gitlab'), path.join(dir, 'gitlab'), { recursive: true });
  assert.equal(run(['check', '--fix', 'gitlab'], dir).code, 0);
  const fixed = run(['map', 'gitlab', '--format', 'mermaid'], dir).stdout;
  assert.deepEqual(mermaidLink(fixed, /^external/, /^ssh 10022\/TCP → 22$/), { label: '✓ allow-from-all', colour: GREEN });
  assert.deepEqual(mermaidLink(fixed, /^ssh 10022\/TCP → 22$/, /^ssh 22\/TCP · gitlab$/), { label: '', colour: GREEN });
});

test('examples/shop: the Ingress and the HTTPRoute are sources, their slips red edges to the Service in every format; green after --fix', (t) => {
  const mermaid = run(['map', 'examples/shop', '--format', 'mermaid']).stdout;
  const idOf = (label: string) => new RegExp(`^\\s+(?:subgraph )?(\\w+)(?:>|\\(\\[|\\[| \\[)"${label}"`, 'm').exec(mermaid)?.[1];
  const [ingress, route, api, web] = ['Ingress web', 'HTTPRoute storefront', 'Service api · ClusterIP', 'Service web · ClusterIP'].map(
    idOf,
  );
  assert.ok(ingress && route && api && web, mermaid);
  assert.match(mermaid, new RegExp(`^\\s+${ingress} -->\\|"shop.example.com/api ✗ Service api has no port 8080 ⚠"\\| ${api}$`, 'm'));
  assert.match(mermaid, new RegExp(`^\\s+${route} -->\\|"/ ✗ Service web has no port 3000 ⚠"\\| ${web}$`, 'm'));

  const dot = run(['map', 'examples/shop', '--format', 'dot']).stdout;
  assert.match(dot, /"0:source:Ingress\/shop\/web" \[label="Ingress web", shape=cds, color="#bf8700", penwidth=2\];/);
  assert.match(
    dot,
    /"0:source:Ingress\/shop\/web" -> "0:Service\/api" \[label="shop.example.com\/api ✗ Service api has no port 8080 ⚠", color="#cf222e"/,
  );

  const html = run(['map', 'examples/shop', '--format', 'html']).stdout;
  assert.match(
    html,
    /<tr><td>Ingress web<\/td><td>Service api<\/td><td class="denied">shop.example.com\/api ✗ Service api has no port 8080 ⚠<\/td>/,
  );
  assert.match(html, /<tr><td>HTTPRoute storefront<\/td><td><code>examples\/shop\/routing.yaml:\d+<\/code><\/td><\/tr>/);
  assert.match(html, /<g class="node source router" data-node="source:Ingress\/shop\/web"/);

  type Json = Array<{
    sources: Array<{ id: string; kind: string; name: string; router?: { kind: string; file: string; findings: Array<{ code: string }> } }>;
    edges: Array<{ kind: string; from: string; to: string; verdict: string; backend?: string; explain: { to: string } }>;
  }>;
  const [json] = JSON.parse(run(['map', 'examples/shop', '--format', 'json']).stdout) as Json;
  assert.deepEqual(
    json.sources
      .filter((s) => s.kind === 'router')
      .map((s) => [s.id, s.name, s.router?.kind, s.router?.file, s.router?.findings.map((f) => f.code)]),
    [
      [
        'source:HTTPRoute/shop/storefront',
        'shop/HTTPRoute/storefront',
        'HTTPRoute',
        'examples/shop/routing.yaml',
        ['backend-port-unmatched'],
      ],
      ['source:Ingress/shop/web', 'shop/Ingress/web', 'Ingress', 'examples/shop/routing.yaml', ['backend-port-unmatched']],
    ],
  );
  const routes = (map: Json[number]) => map.edges.filter((e) => e.kind === 'route').map((e) => [e.from, e.to, e.verdict, e.explain.to]);
  assert.deepEqual(routes(json), [
    ['source:Ingress/shop/web', 'Service/api', 'denied', 'shop/Ingress/web:shop.example.com/api'],
    ['source:HTTPRoute/shop/storefront', 'Service/web', 'denied', 'shop/HTTPRoute/storefront:/'],
  ]);

  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-map-shop-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(ROOT, 'examples/shop'), path.join(dir, 'shop'), { recursive: true });
  assert.equal(run(['check', '--fix', 'shop'], dir).code, 0);
  const [fixed] = JSON.parse(run(['map', 'shop', '--format', 'json'], dir).stdout) as Json;
  assert.deepEqual(routes(fixed), [
    ['source:Ingress/shop/web', 'Service/api:80/TCP', 'allowed', 'shop/Ingress/web:shop.example.com/api'],
    ['source:HTTPRoute/shop/storefront', 'Service/web:80/TCP', 'allowed', 'shop/HTTPRoute/storefront:/'],
  ]);
});

test('--format dot: a Graphviz digraph with clusters and coloured edges', () => {
  const { code, stdout } = run(['map', 'examples/gitlab', '--namespace', 'gitlab', '--format', 'dot']);
  assert.equal(code, 0);
  assert.match(stdout, /^digraph "port map of namespace gitlab" \{\n\s+rankdir=LR;/);
  assert.match(stdout, /subgraph "cluster_0_Service\/gitlab-ssh" \{\n\s+label="Service gitlab-ssh \(LoadBalancer\)";/);
  assert.match(stdout, /"0:source:external" -> "0:Service\/gitlab-ssh:10022\/TCP" \[label="✗ allow-from-all ⚠", color="#cf222e"/);
  assert.match(
    stdout,
    /"0:Service\/gitlab-ssh:10022\/TCP" -> "0:Deployment\/gitlab:gitlab:22\/TCP" \[label="✗ allow-from-all ⚠", color="#cf222e"/,
  );
  assert.equal(stdout.split('{').length, stdout.split('}').length);
  assert.match(stdout, /\}\n$/);
});

test('--format html: one self-contained file, nothing fetched, the SVG and the paths table', () => {
  const { code, stdout } = run(['map', 'examples/gitlab', '--format', 'html']);
  assert.equal(code, 0);
  assert.match(stdout, /^<!DOCTYPE html>/);
  assert.doesNotMatch(stdout, /<script|<link|<img|<iframe|@import|url\(\s*["']?https?:/i);
  assert.doesNotMatch(stdout, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.match(stdout, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  assert.match(stdout, /<svg [^>]*class="port-map"/);
  assert.match(stdout, /<g class="edge reach denied has-finding" data-edge="source:external-&gt;Service\/gitlab-ssh:10022\/TCP"/);
  assert.match(
    stdout,
    /<tr><td>external \(outside the cluster\)<\/td><td>Service gitlab-ssh ssh 10022\/TCP<\/td><td class="denied">✗ allow-from-all ⚠<\/td><td>allow-from-all admits 80, 10022 — not 22<\/td><\/tr>/,
  );
  assert.match(stdout, /<code>examples\/gitlab\/networkpolicies\.yaml:55<\/code><\/td><td>warning<\/td><td><code>netpol-port-unmatched/);
});

test('--format json: the documented shape, with files relative to the current directory', () => {
  const { code, stdout } = run(['map', 'examples/gitlab', '--format', 'json']);
  assert.equal(code, 0);
  const maps = JSON.parse(stdout);
  assert.equal(maps.length, 1);
  const [map] = maps;
  assert.deepEqual(Object.keys(map), ['version', 'namespace', 'sources', 'services', 'pods', 'policies', 'edges']);
  assert.equal(map.version, 1);
  assert.equal(map.namespace, 'gitlab');
  assert.deepEqual(
    map.sources.map((s: { name: string }) => s.name),
    ['external', 'gitlab/*'],
  );
  const ssh = map.services.find((s: { name: string }) => s.name === 'gitlab-ssh');
  assert.deepEqual([ssh.type, ssh.file, ssh.nameRange.start.line], ['LoadBalancer', 'examples/gitlab/gitlab.yaml', 29]);
  assert.deepEqual(Object.keys(ssh.ports[0]), [
    'id',
    'label',
    'name',
    'port',
    'protocol',
    'targetPort',
    'destination',
    'file',
    'range',
    'reach',
    'refs',
    'findings',
  ]);
  assert.deepEqual(ssh.ports[0].reach, { external: 'denied', namespace: 'denied' });
  const pod = map.pods.find((p: { name: string }) => p.name === 'gitlab');
  assert.deepEqual(
    [pod.kind, pod.file, pod.nameRange.start.line, pod.policies],
    ['Deployment', 'examples/gitlab/gitlab.yaml', 4, ['NetworkPolicy/allow-from-all']],
  );
  const edge = map.edges.find((e: { from: string; to: string }) => e.from === 'source:external');
  assert.deepEqual(Object.keys(edge), ['id', 'kind', 'from', 'to', 'verdict', 'policies', 'reason', 'explain', 'findings']);
  assert.deepEqual(
    [edge.to, edge.verdict, edge.policies, edge.explain],
    [ssh.ports[0].id, 'denied', ['allow-from-all'], { from: 'external', to: 'gitlab/gitlab-ssh:10022' }],
  );
  assert.deepEqual(
    edge.findings.map((f: { file: string; code: string; range: { start: { line: number } } }) => [f.file, f.code, f.range.start.line]),
    [['examples/gitlab/networkpolicies.yaml', 'netpol-port-unmatched', 54]],
  );
  assert.doesNotMatch(stdout, /"uri"/);
});

test('bad arguments exit 2: an unknown namespace (naming the known ones), an unknown format, a missing path', () => {
  const unknown = run(['map', 'examples/gitlab', '--namespace', 'gitlba']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no namespace "gitlba" in the workspace \(namespaces: gitlab\)/);
  assert.equal(run(['map', 'examples/gitlab', '--format', 'svg']).code, 2);
  assert.equal(run(['map', 'no/such/dir']).code, 2);
  const help = run(['map', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: port-lens map \[PATH…\] \[--namespace NS\] \[--root ROOT\] \[--format mermaid\|dot\|html\|json\]/);
});

test("--root overlays/prod draws that Kustomize root's world, each node on the base or patch line that wrote it", () => {
  const KUBECTL = path.join(ROOT, 'node_modules/.cache/kubectl/kubectl');
  const args = ['map', 'examples/gitlab-kustomize', '--kubectl', KUBECTL, '--format', 'json'];
  const prod = run([...args, '--root', 'overlays/prod']);
  assert.equal(prod.code, 0, prod.stderr);
  const [map] = JSON.parse(prod.stdout);
  const ssh = map.services.find((s: { name: string }) => s.name === 'gitlab-ssh');
  assert.equal(ssh.file, 'examples/gitlab-kustomize/base/gitlab.yaml');
  const edge = map.edges.find((e: { from: string; to: string }) => e.from === 'source:external' && e.to === ssh.ports[0].id);
  assert.deepEqual([edge.verdict, edge.policies], ['denied', ['allow-from-all']]);
  assert.deepEqual(
    edge.findings.map((f: { file: string; code: string }) => [f.file, f.code]),
    [['examples/gitlab-kustomize/overlays/prod/allow-ssh.yaml', 'netpol-port-unmatched']],
  );
  assert.doesNotMatch(prod.stdout, /"file": "[^"]*(port-lens|tmp)[^"]*kustomiz/);
  const unknown = run([...args, '--root', 'overlays/nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no such Kustomize root \(the roots are overlays\/prod, overlays\/staging\)/);
});
