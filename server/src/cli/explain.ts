import type { ObjectRef } from '../model/manifest';
import type { Range } from '../model/source';
import { explain, type Explanation } from '../analysis/explain/explain';
import { EndpointError, parseDestination, parseSource } from '../analysis/explain/endpoints';
import type { SideJudgement } from '../analysis/explain/isolation';
import { relocateFixes, type Relocate } from '../analysis/explain/relocate';
import { renderText } from '../analysis/explain/render';
import { objectName } from '../analysis/index/describe';
import { formatKnownPort } from '../analysis/index/podPorts';
import type { Finding } from '../analysis/rules/findings';
import type { WorkspaceIndex } from '../analysis/index/workspaceIndex';
import { displayPath } from './report';

export const EXPLAIN_USAGE = `Usage: port-lens explain --from SOURCE --to DEST [--root ROOT] [--format text|json] [PATH…]

Would traffic from SOURCE reach DEST, and if not, why? Follows the Service port to the pod port
of each selected pod template and judges the NetworkPolicies on the way (ingress at the
destination, egress at the source). Exit 0: allowed; 1: denied or unknown; 2: bad argument.

  SOURCE   namespace/Kind/name (a pod template), namespace/* (every pod of it) or external
  DEST     namespace/service:port, namespace/Kind/name:port (port: number or name), or an
           Ingress or route backend: namespace/Ingress/name:/path, namespace/HTTPRoute/name:/path
  --format text|json   output format (default: text)
  --root ROOT          explain inside the world of a Kustomize root (overlays/prod): its built
                       objects and the plain manifests; without it, the plain manifests only

Helm charts are rendered as for check; --no-helm, --helm, --values, --release, --namespace
and --helm-timeout work as there, and so do --no-kustomize, --kubectl and --kustomize-timeout.`;

/** A bad argument: exit code 2, with the message. */
export class ExplainUsageError extends Error {}

export interface ExplainOptions {
  from: string;
  to: string;
  format: 'text' | 'json';
  paths: string[];
  /** The Kustomize root whose world is explained. */
  root?: string;
}

export type { Relocate };

export const EXPLAIN_ARGS = {
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string', default: 'text' },
  root: { type: 'string' },
} as const;

/** The options of `explain`, from what `parseArgs` read with EXPLAIN_ARGS (the Helm options are the caller's). */
export function explainOptionsOf(values: Record<string, unknown>, positionals: string[]): ExplainOptions {
  const { from, to, format, root } = values as { from?: string; to?: string; format: string; root?: string };
  if (!from) throw new ExplainUsageError('explain needs --from SOURCE');
  if (!to) throw new ExplainUsageError('explain needs --to DEST');
  if (format !== 'text' && format !== 'json') throw new ExplainUsageError(`unknown format "${format}" (text or json)`);
  return { from, to, format, paths: positionals.length > 0 ? positionals : ['.'], ...(root ? { root } : {}) };
}

/** Answers the question on an analysed workspace; the exit code follows the verdict. */
export function runExplain(
  index: WorkspaceIndex,
  findings: Finding[],
  options: ExplainOptions,
  cwd: string,
  relocate: Relocate = (uri, range) => ({ uri, range }),
): { output: string; code: number } {
  let explanation: Explanation;
  try {
    explanation = explain(
      index,
      (uri) => findings.filter((f) => f.uri === uri),
      parseSource(index, options.from),
      parseDestination(index, options.to),
    );
  } catch (error) {
    if (error instanceof EndpointError) throw new ExplainUsageError(error.message);
    throw error;
  }
  explanation = { ...explanation, fixes: relocateFixes(explanation.fixes, relocate) };
  const where = (uri: string, range: Range) => {
    const at = relocate(uri, range);
    return at ? ` (${displayPath(at.uri, cwd)}:${at.range.start.line + 1})` : '';
  };
  const output =
    options.format === 'json'
      ? JSON.stringify(explanationJson(explanation, cwd, relocate), null, 2)
      : renderText(explanation, (text, uri, range) => `${text}${where(uri, range)}`);
  return { output, code: explanation.verdict === 'allowed' ? 0 : 1 };
}

export function explanationJson(explanation: Explanation, cwd: string, relocate: Relocate = (uri, range) => ({ uri, range })) {
  const at = (uri: string, range: Range) => {
    const moved = relocate(uri, range) ?? { uri, range };
    return { file: displayPath(moved.uri, cwd), range: moved.range };
  };
  const object = (ref: ObjectRef, range = ref.nameRange) => ({ name: objectName(ref), ...at(ref.uri, range) });
  const side = (pod: ObjectRef, s: SideJudgement | undefined) =>
    s && {
      pod: objectName(pod),
      judged: s.judged,
      verdict: s.verdict,
      reason: s.reason,
      policies: s.policies.map((p) => ({
        ...object(p.policy.ref),
        admits: p.admits,
        rules: p.rules.map((r) => ({ rule: r.number, admits: r.admits, reason: r.reason, ...at(p.policy.ref.uri, r.rule.range) })),
      })),
    };
  return {
    from: explanation.from,
    to: explanation.to,
    verdict: explanation.verdict,
    path: explanation.results.map(({ hop, endpoint, verdict, reason }) => ({
      pod: object(hop.pod.ref),
      ...(hop.service && hop.servicePort
        ? {
            service: object(hop.service.ref, hop.servicePort.range),
            servicePort: `${hop.servicePort.port.value}/${hop.servicePort.protocol}`,
            targetPort: (() => {
              const t = hop.servicePort.targetPort?.value;
              return t ? (t.kind === 'number' ? t.number : t.name) : hop.servicePort.port.value;
            })(),
          }
        : {}),
      podPort: hop.port ? formatKnownPort(hop.port) : null,
      container: hop.port?.declared?.container ?? null,
      ...(hop.port?.declared ? { podPortAt: at(hop.pod.ref.uri, hop.port.declared.range) } : {}),
      endpoint,
      verdict,
      reason,
    })),
    ingress: explanation.results.flatMap((r) => side(r.hop.pod.ref, r.ingress) ?? []),
    egress: explanation.results.flatMap((r) => side(r.hop.pod.ref, r.egress) ?? []),
    fixes: explanation.fixes.map((fix) => ({
      title: fix.title,
      isPreferred: fix.isPreferred,
      edits: fix.edits.map((e) => ({ ...at(e.uri, e.range), newText: e.newText })),
    })),
    notes: explanation.notes,
  };
}
