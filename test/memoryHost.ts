import * as path from 'node:path';
import type {
  DirectoryListing,
  FileStat,
  FileSystem,
  ProcessRequest,
  ProcessResult,
  ProcessRunner,
  ReadLimits,
  ReadResult,
  WorkspaceHost,
} from '../server/src/workspace/host';
import { manifestText } from '../server/src/workspace/nodeFileSystem';

const enoent = (file: string) => Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });

/** A file system in memory: files by absolute POSIX path; folders are the paths above them. */
export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();
  private scratches = 0;

  constructor(files: Record<string, string> = {}) {
    for (const [file, text] of Object.entries(files)) this.files.set(file, text);
  }

  write(file: string, text: string): void {
    this.files.set(file, text);
  }

  private isDirectory(dir: string): boolean {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }

  readDirectory(dir: string): DirectoryListing {
    if (!this.isDirectory(dir)) throw enoent(dir);
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const entries = new Map<string, 'file' | 'directory'>();
    for (const file of this.files.keys()) {
      if (!file.startsWith(prefix)) continue;
      const [name, ...rest] = file.slice(prefix.length).split('/');
      entries.set(name, rest.length > 0 ? 'directory' : 'file');
    }
    return { real: dir, entries: [...entries].map(([name, kind]) => ({ name, kind })) };
  }

  stat(file: string): FileStat {
    const text = this.files.get(file);
    if (text !== undefined) return { kind: 'file', size: Buffer.byteLength(text) };
    if (this.isDirectory(file)) return { kind: 'directory', size: 0 };
    throw enoent(file);
  }

  realPath(file: string): string {
    this.stat(file);
    return file;
  }

  exists(file: string): boolean {
    return this.files.has(file) || this.isDirectory(file);
  }

  readText(file: string, limits: ReadLimits = {}): ReadResult {
    const text = this.files.get(file);
    if (text === undefined) return { error: this.isDirectory(file) ? 'not a regular file' : 'ENOENT' };
    const max = limits.maxFileSize ?? Infinity;
    if (Buffer.byteLength(text) > max) return { error: `larger than ${max} bytes` };
    return manifestText(Buffer.from(text));
  }

  async readBytes(file: string): Promise<Uint8Array | undefined> {
    const text = this.files.get(file);
    return text === undefined ? undefined : Buffer.from(text);
  }

  async overlayCopy(dir: string, overlays: ReadonlyMap<string, string>) {
    const scratch = `/scratch-${++this.scratches}`;
    const copy = path.posix.join(scratch, path.posix.basename(dir));
    for (const [file, text] of [...this.files]) {
      if (file.startsWith(`${dir}/`)) this.files.set(path.posix.join(copy, file.slice(dir.length + 1)), text);
    }
    for (const [file, text] of overlays)
      if (file.startsWith(`${dir}/`)) this.files.set(path.posix.join(copy, file.slice(dir.length + 1)), text);
    return {
      dir: copy,
      dispose: async () => {
        for (const file of [...this.files.keys()]) if (file.startsWith(`${scratch}/`)) this.files.delete(file);
      },
    };
  }
}

/**
 * `helm template` in memory: prints each `templates/*.yaml` of the chart as it is (no template
 * language), under helm's `# Source:` comment. `gate` holds every run until it resolves;
 * `failure` makes runs fail with that message.
 */
export class FakeHelm implements ProcessRunner {
  runs: ProcessRequest[] = [];
  gate: Promise<void> = Promise.resolve();
  failure: string | undefined;

  constructor(private readonly fs: MemoryFileSystem) {}

  async run(request: ProcessRequest): Promise<ProcessResult> {
    this.runs.push(request);
    await this.gate;
    if (request.signal?.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled' };
    if (this.failure !== undefined) return { ok: false, reason: 'failed', message: this.failure };
    const dir = request.args[2];
    const name = /^name:\s*(\S+)/m.exec(this.fs.files.get(`${dir}/Chart.yaml`) ?? '')?.[1] ?? 'chart';
    const documents = [...this.fs.files]
      .filter(([file]) => file.startsWith(`${dir}/templates/`) && file.endsWith('.yaml'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, text]) => `---\n# Source: ${name}/${file.slice(dir.length + 1)}\n${text}`);
    return { ok: true, stdout: documents.join('\n') };
  }
}

export function memoryHost(files: Record<string, string> = {}): WorkspaceHost & { fs: MemoryFileSystem; processes: FakeHelm } {
  const fs = new MemoryFileSystem(files);
  return { fs, processes: new FakeHelm(fs) };
}

/**
 * `kubectl kustomize` in memory: prints what `build` makes of the request (the folder of the
 * wrapping kustomization is `request.cwd`, which origin annotations are relative to).
 */
export class FakeKubectl implements ProcessRunner {
  runs: ProcessRequest[] = [];
  /** Every run waits for it (then a cancelled run answers as the real runner does). */
  gate: Promise<void> = Promise.resolve();

  constructor(private readonly build: (request: ProcessRequest) => string) {}

  async run(request: ProcessRequest): Promise<ProcessResult> {
    this.runs.push(request);
    await this.gate;
    if (request.signal?.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled' };
    return { ok: true, stdout: this.build(request) };
  }
}
