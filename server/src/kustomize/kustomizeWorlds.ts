import { URI } from 'vscode-uri';
import { PortLens } from '../analysis/portLens';
import { servicePortSummaries, type PortSummary } from '../analysis/explain/summary';
import type { HoverResult } from '../analysis/features/hover';
import type { Finding, Fix, RelatedLocation, TextEdit } from '../analysis/rules/findings';
import type { FileModel } from '../model/manifest';
import { containsPosition, type Position, type Range } from '../model/source';
import type { BuiltRoot, SourceSpot } from './builtRoot';
import type { KustomizeRoot } from './kustomizeTree';

/** One root's world: its built objects and the workspace's plain manifests, analysed together. */
interface World {
  built: BuiltRoot;
  lens: PortLens;
  findings: Finding[] | undefined;
  /** Source URI → built ranges that map into it, for hover (computed when first asked). */
  reverse: Map<string, Array<{ source: Range; built: Range }>> | undefined;
  /** Source URI → the Namespaces and policies whose names it writes, for the port map lenses (computed when first asked). */
  mapTargets: Map<string, MapTarget[]> | undefined;
  /** Source URI → the explain lenses of the built Service ports written there (dropped with the findings). */
  portSummaries: Map<string, RootPortSummary[]> | undefined;
}

/** A Service port of a root's world, where it is written, and what its explain lens says. */
export interface RootPortSummary {
  root: string;
  range: Range;
  summary: PortSummary;
}

/** A Namespace or policy of a root's world, where its name is written: a port map of that namespace can open there. */
export interface MapTarget {
  root: string;
  namespace: string | undefined;
  range: Range;
}

/**
 * The Kustomize roots of a workspace, each analysed as a world of its own (SPEC §9): its objects are
 * judged against the same root's objects and the plain manifests, never against another overlay.
 * Findings are moved onto the base resource or patch that wrote the value, and name the root.
 */
export class KustomizeWorlds {
  private readonly worlds = new Map<string, World>();
  /** Root folder → the finding for a root that was not built. */
  private readonly failures = new Map<string, { name: string; finding: Finding }>();

  /** `plain`: the analysis of the manifests no kustomization uses; each world reads its models. */
  constructor(private readonly plain: PortLens) {}

  /** The roots analysed, by name (`overlays/prod`): the worlds to pick from. */
  roots(): Array<{ name: string; dir: string; built: boolean }> {
    const built = [...this.worlds.values()].map((w) => ({ name: w.built.name, dir: w.built.root.kustomization.dir, built: true }));
    const failed = [...this.failures].map(([dir, { name }]) => ({ name, dir, built: false }));
    return [...built, ...failed].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The analysis of one root's world, by name or folder. */
  world(root: string): PortLens | undefined {
    for (const world of this.worlds.values()) {
      const { name, root: r } = world.built;
      if (name === root || r.kustomization.dir === root || name.endsWith(`/${root.replace(/^\.\/|\/$/g, '')}`)) return world.lens;
    }
    return undefined;
  }

  set(built: BuiltRoot): void {
    const dir = built.root.kustomization.dir;
    this.failures.delete(dir);
    const lens = new PortLens();
    lens.load([...this.plainModels(), built.model]);
    this.worlds.set(dir, { built, lens, findings: undefined, reverse: undefined, mapTargets: undefined, portSummaries: undefined });
  }

  /** `firstLine`: the kustomization file's first line, which the finding underlines. */
  fail(root: KustomizeRoot, message: string, severity: 'warning' | 'information', firstLine = ''): void {
    const dir = root.kustomization.dir;
    this.worlds.delete(dir);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
    const uri = URI.file(root.kustomization.file).toString();
    const finding: Finding = {
      uri,
      range,
      severity,
      code: 'kustomize-build-failed',
      message: `${root.name} was not built: ${message}`,
      related: [],
      fixes: [],
    };
    this.failures.set(dir, { name: root.name, finding });
  }

  delete(dir: string): void {
    this.worlds.delete(dir);
    this.failures.delete(dir);
  }

  /** A plain manifest changed: every world sees it. */
  plainChanged(model: FileModel): void {
    for (const world of this.worlds.values()) {
      world.lens.setModel(model);
      world.findings = undefined;
      world.portSummaries = undefined;
    }
  }

  plainRemoved(uri: string): void {
    for (const world of this.worlds.values()) {
      world.lens.removeFile(uri);
      world.findings = undefined;
      world.portSummaries = undefined;
    }
  }

  /** Brings every world up to the plain analysis: models added, replaced or removed since it was made. */
  sync(): void {
    for (const world of this.worlds.values()) {
      let changed = false;
      for (const uri of this.plain.index.uris()) {
        const model = this.plain.index.file(uri);
        if (model && world.lens.index.file(uri) !== model) {
          world.lens.setModel(model);
          changed = true;
        }
      }
      for (const uri of [...world.lens.index.uris()]) {
        if (uri !== world.built.uri && !this.plain.index.file(uri)) {
          world.lens.removeFile(uri);
          changed = true;
        }
      }
      if (changed) {
        world.findings = undefined;
        world.portSummaries = undefined;
      }
    }
  }

  /** Every finding of every root, on the files that wrote the values. */
  allFindings(): Finding[] {
    const all: Finding[] = [...this.failures.values()].map((f) => f.finding);
    for (const world of this.worlds.values()) all.push(...this.findingsOf(world));
    return withoutRivalPreferences(all);
  }

  /** A location in some root's built output, moved to the file that wrote it; other locations stay. */
  relocate(uri: string, range: Range): { uri: string; range: Range; content?: Range } | undefined {
    const world = [...this.worlds.values()].find((w) => w.built.uri === uri);
    if (!world) return { uri, range };
    const spot = world.built.locate(range);
    return spot && { uri: spot.uri, range: spot.range, ...(spot.literal && spot.content ? { content: spot.content } : {}) };
  }

  /** The hover of every root whose built objects took the value at `position` of `uri` from there. */
  hover(uri: string, position: Position): HoverResult | undefined {
    const parts: string[] = [];
    let range: Range | undefined;
    for (const world of this.worlds.values()) {
      const entry = this.reverseOf(world)
        .get(uri)
        ?.find((e) => containsPosition(e.source, position));
      if (!entry) continue;
      const spot = world.built.locate(entry.built);
      const result = world.lens.hover(world.built.uri, entry.built.start);
      const from = spot ? `written by ${spot.writer}${spot.note ? ` (${spot.note})` : ''}` : '';
      const head = `**Kustomize root \`${world.built.name}\`**${from ? `: ${from}` : ''}`;
      parts.push(result ? `${head}\n\n${this.relink(world, result.markdown)}` : head);
      range ??= entry.source;
    }
    return range ? { markdown: parts.join('\n\n---\n\n'), range } : undefined;
  }

  /** The Namespaces and policies of every root whose names `uri` writes (a base or a patch). */
  mapTargetsIn(uri: string): MapTarget[] {
    const targets: MapTarget[] = [];
    for (const world of this.worlds.values()) {
      if (!world.mapTargets) {
        world.mapTargets = new Map();
        const { model } = world.built;
        const objects = [
          ...model.namespaces.map((n) => ({ ref: n.ref, namespace: n.ref.name })),
          ...[...model.policies, ...model.dialectPolicies].map((p) => ({ ref: p.ref, namespace: p.ref.namespace })),
        ];
        for (const { ref, namespace } of objects) {
          const spot = world.built.locate(ref.nameRange);
          if (!spot) continue;
          const list = world.mapTargets.get(spot.uri) ?? [];
          list.push({ root: world.built.name, namespace, range: spot.range });
          world.mapTargets.set(spot.uri, list);
        }
      }
      targets.push(...(world.mapTargets.get(uri) ?? []));
    }
    return targets;
  }

  /** The explain lenses of every root's Service ports written in `uri` (a base or a patch): each root judges its own copy. */
  portSummariesIn(uri: string): RootPortSummary[] {
    const result: RootPortSummary[] = [];
    for (const world of this.worlds.values()) {
      if (!world.portSummaries) {
        world.portSummaries = new Map();
        for (const { port, summary } of servicePortSummaries(world.lens.index, world.built.uri)) {
          const spot = world.built.locate(port.range);
          if (!spot) continue;
          const list = world.portSummaries.get(spot.uri) ?? [];
          list.push({ root: world.built.name, range: spot.range, summary });
          world.portSummaries.set(spot.uri, list);
        }
      }
      result.push(...(world.portSummaries.get(uri) ?? []));
    }
    return result;
  }

  private plainModels(): FileModel[] {
    return [...this.plain.index.uris()].map((uri) => this.plain.index.file(uri)).filter((m): m is FileModel => m !== undefined);
  }

  private findingsOf(world: World): Finding[] {
    if (world.findings) return world.findings;
    const { built } = world;
    const result: Finding[] = [];
    for (const finding of world.lens.findings(built.uri)) {
      const spot = built.locate(finding.range);
      const at = spot ?? { uri: URI.file(built.root.kustomization.file).toString(), range: finding.range, literal: false, writer: '' };
      const related: RelatedLocation[] = [];
      for (const r of finding.related) {
        if (r.uri !== built.uri) related.push(r);
        else {
          const moved = built.locate(r.range);
          if (moved) related.push({ uri: moved.uri, range: moved.range, message: `${r.message} (${moved.writer})` });
        }
      }
      if (spot && !spot.literal && spot.note) related.push({ uri: spot.uri, range: spot.range, message: `the value is ${spot.note}` });
      const fixes = finding.fixes.map((fix) => retarget(fix, built)).filter((f): f is Fix => f !== undefined);
      result.push({ ...finding, uri: at.uri, range: at.range, message: `${finding.message} (${built.name})`, related, fixes });
    }
    world.findings = result;
    return result;
  }

  private reverseOf(world: World): Map<string, Array<{ source: Range; built: Range }>> {
    if (world.reverse) return world.reverse;
    const reverse = new Map<string, Array<{ source: Range; built: Range }>>();
    const model = world.built.model;
    const ranges: Range[] = [];
    for (const policy of [...model.policies, ...model.dialectPolicies]) {
      for (const rule of [...policy.ingress, ...policy.egress])
        for (const entry of rule.ports ?? []) if (entry.port) ranges.push(entry.port.valueRange);
    }
    // The other objects that name a port (SPEC §10): backends, monitor endpoints, probes.
    for (const router of model.routers) for (const backend of router.backends) if (backend.port) ranges.push(backend.port.valueRange);
    for (const monitor of model.monitors) {
      for (const endpoint of monitor.endpoints) {
        for (const written of [endpoint.port, endpoint.targetPort, endpoint.portNumber]) if (written) ranges.push(written.valueRange);
      }
    }
    for (const pod of model.pods) for (const probe of pod.probes) ranges.push(probe.port.valueRange);
    for (const service of model.services) {
      for (const port of service.ports) {
        ranges.push(port.port.valueRange);
        if (port.targetPort) ranges.push(port.targetPort.valueRange);
      }
    }
    for (const pod of model.pods)
      for (const port of pod.ports) ranges.push(port.containerPort.valueRange, ...(port.name ? [port.name.valueRange] : []));
    for (const range of ranges) {
      const spot = world.built.locate(range);
      if (!spot) continue;
      const list = reverse.get(spot.uri) ?? [];
      list.push({ source: spot.range, built: range });
      reverse.set(spot.uri, list);
    }
    world.reverse = reverse;
    return reverse;
  }

  /** Links into the built output point at the file that wrote the line instead. */
  private relink(world: World, markdown: string): string {
    const uri = world.built.uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return markdown.replace(new RegExp(`\\]\\(${uri}#L(\\d+)\\)`, 'g'), (_, line: string) => {
      const spot: SourceSpot | undefined = world.built.locateLine(Number(line) - 1);
      return spot ? `](${spot.uri}#L${spot.range.start.line + 1})` : ')';
    });
  }
}

function retarget(fix: Fix, built: BuiltRoot): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    if (edit.uri !== built.uri) {
      edits.push(edit);
      continue;
    }
    const spot = built.locate(edit.range);
    if (!spot?.literal || !spot.content) return undefined;
    edits.push({ uri: spot.uri, range: spot.content, newText: edit.newText });
  }
  return { ...fix, edits };
}

/** One finding per root on a shared base line: when the roots would fix it differently, neither fix is preferred. */
function withoutRivalPreferences(findings: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.uri} ${JSON.stringify(finding.range)} ${finding.code}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  const preferred = (f: Finding) => JSON.stringify(f.fixes.find((x) => x.isPreferred)?.edits ?? null);
  return findings.map((finding) => {
    const group = groups.get(`${finding.uri} ${JSON.stringify(finding.range)} ${finding.code}`)!;
    if (group.length < 2 || group.every((f) => preferred(f) === preferred(group[0]))) return finding;
    return { ...finding, fixes: finding.fixes.map((f) => ({ ...f, isPreferred: false })) };
  });
}
