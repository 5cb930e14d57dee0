import type { Position, Range } from '../../model/source';
import { chainsOf, podsOfRule, podsOfSelector } from '../index/chains';
import { podsOfDialectRule, podsOfDialectSelector } from '../index/dialectSelection';
import { locate } from '../index/locate';
import { backendTarget, monitorTargets, probeTarget } from '../index/references';
import { entryAdmits, matcherOf, podPorts, servicesSelecting } from '../index/podPorts';
import type { PodTemplate, PortEntry, Service } from '../../model/manifest';
import type { WorkspaceIndex } from '../index/workspaceIndex';

export interface Location {
  uri: string;
  range: Range;
}

/**
 * Where a policy port entry leads: the container ports of the pods it applies to that it admits;
 * when it admits none and its number is the port (or nodePort) of a Service of those pods (the
 * classic mistake, 10022), that Service port and the container ports it forwards to.
 */
function entryTargets(index: WorkspaceIndex, pods: PodTemplate[], entry: PortEntry): Location[] {
  const wanted = matcherOf(entry);
  const admitted = pods.flatMap((pod) =>
    podPorts(index, pod)
      .ports.filter((p) => p.declared && entryAdmits(wanted, p))
      .map((p) => ({ uri: pod.ref.uri, range: p.declared!.range })),
  );
  const value = entry.port?.value;
  if (admitted.length > 0 || value?.kind !== 'number' || entry.endPort) return admitted;
  const result: Location[] = [];
  const seen = new Set<Service>();
  for (const pod of pods) {
    for (const service of servicesSelecting(index, pod)) {
      if (seen.has(service)) continue;
      seen.add(service);
      for (const port of service.ports) {
        if (entry.protocol !== 'ANY' && entry.protocol !== port.protocol) continue;
        const written = port.port.value === value.number ? port.port : port.nodePort?.value === value.number ? port.nodePort : undefined;
        if (!written) continue;
        result.push({ uri: service.ref.uri, range: written.range });
        for (const chain of chainsOf(index, service, port)) {
          if (chain.target?.declared) result.push({ uri: chain.pod.ref.uri, range: chain.target.declared.range });
        }
      }
    }
  }
  const unique = new Map(result.map((l) => [`${l.uri}#${l.range.start.line}:${l.range.start.character}`, l]));
  return [...unique.values()];
}

/**
 * Where a reference leads: from a policy port or a Service port to the container ports it
 * reaches (from a policy's Service port number, to that Service port first), from a selector to the pod templates it selects.
 */
export function definition(index: WorkspaceIndex, uri: string, position: Position): Location[] {
  const model = index.file(uri);
  const target = model && locate(model, position);
  if (!target) return [];
  switch (target.kind) {
    case 'policyPort':
      return entryTargets(index, podsOfRule(index, target.policy, target.rule), target.entry);
    case 'dialectPort':
      return entryTargets(index, podsOfDialectRule(index, target.policy, target.rule) ?? [], target.entry);
    case 'dialectSelector':
      return (podsOfDialectSelector(index, target.policy, target.selector, target.peer) ?? []).map((pod) => ({
        uri: pod.ref.uri,
        range: pod.ref.nameRange,
      }));
    case 'servicePort':
      return chainsOf(index, target.service, target.port).flatMap((c) =>
        c.target?.declared ? [{ uri: c.pod.ref.uri, range: c.target.declared.range }] : [],
      );
    case 'policySelector': {
      const { policy, peer } = target;
      const pods = podsOfSelector(index, policy, peer);
      return pods.map((pod) => ({ uri: pod.ref.uri, range: pod.ref.nameRange }));
    }
    case 'serviceSelector':
      return index
        .podsSelectedByMap(target.service.selector!.value, target.service.ref.namespace)
        .map((pod) => ({ uri: pod.ref.uri, range: pod.ref.nameRange }));
    case 'containerPort':
      return [];
    case 'backend': {
      // To the Service port the backend names; failing that, to the Service.
      const { services, ports } = backendTarget(index, target.router, target.backend);
      if (ports.length > 0) return ports.map(({ service, port }) => ({ uri: service.ref.uri, range: port.range }));
      return services.map((s) => ({ uri: s.ref.uri, range: s.ref.nameRange }));
    }
    case 'monitorEndpoint': {
      const { servicePorts, podPorts } = monitorTargets(index, target.monitor, target.endpoint);
      return [
        ...servicePorts.map(({ service, port }) => ({ uri: service.ref.uri, range: port.range })),
        ...podPorts.map(({ pod, port }) => ({ uri: pod.ref.uri, range: port.declared!.range })),
      ];
    }
    case 'probe': {
      const port = probeTarget(target.pod, target.probe);
      return port ? [{ uri: target.pod.ref.uri, range: port.declared!.range }] : [];
    }
  }
}
