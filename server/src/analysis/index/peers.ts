import type { LabelSelector, NetworkPolicy, PodTemplate, PolicyPeer, PolicyRule } from '../../model/manifest';
import { NAMESPACE_NAME_LABEL } from './selectors';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * The pods an egress rule sends to, or undefined when any peer reaches beyond what the workspace
 * knows: no `to`, an ipBlock, a namespaceSelector alone or one that does not resolve, or a
 * selector that matches no pod here.
 */
export function destinationPods(index: WorkspaceIndex, policy: NetworkPolicy, rule: PolicyRule): PodTemplate[] | undefined {
  if (!rule.peers || rule.peers.length === 0) return undefined;
  const pods = new Set<PodTemplate>();
  for (const peer of rule.peers) {
    const peerPods = podsOfPeer(index, policy, peer);
    if (!peerPods || peerPods.length === 0) return undefined;
    peerPods.forEach((pod) => pods.add(pod));
  }
  return [...pods];
}

/** The pods a peer selects, or undefined when it reaches beyond what the workspace can resolve. */
export function podsOfPeer(index: WorkspaceIndex, policy: NetworkPolicy, peer: PolicyPeer): PodTemplate[] | undefined {
  if (peer.ipBlock || !peer.podSelector) return undefined;
  if (peer.namespaceSelector && mayPickUnseenNamespaces(index, peer.namespaceSelector)) return undefined;
  const namespaces = peer.namespaceSelector ? index.namespacesSelectedBy(peer.namespaceSelector) : [policy.ref.namespace];
  return namespaces?.flatMap((ns) => index.podsSelectedBy(peer.podSelector!, ns));
}

/**
 * May a namespaceSelector also pick namespaces whose pods the workspace cannot see (SPEC §2)? It
 * names a namespace that has no object here, or it selects by labels while some namespace that
 * has objects here has no Namespace object (its labels are unknown). Explain calls such paths
 * unknown; the checks do not judge them.
 */
export function mayPickUnseenNamespaces(index: WorkspaceIndex, selector: LabelSelector): boolean {
  const named = [...selector.matchLabels].filter(([key]) => key === NAMESPACE_NAME_LABEL).map(([, value]) => value);
  for (const r of selector.matchExpressions) if (r.key === NAMESPACE_NAME_LABEL && r.operator === 'In') named.push(...r.values);
  if (named.some((name) => !index.hasObjectsIn(name))) return true;
  const byLabels = [...selector.matchLabels.keys(), ...selector.matchExpressions.map((r) => r.key)].some(
    (key) => key !== NAMESPACE_NAME_LABEL,
  );
  return byLabels && index.namespacesWithObjects().some((name) => name === undefined || !index.hasNamespaceObject(name));
}
