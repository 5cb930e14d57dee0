// READ_KEYS is the table of the keys blanking keeps (model/unreadValues.ts): a reader that asks a
// listed mapping for a key the table lacks would read null on the fast path. This test records
// every key the readers ask for while parsing real manifests and fails on any such ask.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { parseManifests, READ_KEYS } from '../../server/src/model/parse';
import { YamlReader } from '../../server/src/model/yamlReader';

const ROOT = path.resolve(__dirname, '../..');
const SOURCES = ['test/corpus/real', 'examples', 'test/fixtures/kustomize', 'test/fixtures/dialect-charts'];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'templates' ? [] : yamlFiles(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}

/** The path of every mapping of a document, in READ_KEYS' notation (`spec.template.spec.containers[]`). */
function mapPaths(contents: unknown): Map<YAMLMap, string> {
  const paths = new Map<YAMLMap, string>();
  const walk = (node: unknown, at: string) => {
    if (isMap(node)) {
      if (paths.has(node)) return;
      paths.set(node, at);
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        walk(pair.value, at ? `${at}.${String(pair.key.value)}` : String(pair.key.value));
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, `${at}[]`);
    }
  };
  walk(contents, '');
  return paths;
}

function kindOf(contents: unknown): string | undefined {
  if (!isMap(contents)) return undefined;
  const kind = contents.get('kind', true) as Node | undefined;
  return isScalar(kind) && typeof kind.value === 'string' ? kind.value : undefined;
}

test('every key a reader asks a listed mapping for is in READ_KEYS (else blanking would hide it)', () => {
  const asks: Array<{ reader: YamlReader; map: YAMLMap; key: string; file: string }> = [];
  let file = '';
  YamlReader.keyAudit = (reader, map, key) => asks.push({ reader, map, key, file });
  const files = SOURCES.flatMap((dir) => yamlFiles(path.join(ROOT, dir)));
  try {
    for (file of files) parseManifests(`file://${file}`, readFileSync(file, 'utf8'));
  } finally {
    YamlReader.keyAudit = undefined;
  }
  assert.ok(files.length > 30, `read ${files.length} files`);
  assert.ok(asks.length > 1000, `recorded ${asks.length} asks`);

  const pathsOf = new Map<YamlReader, Map<YAMLMap, string>>();
  const missing = new Set<string>();
  let checked = 0;
  for (const { reader, map, key, file: where } of asks) {
    const contents = reader.document.contents;
    const kind = kindOf(contents);
    const table = kind === undefined ? undefined : READ_KEYS.get(kind);
    if (!table) continue;
    if (!pathsOf.has(reader)) pathsOf.set(reader, mapPaths(contents));
    const at = pathsOf.get(reader)!.get(map);
    const listed = at === undefined ? undefined : table.get(at);
    if (!listed) continue; // a mapping the table does not list is kept whole
    checked++;
    if (!listed.has(key)) missing.add(`${kind} ${at === '' ? '(root)' : at}: "${key}" (${path.relative(ROOT, where)})`);
  }
  assert.ok(checked > 1000, `checked ${checked} asks of listed mappings`);
  assert.deepEqual([...missing], [], 'keys the readers ask for but READ_KEYS lacks');
});
