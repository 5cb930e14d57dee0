import type { LabelSelector, NetworkPolicy, PodTemplate } from '../../model/manifest';
import { selectorKey } from './workspaceIndex';
import { selectorMatches } from './selectors';

interface Group {
  namespaceSelector: LabelSelector;
  /** The policies with egress peers of this namespace selector, by their peers' pod selector (its key): each matched once. */
  byPodSelector: Map<string, { podSelector: LabelSelector; policies: Set<NetworkPolicy> }>;
}

/**
 * The egress peers that pick pods of other namespaces (a namespaceSelector and a podSelector),
 * grouped by namespace selector and then by pod selector: which policies a pod of a namespace can
 * be a destination of is answered by matching each distinct selector once, not every policy's.
 */
export class EgressReach {
  private readonly groups = new Map<string, Group>();
  /** Each policy's peers: the namespace selector's key, and the pod selector's (none: the peer resolves to no pod). */
  private readonly keysOf = new Map<NetworkPolicy, Array<[string, string | undefined]>>();

  /** The policies with egress peers that pick namespaces by label. */
  policies(): IterableIterator<NetworkPolicy> {
    return this.keysOf.keys();
  }

  add(policy: NetworkPolicy): void {
    const keys: Array<[string, string | undefined]> = [];
    for (const rule of policy.egress) {
      for (const peer of rule.peers ?? []) {
        if (!peer.namespaceSelector) continue;
        const key = selectorKey(peer.namespaceSelector);
        let group = this.groups.get(key);
        if (!group) this.groups.set(key, (group = { namespaceSelector: peer.namespaceSelector, byPodSelector: new Map() }));
        // A peer without podSelector or with an ipBlock resolves to no pod, so no pod change reaches it.
        if (!peer.podSelector || peer.ipBlock) {
          keys.push([key, undefined]);
          continue;
        }
        const podKey = selectorKey(peer.podSelector);
        let pods = group.byPodSelector.get(podKey);
        if (!pods) group.byPodSelector.set(podKey, (pods = { podSelector: peer.podSelector, policies: new Set() }));
        pods.policies.add(policy);
        keys.push([key, podKey]);
      }
    }
    if (keys.length > 0) this.keysOf.set(policy, keys);
  }

  delete(policy: NetworkPolicy): void {
    for (const [key, podKey] of this.keysOf.get(policy) ?? []) {
      const group = this.groups.get(key);
      if (!group) continue;
      const pods = podKey === undefined ? undefined : group.byPodSelector.get(podKey);
      pods?.policies.delete(policy);
      if (pods?.policies.size === 0) group.byPodSelector.delete(podKey!);
      if (group.byPodSelector.size === 0) this.groups.delete(key);
    }
    this.keysOf.delete(policy);
  }

  /** The policies with a peer whose namespace selector matches `namespaceLabels` and whose pod selector matches the pod. */
  reaching(pod: PodTemplate, namespaceLabels: ReadonlyMap<string, string>, found: (policy: NetworkPolicy) => void): void {
    for (const group of this.groups.values()) {
      if (!selectorMatches(group.namespaceSelector, namespaceLabels)) continue;
      for (const { podSelector, policies } of group.byPodSelector.values())
        if (selectorMatches(podSelector, pod.labels)) policies.forEach(found);
    }
  }
}
