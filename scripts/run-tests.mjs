// Runs node's test runner over the *.test.ts files of the given folders, with everything a test
// writes kept inside one fresh temporary folder (TMPDIR and XDG_CACHE_HOME point into it), which
// is removed afterwards: a test run leaves nothing in the user's home or cache.
//   node scripts/run-tests.mjs [--concurrency=N] FOLDER…
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const folders = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const files = folders.flatMap((folder) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(folder, name)),
);
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts in ${folders.join(', ') || '(no folder given)'}`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'port-lens-tests-'));
const cache = join(scratch, 'cache');
mkdirSync(cache);
const concurrency = flags.find((flag) => flag.startsWith('--concurrency='));
const args = ['--import', 'tsx', '--test', ...(concurrency ? [`--test-concurrency=${concurrency.split('=')[1]}`] : []), ...files];
const result = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch, XDG_CACHE_HOME: cache },
});
rmSync(scratch, { recursive: true, force: true });
process.exit(result.status ?? 1);
