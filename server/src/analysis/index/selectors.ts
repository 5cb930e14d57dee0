import type { LabelRequirement, LabelSelector } from '../../model/manifest';

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function requirementMatches(req: LabelRequirement, labels: ReadonlyMap<string, string>): boolean {
  return requirementHolds(req, labels.get(req.key));
}

/** Does the requirement hold for its label's value (undefined: the label is absent)? */
export function requirementHolds(req: LabelRequirement, value: string | undefined): boolean {
  switch (req.operator) {
    case 'In':
      return value !== undefined && req.values.includes(value);
    case 'NotIn':
      return value === undefined || !req.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

export function selectorMatches(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of selector.matchLabels) if (labels.get(key) !== value) return false;
  return selector.matchExpressions.every((req) => requirementMatches(req, labels));
}

/** A Service selector: equality on every key. */
export function mapSelectorMatches(selector: ReadonlyMap<string, string>, labels: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of selector) if (labels.get(key) !== value) return false;
  return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return selector.matchLabels.size === 0 && selector.matchExpressions.length === 0;
}

export function describeSelector(selector: LabelSelector | ReadonlyMap<string, string>): string {
  const labels = selector instanceof Map ? selector : (selector as LabelSelector).matchLabels;
  const parts = [...labels].map(([k, v]) => `${k}=${v}`);
  if (!(selector instanceof Map)) {
    for (const req of (selector as LabelSelector).matchExpressions) {
      if (req.operator === 'Exists') parts.push(req.key);
      else if (req.operator === 'DoesNotExist') parts.push(`!${req.key}`);
      else parts.push(`${req.key} ${req.operator === 'In' ? 'in' : 'notin'} (${req.values.join(', ')})`);
    }
  }
  return parts.length === 0 ? '{} (every pod)' : parts.join(', ');
}
