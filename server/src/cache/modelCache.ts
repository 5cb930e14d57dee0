import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { objectsOf, type FileModel } from '../model/manifest';
import { parseManifests } from '../model/parse';

/** Bumped whenever the cached form changes in a way the code hash below would not show. */
const FORMAT_VERSION = 1;

interface Pack {
  format: string;
  /** Content hash → the file's model (its uris are those of the file it was first read from). */
  models: Map<string, FileModel>;
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('base64url');

/**
 * The format of this build: cached models are only trusted by the very code that wrote them
 * (the running bundle's own hash), the same V8 (whose serializer writes them) and this version.
 */
let thisBuild: string | undefined;
function formatOfThisBuild(): string {
  if (thisBuild !== undefined) return thisBuild;
  const main = process.argv[1];
  let code = '';
  try {
    if (main && existsSync(main)) code = sha1(readFileSync(main));
  } catch {
    // an unreadable entry point: the cache then depends on the version alone
  }
  thisBuild = `${FORMAT_VERSION}:${process.versions.v8}:${code}`;
  return thisBuild;
}

/**
 * File models by content hash, kept in one file per workspace so that an unchanged workspace is
 * read back with a single read. A miss parses the text; a cache that cannot be read is empty.
 * Only the models of files that took `yaml` to parse are kept: a file the prefilter and the block
 * reader read alone parses faster than its model is written, read back and deserialized.
 */
export class ModelCache {
  private readonly previous: Map<string, FileModel>;
  private readonly current = new Map<string, FileModel>();
  /** Models already handed out, which a second file with the same content must not share. */
  private readonly handedOut = new Set<FileModel>();
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string | undefined,
    previous: Map<string, FileModel>,
  ) {
    this.previous = previous;
  }

  /** A cache that never reads or writes anything. */
  static none(): ModelCache {
    return new ModelCache(undefined, new Map());
  }

  /** The cache of the workspace made of `roots`, kept in `folder`. */
  static async open(folder: string, roots: readonly string[]): Promise<ModelCache> {
    const file = path.join(folder, `models-${sha1(JSON.stringify([...roots].sort()))}.bin`);
    let models = new Map<string, FileModel>();
    try {
      const pack = deserialize(await fs.readFile(file)) as Pack;
      if (pack?.format === formatOfThisBuild() && pack.models instanceof Map) models = pack.models;
    } catch {
      // missing, unreadable or from another build: start empty
    }
    return new ModelCache(file, models);
  }

  /** The model of `text` as the content of `uri`: from the cache when the same content was read before. */
  model(uri: string, text: string): FileModel {
    const found = this.lookup(uri, text);
    if (found.model) return found.model;
    const cost = { yaml: false };
    const model = parseManifests(uri, text, { cost });
    return cost.yaml ? this.store(found.hash, model) : model;
  }

  /** The cached model of `text` as the content of `uri`, if any, and the key to store a parsed one under. */
  private lookup(uri: string, text: string): { hash: string; model?: FileModel } {
    const hash = sha1(text);
    let model = this.current.get(hash) ?? this.previous.get(hash);
    if (!model) return { hash };
    this.hits++;
    this.current.set(hash, model);
    if (this.handedOut.has(model)) model = structuredClone(model);
    this.handedOut.add(model);
    return { hash, model: withUri(model, uri) };
  }

  /** Keeps a freshly parsed model under the hash `lookup` gave. */
  private store(hash: string, model: FileModel): FileModel {
    this.misses++;
    this.current.set(hash, model);
    this.handedOut.add(model);
    return model;
  }

  /** Writes the models used since opening (and only those), if anything changed. */
  async save(): Promise<void> {
    if (!this.file || (this.misses === 0 && this.current.size === this.previous.size)) return;
    const pack: Pack = { format: formatOfThisBuild(), models: this.current };
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await fs.writeFile(temporary, serialize(pack));
    await fs.rename(temporary, this.file);
  }
}

/** The models of a file read from the same content elsewhere now belong to `uri`. */
function withUri(model: FileModel, uri: string): FileModel {
  if (model.uri === uri) return model;
  model.uri = uri;
  for (const o of objectsOf(model)) o.ref.uri = uri;
  return model;
}

/** Where the command-line checker keeps its cache: $XDG_CACHE_HOME/k8s-port-lens, else ~/.cache/k8s-port-lens. */
export function defaultCacheFolder(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'k8s-port-lens');
}
