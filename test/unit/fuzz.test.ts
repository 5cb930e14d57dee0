// A quick sample of the fuzzer (test/fuzz); `npm run fuzz -- --runs 100000` runs the big one.
import test from 'node:test';
import fc from 'fast-check';
import { mutatedReal, randomYaml, realWorkspaces } from '../fuzz/arbitraries';
import { checkCase } from '../fuzz/invariants';

const workspaces = realWorkspaces();

test('fuzz sample: random YAML never breaks the core or its fixes', () => {
  fc.assert(fc.property(randomYaml, checkCase), { numRuns: 150 });
});

test('fuzz sample: mutated real manifests never break the core or its fixes', () => {
  fc.assert(fc.property(mutatedReal(workspaces), checkCase), { numRuns: 150 });
});

test('every real workspace, unmutated, keeps the properties', () => {
  for (const ws of workspaces) {
    checkCase({ label: ws.name, files: Object.fromEntries(ws.files.map((f) => [`file:///ws/${f.name}`, f.text])), probes: [] });
  }
});
