import type { PortEntry } from './manifest';

/**
 * A policy's port entry as written, for messages, hovers and explain: `80/TCP`, `"ssh"/TCP` (a
 * name is quoted, so that it is never read as a number), `8000-8080/TCP`, `9125 (any protocol)`,
 * `every TCP port`. Without `protocol`: `80`, `"ssh"`, `8000-8080`.
 */
export function portEntryText(entry: Pick<PortEntry, 'port' | 'endPort' | 'protocol'>, options: { protocol?: boolean } = {}): string {
  const any = entry.protocol === 'ANY';
  if (!entry.port) return any ? 'every port' : `every ${entry.protocol} port`;
  const ref = entry.port.value;
  const written = ref.kind === 'number' ? String(ref.number) : `"${ref.name}"`;
  const range = entry.endPort ? `${written}-${entry.endPort.value}` : written;
  if (options.protocol === false) return range;
  return any ? `${range} (any protocol)` : `${range}/${entry.protocol}`;
}
