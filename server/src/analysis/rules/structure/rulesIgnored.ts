import type { NetworkPolicy } from '../../../model/manifest';
import type { Finding } from '../findings';

/** `netpol-rules-ignored`: rules in a direction that `policyTypes` leaves out; Kubernetes ignores them. */
export function rulesIgnored(uri: string, policy: NetworkPolicy): Finding[] {
  return policy.ignored.map(({ direction, keyRange }) => {
    const type = direction === 'ingress' ? 'Ingress' : 'Egress';
    return {
      uri,
      range: keyRange,
      severity: 'warning' as const,
      code: 'netpol-rules-ignored' as const,
      message:
        `policyTypes [${policy.policyTypes.join(', ')}] leaves out ${type}, so Kubernetes ignores these ${direction} rules: the ` +
        `policy does not do what they say. Add ${type} to policyTypes, or remove the rules.`,
      related: [],
      fixes: [],
    };
  });
}
