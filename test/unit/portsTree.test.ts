import test from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { buildPortMap } from '../../server/src/analysis/map/portMap';
import { deployment, lensOf, service } from '../helpers';

// The Ports view runs inside VS Code; here its `vscode` import is a stand-in with the few classes it uses.
class TreeItem {
  id?: string;
  description?: string;
  iconPath?: { id: string };
  tooltip?: unknown;
  command?: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState?: number,
  ) {}
}
const vscode = {
  TreeItem,
  ThemeIcon: class {
    constructor(readonly id: string) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  MarkdownString: class {
    constructor(readonly value: string) {}
  },
  EventEmitter: class {
    event = () => undefined;
    fire() {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1 },
  Position: class {},
  Range: class {},
  Uri: { parse: (uri: string) => uri },
};
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = loader._load;
loader._load = (request, ...rest) => (request === 'vscode' ? vscode : load(request, ...rest));
const { PortsTree } = require('../../client/src/portsTree') as typeof import('../../client/src/portsTree');
type PortsNode = import('../../client/src/portsTree').PortsNode;

const podMonitor = `apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: scrape, namespace: app}
spec:
  selector: {matchLabels: {tier: api}}
  podMetricsEndpoints: [{port: http}]
`;
const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: app}
spec:
  rules:
    - http:
        paths:
          - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
`;
const onlyFromNginx = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-nginx, namespace: app}
spec:
  podSelector: {matchLabels: {tier: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]
      ports: [{port: 8080}]
`;

test("Ports view: a port lists the Ingress with its route's verdict and the PodMonitor behind it once, though it scrapes two pod templates", async () => {
  const lens = lensOf({
    'a.yaml': deployment('api-a', '{tier: api}', '[{name: http, containerPort: 8080}]'),
    'b.yaml': deployment('api-b', '{tier: api}', '[{name: http, containerPort: 8080}]'),
    'svc.yaml': service('api', '{tier: api}', '[{port: 80, targetPort: http}]'),
    'monitor.yaml': podMonitor,
    'ingress.yaml': ingress,
    'np.yaml': onlyFromNginx,
  });
  const map = buildPortMap(lens.index, (uri) => lens.findings(uri), 'app');
  const tree = new PortsTree({ roots: async () => [], namespaces: async () => [], map: async () => map });
  const namespace: PortsNode = { kind: 'namespace', namespace: { namespace: 'app', services: 1, pods: 2, policies: 1 } };
  const [serviceNode] = await tree.getChildren(namespace);
  const [portNode] = await tree.getChildren(serviceNode);
  const rows = (await tree.getChildren(portNode)).map((node) => tree.getTreeItem(node) as unknown as TreeItem);
  const refs = rows.filter((row) => /^(Ingress|PodMonitor) /.test(row.label));
  assert.deepEqual(
    refs.map((row) => [row.label, row.description, row.iconPath?.id]),
    [
      ['Ingress web', '/api unknown: allowed from ingress-nginx/* only: depends on where the ingress controller runs', 'question'],
      ['PodMonitor scrape', 'endpoint 1', 'pulse'],
    ],
  );
  const ids = rows.map((row) => row.id);
  assert.equal(new Set(ids).size, ids.length, `tree ids are unique: ${ids.join(' ')}`);
});
