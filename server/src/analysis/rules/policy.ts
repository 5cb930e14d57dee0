import type { NetworkPolicy } from '../../model/manifest';
import { podPorts } from '../index/podPorts';
import { destinationPods } from '../index/peers';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Finding } from './findings';
import { judgePortEntry } from './netpolPortUnmatched';
import { selectsNothing } from './netpolSelectsNothing';
import { effectiveRules } from './structure/effectiveRules';

/** The findings of one NetworkPolicy against the pods the workspace holds. */
export function checkPolicy(index: WorkspaceIndex, policy: NetworkPolicy): Finding[] {
  const findings: Finding[] = [];
  const selected = index.podsSelectedBy(policy.podSelector, policy.ref.namespace);
  if (selected.length === 0) findings.push(selectsNothing(policy));
  const ingressPods = selected.map((pod) => podPorts(index, pod));
  // Rules of a direction policyTypes leaves out are ignored by Kubernetes: their ports are not judged.
  for (const rule of selected.length > 0 ? effectiveRules(policy, 'ingress') : []) {
    for (const entry of rule.ports ?? []) {
      const finding = judgePortEntry(index, policy, rule, entry, ingressPods);
      if (finding) findings.push(finding);
    }
  }
  for (const rule of effectiveRules(policy, 'egress')) {
    const destinations = destinationPods(index, policy, rule)?.map((pod) => podPorts(index, pod));
    for (const entry of destinations ? (rule.ports ?? []) : []) {
      const finding = judgePortEntry(index, policy, rule, entry, destinations!);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}
