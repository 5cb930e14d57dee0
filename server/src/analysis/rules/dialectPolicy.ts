import type { DialectPolicy } from '../../model/manifest';
import { qualifiedName } from '../index/describe';
import { podsOfDialectPolicy, podsOfDialectRule } from '../index/dialectSelection';
import { podPorts } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Finding } from './findings';
import { judgePortEntry } from './netpolPortUnmatched';
import { dialectSelectsNothing } from './netpolSelectsNothing';
import { policyKind } from './portPolicy';

/** `CiliumNetworkPolicy gitlab/allow-from-all`, with the item of `specs` when there are several. */
export function dialectPolicyName(policy: DialectPolicy): string {
  return `${policyKind(policy)} ${qualifiedName(policy.ref)}${policy.specIndex !== undefined ? ` (specs[${policy.specIndex}])` : ''}`;
}

/**
 * The findings of one Cilium or Calico policy (SPEC §11): the same port rules, codes and tiers as
 * for a NetworkPolicy, over the pods its selectors pick. What the workspace cannot resolve is not judged.
 */
export function checkDialectPolicy(index: WorkspaceIndex, policy: DialectPolicy): Finding[] {
  const findings: Finding[] = [];
  const selected = podsOfDialectPolicy(index, policy);
  if (selected?.length === 0) findings.push(dialectSelectsNothing(policy, dialectPolicyName(policy)));
  for (const rule of [...policy.ingress, ...policy.egress]) {
    if (rule.direction === 'ingress' && !selected?.length) continue;
    const pods = podsOfDialectRule(index, policy, rule)?.map((pod) => podPorts(index, pod));
    for (const entry of pods?.length ? (rule.ports ?? []) : []) {
      const finding = judgePortEntry(index, policy, rule, entry, pods!);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}
