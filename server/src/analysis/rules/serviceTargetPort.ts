import type { Service, ServicePort } from '../../model/manifest';
import { podNames, qualifiedName, servedPorts } from '../index/describe';
import { changeValue, nearNames } from '../fixes/edits';
import type { Finding, Fix } from './findings';
import { isNearName, tiered, type Tier } from './tiers';
import { isValidServicePort } from './structure/validity';
import { message } from './messages';
import { podRows } from './related';
import { podPorts, servicesSelecting, targetOf, type PodPorts } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';

/** `service-target-port-unmatched`: one Service's targetPorts against the pods its selector picks. */
export function checkService(index: WorkspaceIndex, service: Service): Finding[] {
  if (!service.selector) return [];
  const selected = index.podsSelectedByMap(service.selector.value, service.ref.namespace);
  if (selected.length === 0) return [];
  const pods = selected.map((pod) => podPorts(index, pod));
  const findings: Finding[] = [];
  for (const port of service.ports) {
    const finding = judgeTarget(index, service, port, pods);
    if (finding) findings.push(finding);
  }
  return findings;
}

function judgeTarget(index: WorkspaceIndex, service: Service, port: ServicePort, pods: PodPorts[]): Finding | undefined {
  // An invalid value gets port-value-invalid and nothing else.
  if (!isValidServicePort(port)) return undefined;
  const target = targetOf(port);
  const written = port.targetPort ?? port.port;
  const uri = service.ref.uri;
  const finding = (tier: Tier, message: string, fixes: Fix[]): Finding =>
    tiered(tier, {
      uri,
      range: written.range,
      code: 'service-target-port-unmatched',
      message,
      related: podRows(
        pods.map((pod) => pod.pod.ref),
        'selected pods',
      ),
      fixes,
    });
  const change = (to: string, why: string, preferred: boolean): Fix[] => setTarget(uri, port, to, why, preferred);
  const declared = pods.flatMap((pod) => pod.ports.filter((p) => p.declared));

  if (target.kind === 'name') {
    if (declared.some((p) => p.name === target.name && p.protocol === port.protocol)) return undefined;
    const names = [...new Set(declared.filter((p) => p.protocol === port.protocol && p.name).map((p) => p.name!))];
    // A name another port of this Service already targets is that port's, not a slip of this one (https beside http).
    const targetedElsewhere = new Set(
      service.ports.filter((p) => p !== port).flatMap((p) => (p.targetPort?.value.kind === 'name' ? [p.targetPort.value.name] : [])),
    );
    const near = names.filter((n) => !targetedElsewhere.has(n) && isNearName(target.name, n));
    const underOtherName = declared
      .filter((p) => p.protocol === port.protocol && p.number === port.port.value && p.name && p.name !== target.name)
      .map((p) => p.name!);
    const initOnly = pods.some((pod) => pod.pod.initPorts.some((p) => p.name?.value === target.name));
    const evidence = near.length > 0 || underOtherName.length > 0 || initOnly || !service.ports.some((p) => reachesAnyPod(p, pods));
    const affixed = nearNames(target.name, near);
    const fixes = [
      ...affixed.flatMap((c) => change(c, '', affixed.length === 1)),
      ...[...new Set([...near, ...underOtherName])].filter((c) => !affixed.includes(c)).flatMap((c) => change(c, '', false)),
    ];
    const why = initOnly ? ` Only an init container declares "${target.name}", and init containers serve nothing while the pod runs.` : '';
    return finding(
      evidence ? 'evidence' : 'possible',
      message(
        `targetPort "${target.name}" is declared by no selected pod`,
        affixed.length === 1 ? `did you mean "${affixed[0]}"?` : `they serve ${servedPorts(pods)}`,
        `So port ${port.port.value} of Service ${qualifiedName(service.ref)} has no endpoints. The pods it selects (${podNames(pods)}) ` +
          `serve ${servedPorts(pods)}.${why}`,
      ),
      fixes,
    );
  }

  // Numbers are judged only against pods that all declare their ports.
  if (pods.some((pod) => pod.pod.ports.length === 0 || pod.pod.hostNetwork)) return undefined;
  if (declared.some((p) => p.number === target.number && p.protocol === port.protocol)) return undefined;

  const confused = otherServicePort(index, service, pods, target.number, port);
  if (confused) {
    const [other, otherPort, otherTarget] = confused;
    return finding(
      'evidence',
      message(
        `targetPort ${target.number} is the Service port of ${qualifiedName(other.ref)}; the pods listen on ${otherTarget}`,
        undefined,
        `Service ${qualifiedName(other.ref)} forwards ${target.number} to ${otherTarget}, and a targetPort is a pod port: the pods ` +
          `(${podNames(pods)}) serve ${servedPorts(pods)}.`,
      ),
      change(String(otherTarget), ` (Service ${qualifiedName(other.ref)} forwards ${otherPort.port.value} → ${otherTarget})`, true),
    );
  }
  const sameProtocol = declared.filter((p) => p.protocol === port.protocol);
  // The number declared under another protocol says what was meant better than the only port of this one.
  const otherProtocol = declared.some((p) => p.number === target.number);
  const only = !otherProtocol && new Set(sameProtocol.map((p) => p.number)).size === 1 ? sameProtocol[0] : undefined;
  return finding(
    'possible',
    message(
      `targetPort ${target.number}/${port.protocol} is declared by no selected pod`,
      `they serve ${servedPorts(pods)}`,
      `A process may listen on a port it does not declare. The pods this Service selects (${podNames(pods)}) serve ${servedPorts(pods)}.`,
    ),
    only ? change(String(only.number), ` (the only declared ${port.protocol} port)`, false) : [],
  );
}

/**
 * Rewrites a Service port's targetPort, or inserts one where it is implied: the Service's own
 * `port` is what its clients use and is never rewritten.
 */
function setTarget(uri: string, port: ServicePort, to: string, why: string, preferred: boolean): Fix[] {
  if (port.targetPort) {
    const from = port.targetPort.value.kind === 'name' ? `"${port.targetPort.value.name}"` : port.targetPort.value.number;
    return [{ title: `Change targetPort ${from} to ${to}${why}`, isPreferred: preferred, edits: [changeValue(uri, port.targetPort, to)] }];
  }
  if (!port.keyInsertion) return [];
  const { at, prefix } = port.keyInsertion;
  return [
    {
      title: `Set targetPort to ${to}${why} (port ${port.port.value} stays)`,
      isPreferred: preferred,
      edits: [{ uri, range: { start: at, end: at }, newText: `${prefix}targetPort: ${to}` }],
    },
  ];
}

/** Does a Service port reach at least one pod? A number against pods that declare nothing may. */
function reachesAnyPod(port: ServicePort, pods: PodPorts[]): boolean {
  const target = targetOf(port);
  return pods.some((pod) =>
    target.kind === 'name'
      ? pod.ports.some((p) => p.declared && p.name === target.name && p.protocol === port.protocol)
      : pod.pod.ports.length === 0 ||
        pod.pod.hostNetwork ||
        pod.ports.some((p) => p.number === target.number && p.protocol === port.protocol),
  );
}

/** Another Service of the same pods whose `port` is `number` and forwards it to a declared pod port. */
function otherServicePort(
  index: WorkspaceIndex,
  service: Service,
  pods: PodPorts[],
  number: number,
  self: ServicePort,
): [Service, ServicePort, number] | undefined {
  for (const pod of pods) {
    for (const other of servicesSelecting(index, pod.pod)) {
      if (other === service) continue;
      for (const otherPort of other.ports) {
        if (otherPort.protocol !== self.protocol || otherPort.port.value !== number) continue;
        const target = targetOf(otherPort);
        const resolved = target.kind === 'number' ? target.number : pod.ports.find((p) => p.declared && p.name === target.name)?.number;
        if (resolved !== undefined && resolved !== number && pod.ports.some((p) => p.declared && p.number === resolved)) {
          return [other, otherPort, resolved];
        }
      }
    }
  }
  return undefined;
}
