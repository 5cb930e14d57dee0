import type { LabelSelector, NetworkPolicy, PodTemplate } from '../../model/manifest';
import { selectorKey } from './workspaceIndex';
import { selectorMatches } from './selectors';

interface Group {
  namespaceSelector: LabelSelector;
  /** Each policy's pod selectors of its egress peers with this namespace selector. */
  members: Map<NetworkPolicy, LabelSelector[]>;
}

/**
 * The egress peers that pick pods of other namespaces (a namespaceSelector and a podSelector),
 * grouped by namespace selector: which policies a pod of a namespace can be a destination of is
 * answered by matching each distinct namespace selector once, not every policy's.
 */
export class EgressReach {
  private readonly groups = new Map<string, Group>();
  private readonly keysOf = new Map<NetworkPolicy, string[]>();

  /** The policies with egress peers that pick namespaces by label. */
  policies(): IterableIterator<NetworkPolicy> {
    return this.keysOf.keys();
  }

  add(policy: NetworkPolicy): void {
    const keys: string[] = [];
    for (const rule of policy.egress) {
      for (const peer of rule.peers ?? []) {
        if (!peer.namespaceSelector) continue;
        const key = selectorKey(peer.namespaceSelector);
        let group = this.groups.get(key);
        if (!group) this.groups.set(key, (group = { namespaceSelector: peer.namespaceSelector, members: new Map() }));
        const selectors = group.members.get(policy) ?? [];
        // A peer without podSelector or with an ipBlock resolves to no pod, so no pod change reaches it.
        if (peer.podSelector && !peer.ipBlock) selectors.push(peer.podSelector);
        group.members.set(policy, selectors);
        keys.push(key);
      }
    }
    if (keys.length > 0) this.keysOf.set(policy, keys);
  }

  delete(policy: NetworkPolicy): void {
    for (const key of this.keysOf.get(policy) ?? []) {
      const group = this.groups.get(key);
      group?.members.delete(policy);
      if (group?.members.size === 0) this.groups.delete(key);
    }
    this.keysOf.delete(policy);
  }

  /** The policies with a peer whose namespace selector matches `namespaceLabels` and whose pod selector matches the pod. */
  reaching(pod: PodTemplate, namespaceLabels: ReadonlyMap<string, string>, found: (policy: NetworkPolicy) => void): void {
    for (const group of this.groups.values()) {
      if (!selectorMatches(group.namespaceSelector, namespaceLabels)) continue;
      for (const [policy, selectors] of group.members) if (selectors.some((s) => selectorMatches(s, pod.labels))) found(policy);
    }
  }
}
