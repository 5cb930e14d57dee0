// Run with --expose-gc by test/integration/memory.test.ts: edits one file of a workspace 10 000
// times and prints the heap before and after as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PortLens } from '../../server/src/analysis/portLens';

const EXAMPLE = path.resolve(__dirname, '../../examples/gitlab');
const EDITS = Number(process.argv[2] ?? 10_000);
const gc =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    throw new Error('run with --expose-gc');
  });

const lens = new PortLens();
for (const name of readdirSync(EXAMPLE)) lens.setFile(`file:///ws/${name}`, readFileSync(path.join(EXAMPLE, name), 'utf8'));
const uri = 'file:///ws/networkpolicies.yaml';
const original = readFileSync(path.join(EXAMPLE, 'networkpolicies.yaml'), 'utf8');

/** Every edit names new namespaces, labels and ports, so that anything keyed by them and never dropped would pile up. */
function edited(i: number): string {
  return `${original.replace('port: 10022', `port: ${10000 + (i % 50000)}`)}---
apiVersion: v1
kind: Namespace
metadata: {name: ns-${i}, labels: {team: t-${i}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d-${i}, namespace: ns-${i}}
spec:
  template:
    metadata: {labels: {app: a-${i}, edit: e-${i}}}
    spec: {containers: [{name: c, ports: [{containerPort: ${1 + (i % 60000)}, name: p-${i % 1000}}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-${i}, namespace: ns-${i}}
spec:
  podSelector: {matchLabels: {app: a-${i}}}
  egress: [{to: [{namespaceSelector: {matchLabels: {team: t-${i}}}}], ports: [{port: ${(i % 65535) + 1}}]}]
`;
}

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

for (let i = 0; i < 1000; i++) lens.setFile(uri, edited(i)); // warm-up: code compiled, caches filled
lens.findings(uri);
const before = heap();
for (let i = 1000; i < 1000 + EDITS; i++) lens.setFile(uri, edited(i));
lens.setFile(uri, original);
const after = heap();
process.stdout.write(
  JSON.stringify({
    edits: EDITS,
    before,
    after,
    files: lens.index.fileCount,
    policies: lens.index.allPolicies().length,
    pods: lens.index.allPods().length,
  }) + '\n',
);
