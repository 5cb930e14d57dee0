import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { explain, possibleSources, verdictsTo, type Explanation } from '../../server/src/analysis/explain/explain';
import { PortLens as PortLensClass } from '../../server/src/analysis/portLens';
import { parseManifests } from '../../server/src/model/parse';
import { generateProfile, PROFILES } from '../bench/generate';
import { servicePortSummaries } from '../../server/src/analysis/explain/summary';
import {
  EndpointError,
  destinationCandidates,
  parseDestination,
  parseSource,
  sourceCandidates,
} from '../../server/src/analysis/explain/endpoints';
import { renderMarkdown, renderText } from '../../server/src/analysis/explain/render';
import type { PortLens } from '../../server/src/analysis/portLens';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const ask = (lens: PortLens, from: string, to: string): Explanation =>
  explain(lens.index, (uri) => lens.findings(uri), parseSource(lens.index, from), parseDestination(lens.index, to));
const verdicts = (e: Explanation) => e.results.map((r) => [`${r.hop.pod.ref.namespace}/${r.hop.pod.ref.name}`, r.verdict]);
const plainText = (e: Explanation) => renderText(e, (text) => text);

const namespace = (name: string, labels = '{}') => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}\n`;
const rawPolicy = (name: string, spec: string, ns = 'app') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;

const gitlab = (ports: string) => ({
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}, {name: http, containerPort: 80}]', 'gitlab'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{name: ssh, port: 10022, targetPort: 22}]', 'gitlab', 'LoadBalancer'),
  'np.yaml': policy('allow-from-all', '{matchLabels: {name: gitlab}}', `[{ports: ${ports}}]`, 'gitlab'),
});

test('the story: external → gitlab-ssh:10022 is denied on pod port 22, naming Deployment gitlab and allow-from-all, with the fix', () => {
  const files = gitlab('[{protocol: TCP, port: 80}, {protocol: TCP, port: 10022}]');
  const lens = lensOf(files);
  const answer = ask(lens, 'external', 'gitlab/gitlab-ssh:10022');
  assert.equal(answer.verdict, 'denied');
  const [result] = answer.results;
  assert.equal(result.hop.pod.ref.name, 'gitlab');
  assert.equal(result.hop.port?.number, 22);
  assert.equal(result.hop.port?.name, 'ssh');
  assert.deepEqual(
    result.ingress!.policies.map((p) => [p.policy.ref.name, p.admits]),
    [['allow-from-all', 'no']],
  );
  assert.equal(result.egress!.judged, false);
  const text = plainText(answer);
  assert.match(text, /^external → gitlab\/gitlab-ssh:10022: denied$/m);
  assert.match(
    text,
    /external → Service gitlab\/gitlab-ssh \(LoadBalancer\) 10022\/TCP → targetPort 22 → Deployment gitlab\/gitlab, container main, 22\/TCP "ssh": ✗ denied/,
  );
  assert.match(text, /✗ rule 1: admits every source \(no from\); on 80\/TCP and 10022\/TCP — not 22\/TCP "ssh"/);
  assert.deepEqual(
    answer.fixes.map((f) => f.title),
    ['Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)', 'Change port 10022 to the named port "ssh"'],
  );

  // The same question after the preferred fix.
  const fixed = applyEdits(files['np.yaml'], answer.fixes[0].edits);
  const after = ask(lensOf({ ...files, 'np.yaml': fixed }), 'external', 'gitlab/gitlab-ssh:ssh');
  assert.equal(after.verdict, 'allowed');
  assert.equal(after.fixes.length, 0);
  assert.match(after.results[0].reason, /NetworkPolicy allow-from-all ingress rule 1 admits 22\/TCP "ssh"/);
});

test('the code lens line above each Service port', () => {
  const lens = lensOf(gitlab('[{port: 80}, {port: 10022}]'));
  assert.deepEqual(
    servicePortSummaries(lens.index, uriOf('svc.yaml')).map((s) => s.summary.title),
    ['reachable from: external ✗ (allow-from-all admits 80, 10022 — not 22)'],
  );
  const fixed = lensOf(gitlab('[{port: 80}, {port: 22}]'));
  assert.deepEqual(
    servicePortSummaries(fixed.index, uriOf('svc.yaml')).map((s) => s.summary.title),
    ['reachable from: external ✓ (allow-from-all ingress rule 1)'],
  );
  // An internal Service that not every pod of its namespace reaches names those that do.
  const zeroTrust = lensOf({
    'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
    'web.yaml': deployment('web', '{app: web}', '[]'),
    'job.yaml': deployment('batch', '{app: batch}', '[]'),
    'svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: 8080}]'),
    'np.yaml': policy('api-in', '{matchLabels: {app: api}}', '[{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]'),
  });
  assert.deepEqual(
    servicePortSummaries(zeroTrust.index, uriOf('svc.yaml')).map((s) => s.summary.title),
    ['reachable from: web ✓ · app/* ✗ (api-in admits 8080 from other sources only)'],
  );
  // A ClusterIP Service is judged from its own namespace; a rule without `from` admits every source: "anywhere".
  const internal = lensOf({ ...gitlab('[{port: 80}]'), 'svc.yaml': service('gitlab', '{name: gitlab}', '[{port: 80}]', 'gitlab') });
  assert.deepEqual(
    servicePortSummaries(internal.index, uriOf('svc.yaml')).map((s) => [s.summary.title, s.summary.from, s.summary.to]),
    [['reachable from: anywhere ✓ (allow-from-all ingress rule 1 has no `from`)', 'gitlab/*', 'gitlab/gitlab:80']],
  );
});

test('no policy selecting the pod: allowed, and an unselected pod is not isolated by a neighbour', () => {
  const lens = lensOf({
    'web.yaml': deployment('web', '{app: web}', '[{containerPort: 8080}]'),
    'db.yaml': deployment('db', '{app: db}', '[{containerPort: 5432}]'),
    'np.yaml': policy('db-only', '{matchLabels: {app: db}}', '[]'),
  });
  const answer = ask(lens, 'external', 'app/Deployment/web:8080');
  assert.equal(answer.verdict, 'allowed');
  assert.match(answer.results[0].reason, /no NetworkPolicy isolates Deployment app\/web for ingress/);
  // `ingress: []` isolates and admits nothing.
  assert.equal(ask(lens, 'app/Deployment/web', 'app/Deployment/db:5432').verdict, 'denied');
});

test('policyTypes: implied Ingress, implied Egress from an egress section, explicit Egress alone leaves ingress open', () => {
  const base = {
    'web.yaml': deployment('web', '{app: web}', '[{containerPort: 8080}]'),
    'db.yaml': deployment('db', '{app: db}', '[{containerPort: 5432}]'),
  };
  // Implied: an egress section makes the policy isolate egress; Ingress is always implied, so the
  // same policy (no ingress rules) also isolates web's ingress.
  const implied = lensOf({
    ...base,
    'np.yaml': rawPolicy(
      'web-out',
      '  podSelector: {matchLabels: {app: web}}\n  egress:\n    - to: [{podSelector: {matchLabels: {app: db}}}]\n',
    ),
  });
  assert.equal(ask(implied, 'app/Deployment/web', 'app/Deployment/db:5432').verdict, 'allowed');
  const intoWeb = ask(implied, 'app/Deployment/db', 'app/Deployment/web:8080');
  assert.equal(intoWeb.verdict, 'denied');
  assert.match(intoWeb.results[0].ingress!.reason, /NetworkPolicy web-out isolates Deployment app\/web for ingress/);
  // Explicit Egress only: ingress is not isolated.
  const explicit = lensOf({
    ...base,
    'np.yaml': rawPolicy(
      'web-out',
      '  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: db}}}]\n',
    ),
  });
  assert.equal(ask(explicit, 'app/Deployment/db', 'app/Deployment/web:8080').verdict, 'allowed');
  // An empty egress list implies nothing (the API server defaults policyTypes by the rules there are),
  // and an empty policyTypes list is defaulted like an absent one.
  const emptyEgress = lensOf({
    ...base,
    'np.yaml': rawPolicy('web-none', '  podSelector: {matchLabels: {app: web}}\n  policyTypes: []\n  ingress: [{}]\n  egress: []\n'),
  });
  assert.equal(ask(emptyEgress, 'app/Deployment/web', 'app/Deployment/db:5432').verdict, 'allowed');
  const webIn = ask(emptyEgress, 'app/Deployment/db', 'app/Deployment/web:8080');
  assert.equal(webIn.verdict, 'allowed');
  assert.match(webIn.results[0].reason, /NetworkPolicy web-none ingress rule 1 admits/);
  // Explicit Egress with no egress rules: web may send nothing.
  const closed = lensOf({
    ...base,
    'np.yaml': rawPolicy('web-closed', '  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n'),
  });
  const out = ask(closed, 'app/Deployment/web', 'app/Deployment/db:5432');
  assert.equal(out.verdict, 'denied');
  assert.match(
    out.results[0].egress!.reason,
    /NetworkPolicy web-closed isolates Deployment app\/web for egress and no rule admits 5432\/TCP to Deployment app\/db/,
  );
});

const peersWorkspace = (from: string) =>
  lensOf({
    'ns.yaml': [namespace('ops', '{team: ops}'), namespace('dev', '{team: dev}'), namespace('app')].join('---\n'),
    'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
    'ops-client.yaml': deployment('client', '{app: client}', '[]', 'ops'),
    'ops-other.yaml': deployment('other', '{app: other}', '[]', 'ops'),
    'dev-client.yaml': deployment('client', '{app: client}', '[]', 'dev'),
    'app-client.yaml': deployment('client', '{app: client}', '[]'),
    'np.yaml': rawPolicy('api-in', `  podSelector: {matchLabels: {app: api}}\n  ingress:\n    - from:\n${from}`),
  });

test('podSelector and namespaceSelector in one peer: both must match (AND)', () => {
  const lens = peersWorkspace(
    '        - namespaceSelector: {matchLabels: {team: ops}}\n          podSelector: {matchLabels: {app: client}}\n',
  );
  assert.equal(ask(lens, 'ops/Deployment/client', 'app/Deployment/api:8080').verdict, 'allowed');
  const other = ask(lens, 'ops/Deployment/other', 'app/Deployment/api:8080');
  assert.equal(other.verdict, 'denied');
  assert.match(plainText(other), /podSelector \(app=client\) does not pick Deployment ops\/other/);
  const dev = ask(lens, 'dev/Deployment/client', 'app/Deployment/api:8080');
  assert.equal(dev.verdict, 'denied');
  assert.match(plainText(dev), /namespaceSelector \(team=ops\) does not pick namespace dev/);
  // A pod of the policy's own namespace is not in a team=ops namespace either.
  assert.equal(ask(lens, 'app/Deployment/client', 'app/Deployment/api:8080').verdict, 'denied');
});

test('podSelector and namespaceSelector in two peers: either may match (OR)', () => {
  const lens = peersWorkspace(
    '        - namespaceSelector: {matchLabels: {team: ops}}\n        - podSelector: {matchLabels: {app: client}}\n',
  );
  assert.equal(ask(lens, 'ops/Deployment/other', 'app/Deployment/api:8080').verdict, 'allowed');
  assert.equal(ask(lens, 'app/Deployment/client', 'app/Deployment/api:8080').verdict, 'allowed');
  // A podSelector without namespaceSelector picks pods of the policy's own namespace only.
  const dev = ask(lens, 'dev/Deployment/client', 'app/Deployment/api:8080');
  assert.equal(dev.verdict, 'denied');
  assert.match(plainText(dev), /none of its 2 peers admits Deployment dev\/client/);
  assert.match(plainText(dev), /picks pods of namespace app only, not dev/);
});

test('namespace/* as the source: only peers that admit every pod of the namespace count', () => {
  const or = peersWorkspace(
    '        - namespaceSelector: {matchLabels: {team: ops}}\n        - podSelector: {matchLabels: {app: client}}\n',
  );
  assert.equal(ask(or, 'ops/*', 'app/Deployment/api:8080').verdict, 'allowed');
  const and = peersWorkspace(
    '        - namespaceSelector: {matchLabels: {team: ops}}\n          podSelector: {matchLabels: {app: client}}\n',
  );
  const answer = ask(and, 'ops/*', 'app/Deployment/api:8080');
  assert.equal(answer.verdict, 'denied');
  assert.match(plainText(answer), /picks only some pods of the namespace, not every pod/);
});

test('unknown: a namespace selected by labels that the workspace does not know', () => {
  const lens = lensOf({
    'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
    'mon.yaml': deployment('prometheus', '{app: prometheus}', '[]', 'monitoring'),
    'np.yaml': rawPolicy(
      'api-in',
      '  podSelector: {}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {purpose: monitoring}}}]\n',
    ),
  });
  const answer = ask(lens, 'monitoring/Deployment/prometheus', 'app/Deployment/api:8080');
  assert.equal(answer.verdict, 'unknown');
  assert.match(answer.results[0].reason, /namespace monitoring is not in the workspace \(no Namespace object\)/);
  // Once the Namespace object is there, its labels decide.
  const labelled = lensOf({
    'ns.yaml': namespace('monitoring', '{purpose: monitoring}'),
    'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
    'mon.yaml': deployment('prometheus', '{app: prometheus}', '[]', 'monitoring'),
    'np.yaml': rawPolicy(
      'api-in',
      '  podSelector: {}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {purpose: monitoring}}}]\n',
    ),
  });
  assert.equal(ask(labelled, 'monitoring/Deployment/prometheus', 'app/Deployment/api:8080').verdict, 'allowed');
  const unlabelled = lensOf({
    'ns.yaml': namespace('monitoring', '{purpose: other}'),
    'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
    'mon.yaml': deployment('prometheus', '{app: prometheus}', '[]', 'monitoring'),
    'np.yaml': rawPolicy(
      'api-in',
      '  podSelector: {}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {purpose: monitoring}}}]\n',
    ),
  });
  assert.equal(ask(unlabelled, 'monitoring/Deployment/prometheus', 'app/Deployment/api:8080').verdict, 'denied');
});

test('a selector on the namespace name alone is decided without a Namespace object', () => {
  const lens = lensOf({
    'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
    'mon.yaml': deployment('prometheus', '{app: prometheus}', '[]', 'monitoring'),
    'np.yaml': rawPolicy(
      'api-in',
      '  podSelector: {}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]\n',
    ),
  });
  assert.equal(ask(lens, 'monitoring/Deployment/prometheus', 'app/Deployment/api:8080').verdict, 'allowed');
  assert.equal(ask(lens, 'app/*', 'app/Deployment/api:8080').verdict, 'denied');
});

test('ipBlock: 0.0.0.0/0 admits outside clients, an except of everything does not, a narrower block is unknown, pods are unknown', () => {
  const lensWith = (block: string) =>
    lensOf({
      'api.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]'),
      'client.yaml': deployment('client', '{app: client}', '[]'),
      'np.yaml': rawPolicy('api-in', `  podSelector: {}\n  ingress:\n    - from: [{ipBlock: ${block}}]\n`),
    });
  const withExcept = ask(lensWith('{cidr: 0.0.0.0/0, except: [10.0.0.0/8, 192.168.0.0/16]}'), 'external', 'app/Deployment/api:8080');
  assert.equal(withExcept.verdict, 'allowed');
  assert.match(
    plainText(withExcept),
    /ipBlock 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8, 192\.168\.0\.0\/16 covers every address outside the cluster \(but not clients in 10\.0\.0\.0\/8, 192\.168\.0\.0\/16\)/,
  );
  assert.equal(ask(lensWith('{cidr: "::/0"}'), 'external', 'app/Deployment/api:8080').verdict, 'allowed');
  assert.equal(ask(lensWith('{cidr: 0.0.0.0/0, except: [0.0.0.0/0]}'), 'external', 'app/Deployment/api:8080').verdict, 'denied');
  const narrow = ask(lensWith('{cidr: 203.0.113.0/24}'), 'external', 'app/Deployment/api:8080');
  assert.equal(narrow.verdict, 'unknown');
  assert.match(narrow.results[0].reason, /admits only clients with those addresses/);
  const fromPod = ask(lensWith('{cidr: 0.0.0.0/0}'), 'app/Deployment/client', 'app/Deployment/api:8080');
  assert.equal(fromPod.verdict, 'unknown');
  assert.match(fromPod.results[0].reason, /depends on the cluster's pod network/);
});

test('selectors never admit clients outside the cluster', () => {
  const lens = peersWorkspace('        - namespaceSelector: {}\n');
  assert.equal(ask(lens, 'ops/Deployment/other', 'app/Deployment/api:8080').verdict, 'allowed');
  const answer = ask(lens, 'external', 'app/Deployment/api:8080');
  assert.equal(answer.verdict, 'denied');
  assert.match(plainText(answer), /picks pods, never clients outside the cluster/);
});

test('a pod selected by two policies: the union of their rules admits, a port neither admits names both', () => {
  const lens = lensOf({
    'api.yaml': deployment('api', '{app: api, tier: front}', '[{containerPort: 80}, {containerPort: 22}, {containerPort: 443}]'),
    'np-a.yaml': policy('web', '{matchLabels: {app: api}}', '[{ports: [{port: 80}]}]'),
    'np-b.yaml': policy('ssh', '{matchLabels: {tier: front}}', '[{ports: [{port: 22}]}]'),
  });
  const web = ask(lens, 'external', 'app/Deployment/api:80');
  assert.equal(web.verdict, 'allowed');
  assert.match(web.results[0].reason, /NetworkPolicy web ingress rule 1/);
  const ssh = ask(lens, 'external', 'app/Deployment/api:22');
  assert.equal(ssh.verdict, 'allowed');
  assert.match(ssh.results[0].reason, /NetworkPolicy ssh ingress rule 1/);
  const tls = ask(lens, 'external', 'app/Deployment/api:443');
  assert.equal(tls.verdict, 'denied');
  assert.deepEqual(tls.results[0].ingress!.policies.map((p) => p.policy.ref.name).sort(), ['ssh', 'web']);
  assert.match(tls.results[0].reason, /NetworkPolicies (web and ssh|ssh and web) isolate Deployment app\/api for ingress/);
});

test('egress isolation at the source: a rule must admit the destination pod and its port', () => {
  const lens = lensOf({
    'web.yaml': deployment('web', '{app: web}', '[{containerPort: 8080}]'),
    'db.yaml': deployment('db', '{app: db}', '[{name: pg, containerPort: 5432}]'),
    'cache.yaml': deployment('cache', '{app: cache}', '[{containerPort: 6379}]'),
    'db-svc.yaml': service('db', '{app: db}', '[{port: 15432, targetPort: pg}]'),
    'np.yaml': rawPolicy(
      'web-out',
      '  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: db}}}]\n      ports: [{port: 5432}]\n',
    ),
  });
  // Egress is judged on the pod port, after the Service's translation (15432 → "pg" → 5432).
  const db = ask(lens, 'app/Deployment/web', 'app/db:15432');
  assert.equal(db.verdict, 'allowed');
  assert.match(db.results[0].egress!.reason, /NetworkPolicy web-out egress rule 1 admits 5432\/TCP "pg" to Deployment app\/db/);
  const cache = ask(lens, 'app/Deployment/web', 'app/Deployment/cache:6379');
  assert.equal(cache.verdict, 'denied');
  assert.match(plainText(cache), /egress: ✗ NetworkPolicy web-out isolates Deployment app\/web for egress/);
  assert.match(plainText(cache), /podSelector \(app=db\) does not pick Deployment app\/cache; on 5432\/TCP — not 6379\/TCP/);
  // app/* is every pod of the namespace, web among them: it does not get through (SPEC §8).
  const fromAll = ask(lens, 'app/*', 'app/Deployment/cache:6379');
  assert.equal(fromAll.verdict, 'denied');
  assert.match(fromAll.results[0].egress!.reason, /NetworkPolicy web-out isolates Deployment app\/web for egress/);
});

test('named ports resolve per pod: one targetPort name, two numbers, each pod judged on its own', () => {
  const files = {
    'a.yaml': deployment('a', '{app: api, v: a}', '[{name: http, containerPort: 8080}]'),
    'b.yaml': deployment('b', '{app: api, v: b}', '[{name: http, containerPort: 9090}]'),
    'svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: http}]', 'app', 'LoadBalancer'),
  };
  const byNumber = ask(
    lensOf({ ...files, 'np.yaml': policy('api-in', '{matchLabels: {app: api}}', '[{ports: [{port: 8080}]}]') }),
    'external',
    'app/api:80',
  );
  assert.deepEqual(
    byNumber.results.map((r) => [r.hop.pod.ref.name, r.hop.port?.number, r.verdict]),
    [
      ['a', 8080, 'allowed'],
      ['b', 9090, 'denied'],
    ],
  );
  assert.equal(byNumber.verdict, 'denied');
  const byName = ask(
    lensOf({ ...files, 'np.yaml': policy('api-in', '{matchLabels: {app: api}}', '[{ports: [{port: http}]}]') }),
    'external',
    'app/api:80',
  );
  assert.deepEqual(verdicts(byName), [
    ['app/a', 'allowed'],
    ['app/b', 'allowed'],
  ]);
  assert.equal(byName.verdict, 'allowed');
});

test('a named targetPort a pod does not declare: that pod gets nothing', () => {
  const lens = lensOf({
    'a.yaml': deployment('a', '{app: api}', '[{name: web, containerPort: 8080}]'),
    'svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: http}]'),
  });
  const answer = ask(lens, 'app/*', 'app/api:80');
  assert.equal(answer.verdict, 'denied');
  assert.equal(answer.results[0].endpoint, false);
  assert.match(answer.results[0].reason, /declares no TCP port named "http", so the Service sends it nothing/);
  assert.match(answer.notes.join('\n'), /no endpoint among the pod templates it selects/);
  // Beside a pod that declares the name, it is simply no endpoint: the answer is the other pod's.
  const mixed = lensOf({
    'a.yaml': deployment('a', '{app: api}', '[{name: web, containerPort: 8080}]'),
    'b.yaml': deployment('b', '{app: api}', '[{name: http, containerPort: 8080}]'),
    'svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: http}]'),
  });
  const spread = ask(mixed, 'app/*', 'app/api:80');
  assert.equal(spread.verdict, 'allowed');
  assert.deepEqual(
    spread.results.map((r) => [r.hop.pod.ref.name, r.endpoint]),
    [
      ['a', false],
      ['b', true],
    ],
  );
  assert.match(
    plainText(spread),
    /Deployment app\/a: Deployment app\/a declares no TCP port named "http", so the Service sends it nothing: not an endpoint/,
  );
});

test('a Service without selector or without pods here: unknown', () => {
  const lens = lensOf({
    'svc.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: app}\nspec:\n  ports: [{port: 443}]\n---\n' +
      service('lost', '{app: lost}', '[{port: 80}]'),
  });
  const ext = ask(lens, 'external', 'app/ext:443');
  assert.equal(ext.verdict, 'unknown');
  assert.match(ext.notes[0], /no selector/);
  assert.equal(ask(lens, 'external', 'app/lost:80').verdict, 'unknown');
});

test('hostNetwork destination: unknown', () => {
  const lens = lensOf({
    'node.yaml': deployment('agent', '{app: agent}', '[{containerPort: 9100}]').replace(
      '      containers:',
      '      hostNetwork: true\n      containers:',
    ),
  });
  assert.equal(ask(lens, 'external', 'app/Deployment/agent:9100').verdict, 'unknown');
});

test('bad endpoints name the closest candidates; candidates list every source and destination', () => {
  const lens = lensOf(gitlab('[{port: 80}]'));
  assert.throws(
    () => parseDestination(lens.index, 'gitlab/gitlab-shh:10022'),
    (e: Error) => e instanceof EndpointError && /did you mean "gitlab\/gitlab-ssh:10022"/.test(e.message),
  );
  assert.throws(
    () => parseDestination(lens.index, 'gitlab/gitlab-ssh:2222'),
    /Service gitlab\/gitlab-ssh has no port 2222; did you mean "gitlab\/gitlab-ssh:10022"/,
  );
  assert.throws(() => parseDestination(lens.index, 'gitlab/gitlab-ssh'), /names no port/);
  assert.throws(() => parseDestination(lens.index, 'gitlab/Deployment/gitlab:sshd'), /declares no port named "sshd"/);
  assert.throws(() => parseDestination(lens.index, 'gitlab/gitlab-ssh:70000'), /outside 1–65535/);
  assert.throws(
    () => parseSource(lens.index, 'gitlab/Deployment/gitlb'),
    /no pod template "gitlab\/Deployment\/gitlb".*did you mean "gitlab\/Deployment\/gitlab"/,
  );
  // a namespace with no object here is still a source (SPEC §8: an ingress controller installed elsewhere); a malformed one is not
  assert.deepEqual(parseSource(lens.index, 'nowhere/*'), { kind: 'namespace', namespace: 'nowhere' });
  assert.throws(() => parseSource(lens.index, 'No_Where/*'), /"No_Where" is not a namespace name/);
  assert.deepEqual(
    sourceCandidates(lens.index).map((c) => c.name),
    ['external', 'gitlab/*', 'gitlab/Deployment/gitlab'],
  );
  assert.deepEqual(
    destinationCandidates(lens.index).map((c) => c.name),
    ['gitlab/gitlab-ssh:10022', 'gitlab/Deployment/gitlab:22', 'gitlab/Deployment/gitlab:80'],
  );
  // Ports by name, kinds in any case, an explicit protocol.
  assert.equal(parseDestination(lens.index, 'gitlab/gitlab-ssh:ssh').kind, 'service');
  assert.equal(parseDestination(lens.index, 'gitlab/deployment/gitlab:http/TCP').kind, 'pod');
});

test('objects without a namespace are addressed without one', () => {
  const lens = lensOf({
    'all.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: web, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 8080, targetPort: 80}]\n',
  });
  assert.equal(ask(lens, '*', 'web:8080').verdict, 'allowed');
  assert.equal(ask(lens, 'Pod/web', 'Pod/web:80').verdict, 'allowed');
});

test('the Markdown answer links every object it names to its file and line', () => {
  const lens = lensOf(gitlab('[{port: 80}, {port: 10022}]'));
  const markdown = renderMarkdown(
    ask(lens, 'external', 'gitlab/gitlab-ssh:10022'),
    (text, uri, range) => `[${text}](${uri}#L${range.start.line + 1})`,
  );
  assert.match(markdown, /^# external → gitlab\/gitlab-ssh:10022\n\n\*\*✗ denied\*\*/);
  assert.match(markdown, /\[Service gitlab\/gitlab-ssh \(LoadBalancer\) 10022\/TCP\]\(file:\/\/\/ws\/svc\.yaml#L\d+\)/);
  assert.match(markdown, /\[Deployment gitlab\/gitlab\]\(file:\/\/\/ws\/deploy\.yaml#L4\)/);
  assert.match(markdown, /\[NetworkPolicy gitlab\/allow-from-all\]\(file:\/\/\/ws\/np\.yaml#L4\)/);
  assert.match(markdown, /\[rule 1\]\(file:\/\/\/ws\/np\.yaml#L\d+\)/);
  assert.match(markdown, /\*\*Fixes\*\*\n\n- Change port 10022 to 22 .*\(file:\/\/\/ws\/np\.yaml#L\d+\)/);
});

test('the lens tries only the pods that may get through: every pod allowed to a Service port is among possibleSources', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-sources-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const crafted: Record<string, string> = {
    'web.yaml': deployment('web', '{app: web}', '[{name: http, containerPort: 8080}]', 'shop'),
    'svc.yaml': service('web', '{app: web}', '[{port: 80, targetPort: http}]', 'shop'),
    'loose.yaml': deployment('loose', '{app: loose}', '[{containerPort: 1}]').replace(/\n\s*namespace: \S+/, ''),
    'client.yaml': deployment('client', '{app: client}', '[{containerPort: 2}]', 'other'),
    'np.yaml': policy('any-namespace', '{matchLabels: {app: web}}', '[{from: [{namespaceSelector: {}}], ports: [{port: 8080}]}]', 'shop'),
  };
  const lenses: Array<[string, PortLens]> = [['crafted', lensOf(crafted)]];
  for (const profile of PROFILES) {
    const ws = generateProfile(profile, path.join(dir, profile), profile === 'port-heavy' ? 70 : 150);
    const lens = new PortLensClass();
    lens.load(ws.files.map((file) => parseManifests(URI.file(file).toString(), readFileSync(file, 'utf8'))));
    lenses.push([profile, lens]);
  }
  for (const [name, lens] of lenses) {
    let narrowed = 0;
    for (const svc of lens.index.allServices()) {
      for (const port of svc.ports) {
        const destination = { kind: 'service' as const, service: svc, port };
        const verdictFrom = verdictsTo(lens.index, destination);
        const allowed = lens.index.allPods().filter((pod) => verdictFrom({ kind: 'pod', pod }) === 'allowed');
        const possible = possibleSources(lens.index, destination);
        if (possible === undefined) continue;
        narrowed++;
        for (const pod of allowed) assert.ok(possible.includes(pod), `${name}: ${pod.ref.name} → ${svc.ref.name}:${port.port.value}`);
      }
    }
    assert.ok(narrowed > 0, `${name}: some Service ports are narrowed`);
  }
});

test('any namespace is a source, even one with no object here: ingress-nginx/* when the controller is installed elsewhere', () => {
  const files = {
    'deploy.yaml': deployment('grafana', '{app: grafana}', '[{name: http, containerPort: 3000}]', 'monitoring'),
    'svc.yaml': service('grafana', '{app: grafana}', '[{name: http, port: 80, targetPort: http}]', 'monitoring'),
    'np.yaml': rawPolicy(
      'grafana',
      '  podSelector: {matchLabels: {app: grafana}}\n  ingress:\n    - from:\n        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}\n      ports: [{port: 3000}]\n',
      'monitoring',
    ),
  };
  const lens = lensOf(files);
  assert.deepEqual(parseSource(lens.index, 'ingress-nginx/*'), { kind: 'namespace', namespace: 'ingress-nginx' });
  assert.equal(ask(lens, 'ingress-nginx/*', 'monitoring/grafana:80').verdict, 'allowed');
  assert.equal(ask(lens, 'kube-system/*', 'monitoring/grafana:80').verdict, 'denied');
});

test('ns/* for egress means every pod of the namespace: one blocked frontend makes it denied', () => {
  const files = {
    'api.yaml': deployment('api', '{app: api}', '[{name: http, containerPort: 8080}]', 'shop'),
    'svc.yaml': service('api', '{app: api}', '[{name: http, port: 80, targetPort: http}]', 'shop'),
    'web.yaml':
      deployment('frontend', '{app: frontend}', '[{containerPort: 3000}]', 'web') +
      '---\n' +
      deployment('admin', '{app: admin}', '[{containerPort: 3001}]', 'web'),
    // frontend may only resolve DNS
    'np.yaml': rawPolicy(
      'frontend-egress',
      '  podSelector: {matchLabels: {app: frontend}}\n  policyTypes: [Egress]\n  egress:\n    - ports: [{port: 53, protocol: UDP}]\n',
      'web',
    ),
  };
  const lens = lensOf(files);
  assert.equal(ask(lens, 'web/Deployment/admin', 'shop/api:80').verdict, 'allowed');
  assert.equal(ask(lens, 'web/Deployment/frontend', 'shop/api:80').verdict, 'denied');
  const answer = ask(lens, 'web/*', 'shop/api:80');
  assert.equal(answer.verdict, 'denied');
  assert.match(answer.results[0].reason, /frontend-egress/);
});
