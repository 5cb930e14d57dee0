import type { PodPorts } from '../index/podPorts';
import type { Finding, Severity } from './findings';
import { editDistance } from '../fixes/edits';

/**
 * How sure a rule is that a port reference is wrong (SPEC §2). `containerPort` is informational
 * in Kubernetes, so only certainty or an evident slip is a warning. Every rule that judges a port
 * reference (NetworkPolicies of every dialect, Services, and the references of SPEC §10) states
 * its tier and leaves severity and preferred fixes to `tiered`, so the tiers live here alone.
 */
export type Tier =
  /** The classic mistake: a port that is forwarded elsewhere (Service port, nodePort, hostPort) written where the pod port belongs. */
  | 'classic'
  /**
   * A slip the workspace makes evident: a name no pod declares where names must be declared, a
   * near name, the same confusion one hop earlier.
   */
  | 'evidence'
  /** The classic mistake where the same rule already admits the target: the entry is dead, harmless. */
  | 'dead'
  /** Nothing suggests a slip: a number no container declares (maybe an undeclared listener), a feature-gated named port. */
  | 'possible';

const SEVERITY: Record<Tier, Severity> = { classic: 'warning', evidence: 'warning', dead: 'information', possible: 'information' };

export function severityOf(tier: Tier): Severity {
  return SEVERITY[tier];
}

/**
 * The finding of a tier: its severity, and fixes preferred only where that is a warning or an
 * error, so that applying every preferred fix never touches a working manifest.
 */
export function tiered(tier: Tier, finding: Omit<Finding, 'severity'>): Finding {
  const severity = severityOf(tier);
  const fixes = severity === 'information' ? finding.fixes.map((f) => (f.isPreferred ? { ...f, isPreferred: false } : f)) : finding.fixes;
  return { ...finding, severity, fixes };
}

/**
 * What may be judged of a port *number* against a set of pods (SPEC §2, "Not judged"):
 * - `none`: a hostNetwork pod listens on the node, so numbers are not judged at all;
 * - `classic`: some pods declare no ports and no Service shows one; they give no evidence either
 *   way, so they never hide the classic mistake, but they stop the weaker judgements;
 * - `all`: every tier may be judged.
 * Names are always judged: a port name exists only where a container declares it.
 */
export type NumberScope = 'all' | 'classic' | 'none';

export function numberScope(pods: PodPorts[]): NumberScope {
  if (pods.some((pod) => pod.pod.hostNetwork)) return 'none';
  return pods.some((pod) => pod.unknown) ? 'classic' : 'all';
}

/**
 * Evidence of a slip between two port names: within edit distance 2, or one containing the other
 * (`fabric` and `server-fabric`).
 */
export function isNearName(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.includes(short)) return true;
  return editDistance(a, b) <= 2;
}
