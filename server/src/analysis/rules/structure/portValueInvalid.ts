import type { FileModel, Located, PortRef } from '../../../model/manifest';
import { isValidPortName } from '../../index/podPorts';
import type { Finding, Fix } from '../findings';
import { endPortProblem } from './validity';
import { isProtocol } from '../../../model/manifest';

/** `port-value-invalid`: values the API server rejects (SPEC §2a). */
export function portValueInvalid(model: FileModel): Finding[] {
  const findings: Finding[] = [];
  const uri = model.uri;
  const invalid = (value: Located<unknown>, message: string, fixes: Fix[] = []) =>
    findings.push({ uri, range: value.range, severity: 'error', code: 'port-value-invalid', message, related: [], fixes });
  const unquote = (value: Located<unknown>, digits: string): Fix[] => [
    {
      title: value.stringTag ? `Remove the !!str tag of ${digits}` : `Unquote ${digits}`,
      isPreferred: true,
      edits: [{ uri, range: value.range, newText: digits }],
    },
  ];
  const asWritten = (value: Located<unknown>) => (value.stringTag ? 'is a string (tagged !!str)' : 'is quoted');
  const number = (value: Located<number> | undefined, what: string) => {
    if (!value) return;
    if (value.quoted)
      invalid(
        value,
        `${what} "${value.value}" ${asWritten(value)}: Kubernetes expects a number here and rejects the string.`,
        unquote(value, String(value.value)),
      );
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
      invalid(
        value,
        `${what} "${ref.name}" ${asWritten(value)}, so Kubernetes reads it as a port name, and a name must contain a letter: the API ` +
          `server rejects the object. Write ${ref.name} without ${value.stringTag ? 'the tag' : 'quotes'}.`,
        unquote(value, ref.name),
      );
    } else if (!isValidPortName(ref.name)) {
      invalid(
        value,
        `${what} "${ref.name}" is not a valid port name: 1–15 characters of a-z, 0-9 and "-", at least one letter, no leading, trailing ` +
          `or double "-".`,
      );
    }
  };
  const protocol = (value: Located<string> | undefined) => {
    if (value && !isProtocol(value.value)) invalid(value, `Protocol "${value.value}" is not TCP, UDP or SCTP.`);
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
        const problem = endPortProblem(entry);
        if (problem) invalid(entry.endPort!, problem);
        else number(entry.endPort, 'endPort');
      }
    }
  }
  return findings;
}
