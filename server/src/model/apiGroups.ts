/**
 * The API groups under which each kind is read (SPEC §1). An object of a kind listed here but of
 * another group (a Calico `projectcalico.org/v3` NetworkPolicy, a Knative Service) is not the
 * Kubernetes object of that name and gets none of its rules. `''` is the core group (`v1`).
 * Readers of other dialects add their own kinds and groups here.
 */
/** Calico's API server group, and the group of its CRDs (written directly by some installs). */
export const CALICO_GROUPS: readonly string[] = ['projectcalico.org', 'crd.projectcalico.org'];
export const CILIUM_GROUPS: readonly string[] = ['cilium.io'];

export const API_GROUPS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['Pod', ['']],
  ['ReplicationController', ['']],
  ['Service', ['']],
  ['Namespace', ['']],
  ['List', ['']],
  ['Deployment', ['apps', 'extensions']],
  ['ReplicaSet', ['apps', 'extensions']],
  ['DaemonSet', ['apps', 'extensions']],
  ['StatefulSet', ['apps']],
  ['Job', ['batch']],
  ['CronJob', ['batch']],
  // Calico's NetworkPolicy shares the kind name; readDialects.ts reads it on its own terms.
  ['NetworkPolicy', ['networking.k8s.io', 'extensions', ...CALICO_GROUPS]],
  ['GlobalNetworkPolicy', CALICO_GROUPS],
  ['CiliumNetworkPolicy', CILIUM_GROUPS],
  ['CiliumClusterwideNetworkPolicy', CILIUM_GROUPS],
  // The extensions/v1beta1 Ingress names its backends differently (serviceName, servicePort).
  ['Ingress', ['networking.k8s.io']],
  ['HTTPRoute', ['gateway.networking.k8s.io']],
  ['GRPCRoute', ['gateway.networking.k8s.io']],
  ['TLSRoute', ['gateway.networking.k8s.io']],
  ['TCPRoute', ['gateway.networking.k8s.io']],
  ['UDPRoute', ['gateway.networking.k8s.io']],
  ['ServiceMonitor', ['monitoring.coreos.com']],
  ['PodMonitor', ['monitoring.coreos.com']],
]);

/** The group of an `apiVersion`: `apps` of `apps/v1`, `''` of `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Is an object of this kind and apiVersion one the analysis reads as that kind? A `FooList`
 * takes the groups of `Foo`; kinds the table does not list are not read.
 */
export function isReadApiVersion(kind: string, apiVersion: string): boolean {
  const groups = API_GROUPS.get(kind) ?? (kind.endsWith('List') ? API_GROUPS.get(kind.slice(0, -'List'.length)) : undefined);
  return groups !== undefined && groups.includes(groupOf(apiVersion.trim()));
}
