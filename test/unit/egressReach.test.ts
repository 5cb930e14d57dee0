import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { EgressReach } from '../../server/src/analysis/index/egressReach';
import { selectorMatches } from '../../server/src/analysis/index/selectors';
import type { LabelSelector, NetworkPolicy } from '../../server/src/model/manifest';
import { parseManifests } from '../../server/src/model/parse';
import { prng } from '../bench/writers';
import { generateProfile, PROFILES } from '../bench/generate';

/** What `reaching` answers, the plain way: every egress peer of every policy, matched on its own. */
function naive(policies: NetworkPolicy[], podLabels: ReadonlyMap<string, string>, namespaceLabels: ReadonlyMap<string, string>) {
  const matches = (s: LabelSelector, labels: ReadonlyMap<string, string>) => selectorMatches(s, labels);
  return policies.filter((p) =>
    p.egress.some((rule) =>
      (rule.peers ?? []).some(
        (peer) =>
          peer.namespaceSelector &&
          peer.podSelector &&
          !peer.ipBlock &&
          matches(peer.namespaceSelector, namespaceLabels) &&
          matches(peer.podSelector, podLabels),
      ),
    ),
  );
}

for (const profile of PROFILES) {
  test(`${profile}: the egress peers grouped by namespace and pod selector reach the policies a plain scan finds, after removals too`, (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-reach-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const ws = generateProfile(profile, path.join(dir, 'ws'), 400);
    const models = ws.files.map((f) => parseManifests(URI.file(f).toString(), readFileSync(f, 'utf8')));
    let policies = models.flatMap((m) => m.policies).filter((p) => p.egress.some((r) => r.peers?.some((peer) => peer.namespaceSelector)));
    const pods = models.flatMap((m) => m.pods);
    const labelSets = [...new Set(models.flatMap((m) => m.namespaces).map((n) => n.labels)), new Map<string, string>()];
    const reach = new EgressReach();
    policies.forEach((p) => reach.add(p));
    const random = prng(5);
    const compare = () => {
      assert.deepEqual(new Set(reach.policies()), new Set(policies));
      for (const pod of pods) {
        for (const labels of labelSets) {
          const found = new Set<NetworkPolicy>();
          reach.reaching(pod, labels, (p) => found.add(p));
          assert.deepEqual(found, new Set(naive(policies, pod.labels, labels)));
        }
      }
    };
    assert.ok(policies.length > 20 && pods.length > 20);
    compare();
    // Remove a third of the policies, add some back: the groups follow.
    const removed = policies.filter(() => random() < 0.33);
    removed.forEach((p) => reach.delete(p));
    policies = policies.filter((p) => !removed.includes(p));
    compare();
    const back = removed.filter(() => random() < 0.5);
    back.forEach((p) => reach.add(p));
    policies = [...policies, ...back];
    compare();
  });
}
