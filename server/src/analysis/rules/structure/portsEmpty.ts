import type { PolicyRule } from '../../../model/manifest';
import type { Finding } from '../findings';

/** `netpol-ports-empty`: `ports:` present but null or empty, so the rule admits every port. */
export function portsEmpty(uri: string, rule: PolicyRule): Finding[] {
  if (!rule.portsEmpty) return [];
  const everyPeer = rule.peers ? '' : rule.direction === 'ingress' ? ' from every source' : ' to every destination';
  return [
    {
      uri,
      range: rule.portsEmpty,
      severity: 'information',
      code: 'netpol-ports-empty',
      message:
        `"ports" is empty, so this ${rule.direction} rule admits every port${everyPeer} (often a template branch that rendered ` +
        `nothing).`,
      related: [],
      fixes: [],
    },
  ];
}
