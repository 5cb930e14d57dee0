/**
 * The Kustomize part of `npm run bench` (also alone: `node --import tsx test/bench/kustomize.ts`):
 * 50 roots of 20 files each (a base of 18 files and an overlay of 2, with one mistake planted in
 * every overlay's patch). Measures `port-lens check` (scan, 50 builds, analysis, report) against
 * `kubectl kustomize` alone on the same roots at the same parallelism; target: at most 2×.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KUBECTL } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const ROOTS = 50;
const SERVICES = 5; // 3 files each (Deployment, Service, NetworkPolicy): 15, a Namespace, a ConfigMap, the kustomization

/** Writes the workspace; answers the root folders. */
export function generateKustomizeWorkspace(dir: string): string[] {
  const roots: string[] = [];
  for (let a = 0; a < ROOTS; a++) {
    const app = path.join(dir, `app-${String(a).padStart(2, '0')}`);
    const base = path.join(app, 'base');
    const prod = path.join(app, 'overlays', 'prod');
    mkdirSync(base, { recursive: true });
    mkdirSync(prod, { recursive: true });
    const resources: string[] = ['namespace.yaml', 'config.yaml'];
    writeFileSync(path.join(base, 'namespace.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app-${a}\n`);
    writeFileSync(path.join(base, 'config.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n`);
    for (let s = 0; s < SERVICES; s++) {
      const name = `svc-${s}`;
      const port = 8000 + s;
      writeFileSync(
        path.join(base, `${name}-deployment.yaml`),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: main\n          image: example/${name}:1.0\n          ports:\n            - name: http\n              containerPort: ${port}\n`,
      );
      writeFileSync(
        path.join(base, `${name}-service.yaml`),
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: ${port}\n`,
      );
      writeFileSync(
        path.join(base, `${name}-policy.yaml`),
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  podSelector:\n    matchLabels:\n      app: ${name}\n  ingress:\n    - ports:\n        - port: ${port}\n`,
      );
      resources.push(`${name}-deployment.yaml`, `${name}-service.yaml`, `${name}-policy.yaml`);
    }
    writeFileSync(path.join(base, 'kustomization.yaml'), `resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`);
    writeFileSync(
      path.join(prod, 'kustomization.yaml'),
      `resources:\n  - ../../base\nnamespace: app-${a}\nnamePrefix: prod-\nlabels:\n  - pairs:\n      env: prod\n    includeSelectors: true\npatches:\n  - path: policy.yaml\n`,
    );
    // The planted mistake: the Service port where the pod port belongs.
    writeFileSync(
      path.join(prod, 'policy.yaml'),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: svc-0\nspec:\n  ingress:\n    - ports:\n        - port: 80\n`,
    );
    roots.push(prod);
  }
  return roots;
}

/** `kubectl kustomize` on every root, as many at a time as there are cores; wall milliseconds. */
async function kubectlAlone(roots: string[], home: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < roots.length) {
      const root = roots[next++];
      await new Promise<void>((resolve, reject) => {
        const child = spawn(KUBECTL, ['kustomize', root], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: { PATH: process.env.PATH, HOME: home },
        });
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl kustomize ${root}: exit ${code}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(roots.length, os.availableParallelism()) }, worker));
  return performance.now() - started;
}

function portLensCheck(dir: string, cacheHome: string): { ms: number; findings: Array<{ file: string; code: string }> } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, 'check', dir, '--kubectl', KUBECTL, '--no-cache', '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  });
  const ms = performance.now() - started;
  if (result.status !== 1) throw new Error(`port-lens check exited ${result.status}: ${result.stderr}`);
  return { ms, findings: JSON.parse(result.stdout) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the Kustomize benchmark; answers its Markdown table. */
export async function kustomizeBench(log: (message: string) => void = (m) => process.stdout.write(`${m}\n`)): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'port-lens-bench-kustomize-'));
  try {
    const roots = generateKustomizeWorkspace(path.join(dir, 'ws'));
    const home = path.join(dir, 'home');
    mkdirSync(home);
    await kubectlAlone(roots, home); // warms the file cache and the binary
    const alone: number[] = [];
    const ours: number[] = [];
    let findings: Array<{ file: string; code: string }> = [];
    for (let i = 0; i < 3; i++) {
      alone.push(await kubectlAlone(roots, home));
      const run = portLensCheck(path.join(dir, 'ws'), path.join(dir, 'cache'));
      ours.push(run.ms);
      findings = run.findings;
    }
    const planted = findings.filter((f) => f.code === 'netpol-port-unmatched' && f.file.endsWith('/overlays/prod/policy.yaml')).length;
    if (planted !== ROOTS || findings.length !== ROOTS)
      throw new Error(`expected ${ROOTS} findings on the patches, got ${planted} of ${findings.length}`);
    const ratio = median(ours) / median(alone);
    const text = [
      `### Kustomize: ${ROOTS} roots of 20 files`,
      '',
      '| measure | value | target |',
      '| --- | --- | --- |',
      `| \`kubectl kustomize\` alone, ${ROOTS} roots, ${Math.min(ROOTS, os.availableParallelism())} at a time (median of 3) | ${median(alone).toFixed(0)} ms | |`,
      `| \`port-lens check\` (scan, builds, analysis, report; median of 3) | ${median(ours).toFixed(0)} ms | |`,
      `| ratio | ${ratio.toFixed(2)}× | ≤ 2× ${ratio <= 2 ? '✓' : '✗'} |`,
      `| findings on the planted patch lines | ${planted}/${ROOTS} | all |`,
      '',
    ].join('\n');
    log(text);
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  kustomizeBench().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
