import type { NetworkPolicy, PodTemplate, PolicyPeer, PolicyRule, Service, ServicePort } from '../../model/manifest';
import { destinationPods, podsOfPeer } from './peers';
import { ingressPoliciesOf, rulePortAdmits } from '../explain/isolation';
import { podPorts, targetOf, type KnownPort } from './podPorts';
import type { WorkspaceIndex } from './workspaceIndex';

/** One hop of a Service port to a container port of one selected pod template. */
export interface Chain {
  service: Service;
  servicePort: ServicePort;
  pod: PodTemplate;
  /** The container port the target resolves to in this pod, if it declares one. */
  target?: KnownPort;
}

export function chainsOf(index: WorkspaceIndex, service: Service, servicePort: ServicePort): Chain[] {
  if (!service.selector) return [];
  const target = targetOf(servicePort);
  return index.podsSelectedByMap(service.selector.value, service.ref.namespace).map((pod) => {
    const ports = podPorts(index, pod).ports.filter((p) => p.declared && p.protocol === servicePort.protocol);
    const hit = target.kind === 'number' ? ports.find((p) => p.number === target.number) : ports.find((p) => p.name === target.name);
    return { service, servicePort, pod, target: hit };
  });
}

/** The ingress rules that admit traffic to `port` of `pod`, and whether any policy isolates the pod at all. */
export function admittingRules(
  index: WorkspaceIndex,
  pod: PodTemplate,
  port: KnownPort,
): { isolated: boolean; admitted: Array<{ policy: NetworkPolicy; rule: number }> } {
  const policies = ingressPoliciesOf(index, pod);
  const admitted = policies.flatMap((policy) =>
    policy.ingress.flatMap((rule, i) => (rulePortAdmits(rule, port) ? [{ policy, rule: i + 1 }] : [])),
  );
  return { isolated: policies.length > 0, admitted };
}

/** The pods a policy rule's ports apply to: the selected pods for ingress, the destinations for egress. */
export function podsOfRule(index: WorkspaceIndex, policy: NetworkPolicy, rule: PolicyRule): PodTemplate[] {
  if (rule.direction === 'ingress') return index.podsSelectedBy(policy.podSelector, policy.ref.namespace);
  return destinationPods(index, policy, rule) ?? [];
}

/** The pods a selector under the cursor picks: the policy's own, or a peer's. */
export function podsOfSelector(index: WorkspaceIndex, policy: NetworkPolicy, peer: PolicyPeer | undefined): PodTemplate[] {
  return peer ? (podsOfPeer(index, policy, peer) ?? []) : index.podsSelectedBy(policy.podSelector, policy.ref.namespace);
}
