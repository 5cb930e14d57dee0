import { ErrorCodes, ResponseError, type CodeLens } from 'vscode-languageserver';
import type { FindingsOf } from '../analysis/explain/explain';
import { buildPortMap, mapNamespaces } from '../analysis/map/portMap';
import type { WorkspaceIndex } from '../analysis/index/workspaceIndex';
import { SHOW_PORT_MAP_COMMAND, type MapNamespacesResult, type MapParams, type MapResult } from './protocol';

export function mapNamespacesRequest(index: WorkspaceIndex): MapNamespacesResult {
  return mapNamespaces(index);
}

export function mapRequest(index: WorkspaceIndex, findingsOf: FindingsOf, params: unknown): MapResult | ResponseError<void> {
  const namespace = (params as Partial<MapParams> | undefined)?.namespace;
  if (namespace !== null && typeof namespace !== 'string') {
    return new ResponseError(ErrorCodes.InvalidParams, 'portLens/map needs {"namespace": NAME or null}');
  }
  return buildPortMap(index, findingsOf, namespace ?? undefined);
}

/** "Show port map" above each Namespace object and each NetworkPolicy (for clients that have the command). */
export function mapCodeLenses(index: WorkspaceIndex, uri: string): CodeLens[] {
  const model = index.file(uri);
  if (!model) return [];
  const lens = (line: number, character: number, namespace: string | undefined): CodeLens => ({
    range: { start: { line, character }, end: { line, character } },
    command: {
      title: `Show port map of namespace ${namespace ?? '(unspecified)'}`,
      command: SHOW_PORT_MAP_COMMAND,
      arguments: [{ namespace: namespace ?? null } satisfies MapParams],
    },
  });
  return [
    ...model.namespaces.map((ns) => lens(ns.ref.range.start.line, ns.ref.range.start.character, ns.ref.name)),
    ...model.policies.map((p) => lens(p.ref.range.start.line, p.ref.range.start.character, p.ref.namespace)),
  ];
}
