import { isProtocol, type Located, type PortEntry, type PortRef, type ServicePort } from '../../../model/manifest';
import { isValidPortName } from '../../index/podPorts';

/**
 * What the API server accepts (SPEC §2a). `port-value-invalid` reports the rest; every other rule
 * leaves a value these reject alone, so an invalid value gets that one finding only.
 */
export const isPortNumber = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

export function isValidNumber(value: Located<number> | undefined): boolean {
  return value === undefined || (!value.quoted && isPortNumber(value.value));
}

export function isValidPortRef(value: Located<PortRef> | undefined): boolean {
  if (!value) return true;
  const ref = value.value;
  return ref.kind === 'number' ? isPortNumber(ref.number) : isValidPortName(ref.name);
}

export function isValidProtocol(value: Located<string> | undefined): boolean {
  return value === undefined || isProtocol(value.value);
}

/** Why an entry's `endPort` is rejected, if it is. */
export function endPortProblem(entry: PortEntry): string | undefined {
  const end = entry.endPort;
  if (!end) return undefined;
  const port = entry.port?.value;
  if (!port) return `endPort ${end.value} without a port: a range needs its first port.`;
  if (port.kind === 'name') return 'endPort needs a numeric port: a range cannot start at a named port.';
  if (end.value < port.number) return `endPort ${end.value} is below port ${port.number}.`;
  return undefined;
}

/** A port entry of any dialect (Cilium's ANY is its own valid protocol). */
export function isValidPolicyPort(entry: PortEntry): boolean {
  const protocol = entry.protocol === 'ANY' || isValidProtocol(entry.protocolValue);
  return protocol && isValidPortRef(entry.port) && endPortProblem(entry) === undefined && isValidNumber(entry.endPort);
}

export function isValidServicePort(port: ServicePort): boolean {
  return isValidNumber(port.port) && isValidPortRef(port.targetPort);
}
