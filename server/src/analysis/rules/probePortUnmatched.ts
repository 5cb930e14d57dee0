import type { PodTemplate, Probe } from '../../model/manifest';
import { joinAnd, objectName, qualifiedName } from '../index/describe';
import { changeValue, similarNames } from '../fixes/edits';
import { isValidPortName, podPorts, servicesSelecting, type KnownPort } from '../index/podPorts';
import { forwardedPorts, probeTarget } from '../index/references';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Finding, Fix } from './findings';
import { tiered, type Tier } from './tiers';

const CODE = 'probe-port-unmatched';

/** `liveness probe (httpGet) of container api` */
export function probeName(probe: Probe): string {
  return `${probe.kind} probe (${probe.handler}) of container ${probe.container}`;
}

/** The findings of a pod template's probes against its containers' ports (SPEC §10). */
export function checkProbes(index: WorkspaceIndex, pod: PodTemplate): Finding[] {
  return pod.probes.flatMap((probe) => judgeProbe(index, pod, probe) ?? []);
}

function judgeProbe(index: WorkspaceIndex, pod: PodTemplate, probe: Probe): Finding | undefined {
  if (probeTarget(pod, probe)) return undefined;
  const ref = probe.port.value;
  const uri = pod.ref.uri;
  const own = pod.ports.filter((p) => p.container === probe.container);
  const ownText =
    own.length > 0 ? joinAnd(own.map((p) => `${p.containerPort.value}/${p.protocol}${p.name ? ` "${p.name.value}"` : ''}`)) : 'no ports';
  const change = (to: string, why: string, preferred: boolean): Fix => ({
    title: `Change probe port ${ref.kind === 'number' ? ref.number : `"${ref.name}"`} to ${to}${why}`,
    isPreferred: preferred,
    edits: [changeValue(uri, probe.port, to)],
  });
  const finding = (tier: Tier, point: string, fixes: Fix[]): Finding =>
    tiered(tier, {
      uri,
      range: probe.port.range,
      code: CODE,
      message: `${point} Container ${probe.container} of ${objectName(pod.ref)} declares ${ownText}.`,
      related: [],
      fixes,
    });

  if (ref.kind === 'name') {
    if (!isValidPortName(ref.name)) return undefined;
    // A Service port's name, where the container calls the port it forwards to otherwise.
    const viaService = new Set<string>();
    for (const service of servicesSelecting(index, pod)) {
      for (const p of service.ports) {
        if (p.name?.value !== ref.name) continue;
        for (const f of forwardedPorts(index, service, p))
          if (f.pod === pod && f.target.declared?.container === probe.container && f.target.name) viaService.add(f.target.name);
      }
    }
    const names = own.flatMap((p) => (p.name ? [p.name.value] : []));
    const candidates = viaService.size > 0 ? [...viaService].sort() : similarNames(ref.name, names);
    const elsewhere = pod.ports.filter((p) => p.container !== probe.container && p.name?.value === ref.name).map((p) => p.container);
    const note =
      elsewhere.length > 0
        ? ` (container ${joinAnd([...new Set(elsewhere)])} declares it, but a probe's name resolves in its own container)`
        : '';
    return finding(
      'evidence',
      `The ${probeName(probe)} names port "${ref.name}", which its container does not declare${note}: the kubelet cannot resolve it, so ` +
        `the probe fails.`,
      candidates.map((c) =>
        change(`${c}`, viaService.size > 0 ? ` (the container port Service port "${ref.name}" forwards to)` : '', candidates.length === 1),
      ),
    );
  }

  // A number: the probe connects to the pod's address, so any container's port serves it.
  if (pod.hostNetwork) return undefined;
  const known = podPorts(index, pod);
  if (known.ports.some((p) => p.number === ref.number && p.protocol === 'TCP')) return undefined;
  const forwards = serviceForwards(index, pod, ref.number);
  if (forwards.length > 0) {
    const targets = [...new Set(forwards.map((f) => f.target.number))].sort((a, b) => a - b);
    const via = forwards[0];
    return finding(
      'classic',
      `Probe port ${ref.number} is the port of Service ${qualifiedName(via.service)}, which forwards it to ` +
        `${joinAnd(targets.map(String))}; the probe connects to the pod, on the container port.`,
      targets.map((t) => change(String(t), ` (Service ${qualifiedName(via.service)} forwards ${ref.number} → ${t})`, targets.length === 1)),
    );
  }
  if (known.unknown || own.length === 0) return undefined;
  return finding(
    'possible',
    `Probe port ${ref.number} is declared by no container of ${objectName(pod.ref)} (a process may listen on a port it does not declare).`,
    [],
  );
}

/** The pod's Service ports numbered `number` that forward to another port this pod serves. */
function serviceForwards(
  index: WorkspaceIndex,
  pod: PodTemplate,
  number: number,
): Array<{ service: PodTemplate['ref']; target: KnownPort }> {
  const result: Array<{ service: PodTemplate['ref']; target: KnownPort }> = [];
  for (const service of servicesSelecting(index, pod)) {
    for (const port of service.ports) {
      if (port.port.value !== number || port.protocol !== 'TCP') continue;
      for (const f of forwardedPorts(index, service, port))
        if (f.pod === pod && f.target.number !== number) result.push({ service: service.ref, target: f.target });
    }
  }
  return result;
}
