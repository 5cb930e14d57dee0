import type { Position, Range } from '../../model/source';
import { chainsOf, podsOfRule, podsOfSelector } from '../index/chains';
import { podsOfDialectRule, podsOfDialectSelector } from '../index/dialectSelection';
import { locate } from '../index/locate';
import { backendTarget, monitorTargets, probeTarget } from '../index/references';
import { entryAdmits, matcherOf, podPorts } from '../index/podPorts';
import type { WorkspaceIndex } from '../index/workspaceIndex';

export interface Location {
  uri: string;
  range: Range;
}

/**
 * Where a reference leads: from a policy port or a Service port to the container ports it
 * reaches, from a selector to the pod templates it selects.
 */
export function definition(index: WorkspaceIndex, uri: string, position: Position): Location[] {
  const model = index.file(uri);
  const target = model && locate(model, position);
  if (!target) return [];
  switch (target.kind) {
    case 'policyPort': {
      const { policy, rule, entry } = target;
      const wanted = matcherOf(entry);
      return podsOfRule(index, policy, rule).flatMap((pod) =>
        podPorts(index, pod)
          .ports.filter((p) => p.declared && entryAdmits(wanted, p))
          .map((p) => ({ uri: pod.ref.uri, range: p.declared!.range })),
      );
    }
    case 'dialectPort': {
      const { policy, rule, entry } = target;
      const wanted = matcherOf(entry);
      return (podsOfDialectRule(index, policy, rule) ?? []).flatMap((pod) =>
        podPorts(index, pod)
          .ports.filter((p) => p.declared && entryAdmits(wanted, p))
          .map((p) => ({ uri: pod.ref.uri, range: p.declared!.range })),
      );
    }
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
