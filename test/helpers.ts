import { PortLens } from '../server/src/analysis/portLens';
import type { Finding } from '../server/src/analysis/rules/findings';

export const uriOf = (name: string) => `file:///ws/${name}`;

/** A workspace of in-memory files. */
export function lensOf(files: Record<string, string>): PortLens {
  const lens = new PortLens();
  for (const [name, text] of Object.entries(files)) lens.setFile(uriOf(name), text);
  return lens;
}

export function findingsOf(files: Record<string, string>): Finding[] {
  return lensOf(files).allFindings();
}

/** The text a finding's range covers. */
export function textAt(text: string, finding: { range: Finding['range'] }): string {
  const lines = text.split('\n');
  const { start, end } = finding.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join(
    '\n',
  );
}

export interface WorkloadOptions {
  /** Deployment unless said (a Job is `batch/v1`). */
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
  /** More containers after `main`, as `container(…)` items. */
  containers?: string;
  /** Init containers, as `container(…)` items. */
  initContainers?: string;
}

/** A workload whose one container `main` declares `ports` (a flow sequence, or block items starting on a new line). */
export const workload = (name: string, labels: string, ports: string, ns = 'app', options: WorkloadOptions = {}) => {
  const { kind = 'Deployment', containers = '', initContainers = '' } = options;
  return `apiVersion: ${kind === 'Job' ? 'batch/v1' : 'apps/v1'}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  template:
    metadata:
      labels: ${labels}
    spec:
${initContainers === '' ? '' : `      initContainers:\n${initContainers}`}      containers:
        - name: main
          image: example
          ports: ${ports}
${containers}`;
};

/** An item of `containers` or `initContainers` for `workload`. */
export const container = (name: string, ports: string) => `        - name: ${name}
          image: example
          ports: ${ports}
`;

export const deployment = (name: string, labels: string, ports: string, ns = 'app') => workload(name, labels, ports, ns);

export const service = (name: string, selector: string, ports: string, ns = 'app', type = 'ClusterIP') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: ${type}
  selector: ${selector}
  ports: ${ports}
`;

const networkPolicy = (name: string, podSelector: string, rules: string, ns: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  podSelector: ${podSelector}
${rules}`;

export const policy = (name: string, podSelector: string, ingress: string, ns = 'app') =>
  networkPolicy(name, podSelector, `  ingress: ${ingress}\n`, ns);

export const egressPolicy = (name: string, podSelector: string, egress: string, ns = 'app') =>
  networkPolicy(name, podSelector, `  policyTypes: [Egress]\n  egress: ${egress}\n`, ns);

/** The helm binary `npm ci` extracts for tests (scripts/extract-tools.mjs). */
export const HELM = require('node:path').resolve(__dirname, '../node_modules/.cache/helm/helm') as string;

/** The kubectl binary `npm ci` extracts for tests (scripts/extract-tools.mjs). */
export const KUBECTL = require('node:path').resolve(__dirname, '../node_modules/.cache/kubectl/kubectl') as string;
