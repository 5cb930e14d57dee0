import type { NetworkPolicy, PodTemplate, PolicyPeer, PolicyRule } from '../../model/manifest';
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
  const namespaces = peer.namespaceSelector ? index.namespacesSelectedBy(peer.namespaceSelector) : [policy.ref.namespace];
  return namespaces?.flatMap((ns) => index.podsSelectedBy(peer.podSelector!, ns));
}
