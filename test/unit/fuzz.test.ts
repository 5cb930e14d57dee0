// A quick sample of the fuzzer (test/fuzz); `npm run fuzz -- --runs 100000` runs the big one.
import test from 'node:test';
import fc from 'fast-check';
import { mutatedReal, randomYaml, realWorkspaces } from '../fuzz/arbitraries';
import { checkCase } from '../fuzz/invariants';

const workspaces = realWorkspaces();

/** A fixed seed keeps the sample the same on every run; PORT_LENS_FUZZ_SEED=N tries another (a failure names it). */
const SEED = Number(process.env.PORT_LENS_FUZZ_SEED ?? 20261203);

test(`fuzz sample: random YAML never breaks the core or its fixes (seed ${SEED})`, (t) => {
  t.diagnostic(`seed ${SEED}: PORT_LENS_FUZZ_SEED=${SEED} npm run test:unit reproduces this sample`);
  fc.assert(fc.property(randomYaml, checkCase), { numRuns: 150, seed: SEED });
});

test(`fuzz sample: mutated real manifests never break the core or its fixes (seed ${SEED})`, (t) => {
  t.diagnostic(`seed ${SEED}: PORT_LENS_FUZZ_SEED=${SEED} npm run test:unit reproduces this sample`);
  fc.assert(fc.property(mutatedReal(workspaces), checkCase), { numRuns: 150, seed: SEED });
});

test('every real workspace, unmutated, keeps the properties', () => {
  for (const ws of workspaces) {
    checkCase({ label: ws.name, files: Object.fromEntries(ws.files.map((f) => [`file:///ws/${f.name}`, f.text])), probes: [] });
  }
});
