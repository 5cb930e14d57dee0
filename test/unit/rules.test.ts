import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { deployment, findingsOf, lensOf, policy, service, textAt, uriOf } from '../helpers';

const gitlab = {
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}, {name: http, containerPort: 80}]'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22, nodePort: 30022}]', 'app', 'LoadBalancer'),
};
const withPolicy = (ports: string, extra: Record<string, string> = {}) => ({
  ...gitlab,
  ...extra,
  'np.yaml': policy('allow', '{matchLabels: {name: gitlab}}', `[{ports: ${ports}}]`),
});
const problems = (files: Record<string, string>) => findingsOf(files).filter((f) => f.severity !== 'information');

test('the classic mistake: a Service port where the pod port belongs is a warning with a preferred fix', () => {
  const files = withPolicy('[{port: 80}, {port: 10022}]');
  const [finding, ...rest] = findingsOf(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.code, 'netpol-port-unmatched');
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['np.yaml'], finding), '10022');
  assert.match(
    finding.message,
    /^Port 10022\/TCP is the Service port of app\/gitlab-ssh; the pods listen on 22\. It is the port of Service app\/gitlab-ssh, which forwards it to 22\. NetworkPolicy ports are pod ports, not Service ports: the pods this policy selects \(Deployment app\/gitlab\) serve 22\/TCP "ssh" and 80\/TCP "http"\.$/,
  );
  const preferred = finding.fixes.filter((f) => f.isPreferred);
  assert.equal(preferred.length, 1);
  assert.equal(preferred[0].title, 'Change port 10022 to 22 (Service app/gitlab-ssh forwards 10022 → 22)');
  assert.deepEqual(
    preferred[0].edits.map((e) => e.newText),
    ['22'],
  );
  // the named alternative, never preferred
  assert.deepEqual(
    finding.fixes.filter((f) => !f.isPreferred).map((f) => f.edits[0].newText),
    ['ssh'],
  );
  assert.deepEqual(
    finding.related.map((r) => r.uri),
    [uriOf('svc.yaml'), uriOf('deploy.yaml')],
  );
});

test('a nodePort written in the policy is the same mistake', () => {
  const [finding] = findingsOf(withPolicy('[{port: 30022}]'));
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /^Port 30022\/TCP is the nodePort of app\/gitlab-ssh; the pods listen on 22\./);
});

test('a dead entry (the rule already admits the target) is information with a remove fix', () => {
  const files = {
    ...gitlab,
    'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow, namespace: app}
spec:
  podSelector: {matchLabels: {name: gitlab}}
  ingress:
    - ports:
      - port: 22
      - port: 10022 # the Service's
      - port: 80
`,
  };
  const [finding] = findingsOf(files);
  assert.equal(finding.severity, 'information');
  assert.match(
    finding.message,
    /^Port 10022\/TCP is the Service port of app\/gitlab-ssh, and this rule already admits its target 22: remove it\./,
  );
  assert.equal(finding.fixes.length, 1);
  assert.equal(finding.fixes[0].isPreferred, false);
  const fixed = applyEdits(files['np.yaml'], finding.fixes[0].edits);
  assert.equal(fixed, files['np.yaml'].replace("      - port: 10022 # the Service's\n", ''));
});

test('several targets not yet admitted: each offered, none preferred; one left: preferred', () => {
  const extra = {
    'svc2.yaml': service('gitlab-web', '{name: gitlab}', '[{port: 10022, targetPort: http}]'),
  };
  const [both] = findingsOf(withPolicy('[{port: 10022}]', extra));
  assert.equal(both.severity, 'warning');
  assert.deepEqual(
    both.fixes
      .filter((f) => f.title.startsWith('Change port 10022 to 2') || f.title.startsWith('Change port 10022 to 8'))
      .map((f) => [f.edits[0].newText, f.isPreferred]),
    [
      ['22', false],
      ['80', false],
    ],
  );
  const [one] = findingsOf(withPolicy('[{port: 10022}, {port: http}]', extra));
  assert.equal(one.severity, 'warning');
  assert.deepEqual(
    one.fixes.filter((f) => f.isPreferred).map((f) => f.edits[0].newText),
    ['22'],
  );
  assert.match(one.message, /admits 80 but not 22/);
});

test('a number no container declares, with no Service behind it, is information only', () => {
  const [finding] = findingsOf(withPolicy('[{port: 8080}]'));
  assert.equal(finding.severity, 'information');
  assert.equal(finding.fixes.length, 0);
  assert.match(finding.message, /^Port 8080\/TCP is declared by no selected pod; they serve 22\/TCP "ssh" and 80\/TCP "http"\./);
});

test('named ports: judged per pod, a name nobody declares is a warning even over pods without ports', () => {
  const files = {
    'a.yaml': deployment('a', '{tier: web, app: a}', '[{name: http, containerPort: 8080}]'),
    'b.yaml': deployment('b', '{tier: web, app: b}', '[{name: http, containerPort: 9090}]'),
    'c.yaml': deployment('c', '{tier: bare}', '[]'),
  };
  assert.deepEqual(problems({ ...files, 'np.yaml': policy('p', '{matchLabels: {tier: web}}', '[{ports: [{port: http}]}]') }), []);
  const [unknown] = problems({ ...files, 'np.yaml': policy('p', '{matchLabels: {tier: web}}', '[{ports: [{port: http-metrics}]}]') });
  assert.equal(unknown.code, 'netpol-port-unmatched');
  assert.equal(unknown.severity, 'warning');
  assert.deepEqual(
    unknown.fixes.map((f) => [f.edits[0].newText, f.isPreferred]),
    [['http', false]],
  );
  const [bare] = problems({ ...files, 'np.yaml': policy('p', '{matchLabels: {tier: bare}}', '[{ports: [{port: http}]}]') });
  assert.equal(bare?.severity, 'warning');
  // numbers against pods without ports and without Service evidence are not judged
  assert.deepEqual(findingsOf({ ...files, 'np.yaml': policy('p', '{matchLabels: {tier: bare}}', '[{ports: [{port: 1234}]}]') }), []);
});

test('endPort ranges match every number inside them', () => {
  assert.deepEqual(findingsOf(withPolicy('[{port: 20, endPort: 30}, {port: 80}]')), []);
  const [outside] = findingsOf(withPolicy('[{port: 23, endPort: 30}, {port: 80}]'));
  assert.equal(outside.severity, 'information');
  assert.match(outside.message, /Ports 23-30\/TCP/);
});

test('protocol mismatch: implied TCP against a UDP port inserts the protocol; a written one is replaced', () => {
  const base = {
    'statsd.yaml': deployment('statsd', '{app: statsd}', '[{name: ingest, containerPort: 9125, protocol: UDP}]'),
  };
  const np = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: app}
spec:
  podSelector: {}
  egress:
    - to:
        - podSelector: {matchLabels: {app: statsd}}
      ports:
        - port: 9125 # statsd
        - {port: 9125, protocol: SCTP}
`;
  const findings = findingsOf({ ...base, 'np.yaml': np }).filter((f) => f.code === 'netpol-protocol-mismatch');
  assert.equal(findings.length, 2);
  const [implied, written] = findings;
  assert.equal(implied.severity, 'warning');
  assert.equal(textAt(np, implied), '9125');
  assert.equal(textAt(np, written), 'SCTP');
  const fixed = applyEdits(np, [...implied.fixes[0].edits, ...written.fixes[0].edits]);
  assert.match(fixed, / {8}- port: 9125 # statsd\n {10}protocol: UDP\n {8}- \{port: 9125, protocol: UDP\}\n/);
});

test('egress: judged against destination pods only when every peer resolves', () => {
  const base = {
    // Both namespaces with objects have a Namespace object: a label selector can be resolved.
    'ns.yaml':
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: db, labels: {team: data}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n',
    'pg.yaml': deployment('pg', '{app: pg}', '[{name: pg, containerPort: 5432}]', 'db'),
    'pgsvc.yaml': service('pg', '{app: pg}', '[{port: 15432, targetPort: pg}]', 'db'),
  };
  const egress = (to: string) => ({
    ...base,
    'np.yaml': `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: app}\nspec:\n  podSelector: {}\n  egress:\n    - to: ${to}\n      ports: [{port: 15432}]\n`,
  });
  for (const to of [
    '[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}, podSelector: {matchLabels: {app: pg}}}]',
    '[{namespaceSelector: {matchLabels: {team: data}}, podSelector: {}}]',
  ]) {
    const [finding] = findingsOf(egress(to)).filter((f) => f.code === 'netpol-egress-port-unmatched');
    assert.equal(finding?.severity, 'warning', to);
    assert.deepEqual(
      finding.fixes.filter((f) => f.isPreferred).map((f) => f.edits[0].newText),
      ['5432'],
    );
    assert.match(finding.message, /the pods this rule sends to \(Deployment db\/pg\)/);
  }
  for (const to of [
    '[{namespaceSelector: {}, podSelector: {matchLabels: {app: pg}}}]',
    '[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}}]',
    '[{podSelector: {matchLabels: {app: pg}}}]',
    '[{ipBlock: {cidr: 10.0.0.0/8}}]',
    '[]',
    '[{namespaceSelector: {matchLabels: {team: unknown}}, podSelector: {}}]',
  ]) {
    assert.deepEqual(
      findingsOf(egress(to)).filter((f) => f.code === 'netpol-egress-port-unmatched'),
      [],
      to,
    );
  }
  // Without app's Namespace object its labels are unknown: {team: data} might pick it too.
  const unknownLabels = {
    ...egress('[{namespaceSelector: {matchLabels: {team: data}}, podSelector: {}}]'),
    'ns.yaml': base['ns.yaml'].split('---')[0],
  };
  assert.deepEqual(
    findingsOf(unknownLabels).filter((f) => f.code === 'netpol-egress-port-unmatched'),
    [],
  );
});

test('numeric Service targetPorts are evidence for pods that declare no ports', () => {
  const files = {
    'pod.yaml': deployment('api', '{app: api}', '[]'),
    'svc.yaml': service('api', '{app: api}', '[{port: 8001, targetPort: 8000}, {port: 5001, targetPort: 5000}]'),
  };
  assert.deepEqual(findingsOf({ ...files, 'np.yaml': policy('p', '{matchLabels: {app: api}}', '[{ports: [{port: 5000}]}]') }), []);
  const [classic] = findingsOf({ ...files, 'np.yaml': policy('p', '{matchLabels: {app: api}}', '[{ports: [{port: 5001}]}]') });
  assert.equal(classic.severity, 'warning');
  assert.deepEqual(
    classic.fixes.map((f) => f.edits[0].newText),
    ['5000'],
  );
});

test('hostNetwork pods are not judged by number', () => {
  const files = {
    'speaker.yaml': deployment('speaker', '{app: speaker}', '[{containerPort: 7472}]').replace(
      '      containers:',
      '      hostNetwork: true\n      containers:',
    ),
    'np.yaml': policy('p', '{matchLabels: {app: speaker}}', '[{ports: [{port: 7946}]}]'),
  };
  assert.deepEqual(findingsOf(files), []);
});

test('selectors: matchExpressions of every operator, and {} selecting the whole namespace', () => {
  const pods = {
    'a.yaml': deployment('a', '{app: a, tier: web}', '[{containerPort: 80}]'),
    'b.yaml': deployment('b', '{app: b}', '[{containerPort: 90}]'),
    'other.yaml': deployment('c', '{app: a}', '[{containerPort: 70}]', 'elsewhere'),
  };
  const selected = (selector: string) => {
    const lens = lensOf({ ...pods, 'np.yaml': policy('p', selector, '[]') });
    return lens.index
      .podsSelectedBy(lens.index.file(uriOf('np.yaml'))!.policies[0].podSelector, 'app')
      .map((p) => p.ref.name)
      .sort();
  };
  assert.deepEqual(selected('{}'), ['a', 'b']);
  assert.deepEqual(selected('{matchLabels: {app: a}}'), ['a']);
  assert.deepEqual(selected('{matchExpressions: [{key: app, operator: In, values: [a, b]}]}'), ['a', 'b']);
  assert.deepEqual(selected('{matchExpressions: [{key: app, operator: NotIn, values: [a]}]}'), ['b']);
  assert.deepEqual(selected('{matchExpressions: [{key: tier, operator: Exists}]}'), ['a']);
  assert.deepEqual(selected('{matchExpressions: [{key: tier, operator: DoesNotExist}]}'), ['b']);
  assert.deepEqual(selected('{matchLabels: {app: a}, matchExpressions: [{key: tier, operator: DoesNotExist}]}'), []);
  const [nothing] = findingsOf({ ...pods, 'np.yaml': policy('p', '{matchLabels: {app: zzz}}', '[{ports: [{port: 1}]}]') });
  assert.equal(nothing.code, 'netpol-selects-nothing');
  assert.equal(nothing.severity, 'information');
});

test('objects without a namespace share one', () => {
  const files = {
    'd.yaml': deployment('gitlab', '{name: gitlab}', '[{containerPort: 22}]').replace('  namespace: app\n', ''),
    's.yaml': service('ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]').replace('  namespace: app\n', ''),
    'np.yaml': policy('p', '{matchLabels: {name: gitlab}}', '[{ports: [{port: 10022}]}]').replace('  namespace: app\n', ''),
  };
  const [finding] = findingsOf(files);
  assert.match(finding.message, /is the Service port of ssh; the pods listen on 22\./);
});

test("service-target-port-unmatched: unknown names, another Service's port, and undeclared numbers", () => {
  const pod = deployment('dremio', '{app: d}', '[{name: server-fabric, containerPort: 45678}, {name: web, containerPort: 9047}]');
  const [name] = findingsOf({ 'd.yaml': pod, 's.yaml': service('h', '{app: d}', '[{port: 45678, targetPort: fabric}]') });
  assert.equal(name.severity, 'warning');
  assert.equal(name.code, 'service-target-port-unmatched');
  assert.deepEqual(
    name.fixes.map((f) => [f.edits[0].newText, f.isPreferred]),
    [['server-fabric', true]],
  );
  const [confused] = findingsOf({
    'd.yaml': pod,
    'web.yaml': service('web', '{app: d}', '[{port: 80, targetPort: 9047}]'),
    's.yaml': service('h', '{app: d}', '[{port: 8080, targetPort: 80}]'),
  });
  assert.equal(confused.severity, 'warning');
  assert.deepEqual(
    confused.fixes.map((f) => f.edits[0].newText),
    ['9047'],
  );
  const [undeclared] = findingsOf({ 'd.yaml': pod, 's.yaml': service('h', '{app: d}', '[{port: 1234}]') });
  assert.equal(undeclared.severity, 'information');
  const text = service('h', '{app: d}', '[{port: 1234}]');
  assert.equal(textAt(text, undeclared), '1234', 'reported on port when targetPort is implicit');
  // Services without a selector are not judged
  assert.deepEqual(findingsOf({ 'd.yaml': pod, 's.yaml': service('h', '{}', '[{port: 1, targetPort: nope}]') }), []);
});

test('model errors are findings: broken YAML in a manifest, values of the wrong type', () => {
  const findings = findingsOf({
    'bad.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: [\n',
    'typed.yaml': service('s', '{a: b}', '[{port: true}]'),
    'notk8s.yaml': 'a: [\n',
  });
  assert.deepEqual(
    findings.map((f) => [f.uri.split('/').pop(), f.code, f.severity]),
    [
      ['bad.yaml', 'yaml-syntax', 'error'],
      ['typed.yaml', 'manifest-invalid', 'error'],
    ],
  );
});

test('a policy that selects several kinds of pod is fine when the port matches any one of them (SPEC §2)', () => {
  const files = {
    'web.yaml': deployment('web', '{part-of: shop, role: web}', '[{name: http, containerPort: 8080}]'),
    'worker.yaml': deployment('worker', '{part-of: shop, role: worker}', '[{name: metrics, containerPort: 9090}]'),
    'np.yaml': policy('shop', '{matchLabels: {part-of: shop}}', '[{ports: [{port: 8080}, {port: metrics}, {port: 9090}]}]'),
  };
  assert.deepEqual(findingsOf(files), []);
  // a port neither declares is judged against both
  const neither = { ...files, 'np.yaml': policy('shop', '{matchLabels: {part-of: shop}}', '[{ports: [{port: admin}]}]') };
  assert.deepEqual(
    findingsOf(neither).map((f) => [f.code, f.severity, textAt(neither['np.yaml'], f)]),
    [['netpol-port-unmatched', 'warning', 'admin']],
  );
});

test('an entry without port matches every port of its protocol: nothing to report', () => {
  assert.deepEqual(findingsOf(withPolicy('[{protocol: TCP}]')), []);
  assert.deepEqual(findingsOf(withPolicy('[{protocol: TCP}, {port: 80}]')), []);
});
