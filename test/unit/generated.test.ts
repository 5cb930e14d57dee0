import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULE_CODES } from '../../server/src/analysis/rules/registry';
import { generatedFiles } from '../../scripts/generate';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

test('package.json, README.md and docs/rules.md are what npm run generate makes of the rule registry', () => {
  for (const { file, text } of generatedFiles(ROOT)) {
    assert.ok(read(file) === text, `${file} disagrees with server/src/analysis/rules/registry.ts: run npm run generate`);
  }
});

test('every rule code, and no other, has a severity setting, a section of docs/rules.md and a row of the README', () => {
  const codes = [...RULE_CODES].sort();
  const severity = JSON.parse(read('package.json')).contributes.configuration.properties['portLens.severity'];
  assert.deepEqual(Object.keys(severity.properties).sort(), codes);
  assert.ok(severity.properties['helm-render-failed'], 'helm-render-failed can be configured');
  const sections = [...read('docs/rules.md').matchAll(/^## ([a-z]+(?:-[a-z]+)+)$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(sections, codes);
  const readme = [...read('README.md').matchAll(/^\| \[`([a-z-]+)`\]\(docs\/rules\.md#\1\) \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(readme, codes);
});
