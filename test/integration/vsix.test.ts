import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

test('the VSIX ships docs/rules.md (the rule links of diagnostics open it) beside the bundles', () => {
  // `vsce ls` lists exactly what `vsce package` puts in the VSIX, by the rules of .vscodeignore.
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of ['docs/rules.md', 'dist/extension.js', 'dist/server.js', 'package.json', 'README.md']) {
    assert.ok(files.includes(file), `${file} in ${files.join(', ')}`);
  }
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('server/src/')), 'no sources or tests');
});
