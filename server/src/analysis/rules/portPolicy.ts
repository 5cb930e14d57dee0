import type { Dialect, EntryProtocol, ObjectRef, PortEntry, Protocol } from '../../model/manifest';

/** What the port rules need of a policy, in any dialect: Kubernetes (no `dialect`), Cilium or Calico. */
export interface PortPolicy {
  ref: ObjectRef;
  dialect?: Dialect;
}

/** What the port rules need of a rule: its direction and its port entries (undefined: every port). */
export interface PortRule {
  direction: 'ingress' | 'egress';
  ports?: PortEntry[] | undefined;
}

/** `NetworkPolicy`, `CiliumNetworkPolicy`, `Calico GlobalNetworkPolicy`: the kind as its users name it. */
export function policyKind(policy: PortPolicy): string {
  return policy.dialect === 'Calico' ? `Calico ${policy.ref.kind}` : policy.ref.kind;
}

/** The protocols an entry's protocol stands for (Cilium's ANY: all three). */
export function protocolsOf(protocol: EntryProtocol): Protocol[] {
  return protocol === 'ANY' ? ['TCP', 'UDP', 'SCTP'] : [protocol];
}
