import type { DialectPolicy, DialectRule, DialectSelector, LabelSelector, PodTemplate } from '../../model/manifest';
import { CALICO_ORCHESTRATOR_LABEL, POD_NAMESPACE_LABEL } from '../../model/readDialects';
import { requirementHolds } from './selectors';
import type { WorkspaceIndex } from './workspaceIndex';

/** A label of the pod, with the labels Cilium and Calico add to every pod (its namespace; Calico's orchestrator). */
function labelOf(pod: PodTemplate, key: string): string | undefined {
  if (key === POD_NAMESPACE_LABEL) return pod.ref.namespace;
  if (key === CALICO_ORCHESTRATOR_LABEL) return 'k8s';
  return pod.labels.get(key);
}

function alternativeMatches(alternative: LabelSelector, pod: PodTemplate): boolean {
  for (const [key, value] of alternative.matchLabels) if (labelOf(pod, key) !== value) return false;
  return alternative.matchExpressions.every((req) => requirementHolds(req, labelOf(pod, req.key)));
}

/** The namespaces an alternative names by the namespace label (`== 'x'`, `in {…}`); undefined when it names none. */
function namedNamespaces(alternative: LabelSelector): string[] | undefined {
  let names: string[] | undefined;
  const pinned = alternative.matchLabels.get(POD_NAMESPACE_LABEL);
  if (pinned !== undefined) names = [pinned];
  for (const req of alternative.matchExpressions) {
    if (req.key !== POD_NAMESPACE_LABEL || req.operator !== 'In') continue;
    names = names ? names.filter((n) => req.values.includes(n)) : req.values;
  }
  return names;
}

/** The alternative without the labels the index does not hold, for its label lookup. */
function indexable(alternative: LabelSelector): LabelSelector {
  const virtual = (key: string) => key === POD_NAMESPACE_LABEL || key === CALICO_ORCHESTRATOR_LABEL;
  return {
    matchLabels: new Map([...alternative.matchLabels].filter(([key]) => !virtual(key))),
    matchExpressions: alternative.matchExpressions.filter((req) => !virtual(req.key)),
    range: alternative.range,
  };
}

/**
 * The namespaces (by name) a Calico `namespaceSelector` picks, or undefined when the workspace
 * cannot tell (labels of namespaces it has no Namespace object for, `all()`).
 */
function namespacesOf(index: WorkspaceIndex, selector: DialectSelector): Set<string> | undefined {
  if (!selector.alternatives) return undefined;
  const names = new Set<string>();
  for (const alternative of selector.alternatives) {
    const picked = index.namespacesSelectedBy(alternative);
    if (!picked) return undefined;
    picked.forEach((n) => names.add(n));
  }
  return names;
}

/**
 * The pod templates a Cilium or Calico selector picks. Undefined when the workspace cannot tell:
 * a selector the analysis cannot resolve, namespaces picked by unknown labels, or — with
 * `bounded` (egress destinations) — pods that may live in namespaces outside the workspace.
 */
export function podsOfDialectSelector(
  index: WorkspaceIndex,
  policy: DialectPolicy,
  selector: DialectSelector,
  bounded: boolean,
): PodTemplate[] | undefined {
  if (!selector.alternatives) return undefined;
  const allowed = selector.namespaces ? namespacesOf(index, selector.namespaces) : undefined;
  if (selector.namespaces && !allowed) return undefined;
  const pods = new Set<PodTemplate>();
  for (const alternative of selector.alternatives) {
    const named = namedNamespaces(alternative);
    let namespaces: Array<string | undefined>;
    if (selector.scope === 'policy' || (selector.scope === 'policy-or-named' && !named)) namespaces = [policy.ref.namespace];
    else if (named) namespaces = named;
    else if (allowed) namespaces = [...allowed];
    else if (bounded)
      return undefined; // every namespace of the cluster
    else namespaces = index.namespaceNames();
    if (allowed) namespaces = namespaces.filter((ns) => ns !== undefined && allowed.has(ns));
    const lookup = indexable(alternative);
    for (const namespace of namespaces) {
      for (const pod of index.podsSelectedBy(lookup, namespace)) if (alternativeMatches(alternative, pod)) pods.add(pod);
    }
  }
  return [...pods];
}

/** The pods a dialect policy applies to; undefined when the workspace cannot tell. */
export function podsOfDialectPolicy(index: WorkspaceIndex, policy: DialectPolicy): PodTemplate[] | undefined {
  return podsOfDialectSelector(index, policy, policy.selector, false);
}

/**
 * The pods a rule's ports are pod ports of: for ingress the selected pods (narrowed by the rule's
 * destination selector), for egress every destination its peers pick. Undefined: not judged.
 */
export function podsOfDialectRule(index: WorkspaceIndex, policy: DialectPolicy, rule: DialectRule): PodTemplate[] | undefined {
  if (rule.notJudged) return undefined;
  if (rule.direction === 'ingress') {
    const selected = podsOfDialectPolicy(index, policy);
    if (!selected || !rule.within) return selected;
    const within = rule.within.alternatives;
    if (!within) return undefined;
    return selected.filter((pod) => within.some((alternative) => alternativeMatches(alternative, pod)));
  }
  if (!rule.peers || rule.peers.length === 0) return undefined;
  const pods = new Set<PodTemplate>();
  for (const peer of rule.peers) {
    const picked = podsOfDialectSelector(index, policy, peer, true);
    if (!picked || picked.length === 0) return undefined;
    picked.forEach((pod) => pods.add(pod));
  }
  return [...pods];
}

/**
 * Does the dialect policy apply to this pod? 'maybe' where the workspace cannot tell. For
 * `explain`, which does not evaluate these policies and can only say that one is in the way.
 */
export function dialectPolicySelects(index: WorkspaceIndex, policy: DialectPolicy, pod: PodTemplate): boolean | 'maybe' {
  const selector = policy.selector;
  if (selector.scope === 'policy' && pod.ref.namespace !== policy.ref.namespace) return false;
  if (!selector.alternatives) return 'maybe';
  if (!selector.alternatives.some((alternative) => alternativeMatches(alternative, pod))) return false;
  if (!selector.namespaces) return true;
  const allowed = namespacesOf(index, selector.namespaces);
  if (!allowed) return 'maybe';
  return pod.ref.namespace !== undefined && allowed.has(pod.ref.namespace);
}

/** The Cilium and Calico policies that apply, or may apply, to a pod's traffic in one direction. */
export function dialectPoliciesSelecting(index: WorkspaceIndex, pod: PodTemplate, direction: 'Ingress' | 'Egress'): DialectPolicy[] {
  return index
    .dialectPoliciesFor(pod.ref.namespace)
    .filter((policy) => policy.directions.includes(direction) && dialectPolicySelects(index, policy, pod) !== false);
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The namespace names a namespace selector's alternative pins by `kubernetes.io/metadata.name`;
 * undefined when it picks by other labels.
 */
function pinnedNames(alternative: LabelSelector): string[] | undefined {
  const onlyNames = [...alternative.matchLabels.keys(), ...alternative.matchExpressions.map((r) => r.key)].every(
    (k) => k === NAMESPACE_NAME_LABEL,
  );
  if (!onlyNames) return undefined;
  const pinned = alternative.matchLabels.get(NAMESPACE_NAME_LABEL);
  if (pinned !== undefined) return [pinned];
  const values = alternative.matchExpressions.filter((r) => r.operator === 'In').map((r) => r.values);
  return values.length > 0 ? values[0] : undefined;
}

/**
 * The namespaces whose pods and Services a dialect policy's findings depend on ('' for the
 * unspecified one), or 'all' when a selector may pick pods anywhere or namespaces by their labels:
 * what a change must touch for the policy to be checked again.
 */
export function dialectNamespaces(policy: DialectPolicy): Set<string> | 'all' {
  const names = new Set<string>([policy.ref.namespace ?? '']);
  for (const selector of [
    policy.selector,
    ...policy.ingress.flatMap((r) => (r.within ? [r.within] : [])),
    ...policy.egress.flatMap((r) => r.peers ?? []),
  ]) {
    if (!selector.alternatives) continue;
    if (selector.namespaces) {
      if (!selector.namespaces.alternatives) continue;
      for (const alternative of selector.namespaces.alternatives) {
        const pinned = pinnedNames(alternative);
        if (!pinned) return 'all';
        pinned.forEach((n) => names.add(n));
      }
      continue;
    }
    if (selector.scope === 'policy') continue;
    for (const alternative of selector.alternatives) {
      const named = namedNamespaces(alternative);
      if (named) named.forEach((n) => names.add(n));
      else if (selector.scope === 'cluster') return 'all';
    }
  }
  return names;
}
