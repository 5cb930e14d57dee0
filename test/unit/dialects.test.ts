import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { explain } from '../../server/src/analysis/explain/explain';
import { parseDestination, parseSource } from '../../server/src/analysis/explain/endpoints';
import type { PortLens } from '../../server/src/analysis/portLens';
import type { Finding } from '../../server/src/analysis/rules/findings';
import { parseManifests } from '../../server/src/model/parse';
import { deployment, findingsOf, lensOf, policy, service, textAt, uriOf } from '../helpers';

// GitLab as in the operator's note: SSH is 10022 on the Service, 22 on the pod.
const gitlab = {
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}, {name: http, containerPort: 80}]', 'gitlab'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{port: 10022, targetPort: 22}]', 'gitlab', 'LoadBalancer'),
};

const cilium = (name: string, spec: string, ns = 'gitlab', kind = 'CiliumNetworkPolicy') => `apiVersion: cilium.io/v2
kind: ${kind}
metadata:
  name: ${name}${kind === 'CiliumNetworkPolicy' ? `\n  namespace: ${ns}` : ''}
${spec}`;

const calico = (name: string, spec: string, ns = 'gitlab', kind = 'NetworkPolicy') => `apiVersion: projectcalico.org/v3
kind: ${kind}
metadata:
  name: ${name}${kind === 'NetworkPolicy' ? `\n  namespace: ${ns}` : ''}
spec:
${spec}`;

const ciliumAllowFromAll = cilium(
  'allow-from-all',
  `spec:
  endpointSelector:
    matchLabels:
      k8s:name: gitlab
  ingress:
  - fromEntities: [world]
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
      - port: "10022"
        protocol: TCP
`,
);

const calicoAllowFromAll = calico(
  'allow-from-all',
  `  selector: name == 'gitlab'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    destination:
      ports: [80, 10022]
`,
);

const problems = (files: Record<string, string>) => findingsOf(files).filter((f) => f.severity !== 'information');
const only = (findings: Finding[]): Finding => {
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => `${f.code}: ${f.message}`)));
  return findings[0];
};
const preferred = (finding: Finding) => finding.fixes.filter((f) => f.isPreferred);

test('Cilium: a Service port in toPorts is the classic mistake, and the fix keeps the port a string', () => {
  const files = { ...gitlab, 'cnp.yaml': ciliumAllowFromAll };
  const finding = only(findingsOf(files));
  assert.equal(finding.code, 'netpol-port-unmatched');
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['cnp.yaml'], finding), '"10022"');
  assert.match(
    finding.message,
    /^Port 10022\/TCP is the Service port of gitlab\/gitlab-ssh; the pods listen on 22\. It is the port of Service gitlab\/gitlab-ssh, which forwards it to 22\. CiliumNetworkPolicy ports are pod ports/,
  );
  const [fix] = preferred(finding);
  assert.equal(fix.title, 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)');
  assert.match(applyEdits(files['cnp.yaml'], fix.edits), /- port: "22"\n/);
  assert.deepEqual(problems({ ...files, 'cnp.yaml': applyEdits(files['cnp.yaml'], fix.edits) }), []);
});

test('Calico: a Service port in destination.ports is the classic mistake, and the fix keeps it a number', () => {
  const files = { ...gitlab, 'calico.yaml': calicoAllowFromAll };
  const finding = only(findingsOf(files));
  assert.equal(finding.code, 'netpol-port-unmatched');
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['calico.yaml'], finding), '10022');
  assert.match(finding.message, /Calico NetworkPolicy ports are pod ports/);
  const [fix] = preferred(finding);
  assert.match(applyEdits(files['calico.yaml'], fix.edits), /ports: \[80, 22\]/);
  // the named alternative, never preferred
  assert.deepEqual(
    finding.fixes.filter((f) => !f.isPreferred).map((f) => f.edits[0].newText),
    ['ssh'],
  );
});

test('Cilium: no protocol means ANY, so a UDP pod port matches; TCP written against it is a protocol mismatch', () => {
  const dns = {
    'dns.yaml': deployment(
      'coredns',
      '{k8s-app: kube-dns}',
      '[{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}, {containerPort: 9153}]',
      'kube-system',
    ),
    'statsd.yaml': deployment('statsd', '{app: statsd}', '[{containerPort: 9125, protocol: UDP}]', 'kube-system'),
  };
  const spec = (port: string, protocol: string) => `spec:
  endpointSelector: {matchLabels: {any:app: statsd}}
  ingress:
  - toPorts:
    - ports:
      - port: "${port}"${protocol ? `\n        protocol: ${protocol}` : ''}
`;
  assert.deepEqual(findingsOf({ ...dns, 'a.yaml': cilium('statsd', spec('9125', ''), 'kube-system') }), []);
  assert.deepEqual(findingsOf({ ...dns, 'a.yaml': cilium('statsd', spec('9125', 'ANY'), 'kube-system') }), []);
  const files = { ...dns, 'a.yaml': cilium('statsd', spec('9125', 'TCP'), 'kube-system') };
  const finding = only(findingsOf(files));
  assert.equal(finding.code, 'netpol-protocol-mismatch');
  assert.equal(textAt(files['a.yaml'], finding), 'TCP');
  assert.match(applyEdits(files['a.yaml'], preferred(finding)[0].edits), /protocol: UDP/);
});

test('Cilium: named ports, endPort ranges and "0" are read as Cilium reads them', () => {
  const spec = (ports: string) => `spec:
  endpointSelector: {matchLabels: {name: gitlab}}
  ingress:
  - toPorts:
    - ports: ${ports}
`;
  assert.deepEqual(findingsOf({ ...gitlab, 'a.yaml': cilium('a', spec('[{port: ssh}, {port: HTTP, protocol: TCP}]')) }), []);
  assert.deepEqual(findingsOf({ ...gitlab, 'a.yaml': cilium('a', spec('[{port: "20", endPort: 30}]')) }), []);
  assert.deepEqual(findingsOf({ ...gitlab, 'a.yaml': cilium('a', spec('[{port: "0", protocol: TCP}]')) }), []);
  const files = { ...gitlab, 'a.yaml': cilium('a', spec('[{port: sshd}]')) };
  const finding = only(findingsOf(files));
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /declares a port named "sshd"/);
});

test('Cilium: specs[] are policies of their own, each judged against its own endpointSelector', () => {
  const files = {
    ...gitlab,
    'redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]', 'gitlab'),
    'redis-svc.yaml': service('redis', '{app: redis}', '[{port: 16379, targetPort: 6379}]', 'gitlab'),
    'a.yaml': cilium(
      'layered',
      `specs:
- endpointSelector: {matchLabels: {name: gitlab}}
  ingress: [{toPorts: [{ports: [{port: "22"}]}]}]
- endpointSelector: {matchLabels: {app: redis}}
  ingress: [{toPorts: [{ports: [{port: "16379", protocol: TCP}]}]}]
`,
    ),
  };
  const finding = only(findingsOf(files));
  assert.match(finding.message, /Port 16379\/TCP is the Service port of gitlab\/redis; the pods listen on 6379/);
});

test('Cilium egress: toEndpoints across namespaces by the namespace label is judged; entities, CIDRs and FQDNs are not', () => {
  const base = {
    ...gitlab,
    'redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]', 'data'),
    'redis-svc.yaml': service('redis', '{app: redis}', '[{port: 16379, targetPort: 6379}]', 'data'),
  };
  const egress = (to: string) => `spec:
  endpointSelector: {matchLabels: {name: gitlab}}
  egress:
  - ${to}
    toPorts: [{ports: [{port: "16379", protocol: TCP}]}]
`;
  const files = {
    ...base,
    'a.yaml': cilium('egress', egress('toEndpoints: [{matchLabels: {app: redis, k8s:io.kubernetes.pod.namespace: data}}]')),
  };
  const finding = only(findingsOf(files));
  assert.equal(finding.code, 'netpol-egress-port-unmatched');
  assert.match(applyEdits(files['a.yaml'], preferred(finding)[0].edits), /port: "6379"/);
  // without the namespace label, a namespaced policy's peers are its own namespace's pods: none here
  assert.deepEqual(findingsOf({ ...base, 'a.yaml': cilium('egress', egress('toEndpoints: [{matchLabels: {app: redis}}]')) }), []);
  for (const to of ['toEntities: [cluster]', 'toCIDR: [10.0.0.0/8]', 'toFQDNs: [{matchName: redis.example.com}]']) {
    assert.deepEqual(findingsOf({ ...base, 'a.yaml': cilium('egress', egress(to)) }), [], to);
  }
});

test('CiliumClusterwideNetworkPolicy selects pods of every namespace; a namespace label narrows it', () => {
  const files = {
    ...gitlab,
    'a.yaml': cilium(
      'ssh',
      `spec:
  endpointSelector:
    matchLabels: {k8s:io.kubernetes.pod.namespace: gitlab, name: gitlab}
  ingress: [{toPorts: [{ports: [{port: "10022"}]}]}]
`,
      '',
      'CiliumClusterwideNetworkPolicy',
    ),
  };
  const finding = only(findingsOf(files));
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /^Port 10022 \(any protocol\) is the Service port of gitlab\/gitlab-ssh/);
});

test('Cilium: label sources the workspace cannot resolve (reserved:, service accounts) are not judged', () => {
  for (const labels of ['{reserved:host: ""}', '{k8s:io.cilium.k8s.policy.serviceaccount: gitlab}']) {
    const files = {
      ...gitlab,
      'a.yaml': cilium('a', `spec:\n  endpointSelector: {matchLabels: ${labels}}\n  ingress: [{toPorts: [{ports: [{port: "10022"}]}]}]\n`),
    };
    assert.deepEqual(findingsOf(files), [], labels);
  }
});

test('Calico selectors pick pods by &&, ||, in, has() and !has()', () => {
  const files = {
    'web.yaml': deployment('web', '{app: web, tier: frontend}', '[{containerPort: 8080}]'),
    'api.yaml': deployment('api', '{app: api, tier: backend, legacy: "true"}', '[{containerPort: 9090}]'),
    'svc.yaml': service('web', '{app: web}', '[{port: 80, targetPort: 8080}]'),
  };
  const rule = (selector: string, ports: string) =>
    `  selector: ${selector}\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: ${ports}}\n`;
  const check = (selector: string, ports: string) => findingsOf({ ...files, 'p.yaml': calico('p', rule(selector, ports), 'app') });
  assert.equal(only(check(`"tier in {'frontend', 'edge'} && !has(legacy)"`, '[80]')).severity, 'warning');
  assert.deepEqual(check(`"app == 'web' || app == 'api'"`, '[8080, 9090]'), []);
  assert.equal(only(check(`"has(legacy)"`, '[8080]')).severity, 'information'); // 8080 is the web pods', not the api's
  const nothing = only(check(`"app == 'worker'"`, '[80]'));
  assert.equal(nothing.code, 'netpol-selects-nothing');
  assert.match(nothing.message, /Calico NetworkPolicy app\/p selects no pod template/);
});

test('Calico: an unparseable selector gets one error at the character that breaks it, and nothing else', () => {
  const text = calico('p', `  selector: app == web\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [10022]}\n`);
  const findings = findingsOf({ ...gitlab, 'p.yaml': text });
  const finding = only(findings);
  assert.equal(finding.code, 'manifest-invalid');
  assert.equal(finding.severity, 'error');
  assert.equal(textAt(text, finding), 'w');
  assert.match(finding.message, /^This Calico selector does not parse: expected a quoted value after "==", found "web"\. Calico rejects/);
});

test('Calico: ranges, names and numeric protocols; a protocol mismatch fixes the rule protocol only where that is safe', () => {
  const files = {
    ...gitlab,
    'statsd.yaml': deployment(
      'statsd',
      '{app: statsd}',
      '[{name: statsd, containerPort: 9125, protocol: UDP}, {containerPort: 9102}]',
      'gitlab',
    ),
  };
  const policyOf = (protocol: string, ports: string) =>
    calico(
      'p',
      `  selector: app == 'statsd'\n  ingress:\n  - action: Allow\n    protocol: ${protocol}\n    destination:\n      ports: ${ports}\n`,
    );
  assert.deepEqual(findingsOf({ ...files, 'p.yaml': policyOf('UDP', '["9000:9200"]') }), []);
  assert.deepEqual(findingsOf({ ...files, 'p.yaml': policyOf('17', '[statsd]') }), []);
  const single = { ...files, 'p.yaml': policyOf('TCP', '[9125]') };
  const mismatch = only(findingsOf(single));
  assert.equal(mismatch.code, 'netpol-protocol-mismatch');
  assert.equal(textAt(single['p.yaml'], mismatch), '9125');
  assert.match(applyEdits(single['p.yaml'], preferred(mismatch)[0].edits), /protocol: UDP/);
  // the rule also admits 9102/TCP: changing its protocol would cut that, so nothing is preferred
  const shared = only(findingsOf({ ...files, 'p.yaml': policyOf('TCP', '[9125, 9102]') }));
  assert.equal(shared.code, 'netpol-protocol-mismatch');
  assert.deepEqual(preferred(shared), []);
  assert.match(shared.fixes[0].title, /for all its ports/);
});

test('Calico: Deny rules, rules narrowed by addresses and rules of a type the policy leaves out are not judged', () => {
  const rule = (extra: string, types = '') =>
    `  selector: name == 'gitlab'${types}\n  ingress:\n  - action: ${extra}\n    protocol: TCP\n    destination:\n      ports: [10022]\n`;
  assert.deepEqual(findingsOf({ ...gitlab, 'p.yaml': calico('p', rule('Deny')) }), []);
  assert.deepEqual(findingsOf({ ...gitlab, 'p.yaml': calico('p', rule('Allow\n    notProtocol: UDP')) }), []);
  assert.deepEqual(findingsOf({ ...gitlab, 'p.yaml': calico('p', rule('Allow', '\n  types: [Egress]')) }), []);
  const narrowed = calico(
    'p',
    `  selector: name == 'gitlab'\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination:\n      nets: [10.0.0.0/8]\n      ports: [10022]\n`,
  );
  assert.deepEqual(findingsOf({ ...gitlab, 'p.yaml': narrowed }), []);
});

test('Calico egress: destination.selector with a namespaceSelector is judged; without a selector it is not', () => {
  const files = {
    ...gitlab,
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: data, labels: {team: data}}\n',
    'redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]', 'data'),
    'redis-svc.yaml': service('redis', '{app: redis}', '[{port: 16379, targetPort: 6379}]', 'data'),
  };
  const egress = (destination: string) =>
    calico(
      'egress',
      `  selector: name == 'gitlab'\n  types: [Egress]\n  egress:\n  - action: Allow\n    protocol: TCP\n    destination:\n${destination}      ports: [16379]\n`,
    );
  const judged = only(
    findingsOf({ ...files, 'p.yaml': egress("      selector: app == 'redis'\n      namespaceSelector: team == 'data'\n") }),
  );
  assert.equal(judged.code, 'netpol-egress-port-unmatched');
  const byName = only(
    findingsOf({
      ...files,
      'p.yaml': egress("      selector: app == 'redis'\n      namespaceSelector: projectcalico.org/name == 'data'\n"),
    }),
  );
  assert.equal(byName.code, 'netpol-egress-port-unmatched');
  assert.deepEqual(findingsOf({ ...files, 'p.yaml': egress('      nets: [10.0.0.0/8]\n') }), []);
  assert.deepEqual(findingsOf({ ...files, 'p.yaml': egress("      selector: app == 'redis'\n      namespaceSelector: all()\n") }), []);
});

test('Calico GlobalNetworkPolicy: namespaceSelector picks the namespaces of its pods', () => {
  const gnp = calico(
    'ssh',
    `  namespaceSelector: projectcalico.org/name == 'gitlab'\n  selector: name == 'gitlab'\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [10022]}\n`,
    '',
    'GlobalNetworkPolicy',
  );
  const finding = only(findingsOf({ ...gitlab, 'gnp.yaml': gnp }));
  assert.equal(finding.severity, 'warning');
  assert.match(finding.message, /Calico GlobalNetworkPolicy ports are pod ports/);
});

test('a Calico or Cilium policy never gets a Kubernetes structure finding', () => {
  // Read as Kubernetes, these would be misplaced fields, quoted numbers and empty ports.
  const files = {
    ...gitlab,
    'calico.yaml': calico(
      'p',
      `  selector: name == 'gitlab'\n  ingress:\n  - action: Allow\n    protocol: TCP\n    source: {selector: app == 'x', ports: [1]}\n    destination: {ports: ["22", http]}\n`,
    ),
    'cnp.yaml': cilium(
      'c',
      `spec:\n  endpointSelector: {matchLabels: {name: gitlab}}\n  ingress:\n  - toPorts:\n    - ports: [{port: "22"}, {port: "80", protocol: TCP}]\n`,
    ),
  };
  assert.deepEqual(findingsOf(files), []);
  const model = parseManifests('file:///c.yaml', files['calico.yaml']);
  assert.deepEqual([model.policies.length, model.dialectPolicies.length], [0, 1]);
});

test('a workspace mixing Kubernetes, Cilium and Calico policies: each judged in its own terms', () => {
  const files = {
    ...gitlab,
    'redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]', 'gitlab'),
    'redis-svc.yaml': service('redis', '{app: redis}', '[{port: 16379, targetPort: 6379}]', 'gitlab'),
    'pg.yaml': deployment('postgresql', '{app: postgresql}', '[{containerPort: 5432}]', 'gitlab'),
    'pg-svc.yaml': service('postgresql', '{app: postgresql}', '[{port: 15432, targetPort: 5432}]', 'gitlab'),
    'k8s.yaml': policy('redis', '{matchLabels: {app: redis}}', '[{ports: [{port: 16379}]}]', 'gitlab'),
    'cnp.yaml': ciliumAllowFromAll,
    'calico.yaml': calico(
      'pg',
      `  selector: app == 'postgresql'\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [15432]}\n`,
    ),
  };
  const lens = lensOf(files);
  const warnings = lens.allFindings().filter((f) => f.severity === 'warning');
  const kinds = warnings.map((f) => [f.uri, /(Calico )?\w*NetworkPolicy ports are pod ports/.exec(f.message)?.[0]]).sort();
  assert.deepEqual(kinds, [
    [uriOf('calico.yaml'), 'Calico NetworkPolicy ports are pod ports'],
    [uriOf('cnp.yaml'), 'CiliumNetworkPolicy ports are pod ports'],
    [uriOf('k8s.yaml'), 'NetworkPolicy ports are pod ports'],
  ]);
});

/** The position of the first occurrence of `needle` in a file's text. */
function positionOf(text: string, needle: string, offset = 0) {
  const at = text.indexOf(needle) + offset;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('hover on a Cilium or Calico port shows the verdict, the selected pods and the Service → pod chain', () => {
  const files = { ...gitlab, 'cnp.yaml': ciliumAllowFromAll, 'calico.yaml': calicoAllowFromAll };
  const lens = lensOf(files);
  const cilium = lens.hover(uriOf('cnp.yaml'), positionOf(files['cnp.yaml'], '"10022"', 2))!;
  assert.match(cilium.markdown, /^\*\*CiliumNetworkPolicy gitlab\/allow-from-all\*\* · ingress port `10022\/TCP`/);
  assert.doesNotMatch(cilium.markdown, /Port 10022\/TCP is the/, 'the diagnostic is not repeated');
  assert.match(
    cilium.markdown,
    /\*\*Pods this policy selects\*\*\n\n- \[Deployment gitlab\/gitlab\]\(file:\/\/\/ws\/deploy\.yaml#L4\): 22\/TCP "ssh", 80\/TCP "http"/,
  );
  assert.match(
    cilium.markdown,
    /\*\*Services forwarding to them\*\*\n\n- \[Service gitlab\/gitlab-ssh\]\([^)]*\) \(LoadBalancer\) 10022\/TCP → targetPort 22 → \[Deployment gitlab\/gitlab\]\([^)]*\), container main, 22\/TCP "ssh"/,
  );
  const calico = lens.hover(uriOf('calico.yaml'), positionOf(files['calico.yaml'], '10022'))!;
  assert.match(calico.markdown, /^\*\*Calico NetworkPolicy gitlab\/allow-from-all\*\* · ingress port `10022\/TCP`/);
  assert.match(calico.markdown, /10022\/TCP → targetPort 22 → /);
  const fine = lens.hover(uriOf('calico.yaml'), positionOf(files['calico.yaml'], '[80', 1))!;
  assert.match(fine.markdown, /✓ Admits 80\/TCP "http" on Deployment gitlab\/gitlab\./);
  // the selector: the pods it picks
  const selector = lens.hover(uriOf('calico.yaml'), positionOf(files['calico.yaml'], "name == 'gitlab'", 3))!;
  assert.match(selector.markdown, /^\*\*name == 'gitlab'\*\*\n\n\*\*Pods this policy selects\*\*\n\n- \[Deployment gitlab\/gitlab\]/);
  // go to definition: the container port the entry admits
  const [target] = lens.definition(uriOf('cnp.yaml'), positionOf(files['cnp.yaml'], '"80"', 1));
  assert.equal(target.uri, uriOf('deploy.yaml'));
});

const ask = (lens: PortLens, from: string, to: string) =>
  explain(lens.index, (uri) => lens.findings(uri), parseSource(lens.index, from), parseDestination(lens.index, to));

test('explain: a Cilium or Calico policy selecting a pod on the path makes the verdict unknown, naming it', () => {
  const redis = { 'redis.yaml': deployment('redis', '{app: redis}', '[{containerPort: 6379}]', 'gitlab') };
  // Kubernetes alone: allowed
  assert.equal(ask(lensOf({ ...gitlab, ...redis }), 'external', 'gitlab/gitlab-ssh:10022').verdict, 'allowed');
  const withCilium = ask(lensOf({ ...gitlab, ...redis, 'cnp.yaml': ciliumAllowFromAll }), 'external', 'gitlab/gitlab-ssh:10022');
  assert.equal(withCilium.verdict, 'unknown');
  assert.deepEqual(withCilium.results[0].notEvaluated, [
    'CiliumNetworkPolicy gitlab/allow-from-all also selects Deployment gitlab/gitlab; Cilium and Calico policies are not evaluated here',
  ]);
  // a Calico policy with egress rules on the source
  const egress = calico(
    'redis-out',
    `  selector: app == 'redis'\n  types: [Egress]\n  egress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [53]}\n`,
  );
  const fromRedis = ask(lensOf({ ...gitlab, ...redis, 'calico.yaml': egress }), 'gitlab/Deployment/redis', 'gitlab/gitlab-ssh:10022');
  assert.equal(fromRedis.verdict, 'unknown');
  assert.match(fromRedis.results[0].reason, /^Calico NetworkPolicy gitlab\/redis-out also selects the source Deployment gitlab\/redis/);
  // an ingress-only policy on the source, or one on other pods, changes nothing
  const ingressOnly = calico('redis-in', `  selector: app == 'redis'\n  types: [Ingress]\n  ingress: []\n`);
  assert.equal(
    ask(lensOf({ ...gitlab, ...redis, 'calico.yaml': ingressOnly }), 'gitlab/Deployment/redis', 'gitlab/gitlab-ssh:10022').verdict,
    'allowed',
  );
});
