import type {
  DialectPolicy,
  FileModel,
  Monitor,
  NetworkPolicy,
  ObjectRef,
  PodTemplate,
  PolicyPeer,
  Router,
  Service,
} from '../model/manifest';
import { checkDialectPolicy } from './rules/dialectPolicy';
import { dialectNamespaces } from './index/dialectSelection';
import { mapSelectorMatches, selectorMatches } from './index/selectors';
import { parseManifests } from '../model/parse';
import { checkPolicy } from './rules/policy';
import { checkService } from './rules/serviceTargetPort';
import { checkStructure } from './rules/structure';
import { checkRouter } from './rules/backendPortUnmatched';
import { checkMonitor } from './rules/monitorPortUnmatched';
import { checkProbes } from './rules/probePortUnmatched';
import { definition, type Location } from './features/definition';
import { hover, type HoverResult } from './features/hover';
import type { Position } from '../model/source';
import { compareFindings, type Finding, type Severity } from './rules/findings';
import { namespaceKey, WorkspaceIndex } from './index/workspaceIndex';
import { EgressReach } from './index/egressReach';
import type { RuleCode } from './rules/registry';
import { applySuppressions } from './suppressions/suppress';
import { DuplicateObjects } from './rules/objectDuplicate';

export type SeverityOverride = Severity | 'off';
export type SeverityOverrides = Partial<Record<RuleCode, SeverityOverride>>;

/** An object whose findings are computed against the rest of the workspace. */
type Checked = NetworkPolicy | DialectPolicy | Service | Router | Monitor | PodTemplate;

function checkObject(index: WorkspaceIndex, object: Checked): Finding[] {
  if ('dialect' in object) return checkDialectPolicy(index, object);
  if ('podSelector' in object) return checkPolicy(index, object);
  if ('backends' in object) return checkRouter(index, object);
  if ('endpoints' in object) return checkMonitor(index, object);
  if ('probes' in object) return checkProbes(index, object);
  return checkService(index, object);
}

/** The objects of a file that get findings of their own: policies, Services, routers, monitors and probed pods. */
function checkedOf(model: FileModel): Checked[] {
  return [
    ...model.policies,
    ...model.dialectPolicies,
    ...model.services,
    ...model.routers,
    ...model.monitors,
    ...model.pods.filter((p) => p.probes.length > 0),
  ];
}

/**
 * The analysis of a whole workspace: files in, findings out. Each change re-reads one file and
 * re-checks only the policies and Services it can affect; it answers which files' findings changed.
 */
export class PortLens {
  readonly index = new WorkspaceIndex();
  private readonly objectFindings = new Map<Checked, Finding[]>();
  private readonly owners = new WeakMap<Finding, ObjectRef>();
  private readonly fileErrors = new Map<string, Finding[]>();
  /** Policies with egress peers picked by namespace labels: their findings depend on other namespaces. */
  private readonly crossNamespace = new EgressReach();
  /** Policies and Services whose last check looked up Services (for pods without ports, or forwarded ports). */
  private readonly readsServices = new WeakSet<Checked>();
  /** Cilium and Calico policies by the namespaces their findings depend on; those that may depend on any apart. */
  private readonly dialectByNamespace = new Map<string, Set<DialectPolicy>>();
  private readonly dialectEverywhere = new Set<DialectPolicy>();
  private readonly duplicates = new DuplicateObjects();
  /** Files whose object-duplicate findings changed with the last `put` or `removeFile`. */
  private duplicatesTouched = new Set<string>();

  /** Parses `text` as the new content of `uri`. */
  setFile(uri: string, text: string): Set<string> {
    return this.setModel(parseManifests(uri, text));
  }

  setModel(model: FileModel): Set<string> {
    const generation = this.index.namespacesGeneration;
    const previous = this.put(model);
    const changed = this.recheck(model.uri, previous, model, generation !== this.index.namespacesGeneration);
    this.duplicatesTouched.forEach((uri) => changed.add(uri));
    return changed;
  }

  /**
   * Adds many files at once (a workspace scan): indexes them all, then checks each policy and
   * Service once, instead of re-checking after every file. Returns the files whose findings changed.
   */
  load(models: Iterable<FileModel>): Set<string> {
    const changed = new Set<string>();
    for (const model of models) {
      const previous = this.put(model);
      if (previous) this.recheck(model.uri, previous, undefined).forEach((uri) => changed.add(uri));
      this.duplicatesTouched.forEach((uri) => changed.add(uri));
      changed.add(model.uri);
    }
    const probed = this.index.allPods().filter((p) => p.probes.length > 0);
    const checked = [
      ...this.index.allPolicies(),
      ...this.index.allDialectPolicies(),
      ...this.index.allServices(),
      ...this.index.allRouters(),
      ...this.index.allMonitors(),
      ...probed,
    ];
    for (const object of checked) {
      if (this.check(object)) changed.add(object.ref.uri);
    }
    return changed;
  }

  removeFile(uri: string): Set<string> {
    const generation = this.index.namespacesGeneration;
    const previous = this.index.removeFile(uri);
    this.fileErrors.delete(uri);
    previous?.policies.forEach((p) => this.crossNamespace.delete(p));
    previous?.dialectPolicies.forEach((p) => this.forgetDialect(p));
    if (!previous) return new Set();
    const changed = this.recheck(uri, previous, undefined, generation !== this.index.namespacesGeneration);
    this.duplicates.remove(previous).forEach((u) => changed.add(u));
    return changed;
  }

  private put(model: FileModel): FileModel | undefined {
    const previous = this.index.setFile(model);
    this.duplicatesTouched = previous ? this.duplicates.remove(previous) : new Set();
    this.duplicates.add(model).forEach((uri) => this.duplicatesTouched.add(uri));
    previous?.policies.forEach((p) => this.crossNamespace.delete(p));
    previous?.dialectPolicies.forEach((p) => this.forgetDialect(p));
    for (const policy of model.dialectPolicies) {
      const namespaces = dialectNamespaces(policy);
      if (namespaces === 'all') this.dialectEverywhere.add(policy);
      else for (const ns of namespaces) addTo(this.dialectByNamespace, ns, policy);
    }
    for (const policy of model.policies) {
      if (policy.egress.some((rule) => rule.peers?.some((peer) => peer.namespaceSelector))) this.crossNamespace.add(policy);
    }
    this.fileErrors.set(model.uri, [...model.errors.map(errorFinding(model.uri)), ...checkStructure(model)]);
    return previous;
  }

  /** Checks one object again; true when its findings changed. */
  private check(object: Checked): boolean {
    const reads = this.index.serviceReads;
    const findings = checkObject(this.index, object);
    if (this.index.serviceReads !== reads) this.readsServices.add(object);
    else this.readsServices.delete(object);
    const before = this.objectFindings.get(object);
    this.objectFindings.set(object, findings);
    for (const finding of findings) this.owners.set(finding, object.ref);
    return !before || JSON.stringify(before) !== JSON.stringify(findings);
  }

  /** The policy or Service a finding was reported for (structure and file findings have none). */
  ownerOf(finding: Finding): ObjectRef | undefined {
    return this.owners.get(finding);
  }

  findings(uri: string): Finding[] {
    const model = this.index.file(uri);
    if (!model) return [];
    const result = [...(this.fileErrors.get(uri) ?? []), ...this.duplicates.findings(model)];
    for (const object of checkedOf(model)) result.push(...(this.objectFindings.get(object) ?? []));
    return result.sort(compareFindings);
  }

  allFindings(): Finding[] {
    return [...this.index.uris()].flatMap((uri) => this.findings(uri));
  }

  /** One file's findings with its suppression comments and annotations applied (see applySuppressions). */
  suppress(uri: string, findings: Finding[]): Finding[] {
    return applySuppressions(findings, this.index.file(uri), (finding) => this.ownerOf(finding));
  }

  /** Findings of any files with the suppressions of every indexed file applied (unused ones reported too). */
  suppressAll(findings: Finding[]): Finding[] {
    const byUri = new Map<string, Finding[]>();
    for (const finding of findings) byUri.set(finding.uri, [...(byUri.get(finding.uri) ?? []), finding]);
    const uris = new Set([...this.index.uris(), ...byUri.keys()]);
    return [...uris].flatMap((uri) => this.suppress(uri, byUri.get(uri) ?? []));
  }

  hover(uri: string, position: Position): HoverResult | undefined {
    return hover(this.index, this.findings(uri), uri, position);
  }

  definition(uri: string, position: Position): Location[] {
    return definition(this.index, uri, position);
  }

  /**
   * What a changed file can affect: its own objects; the policies and Services that select one of
   * its pods (before or after the change) or reach it through an egress peer; of those that select
   * a pod one of its Services selects, the ones whose last check looked at Services; every policy
   * whose egress peers pick namespaces by label when a Namespace object changed or a namespace
   * gained its first object or lost its last; the Ingresses and
   * routes that name one of its Services or a Service of one of its pods, the monitors that look in
   * those namespaces, and the probed pods its Services select.
   */
  private recheck(uri: string, previous: FileModel | undefined, next: FileModel | undefined, namespacesAppeared = false): Set<string> {
    const changed = new Set<string>([uri]);
    if (previous) for (const object of checkedOf(previous)) this.objectFindings.delete(object);

    const toCheck = new Set<Checked>(next ? checkedOf(next) : []);
    if (previous?.namespaces.length || next?.namespaces.length || namespacesAppeared) {
      for (const policy of this.crossNamespace.policies()) toCheck.add(policy);
    }
    const pods = [...(previous?.pods ?? []), ...(next?.pods ?? [])];
    for (const pod of pods) {
      this.addSelecting(pod, toCheck, false);
      this.addReferring(pod.ref.namespace, toCheck);
      for (const service of this.index.services(pod.ref.namespace)) {
        if (service.selector && mapSelectorMatches(service.selector.value, pod.labels))
          this.index.routersUsing(service.ref.namespace, service.ref.name).forEach((r) => toCheck.add(r));
      }
    }
    for (const service of [...(previous?.services ?? []), ...(next?.services ?? [])]) {
      this.index.routersUsing(service.ref.namespace, service.ref.name).forEach((r) => toCheck.add(r));
      this.addReferring(service.ref.namespace, toCheck);
      if (!service.selector) continue;
      const selector = service.selector.value;
      const servicePods = new Set(this.index.podsSelectedByMap(selector, service.ref.namespace));
      const namespace = namespaceKey(service.ref.namespace);
      for (const pod of pods)
        if (namespaceKey(pod.ref.namespace) === namespace && mapSelectorMatches(selector, pod.labels)) servicePods.add(pod);
      for (const pod of servicePods) {
        this.addSelecting(pod, toCheck, true);
        if (pod.probes.length > 0 && this.index.file(pod.ref.uri)?.pods.includes(pod)) toCheck.add(pod);
      }
    }
    this.addDialect(previous, next, toCheck);
    for (const object of toCheck) if (this.check(object)) changed.add(object.ref.uri);
    return changed;
  }

  /**
   * Adds the Cilium and Calico policies a change can affect: those of the namespaces whose pods or
   * Services it touched, and those whose pods may live elsewhere (cluster-wide, or picked by
   * namespace), when it touched any pod, Service or Namespace.
   */
  private addDialect(previous: FileModel | undefined, next: FileModel | undefined, toCheck: Set<Checked>): void {
    if (this.index.dialectPolicyCount === 0) return;
    const namespaces = new Set<string>();
    let namespaceObjects = false;
    for (const model of [previous, next]) {
      if (!model) continue;
      for (const o of [...model.pods, ...model.services]) namespaces.add(namespaceKey(o.ref.namespace));
      if (model.namespaces.length > 0) namespaceObjects = true;
    }
    for (const ns of namespaces) this.dialectByNamespace.get(ns)?.forEach((p) => toCheck.add(p));
    // Namespace labels decide only for the policies that pick namespaces by them, which are among these.
    if (namespaces.size > 0 || namespaceObjects) this.dialectEverywhere.forEach((p) => toCheck.add(p));
  }

  private forgetDialect(policy: DialectPolicy): void {
    this.dialectEverywhere.delete(policy);
    for (const [ns, set] of this.dialectByNamespace) {
      if (set.delete(policy) && set.size === 0) this.dialectByNamespace.delete(ns);
    }
  }

  /** Adds the monitors that look in a namespace: what they select and forward to may have changed. */
  private addReferring(namespace: string | undefined, toCheck: Set<Checked>): void {
    for (const monitor of this.index.monitorsLookingAt(namespace)) toCheck.add(monitor);
  }

  /**
   * Adds the policies and Services whose check reads `pod`: they select it, or an egress peer picks
   * it (a superset: the peer's namespace selector is matched against the pod's namespace alone).
   */
  private addSelecting(pod: PodTemplate, toCheck: Set<Checked>, onlyServiceReaders: boolean): void {
    const accept = (object: NetworkPolicy | Service) => !toCheck.has(object) && (!onlyServiceReaders || this.readsServices.has(object));
    const picks = (peer: PolicyPeer) =>
      !peer.ipBlock && !!peer.podSelector && !peer.namespaceSelector && selectorMatches(peer.podSelector, pod.labels);
    const namespace = pod.ref.namespace;
    for (const policy of this.index.policies(namespace)) {
      if (
        accept(policy) &&
        (selectorMatches(policy.podSelector, pod.labels) || policy.egress.some((rule) => rule.peers?.some((peer) => picks(peer))))
      )
        toCheck.add(policy);
    }
    for (const service of this.index.services(namespace)) {
      if (accept(service) && service.selector && mapSelectorMatches(service.selector.value, pod.labels)) toCheck.add(service);
    }
    this.crossNamespace.reaching(pod, this.index.namespaceLabels(namespaceKey(namespace)), (policy) => {
      if (accept(policy)) toCheck.add(policy);
    });
  }
}

function errorFinding(uri: string) {
  return (error: FileModel['errors'][number]): Finding => ({
    uri,
    range: error.range,
    severity: error.kind === 'render' ? (error.severity ?? 'warning') : 'error',
    code: error.kind === 'syntax' ? 'yaml-syntax' : error.kind === 'render' ? 'helm-render-failed' : 'manifest-invalid',
    message: error.message,
    related: error.at ? [{ ...error.at, message: 'where helm stopped' }] : [],
    fixes: [],
  });
}

/** Applies per-rule severity settings: a level replaces the rule's warning/error level; `off` hides it. */
export function applySeverity(findings: Finding[], overrides: SeverityOverrides): Finding[] {
  const result: Finding[] = [];
  for (const finding of findings) {
    const override = overrides[finding.code];
    if (override === 'off') continue;
    if (!override || finding.severity === 'information') {
      result.push(finding);
      continue;
    }
    const fixes = override === 'information' ? finding.fixes.map((f) => ({ ...f, isPreferred: false })) : finding.fixes;
    result.push({ ...finding, severity: override, fixes });
  }
  return result;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
