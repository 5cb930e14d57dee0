import { ErrorCodes, ResponseError, type CodeLens } from 'vscode-languageserver';
import { explain, type FindingsOf } from '../analysis/explain/explain';
import { servicePortSummaries } from '../analysis/explain/summary';
import { EndpointError, destinationCandidates, parseDestination, parseSource, sourceCandidates } from '../analysis/explain/endpoints';
import { renderMarkdown } from '../analysis/explain/render';
import type { WorkspaceIndex } from '../analysis/index/workspaceIndex';
import { EXPLAIN_COMMAND, type EndpointsResult, type ExplainParams, type ExplainResult } from './protocol';

const link = (text: string, uri: string, range: { start: { line: number } }) => `[${text}](${uri}#L${range.start.line + 1})`;

export function explainRequest(index: WorkspaceIndex, findingsOf: FindingsOf, params: unknown): ExplainResult | ResponseError<void> {
  const { from, to } = (Array.isArray(params) ? params[0] : params) ?? ({} as Partial<ExplainParams>);
  if (typeof from !== 'string' || typeof to !== 'string')
    return new ResponseError(ErrorCodes.InvalidParams, 'portLens.explain needs {"from": SOURCE, "to": DEST}');
  try {
    const explanation = explain(index, findingsOf, parseSource(index, from), parseDestination(index, to));
    return { from: explanation.from, to: explanation.to, verdict: explanation.verdict, markdown: renderMarkdown(explanation, link) };
  } catch (error) {
    if (error instanceof EndpointError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
    throw error;
  }
}

export function endpoints(index: WorkspaceIndex): EndpointsResult {
  return { sources: sourceCandidates(index), destinations: destinationCandidates(index) };
}

/** One lens above each Service port: whether its usual source gets through, a click explains it. */
export function codeLenses(index: WorkspaceIndex, uri: string): CodeLens[] {
  return servicePortSummaries(index, uri).map(({ port, summary }) => ({
    range: {
      start: { line: port.range.start.line, character: port.range.start.character },
      end: { line: port.range.start.line, character: port.range.start.character },
    },
    command: {
      title: summary.title,
      command: EXPLAIN_COMMAND,
      arguments: [{ from: summary.from, to: summary.to } satisfies ExplainParams],
    },
  }));
}
