import {
  backendNamespace,
  type DialectPolicy,
  type FileModel,
  type LabelSelector,
  type Monitor,
  type NamespaceObject,
  type NetworkPolicy,
  type PodTemplate,
  type Router,
  type Service,
} from '../../model/manifest';
import { NAMESPACE_NAME_LABEL, isEmptySelector, mapSelectorMatches, selectorMatches } from './selectors';

/** Objects without `metadata.namespace` all share this one (what `kubectl apply -f` does). */
export const UNSPECIFIED_NAMESPACE = '';

export function namespaceKey(namespace: string | undefined): string {
  return namespace ?? UNSPECIFIED_NAMESPACE;
}

/** The objects of one namespace, with pods indexed by label so selectors need not scan them all. */
class NamespaceBucket {
  readonly pods = new Set<PodTemplate>();
  readonly services = new Set<Service>();
  readonly policies = new Set<NetworkPolicy>();
  readonly routers = new Set<Router>();
  readonly monitors = new Set<Monitor>();
  /** Services by `metadata.name` (the same name may be written in several files). */
  readonly servicesByName = new Map<string, Set<Service>>();
  readonly dialectPolicies = new Set<DialectPolicy>();
  private readonly byLabel = new Map<string, Map<string, Set<PodTemplate>>>();

  addPod(pod: PodTemplate): void {
    this.pods.add(pod);
    for (const [key, value] of pod.labels) {
      let values = this.byLabel.get(key);
      if (!values) this.byLabel.set(key, (values = new Map()));
      let pods = values.get(value);
      if (!pods) values.set(value, (pods = new Set()));
      pods.add(pod);
    }
  }

  removePod(pod: PodTemplate): void {
    this.pods.delete(pod);
    for (const [key, value] of pod.labels) {
      const values = this.byLabel.get(key);
      const pods = values?.get(value);
      pods?.delete(pod);
      if (pods?.size === 0) values!.delete(value);
      if (values?.size === 0) this.byLabel.delete(key);
    }
  }

  addService(service: Service): void {
    this.services.add(service);
    addTo(this.servicesByName, service.ref.name, service);
  }

  removeService(service: Service): void {
    this.services.delete(service);
    deleteFrom(this.servicesByName, service.ref.name, service);
  }

  isEmpty(): boolean {
    return (
      this.pods.size === 0 &&
      this.services.size === 0 &&
      this.policies.size === 0 &&
      this.dialectPolicies.size === 0 &&
      this.routers.size === 0 &&
      this.monitors.size === 0
    );
  }

  /** The smallest set of pods that can contain every match, from the label index. */
  candidates(equalities: Iterable<[string, string]>, inSets: Array<[string, string[]]>): Iterable<PodTemplate> {
    let best: Iterable<PodTemplate> = this.pods;
    let bestSize = this.pods.size;
    for (const [key, value] of equalities) {
      const pods = this.byLabel.get(key)?.get(value);
      if (!pods) return [];
      if (pods.size < bestSize) [best, bestSize] = [pods, pods.size];
    }
    for (const [key, values] of inSets) {
      const byValue = this.byLabel.get(key);
      const union = new Set<PodTemplate>();
      for (const value of values) for (const pod of byValue?.get(value) ?? []) union.add(pod);
      if (union.size < bestSize) [best, bestSize] = [union, union.size];
    }
    return best;
  }
}

/**
 * Every object of the workspace, by namespace. Files are replaced one at a time; nothing is
 * rebuilt for the files that did not change.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, FileModel>();
  private readonly buckets = new Map<string, NamespaceBucket>();
  private readonly namespaceObjects = new Map<string, Set<NamespaceObject>>();
  /** Derived from the namespaces alone (their labels, which exist): cleared when a Namespace object or a bucket comes or goes. */
  private readonly labelsOf = new Map<string, ReadonlyMap<string, string>>();
  private readonly selectedNamespaces = new Map<string, readonly string[] | undefined>();

  /** Counts the lookups of a namespace's Services: a check that made none did not depend on them. */
  serviceReads = 0;
  private generation = 0;

  /** Routers by each Service they name (`namespace/name`), and by the namespaces their backends point into. */
  private readonly routersByService = new Map<string, Set<Router>>();
  private readonly routersByTarget = new Map<string, Set<Router>>();
  /** Monitors by the namespaces they look in; those looking in every namespace apart. */
  private readonly monitorsByTarget = new Map<string, Set<Monitor>>();
  private readonly anyNamespaceMonitors = new Set<Monitor>();
  /** Every Cilium and Calico policy, and those whose selector may pick pods of other namespaces than their own. */
  private readonly dialects = new Set<DialectPolicy>();
  private readonly clusterDialects = new Set<DialectPolicy>();

  get fileCount(): number {
    return this.files.size;
  }

  file(uri: string): FileModel | undefined {
    return this.files.get(uri);
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  /** Puts a file's objects in place of its previous ones; returns the previous model, if any. */
  setFile(model: FileModel): FileModel | undefined {
    const previous = this.removeFile(model.uri);
    this.files.set(model.uri, model);
    if (model.namespaces.length > 0) this.namespacesChanged();
    for (const pod of model.pods) this.bucket(pod.ref.namespace).addPod(pod);
    for (const service of model.services) this.bucket(service.ref.namespace).addService(service);
    for (const policy of model.policies) this.bucket(policy.ref.namespace).policies.add(policy);
    for (const monitor of model.monitors) {
      this.bucket(monitor.ref.namespace).monitors.add(monitor);
      if (monitor.namespaces.kind === 'any') this.anyNamespaceMonitors.add(monitor);
      else for (const ns of this.monitorNamespaces(monitor)) addTo(this.monitorsByTarget, namespaceKey(ns), monitor);
    }
    for (const router of model.routers) {
      this.bucket(router.ref.namespace).routers.add(router);
      for (const backend of router.backends) {
        const namespace = backendNamespace(router, backend);
        addTo(this.routersByService, serviceKey(namespace, backend.service.value), router);
        addTo(this.routersByTarget, namespaceKey(namespace), router);
      }
    }
    for (const policy of model.dialectPolicies) {
      this.bucket(policy.ref.namespace).dialectPolicies.add(policy);
      this.dialects.add(policy);
      if (policy.selector.scope !== 'policy') this.clusterDialects.add(policy);
    }
    for (const ns of model.namespaces) {
      let set = this.namespaceObjects.get(ns.ref.name);
      if (!set) this.namespaceObjects.set(ns.ref.name, (set = new Set()));
      set.add(ns);
    }
    return previous;
  }

  removeFile(uri: string): FileModel | undefined {
    const previous = this.files.get(uri);
    if (!previous) return undefined;
    this.files.delete(uri);
    if (previous.namespaces.length > 0) this.namespacesChanged();
    for (const pod of previous.pods) this.existingBucket(pod.ref.namespace)?.removePod(pod);
    for (const service of previous.services) this.existingBucket(service.ref.namespace)?.removeService(service);
    for (const policy of previous.policies) this.existingBucket(policy.ref.namespace)?.policies.delete(policy);
    for (const monitor of previous.monitors) {
      this.existingBucket(monitor.ref.namespace)?.monitors.delete(monitor);
      if (monitor.namespaces.kind === 'any') this.anyNamespaceMonitors.delete(monitor);
      else for (const ns of this.monitorNamespaces(monitor)) deleteFrom(this.monitorsByTarget, namespaceKey(ns), monitor);
    }
    for (const router of previous.routers) {
      this.existingBucket(router.ref.namespace)?.routers.delete(router);
      for (const backend of router.backends) {
        const namespace = backendNamespace(router, backend);
        deleteFrom(this.routersByService, serviceKey(namespace, backend.service.value), router);
        deleteFrom(this.routersByTarget, namespaceKey(namespace), router);
      }
    }
    for (const policy of previous.dialectPolicies) {
      this.existingBucket(policy.ref.namespace)?.dialectPolicies.delete(policy);
      this.dialects.delete(policy);
      this.clusterDialects.delete(policy);
    }
    for (const ns of previous.namespaces) {
      const set = this.namespaceObjects.get(ns.ref.name);
      set?.delete(ns);
      if (set?.size === 0) this.namespaceObjects.delete(ns.ref.name);
    }
    for (const [key, bucket] of this.buckets) {
      if (!bucket.isEmpty()) continue;
      this.buckets.delete(key);
      this.selectedNamespaces.clear();
      this.generation++;
    }
    return previous;
  }

  private namespacesChanged(): void {
    this.labelsOf.clear();
    this.selectedNamespaces.clear();
  }

  podsSelectedBy(selector: LabelSelector, namespace: string | undefined): PodTemplate[] {
    const bucket = this.existingBucket(namespace);
    if (!bucket) return [];
    if (isEmptySelector(selector)) return [...bucket.pods];
    const inSets = selector.matchExpressions.filter((r) => r.operator === 'In').map((r): [string, string[]] => [r.key, r.values]);
    return [...bucket.candidates(selector.matchLabels, inSets)].filter((pod) => selectorMatches(selector, pod.labels));
  }

  podsSelectedByMap(selector: ReadonlyMap<string, string>, namespace: string | undefined): PodTemplate[] {
    const bucket = this.existingBucket(namespace);
    if (!bucket) return [];
    return [...bucket.candidates(selector, [])].filter((pod) => mapSelectorMatches(selector, pod.labels));
  }

  pods(namespace: string | undefined): ReadonlySet<PodTemplate> {
    return this.existingBucket(namespace)?.pods ?? new Set();
  }

  services(namespace: string | undefined): ReadonlySet<Service> {
    this.serviceReads++;
    return this.existingBucket(namespace)?.services ?? new Set();
  }

  policies(namespace: string | undefined): ReadonlySet<NetworkPolicy> {
    return this.existingBucket(namespace)?.policies ?? new Set();
  }

  /** The Services of a namespace with this `metadata.name`. */
  servicesNamed(namespace: string | undefined, name: string): Service[] {
    return [...(this.existingBucket(namespace)?.servicesByName.get(name) ?? [])];
  }

  /** The Ingresses and routes with a backend naming Service `namespace/name`. */
  routersUsing(namespace: string | undefined, name: string): Router[] {
    return [...(this.routersByService.get(serviceKey(namespace, name)) ?? [])];
  }

  /** The Ingresses and routes with a backend in this namespace. */
  routersInto(namespace: string | undefined): ReadonlySet<Router> {
    return this.routersByTarget.get(namespaceKey(namespace)) ?? new Set();
  }

  /** The monitors that look in this namespace (those that look in every namespace included). */
  monitorsLookingAt(namespace: string | undefined): Monitor[] {
    return [...(this.monitorsByTarget.get(namespaceKey(namespace)) ?? []), ...this.anyNamespaceMonitors];
  }

  allRouters(): Router[] {
    return [...this.buckets.values()].flatMap((b) => [...b.routers]);
  }

  allMonitors(): Monitor[] {
    return [...this.buckets.values()].flatMap((b) => [...b.monitors]);
  }

  /** The namespaces a monitor looks in that the workspace knows (`any`: every one of them). */
  monitorNamespaces(monitor: Monitor): Array<string | undefined> {
    const { namespaces } = monitor;
    if (namespaces.kind === 'own') return [monitor.ref.namespace];
    if (namespaces.kind === 'names') return namespaces.names;
    return this.namespaceNames();
  }

  /** The Services a ServiceMonitor selects, by their labels, in the namespaces it looks in. */
  servicesSelectedBy(selector: LabelSelector, namespaces: Array<string | undefined>): Service[] {
    return namespaces.flatMap((ns) => [...this.services(ns)].filter((s) => selectorMatches(selector, s.labels)));
  }

  /** Cilium and Calico policies written in a namespace (cluster-wide ones name none: the unspecified one). */
  dialectPolicies(namespace: string | undefined): ReadonlySet<DialectPolicy> {
    return this.existingBucket(namespace)?.dialectPolicies ?? new Set();
  }

  /** The Cilium and Calico policies that may select pods of a namespace: its own, and the cluster-wide ones. */
  dialectPoliciesFor(namespace: string | undefined): DialectPolicy[] {
    const own = this.existingBucket(namespace)?.dialectPolicies;
    if (this.clusterDialects.size === 0) return own ? [...own] : [];
    return [...(own ?? []), ...[...this.clusterDialects].filter((p) => !own?.has(p))];
  }

  get dialectPolicyCount(): number {
    return this.dialects.size;
  }

  allDialectPolicies(): DialectPolicy[] {
    return this.dialects.size === 0 ? [] : [...this.dialects];
  }

  allPolicies(): NetworkPolicy[] {
    return [...this.buckets.values()].flatMap((b) => [...b.policies]);
  }

  allServices(): Service[] {
    return [...this.buckets.values()].flatMap((b) => [...b.services]);
  }

  allPods(): PodTemplate[] {
    return [...this.buckets.values()].flatMap((b) => [...b.pods]);
  }

  /**
   * The namespaces a `namespaceSelector` picks, or undefined when the workspace cannot tell:
   * an empty selector (every namespace, most of them outside the workspace), or labels that no
   * Namespace object here carries. Names are always known: every namespace carries
   * `kubernetes.io/metadata.name`.
   */
  namespacesSelectedBy(selector: LabelSelector): readonly string[] | undefined {
    const key = selectorKey(selector);
    if (this.selectedNamespaces.has(key)) return this.selectedNamespaces.get(key);
    const selected = this.selectNamespaces(selector);
    this.selectedNamespaces.set(key, selected);
    return selected;
  }

  private selectNamespaces(selector: LabelSelector): string[] | undefined {
    if (isEmptySelector(selector)) return undefined;
    const byNameOnly =
      [...selector.matchLabels.keys()].every((k) => k === NAMESPACE_NAME_LABEL) &&
      selector.matchExpressions.every((r) => r.key === NAMESPACE_NAME_LABEL);
    // A selector that pins one name can pick only that namespace: no need to try every other one.
    const pinned = pinnedName(selector);
    if (pinned !== undefined) {
      const known = byNameOnly || this.namespaceObjects.has(pinned);
      const picks = known && selectorMatches(selector, this.namespaceLabels(pinned));
      if (!picks || selector.matchExpressions.some((r) => r.operator === 'NotIn' || r.operator === 'DoesNotExist')) return undefined;
      return [pinned];
    }
    const candidates = new Set<string>(this.namespaceObjects.keys());
    if (byNameOnly) {
      for (const key of this.buckets.keys()) if (key !== UNSPECIFIED_NAMESPACE) candidates.add(key);
      const named = selector.matchLabels.get(NAMESPACE_NAME_LABEL);
      if (named !== undefined) candidates.add(named);
      for (const r of selector.matchExpressions) if (r.operator === 'In') r.values.forEach((v) => candidates.add(v));
    }
    // Sorted: what a rule says of the pods it finds must not depend on the order files were read in.
    const selected = [...candidates].filter((name) => selectorMatches(selector, this.namespaceLabels(name))).sort();
    if (selected.length === 0) return undefined;
    // NotIn / DoesNotExist on names also match namespaces outside the workspace.
    if (selector.matchExpressions.some((r) => r.operator === 'NotIn' || r.operator === 'DoesNotExist')) return undefined;
    return selected;
  }

  /** Does the workspace hold pods, Services or policies in this namespace? */
  hasObjectsIn(namespace: string | undefined): boolean {
    return this.existingBucket(namespace) !== undefined;
  }

  /** The namespaces that hold objects here (undefined: the unspecified one). */
  namespacesWithObjects(): Array<string | undefined> {
    return [...this.buckets.keys()].map((n) => (n === UNSPECIFIED_NAMESPACE ? undefined : n));
  }

  /** Changes whenever a namespace gains its first object or loses its last one. */
  get namespacesGeneration(): number {
    return this.generation;
  }

  /** Is there a Namespace object for `name`, so that its labels are known? */
  hasNamespaceObject(name: string): boolean {
    return this.namespaceObjects.has(name);
  }

  /** Every namespace holding objects here or declared by a Namespace object (undefined: the unspecified one). */
  namespaceNames(): Array<string | undefined> {
    const names = new Set<string>([...this.buckets.keys(), ...this.namespaceObjects.keys()]);
    return [...names].sort().map((n) => (n === UNSPECIFIED_NAMESPACE ? undefined : n));
  }

  namespaceLabels(name: string): ReadonlyMap<string, string> {
    let labels = this.labelsOf.get(name);
    if (labels) return labels;
    const built = new Map<string, string>();
    for (const ns of this.namespaceObjects.get(name) ?? []) for (const [k, v] of ns.labels) built.set(k, v);
    built.set(NAMESPACE_NAME_LABEL, name);
    this.labelsOf.set(name, (labels = built));
    return labels;
  }

  private bucket(namespace: string | undefined): NamespaceBucket {
    const key = namespaceKey(namespace);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, (bucket = new NamespaceBucket()));
      this.selectedNamespaces.clear();
      this.generation++;
    }
    return bucket;
  }

  private existingBucket(namespace: string | undefined): NamespaceBucket | undefined {
    return this.buckets.get(namespaceKey(namespace));
  }
}

const serviceKey = (namespace: string | undefined, name: string) => `${namespaceKey(namespace)}/${name}`;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function deleteFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

/** The one namespace name a selector requires (`kubernetes.io/metadata.name: x` or `In [x]`), if any. */
function pinnedName(selector: LabelSelector): string | undefined {
  const names = new Set<string>();
  const label = selector.matchLabels.get(NAMESPACE_NAME_LABEL);
  if (label !== undefined) names.add(label);
  for (const r of selector.matchExpressions) {
    if (r.key !== NAMESPACE_NAME_LABEL || r.operator !== 'In') continue;
    if (r.values.length !== 1) return undefined;
    names.add(r.values[0]);
  }
  return names.size === 1 ? [...names][0] : undefined;
}

const selectorKeys = new WeakMap<LabelSelector, string>();

/** What a selector requires, as a string: equal selectors of different policies share one. */
export function selectorKey(selector: LabelSelector): string {
  let key = selectorKeys.get(selector);
  if (key === undefined) {
    key = JSON.stringify([[...selector.matchLabels], selector.matchExpressions.map((r) => [r.key, r.operator, r.values])]);
    selectorKeys.set(selector, key);
  }
  return key;
}
