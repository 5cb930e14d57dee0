import { backendNamespace, type Router, type Service, type ServiceBackend, type ServicePort } from '../../model/manifest';
import { joinAnd, objectName, qualifiedName } from '../index/describe';
import { changeValue, similarNames } from '../fixes/edits';
import { formatKnownPort, formatPortRef, targetOf } from '../index/podPorts';
import { backendTarget, forwardedPorts } from '../index/references';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Finding, Fix } from './findings';
import { tiered, type Tier } from './tiers';

const CODE = 'backend-port-unmatched';

/** `Ingress shop/web /api` */
export function backendName(router: Router, backend: ServiceBackend): string {
  return `${objectName(router.ref)} ${backend.label}`;
}

/** `80/TCP "http"` */
export function servicePortText(port: ServicePort): string {
  return `${port.port.value}/${port.protocol}${port.name ? ` "${port.name.value}"` : ''}`;
}

/** The findings of an Ingress or route's backends against the Services they name (SPEC §10). */
export function checkRouter(index: WorkspaceIndex, router: Router): Finding[] {
  return router.backends.flatMap((backend) => judgeBackend(index, router, backend) ?? []);
}

function judgeBackend(index: WorkspaceIndex, router: Router, backend: ServiceBackend): Finding | undefined {
  const uri = router.ref.uri;
  const namespace = backendNamespace(router, backend);
  const serviceName = `${namespace ? `${namespace}/` : ''}${backend.service.value}`;
  const { services, ports } = backendTarget(index, router, backend);
  if (services.length === 0) {
    return tiered('possible', {
      uri,
      range: backend.service.range,
      code: CODE,
      message:
        `Service ${serviceName} is not in the workspace, so this backend's port is not checked (the Service may be created ` +
        `elsewhere).`,
      related: [],
      fixes: [],
    });
  }
  const port = backend.port;
  // An ExternalName Service forwards to a host outside the cluster, on whatever port is named.
  const judged = services.filter((s) => s.type !== 'ExternalName');
  if (!port || ports.length > 0 || judged.length === 0) return undefined;

  const related = judged.map((s) => ({ uri: s.ref.uri, range: s.ref.nameRange, message: `Service ${qualifiedName(s.ref)}` }));
  const offered = judged.flatMap((s) => s.ports.map((p) => servicePortText(p)));
  const has = offered.length > 0 ? `the Service has ${joinAnd([...new Set(offered)])}` : 'the Service declares no ports';
  const change = (to: string, why: string, preferred: boolean): Fix => ({
    title: `Change port ${formatPortRef(port.value)} to ${to}${why}`,
    isPreferred: preferred,
    edits: [changeValue(uri, port, to)],
  });
  // The Service is here and has no such port: the backend certainly reaches nothing.
  const finding = (message: string, fixes: Fix[], tier: Tier = 'evidence'): Finding =>
    tiered(tier, { uri, range: port.range, code: CODE, message, related, fixes });

  const ref = port.value;
  if (ref.kind === 'number') {
    // The seed mistake reversed: the pod port written where the Service port belongs.
    const forwarding = forwardersOf(index, judged, ref.number);
    const targets = [...new Set(forwarding.map((f) => f.port.port.value))].sort((a, b) => a - b);
    if (targets.length > 0) {
      const [first] = forwarding;
      const via = first.targetText;
      return finding(
        `Port ${ref.number} is the pod port behind Service ${serviceName}; write its Service port ${joinAnd(targets.map(String))}. ` +
          `Service ${serviceName} forwards ${first.port.port.value} → targetPort ${via}. ${backendKind(router)} names a Service port; ` +
          `${has}.`,
        targets.map((t) => change(String(t), ` (Service ${serviceName} forwards ${t} → ${ref.number})`, targets.length === 1)),
        'classic',
      );
    }
    const numbers = [...new Set(judged.flatMap((s) => s.ports.map((p) => p.port.value)))].sort((a, b) => a - b);
    return finding(
      `Service ${serviceName} has no port ${ref.number}, so this backend reaches nothing; ${has}.`,
      numbers.length <= 3 ? numbers.map((n) => change(String(n), '', false)) : [],
    );
  }
  // A name: the Service port that forwards to a container port of that name, else a near name.
  const forwarding = judged.flatMap((s) =>
    s.ports.filter((p) => p.name && forwardedPorts(index, s, p).some((f) => f.target.declared && f.target.name === ref.name)),
  );
  const forwardingNames = [...new Set(forwarding.map((p) => p.name!.value))].sort();
  if (forwardingNames.length > 0) {
    return finding(
      `Service ${serviceName} has no port named "${ref.name}": that is the container port's name; the Service port is ` +
        `${joinAnd(forwardingNames.map((n) => `"${n}"`))}. ${capitalize(has)}.`,
      forwardingNames.map((n) => change(`${n}`, ` (the Service port forwarding to "${ref.name}")`, forwardingNames.length === 1)),
    );
  }
  const near = similarNames(
    ref.name,
    judged.flatMap((s) => s.ports.flatMap((p) => (p.name ? [p.name.value] : []))),
  );
  return finding(
    `Service ${serviceName} has no port named "${ref.name}"; ${has}.`,
    near.map((n) => change(n, '', near.length === 1)),
  );
}

/** The Service ports whose target is `number` in some selected pod (the number itself, or a name resolving to it). */
function forwardersOf(index: WorkspaceIndex, services: Service[], number: number): Array<{ port: ServicePort; targetText: string }> {
  const result: Array<{ port: ServicePort; targetText: string }> = [];
  for (const service of services) {
    for (const port of service.ports) {
      if (port.port.value === number) continue;
      const target = targetOf(port);
      if (target.kind === 'number' && target.number === number) result.push({ port, targetText: String(number) });
      else {
        const hit = forwardedPorts(index, service, port).find((f) => f.target.number === number);
        if (hit) result.push({ port, targetText: `${formatPortRef(target)} (${formatKnownPort(hit.target)})` });
      }
    }
  }
  return result;
}

const backendKind = (router: Router) =>
  router.ref.kind === 'Ingress' ? 'An Ingress backend' : `${/^[AEIOUH]/.test(router.ref.kind) ? 'An' : 'A'} ${router.ref.kind} backendRef`;

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
