import type { ObjectRef, PodTemplate } from '../../model/manifest';
import { formatKnownPort, type KnownPort, type PodPorts } from './podPorts';

/** `gitlab/gitlab-ssh`, or just `gitlab-ssh` for an object that names no namespace. */
export function qualifiedName(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** `Deployment gitlab/gitlab` */
export function objectName(ref: ObjectRef): string {
  return `${ref.kind} ${qualifiedName(ref)}`;
}

/** `a`, `a and b`, `a, b and c` */
export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `templates/statefulset.yaml`, `real/bitnami-dremio.yaml`: the last two segments of a file's path. */
export function shortPath(uri: string): string {
  const path = uri
    .replace(/[?#].*$/, '')
    .split('/')
    .filter(Boolean);
  return decodeURIComponent(path.slice(-2).join('/'));
}

/** The names of these objects, each with its file where two of them would read the same (copies from two installs). */
export function distinctNames(refs: ObjectRef[]): string[] {
  const names = refs.map(objectName);
  const twice = new Set(names.filter((name, i) => names.indexOf(name) !== i));
  return names.map((name, i) => (twice.has(name) ? `${name} (in ${shortPath(refs[i].uri)})` : name));
}

export function podNames(pods: Array<PodTemplate | PodPorts>, limit = 4): string {
  const names = distinctNames(pods.map((p) => ('pod' in p ? p.pod.ref : p.ref)));
  return names.length > limit ? `${names.slice(0, limit).join(', ')} and ${names.length - limit} more` : joinAnd(names);
}

/** The distinct ports a set of pods serves, as `22/TCP "ssh" and 80/TCP "http"`. */
export function servedPorts(pods: PodPorts[]): string {
  const seen = new Set<string>();
  const ports: KnownPort[] = [];
  for (const pod of pods) {
    for (const port of pod.ports) {
      const text = formatKnownPort(port);
      if (!seen.has(text)) {
        seen.add(text);
        ports.push(port);
      }
    }
  }
  return ports.length === 0 ? 'no declared ports' : joinAnd(ports.map(formatKnownPort));
}
