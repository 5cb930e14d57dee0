import { ErrorCodes, ResponseError, type CodeLens } from 'vscode-languageserver';
import type { FindingsOf } from '../analysis/explain/explain';
import type { Relocate } from '../analysis/explain/relocate';
import { buildPortMap, mapNamespaces, relocateMap } from '../analysis/map/portMap';
import type { WorkspaceIndex } from '../analysis/index/workspaceIndex';
import type { Finding } from '../analysis/rules/findings';
import type { KustomizeWorlds } from '../kustomize/kustomizeWorlds';
import { SHOW_PORT_MAP_COMMAND, type MapNamespacesResult, type MapParams, type MapResult, type MapRootsResult } from './protocol';

/** What a map is drawn from: the workspace's plain manifests and charts, and the Kustomize roots' worlds. */
export interface MapWorlds {
  index: WorkspaceIndex;
  findingsOf: FindingsOf;
  kustomize: KustomizeWorlds | undefined;
}

type Picked = { index: WorkspaceIndex; findingsOf: FindingsOf; relocate?: Relocate };

/** The world a request (a map, an explanation) names: a Kustomize root's (`root`), or the workspace's. */
export function pickWorld(worlds: MapWorlds, params: unknown, request: string): Picked | ResponseError<void> {
  const root = (params as { root?: unknown } | undefined)?.root;
  if (root === undefined) return worlds;
  const world = typeof root === 'string' ? worlds.kustomize?.world(root) : undefined;
  if (!world) {
    const names = worlds.kustomize?.roots().map((r) => r.name) ?? [];
    return new ResponseError(
      ErrorCodes.InvalidParams,
      `${request}: no Kustomize root "${String(root)}" (roots: ${names.join(', ') || 'none built'})`,
    );
  }
  const byFile = new Map<string, Finding[]>();
  for (const finding of world.allFindings()) byFile.set(finding.uri, [...(byFile.get(finding.uri) ?? []), finding]);
  const kustomize = worlds.kustomize!;
  return { index: world.index, findingsOf: (uri) => byFile.get(uri) ?? [], relocate: (uri, range) => kustomize.relocate(uri, range) };
}

export function mapRootsRequest(worlds: MapWorlds): MapRootsResult {
  return worlds.kustomize?.roots().map(({ name, built }) => ({ name, built })) ?? [];
}

export function mapNamespacesRequest(worlds: MapWorlds, params?: unknown): MapNamespacesResult | ResponseError<void> {
  const picked = pickWorld(worlds, params, 'portLens/mapNamespaces');
  return picked instanceof ResponseError ? picked : mapNamespaces(picked.index);
}

export function mapRequest(worlds: MapWorlds, params: unknown): MapResult | ResponseError<void> {
  const namespace = (params as Partial<MapParams> | undefined)?.namespace;
  if (namespace !== null && typeof namespace !== 'string') {
    return new ResponseError(ErrorCodes.InvalidParams, 'portLens/map needs {"namespace": NAME or null, "root"?: ROOT}');
  }
  const picked = pickWorld(worlds, params, 'portLens/map');
  if (picked instanceof ResponseError) return picked;
  const map = buildPortMap(picked.index, picked.findingsOf, namespace ?? undefined);
  return picked.relocate ? relocateMap(map, picked.relocate) : map;
}

/**
 * "Show port map" above each Namespace object and each NetworkPolicy (for clients that have the
 * command); in a base or patch of Kustomize roots, one per root on the line that writes the name.
 */
export function mapCodeLenses(index: WorkspaceIndex, uri: string, kustomize?: KustomizeWorlds): CodeLens[] {
  const lens = (line: number, character: number, namespace: string | undefined, root?: string): CodeLens => ({
    range: { start: { line, character }, end: { line, character } },
    command: {
      title: `Show port map of namespace ${namespace ?? '(unspecified)'}${root ? ` (${root})` : ''}`,
      command: SHOW_PORT_MAP_COMMAND,
      arguments: [{ namespace: namespace ?? null, ...(root ? { root } : {}) } satisfies MapParams],
    },
  });
  const model = index.file(uri);
  const roots = (kustomize?.mapTargetsIn(uri) ?? [])
    .sort((a, b) => a.range.start.line - b.range.start.line || a.root.localeCompare(b.root))
    .map((t) => lens(t.range.start.line, 0, t.namespace, t.root));
  if (!model) return roots;
  return [
    ...model.namespaces.map((ns) => lens(ns.ref.range.start.line, ns.ref.range.start.character, ns.ref.name)),
    ...model.policies.map((p) => lens(p.ref.range.start.line, p.ref.range.start.character, p.ref.namespace)),
    ...roots,
  ];
}
