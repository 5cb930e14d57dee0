import { ErrorCodes, ResponseError, type CodeLens } from 'vscode-languageserver';
import { explain, type FindingsOf } from '../analysis/explain/explain';
import { serviceLenses, type PortSummary } from '../analysis/explain/summary';
import type { KustomizeWorlds } from '../kustomize/kustomizeWorlds';
import { EndpointError, destinationCandidates, parseDestination, parseSource, sourceCandidates } from '../analysis/explain/endpoints';
import { relocateFixes, type Relocate } from '../analysis/explain/relocate';
import { renderMarkdown } from '../analysis/explain/render';
import type { WorkspaceIndex } from '../analysis/index/workspaceIndex';
import type { Range } from '../model/source';
import { EXPLAIN_COMMAND, type EndpointsResult, type ExplainParams, type ExplainResult } from './protocol';

/** The request's parameters, sent as ExplainParams (the request) or `[ExplainParams]` (the command). */
export const explainParamsOf = (params: unknown): Partial<ExplainParams> | undefined =>
  (Array.isArray(params) ? params[0] : params) as Partial<ExplainParams> | undefined;

/** `relocate`: in a Kustomize root's world, moves links and fixes from the built output to the files that wrote it. */
export function explainRequest(
  index: WorkspaceIndex,
  findingsOf: FindingsOf,
  params: unknown,
  relocate?: Relocate,
): ExplainResult | ResponseError<void> {
  const { from, to } = explainParamsOf(params) ?? {};
  if (typeof from !== 'string' || typeof to !== 'string')
    return new ResponseError(ErrorCodes.InvalidParams, 'portLens.explain needs {"from": SOURCE, "to": DEST, "root"?: ROOT}');
  const link = (text: string, uri: string, range: Range) => {
    const at = relocate ? relocate(uri, range) : { uri, range };
    return at ? `[${text}](${at.uri}#L${at.range.start.line + 1})` : text;
  };
  try {
    let explanation = explain(index, findingsOf, parseSource(index, from), parseDestination(index, to));
    if (relocate) explanation = { ...explanation, fixes: relocateFixes(explanation.fixes, relocate) };
    const fixes = explanation.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map(({ uri, range, newText }) => ({ uri, range, newText })),
    }));
    const markdown = renderMarkdown(explanation, link);
    return { from: explanation.from, to: explanation.to, verdict: explanation.verdict, markdown, fixes };
  } catch (error) {
    if (error instanceof EndpointError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
    throw error;
  }
}

export function endpoints(index: WorkspaceIndex): EndpointsResult {
  return { sources: sourceCandidates(index), destinations: destinationCandidates(index) };
}

/**
 * A lens above each Service port, or one above the first port of a Service whose ports share the
 * verdict: whether its usual source gets through; a click explains it.
 * In a Kustomize base or patch, one per root that builds the port, judged and explained in that root's world.
 */
export function codeLenses(index: WorkspaceIndex, uri: string, kustomize?: KustomizeWorlds): CodeLens[] {
  const lens = (at: Range, summary: PortSummary, root?: string): CodeLens => ({
    range: { start: at.start, end: at.start },
    command: {
      title: root ? `${summary.title} (${root})` : summary.title,
      command: EXPLAIN_COMMAND,
      arguments: [{ from: summary.from, to: summary.to, ...(root ? { root } : {}) } satisfies ExplainParams],
    },
  });
  const roots = (kustomize?.portSummariesIn(uri) ?? [])
    .sort((a, b) => a.range.start.line - b.range.start.line || a.root.localeCompare(b.root))
    .map(({ range, summary, root }) => lens(range, summary, root));
  return [...serviceLenses(index, uri).map(({ port, summary }) => lens(port.range, summary)), ...roots];
}
