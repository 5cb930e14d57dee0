import type { Severity } from './findings';

export interface RuleInfo {
  /** The highest severity the rule reports; its information tier stays information. */
  severity: Severity;
  title: string;
  description: string;
  /** A phrase for the README's table of rules ("what it finds"); the title when missing. */
  summary?: string;
}

/** Every rule the analysis reports. The codes are part of the product's interface. */
export const RULES = {
  'netpol-port-unmatched': {
    severity: 'warning',
    title: 'NetworkPolicy ingress port matches no pod port',
    description:
      'An ingress port entry matches no container port of the pods the policy selects — most often the port of a Service written where ' +
      'the pod port it forwards to belongs.',
    summary: 'an ingress port no selected pod serves — above all a Service port written where the pod port belongs',
  },
  'netpol-egress-port-unmatched': {
    severity: 'warning',
    title: 'NetworkPolicy egress port matches no destination pod port',
    description:
      'An egress port entry matches no container port of the destination pods its peers select — most often the port of the destination ' +
      'Service instead of its target port.',
    summary: 'the same for egress, against the destination pods',
  },
  'netpol-protocol-mismatch': {
    severity: 'warning',
    title: 'NetworkPolicy port has the wrong protocol',
    description:
      'The port matches a container port of the selected pods only under another protocol (TCP is implied when none is written).',
    summary: "the port exists, under another protocol (StatsD's 9125/UDP with TCP implied)",
  },
  'service-target-port-unmatched': {
    severity: 'warning',
    title: 'Service targetPort matches no pod port',
    description: 'A Service targetPort names a port no selected pod declares, or is a number none of them declares.',
    summary: 'a Service `targetPort` no selected pod declares',
  },
  'netpol-selects-nothing': {
    severity: 'information',
    title: 'NetworkPolicy selects no pod in the workspace',
    description: 'The podSelector matches no pod template in the workspace (the pods may come from an operator or be disabled).',
    summary: 'a policy whose podSelector matches no pod in the workspace',
  },
  'backend-port-unmatched': {
    severity: 'warning',
    title: 'Ingress or route backend names no port of its Service',
    description:
      'An Ingress backend or a Gateway API backendRef names a port its Service does not have — most often the pod port written where ' +
      'the Service port belongs (8080 instead of 80). Information when the Service is not in the workspace.',
    summary:
      'an Ingress backend or Gateway API backendRef naming a port its Service lacks — above all the pod port (8080) where the Service ' +
      'port (80) belongs',
  },
  'monitor-port-unmatched': {
    severity: 'warning',
    title: 'ServiceMonitor or PodMonitor port matches no port',
    description:
      "A ServiceMonitor endpoint names a port no selected Service has (most often the container port's name instead of the Service " +
      "port's), or a PodMonitor endpoint one no selected container declares, or a `targetPort` / `portNumber` (read when no `port` " +
      'is written) names a container port no pod behind it declares: nothing is scraped. Information when the monitor selects ' +
      'nothing in the workspace.',
    summary:
      "a ServiceMonitor port that is the container port's name, not the Service port's (or a PodMonitor port no container declares): " +
      'nothing is scraped',
  },
  'probe-port-unmatched': {
    severity: 'warning',
    title: 'Probe port matches no container port',
    description:
      'A liveness, readiness or startup probe names a port its container does not declare (the kubelet cannot resolve it), or a Service ' +
      'port instead of the container port it forwards to. Information for a number the container does not declare while it declares ' +
      'others.',
    summary:
      'a liveness/readiness/startup probe on a port name its container does not declare, or on the Service port instead of the ' +
      'container port',
  },
  'port-value-invalid': {
    severity: 'error',
    title: 'Invalid port, port name or protocol',
    description:
      'A quoted number (a name to Kubernetes, and an invalid one), a name that is not a valid IANA service name, a number outside ' +
      '1–65535, an endPort with a named port or below port, or a protocol other than TCP, UDP and SCTP: the API server rejects the object.',
    summary: 'a value the API server rejects: `port: "5432"` (quoted, so a name), bad names, 0 or 70000, bad `endPort` or protocol',
  },
  'netpol-misplaced-field': {
    severity: 'warning',
    title: 'NetworkPolicy field at the wrong level',
    description:
      'A key that belongs elsewhere in a NetworkPolicy (a `to:` inside a port entry, …): Kubernetes drops it, so the rule silently ' +
      'admits more than written.',
    summary: 'a `to:` indented under a port entry and other keys at the wrong level: dropped, so the rule admits more',
  },
  'netpol-ports-empty': {
    severity: 'information',
    title: 'NetworkPolicy rule with empty ports',
    description: '`ports:` is present but null or empty: the rule admits every port (often a template branch that rendered nothing).',
    summary: '`ports:` present but empty: every port is admitted',
  },
  'netpol-port-null': {
    severity: 'warning',
    title: 'NetworkPolicy port entry with an empty port',
    description:
      'A port entry whose `port:` key has no value (`- port:`, often a Helm value that rendered nothing): the entry admits every port ' +
      'of its protocol.',
    summary: '`- port:` with no value (a Helm value that rendered nothing): every port of the protocol is admitted',
  },
  'netpol-rules-ignored': {
    severity: 'warning',
    title: 'NetworkPolicy rules that policyTypes leaves out',
    description:
      'Rules in a direction that `policyTypes` leaves out (`policyTypes: [Egress]` with an `ingress:` section): Kubernetes ignores ' +
      'them, so the policy does not do what its rules say.',
    summary: '`ingress:` rules under `policyTypes: [Egress]` (or the reverse): Kubernetes ignores them',
  },
  'manifest-invalid': {
    severity: 'error',
    title: 'Value of the wrong type',
    description: 'A field the analysis reads has a value of the wrong type; Kubernetes rejects the object.',
    summary: 'a value of the wrong type: reported where it breaks, the rest still checked',
  },
  'helm-render-failed': {
    severity: 'warning',
    title: 'Helm chart could not be rendered',
    description:
      "helm template failed, timed out or is not installed, so the chart was not checked. Reported on Chart.yaml with helm's own " +
      'message; a missing helm is information only.',
    summary: 'a chart helm could not render (error, timeout; information when helm is not installed)',
  },
  'suppression-unused': {
    severity: 'information',
    title: 'Suppression that silences nothing',
    description:
      'A `# port-lens: ignore <code>` comment or a `port-lens.io/ignore` annotation names a code that has no finding on that line or ' +
      'object (or is not a rule code): remove it, so it cannot hide a later problem.',
    summary: 'a `# port-lens: ignore` comment or `port-lens.io/ignore` annotation that silences nothing',
  },
  'object-duplicate': {
    severity: 'information',
    title: 'The same object defined twice',
    description:
      'Two objects of the same kind, namespace and name in the workspace (often two renders of one chart, or two installs in one ' +
      'namespace): Kubernetes keeps one of them, and the analysis sees both.',
    summary: 'the same kind, namespace and name defined twice, reported on the second',
  },
  'kustomize-build-failed': {
    severity: 'warning',
    title: 'Kustomize root could not be built',
    description:
      'kubectl kustomize failed, timed out or is not installed, or the root uses a remote base (never fetched), so the root was not ' +
      "checked. Reported on the root's kustomization file with kubectl's own message; a missing kubectl or a remote base is information " +
      'only.',
    summary:
      'a Kustomize root kubectl could not build (error, timeout; information when kubectl is not installed or the root uses a remote base)',
  },
  'yaml-syntax': {
    severity: 'error',
    title: 'Broken YAML in a manifest',
    description: 'A document of a manifest file is not valid YAML; nothing in it can be checked.',
    summary: 'a broken YAML document, or a key written twice (reported once, the document still read): the rest of the file still checked',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export const RULE_CODES = Object.keys(RULES) as RuleCode[];

export const DOCS_URL = 'https://github.com/k8s-port-lens/k8s-port-lens/blob/main/docs/rules.md';

export function ruleDocsUrl(code: RuleCode): string {
  return `${DOCS_URL}#${code}`;
}
