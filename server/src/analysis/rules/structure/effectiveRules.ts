import type { NetworkPolicy, PolicyRule } from '../../../model/manifest';

/** The rules Kubernetes applies: those of the directions in the policy's `policyTypes` (the others are ignored). */
export function effectiveRules(policy: NetworkPolicy, direction?: 'ingress' | 'egress'): PolicyRule[] {
  const ingress = policy.policyTypes.includes('Ingress') ? policy.ingress : [];
  const egress = policy.policyTypes.includes('Egress') ? policy.egress : [];
  return direction === 'ingress' ? ingress : direction === 'egress' ? egress : [...ingress, ...egress];
}
