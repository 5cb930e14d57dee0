import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

test('the index does not grow when the same file is edited 10 000 times', (t) => {
  const probe = path.resolve(__dirname, '../memory/editLoop.ts');
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe, '10000'], {
    encoding: 'utf8',
    cwd: path.resolve(__dirname, '../..'),
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  // back to the example's own objects: nothing of the 10 000 versions is left in the index
  assert.deepEqual([result.files, result.policies, result.pods], [5, 3, 3]);
  const growth = result.after - result.before;
  t.diagnostic(
    `heap after warm-up ${(result.before / 1e6).toFixed(2)} MB, after 10 000 more edits ${(result.after / 1e6).toFixed(2)} MB (${growth >= 0 ? '+' : ''}${(growth / 1e6).toFixed(3)} MB)`,
  );
  assert.ok(growth < 5 * 1024 * 1024, `the heap grew by ${growth} bytes`);
});
