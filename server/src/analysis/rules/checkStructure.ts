import type { FileModel, Located, PolicyRule, PortRef } from '../../model/manifest';
import type { Finding, Fix } from './findings';
import { isValidPortName } from '../index/podPorts';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Slips in a file's shape that void or change its meaning without any port being wrong (SPEC §2a). */
export function checkStructure(model: FileModel): Finding[] {
  const findings: Finding[] = [];
  const uri = model.uri;
  const invalid = (value: Located<unknown>, message: string, fixes: Fix[] = []) =>
    findings.push({ uri, range: value.range, severity: 'error', code: 'port-value-invalid', message, related: [], fixes });
  const unquote = (value: Located<unknown>, digits: string): Fix[] => [
    { title: value.stringTag ? `Remove the !!str tag of ${digits}` : `Unquote ${digits}`, isPreferred: true, edits: [{ uri, range: value.range, newText: digits }] },
  ];
  const asWritten = (value: Located<unknown>) => (value.stringTag ? 'is a string (tagged !!str)' : 'is quoted');
  const number = (value: Located<number> | undefined, what: string) => {
    if (!value) return;
    if (value.quoted) invalid(value, `${what} "${value.value}" ${asWritten(value)}: Kubernetes expects a number here and rejects the string.`, unquote(value, String(value.value)));
    else if (value.value < 1 || value.value > 65535) invalid(value, `${what} ${value.value} is outside 1–65535.`);
  };
  const portRef = (value: Located<PortRef> | undefined, what: string) => {
    if (!value) return;
    const ref = value.value;
    if (ref.kind === 'number') {
      if (ref.number < 1 || ref.number > 65535) invalid(value, `${what} ${ref.number} is outside 1–65535.`);
      return;
    }
    if (/^\d+$/.test(ref.name)) {
      invalid(value, `${what} "${ref.name}" ${asWritten(value)}, so Kubernetes reads it as a port name, and a name must contain a letter: the API server rejects the object. Write ${ref.name} without ${value.stringTag ? 'the tag' : 'quotes'}.`, unquote(value, ref.name));
    } else if (!isValidPortName(ref.name)) {
      invalid(value, `${what} "${ref.name}" is not a valid port name: 1–15 characters of a-z, 0-9 and "-", at least one letter, no leading, trailing or double "-".`);
    }
  };
  const protocol = (value: Located<string> | undefined) => {
    if (value && !PROTOCOLS.includes(value.value)) invalid(value, `Protocol "${value.value}" is not TCP, UDP or SCTP.`);
  };

  for (const pod of model.pods) for (const p of pod.ports) number(p.containerPort, 'containerPort');
  for (const service of model.services) {
    for (const p of service.ports) {
      number(p.port, 'Service port');
      portRef(p.targetPort, 'targetPort');
    }
  }
  for (const policy of model.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const entry of rule.ports ?? []) {
        portRef(entry.port, 'Port');
        protocol(entry.protocolValue);
        if (entry.endPort) {
          if (entry.port?.value.kind === 'name') invalid(entry.endPort, 'endPort needs a numeric port: a range cannot start at a named port.');
          else if (entry.port?.value.kind === 'number' && entry.endPort.value < entry.port.value.number) invalid(entry.endPort, `endPort ${entry.endPort.value} is below port ${entry.port.value.number}.`);
          else number(entry.endPort, 'endPort');
        }
      }
      if (rule.portsEmpty) {
        findings.push({
          uri,
          range: rule.portsEmpty,
          severity: 'information',
          code: 'netpol-ports-empty',
          message: `"ports" is empty, so this ${rule.direction} rule admits every port${rule.peers ? '' : rule.direction === 'ingress' ? ' from every source' : ' to every destination'} (often a template branch that rendered nothing).`,
          related: [],
          fixes: [],
        });
      }
      for (const field of rule.misplaced) {
        const fixes: Fix[] = field.dedent
          ? [{ title: `Move "${field.key}" up to the rule`, isPreferred: true, edits: field.dedent.lines.map((start) => ({ uri, range: { start, end: { line: start.line, character: field.dedent!.width } }, newText: '' })) }]
          : [];
        findings.push({
          uri,
          range: field.keyRange,
          severity: 'warning',
          code: 'netpol-misplaced-field',
          message: `"${field.key}" is not a field of a NetworkPolicy ${field.within}; Kubernetes drops it, so ${effectiveMeaning(rule)}.`,
          related: [],
          fixes,
        });
      }
    }
  }
  return findings;
}

/** What a rule admits, as Kubernetes reads it: "this rule admits 6379/TCP to every destination". */
function effectiveMeaning(rule: PolicyRule): string {
  const ports = rule.ports
    ? rule.ports.map((e) => (e.port ? `${e.port.value.kind === 'number' ? e.port.value.number : e.port.value.name}${e.endPort ? `-${e.endPort.value}` : ''}/${e.protocol}` : `every ${e.protocol} port`)).join(', ')
    : 'every port';
  const peers = rule.peers ? (rule.direction === 'ingress' ? 'from the sources it names' : 'to the destinations it names') : rule.direction === 'ingress' ? 'from every source' : 'to every destination';
  return `this rule admits ${ports} ${peers}`;
}
