import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits } from '../../server/src/analysis/fixes/applyFixes';
import { explain } from '../../server/src/analysis/explain/explain';
import { destinationCandidates, parseDestination, parseSource } from '../../server/src/analysis/explain/endpoints';
import { renderText } from '../../server/src/analysis/explain/render';
import { parseManifests } from '../../server/src/model/parse';
import { deployment, findingsOf, lensOf, service, textAt, uriOf } from '../helpers';

const ingress = (port: string, name = 'api', apiVersion = 'networking.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: Ingress
metadata:
  name: web
  namespace: app
spec:
  rules:
    - http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port: ${port}
`;

const route = (kind: string, backendRefs: string, ns = 'app') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: r
  namespace: ${ns}
spec:
  rules:
    - backendRefs: ${backendRefs}
`;

const serviceMonitor = (endpoints: string, selector = '{matchLabels: {app: api}}', extra = '') => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: api
  namespace: app
spec:
  selector: ${selector}
  endpoints: ${endpoints}${extra}
`;

const podMonitor = (endpoints: string) => `apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: api
  namespace: app
spec:
  selector: {matchLabels: {app: api}}
  podMetricsEndpoints: ${endpoints}
`;

const api = {
  'deploy.yaml': deployment('api', '{app: api}', '[{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]'),
  'svc.yaml': service(
    'api',
    '{app: api}',
    '[{name: http, port: 80, targetPort: http}, {name: http-metrics, port: 9090, targetPort: metrics}]',
  ).replace('metadata:\n', 'metadata:\n  labels: {app: api}\n'),
};

const only = (files: Record<string, string>, code: string) => findingsOf(files).filter((f) => f.code === code);
const preferred = (f: { fixes: Array<{ isPreferred: boolean; edits: Array<{ newText: string }> }> }) =>
  f.fixes.filter((x) => x.isPreferred).map((x) => x.edits[0].newText);

test('the model reads Ingress backends, route backendRefs, monitors and probes with their ranges, each in its own API group', () => {
  const text = [
    ingress('{number: 8080}'),
    ingress('{number: 1}', 'old', 'extensions/v1beta1'),
    route(
      'HTTPRoute',
      '[{name: api, port: 80, namespace: other}, {kind: ServiceImport, name: x, port: 1}, {group: example.com, name: y, port: 2}]',
    ),
    serviceMonitor('[{port: metrics}]', '{matchLabels: {app: api}}', '\n  namespaceSelector: {any: true}'),
    serviceMonitor('[{port: x}]').replace('monitoring.coreos.com/v1', 'example.com/v1'),
    podMonitor('[{port: metrics}, {portNumber: 9090}]'),
    deployment('api', '{app: api}', '[{name: http, containerPort: 8080}]').replace(
      '          ports:',
      '          livenessProbe: {httpGet: {port: http}}\n          readinessProbe: {tcpSocket: {port: 8080}}\n          startupProbe: {grpc: {port: 9000}}\n          ports:',
    ),
  ].join('---\n');
  const model = parseManifests('file:///m.yaml', text);
  assert.deepEqual(model.errors, []);
  assert.deepEqual(
    model.routers.map((r) => [
      r.ref.kind,
      r.backends.map((b) => [b.namespace, b.service.value, b.port?.value, b.label, textAt(text, b.port!)]),
    ]),
    [
      ['Ingress', [[undefined, 'api', { kind: 'number', number: 8080 }, '/api', '8080']]],
      ['HTTPRoute', [['other', 'api', { kind: 'number', number: 80 }, 'rule 1', '80']]],
    ],
  );
  assert.deepEqual(
    model.monitors.map((m) => [m.ref.kind, m.selects, m.namespaces, m.endpoints.map((e) => [e.port?.value, e.portNumber?.value])]),
    [
      ['ServiceMonitor', 'services', { kind: 'any' }, [['metrics', undefined]]],
      [
        'PodMonitor',
        'pods',
        { kind: 'own' },
        [
          ['metrics', undefined],
          [undefined, 9090],
        ],
      ],
    ],
  );
  assert.deepEqual(
    model.pods[0].probes.map((p) => [p.container, p.kind, p.handler, textAt(text, p.port)]),
    [
      ['main', 'liveness', 'httpGet', 'http'],
      ['main', 'readiness', 'tcpSocket', '8080'],
      ['main', 'startup', 'grpc', '9000'],
    ],
  );
  // The fast reader blanks what it does not read; the result is the same as reading everything.
  assert.deepEqual(
    JSON.parse(JSON.stringify(model)),
    JSON.parse(JSON.stringify(parseManifests('file:///m.yaml', text, { everyDocument: true, keepUnread: true }))),
  );
});

test('backend-port-unmatched: the pod port in an Ingress backend is a warning whose preferred fix is the Service port', () => {
  const files = { ...api, 'ing.yaml': ingress('{number: 8080}') };
  const [finding, ...rest] = only(files, 'backend-port-unmatched');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['ing.yaml'], finding), '8080');
  assert.match(finding.message, /^Port 8080 is the pod port behind Service app\/api; write its Service port 80\./);
  assert.deepEqual(preferred(finding), ['80']);
  assert.equal(finding.fixes[0].title, 'Change port 8080 to 80 (Service app/api forwards 80 → 8080)');
  // the right port, by number or by name: silent
  assert.deepEqual(only({ ...api, 'ing.yaml': ingress('{number: 80}') }, 'backend-port-unmatched'), []);
  assert.deepEqual(only({ ...api, 'ing.yaml': ingress('{name: http-metrics}') }, 'backend-port-unmatched'), []);
});

test('backend-port-unmatched: an Ingress defaultBackend is judged like a rule backend (SPEC §10)', () => {
  const withDefault = (port: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: app
spec:
  defaultBackend:
    service:
      name: api
      port: ${port}
`;
  const files = { ...api, 'ing.yaml': withDefault('{number: 8080}') };
  const [finding, ...rest] = only(files, 'backend-port-unmatched');
  assert.deepEqual(rest, []);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['ing.yaml'], finding), '8080');
  assert.deepEqual(preferred(finding), ['80']);
  assert.deepEqual(only({ ...api, 'ing.yaml': withDefault('{number: 80}') }, 'backend-port-unmatched'), []);
  assert.deepEqual(preferred(only({ ...api, 'ing.yaml': withDefault('{name: metrics}') }, 'backend-port-unmatched')[0]), ['http-metrics']);
});

test('backend-port-unmatched: names — the container port name gets the Service port name forwarding to it, a typo its near name', () => {
  const container = only({ ...api, 'ing.yaml': ingress('{name: metrics}') }, 'backend-port-unmatched')[0];
  assert.equal(container.severity, 'warning');
  assert.deepEqual(preferred(container), ['http-metrics']);
  const typo = only({ ...api, 'ing.yaml': ingress('{name: htp}') }, 'backend-port-unmatched')[0];
  assert.deepEqual(preferred(typo), ['http']);
  // a number unrelated to the Service: a warning, the Service's ports offered but none preferred
  const unrelated = only({ ...api, 'ing.yaml': ingress('{number: 5000}') }, 'backend-port-unmatched')[0];
  assert.equal(unrelated.severity, 'warning');
  assert.deepEqual(preferred(unrelated), []);
  assert.deepEqual(
    unrelated.fixes.map((f) => f.edits[0].newText),
    ['80', '9090'],
  );
});

test('backend-port-unmatched: a Service outside the workspace is information on its name; ExternalName is not judged', () => {
  const files = { ...api, 'ing.yaml': ingress('{number: 8080}', 'elsewhere') };
  const [finding] = only(files, 'backend-port-unmatched');
  assert.equal(finding.severity, 'information');
  assert.equal(textAt(files['ing.yaml'], finding), 'elsewhere');
  assert.deepEqual(finding.fixes, []);
  const external = { 'svc.yaml': service('api', '{}', '[{port: 443}]', 'app', 'ExternalName'), 'ing.yaml': ingress('{number: 8080}') };
  assert.deepEqual(only(external, 'backend-port-unmatched'), []);
});

test('backend-port-unmatched: Gateway API backendRefs, across namespaces by their namespace, Service kind only', () => {
  const other = {
    'deploy.yaml': deployment('api', '{app: api}', '[{containerPort: 8080}]', 'other'),
    'svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: 8080}]', 'other'),
  };
  for (const kind of ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']) {
    const files = { ...other, 'route.yaml': route(kind, '[{name: api, namespace: other, port: 8080}]') };
    const [finding] = only(files, 'backend-port-unmatched');
    assert.equal(finding?.severity, 'warning', kind);
    assert.deepEqual(preferred(finding), ['80']);
  }
  assert.deepEqual(
    only({ ...other, 'route.yaml': route('HTTPRoute', '[{name: api, namespace: other, port: 80}]') }, 'backend-port-unmatched'),
    [],
  );
  assert.deepEqual(
    only(
      { ...other, 'route.yaml': route('HTTPRoute', '[{kind: Backend, name: api, namespace: other, port: 8080}]') },
      'backend-port-unmatched',
    ),
    [],
  );
  // without its namespace the reference looks in the route's own, where there is no such Service
  assert.equal(
    only({ ...other, 'route.yaml': route('HTTPRoute', '[{name: api, port: 8080}]') }, 'backend-port-unmatched')[0].severity,
    'information',
  );
});

test('monitor-port-unmatched: the container port name in a ServiceMonitor gets the Service port name that forwards to it', () => {
  const files = { ...api, 'sm.yaml': serviceMonitor('[{port: metrics, interval: 30s}]') };
  const [finding, ...rest] = only(files, 'monitor-port-unmatched');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['sm.yaml'], finding), 'metrics');
  assert.match(finding.message, /^"metrics" is the container port's name; a ServiceMonitor names the Service port: "http-metrics"\./);
  assert.deepEqual(preferred(finding), ['http-metrics']);
  assert.deepEqual(only({ ...api, 'sm.yaml': serviceMonitor('[{port: http-metrics}]') }, 'monitor-port-unmatched'), []);
  // a typo: the near name
  assert.deepEqual(preferred(only({ ...api, 'sm.yaml': serviceMonitor('[{port: http-metric}]') }, 'monitor-port-unmatched')[0]), [
    'http-metrics',
  ]);
});

test('monitor-port-unmatched: a monitor that selects nothing here is information on its selector, never a warning', () => {
  const files = { ...api, 'sm.yaml': serviceMonitor('[{port: nope}]', '{matchLabels: {app: other}}') };
  const [finding, ...rest] = only(files, 'monitor-port-unmatched');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'information');
  assert.equal(textAt(files['sm.yaml'], finding), '{matchLabels: {app: other}}');
  // namespaceSelector: the Services of the named namespaces only
  const elsewhere = {
    ...api,
    'sm.yaml': serviceMonitor('[{port: nope}]', '{matchLabels: {app: api}}', '\n  namespaceSelector: {matchNames: [monitoring]}'),
  };
  assert.equal(only(elsewhere, 'monitor-port-unmatched')[0].severity, 'information');
});

test('monitor-port-unmatched: a PodMonitor names container ports; the Service port name gets the container name it forwards to', () => {
  assert.deepEqual(only({ ...api, 'pm.yaml': podMonitor('[{port: metrics}]') }, 'monitor-port-unmatched'), []);
  const [finding] = only({ ...api, 'pm.yaml': podMonitor('[{port: http-metrics}]') }, 'monitor-port-unmatched');
  assert.equal(finding.severity, 'warning');
  assert.deepEqual(preferred(finding), ['metrics']);
});

test('monitor-port-unmatched: a ServiceMonitor targetPort is a pod port of the pods behind its Services, judged when no port is written', () => {
  const judged = (endpoints: string, files: Record<string, string> = api) =>
    only({ ...files, 'sm.yaml': serviceMonitor(endpoints) }, 'monitor-port-unmatched');
  assert.deepEqual(judged('[{targetPort: metrics}, {targetPort: 9090}, {port: http-metrics, targetPort: 9999}]'), []);
  // The Service port's name or number, where the pod port belongs: fixed to the container port it forwards to.
  const [byName, ...none] = judged('[{targetPort: http-metrics}]');
  assert.deepEqual(none, []);
  assert.equal(byName.severity, 'warning');
  assert.match(
    byName.message,
    /^"http-metrics" is a Service port's name; a ServiceMonitor's targetPort names the container port: "metrics"\./,
  );
  assert.deepEqual(preferred(byName), ['metrics']);
  const files = { ...api, 'sm.yaml': serviceMonitor('[{targetPort: 80}]') };
  const [byNumber] = only(files, 'monitor-port-unmatched');
  assert.equal(byNumber.severity, 'warning');
  assert.equal(textAt(files['sm.yaml'], byNumber), '80');
  assert.match(byNumber.message, /^80 is a Service port's number; a ServiceMonitor's targetPort names the container port: 8080\./);
  assert.deepEqual(preferred(byNumber), ['8080']);
  assert.ok(applyEdits(files['sm.yaml'], byNumber.fixes[0].edits).includes('endpoints: [{targetPort: 8080}]'));
  // A number no container declares: Prometheus discovers declared ports only, so nothing is scraped.
  const [undeclared] = judged('[{targetPort: 9999}]');
  assert.equal(undeclared.severity, 'warning');
  assert.match(
    undeclared.message,
    /^No container of the pods behind the Services this monitor selects declares port 9999, so nothing is scraped/,
  );
  assert.deepEqual(undeclared.fixes, []);
  // Services whose pods are not in the workspace: not judged.
  assert.deepEqual(judged('[{targetPort: 9999}]', { 'svc.yaml': api['svc.yaml'] }), []);
});

test('monitor-port-unmatched: a PodMonitor portNumber (and targetPort) name container ports, judged in the order the operator reads them', () => {
  const judged = (endpoints: string) => only({ ...api, 'pm.yaml': podMonitor(endpoints) }, 'monitor-port-unmatched');
  assert.deepEqual(
    judged('[{portNumber: 9090}, {port: metrics, portNumber: 9999}, {portNumber: 8080, targetPort: nope}, {targetPort: 9090}]'),
    [],
  );
  const [servicePort] = judged('[{portNumber: 80}]');
  assert.equal(servicePort.severity, 'warning');
  assert.deepEqual(preferred(servicePort), ['8080']);
  const [undeclared] = judged('[{portNumber: 9999}]');
  assert.equal(undeclared.severity, 'warning');
  assert.match(
    undeclared.message,
    /^No container of the pods this monitor selects declares port 9999, so nothing is scraped \(portNumber keeps/,
  );
  assert.deepEqual(preferred(judged('[{targetPort: metric}]')[0]), ['metrics']);
});

const probed = (probes: string, ports = '[{name: http, containerPort: 8080}]', hostNetwork = false) =>
  deployment('api', '{app: api}', ports)
    .replace('          ports:', `${probes}\n          ports:`)
    .replace('    spec:\n', `    spec:\n${hostNetwork ? '      hostNetwork: true\n' : ''}`);

test('probe-port-unmatched: a name the container does not declare is a warning; a typo gets its near name', () => {
  const files = { 'deploy.yaml': probed('          livenessProbe: {httpGet: {path: /, port: htpp}}') };
  const [finding] = only(files, 'probe-port-unmatched');
  assert.equal(finding.severity, 'warning');
  assert.equal(textAt(files['deploy.yaml'], finding), 'htpp');
  assert.match(
    finding.message,
    /^The liveness probe \(httpGet\) of container main names port "htpp", which its container does not declare/,
  );
  assert.deepEqual(preferred(finding), ['http']);
  assert.deepEqual(
    only({ 'deploy.yaml': probed('          livenessProbe: {httpGet: {path: /, port: http}}') }, 'probe-port-unmatched'),
    [],
  );
});

test('probe-port-unmatched: a Service port in a probe is a warning fixed to the container port; other numbers information at most', () => {
  const svc = { 'svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: http}]') };
  const files = { ...svc, 'deploy.yaml': probed('          readinessProbe: {tcpSocket: {port: 80}}') };
  const [finding] = only(files, 'probe-port-unmatched');
  assert.equal(finding.severity, 'warning');
  assert.deepEqual(preferred(finding), ['8080']);
  const undeclared = only({ ...svc, 'deploy.yaml': probed('          readinessProbe: {tcpSocket: {port: 8081}}') }, 'probe-port-unmatched');
  assert.deepEqual(
    undeclared.map((f) => [f.severity, f.fixes.length]),
    [['information', 0]],
  );
  // not judged: a hostNetwork pod, a pod that declares no ports
  assert.deepEqual(
    only(
      { ...svc, 'deploy.yaml': probed('          readinessProbe: {tcpSocket: {port: 80}}', '[{name: http, containerPort: 8080}]', true) },
      'probe-port-unmatched',
    ),
    [],
  );
  assert.deepEqual(
    only({ 'deploy.yaml': probed('          readinessProbe: {tcpSocket: {port: 8081}}', '[]') }, 'probe-port-unmatched'),
    [],
  );
});

test('incremental: renaming a Service port updates the Ingress and monitor files that name it, equal to a fresh analysis', () => {
  const files: Record<string, string> = {
    ...api,
    'ing.yaml': ingress('{name: http}'),
    'sm.yaml': serviceMonitor('[{port: http-metrics}]'),
    'route.yaml': route('HTTPRoute', '[{name: api, port: 80}]'),
  };
  const lens = lensOf(files);
  assert.deepEqual(
    lens.allFindings().filter((f) => f.severity !== 'information'),
    [],
  );
  const renamed = files['svc.yaml']
    .replace('name: http,', 'name: web,')
    .replace('name: http-metrics', 'name: prom')
    .replace('port: 80,', 'port: 81,');
  const changed = lens.setFile(uriOf('svc.yaml'), renamed);
  for (const name of ['ing.yaml', 'sm.yaml', 'route.yaml']) {
    assert.ok(changed.has(uriOf(name)), name);
    assert.equal(lens.findings(uriOf(name)).filter((f) => f.severity === 'warning').length, 1, name);
  }
  assert.deepEqual(lens.allFindings(), lensOf({ ...files, 'svc.yaml': renamed }).allFindings());
  // and back, by removing and re-adding files
  lens.removeFile(uriOf('svc.yaml'));
  assert.deepEqual(
    lens.allFindings(),
    lensOf({ ...files, 'svc.yaml': '' })
      .allFindings()
      .filter((f) => f.uri !== uriOf('svc.yaml')),
  );
  lens.setFile(uriOf('svc.yaml'), files['svc.yaml']);
  assert.deepEqual(lens.allFindings(), lensOf(files).allFindings());
});

test('examples/shop: exactly the four planted warnings, and the preferred fixes clear them all', () => {
  const dir = path.resolve(__dirname, '../../examples/shop');
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) files[name] = readFileSync(path.join(dir, name), 'utf8');
  const warnings = findingsOf(files).filter((f) => f.severity !== 'information');
  assert.deepEqual(warnings.map((f) => [f.code, textAt(files[f.uri.slice(uriOf('').length)], f), preferred(f)]).sort(), [
    ['backend-port-unmatched', '3000', ['80']],
    ['backend-port-unmatched', '8080', ['80']],
    ['monitor-port-unmatched', 'metrics', ['http-metrics']],
    ['probe-port-unmatched', '80', ['3000']],
  ]);
  const fixed = { ...files };
  for (const f of warnings) {
    const name = f.uri.slice(uriOf('').length);
    fixed[name] = applyEdits(fixed[name], f.fixes.find((x) => x.isPreferred)!.edits);
  }
  assert.deepEqual(
    findingsOf(fixed).filter((f) => f.severity !== 'information'),
    [],
  );
});

test('hover and go-to-definition follow each reference to the Service port and on to the container port', () => {
  const files: Record<string, string> = {
    ...api,
    'ing.yaml': ingress('{number: 80}'),
    'sm.yaml': serviceMonitor('[{port: http-metrics}]'),
  };
  files['deploy.yaml'] = files['deploy.yaml'].replace(
    '          ports:',
    '          livenessProbe: {httpGet: {port: http}}\n          ports:',
  );
  const lens = lensOf(files);
  const at = (name: string, needle: string, occurrence = 0) => {
    const lines = files[name].split('\n');
    const hits = lines.flatMap((l, line) => (l.includes(needle) ? [{ line, character: l.indexOf(needle) + 1 }] : []));
    return hits[occurrence];
  };
  const backend = lens.hover(uriOf('ing.yaml'), at('ing.yaml', '80'))!;
  assert.match(
    backend.markdown.replace(/\]\([^)]*\)/g, ']'),
    /- \[Ingress app\/web\] \/api → \[Service app\/api\] \(ClusterIP\) 80\/TCP → targetPort "http" → \[Deployment app\/api\], container main, 8080\/TCP "http"/,
  );
  const [servicePort] = lens.definition(uriOf('ing.yaml'), at('ing.yaml', '80'));
  assert.equal(textAt(files['svc.yaml'], servicePort), '{name: http, port: 80, targetPort: http}');
  const [containerPort] = lens.definition(uriOf('svc.yaml'), servicePort.range.start);
  assert.equal(textAt(files['deploy.yaml'], containerPort), '{name: http, containerPort: 8080}');
  // the ServiceMonitor's port leads to the Service port; the probe's to the container port
  const [monitored] = lens.definition(uriOf('sm.yaml'), at('sm.yaml', 'http-metrics'));
  assert.equal(textAt(files['svc.yaml'], monitored), '{name: http-metrics, port: 9090, targetPort: metrics}');
  assert.match(
    lens.hover(uriOf('sm.yaml'), at('sm.yaml', 'http-metrics'))!.markdown,
    /ServiceMonitor app\/api\]\([^)]*\) → \[Service app\/api\]\([^)]*\) \(ClusterIP\) 9090\/TCP → targetPort "metrics"/,
  );
  // a ServiceMonitor's targetPort leads to the container port behind the Service
  const byTargetPort = serviceMonitor('[{targetPort: 9090}]');
  const pods = lensOf({ ...files, 'sm.yaml': byTargetPort });
  const onTargetPort = { line: byTargetPort.split('\n').findIndex((l) => l.includes('9090')), character: 30 };
  const [container] = pods.definition(uriOf('sm.yaml'), onTargetPort);
  assert.equal(textAt(files['deploy.yaml'], container), '{name: metrics, containerPort: 9090}');
  assert.match(
    pods.hover(uriOf('sm.yaml'), onTargetPort)!.markdown.replace(/\]\([^)]*\)/g, ']'),
    /targetPort `9090`[\s\S]*- \[ServiceMonitor app\/api\] → \[Deployment app\/api\], container main, 9090\/TCP "metrics"/,
  );
  const [probed] = lens.definition(uriOf('deploy.yaml'), at('deploy.yaml', 'http}}'));
  assert.equal(textAt(files['deploy.yaml'], probed), '{name: http, containerPort: 8080}');
  // the Service port's hover lists who uses it
  const used = lens.hover(uriOf('svc.yaml'), servicePort.range.start)!.markdown;
  assert.match(used, /\*\*Used by\*\*\n\n- \[Ingress app\/web \/api\]/);
  const metrics = lens.hover(uriOf('svc.yaml'), monitored.range.start)!.markdown;
  assert.match(metrics, /- \[ServiceMonitor app\/api\]\([^)]*\) \(scrapes it\)/);
});

test("explain: an Ingress or route backend as destination, the ingress controller's namespace as source", () => {
  const onlyFromController = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-ingress, namespace: app}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]
      ports: [{port: http}]
`;
  const lens = lensOf({
    ...api,
    'ing.yaml': ingress('{number: 80}'),
    'np.yaml': onlyFromController,
    'route.yaml': route('HTTPRoute', '[{name: api, port: 80}]'),
  });
  const ask = (from: string, to: string) =>
    explain(lens.index, (uri) => lens.findings(uri), parseSource(lens.index, from), parseDestination(lens.index, to));
  const allowed = ask('ingress-nginx/*', 'app/Ingress/web:/api');
  assert.equal(allowed.verdict, 'allowed');
  assert.equal(allowed.to, 'app/Ingress/web:/api');
  assert.match(
    renderText(allowed, (text) => text),
    /^ingress-nginx\/\* → Ingress app\/web \/api → Service app\/api \(ClusterIP\) 80\/TCP → targetPort "http" → Deployment app\/api, container main, 8080\/TCP "http": ✓ allowed/m,
  );
  assert.equal(ask('app/*', 'app/Ingress/web:/api').verdict, 'denied');
  assert.equal(ask('ingress-nginx/*', 'app/HTTPRoute/r:rule 1').verdict, 'allowed');
  assert.ok(destinationCandidates(lens.index).some((c) => c.name === 'app/Ingress/web:/api'));
  // a backend that names no port of its Service cannot be followed: the error says why
  const broken = lensOf({ ...api, 'ing.yaml': ingress('{number: 8080}') });
  assert.throws(
    () => parseDestination(broken.index, 'app/Ingress/web:/api'),
    /names port 8080, which Service app\/api does not have \(backend-port-unmatched\)/,
  );
  assert.throws(
    () => parseDestination(broken.index, 'app/Ingress/web:/nope'),
    /has no backend for "\/nope"; did you mean "app\/Ingress\/web:\/api"/,
  );
});
