import type { ObjectRef } from '../../model/manifest';
import type { Range } from '../../model/source';
import { objectName } from '../index/describe';
import type { DestinationResult, Explanation } from './explain';
import type { SideJudgement, Verdict } from './isolation';
import { formatKnownPort } from '../index/podPorts';

/** Writes a reference to a place in a file: a Markdown link, or `name (file:line)` for a terminal. */
export type Linker = (text: string, uri: string, range: Range) => string;

interface Line {
  text: string;
  children: Line[];
}

const MARK: Record<Verdict | 'yes' | 'no', string> = { allowed: '✓', denied: '✗', unknown: '?', yes: '✓', no: '✗' };

/** The explanation as an indented outline that reads like the path: source → Service → pod, then the policies on the way. */
export function explanationOutline(
  explanation: Explanation,
  link: Linker,
): { heading: string; lines: Line[]; fixes: Line[]; notes: string[] } {
  const heading = `${explanation.from} → ${explanation.to}: ${explanation.verdict}`;
  const via = explanation.destination.kind === 'service' ? explanation.destination.via : undefined;
  const from = via
    ? `${explanation.from} → ` +
      `${link(`${objectName(via.router.ref)} ${via.backend.label}`, via.router.ref.uri, (via.backend.port ?? via.backend.service).range)}`
    : explanation.from;
  const lines = explanation.results.map((result) => resultLine(from, result, link));
  const fixes = explanation.fixes.map((fix) => ({
    text: `${fix.title}: ${fix.edits.map((e) => link(`"${e.newText}"`, e.uri, e.range)).join(', ')}`,
    children: [],
  }));
  return { heading, lines, fixes, notes: explanation.notes };
}

const refLink = (ref: ObjectRef, link: Linker) => link(objectName(ref), ref.uri, ref.nameRange);

function pathText(result: DestinationResult, link: Linker): string {
  const { pod, service, servicePort, port, problem } = result.hop;
  const parts: string[] = [];
  if (service && servicePort) {
    const target = servicePort.targetPort?.value;
    const written = target ? (target.kind === 'number' ? String(target.number) : `"${target.name}"`) : String(servicePort.port.value);
    parts.push(
      link(
        `${objectName(service.ref)} (${service.type}) ${servicePort.port.value}/${servicePort.protocol}`,
        service.ref.uri,
        servicePort.range,
      ),
      `targetPort ${written}`,
    );
  }
  let end = refLink(pod.ref, link);
  if (problem) end += `: ${problem}`;
  else if (port?.declared)
    end += `, container ${port.declared.container}, ${link(formatKnownPort(port), pod.ref.uri, port.declared.range)}`;
  else if (port) end += `, ${formatKnownPort(port)} (declared by no container)`;
  parts.push(end);
  return parts.join(' → ');
}

function resultLine(from: string, result: DestinationResult, link: Linker): Line {
  const children: Line[] = [];
  for (const side of [result.ingress, result.egress]) if (side) children.push(sideLine(side, link));
  if (!result.ingress && result.endpoint) children.push({ text: result.reason, children: [] });
  for (const reason of result.notEvaluated ?? []) children.push({ text: `${MARK.unknown} ${reason}`, children: [] });
  const verdict = result.endpoint ? `${MARK[result.verdict]} ${result.verdict}` : 'not an endpoint';
  return { text: `${from} → ${pathText(result, link)}: ${verdict}`, children };
}

function sideLine(side: SideJudgement, link: Linker): Line {
  if (!side.judged || side.policies.length === 0) return { text: `${side.direction}: ${side.reason}`, children: [] };
  return {
    text: `${side.direction}: ${MARK[side.verdict]} ${side.reason}`,
    children: side.policies.map((p) => ({
      text:
        `${link(objectName(p.policy.ref), p.policy.ref.uri, p.policy.ref.nameRange)} isolates it for ` +
        `${side.direction}${p.rules.length === 0 ? ` and has no ${side.direction} rule: it admits nothing` : ''}`,
      children: p.rules.map((r) => ({
        text: `${MARK[r.admits]} ${link(`rule ${r.number}`, p.policy.ref.uri, r.rule.range)}: ${r.reason}`,
        children: [],
      })),
    })),
  };
}

function flatten(lines: Line[], depth: number, prefix: (depth: number) => string): string[] {
  return lines.flatMap((line) => [prefix(depth) + line.text, ...flatten(line.children, depth + 1, prefix)]);
}

/** Plain text for a terminal. */
export function renderText(explanation: Explanation, link: Linker): string {
  const outline = explanationOutline(explanation, link);
  const out = [outline.heading, '', ...flatten(outline.lines, 0, (d) => '  '.repeat(d))];
  if (outline.notes.length > 0) out.push('', ...outline.notes.map((n) => `note: ${n}`));
  if (outline.fixes.length > 0) out.push('', ...outline.fixes.map((f) => `fix: ${f.text}`));
  return out.join('\n');
}

/** Markdown for an editor preview, every object named as a link to its file and line. */
export function renderMarkdown(explanation: Explanation, link: Linker): string {
  const outline = explanationOutline(explanation, link);
  const escaped = (text: string) => text.replace(/\*/g, '\\*');
  const out = [
    `# ${escaped(explanation.from)} → ${escaped(explanation.to)}`,
    '',
    `**${MARK[explanation.verdict]} ${explanation.verdict}**`,
    '',
  ];
  out.push(...flatten(outline.lines, 0, (d) => `${'  '.repeat(d)}- `));
  if (outline.notes.length > 0) out.push('', '**Notes**', '', ...outline.notes.map((n) => `- ${n}`));
  if (outline.fixes.length > 0) out.push('', '**Fixes**', '', ...outline.fixes.map((f) => `- ${f.text}`));
  return out.join('\n') + '\n';
}
