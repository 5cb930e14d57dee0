import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { PortLens } from '../../server/src/analysis/portLens';
import { ModelCache } from '../../server/src/cache/modelCache';
import { parseManifests } from '../../server/src/model/parse';
import { splitDocuments } from '../../server/src/model/prefilter';
import { generateWorkspace } from '../bench/generate';

const full = (uri: string, text: string) => parseManifests(uri, text, { everyDocument: true });

/** Findings of the plain way: every document parsed, files added one at a time. */
function plainFindings(files: Array<[string, string]>) {
  const lens = new PortLens();
  for (const [uri, text] of files) lens.setModel(full(uri, text));
  return lens.allFindings();
}

function loadedFindings(models: ReturnType<typeof parseManifests>[]) {
  const lens = new PortLens();
  lens.load(models);
  return lens.allFindings();
}

test('on a generated workspace, the prefilter, the bulk load and the cache (miss and hit) give the findings of a plain full parse', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-fast-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = generateWorkspace(path.join(dir, 'ws'), 200, 7);
  const files = ws.files.map((file): [string, string] => [URI.file(file).toString(), readFileSync(file, 'utf8')]);

  const plain = plainFindings(files);
  assert.ok(ws.planted.length > 0);
  assert.equal(plain.filter((f) => f.severity !== 'information').length, ws.planted.length);

  let skipped = 0;
  for (const [uri, text] of files) {
    assert.deepEqual(parseManifests(uri, text), full(uri, text), uri);
    skipped += splitDocuments(text)?.filter((s) => s.skippable).length ?? 0;
  }
  assert.ok(skipped > 200, `the prefilter leaves documents unparsed (${skipped})`);
  assert.deepEqual(loadedFindings(files.map(([uri, text]) => parseManifests(uri, text))), plain);

  const folder = path.join(dir, 'cache');
  const missing = await ModelCache.open(folder, [dir]);
  assert.deepEqual(loadedFindings(files.map(([uri, text]) => missing.model(uri, text))), plain);
  assert.equal(missing.hits, 0);
  await missing.save();

  const cached = await ModelCache.open(folder, [dir]);
  assert.deepEqual(loadedFindings(files.map(([uri, text]) => cached.model(uri, text))), plain);
  assert.equal(cached.misses, 0);
  assert.equal(cached.hits, files.length);
});

test('two files with the same content get models of their own from the cache', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: 8080}]}\n';
  const first = await ModelCache.open(dir, ['/ws']);
  first.model('file:///ws/a.yaml', text);
  await first.save();
  const cache = await ModelCache.open(dir, ['/ws']);
  const a = cache.model('file:///ws/a.yaml', text);
  const b = cache.model('file:///ws/b.yaml', text);
  assert.equal(cache.hits, 2);
  assert.notEqual(a.services[0], b.services[0]);
  assert.equal(a.services[0].ref.uri, 'file:///ws/a.yaml');
  assert.equal(b.services[0].ref.uri, 'file:///ws/b.yaml');
  assert.equal(b.uri, 'file:///ws/b.yaml');
  assert.deepEqual(b, full('file:///ws/b.yaml', text));
});

test('a cache written by another format, or unreadable, is ignored', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await ModelCache.open(dir, ['/ws']);
  first.model('file:///ws/a.yaml', 'kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n');
  await first.save();
  const [pack] = readdirSync(dir);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(dir, pack), 'not a pack');
  const cache = await ModelCache.open(dir, ['/ws']);
  assert.equal(cache.model('file:///ws/a.yaml', 'kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n').namespaces.length, 1);
  assert.equal(cache.misses, 1);
});

/** Documents whose kind cannot be read from their lines alone: they must be parsed, and agree with the full parse. */
const TRICKY: Record<string, string> = {
  'indented top level': '---\n  apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec: {selector: {a: b}, ports: [{port: 1, targetPort: 2}]}\n',
  'flow top level': '{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\n',
  'quoted kind key': '"kind": Namespace\napiVersion: v1\nmetadata: {name: q}\n',
  'kind over two lines': 'apiVersion: v1\nkind: Pod\n  List\nitems: []\n',
  'kind as an alias': 'x: &k Namespace\napiVersion: v1\nkind: *k\nmetadata: {name: alias}\n',
  'kind with a tag': 'apiVersion: v1\nkind: !!str Namespace\nmetadata: {name: tagged}\n',
  'root block scalar': '--- |\nkind: Deployment\n',
  'directive': '%YAML 1.2\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: d}\n',
  'end marker': 'apiVersion: v1\nkind: ConfigMap\n...\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: e}\n',
  'two kinds': 'apiVersion: v1\nkind: ConfigMap\nkind: Namespace\nmetadata: {name: two}\n',
  'merge key': '<<: {kind: Namespace}\napiVersion: v1\nmetadata: {name: m}\n',
  'broken Deployment': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [x\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n',
  'broken ConfigMap': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: x\n\tb: 1\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: after}\n',
  'unclosed quote runs on': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "x\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: swallowed}\n',
  'comment before the first marker': '# header\n---\n# Source: chart/templates/ns.yaml\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\napiVersion: v1\nkind: ConfigMap\n',
  'ConfigMap with bad metadata': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [1, 2]\n',
  'compact list at column 0': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nsubjects:\n- kind: ServiceAccount\n  name: x\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: listed}\n',
  'CRLF and comments': '# Source: chart/templates/svc.yaml\r\napiVersion: v1\r\nkind: ConfigMap # not read\r\ndata: {}\r\n---\r\n# Source: chart/templates/ns.yaml\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: crlf}\r\n',
};

test('documents the prefilter cannot read are parsed, with the same result as a full parse', () => {
  for (const [name, text] of Object.entries(TRICKY)) {
    assert.deepEqual(parseManifests('file:///t.yaml', text), full('file:///t.yaml', text), name);
  }
  const model = (name: string) => parseManifests('file:///t.yaml', TRICKY[name]);
  assert.equal(model('indented top level').services.length, 1);
  assert.equal(model('flow top level').namespaces.length, 1);
  assert.equal(model('kind as an alias').namespaces.length, 1);
  assert.equal(model('compact list at column 0').namespaces[0].ref.name, 'listed');
  assert.equal(model('CRLF and comments').namespaces[0].ref.helmSource, 'chart/templates/ns.yaml');
  // A broken document of a kind the analysis reads is reported; a broken ConfigMap is left to YAML tools.
  assert.deepEqual(model('broken Deployment').errors.map((e) => e.kind), ['syntax']);
  assert.deepEqual(model('broken ConfigMap').errors, []);
  assert.equal(model('broken ConfigMap').namespaces[0].ref.name, 'after');
  assert.deepEqual(model('ConfigMap with bad metadata').errors, []);
  // yaml reads an unclosed quote on over the next `---`: the Namespace is part of the broken ConfigMap.
  assert.deepEqual(model('unclosed quote runs on').namespaces, []);
  assert.equal(model('unclosed quote runs on').errors.length, 1);
});

test('the real charts of the corpus read the same with and without the prefilter', () => {
  const corpus = path.resolve(__dirname, '../../../shared/corpus');
  if (!existsSync(corpus)) return;
  const yamlFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
    });
  for (const file of yamlFiles(corpus)) {
    const uri = URI.file(file).toString();
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(parseManifests(uri, text), full(uri, text), file);
  }
});
