// The port map's part of `npm run bench`: on an indexed workspace, how long the Ports view's
// first level (portLens/mapNamespaces) and a namespace's map (portLens/map) take to answer.
import type { TestClient } from '../protocol/lspClient';
import type { MapNamespace, PortMap } from '../../server/src/analysis/map/portMap';

export interface MapTimes {
  treeP50: number;
  treeMax: number;
  mapP50: number;
  mapMax: number;
  /** The largest map asked for: its namespace and size. */
  largest: string;
}

const ROUNDS = 20;
const MAPS = 20;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

/** The first level of the tree, asked ROUNDS times; then the maps of the MAPS biggest namespaces. */
export async function mapLatencies(client: TestClient): Promise<MapTimes> {
  const tree: number[] = [];
  let namespaces: MapNamespace[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const { ms, value } = await timed(() => client.connection.sendRequest<MapNamespace[]>('portLens/mapNamespaces'));
    tree.push(ms);
    namespaces = value;
  }
  const biggest = [...namespaces].sort((a, b) => b.services + b.pods + b.policies - (a.services + a.pods + a.policies)).slice(0, MAPS);
  const maps: number[] = [];
  let largest = '';
  for (const ns of biggest) {
    const { ms, value } = await timed(() => client.connection.sendRequest<PortMap>('portLens/map', { namespace: ns.namespace }));
    if (value.edges.length === 0 && ns.services > 0) throw new Error(`the map of ${ns.namespace} has no edge`);
    if (maps.length === 0)
      largest = `${ns.namespace}: ${value.services.length} Services, ${value.pods.length} pod templates, ${value.policies.length} policies, ${value.edges.length} edges`;
    maps.push(ms);
  }
  return { treeP50: percentile(tree, 50), treeMax: Math.max(...tree), mapP50: percentile(maps, 50), mapMax: Math.max(...maps), largest };
}
