import test from 'node:test';
import assert from 'node:assert/strict';
import { PortLens } from '../../server/src/analysis/portLens';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { FileModel } from '../../server/src/model/manifest';
import type { Finding } from '../../server/src/analysis/rules/findings';
import { parseManifests } from '../../server/src/model/parse';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';
import { generateProfile, PROFILES } from '../bench/generate';

const files = {
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}]'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]'),
  'np.yaml': policy('allow', '{matchLabels: {name: gitlab}}', '[{ports: [{port: 10022}]}]'),
  'other.yaml': deployment('other', '{name: other}', '[{containerPort: 1}]', 'elsewhere'),
};

const warnings = (lens: PortLens, name: string) => lens.findings(uriOf(name)).filter((f) => f.severity === 'warning').length;

test("an edit in another file changes the policy's findings, and says which files changed", () => {
  const lens = lensOf(files);
  assert.equal(warnings(lens, 'np.yaml'), 1);
  // the container now serves 10022 itself: the entry is right
  const changed = lens.setFile(uriOf('deploy.yaml'), files['deploy.yaml'].replace('containerPort: 22', 'containerPort: 10022'));
  assert.deepEqual([...changed].sort(), [uriOf('deploy.yaml'), uriOf('np.yaml'), uriOf('svc.yaml')].sort());
  assert.equal(warnings(lens, 'np.yaml'), 0);
  // an edit in an unrelated namespace touches nothing else
  assert.deepEqual([...lens.setFile(uriOf('other.yaml'), files['other.yaml'].replace('1}', '2}'))], [uriOf('other.yaml')]);
});

test('removing the Service turns the warning into the softer "undeclared number"', () => {
  const lens = lensOf(files);
  const changed = lens.removeFile(uriOf('svc.yaml'));
  assert.ok(changed.has(uriOf('np.yaml')));
  assert.equal(warnings(lens, 'np.yaml'), 0);
  assert.equal(lens.findings(uriOf('np.yaml'))[0].severity, 'information');
  assert.deepEqual(lens.findings(uriOf('svc.yaml')), []);
});

/** Applies each step (a file's new text, or undefined to remove it) to `lens`; after each, its findings are a fresh lens's. */
function assertStepsMatchFresh(lens: PortLens, files: Record<string, string>, steps: Array<[string, string | undefined]>): void {
  const current = { ...files };
  for (const [name, text] of steps) {
    if (text === undefined) {
      lens.removeFile(uriOf(name));
      delete current[name];
    } else {
      lens.setFile(uriOf(name), text);
      current[name] = text;
    }
    assert.deepEqual(lens.allFindings(), lensOf(current).allFindings(), `after editing ${name}`);
  }
}

test('incremental results equal a fresh analysis after any sequence of edits', () => {
  const lens = lensOf(files);
  const steps: Array<[string, string | undefined]> = [
    ['np.yaml', files['np.yaml'].replace('10022', '22')],
    ['deploy.yaml', undefined],
    ['np.yaml', files['np.yaml']],
    ['deploy.yaml', files['deploy.yaml']],
    ['svc.yaml', files['svc.yaml'].replace('targetPort: 22', 'targetPort: ssh')],
  ];
  assertStepsMatchFresh(lens, files, steps);
});

/** Seeded edits of the values the checks read in generated workspaces; after each, the incremental state equals a fresh load. */
for (const profile of PROFILES) {
  test(`${profile} workspace: after seeded random edits, removals and restores, the incremental findings equal a fresh load`, (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-incremental-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const ws = generateProfile(profile, path.join(dir, 'ws'), profile === 'port-heavy' ? 130 : 200);
    const original = new Map(ws.files.map((file) => [URI.file(file).toString(), readFileSync(file, 'utf8')]));
    const models = new Map<string, FileModel>();
    const modelOf = (uri: string, text: string) => {
      const key = `${uri}\n${text}`;
      let model = models.get(key);
      if (!model) models.set(key, (model = parseManifests(uri, text)));
      return model;
    };
    const current = new Map(original);
    const lens = new PortLens();
    lens.load([...current].map(([uri, text]) => modelOf(uri, text)));
    // The pods a selector picks come in the order the files were indexed, which edits change: related locations are compared as sets.
    const related = (f: Finding) => ({
      ...f,
      related: [...f.related].sort((a, b) => `${a.uri}:${a.range.start.line}`.localeCompare(`${b.uri}:${b.range.start.line}`)),
    });
    const byUri = (l: PortLens) => new Map([...current.keys()].sort().map((uri) => [uri, l.findings(uri).map(related)]));

    let seed = 17;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const uris = [...original.keys()];
    const values: Record<string, string[]> = {
      port: ['80', '8080', '9090', 'http', 'metrics', 'web', '53', '10022', 'https'],
      containerPort: ['80', '8080', '9090', '22', '3000', '5432'],
      targetPort: ['http', 'metrics', '8080', '22', 'web', 'grpc'],
      name: ['http', 'metrics', 'web', 'ssh', 'grpc', 'dns-tcp'],
      app: ['gateway', 'storefront', 'api-1', 'edge-proxy', 'other'],
      team: ['core', 'data', 'growth', 'infra', 'none'],
      role: ['gateway', 'worker'],
      protocol: ['TCP', 'UDP'],
      'kubernetes.io/metadata.name': ['kube-system', 'core-api-0', 'data-api-1'],
    };
    const editable = new RegExp(
      `^(\\s*(?:- )?)(${Object.keys(values)
        .map((k) => k.replace(/[./]/g, '\\$&'))
        .join('|')}): (\\S+)$`,
    );
    for (let step = 0; step < 60; step++) {
      const uri = pick(uris);
      const r = random();
      let text: string | undefined;
      if (r < 0.08) text = undefined;
      else if (r < 0.16 || !current.has(uri)) text = original.get(uri)!;
      else {
        const lines = current.get(uri)!.split('\n');
        const candidates = lines.map((line, i) => [line.match(editable), i] as const).filter(([m]) => m);
        if (candidates.length === 0) continue;
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
          const [m, i] = pick(candidates);
          lines[i] = `${m![1]}${m![2]}: ${pick(values[m![2]])}`;
        }
        text = lines.join('\n');
      }
      if (text === undefined) {
        lens.removeFile(uri);
        current.delete(uri);
      } else {
        lens.setModel(modelOf(uri, text));
        current.set(uri, text);
      }
      const fresh = new PortLens();
      fresh.load([...current].map(([u, s]) => modelOf(u, s)));
      assert.deepEqual(byUri(lens), byUri(fresh), `step ${step}: ${uri}`);
    }
  });
}

test('Cilium and Calico policies: incremental results equal a fresh analysis after any sequence of edits', () => {
  const dialectFiles: Record<string, string> = {
    'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}]', 'gitlab'),
    'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]', 'gitlab'),
    'redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]', 'data'),
    'redis-svc.yaml': service('redis', '{app: redis}', '[{port: 16379, targetPort: 6379}]', 'data'),
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: data, labels: {team: data}}\n',
    'ccnp.yaml': `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: ssh}
spec:
  endpointSelector: {matchLabels: {name: gitlab}}
  ingress: [{toPorts: [{ports: [{port: "10022"}]}]}]
`,
    'calico.yaml': `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: to-redis, namespace: gitlab}
spec:
  selector: name == 'gitlab'
  egress:
  - action: Allow
    protocol: TCP
    destination: {selector: app == 'redis', namespaceSelector: team == 'data', ports: [16379]}
`,
  };
  const lens = lensOf(dialectFiles);
  const steps: Array<[string, string | undefined]> = [
    ['redis.yaml', dialectFiles['redis.yaml'].replace('6379', '16379')],
    ['ns.yaml', dialectFiles['ns.yaml'].replace('team: data', 'team: other')],
    ['deploy.yaml', dialectFiles['deploy.yaml'].replace('containerPort: 22', 'containerPort: 10022')],
    ['ns.yaml', dialectFiles['ns.yaml']],
    ['redis.yaml', undefined],
    ['deploy.yaml', dialectFiles['deploy.yaml'].replace('namespace: gitlab', 'namespace: elsewhere')],
    ['redis.yaml', dialectFiles['redis.yaml']],
    ['ccnp.yaml', dialectFiles['ccnp.yaml'].replace('"10022"', '"22"')],
    ['deploy.yaml', dialectFiles['deploy.yaml']],
  ];
  assertStepsMatchFresh(lens, dialectFiles, steps);
  assert.ok(
    lensOf(dialectFiles)
      .allFindings()
      .some((f) => f.code === 'netpol-egress-port-unmatched'),
  );
});
