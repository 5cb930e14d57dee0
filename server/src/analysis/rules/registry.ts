import type { Severity } from './findings';

export interface RuleInfo {
  /** The highest severity the rule reports; its information tier stays information. */
  severity: Severity;
  title: string;
  description: string;
}

/** Every rule the analysis reports. The codes are part of the product's interface. */
export const RULES = {
  'netpol-port-unmatched': {
    severity: 'warning',
    title: 'NetworkPolicy ingress port matches no pod port',
    description:
      'An ingress port entry matches no container port of the pods the policy selects — most often the port of a Service written where the pod port it forwards to belongs.',
  },
  'netpol-egress-port-unmatched': {
    severity: 'warning',
    title: 'NetworkPolicy egress port matches no destination pod port',
    description:
      'An egress port entry matches no container port of the destination pods its peers select — most often the port of the destination Service instead of its target port.',
  },
  'netpol-protocol-mismatch': {
    severity: 'warning',
    title: 'NetworkPolicy port has the wrong protocol',
    description: 'The port matches a container port of the selected pods only under another protocol (TCP is implied when none is written).',
  },
  'service-target-port-unmatched': {
    severity: 'warning',
    title: 'Service targetPort matches no pod port',
    description: 'A Service targetPort names a port no selected pod declares, or is a number none of them declares.',
  },
  'netpol-selects-nothing': {
    severity: 'information',
    title: 'NetworkPolicy selects no pod in the workspace',
    description: 'The podSelector matches no pod template in the workspace (the pods may come from an operator or be disabled).',
  },
  'backend-port-unmatched': {
    severity: 'warning',
    title: 'Ingress or route backend names no port of its Service',
    description:
      'An Ingress backend or a Gateway API backendRef names a port its Service does not have — most often the pod port written where the Service port belongs (8080 instead of 80). Information when the Service is not in the workspace.',
  },
  'monitor-port-unmatched': {
    severity: 'warning',
    title: 'ServiceMonitor or PodMonitor port matches no port',
    description:
      'A ServiceMonitor endpoint names a port no selected Service has (most often the container port\'s name instead of the Service port\'s), or a PodMonitor endpoint one no selected container declares: nothing is scraped. Information when the monitor selects nothing in the workspace.',
  },
  'probe-port-unmatched': {
    severity: 'warning',
    title: 'Probe port matches no container port',
    description:
      'A liveness, readiness or startup probe names a port its container does not declare (the kubelet cannot resolve it), or a Service port instead of the container port it forwards to. Information for a number the container does not declare while it declares others.',
  },
  'port-value-invalid': {
    severity: 'error',
    title: 'Invalid port, port name or protocol',
    description:
      'A quoted number (a name to Kubernetes, and an invalid one), a name that is not a valid IANA service name, a number outside 1–65535, an endPort with a named port or below port, or a protocol other than TCP, UDP and SCTP: the API server rejects the object.',
  },
  'netpol-misplaced-field': {
    severity: 'warning',
    title: 'NetworkPolicy field at the wrong level',
    description: 'A key that belongs elsewhere in a NetworkPolicy (a `to:` inside a port entry, …): Kubernetes drops it, so the rule silently admits more than written.',
  },
  'netpol-ports-empty': {
    severity: 'information',
    title: 'NetworkPolicy rule with empty ports',
    description: '`ports:` is present but null or empty: the rule admits every port (often a template branch that rendered nothing).',
  },
  'manifest-invalid': {
    severity: 'error',
    title: 'Value of the wrong type',
    description: 'A field the analysis reads has a value of the wrong type; Kubernetes rejects the object.',
  },
  'helm-render-failed': {
    severity: 'warning',
    title: 'Helm chart could not be rendered',
    description:
      'helm template failed, timed out or is not installed, so the chart was not checked. Reported on Chart.yaml with helm\'s own message; a missing helm is information only.',
  },
  'suppression-unused': {
    severity: 'information',
    title: 'Suppression that silences nothing',
    description:
      'A `# port-lens: ignore <code>` comment or a `port-lens.io/ignore` annotation names a code that has no finding on that line or object (or is not a rule code): remove it, so it cannot hide a later problem.',
  },
  'object-duplicate': {
    severity: 'information',
    title: 'The same object defined twice',
    description:
      'Two objects of the same kind, namespace and name in the workspace (often two renders of one chart, or two installs in one namespace): Kubernetes keeps one of them, and the analysis sees both.',
  },
  'kustomize-build-failed': {
    severity: 'warning',
    title: 'Kustomize root could not be built',
    description:
      "kubectl kustomize failed, timed out or is not installed, or the root uses a remote base (never fetched), so the root was not checked. Reported on the root's kustomization file with kubectl's own message; a missing kubectl or a remote base is information only.",
  },
  'yaml-syntax': {
    severity: 'error',
    title: 'Broken YAML in a manifest',
    description: 'A document of a manifest file is not valid YAML; nothing in it can be checked.',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export const RULE_CODES = Object.keys(RULES) as RuleCode[];

export const DOCS_URL = 'https://github.com/k8s-port-lens/k8s-port-lens/blob/main/docs/rules.md';

export function ruleDocsUrl(code: RuleCode): string {
  return `${DOCS_URL}#${code}`;
}
