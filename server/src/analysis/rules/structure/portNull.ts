import type { PolicyRule } from '../../../model/manifest';
import type { Finding } from '../findings';

/** `netpol-port-null`: `- port:` with no value admits every port of the entry's protocol. */
export function portNull(uri: string, rule: PolicyRule): Finding[] {
  return (rule.ports ?? []).flatMap((entry) =>
    entry.portNull
      ? [
          {
            uri,
            range: entry.portNull,
            severity: 'warning' as const,
            code: 'netpol-port-null' as const,
            message:
              `"port" has no value, so this entry admits every ${entry.protocol} port (often a Helm value that rendered ` +
              `nothing). Write the port, or remove the entry.`,
            related: [],
            fixes: [],
          },
        ]
      : [],
  );
}
