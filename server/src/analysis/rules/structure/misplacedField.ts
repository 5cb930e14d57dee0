import type { PolicyRule } from '../../../model/manifest';
import type { Finding, Fix } from '../findings';
import { portEntryText } from '../../../model/portText';

/** `netpol-misplaced-field`: keys at a level of the policy where Kubernetes drops them. */
export function misplacedFields(uri: string, rule: PolicyRule): Finding[] {
  return rule.misplaced.map((field) => {
    const fixes: Fix[] = field.dedent
      ? [
          {
            title: `Move "${field.key}" up to the rule`,
            isPreferred: true,
            edits: field.dedent.lines.map((start) => ({
              uri,
              range: { start, end: { line: start.line, character: field.dedent!.width } },
              newText: '',
            })),
          },
        ]
      : [];
    return {
      uri,
      range: field.keyRange,
      severity: 'warning',
      code: 'netpol-misplaced-field',
      message: `"${field.key}" is not a field of a NetworkPolicy ${field.within}; Kubernetes drops it, so ${effectiveMeaning(rule)}.`,
      related: [],
      fixes,
    };
  });
}

/** What a rule admits, as Kubernetes reads it: "this rule admits 6379/TCP to every destination". */
function effectiveMeaning(rule: PolicyRule): string {
  const ports = rule.ports ? rule.ports.map((e) => portEntryText(e)).join(', ') : 'every port';
  const peers = rule.peers
    ? rule.direction === 'ingress'
      ? 'from the sources it names'
      : 'to the destinations it names'
    : rule.direction === 'ingress'
      ? 'from every source'
      : 'to every destination';
  return `this rule admits ${ports} ${peers}`;
}
