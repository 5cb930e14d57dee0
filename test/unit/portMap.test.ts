import test from 'node:test';
import assert from 'node:assert/strict';
import { buildPortMap, mapNamespaces, type MapEdge, type PortMap } from '../../server/src/analysis/map/portMap';
import { renderMermaid } from '../../server/src/analysis/map/mermaid';
import { renderDot } from '../../server/src/analysis/map/dot';
import { renderHtml } from '../../server/src/analysis/map/html';
import { layoutMap } from '../../server/src/analysis/map/layout';
import { renderSvg as renderSvgOf } from '../../server/src/analysis/map/svg';
import type { PortLens } from '../../server/src/analysis/portLens';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const mapOf = (lens: PortLens, namespace: string | undefined = 'app') => buildPortMap(lens.index, (uri) => lens.findings(uri), namespace);

/** Edges as `from → to: verdict [policies]`, with node ids. */
const edges = (map: PortMap, kind?: MapEdge['kind']) =>
  map.edges.filter((e) => !kind || e.kind === kind).map((e) => `${e.from} → ${e.to}: ${e.verdict} [${e.policies.join(', ')}]`);

const gitlab = (ports: string) => ({
  'deploy.yaml': deployment('gitlab', '{name: gitlab}', '[{name: ssh, containerPort: 22}, {name: http, containerPort: 80}]', 'gitlab'),
  'svc.yaml': service('gitlab-ssh', '{name: gitlab}', '[{name: ssh, port: 10022, targetPort: 22}]', 'gitlab', 'LoadBalancer'),
  'np.yaml': policy('allow-from-all', '{matchLabels: {name: gitlab}}', `[{ports: ${ports}}]`, 'gitlab'),
});

test('the story: external → gitlab-ssh 10022 → 22 on Deployment gitlab is red, naming allow-from-all and its finding; green once fixed', () => {
  const map = mapOf(lensOf(gitlab('[{port: 80}, {port: 10022}]')), 'gitlab');
  assert.deepEqual(
    map.sources.map((s) => [s.id, s.name, s.own]),
    [
      ['source:external', 'external', false],
      ['source:gitlab/*', 'gitlab/*', true],
    ],
  );
  assert.deepEqual(edges(map), [
    'source:external → Service/gitlab-ssh:10022/TCP: denied [allow-from-all]',
    'Service/gitlab-ssh:10022/TCP → Deployment/gitlab:main:22/TCP: denied [allow-from-all]',
    'source:gitlab/* → Service/gitlab-ssh:10022/TCP: denied [allow-from-all]',
  ]);
  const [external, forward] = map.edges;
  assert.deepEqual(external.explain, { from: 'external', to: 'gitlab/gitlab-ssh:10022' });
  assert.equal(external.reason, 'allow-from-all admits 80, 10022 — not 22');
  assert.deepEqual(
    external.findings.map((f) => [f.code, f.uri, f.range.start.line]),
    [['netpol-port-unmatched', uriOf('np.yaml'), 7]],
  );
  assert.deepEqual(
    forward.findings.map((f) => f.code),
    ['netpol-port-unmatched'],
  );
  const port = map.services[0].ports[0];
  assert.deepEqual(
    [port.label, port.targetPort, port.destination, port.reach],
    ['ssh 10022/TCP', 22, 'gitlab/gitlab-ssh:10022', { external: 'denied', namespace: 'denied' }],
  );
  const pod = map.pods[0];
  assert.deepEqual(
    [pod.id, pod.uri, pod.nameRange.start.line, pod.policies],
    ['Deployment/gitlab', uriOf('deploy.yaml'), 3, ['NetworkPolicy/allow-from-all']],
  );
  assert.deepEqual(
    pod.ports.map((p) => [p.label, p.container, p.range.start.line]),
    [
      ['ssh 22/TCP', 'main', 13],
      ['http 80/TCP', 'main', 13],
    ],
  );
  assert.deepEqual(
    map.policies.map((p) => [p.name, p.selects, p.findings.map((f) => f.code)]),
    [['allow-from-all', ['Deployment/gitlab'], ['netpol-port-unmatched']]],
  );

  const fixed = mapOf(lensOf(gitlab('[{port: 80}, {port: 22}]')), 'gitlab');
  assert.deepEqual(edges(fixed), [
    'source:external → Service/gitlab-ssh:10022/TCP: allowed [allow-from-all]',
    'Service/gitlab-ssh:10022/TCP → Deployment/gitlab:main:22/TCP: allowed [allow-from-all]',
    'source:gitlab/* → Service/gitlab-ssh:10022/TCP: allowed [allow-from-all]',
  ]);
  assert.equal(fixed.edges[0].reason, 'allow-from-all ingress rule 1');
  assert.deepEqual(fixed.edges[0].findings, []);
});

test('a named targetPort resolves per pod template: one Service port, two pods, two numbers', () => {
  const map = mapOf(
    lensOf({
      'a.yaml': deployment('web-a', '{app: web, v: a}', '[{name: http, containerPort: 8080}]'),
      'b.yaml': deployment('web-b', '{app: web, v: b}', '[{name: http, containerPort: 9090}]'),
      'svc.yaml': service('web', '{app: web}', '[{port: 80, targetPort: http}]'),
    }),
  );
  assert.deepEqual(edges(map, 'forward'), [
    'Service/web:80/TCP → Deployment/web-a:main:8080/TCP: allowed []',
    'Service/web:80/TCP → Deployment/web-b:main:9090/TCP: allowed []',
  ]);
  assert.equal(map.services[0].ports[0].targetPort, 'http');
  assert.equal(map.edges[0].reason, 'no NetworkPolicy isolates the pods');
});

test('several pod templates behind one port: each forward edge has its own colour, the reach edge the explain verdict', () => {
  const map = mapOf(
    lensOf({
      'a.yaml': deployment('open', '{app: web, v: open}', '[{containerPort: 8080}]'),
      'b.yaml': deployment('locked', '{app: web, v: locked}', '[{containerPort: 8080}]'),
      'svc.yaml': service('web', '{app: web}', '[{port: 80, targetPort: 8080}]'),
      'np.yaml': policy('lock', '{matchLabels: {v: locked}}', '[]'),
    }),
  );
  assert.deepEqual(edges(map), [
    'source:app/* → Service/web:80/TCP: denied [lock]',
    'Service/web:80/TCP → Deployment/locked:main:8080/TCP: denied [lock]',
    'Service/web:80/TCP → Deployment/open:main:8080/TCP: allowed []',
  ]);
  assert.deepEqual(
    map.pods.map((p) => [p.name, p.policies]),
    [
      ['locked', ['NetworkPolicy/lock']],
      ['open', []],
    ],
  );
});

test('unknown (grey): a host-network pod; a namespace a policy names becomes a source, in the workspace or not', () => {
  const hostNetwork = deployment('agent', '{app: agent}', '[{containerPort: 9100}]').replace(
    '      containers:',
    '      hostNetwork: true\n      containers:',
  );
  const map = mapOf(
    lensOf({
      'agent.yaml': hostNetwork,
      'svc.yaml': service('agent', '{app: agent}', '[{port: 9100}]'),
      'web.yaml': deployment('web', '{app: web}', '[{containerPort: 8080}]'),
      'web-svc.yaml': service('web', '{app: web}', '[{port: 80, targetPort: 8080}]'),
      'np.yaml': policy(
        'from-ingress',
        '{matchLabels: {app: web}}',
        '[{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}], ports: [{port: 8080}]}]',
      ),
    }),
  );
  assert.deepEqual(
    edges(map).filter((e) => e.includes('agent')),
    ['source:app/* → Service/agent:9100/TCP: unknown []', 'Service/agent:9100/TCP → Deployment/agent:main:9100/TCP: unknown []'],
  );
  assert.match(map.edges[0].reason, /hostNetwork/);
  const ingress = map.sources.find((s) => s.name === 'ingress-nginx/*')!;
  assert.deepEqual([ingress.own, ingress.inWorkspace, ingress.label], [false, false, 'ingress-nginx']);
  assert.deepEqual(
    edges(map).filter((e) => e.includes('ingress-nginx')),
    ['source:ingress-nginx/* → Service/web:80/TCP: allowed [from-ingress]'],
  );
  assert.deepEqual(
    edges(map).filter((e) => e.startsWith('source:app/* → Service/web')),
    ['source:app/* → Service/web:80/TCP: denied [from-ingress]'],
  );
});

test('a target no container declares: a number gets a node of its own, a name a red edge to the pod template', () => {
  const map = mapOf(
    lensOf({
      'api.yaml': deployment('api', '{app: api}', '[{name: http, containerPort: 8080}]'),
      'svc.yaml': service('api', '{app: api}', '[{name: metrics, port: 9090}, {name: grpc, port: 50051, targetPort: grpc}]'),
    }),
  );
  assert.deepEqual(edges(map, 'forward'), [
    'Service/api:9090/TCP → Deployment/api:9090/TCP: allowed []',
    'Service/api:50051/TCP → Deployment/api: denied []',
  ]);
  assert.deepEqual(
    map.pods[0].ports.map((p) => [p.label, p.declared]),
    [
      ['http 8080/TCP', true],
      ['9090/TCP (declared by no container)', false],
    ],
  );
  assert.match(map.edges.find((e) => e.to === 'Deployment/api')!.reason, /declares no TCP port named "grpc"/);
  assert.deepEqual(
    map.services[0].ports[1].findings.map((f) => f.code),
    ['service-target-port-unmatched'],
  );
});

test('objects written twice get distinct ids; a Service without selector is drawn without edges; namespaces list cheaply', () => {
  const lens = lensOf({
    'one.yaml': service('db', '{app: db}', '[{port: 5432}]'),
    'two.yaml': service('db', '{app: db}', '[{port: 5432}]'),
    'ext.yaml': service('external-db', '~', '[{port: 5432}]').replace('  selector: ~\n', ''),
    'db.yaml': deployment('db', '{app: db}', '[{containerPort: 5432}]'),
  });
  const map = mapOf(lens);
  assert.deepEqual(
    map.services.map((s) => [s.id, s.selector]),
    [
      ['Service/db', true],
      ['Service/db#2', true],
      ['Service/external-db', false],
    ],
  );
  assert.equal(map.edges.filter((e) => e.to.startsWith('Service/external-db')).length, 0);
  assert.equal(new Set(map.edges.map((e) => e.id)).size, map.edges.length);
  assert.deepEqual(mapNamespaces(lens.index), [{ namespace: 'app', services: 3, pods: 1, policies: 0 }]);
  assert.deepEqual(mapOf(lens, 'nowhere'), {
    version: 1,
    namespace: 'nowhere',
    sources: [],
    services: [],
    pods: [],
    policies: [],
    edges: [],
  });
});

test('renderings: Mermaid flowchart, Graphviz digraph, a self-contained HTML page; the layout keeps every edge between boxes', () => {
  const map = mapOf(lensOf(gitlab('[{port: 80}, {port: 10022}]')), 'gitlab');
  const mermaid = renderMermaid([map]);
  assert.match(mermaid, /^flowchart LR\n/);
  assert.match(mermaid, /n\d+\(\["external \(outside the cluster\)"\]\)/);
  assert.match(mermaid, /subgraph n\d+ \["Service gitlab-ssh · LoadBalancer"\]\n {4}(n\d+)\["ssh 10022\/TCP → 22"\]/);
  const [, external] = /(n\d+)\(\["external/.exec(mermaid)!;
  const [, ssh] = /(n\d+)\["ssh 10022/.exec(mermaid)!;
  const [, pod22] = /(n\d+)\["ssh 22\/TCP · main"\]/.exec(mermaid)!;
  const links = mermaid.split('\n').filter((l) => /-->|-\.->/.test(l));
  const first = links.indexOf(`  ${external} -->|"✗ allow-from-all ⚠"| ${ssh}`);
  assert.ok(first >= 0, mermaid);
  assert.ok(links.includes(`  ${ssh} -->|"✗ allow-from-all ⚠"| ${pod22}`), mermaid);
  assert.match(mermaid, new RegExp(`linkStyle ${first} stroke:#cf222e`));
  // Every line is a statement Mermaid's flowchart grammar knows.
  const statement =
    /^(flowchart LR|\s+subgraph \w+ \[".*"\]|\s+direction LR|\s+end|\s+\w+(\(\[".*"\]\)|\[".*"\])|\s+\w+ (-->|-\.->)(\|".*"\|)? \w+|\s+linkStyle \d+ [\w:#,.-]+|\s+classDef \w+ [\w:#,.-]+|\s+class [\w,]+ \w+)$/;
  for (const line of mermaid.split('\n')) assert.match(line, statement);
  for (const label of mermaid.match(/"[^"]*"/g)!) assert.doesNotMatch(label.slice(1, -1), /["<>]/);

  const dot = renderDot([map]);
  assert.match(dot, /^digraph "port map of namespace gitlab" \{/);
  assert.match(dot, /"0:source:external" -> "0:Service\/gitlab-ssh:10022\/TCP" \[label="✗ allow-from-all ⚠", color="#cf222e"/);
  assert.equal(dot.split('{').length, dot.split('}').length);

  const html = renderHtml([map], { fileOf: (uri) => uri.slice('file:///ws/'.length) });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script|\b(src|href)\s*=\s*["']?https?:/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  assert.match(html, /<g class="edge reach denied has-finding" data-edge="source:external-&gt;Service\/gitlab-ssh:10022\/TCP"/);
  assert.match(html, /<code>np\.yaml:8<\/code><\/td><td>warning<\/td><td><code>netpol-port-unmatched/);

  const layout = layoutMap(map);
  assert.equal(layout.edges.length, map.edges.length);
  for (const box of [...layout.sources, ...layout.services, ...layout.pods])
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= layout.width && box.y + box.height <= layout.height);
});

test('the objects that name a port (Ingress backend, ServiceMonitor endpoint) and Cilium policies, shown but not evaluated: unknown', () => {
  const lens = lensOf({
    'web.yaml': deployment('web', '{app: web}', '[{name: http, containerPort: 8080}]'),
    'svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: app, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`,
    'ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: app}
spec:
  rules:
    - http:
        paths:
          - path: /api
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
`,
    'monitor.yaml': `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: http}]
`,
    'cilium.yaml': `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-l4, namespace: app}
spec:
  endpointSelector: {matchLabels: {app: web}}
  ingress: [{toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]
`,
  });
  const map = mapOf(lens);
  const port = map.services[0].ports[0];
  assert.deepEqual(
    port.refs.map((r) => [r.kind, r.name, r.label, r.uri]),
    [
      ['Ingress', 'web', '/api', uriOf('ingress.yaml')],
      ['ServiceMonitor', 'web', 'endpoint 1', uriOf('monitor.yaml')],
    ],
  );
  assert.deepEqual(
    map.policies.map((p) => [p.id, p.kind, p.dialect, p.selects]),
    [['CiliumNetworkPolicy/web-l4', 'CiliumNetworkPolicy', 'cilium', ['Deployment/web']]],
  );
  assert.deepEqual(map.pods[0].policies, ['CiliumNetworkPolicy/web-l4']);
  assert.deepEqual(edges(map), [
    'source:Ingress/app/web → Service/web:80/TCP: unknown [web-l4]',
    'source:app/* → Service/web:80/TCP: unknown [web-l4]',
    'Service/web:80/TCP → Deployment/web:main:8080/TCP: unknown [web-l4]',
  ]);
});

const ingress = (
  name: string,
  ns: string,
  backends: Array<[path: string, service: string, port: number]>,
) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${ns}}
spec:
  rules:
    - http:
        paths:
${backends.map(([path, svc, port]) => `          - {path: ${path}, pathType: Prefix, backend: {service: {name: ${svc}, port: {number: ${port}}}}}`).join('\n')}
`;

const httpRoute = (name: string, ns: string, backendNs: string, svc: string, port: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${ns}}
spec:
  rules:
    - backendRefs: [{name: ${svc}, namespace: ${backendNs}, port: ${port}}]
`;

test('Ingresses and routes are sources: a route edge per backend, judged where the controller may run; a port the Service lacks is red', () => {
  const shop = (webIngress: string) =>
    lensOf({
      'web.yaml': deployment('web', '{app: web}', '[{name: http, containerPort: 8080}]'),
      'web-svc.yaml': service('web', '{app: web}', '[{name: http, port: 80, targetPort: http}]'),
      'api.yaml': deployment('api', '{app: api}', '[{containerPort: 3000}]'),
      'api-svc.yaml': service('api', '{app: api}', '[{port: 80, targetPort: 3000}]'),
      'np.yaml': policy('web-ingress', '{matchLabels: {app: web}}', webIngress),
      'ingress.yaml': ingress('shop', 'app', [
        ['/', 'web', 80],
        ['/api', 'api', 3000],
      ]),
      'route.yaml': httpRoute('store', 'gateway', 'app', 'web', 80),
    });
  const fromNginx = '[{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}], ports: [{port: 8080}]}]';
  const map = mapOf(shop(fromNginx));
  assert.deepEqual(
    map.sources.map((s) => [s.id, s.kind, s.name, s.label, s.router?.kind, s.router?.uri]),
    [
      ['source:app/*', 'namespace', 'app/*', 'namespace app (every pod)', undefined, undefined],
      ['source:ingress-nginx/*', 'namespace', 'ingress-nginx/*', 'ingress-nginx', undefined, undefined],
      ['source:Ingress/app/shop', 'router', 'app/Ingress/shop', 'Ingress shop', 'Ingress', uriOf('ingress.yaml')],
      ['source:HTTPRoute/gateway/store', 'router', 'gateway/HTTPRoute/store', 'HTTPRoute gateway/store', 'HTTPRoute', uriOf('route.yaml')],
    ],
  );
  const routes = map.edges.filter((e) => e.kind === 'route');
  assert.deepEqual(
    routes.map((e) => [e.from, e.to, e.backend, e.verdict, e.policies, e.reason, e.explain.from, e.explain.to]),
    [
      // The seed mistake reversed: the pod's 3000 written where the Service has 80.
      ['source:Ingress/app/shop', 'Service/api', '/api', 'denied', [], 'Service api has no port 3000', 'app/*', 'app/Ingress/shop:/api'],
      // Only ingress-nginx/* gets through: green only if the controller runs there, which the workspace does not say.
      [
        'source:Ingress/app/shop',
        'Service/web:80/TCP',
        '/',
        'unknown',
        ['web-ingress'],
        'allowed from ingress-nginx/* only: depends on where the ingress controller runs',
        'ingress-nginx/*',
        'app/Ingress/shop:/',
      ],
      [
        'source:HTTPRoute/gateway/store',
        'Service/web:80/TCP',
        'rule 1',
        'unknown',
        ['web-ingress'],
        'allowed from ingress-nginx/* only: depends on where the Gateway runs',
        'ingress-nginx/*',
        'gateway/HTTPRoute/store:rule 1',
      ],
    ],
  );
  assert.deepEqual(
    routes[0].findings.map((f) => [f.code, f.uri, f.range.start.line]),
    [['backend-port-unmatched', uriOf('ingress.yaml'), 8]],
  );
  const shopIngress = map.sources.find((s) => s.kind === 'router' && s.router?.kind === 'Ingress')!;
  assert.deepEqual(
    shopIngress.router!.findings.map((f) => f.code),
    ['backend-port-unmatched'],
  );
  assert.deepEqual(
    map.services.find((s) => s.name === 'web')!.ports[0].refs.map((r) => [r.kind, r.label, r.source]),
    [
      ['Ingress', '/', 'source:Ingress/app/shop'],
      ['HTTPRoute', 'rule 1', 'source:HTTPRoute/gateway/store'],
    ],
  );

  // Every namespace admitted (or none isolated): the same verdict wherever the controller runs.
  const everyNamespace = mapOf(shop('[{from: [{namespaceSelector: {}}], ports: [{port: 8080}]}]'));
  assert.deepEqual(
    everyNamespace.edges.filter((e) => e.kind === 'route' && e.to === 'Service/web:80/TCP').map((e) => [e.verdict, e.policies]),
    [
      ['allowed', ['web-ingress']],
      ['allowed', ['web-ingress']],
    ],
  );
  // Admitted from nowhere on the pod's port: denied wherever the controller runs.
  const closed = mapOf(shop('[{ports: [{port: 80}]}]'));
  assert.deepEqual(
    closed.edges.filter((e) => e.kind === 'route' && e.to === 'Service/web:80/TCP').map((e) => [e.verdict, e.policies]),
    [
      ['denied', ['web-ingress']],
      ['denied', ['web-ingress']],
    ],
  );

  const mermaid = renderMermaid([map]);
  assert.match(mermaid, /n\d+>"Ingress shop"\]/, 'an Ingress is a flag-shaped source');
  assert.match(mermaid, /-\.->\|"\/ \? web-ingress"\|/, 'the route edge, dashed grey, labelled with its path');
  assert.match(mermaid, /-->\|"\/api ✗ Service api has no port 3000 ⚠"\| n\d+/, 'the broken backend, red, to the Service');
  const dot = renderDot([map]);
  assert.match(dot, /\[label="Ingress shop", shape=cds, color="#bf8700", penwidth=2\]/);
  assert.match(dot, /"0:Service\/api" \[label="no port the backend names", style=dashed\]/);
  assert.match(dot, /"0:source:Ingress\/app\/shop" -> "0:Service\/api" \[label="\/api ✗ Service api has no port 3000 ⚠"/);
  const html = renderHtml([map], { fileOf: (uri) => uri.replace(/^.*\//, '') });
  assert.match(html, /<tr><td>Ingress shop<\/td><td>Service api<\/td><td class="denied">/);
  assert.match(html, /<tr><td>Ingress shop<\/td><td><code>ingress.yaml:1<\/code><\/td><\/tr>/);
  assert.match(html, /<code>ingress.yaml:9<\/code><\/td><td>warning<\/td><td><code>backend-port-unmatched/);
  const layout = layoutMap(map);
  assert.equal(layout.edges.length, map.edges.length, 'every route edge is drawn between boxes');
  assert.match(renderSvgOf(map), /<g class="node source router"/);
});
