import type {
  ContainerPort,
  DialectPolicy,
  DialectRule,
  DialectSelector,
  FileModel,
  LabelSelector,
  Monitor,
  MonitorEndpoint,
  NetworkPolicy,
  PodTemplate,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  PortEntry,
  Probe,
  Router,
  Service,
  ServiceBackend,
  ServicePort,
} from '../../model/manifest';
import { containsPosition, type Position } from '../../model/source';

/** What sits under the cursor, in terms of the model. */
export type Target =
  | { kind: 'policyPort'; policy: NetworkPolicy; rule: PolicyRule; entry: PolicyPort }
  | { kind: 'servicePort'; service: Service; port: ServicePort }
  | { kind: 'containerPort'; pod: PodTemplate; port: ContainerPort }
  | { kind: 'policySelector'; policy: NetworkPolicy; selector: LabelSelector; peer?: PolicyPeer }
  | { kind: 'serviceSelector'; service: Service }
  | { kind: 'backend'; router: Router; backend: ServiceBackend }
  | { kind: 'monitorEndpoint'; monitor: Monitor; endpoint: MonitorEndpoint }
  | { kind: 'probe'; pod: PodTemplate; probe: Probe }
  | { kind: 'dialectPort'; policy: DialectPolicy; rule: DialectRule; entry: PortEntry }
  | { kind: 'dialectSelector'; policy: DialectPolicy; selector: DialectSelector; peer: boolean };

export function locate(model: FileModel, position: Position): Target | undefined {
  const at = (range: { start: Position; end: Position } | undefined) => range !== undefined && containsPosition(range, position);
  for (const policy of model.policies) {
    if (!at(policy.ref.range)) continue;
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const entry of rule.ports ?? []) {
        if (at(entry.range)) return { kind: 'policyPort', policy, rule, entry };
      }
      for (const peer of rule.peers ?? []) {
        if (peer.podSelector && at(peer.podSelector.range)) return { kind: 'policySelector', policy, selector: peer.podSelector, peer };
      }
    }
    if (at(policy.podSelector.range)) return { kind: 'policySelector', policy, selector: policy.podSelector };
  }
  for (const policy of model.dialectPolicies) {
    if (!at(policy.ref.range)) continue;
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const entry of rule.ports ?? []) {
        if (at(entry.range)) return { kind: 'dialectPort', policy, rule, entry };
      }
      for (const peer of rule.peers ?? []) {
        if (at(peer.range)) return { kind: 'dialectSelector', policy, selector: peer, peer: true };
      }
    }
    if (at(policy.selector.range)) return { kind: 'dialectSelector', policy, selector: policy.selector, peer: false };
  }
  for (const service of model.services) {
    if (!at(service.ref.range)) continue;
    for (const port of service.ports) {
      if (at(port.range)) return { kind: 'servicePort', service, port };
    }
    if (at(service.selector?.range)) return { kind: 'serviceSelector', service };
  }
  for (const pod of model.pods) {
    if (!at(pod.ref.range)) continue;
    for (const port of pod.ports) {
      if (at(port.range)) return { kind: 'containerPort', pod, port };
    }
    for (const probe of pod.probes) {
      if (at(probe.port.range)) return { kind: 'probe', pod, probe };
    }
  }
  for (const router of model.routers) {
    if (!at(router.ref.range)) continue;
    for (const backend of router.backends) {
      if (at(backend.port?.range) || at(backend.service.range)) return { kind: 'backend', router, backend };
    }
  }
  for (const monitor of model.monitors) {
    if (!at(monitor.ref.range)) continue;
    for (const endpoint of monitor.endpoints) {
      if (at(endpoint.port?.range) || at(endpoint.portNumber?.range) || at(endpoint.targetPort?.range))
        return { kind: 'monitorEndpoint', monitor, endpoint };
    }
  }
  return undefined;
}
