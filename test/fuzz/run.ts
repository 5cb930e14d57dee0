// The big fuzz: `npm run fuzz -- --runs 100000 [--seed N]`. Prints runs, failures and the slowest input.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { anyCase } from './arbitraries';
import { checkCase, type FuzzCase } from './invariants';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() ^ (Math.random() * 0x100000000);
if (!Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed N]\n');
  process.exit(2);
}

const arbitrary = anyCase();
const failures: Array<{ label: string; error: string; files: Record<string, string> }> = [];
let slowest = { ms: 0, label: '', bytes: 0 };
let done = 0;
const started = performance.now();

// First pass: every run executes, failures are counted rather than stopping the run.
fc.check(
  fc.property(arbitrary, (c: FuzzCase) => {
    const t0 = performance.now();
    try {
      checkCase(c);
    } catch (error) {
      failures.push({ label: c.label, error: ((error as Error).stack ?? String(error)).slice(0, 2000), files: c.files });
    }
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, label: c.label, bytes: Object.values(c.files).reduce((n, t) => n + t.length, 0) };
    if (++done % 10000 === 0)
      process.stderr.write(`  ${done}/${runs} runs, ${failures.length} failures, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }),
  { numRuns: runs, seed },
);
const seconds = (performance.now() - started) / 1000;

process.stdout.write(`fuzz: seed ${seed}\n`);
process.stdout.write(
  `fuzz: ${done} runs, ${failures.length} failures in ${seconds.toFixed(1)} s (${((seconds * 1000) / done).toFixed(2)} ms per input)\n`,
);
process.stdout.write(`fuzz: slowest input ${slowest.ms.toFixed(1)} ms (${slowest.bytes} characters): ${slowest.label.slice(0, 300)}\n`);

if (failures.length > 0) {
  for (const f of failures.slice(0, 3)) process.stdout.write(`\nFAILED: ${f.label.slice(0, 500)}\n${f.error}\n`);
  const dump = path.join(tmpdir(), `port-lens-fuzz-failures-${seed}.json`);
  writeFileSync(
    dump,
    JSON.stringify(
      failures
        .slice(0, 20)
        .map((f) => ({
          ...f,
          files: Object.fromEntries(Object.entries(f.files).map(([u, t]) => [u, t.length > 1e6 ? `${t.slice(0, 1e6)}…` : t])),
        })),
      null,
      1,
    ),
  );
  process.stdout.write(`\nthe first failing inputs are in ${dump}\n`);
  // Second pass, same seed: stops at the first failure and shrinks it to a small counterexample.
  const details = fc.check(
    fc.property(arbitrary, (c) => checkCase(c)),
    { numRuns: runs, seed },
  );
  if (details.failed) {
    const [c] = details.counterexample!;
    process.stdout.write(
      `\nshrunk counterexample (${details.numShrinks} shrinks): ${c.label}\n${JSON.stringify(c.files, null, 1)}\n${String(details.errorInstance)}\n`,
    );
  }
  process.exitCode = 1;
}
