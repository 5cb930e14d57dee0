import type { FindingsOf } from '../analysis/explain/explain';
import { buildPortMap, relocateMap, type PortMap } from '../analysis/map/portMap';
import { renderDot } from '../analysis/map/dot';
import { renderHtml } from '../analysis/map/html';
import { renderMermaid } from '../analysis/map/mermaid';
import type { WorkspaceIndex } from '../analysis/index/workspaceIndex';
import { displayPath } from './report';
import type { Relocate } from './explain';

export const MAP_USAGE = `Usage: port-lens map [PATH…] [--namespace NS] [--root ROOT] [--format mermaid|dot|html|json]

Draws the port map of each namespace under PATH (default: .), or of namespace NS: where traffic
comes from (outside the cluster, other namespaces), the Services and their ports, the pod
templates and container ports they forward to, each path coloured by the NetworkPolicies'
verdict (green allowed, red denied, grey unknown, as "port-lens explain" judges it), findings
marked. Exit 0: drawn; 2: usage or I/O error, or no such namespace.

  --namespace NS      the namespace to draw (also the release namespace of Helm charts)
  --format FORMAT     mermaid (for Markdown), dot (Graphviz), html (one self-contained file)
                      or json (docs/map.md); default: mermaid
  --root ROOT         draw the world of a Kustomize root (overlays/prod): its built objects
                      and the plain manifests, placed on the base or patch lines that wrote them

Helm charts are rendered as for check; --no-helm, --helm, --values, --release and
--helm-timeout work as there, and with --root the Kustomize options (--kubectl, …).`;

export const MAP_FORMATS = ['mermaid', 'dot', 'html', 'json'] as const;
export type MapFormat = (typeof MAP_FORMATS)[number];

export const MAP_ARGS = { format: { type: 'string', default: 'mermaid' }, root: { type: 'string' } } as const;

/** A bad argument: exit code 2, with the message. */
export class MapUsageError extends Error {}

export interface MapOptions {
  paths: string[];
  format: MapFormat;
  /** Undefined: every namespace. */
  namespace: string | undefined;
  /** The Kustomize root whose world is drawn. */
  root?: string;
}

export function mapOptionsOf(values: Record<string, unknown>, positionals: string[]): MapOptions {
  const format = values.format as string;
  if (!(MAP_FORMATS as readonly string[]).includes(format)) {
    throw new MapUsageError(`unknown format "${format}" (${MAP_FORMATS.join(', ')})`);
  }
  const paths = positionals.length > 0 ? positionals : ['.'];
  const root = values.root as string | undefined;
  return { paths, format: format as MapFormat, namespace: values.namespace as string | undefined, ...(root ? { root } : {}) };
}

/** Every namespace (or the one asked for) drawn in the format asked for. */
export function runMap(index: WorkspaceIndex, findingsOf: FindingsOf, options: MapOptions, cwd: string, relocate?: Relocate): string {
  const known = index.namespaceNames();
  let namespaces = known;
  if (options.namespace !== undefined) {
    if (!known.includes(options.namespace)) {
      const list = known.map((n) => n ?? '(unspecified)').join(', ');
      throw new MapUsageError(`no namespace "${options.namespace}" in the workspace${list ? ` (namespaces: ${list})` : ''}`);
    }
    namespaces = [options.namespace];
  }
  const built = namespaces.map((ns) => buildPortMap(index, findingsOf, ns));
  const maps = relocate ? built.map((map) => relocateMap(map, relocate)) : built;
  const fileOf = (uri: string) => displayPath(uri, cwd);
  switch (options.format) {
    case 'mermaid':
      return renderMermaid(maps);
    case 'dot':
      return renderDot(maps);
    case 'html':
      return renderHtml(maps, { fileOf });
    case 'json':
      return JSON.stringify(
        maps.map((map) => withFiles(map, fileOf)),
        null,
        2,
      );
  }
}

/** The map for other tools: each `uri` becomes `file`, relative to the current directory like check's JSON. */
export function withFiles(map: PortMap, fileOf: (uri: string) => string): unknown {
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === 'uri' && typeof v === 'string') out.file = fileOf(v);
      else out[key] = convert(v);
    }
    return out;
  };
  return convert(map);
}
